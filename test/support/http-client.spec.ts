import { createServer, type Server, type Socket } from 'node:net';
import { NoAnswerError, send } from './http-client.js';

/** A server that takes connections and never answers, as a stranded connection looks. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, sockets };
}

describe('the test HTTP client', () => {
  it('gives up on a connection that never answers instead of waiting forever', async () => {
    const { server, port, sockets } = await silentServer();
    try {
      const outcome = await send(port, { method: 'GET', url: '/', timeoutMs: 200 }).then(
        () => 'answered',
        (error: unknown) => error,
      );
      expect(outcome).toBeInstanceOf(NoAnswerError);
      expect((outcome as Error).message).toBe('no answer to GET / within 200 ms');
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
