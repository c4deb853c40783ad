import Fastify from 'fastify';
import { readFileSync } from 'node:fs';

/**
 * The baseline: bare Fastify answering every request with the same bytes the platform served
 * for the page (read from BODY_FILE), with its content type.
 */
const body = readFileSync(process.env.BODY_FILE ?? '', 'utf8');
const fastify = Fastify();
fastify.get('/*', (_request, reply) => {
  void reply.type('text/html; charset=utf-8').send(body);
});
await fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
