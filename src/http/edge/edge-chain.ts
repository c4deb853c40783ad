import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NO_POLICY, type RoutePolicy } from './route-policy.js';

/**
 * A step of the edge, run before routing reaches Nest. Returns true when it answered the
 * request itself (the steps after it do not run), or a promise when it has to wait; anything
 * else lets the request through to the next step.
 */
export type EdgeRequestStep = (
  request: FastifyRequest,
  reply: FastifyReply,
) => boolean | undefined | Promise<unknown>;

/**
 * Accounting after the response went out (metrics, counters, audit lines), with the time from
 * the edge's first step to the response's end.
 */
export type EdgeResponseStep = (
  request: FastifyRequest,
  reply: FastifyReply,
  elapsedMs: number,
) => void;

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The matched route's template (`/cards/:slug`), or null when no route matched. Read once,
     * with the route's policy: Fastify builds a new options object on every
     * `request.routeOptions` access.
     */
    routeUrl: string | null;
  }
}

/**
 * The platform's edge as one Fastify `onRequest` hook, running its steps in order, and its own
 * response accounting. Every hook step costs Fastify's hook runner a fraction of a microsecond,
 * which on a page-cache hit (a map read and a write) is a measurable share of the response; so
 * the chain is installed before any other hook (see `edgeFirstAdapter`) and a hit answered by
 * one of its steps runs nothing after it.
 *
 * The response steps are not a Fastify `onResponse` hook: with any such hook Fastify puts two
 * listeners on every response and takes them off again, and runs its hook runner, about three
 * microseconds a request. A reply written at once, by a step or by a route that did not wait,
 * is accounted for right there; any other is accounted for when its response closes, having
 * finished.
 */
export class EdgeChain {
  private readonly requestSteps: EdgeRequestStep[] = [];
  private readonly responseSteps: EdgeResponseStep[] = [];
  private installed = false;

  onRequest(step: EdgeRequestStep): void {
    this.requestSteps.push(step);
  }

  onResponse(step: EdgeResponseStep): void {
    this.responseSteps.push(step);
  }

  /** Adds the hook; steps added later still run (the hook reads the lists per request). */
  install(fastify: FastifyInstance): void {
    if (this.installed) return;
    this.installed = true;
    fastify.decorateRequest('routeUrl', null);
    // Set by the hook below before anything reads it (Fastify decorates with primitives only).
    fastify.decorateRequest('routePolicy', null as unknown as RoutePolicy);
    const requestSteps = this.requestSteps;
    const responseSteps = this.responseSteps;

    const account = (request: FastifyRequest, reply: FastifyReply, startedAt: number): void => {
      const elapsedMs = performance.now() - startedAt;
      for (const step of responseSteps) step(request, reply, elapsedMs);
    };
    /** After a step answered, or once the request goes on to its route. */
    const accountWhenDone = (
      request: FastifyRequest,
      reply: FastifyReply,
      startedAt: number,
    ): void => {
      const response = reply.raw;
      if (response.writableEnded) {
        account(request, reply, startedAt);
        return;
      }
      // 'close' comes after 'finish', or alone when the client went away first: an
      // unfinished response is not accounted for, as Fastify's onResponse would not be.
      response.once('close', () => {
        if (response.writableFinished) account(request, reply, startedAt);
      });
    };

    const fail = (
      request: FastifyRequest,
      reply: FastifyReply,
      startedAt: number,
      error: unknown,
      done: (error?: Error) => void,
    ): void => {
      accountWhenDone(request, reply, startedAt);
      done(error instanceof Error ? error : new Error(String(error)));
    };

    const runFrom = (
      first: number,
      request: FastifyRequest,
      reply: FastifyReply,
      startedAt: number,
      done: (error?: Error) => void,
    ): void => {
      try {
        for (let i = first; i < requestSteps.length; i++) {
          const outcome = (requestSteps[i] as EdgeRequestStep)(request, reply);
          if (outcome === true) {
            accountWhenDone(request, reply, startedAt);
            return;
          }
          if (outcome instanceof Promise) {
            outcome.then(
              () => {
                if (reply.sent) accountWhenDone(request, reply, startedAt);
                else runFrom(i + 1, request, reply, startedAt, done);
              },
              (error: unknown) => fail(request, reply, startedAt, error, done),
            );
            return;
          }
        }
      } catch (error) {
        // Also after a step that waited, where a throw would otherwise leave the request hanging.
        fail(request, reply, startedAt, error, done);
        return;
      }
      // Accounted for after `done`: a route that answers without waiting (a card page whose
      // data is at hand) has written its response by the time `done` returns, and is counted
      // there and then, as an edge step's answer is, rather than through a 'close' listener
      // put on and taken off every response.
      try {
        done();
      } finally {
        accountWhenDone(request, reply, startedAt);
      }
    };

    fastify.addHook('onRequest', function edgeRequest(request, reply, done) {
      const route = request.routeOptions;
      request.routeUrl = route.url ?? null;
      request.routePolicy = route.config?.policy ?? NO_POLICY;
      runFrom(0, request, reply, performance.now(), done);
    });
  }
}
