/** How often a page must be asked for, in how long, before the page cache keeps it. */
export interface PopularityRule {
  /** Requests within one window that make a page popular (the last of them is stored). */
  threshold: number;
  windowMs: number;
  /** Distinct pages counted per window; once full, new ones wait for the next window. */
  maxTracked: number;
}

export const POPULAR_SEARCHES: PopularityRule = {
  threshold: 3,
  windowMs: 60_000,
  maxTracked: 1000,
};

/**
 * Which pages of an open-ended kind (searches: any words make a URL) deserve a place in the
 * page cache. Counts requests per canonical key in fixed windows, with a bounded number of keys
 * per window, so a flood of made-up searches costs at most `maxTracked` counters and never
 * stores more than `maxTracked` pages a window. Consulted on a miss only: a stored page is
 * served and refreshed as any other.
 */
export class PopularPages {
  private readonly counts = new Map<string, number>();
  private windowEnds = 0;

  constructor(
    private readonly rule: PopularityRule,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts this request and answers whether the page may now be stored. */
  admit(key: string): boolean {
    const now = this.now();
    if (now >= this.windowEnds) {
      this.counts.clear();
      this.windowEnds = now + this.rule.windowMs;
    }
    const seen = this.counts.get(key);
    if (seen === undefined && this.counts.size >= this.rule.maxTracked) return false;
    const count = (seen ?? 0) + 1;
    this.counts.set(key, count);
    return count >= this.rule.threshold;
  }

  get tracked(): number {
    return this.counts.size;
  }
}
