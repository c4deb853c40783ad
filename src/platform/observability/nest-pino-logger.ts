import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';
import { maskEmails } from './log-redaction.js';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's logger calls routed into pino, so framework lines and `new Logger(...)` lines in
 * services come out as the same JSON as request lines. Nest passes the context as the last
 * argument and, for errors, a stack trace before it.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const last = params.at(-1);
    const context = typeof last === 'string' && params.length > 0 ? last : undefined;
    const stack = level === 'error' && params.length > 1 ? params[0] : undefined;
    const fields: Record<string, unknown> = { context };
    if (typeof stack === 'string') fields.stack = maskEmails(stack);
    if (message instanceof Error) {
      fields.err = message;
      this.logger[level](fields, message.message);
    } else if (typeof message === 'string') {
      this.logger[level](fields, message);
    } else {
      // Objects go under one key so the redact list (`*.email`, ...) still reaches them.
      fields.data = message;
      this.logger[level](fields);
    }
  }
}
