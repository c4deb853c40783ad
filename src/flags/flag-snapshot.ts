import { FLAG_KEYS, FLAGS, type FlagKey, PAGE_FLAGS } from '../config/flag-registry.js';

/** Where an evaluated value came from, most specific first. */
export type FlagSource =
  | 'autopilot'
  | 'site-override'
  | 'site-rollout'
  | 'global-override'
  | 'global-rollout'
  | 'site-default'
  | 'default';

/** An operator's override as stored: global when siteId is null. */
export interface FlagOverride {
  flagKey: FlagKey;
  siteId: string | null;
  value: boolean;
  /** Share of visitors (0-100) who get the value; null means everyone. */
  percentage: number | null;
}

export interface SiteFlagDefaults {
  id: string;
  features: Partial<Record<FlagKey, boolean>>;
  /**
   * The site's stored version, part of its page variant: a process that has applied a change
   * never serves a page another process cached from the version before.
   */
  revision?: number;
}

export interface FlagEvaluation {
  value: boolean;
  source: FlagSource;
}

/** A percentage layer that applies only to the visitors its hash puts inside the share. */
interface Rollout {
  value: boolean;
  /** In hundredths of a percent, compared with the visitor's bucket (0-9999). */
  threshold: number;
  source: 'site-rollout' | 'global-rollout';
}

interface CompiledFlag {
  /** The value for a visitor in no rollout (and for pages the same for everyone). */
  base: FlagEvaluation;
  /** Partial rollouts above the base, most specific first. */
  rollouts: readonly Rollout[];
}

/**
 * Everything a process needs to evaluate flags without I/O: for each site and flag the layers
 * already resolved, plus each site's page variant. Built whole on every change and swapped in
 * one assignment, so a request never sees half of one snapshot and half of another.
 */
export class FlagSnapshot {
  private readonly bySite = new Map<string, Map<FlagKey, CompiledFlag>>();
  private readonly variants = new Map<string, string>();
  private readonly global: Map<FlagKey, CompiledFlag>;

  constructor(
    sites: readonly SiteFlagDefaults[],
    overrides: readonly FlagOverride[],
    readonly shed: ReadonlySet<FlagKey>,
    readonly version: number,
    /** Prepended to every page variant (the app version), so the hit path reads one string. */
    variantPrefix = '',
  ) {
    for (const site of sites) {
      const compiled = compileSite(site, overrides, shed);
      this.bySite.set(site.id, compiled);
      const bits = PAGE_FLAGS.map((k) => (compiled.get(k)?.base.value ? 1 : 0)).join('');
      const revision = site.revision ? `.r${site.revision}` : '';
      this.variants.set(site.id, `${variantPrefix}.f${bits}${revision}`);
    }
    this.global = compileSite({ id: '', features: {} }, overrides, shed);
  }

  /**
   * The value for a site (and, for rollouts, a visitor). Unknown sites get the global layers,
   * so a site added later still honours global overrides.
   */
  evaluate(siteId: string, key: FlagKey, visitorKey?: string): FlagEvaluation {
    const flag = (this.bySite.get(siteId) ?? this.global).get(key);
    if (!flag) return { value: FLAGS[key].defaultValue, source: 'default' };
    if (visitorKey !== undefined && flag.rollouts.length > 0) {
      const bucket = visitorBucket(key, visitorKey);
      for (const rollout of flag.rollouts) {
        if (bucket < rollout.threshold) return { value: rollout.value, source: rollout.source };
      }
    }
    return flag.base;
  }

  /** Whether a visitor can get another value than the site's: a rollout is under way. */
  dependsOnVisitor(siteId: string, key: FlagKey): boolean {
    return ((this.bySite.get(siteId) ?? this.global).get(key)?.rollouts.length ?? 0) > 0;
  }

  /**
   * The page-affecting flags' values for a site, as a short string: equal values give equal
   * variants in every process, so processes share cached pages until their values differ.
   */
  pageVariant(siteId: string): string {
    return this.variants.get(siteId) ?? '';
  }
}

function compileSite(
  site: SiteFlagDefaults,
  overrides: readonly FlagOverride[],
  shed: ReadonlySet<FlagKey>,
): Map<FlagKey, CompiledFlag> {
  const compiled = new Map<FlagKey, CompiledFlag>();
  for (const key of FLAG_KEYS) {
    if (shed.has(key)) {
      compiled.set(key, { base: { value: false, source: 'autopilot' }, rollouts: [] });
      continue;
    }
    const siteDefault = site.features[key];
    let base: FlagEvaluation =
      siteDefault === undefined
        ? { value: FLAGS[key].defaultValue, source: 'default' }
        : { value: siteDefault, source: 'site-default' };
    const rollouts: Rollout[] = [];
    // Most specific first: the site's own override, then the global one.
    const layers = [
      overrides.find((o) => o.flagKey === key && site.id !== '' && o.siteId === site.id),
      overrides.find((o) => o.flagKey === key && o.siteId === null),
    ];
    for (const [index, layer] of layers.entries()) {
      if (!layer) continue;
      const isSite = index === 0;
      if (layer.percentage === null || layer.percentage >= 100) {
        base = { value: layer.value, source: isSite ? 'site-override' : 'global-override' };
        break;
      }
      if (layer.percentage > 0) {
        rollouts.push({
          value: layer.value,
          threshold: Math.round(layer.percentage * 100),
          source: isSite ? 'site-rollout' : 'global-rollout',
        });
      }
    }
    compiled.set(key, { base, rollouts });
  }
  return compiled;
}

/**
 * A visitor's stable bucket (0-9999) for one flag: FNV-1a over the flag key and the visitor
 * key, so a visitor keeps their answer across requests and processes, and the buckets of two
 * flags are independent.
 */
export function visitorBucket(key: string, visitorKey: string): number {
  let hash = 0x811c9dc5;
  const text = `${key}:${visitorKey}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // FNV's low bits mix poorly for short keys; fold the high half in before taking the bucket.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x45d9f3b);
  hash ^= hash >>> 16;
  return (hash >>> 0) % 10000;
}
