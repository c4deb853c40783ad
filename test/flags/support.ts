import { randomBytes } from 'node:crypto';
import type { TestResponse } from '../support/http-client.js';

/** A namespace of its own, so this file's flips never reach another test's apps. */
export function flagNamespace(label: string): string {
  return `t-${label}-${randomBytes(4).toString('hex')}`;
}

export const ADMIN = { authorization: 'Bearer development-only-admin-token' };

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
