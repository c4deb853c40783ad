import type { RedisOptions } from 'ioredis';

/**
 * Where Redis is, from `REDIS_URL`. Two forms:
 * - `redis://[[user]:password@]host:port[/db]` (or `rediss://` for TLS): one server;
 * - `redis+sentinel://[[user]:password@]host:port,host:port/<master name>[/db][?db=N&sentinelPassword=…]`
 *   (or `rediss+sentinel://`): ask the Sentinels which server is the master of that name and
 *   follow it when Sentinel promotes another. The user and password are the master's; the
 *   Sentinels' own credentials go in `sentinelUsername` / `sentinelPassword`.
 */
export type RedisTarget =
  | { kind: 'server'; url: string }
  | { kind: 'sentinel'; options: RedisOptions & { sentinels: { host: string; port: number }[] } };

const SENTINEL =
  /^(rediss?)\+sentinel:\/\/(?:([^@/]*)@)?([^/?#]+)\/([^/?#]+)(?:\/(\d+))?\/?(?:\?([^#]*))?$/;

export function parseRedisUrl(url: string): RedisTarget {
  if (/^rediss?:\/\//.test(url)) {
    new URL(url); // throws on a malformed URL, so boot reports it
    return { kind: 'server', url };
  }
  const match = SENTINEL.exec(url);
  if (!match) {
    throw new Error(
      'must be redis://host:port[/db] or redis+sentinel://host:port[,host:port]/master',
    );
  }
  const [, scheme, auth, hostList, masterName, pathDb, query] = match;
  const sentinels = (hostList ?? '').split(',').map((entry) => {
    const at = entry.lastIndexOf(':');
    const host = at > 0 ? entry.slice(0, at) : entry;
    const port = at > 0 ? Number(entry.slice(at + 1)) : 26379;
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`bad sentinel address "${entry}"`);
    }
    return { host: host.replace(/^\[(.*)\]$/, '$1'), port };
  });
  const params = new URLSearchParams(query ?? '');
  const db = Number(params.get('db') ?? pathDb ?? 0);
  if (!Number.isInteger(db) || db < 0) throw new Error('db must be a non-negative integer');
  const options: RedisOptions & { sentinels: { host: string; port: number }[] } = {
    sentinels,
    name: decodeURIComponent(masterName ?? ''),
    db,
  };
  if (auth) {
    const colon = auth.indexOf(':');
    const user = decodeURIComponent(colon >= 0 ? auth.slice(0, colon) : auth);
    const password = colon >= 0 ? decodeURIComponent(auth.slice(colon + 1)) : '';
    if (colon >= 0) {
      if (user) options.username = user;
      options.password = password;
    } else if (user) {
      options.password = user;
    }
  }
  const sentinelUsername = params.get('sentinelUsername');
  const sentinelPassword = params.get('sentinelPassword');
  if (sentinelUsername) options.sentinelUsername = sentinelUsername;
  if (sentinelPassword) options.sentinelPassword = sentinelPassword;
  if (scheme === 'rediss') {
    options.tls = {};
    options.enableTLSForSentinelMode = true;
  }
  return { kind: 'sentinel', options };
}

/** Whether the URL carries a password for the Redis it names (not only for its Sentinels). */
export function redisUrlHasPassword(url: string): boolean {
  const target = parseRedisUrl(url);
  return target.kind === 'server'
    ? new URL(target.url).password !== ''
    : Boolean(target.options.password);
}

/** A problem with the URL for boot-time validation, or null when it is usable. */
export function redisUrlProblem(url: string): string | null {
  try {
    parseRedisUrl(url);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
