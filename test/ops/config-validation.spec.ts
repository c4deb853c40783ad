import { ConfigError, loadConfig } from '../../src/config/app-config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration validation', () => {
  it('lists every problem at once: invalid values and missing ones together', () => {
    const problems = problemsOf({
      APP_STAGE: 'production',
      PORT: 'eighty',
      WORKER_METRICS_PORT: '-1',
      WATCHDOG_HEARTBEAT_TIMEOUT: 'soon',
      DATABASE_URL: 'not a url',
      ADMIN_TOKEN: 'short',
    });
    const keys = problems.map((p) => p.split(':')[0]);
    expect(keys).toEqual(
      expect.arrayContaining([
        'PORT',
        'WORKER_METRICS_PORT',
        'WATCHDOG_HEARTBEAT_TIMEOUT',
        'DATABASE_URL',
        'REDIS_URL',
        'PICKUP_TOKEN_SECRET',
        'SMTP_URL',
        'ADMIN_TOKEN',
        'ALTCHA_HMAC_KEY',
      ]),
    );
    // An invalid DATABASE_URL is reported once, as invalid, not again as missing.
    expect(keys.filter((k) => k === 'DATABASE_URL')).toHaveLength(1);
  });

  it('refuses unsafe settings in production that other stages accept', () => {
    const unsafe = {
      DATABASE_URL: 'mysql://ecard@db.internal/ecard',
      REDIS_URL: 'redis://redis.internal:6379',
      SMTP_URL: 'smtp://mail.internal:25',
      PICKUP_TOKEN_SECRET: 'x'.repeat(16),
      ADMIN_TOKEN: 'y'.repeat(16),
      ALTCHA_HMAC_KEY: 'z'.repeat(16),
      BOUNCE_DOMAIN: 'bounces.ecard.example',
      DKIM_KEY_ENCRYPTION_KEY: 'q3VhKx8ZbN2mT7cR4wY9fL1pD6sG0jHaE5uI8oB2nCk=',
      OPS_ALERT_WEBHOOK_URL: 'http://alerts.internal/hook',
      WORKER_HEARTBEAT_MS: '10000',
      WATCHDOG_HEARTBEAT_TIMEOUT: '15000',
    };
    expect(problemsOf({ ...unsafe, APP_STAGE: 'staging' })).toEqual([]);
    const problems = problemsOf({ ...unsafe, APP_STAGE: 'production' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'ADMIN_TOKEN',
      'ALTCHA_HMAC_KEY',
      'DATABASE_URL',
      'OPS_ALERT_WEBHOOK_URL',
      'PICKUP_TOKEN_SECRET',
      'REDIS_URL',
      'WATCHDOG_HEARTBEAT_TIMEOUT',
    ]);
  });

  it('gives the worker a metrics port by default except in tests, and 0 turns it off', () => {
    // Stores named, so the local services' credentials file is not needed.
    const stores = { DATABASE_URL: 'mysql://ecard:pw@db.local/ecard', REDIS_URL: 'redis://:pw@r' };
    expect(loadConfig({ ...stores, APP_STAGE: 'development' }).ops.workerMetricsPort).toBe(9464);
    expect(loadConfig({ ...stores, APP_STAGE: 'test' }).ops.workerMetricsPort).toBeNull();
    expect(loadConfig({ ...stores, WORKER_METRICS_PORT: '0' }).ops.workerMetricsPort).toBeNull();
    expect(loadConfig({ ...stores, WORKER_METRICS_PORT: '9500' }).ops.workerMetricsPort).toBe(9500);
  });
});
