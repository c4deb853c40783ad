import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { createWebApp } from '../../src/web-app.js';
import { freePort } from './free-port.js';
import { send, type TestRequest, type TestResponse } from './http-client.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  port: number;
  /** A real HTTP request to this app on loopback. */
  request(options: TestRequest): Promise<TestResponse>;
  /** The Prometheus text from the app's own metrics port (never the sites' port). */
  scrapeMetrics(): Promise<string>;
  close(): Promise<void>;
}

export const HOSTS = {
  flagship: 'www.ecardia.example',
  partner: 'cards.kindredpaper.example',
  uk: 'www.merrypost.example',
} as const;

/** The run's own database and Redis come from the environment (see global-setup.mjs). */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    ...process.env,
    APP_STAGE: 'test',
    LOG_LEVEL: 'silent',
    PORT: '8080',
    // Bull Board's file server loads modules jest cannot; its own test runs a real process.
    QUEUE_DASHBOARD: 'false',
    ...env,
  });
}

/**
 * The web app on a free loopback port. Public URLs keep port 8080 (PUBLIC_PORT), so absolute
 * links in assertions do not depend on which port a run happened to get.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const [port, metricsPort] = await Promise.all([freePort(), freePort()]);
  const config = testConfig({
    PORT: String(port),
    PUBLIC_PORT: '8080',
    METRICS_PORT: String(metricsPort),
    ...env,
  });
  const app = await createWebApp(config);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    config,
    port,
    request: (options) => send(port, options),
    scrapeMetrics: async () => {
      const metricsPort = config.ops.webMetricsPort ?? 0;
      return (await send(metricsPort, { method: 'GET', url: '/metrics', host: 'localhost' })).body;
    },
    close: () => app.close(),
  };
}

/**
 * The environment that gives a file's apps a key prefix of their own, under the run's: its
 * purge channel is then the file's, so other files' purges cannot empty its pages, and the
 * global teardown, which removes every key under the run's prefix, removes its keys too.
 */
export function ownKeyPrefix(name: string): { QUEUE_PREFIX: string } {
  return { QUEUE_PREFIX: `${process.env.QUEUE_PREFIX ?? 'ecard-test'}-${name}` };
}

/** Slug of the first card a site lists (optionally within an occasion). */
export async function firstCardSlug(
  app: TestApp,
  host: string,
  occasion?: string,
): Promise<string> {
  const query = occasion ? `?occasion=${occasion}&limit=1` : '?limit=1';
  const res = await app.request({ method: 'GET', url: `/api/cards${query}`, host });
  const slug = res.json<{ items: { slug: string }[] }>().items[0]?.slug;
  if (!slug) throw new Error(`${host} lists no card${occasion ? ` for ${occasion}` : ''}`);
  return slug;
}
