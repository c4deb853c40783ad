/**
 * Zipf-like popularity: item k (1-based) is picked with weight 1 / k^s, so on a holiday a few
 * cards take most views. Sampling is a binary search in the cumulative weights.
 */
export class Zipf<T> {
  private readonly cumulative: number[] = [];

  constructor(
    readonly items: readonly T[],
    exponent = 1.1,
  ) {
    if (items.length === 0) throw new Error('Zipf over no items');
    let total = 0;
    for (let k = 1; k <= items.length; k++) {
      total += 1 / k ** exponent;
      this.cumulative.push(total);
    }
  }

  /** Share of all picks that goes to the `n` most popular items. */
  topShare(n: number): number {
    const all = this.cumulative[this.cumulative.length - 1] ?? 1;
    return (this.cumulative[Math.min(n, this.items.length) - 1] ?? 0) / all;
  }

  pick(random: () => number = Math.random): T {
    const target = random() * (this.cumulative[this.cumulative.length - 1] ?? 0);
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] ?? 0) < target) lo = mid + 1;
      else hi = mid;
    }
    return this.items[lo] as T;
  }
}

/** A deterministic shuffle (mulberry32), so popularity ranks are the same run after run. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
