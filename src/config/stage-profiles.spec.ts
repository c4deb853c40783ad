import { DEFAULT_ABUSE_LIMITS } from './security-config.js';
import { ConfigError, loadConfig } from './app-config.js';
import { linkOriginTag } from './public-url-config.js';

/** What a deployed stage needs to boot at all, so only the setting under test can fail. */
const DEPLOYED = {
  DATABASE_URL: 'mysql://ecard:a-real-password@db.internal/ecard',
  REDIS_URL: 'redis://:a-real-password@redis.internal:6379',
  SMTP_URL: 'smtp://mail.internal:25',
  PICKUP_TOKEN_SECRET: 'pickup-Secret-0123456789-abcdefghijkl',
  ADMIN_TOKEN: 'admin-Token-9876543210-zyxwvutsrqponm',
  ALTCHA_HMAC_KEY: 'altcha-Key-5647382910-qazwsxedcrfvtg',
  BOUNCE_DOMAIN: 'bounces.ecard.example',
  DKIM_KEY_ENCRYPTION_KEY: 'q3VhKx8ZbN2mT7cR4wY9fL1pD6sG0jHaE5uI8oB2nCk=',
};

/** Store URLs a development config names when it is not reading the local services' file. */
const STORES = { DATABASE_URL: DEPLOYED.DATABASE_URL, REDIS_URL: DEPLOYED.REDIS_URL };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ LOG_LEVEL: 'silent', ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('links by stage (PUBLIC_HOST_STYLE)', () => {
  it('defaults to local names in development and canonical ones everywhere else', () => {
    const style = (stage: string) =>
      loadConfig({ ...DEPLOYED, APP_STAGE: stage }).publicUrl.hostStyle;
    expect(style('development')).toBe('local');
    expect(style('test')).toBe('canonical');
    expect(style('staging')).toBe('canonical');
    expect(style('production')).toBe('canonical');
  });

  it.each(['staging', 'production'])('%s refuses local links', (stage) => {
    expect(problemsOf({ ...DEPLOYED, APP_STAGE: stage, PUBLIC_HOST_STYLE: 'local' })).toEqual([
      expect.stringMatching(/^PUBLIC_HOST_STYLE: .*refuses it$/),
    ]);
  });

  it('names each way of building links apart, so cached pages are never shared across them', () => {
    const tag = (env: Record<string, string>) =>
      linkOriginTag(loadConfig({ ...DEPLOYED, ...env }).publicUrl);
    const tags = [
      tag({ APP_STAGE: 'development', PORT: '8080' }),
      tag({ APP_STAGE: 'development', PORT: '8081' }),
      tag({ APP_STAGE: 'development', PORT: '8080', PUBLIC_HOST_STYLE: 'canonical' }),
      tag({ APP_STAGE: 'production' }),
      tag({ APP_STAGE: 'production', PUBLIC_SCHEME: 'http' }),
    ];
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('refuses a style it does not know', () => {
    expect(problemsOf({ PUBLIC_HOST_STYLE: 'pretty' })[0]).toMatch(/^PUBLIC_HOST_STYLE:/);
  });
});

describe('send limits by stage (RATE_LIMIT_PROFILE)', () => {
  it('gives development room to work, and staging and production the real limits', () => {
    const dev = loadConfig({ ...STORES, APP_STAGE: 'development' }).security;
    expect(dev.limitProfile).toBe('development');
    expect(dev.limits.ipSendsPerHour).toBeGreaterThanOrEqual(100);
    expect(dev.limits.senderSendsPerHour).toBeGreaterThanOrEqual(100);
    expect(dev.limits.composeChallengeAfter).toBeGreaterThanOrEqual(50);
    for (const stage of ['staging', 'production']) {
      const deployed = loadConfig({ ...DEPLOYED, APP_STAGE: stage }).security;
      expect(deployed.limitProfile).toBe('production');
      expect(deployed.limits).toEqual(DEFAULT_ABUSE_LIMITS);
    }
  });

  it('keeps the test stage on its own profile unless a test picks another', () => {
    expect(loadConfig({ APP_STAGE: 'test' }).security.limitProfile).toBe('test');
    const real = loadConfig({ APP_STAGE: 'test', RATE_LIMIT_PROFILE: 'production' }).security;
    expect(real.limits).toEqual(DEFAULT_ABUSE_LIMITS);
  });

  it.each([
    ['staging', 'development'],
    ['production', 'development'],
    ['production', 'test'],
  ])('%s refuses the relaxed %s profile', (stage, profile) => {
    expect(problemsOf({ ...DEPLOYED, APP_STAGE: stage, RATE_LIMIT_PROFILE: profile })).toEqual([
      `RATE_LIMIT_PROFILE: ${stage} refuses the relaxed "${profile}" limits`,
    ]);
  });

  it('lets one variable override one value of the profile', () => {
    const limits = loadConfig({
      ...STORES,
      APP_STAGE: 'development',
      RATE_LIMIT_IP_SENDS_PER_HOUR: '7',
    }).security.limits;
    expect(limits.ipSendsPerHour).toBe(7);
    expect(limits.senderSendsPerHour).toBeGreaterThanOrEqual(100);
  });
});
