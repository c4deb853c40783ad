import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { type AppConfig } from '../../../src/config/app-config.js';
import { createWebApp } from '../../../src/web-app.js';
import { createRootLogger } from '../../../src/platform/observability/logger.js';
import { freePort } from '../../support/free-port.js';
import { send, type TestRequest, type TestResponse } from '../../support/http-client.js';
import { testConfig } from '../../support/test-app.js';

export interface LogLine {
  [field: string]: unknown;
}

export interface ObservedApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Every line the app logged so far, raw as written. */
  output: string[];
  /** The lines parsed as JSON (a line that is not JSON fails the parse, and the test). */
  lines(): LogLine[];
  request(options: TestRequest): Promise<TestResponse>;
  close(): Promise<void>;
}

/** The real web app on a free port, its log lines captured in memory instead of stdout. */
export async function startObservedApp(env: Record<string, string> = {}): Promise<ObservedApp> {
  const port = await freePort();
  const config = testConfig({ PORT: String(port), PUBLIC_PORT: '8080', LOG_LEVEL: 'info', ...env });
  const output: string[] = [];
  const destination: DestinationStream = { write: (line: string) => void output.push(line) };
  const app = await createWebApp(config, createRootLogger(config, 'web', destination));
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    config,
    output,
    lines: () => output.map((line) => JSON.parse(line) as LogLine),
    request: (options) => send(port, options),
    close: () => app.close(),
  };
}
