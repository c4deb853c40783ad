import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKey } from '../../config/security-config.js';
import type { AppLogger } from '../../platform/observability/logger.js';
import { ApiKeys } from '../../security/api-keys.js';
import { clientKeyOf } from '../../security/caller.js';
import {
  SITE_KEY_CALLER_PREFIX,
  type SiteApiKeys,
  type SiteKey,
} from '../../security/site-api-keys.js';
import { problem } from '../problem.js';
import type { EdgeChain } from './edge-chain.js';

export const API_KEY_HEADER = 'x-api-key';

const INVALID_KEY = JSON.stringify(
  problem(401, 'Unauthorized', { detail: 'The X-Api-Key header does not name a valid key.' }),
);
const OTHER_SITE = JSON.stringify(
  problem(403, 'Forbidden', { detail: 'This API key belongs to another site.' }),
);
const OUT_OF_SCOPE = JSON.stringify(
  problem(403, 'Forbidden', { detail: 'This API key may not be used for this request.' }),
);

/**
 * Checks X-Api-Key. A request carrying one must carry a valid one: a wrong key is a 401, never
 * a silent fall back to the public limits, so a partner notices a rotated key. A request
 * without one is the public, whose caller is worked out only if a limit asks (`callerOf`): a
 * page-cache hit never does, and neither looks anything up.
 *
 * Operators' keys (API_KEYS) are checked first, in memory. Any other key is a site's, made in
 * the partner console: valid only on its own site's hosts and only for its scopes.
 */
export function installClientIdentity(
  fastify: FastifyInstance,
  edge: EdgeChain,
  keys: readonly ApiKey[],
  logger: AppLogger,
  siteKeys: SiteApiKeys | null = null,
): void {
  const apiKeys = new ApiKeys(keys);
  fastify.decorateRequest('caller', null);
  edge.onRequest((request, reply) => {
    const presented = request.headers[API_KEY_HEADER];
    if (presented === undefined) return false;
    if (typeof presented !== 'string') return refuse(reply, 401, INVALID_KEY);
    const apiKey = apiKeys.nameOf(presented);
    if (apiKey !== null) {
      request.caller = { ip: clientKeyOf(request.ip), apiKey };
      return false;
    }
    if (siteKeys === null) return invalid(request, reply, logger);
    return siteKeys.resolve(presented).then((key) => {
      if (key === null) return invalid(request, reply, logger);
      if (key.siteId !== request.site?.id) {
        logger.warn({ requestId: request.id, ip: request.ip }, 'API key of another site refused');
        return refuse(reply, 403, OTHER_SITE);
      }
      if (!allows(key, request)) return refuse(reply, 403, OUT_OF_SCOPE);
      // Named apart from operators' keys, so their per-key limits and report grants never meet.
      request.caller = {
        ip: clientKeyOf(request.ip),
        apiKey: `${SITE_KEY_CALLER_PREFIX}${key.id}`,
      };
      return false;
    });
  });
}

/**
 * A site's key reaches only the routes its scopes name: the send API, the catalog API, and
 * reading its own site's reports (the report API's guard keeps it to the site it is bound to);
 * never another admin API.
 */
function allows(key: SiteKey, request: FastifyRequest): boolean {
  const policy = request.routePolicy;
  if (policy.apiKeyReads === true) {
    return request.method === 'GET' && key.scopes.includes('read-reports');
  }
  if (policy.sendGuard === 'api') return key.scopes.includes('send');
  if (policy.rateLimit === 'catalog-lookup' && policy.json === true) {
    return request.method === 'GET' && key.scopes.includes('read-catalog');
  }
  return false;
}

function invalid(request: FastifyRequest, reply: FastifyReply, logger: AppLogger): true {
  logger.warn({ requestId: request.id, ip: request.ip }, 'invalid API key refused');
  return refuse(reply, 401, INVALID_KEY);
}

function refuse(reply: FastifyReply, status: number, body: string): true {
  void reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .type('application/problem+json; charset=utf-8')
    .send(body);
  return true;
}
