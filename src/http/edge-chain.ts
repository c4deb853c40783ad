import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * A step of the edge, run before routing reaches Nest. Returns true when it answered the
 * request itself (the steps after it do not run), or a promise when it has to wait; anything
 * else lets the request through to the next step.
 */
export type EdgeRequestStep = (
  request: FastifyRequest,
  reply: FastifyReply,
) => boolean | undefined | Promise<unknown>;

/** Accounting after the response went out (metrics, counters, audit lines). */
export type EdgeResponseStep = (request: FastifyRequest, reply: FastifyReply) => void;

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The matched route's template (`/cards/:slug`), or null when no route matched. Read once:
     * Fastify builds a new options object on every `request.routeOptions` access.
     */
    routeUrl: string | null;
  }
}

/**
 * The platform's edge as one Fastify `onRequest` hook and one `onResponse` hook, each running
 * its steps in order. Every hook step costs Fastify's hook runner a fraction of a microsecond,
 * which on a page-cache hit (a map read and a write) is a measurable share of the response; so
 * the chain is installed before any other hook (see `edgeFirstAdapter`) and a hit answered by
 * one of its steps runs nothing after it.
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

  /** Adds the two hooks; steps added later still run (the hooks read the lists per request). */
  install(fastify: FastifyInstance): void {
    if (this.installed) return;
    this.installed = true;
    fastify.decorateRequest('routeUrl', null);
    const requestSteps = this.requestSteps;
    const responseSteps = this.responseSteps;

    const runFrom = (
      first: number,
      request: FastifyRequest,
      reply: FastifyReply,
      done: (error?: Error) => void,
    ): void => {
      for (let i = first; i < requestSteps.length; i++) {
        const outcome = (requestSteps[i] as EdgeRequestStep)(request, reply);
        if (outcome === true) return;
        if (outcome instanceof Promise) {
          outcome.then(
            () => {
              if (!reply.sent) runFrom(i + 1, request, reply, done);
            },
            (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
          );
          return;
        }
      }
      done();
    };

    fastify.addHook('onRequest', function edgeRequest(request, reply, done) {
      request.routeUrl = request.routeOptions.url ?? null;
      runFrom(0, request, reply, done);
    });
    fastify.addHook('onResponse', function edgeResponse(request, reply, done) {
      for (const step of responseSteps) step(request, reply);
      done();
    });
  }
}
