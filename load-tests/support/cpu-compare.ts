import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { median } from './load.js';
import type { RunningServer } from './servers.js';

export interface CpuComparison {
  /** Printed before each figure, e.g. "bench:page-cache-cpu". */
  name: string;
  /** Label of the baseline in the printed rows. */
  baselineLabel: string;
  stack: RunningServer;
  baseline: RunningServer;
  path: string;
  host: string;
  rounds: number;
  seconds: number;
  /** Connections to each server; both are loaded at the same time. */
  connections: number;
  /** Request headers besides Host, for each side (the same request unless they differ). */
  stackHeaders?: Record<string, string>;
  baselineHeaders?: Record<string, string>;
}

/** User plus system CPU of a process so far, in microseconds (Linux: clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/**
 * CPU per request of the stack and a baseline loaded at the same time by one generator, read
 * from /proc for each process. Alternating rounds measure the machine's mood as much as the
 * servers (a round's rate moves by a third from one five seconds to the next); loaded
 * together, both servers live through the same seconds, and the same server against itself
 * measures 0.98–1.01. One unmeasured round first warms both. Returns the median ratio,
 * the baseline's CPU over the stack's: above 1, the stack spends less.
 */
export async function compareCpu(c: CpuComparison): Promise<number> {
  const load = (server: RunningServer, headers: Record<string, string> = {}) =>
    autocannon({
      url: `${server.url}${c.path}`,
      connections: c.connections,
      duration: c.seconds,
      headers: { ...headers, host: c.host },
    });
  const both = () =>
    Promise.all([load(c.stack, c.stackHeaders), load(c.baseline, c.baselineHeaders)]);
  await both();
  const ratios: number[] = [];
  for (let round = 1; round <= c.rounds; round++) {
    const before = [cpuMicros(c.stack.pid), cpuMicros(c.baseline.pid)];
    const [s, b] = await both();
    if (s.non2xx + s.errors + b.non2xx + b.errors > 0) throw new Error('a request failed');
    const stackCpu = (cpuMicros(c.stack.pid) - (before[0] ?? 0)) / s.requests.total;
    const baseCpu = (cpuMicros(c.baseline.pid) - (before[1] ?? 0)) / b.requests.total;
    ratios.push(baseCpu / stackCpu);
    console.log(
      `  round ${round}: stack ${stackCpu.toFixed(1)} µs, ${c.baselineLabel} ${baseCpu.toFixed(1)} µs per request, ratio ${(baseCpu / stackCpu).toFixed(3)}`,
    );
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  const ratio = median(ratios);
  console.log(
    `${c.name}: ${c.baselineLabel}: median ratio of CPU per request ${ratio.toFixed(3)} (rounds ${sorted[0]?.toFixed(3)}–${sorted.at(-1)?.toFixed(3)}; above 1, the stack spends less)`,
  );
  return ratio;
}

/** Rounds, seconds and connections to each server, overridable from the environment. */
export function cpuBenchSettings(): Pick<CpuComparison, 'rounds' | 'seconds' | 'connections'> {
  return {
    rounds: Number(process.env.BENCH_ROUNDS ?? 6),
    seconds: Number(process.env.BENCH_SECONDS ?? 5),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 20),
  };
}
