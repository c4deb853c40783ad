import { Redis } from 'ioredis';
import { PageKeys } from '../../src/platform/cache/cache-keys.js';
import type { SignedInMember } from './members.js';
import { KINDS, type Kind } from './model.js';
import { Cell, type Recorder } from './recorder.js';

/** What one request class did over the whole run. */
export interface ClassFigures {
  kind: Kind;
  requests: number;
  ratePerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  cacheHitRatio: number | null;
}

export function classFigures(recorder: Recorder): ClassFigures[] {
  let seconds = 0;
  for (const name of recorder.stages.keys()) seconds += recorder.stageSeconds(name);
  const out: ClassFigures[] = [];
  for (const kind of KINDS) {
    const cell = new Cell();
    for (const cells of recorder.stages.values()) {
      const c = cells.get(kind);
      if (c) cell.merge(c);
    }
    if (cell.requests === 0 && cell.errors === 0) continue;
    out.push({
      kind,
      requests: cell.requests,
      ratePerSecond: cell.requests / Math.max(0.001, seconds),
      p50: cell.latency.percentile(50),
      p99: cell.latency.percentile(99),
      errors: cell.errors,
      cacheHitRatio: cell.cacheHitRatio,
    });
  }
  return out;
}

const pct = (r: number | null): string => (r === null ? '-' : `${(r * 100).toFixed(2)}%`);

/** The per-class table printed after the stage table. */
export function formatClasses(figures: readonly ClassFigures[]): string {
  const head = `${'class'.padEnd(13)}${'requests'.padStart(10)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'errors'.padStart(8)}${'cache hit'.padStart(11)}`;
  const lines = ['per request class, whole run:', head, '-'.repeat(head.length)];
  for (const f of figures) {
    lines.push(
      `${f.kind.padEnd(13)}${String(f.requests).padStart(10)}${f.ratePerSecond.toFixed(1).padStart(10)}${f.p50.toFixed(2).padStart(10)}${f.p99.toFixed(2).padStart(10)}${String(f.errors).padStart(8)}${pct(f.cacheHitRatio).padStart(11)}`,
    );
  }
  return lines.join('\n');
}

/** Card pages' cache hit ratio for anonymous visitors and for members, side by side. */
export function cardCacheLine(figures: readonly ClassFigures[]): string | null {
  const anonymous = figures.find((f) => f.kind === 'card');
  const members = figures.find((f) => f.kind === 'm-card');
  if (!anonymous || !members) return null;
  return `card pages cache hit ratio: anonymous ${pct(anonymous.cacheHitRatio)} of ${anonymous.requests}, members ${pct(members.cacheHitRatio)} of ${members.requests}`;
}

/**
 * Every shared page entry in the page cache's Redis, searched for each member's name and
 * address (as the member-pages cache test does): a cached page must hold no one's data.
 */
export async function scanCachedPages(
  redisCacheUrl: string,
  members: readonly SignedInMember[],
): Promise<{ entries: number; leaks: string[] }> {
  const redis = new Redis(redisCacheUrl, { maxRetriesPerRequest: 1 });
  const leaks: string[] = [];
  let entries = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        PageKeys.redisEntry('*'),
        'COUNT',
        500,
      );
      cursor = next;
      entries += keys.length;
      const bodies = keys.length > 0 ? await redis.mgetBuffer(...keys) : [];
      bodies.forEach((body, i) => {
        if (!body) return;
        const text = body.toString('utf8');
        for (const m of members) {
          if (text.includes(m.email) || text.includes(m.displayName) || text.includes(m.cookie)) {
            leaks.push(`${keys[i] ?? '?'} holds ${m.email}'s data`);
          }
        }
      });
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return { entries, leaks };
}
