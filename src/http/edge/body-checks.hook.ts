import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '../problem.js';
import { addRouteHook, takesBody } from './route-hooks.js';

export const MAX_JSON_DEPTH = 6;
export const MAX_ARRAY_LENGTH = 100;
export const MAX_OBJECT_KEYS = 50;

/**
 * JSON-only API writes and bounded JSON shape (each route's body limit is its policy's, applied
 * by Fastify itself: see route-policy.ts). The schemas refuse what
 * they do not expect, but only after the whole value was walked; a body nested a thousand deep
 * or with a hundred thousand elements is refused here first, before any of it is validated.
 */
export function installBodyChecks(fastify: FastifyInstance): void {
  // Only on routes that take a body; callback style, so a read on them passes without a promise.
  addRouteHook(fastify, 'preValidation', takesBody, (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      done();
      return;
    }
    if (!refused(request, reply)) done();
  });
}

/** Sends the refusal and answers true when the body breaks a limit. */
function refused(request: FastifyRequest, reply: FastifyReply): boolean {
  const api = request.routePolicy.json === true;
  const type = String(request.headers['content-type'] ?? '');
  // A multipart post leaves the body unparsed until a handler asks (only the compose form does).
  if (
    api &&
    ((request.body !== undefined && request.body !== null) || /^multipart\//i.test(type))
  ) {
    if (!/^application\/(?:[a-z.+-]*\+)?json\b/i.test(type)) {
      send(reply, 415, 'Unsupported media type', 'Send JSON (application/json).');
      return true;
    }
  }
  if (typeof request.body === 'object' && request.body !== null && !fitsShape(request.body)) {
    send(
      reply,
      400,
      'Invalid input',
      `The body is nested deeper than ${MAX_JSON_DEPTH} levels or holds lists longer than ${MAX_ARRAY_LENGTH}.`,
    );
    return true;
  }
  return false;
}

/** Walks iteratively with an explicit stack, so a hostile body cannot exhaust the call stack. */
export function fitsShape(value: unknown): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof current !== 'object' || current === null) continue;
    if (depth > MAX_JSON_DEPTH) return false;
    const children = Array.isArray(current) ? current : Object.values(current);
    if (
      Array.isArray(current) ? current.length > MAX_ARRAY_LENGTH : children.length > MAX_OBJECT_KEYS
    )
      return false;
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
  return true;
}

function send(reply: FastifyReply, status: number, title: string, detail: string): FastifyReply {
  return reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify(problem(status, title, { detail })));
}
