import { Redis } from 'ioredis';
import { freePort } from '../../../test/support/free-port.js';
import { closeConnection } from './close-connection.js';

/** Ref'd timers: the ones that keep the event loop, and so the process, alive. */
function liveTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('closeConnection (real Redis)', () => {
  const url = process.env.REDIS_URL as string;

  it('resolves once the socket is closed, leaving no timer behind', async () => {
    const connection = new Redis(url);
    await connection.ping();
    const before = liveTimers();
    await closeConnection(connection);
    expect(connection.status).toBe('end');
    expect(connection.stream.destroyed).toBe(true);
    expect(liveTimers()).toBeLessThanOrEqual(before);
  });

  it('still delivers the reply of a command sent just before', async () => {
    const connection = new Redis(url);
    await connection.ping();
    const key = `close-connection-${process.pid}-${Date.now()}`;
    const written = connection.set(key, 'kept');
    await closeConnection(connection);
    await expect(written).resolves.toBe('OK');
    const reader = new Redis(url);
    expect(await reader.get(key)).toBe('kept');
    await reader.del(key);
    await closeConnection(reader);
  });

  it('ends a connection that never connected', async () => {
    const connection = new Redis(url, { lazyConnect: true });
    await closeConnection(connection);
    expect(connection.status).toBe('end');
  });

  it('stops a connection retrying a server that is gone', async () => {
    const port = await freePort();
    const connection = new Redis(port, '127.0.0.1', { retryStrategy: () => 20 });
    connection.on('error', () => undefined);
    await new Promise((resolve) => connection.once('reconnecting', resolve));
    let attempts = 0;
    connection.on('connecting', () => attempts++);
    await closeConnection(connection);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(attempts).toBe(0);
  });
});
