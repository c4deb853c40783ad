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
 */
export function edgeFirstAdapter(options: AdapterOptions, edge: EdgeChain): FastifyAdapter {
  class EdgeFirstAdapter extends FastifyAdapter {
    override setInstance<T>(instance: T): void {
      edge.install(instance as FastifyInstance);
      super.setInstance(instance);
    }
  }
  return new EdgeFirstAdapter(options);
}
