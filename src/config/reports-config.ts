import { z } from 'zod';
import type { ApiKey } from './security-config.js';

/** Environment variables of the reports, merged into the one env schema of src/config. */
export const reportsEnvShape = {
  REPORT_ROLLUP_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  REPORT_FLUSH_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  REPORT_API_KEY_SITES: z.string().default(''),
};

export type ReportsEnv = z.infer<z.ZodObject<typeof reportsEnvShape>>;

export interface ReportsConfig {
  /** How often the worker rolls facts up into the hourly and daily tables. */
  rollupMs: number;
  /** How often a web process writes the page traffic it counted. */
  flushMs: number;
  /** API key name -> the one site whose reports it may read. */
  apiKeySites: ReadonlyMap<string, string>;
}

/**
 * REPORT_API_KEY_SITES: `keyname:siteid` pairs separated by commas. Each key must be one of
 * API_KEYS; a key not listed here reads no report at all.
 */
export function reportsConfigOf(
  e: ReportsEnv,
  apiKeys: readonly ApiKey[],
  problems: string[],
): ReportsConfig {
  const apiKeySites = new Map<string, string>();
  for (const part of e.REPORT_API_KEY_SITES.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const [name = '', site = '', extra] = entry.split(':').map((s) => s.trim());
    if (
      extra !== undefined ||
      !/^[A-Za-z0-9_.-]{1,40}$/.test(name) ||
      !/^[a-z0-9-]{1,32}$/.test(site)
    ) {
      problems.push('REPORT_API_KEY_SITES: each entry must be keyname:siteid');
      continue;
    }
    if (!apiKeys.some((k) => k.name === name)) {
      problems.push(`REPORT_API_KEY_SITES: "${name}" is not a key of API_KEYS`);
      continue;
    }
    if (apiKeySites.has(name)) {
      problems.push(`REPORT_API_KEY_SITES: the key "${name}" is bound twice`);
      continue;
    }
    apiKeySites.set(name, site);
  }
  return {
    rollupMs: e.REPORT_ROLLUP_SECONDS * 1000,
    flushMs: e.REPORT_FLUSH_SECONDS * 1000,
    apiKeySites,
  };
}
