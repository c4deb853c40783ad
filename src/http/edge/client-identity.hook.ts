import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ApiKey } from '../../config/security-config.js';
import type { AppLogger } from '../../platform/observability/logger.js';
import { ApiKeys } from '../../security/api-keys.js';
import { clientKeyOf } from '../../security/caller.js';
import { problem } from '../problem.js';
import type { EdgeChain } from './edge-chain.js';

export const API_KEY_HEADER = 'x-api-key';

const INVALID_KEY = JSON.stringify(
  problem(401, 'Unauthorized', { detail: 'The X-Api-Key header does not name a valid key.' }),
);

/**
 * Checks X-Api-Key. A request carrying one must carry a valid one: a wrong key is a 401, never
 * a silent fall back to the public limits, so a partner notices a rotated key. A request
 * without one is the public, whose caller is worked out only if a limit asks (`callerOf`): a
 * page-cache hit never does.
 */
export function installClientIdentity(
  fastify: FastifyInstance,
  edge: EdgeChain,
  keys: readonly ApiKey[],
  logger: AppLogger,
): void {
  const apiKeys = new ApiKeys(keys);
  fastify.decorateRequest('caller', null);
  edge.onRequest((request, reply) => {
    const presented = request.headers[API_KEY_HEADER];
    if (presented === undefined) return false;
    const apiKey = typeof presented === 'string' ? apiKeys.nameOf(presented) : null;
    if (apiKey === null) {
      logger.warn({ requestId: request.id, ip: request.ip }, 'invalid API key refused');
      return refuse(reply);
    }
    request.caller = { ip: clientKeyOf(request.ip), apiKey };
    return false;
  });
}

function refuse(reply: FastifyReply): true {
  void reply
    .code(401)
    .header('Cache-Control', 'no-store')
    .type('application/problem+json; charset=utf-8')
    .send(INVALID_KEY);
  return true;
}
