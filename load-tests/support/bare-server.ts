import Fastify from 'fastify';
import { readFileSync } from 'node:fs';
import { readHeadersFile } from './response-headers.js';

/**
 * The baseline: bare Fastify answering every request with the same bytes the platform served
 * for the page: its body (BODY_FILE) and its headers (HEADERS_FILE, see replayableHeaders).
 * The body is sent as a string, as a Fastify app serving a page does, or with BODY_AS=bytes
 * as a Buffer encoded once, or with BODY_AS=raw as the file's bytes (a compressed page).
 */
const file = readFileSync(process.env.BODY_FILE ?? '');
// `raw`: the file's bytes as they are (a compressed page); `bytes`: the text encoded once.
const body =
  process.env.BODY_AS === 'raw'
    ? file
    : process.env.BODY_AS === 'bytes'
      ? Buffer.from(file.toString('utf8'), 'utf8')
      : file.toString('utf8');
const headers = readHeadersFile(process.env.HEADERS_FILE);
const fastify = Fastify();
fastify.get('/*', (_request, reply) => {
  void reply.headers(headers).send(body);
});
await fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
