import { LRUCache } from 'lru-cache';

/** Longer than any IANA name; a longer string is not looked up at all. */
const MAX_NAME_LENGTH = 64;

/** The zones Intl lists, by lower-cased name: the usual spelling of every zone, any case. */
const LISTED = new Map<string, string>(
  [...Intl.supportedValuesOf('timeZone'), 'UTC'].map((zone) => [zone.toLowerCase(), zone]),
);
const CANONICAL = new Set(LISTED.values());

/**
 * Other spellings (aliases such as "US/Eastern", and junk), each resolved by Intl once. A
 * client chooses these strings, so they are remembered in a bounded cache, never a plain map.
 */
const OTHER_SPELLINGS = new LRUCache<string, string | false>({ max: 512 });

/**
 * The zone's canonical name ("europe/LONDON" and "GB" give "Europe/London"), or null when
 * Intl knows no such zone. Whatever is kept per zone (an Intl formatter holds tens of
 * kilobytes outside the V8 heap) is kept under this name, so what a process holds is bounded
 * by the zones that exist, not by the spellings clients send.
 */
export function canonicalTimeZone(name: string): string | null {
  if (CANONICAL.has(name)) return name;
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return null;
  const listed = LISTED.get(name.toLowerCase());
  if (listed !== undefined) return listed;
  let resolved = OTHER_SPELLINGS.get(name);
  if (resolved === undefined) {
    try {
      resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      resolved = false;
    }
    OTHER_SPELLINGS.set(name, resolved);
  }
  return resolved === false ? null : resolved;
}
