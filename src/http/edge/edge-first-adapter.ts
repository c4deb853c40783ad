import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance, RawServerDefault } from 'fastify';
import type { EdgeChain } from './edge-chain.js';

type AdapterOptions = ConstructorParameters<typeof FastifyAdapter<RawServerDefault>>[0];

/**
 * Nest's Fastify adapter with the platform's edge hooks installed ahead of the adapter's own
 * six `onRequest` hooks (middleware, shutdown, CORS, security, target and versioning checks,
 * none of which the platform uses). Fastify runs hooks in the order they were added, and the
 * adapter adds its hooks in its constructor right after it is handed its Fastify instance
 * (`setInstance`), so that is where the edge goes in. A page-cache hit answered by the edge
 * then never steps through them. `test/e2e/edge-order.e2e.spec.ts` checks the order.
 *
 * The adapter's constructor also adds an `onResponse` hook, which only calls a hook set with
 * `setOnResponseHook` (the platform sets none; the edge accounts for responses itself). Any
 * `onResponse` hook at all makes Fastify listen for the end of every response, a cost a cached
 * page should not pay, so that one is left out, and `setOnResponseHook` refuses instead of
 * silently doing nothing.
 */
export function edgeFirstAdapter(options: AdapterOptions, edge: EdgeChain): FastifyAdapter {
  const construction: { restore?: () => void } = {};
  class EdgeFirstAdapter extends FastifyAdapter {
    override setInstance<T>(instance: T): void {
      const fastify = instance as FastifyInstance;
      edge.install(fastify);
      construction.restore = withoutResponseHooks(fastify);
      super.setInstance(instance);
    }

    override setOnResponseHook(): void {
      throw new Error(
        "Response hooks are the edge chain's: add an EdgeChain onResponse step instead.",
      );
    }
  }
  try {
    return new EdgeFirstAdapter(options);
  } finally {
    construction.restore?.();
  }
}

type AddHook = (name: string, hook: unknown) => FastifyInstance;

/** Makes `addHook('onResponse', ...)` a no-op until the returned function is called. */
function withoutResponseHooks(fastify: FastifyInstance): () => void {
  const original = Object.getOwnPropertyDescriptor(fastify, 'addHook');
  const addHook = fastify.addHook.bind(fastify) as unknown as AddHook;
  const skipping: AddHook = (name, hook) => (name === 'onResponse' ? fastify : addHook(name, hook));
  Object.assign(fastify, { addHook: skipping });
  return () => {
    if (original) Object.defineProperty(fastify, 'addHook', original);
  };
}
