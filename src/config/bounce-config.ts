import { z } from 'zod';

/**
 * The sink side of delivery: the domain our envelope senders (VERP Return-Paths) live on and
 * the SMTP listener that takes bounces and feedback-loop reports for it. A site may have a
 * bounce domain of its own (`email.bounceDomain` in site.json); BOUNCE_DOMAIN serves the rest.
 */
export const bounceEnvShape = {
  BOUNCE_DOMAIN: z.hostname('must be a domain name').optional(),
  BOUNCE_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** 0 turns the listener off in this process. */
  BOUNCE_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  BOUNCE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(10 * 1024)
    .max(25 * 1024 * 1024)
    .default(1024 * 1024),
  BOUNCE_SOFT_LIMIT: z.coerce.number().int().min(1).max(1000).default(3),
  BOUNCE_SOFT_WINDOW_HOURS: z.coerce.number().gt(0).max(8760).default(168),
};

/** Mail to these domains never leaves a developer's machine: `.localhost` resolves nowhere else. */
export const DEV_BOUNCE_DOMAIN = 'bounces.localhost';
/** Not 25: that port needs root, and a laptop has its own mail system on it. */
export const DEFAULT_BOUNCE_SMTP_PORT = 2525;

export interface BounceConfig {
  /** The bounce domain of every site without one of its own. */
  domain: string;
  /** null: this process runs no listener (the test stage's default: many workers, one host). */
  listener: { host: string; port: number } | null;
  maxBytes: number;
  /** This many soft bounces of one address on one site within the window suppress it. */
  softLimit: number;
  softWindowMs: number;
}

export function bounceConfigOf(
  e: { APP_STAGE: string } & z.infer<z.ZodObject<typeof bounceEnvShape>>,
  problems: string[],
): BounceConfig {
  const local = e.APP_STAGE === 'development' || e.APP_STAGE === 'test';
  if (!e.BOUNCE_DOMAIN && !local) {
    problems.push('BOUNCE_DOMAIN: required outside development and test');
  }
  const port = e.BOUNCE_SMTP_PORT ?? (e.APP_STAGE === 'test' ? 0 : DEFAULT_BOUNCE_SMTP_PORT);
  return {
    domain: (e.BOUNCE_DOMAIN ?? DEV_BOUNCE_DOMAIN).toLowerCase(),
    listener: port === 0 ? null : { host: e.BOUNCE_SMTP_HOST, port },
    maxBytes: e.BOUNCE_MAX_BYTES,
    softLimit: e.BOUNCE_SOFT_LIMIT,
    softWindowMs: Math.round(e.BOUNCE_SOFT_WINDOW_HOURS * 3_600_000),
  };
}
