import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type Client, NOOP_PROVIDER, OpenFeature } from '@openfeature/server-sdk';
import { randomUUID } from 'node:crypto';
import type { Site } from '../sites/site.js';
import { EcardFlagProvider, SITE_ATTRIBUTE } from './ecard-flag-provider.js';
import {
  FLAG_KEYS,
  FLAGS,
  type FlagKey,
  type FlagKind,
  PAGE_FLAGS,
} from '../config/flag-registry.js';
import type { FlagSnapshot, FlagSource } from './flag-snapshot.js';
import { flagEvaluations } from './flag-metrics.js';
import { FlagStore } from './flag-store.service.js';
import { innerMap } from '../common/inner-map.js';

export interface EvaluatedFlag {
  key: FlagKey;
  value: boolean;
  kind: FlagKind;
  description: string;
  source: FlagSource | 'error';
  /** OpenFeature's reason: STATIC, SPLIT, DEFAULT, DISABLED (shed), STALE, ERROR. */
  reason: string;
}

export type PageFeatures = Record<FlagKey, boolean>;

/** The page flags of one site for one snapshot: the evaluation, and its value once settled. */
interface PageFeaturesAnswer {
  promise: Promise<Readonly<PageFeatures>>;
  settled: Readonly<PageFeatures> | undefined;
}

/**
 * What the rest of the code asks: "is this feature on for this site (and visitor)?". Answers
 * go through the OpenFeature client with the platform's provider. Never throws: an error
 * yields the declared default, with the reason recorded and counted.
 */
@Injectable()
export class FeatureFlags implements OnApplicationShutdown {
  private readonly logger = new Logger('Flags');
  private readonly client: Client;
  private readonly domain = `ecard-${randomUUID()}`;
  /** Tallies by flag, then by source: found without building a key string per evaluation. */
  private readonly counters = new Map<FlagKey, Map<string, { inc(): void }>>();
  private readonly siteWideOf = new WeakMap<FlagSnapshot, Map<string, Promise<EvaluatedFlag>>>();
  private readonly pageFeaturesOf = new WeakMap<FlagSnapshot, Map<string, PageFeaturesAnswer>>();

  constructor(private readonly store: FlagStore) {
    // A domain of its own: OpenFeature's API is a process singleton, and tests run several apps.
    OpenFeature.setProvider(this.domain, new EcardFlagProvider(store));
    this.client = OpenFeature.getClient(this.domain);
  }

  /**
   * A flag no rollout splits is the same for every visitor of a site until the snapshot
   * changes, so it goes through OpenFeature once per snapshot, site and flag (each answer is
   * still counted). Mid-rollout flags are evaluated per visitor on every call.
   */
  async isEnabled(site: Site | string, key: FlagKey, visitorKey?: string): Promise<boolean> {
    const siteId = typeof site === 'string' ? site : site.id;
    const snapshot = this.store.snapshot;
    if (visitorKey !== undefined && snapshot.dependsOnVisitor(siteId, key)) {
      return (await this.evaluate(siteId, key, visitorKey)).value;
    }
    let fresh = false;
    const flag = await memoised(this.siteWideOf, snapshot, `${siteId}|${key}`, () => {
      fresh = true;
      return this.evaluate(siteId, key);
    });
    // evaluate() counted the first answer; the remembered ones are counted here.
    if (!fresh) this.count(key, flag.source);
    return flag.value;
  }

  /**
   * The flags pages show, evaluated for the site (never per visitor: pages are shared). They
   * only change with the snapshot (overrides, levels, sheds all make a new one), so they are
   * evaluated through OpenFeature once per snapshot and site, not on every render.
   */
  async pageFeatures(site: Site): Promise<Readonly<PageFeatures>> {
    const answer = this.pageFeaturesAnswer(site);
    return answer.settled ?? answer.promise;
  }

  /**
   * The page flags once their evaluation for this snapshot has settled, without a promise;
   * undefined while it has not (it is started if need be: `pageFeatures` waits for it).
   */
  settledPageFeatures(site: Site): Readonly<PageFeatures> | undefined {
    return this.pageFeaturesAnswer(site).settled;
  }

  private pageFeaturesAnswer(site: Site): PageFeaturesAnswer {
    return memoised(this.pageFeaturesOf, this.store.snapshot, site.id, () => {
      const pending: PageFeaturesAnswer = {
        settled: undefined,
        promise: this.evaluatePageFeatures(site),
      };
      void pending.promise.then(
        (features) => (pending.settled = features),
        () => undefined,
      );
      return pending;
    });
  }

  private async evaluatePageFeatures(site: Site): Promise<Readonly<PageFeatures>> {
    const features = {} as PageFeatures;
    for (const key of FLAG_KEYS) features[key] = FLAGS[key].defaultValue;
    const values = await Promise.all(PAGE_FLAGS.map((key) => this.evaluate(site.id, key)));
    for (const flag of values) features[flag.key] = flag.value;
    return Object.freeze(features);
  }

  /** Every flag as evaluated for a site, for the admin API and page. */
  all(siteId: string, visitorKey?: string): Promise<EvaluatedFlag[]> {
    return Promise.all(FLAG_KEYS.map((key) => this.evaluate(siteId, key, visitorKey)));
  }

  /**
   * The same answer without a promise, for the page-cache hit path where one per request would
   * show: read straight from the snapshot the provider reads, and counted like the others.
   */
  peek(siteId: string, key: FlagKey): boolean {
    const result = this.store.snapshot.evaluate(siteId, key);
    this.count(key, result.source);
    return result.value;
  }

  /** A precomputed string per site for the page cache key: no work on the hit path. */
  pageVariant(siteId: string): string {
    return this.store.snapshot.pageVariant(siteId);
  }

  async evaluate(siteId: string, key: FlagKey, visitorKey?: string): Promise<EvaluatedFlag> {
    const definition = FLAGS[key];
    let value: boolean = definition.defaultValue;
    let source: FlagSource | 'error' = 'error';
    let reason = 'ERROR';
    try {
      const details = await this.client.getBooleanDetails(key, definition.defaultValue, {
        [SITE_ATTRIBUTE]: siteId,
        ...(visitorKey === undefined ? {} : { targetingKey: visitorKey }),
      });
      value = details.value;
      reason = details.reason ?? 'UNKNOWN';
      source = details.errorCode
        ? 'error'
        : ((details.variant as FlagSource | undefined) ?? 'default');
    } catch (error) {
      this.logger.warn(
        `flag ${key} evaluation failed, using its default: ${(error as Error).message}`,
      );
    }
    this.count(key, source);
    return {
      key,
      value,
      kind: definition.kind,
      description: definition.description,
      source,
      reason,
    };
  }

  /** Lets go of this app's provider (and through it the store) in the process-wide API. */
  async onApplicationShutdown(): Promise<void> {
    await OpenFeature.setProviderAndWait(this.domain, NOOP_PROVIDER);
  }

  private count(key: FlagKey, source: string): void {
    const bySource = innerMap(this.counters, key);
    let counter = bySource.get(source);
    if (!counter) {
      counter = flagEvaluations.tally({ flag: key, source });
      bySource.set(source, counter);
    }
    counter.inc();
  }
}

/** The value remembered under `id` for this snapshot, made by `make` the first time. */
function memoised<T>(
  bySnapshot: WeakMap<FlagSnapshot, Map<string, T>>,
  snapshot: FlagSnapshot,
  id: string,
  make: () => T,
): T {
  const byId = innerMap(bySnapshot, snapshot);
  let value = byId.get(id);
  if (value === undefined) {
    value = make();
    byId.set(id, value);
  }
  return value;
}
