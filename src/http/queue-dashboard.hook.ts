import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { QUEUES } from '../platform/queue/jobs.js';
import { queueConnection } from '../platform/queue/queue-connections.js';
import { AdminToken } from './admin-token.js';
import { ADMIN_PAGE, applyPolicy } from './edge/route-policy.js';
import { problem } from './problem.js';
import { QUEUE_DASHBOARD_CSP } from './security-headers.js';
import { closeConnection } from '../platform/redis/close-connection.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** The Google Fonts stylesheet link of Bull Board's page. */
const THIRD_PARTY_FONT_LINK = /<link\b[^>]*\bhref="https:\/\/fonts\.googleapis\.com\/[^"]*"[^>]*>/g;

/**
 * Bull Board over the delivery queues at /admin/queues/, behind the admin token. It has its own
 * Redis connection, one that waits through an outage, so the dashboard comes back with Redis
 * without touching the producers the send path relies on. Its pages get a policy of their own
 * (QUEUE_DASHBOARD_CSP), and the bare /admin/queues, the address people type, redirects
 * to the one with the slash, which its page's relative links are meant for.
 */
export function installQueueDashboard(
  fastify: FastifyInstance,
  config: AppConfig,
): () => Promise<void> {
  const connection = queueConnection(config.redisUrl, 'worker', 'queue-dashboard');
  const queues = Object.values(QUEUES).map(
    (name) => new Queue(name, { connection, prefix: config.delivery.queuePrefix }),
  );
  for (const queue of queues) queue.on('error', () => undefined);
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: board });

  const adminToken = new AdminToken(config.adminToken);
  const refusal = JSON.stringify(
    problem(401, 'Unauthorized', { detail: 'a valid admin token is required' }),
  );
  void fastify.register((instance, _options, done) => {
    // Bull Board adds its own routes: they are admin pages, behind the edge's admin gate.
    instance.addHook('onRoute', (route) => applyPolicy(route, ADMIN_PAGE));
    instance.addHook('onRequest', (request, reply, next) => {
      reply.header('Cache-Control', 'no-store');
      // A signed-in browser (the admin gate found its session) or a script's Bearer token; no
      // Basic login, which would put the master token in the browser for every request.
      if (request.adminSession === null && !adminToken.accepts(request.headers.authorization)) {
        void reply
          .code(401)
          .header('WWW-Authenticate', 'Bearer')
          .type('application/problem+json; charset=utf-8')
          .send(refusal);
        return;
      }
      reply.header('Content-Security-Policy', QUEUE_DASHBOARD_CSP);
      const [path, query] = splitQuery(request.url);
      if (
        path === QUEUE_DASHBOARD_PATH &&
        (request.method === 'GET' || request.method === 'HEAD')
      ) {
        void reply.redirect(`${QUEUE_DASHBOARD_PATH}/${query}`, 301);
        return;
      }
      next();
    });
    // The page asks Google for its fonts: an operator's page should not tell a third party who
    // opens it, nor fail where admin networks reach no Internet. Its CSS falls back to system
    // fonts. Only its HTML pages are strings here; API answers and files are left alone.
    instance.addHook('onSend', (_request, reply, payload, done) => {
      const html =
        typeof payload === 'string' &&
        String(reply.getHeader('content-type')).startsWith('text/html');
      done(null, html ? payload.replace(THIRD_PARTY_FONT_LINK, '') : payload);
    });
    void instance.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
    done();
  });
  return async () => {
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    await closeConnection(connection);
  };
}

function splitQuery(url: string): [string, string] {
  const at = url.indexOf('?');
  return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at)];
}
