import { formatRate, median, runLoad } from './load.js';

export interface Comparison {
  name: string;
  /** Label of the baseline in the printed rows, e.g. "bare" or "nunjucks alone". */
  baselineLabel: string;
  stackUrl: string;
  baselineUrl: string;
  host: string;
  /** Request headers besides Host, the same for both sides (Accept-Encoding, say). */
  headers?: Record<string, string>;
  target: number;
  rounds: number;
  seconds: number;
  connections: number;
}

/**
 * Alternates the platform and its baseline round by round with one load generator, prints
 * every round and the median ratio, and returns whether the target was met without errors.
 *
 * Each side first gets one unmeasured round at the measured load: the platform has far more
 * code for the JIT to optimise than a bare server, and its first loaded seconds (8,442 req/s
 * in a first round, then 10,697 and 11,564 for a cached page) measured that warm-up rather
 * than the path under test.
 */
export async function alternate(c: Comparison): Promise<boolean> {
  const ratios: number[] = [];
  const stackRates: number[] = [];
  const baseRates: number[] = [];
  let errors = 0;
  const load = {
    host: c.host,
    headers: c.headers,
    connections: c.connections,
    durationSeconds: c.seconds,
  };
  const warmStack = await runLoad({ url: c.stackUrl, ...load });
  const warmBase = await runLoad({ url: c.baselineUrl, ...load });
  console.log(
    `  warm-up round (not counted): stack ${formatRate(warmStack.requestsPerSecond)}  ${c.baselineLabel} ${formatRate(warmBase.requestsPerSecond)}`,
  );
  for (let round = 1; round <= c.rounds; round++) {
    const s = await runLoad({ url: c.stackUrl, ...load });
    const b = await runLoad({ url: c.baselineUrl, ...load });
    errors += s.errors + s.non2xx + b.errors + b.non2xx;
    stackRates.push(s.requestsPerSecond);
    baseRates.push(b.requestsPerSecond);
    ratios.push(s.requestsPerSecond / b.requestsPerSecond);
    console.log(
      `  round ${round}: stack ${formatRate(s.requestsPerSecond)} (p99 ${s.p99} ms)  ${c.baselineLabel} ${formatRate(b.requestsPerSecond)} (p99 ${b.p99} ms)  ratio ${(s.requestsPerSecond / b.requestsPerSecond).toFixed(3)}`,
    );
  }
  const ratio = median(ratios);
  console.log(
    `${c.name}: stack ${formatRate(median(stackRates))}, ${c.baselineLabel} ${formatRate(median(baseRates))}, median ratio ${ratio.toFixed(3)} (target >= ${c.target.toFixed(2)}), errors ${errors}`,
  );
  return ratio >= c.target && errors === 0;
}

/** Rounds, seconds and connections, overridable from the environment. */
export function benchSettings(): { rounds: number; seconds: number; connections: number } {
  return {
    rounds: Number(process.env.BENCH_ROUNDS ?? 3),
    seconds: Number(process.env.BENCH_SECONDS ?? 5),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  };
}
