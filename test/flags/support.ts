import { randomBytes } from 'node:crypto';
import type { TestResponse } from '../support/http-client.js';

/** A namespace of its own, so this file's flips never reach another test's apps. */
export function flagNamespace(label: string): string {
  return `t-${label}-${randomBytes(4).toString('hex')}`;
}

export const ADMIN_TOKEN = 'development-only-admin-token';
export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** What a browser sends after its login prompt: HTTP Basic, any user, the token as password. */
export function basicAuth(password: string, user = 'operator'): { authorization: string } {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/**
 * The site ids behind `HOSTS`. Admin is served on the flagship's host only, so admin calls go
 * there and name the other sites with `?site=` or a body's `site`.
 */
export const SITES = { flagship: 'ecardia', partner: 'kindred', uk: 'merrypost' } as const;

export interface FlagsBody {
  site: string;
  items: { key: string; value: boolean; kind: string; description: string; source: string }[];
  autopilot: { shed: string[]; score: number };
}

export function flagOf(res: TestResponse, key: string): { value: boolean; source: string } {
  const item = res.json<FlagsBody>().items.find((i) => i.key === key);
  if (!item) throw new Error(`no flag ${key} in ${res.body}`);
  return { value: item.value, source: item.source };
}
