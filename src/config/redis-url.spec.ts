import { parseRedisUrl, redisUrlProblem } from './redis-url.js';

describe('REDIS_URL', () => {
  it('passes a single-server URL through untouched', () => {
    expect(parseRedisUrl('redis://:secret@cache.internal:6380/3')).toEqual({
      kind: 'server',
      url: 'redis://:secret@cache.internal:6380/3',
    });
    expect(parseRedisUrl('rediss://cache.internal:6380').kind).toBe('server');
  });

  it('reads sentinels, the master name and the db', () => {
    expect(parseRedisUrl('redis+sentinel://s1:26379,s2:26380,s3/mymaster?db=2')).toEqual({
      kind: 'sentinel',
      options: {
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26380 },
          { host: 's3', port: 26379 },
        ],
        name: 'mymaster',
        db: 2,
      },
    });
    const pathDb = parseRedisUrl('redis+sentinel://s1:26379/mymaster/5');
    expect(pathDb.kind === 'sentinel' && pathDb.options.db).toBe(5);
  });

  it('keeps the master password apart from the sentinels', () => {
    const target = parseRedisUrl(
      'rediss+sentinel://app:p%40ss@[::1]:26379,10.0.0.2:26379/prod?sentinelPassword=s3nt&sentinelUsername=watch',
    );
    expect(target).toEqual({
      kind: 'sentinel',
      options: {
        sentinels: [
          { host: '::1', port: 26379 },
          { host: '10.0.0.2', port: 26379 },
        ],
        name: 'prod',
        db: 0,
        username: 'app',
        password: 'p@ss',
        sentinelUsername: 'watch',
        sentinelPassword: 's3nt',
        tls: {},
        enableTLSForSentinelMode: true,
      },
    });
    const passwordOnly = parseRedisUrl('redis+sentinel://:only@s1:26379/m');
    expect(passwordOnly.kind === 'sentinel' && passwordOnly.options.password).toBe('only');
  });

  it('names what is wrong with a bad URL', () => {
    expect(redisUrlProblem('redis://127.0.0.1:63791')).toBeNull();
    expect(redisUrlProblem('http://cache:6379')).toMatch(/must be redis:/);
    expect(redisUrlProblem('redis+sentinel://s1:26379')).toMatch(/must be/);
    expect(redisUrlProblem('redis+sentinel://s1:99999/m')).toMatch(/bad sentinel address/);
    expect(redisUrlProblem('redis+sentinel://s1:26379/m?db=x')).toMatch(/db must be/);
  });
});
