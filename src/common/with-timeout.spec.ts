import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { TimeoutError, withTimeout } from './with-timeout.js';

/** Keeps the event loop busy, as booting a module or a long synchronous render does. */
function stallEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy: nothing else in this process runs.
  }
}

describe('withTimeout', () => {
  let server: ReturnType<typeof createServer>;
  let client: Socket;
  let peer: Socket;

  beforeEach(async () => {
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(client, 'connect');
    [peer] = await accepted;
  });
  afterEach(async () => {
    client.destroy();
    peer.destroy();
    server.close();
    await once(server, 'close');
  });

  const nextReply = () =>
    new Promise<string>((resolve) => client.once('data', (data) => resolve(String(data))));

  it('takes an answer that arrived while this process was too busy to read it', async () => {
    const reply = withTimeout(nextReply(), 50);
    peer.write('PONG');
    // The answer is on the socket well within the limit; the timer is due when the loop frees.
    stallEventLoop(200);
    await expect(reply).resolves.toBe('PONG');
  });

  it('times out when no answer comes', async () => {
    const started = Date.now();
    await expect(withTimeout(nextReply(), 50)).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(49);
  });

  it('passes on the failure of the promise', async () => {
    await expect(withTimeout(Promise.reject(new Error('refused')), 50)).rejects.toThrow('refused');
  });
});
