import type { RoutePolicy } from '../http/edge/route-policy.js';
import { LATENCY_BOUNDS_MS, OVER_LAST_BOUND } from './report-outcomes.js';

const HOUR_MS = 3_600_000;
/** Bounds the slugs kept per site and hour; the rest count towards the site's total only. */
const MAX_SLUGS = 5000;

/** What a route's policy says a response of it counts as: a page view, a card's, an occasion's. */
type PageView = RoutePolicy['pageView'];

/** One site's traffic in one hour, not yet written. */
interface HourTally {
  siteId: string;
  hour: number;
  requests: number;
  serverErrors: number;
  /** Counts per latency bucket, the last one above every bound. */
  latency: number[];
  pageViews: number;
  cards: Map<string, number>;
  occasions: Map<string, number>;
}

/** An aggregate row to add: site, hour start, metric, dimension, its value, the count. */
export type TrafficRow = [string, Date, string, string, string, number];

function newTally(siteId: string, hour: number): HourTally {
  return {
    siteId,
    hour,
    requests: 0,
    serverErrors: 0,
    latency: new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0),
    pageViews: 0,
    cards: new Map(),
    occasions: new Map(),
  };
}

function bump(counts: Map<string, number>, slug: string): boolean {
  const known = counts.get(slug);
  if (known !== undefined) counts.set(slug, known + 1);
  else if (counts.size < MAX_SLUGS) counts.set(slug, 1);
  else return false;
  return true;
}

/**
 * Page traffic per site and hour, counted in this process's memory on every response (page-cache
 * hits included) and handed out as aggregate rows by `drain`: requests, server errors, latency
 * buckets, page views, and views per card and occasion. A response costs a map read and a few
 * increments; nothing is written per request.
 */
export class ReportTraffic {
  private readonly current = new Map<string, HourTally>();
  private finished: HourTally[] = [];

  record(
    siteId: string,
    pageView: PageView,
    method: string,
    status: number,
    elapsedMs: number,
    slug: string | undefined,
    now = Date.now(),
  ): void {
    let tally = this.current.get(siteId);
    if (tally === undefined || now >= tally.hour + HOUR_MS) {
      if (tally !== undefined) this.finished.push(tally);
      tally = newTally(siteId, now - (now % HOUR_MS));
      this.current.set(siteId, tally);
    }
    tally.requests++;
    if (status >= 500) tally.serverErrors++;
    let bucket = 0;
    while (bucket < LATENCY_BOUNDS_MS.length && elapsedMs > (LATENCY_BOUNDS_MS[bucket] ?? 0)) {
      bucket++;
    }
    tally.latency[bucket] = (tally.latency[bucket] ?? 0) + 1;
    if (status !== 200 || method !== 'GET' || pageView === undefined) return;
    tally.pageViews++;
    if (slug === undefined) return;
    if (pageView === 'card') bump(tally.cards, slug);
    else if (pageView === 'occasion') bump(tally.occasions, slug);
  }

  /** Everything counted so far, as rows to add; the counts start again from zero. */
  drain(): TrafficRow[] {
    const tallies = [...this.finished, ...this.current.values()];
    this.finished = [];
    this.current.clear();
    const rows: TrafficRow[] = [];
    for (const t of tallies) {
      const hour = new Date(t.hour);
      const add = (metric: string, dimension: string, value: string, count: number) => {
        if (count > 0) rows.push([t.siteId, hour, metric, dimension, value, count]);
      };
      add('requests', '', '', t.requests);
      add('server-errors', '', '', t.serverErrors);
      t.latency.forEach((count, i) => {
        add('latency', 'le', String(LATENCY_BOUNDS_MS[i] ?? OVER_LAST_BOUND), count);
      });
      add('page-views', '', '', t.pageViews);
      for (const [slug, count] of t.cards) add('page-views', 'card', slug, count);
      for (const [slug, count] of t.occasions) add('page-views', 'occasion', slug, count);
    }
    return rows;
  }
}
