import { createServer } from 'node:net';

/** A port free right now on loopback, for tests that need a real socket. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a Fastify server on a free loopback port and answers with that port. */
export async function listenOnLoopback(server: {
  listen(options: { port: number; host: string }): Promise<unknown>;
  server: { address(): unknown };
}): Promise<number> {
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address() as { port?: number } | string | null;
  return typeof address === 'object' && address?.port ? address.port : 0;
}
