import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/**
 * A hook for a few routes that every request passes through: a synchronous test decides whether
 * the request concerns it, and only those requests pay for the promise of the async guard.
 * The guard either lets the request through or sends a reply itself.
 */
export function guardedHook(
  applies: (request: FastifyRequest) => boolean,
  guard: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void {
  return (request, reply, done) => {
    if (!applies(request)) {
      done();
      return;
    }
    guard(request, reply).then(
      () => {
        if (!reply.sent) done();
      },
      (error: unknown) => done(error as Error),
    );
  };
}
