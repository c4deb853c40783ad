import { loadConfig } from '../../src/config/app-config.js';
import { createRootLogger } from '../../src/platform/observability/logger.js';
import { NestPinoLogger } from '../../src/platform/observability/nest-pino-logger.js';

function capture(): { logger: ReturnType<typeof createRootLogger>; output: string[] } {
  const config = loadConfig({ APP_STAGE: 'test', APP_VERSION: '1.2.3', LOG_LEVEL: 'info' });
  const output: string[] = [];
  const logger = createRootLogger(config, 'worker', { write: (l: string) => void output.push(l) });
  return { logger, output };
}

describe('log redaction', () => {
  it('masks addresses in messages and errors, and censors personal fields', () => {
    const { logger, output } = capture();
    logger.warn('bounce from ann@example.com');
    logger.error({ err: new Error('SMTP 550 for bob@example.org') }, 'delivery failed');
    logger.info({ recipient: { email: 'cleo@example.net', name: 'Cleo' }, message: 'Hi' }, 'x');
    const text = output.join('');
    expect(text).not.toMatch(/@example\./);
    expect(text).not.toContain('Cleo');
    expect(text).not.toContain('"Hi"');
    expect(text).toContain('[email]');
    const first = JSON.parse(output[0] ?? '{}') as Record<string, unknown>;
    expect(first).toMatchObject({ version: '1.2.3', stage: 'test', process: 'worker' });
  });

  it('routes Nest logger calls into pino with their context, masking stacks', () => {
    const { logger, output } = capture();
    const nest = new NestPinoLogger(logger);
    nest.log('worker started', 'Worker');
    nest.error('boom', 'Error: to dan@example.com\n    at x', 'Errors');
    const [started, failed] = output.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(started).toMatchObject({ level: 'info', msg: 'worker started', context: 'Worker' });
    expect(failed).toMatchObject({ level: 'error', msg: 'boom', context: 'Errors' });
    expect(String(failed?.stack)).not.toContain('dan@example.com');
  });
});
