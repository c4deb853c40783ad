import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/app-config.js';
import { QUEUES } from '../platform/queue/jobs.js';
import { queueConnection } from '../platform/queue/queue-connections.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board over the delivery queues at /admin/queues, behind the admin token. It has its own
 * Redis connection, one that waits through an outage, so the dashboard comes back with Redis
 * without touching the producers the send path relies on.
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

  const expected = createHash('sha256').update(config.adminToken).digest();
  void fastify.register((instance, _options, done) => {
    instance.addHook('onRequest', (request, reply, next) => {
      const header = request.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
      const given = createHash('sha256').update(token).digest();
      reply.header('Cache-Control', 'no-store');
      if (token.length === 0 || !timingSafeEqual(given, expected)) {
        void reply
          .code(401)
          .header('WWW-Authenticate', 'Bearer')
          .type('application/problem+json; charset=utf-8')
          .send(
            JSON.stringify({
              type: 'about:blank',
              title: 'Unauthorized',
              status: 401,
              detail: 'a valid admin token is required',
            }),
          );
        return;
      }
      next();
    });
    void instance.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
    done();
  });
  return async () => {
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    connection.disconnect();
  };
}
