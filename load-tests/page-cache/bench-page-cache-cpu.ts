import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { median } from '../support/load.js';
import { prepareLocalStack } from '../support/processes.js';
import { replayableHeaders, writeHeadersFile } from '../support/response-headers.js';
import {
  BENCH_HOST,
  firstCardPath,
  type RunningServer,
  startServer,
  startStack,
  warmUp,
  withServers,
} from '../support/servers.js';

/**
 * CPU per cached card page: the stack and a bare Fastify baseline loaded at the same time by
 * one generator, CPU read from /proc for each process. Alternating rounds (bench:page-cache)
 * measure the machine's mood as much as the servers: a round's rate moves by a third from one
 * five seconds to the next. Loaded together, both servers live through the same seconds, and
 * the same server against itself measures 0.98–1.01.
 * Two baselines: bare Fastify sending the page as a string (bench:page-cache's) and as bytes.
 */
const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);

/** User plus system CPU of a process so far, in microseconds (Linux: clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

prepareLocalStack();
const stack = await startStack({ LOG_LEVEL: 'info' });
await withServers([stack], async () => {
  const { path } = await firstCardPath(stack.url);
  await warmUp(`${stack.url}${path}`);
  const page = await fetch(`${stack.url}${path}`, { headers: { host: BENCH_HOST } });
  const body = await page.text();
  if (page.headers.get('x-cache') !== 'HIT') throw new Error('the card page is not cached');
  const bodyFile = join(tmpdir(), `ecard-bench-cpu-${process.pid}.html`);
  const headersFile = join(tmpdir(), `ecard-bench-cpu-${process.pid}.headers.json`);
  writeFileSync(bodyFile, body);
  writeHeadersFile(headersFile, replayableHeaders(page));
  const baseline = (bodyAs: string) =>
    startServer('load-tests/support/bare-server.ts', {
      BODY_FILE: bodyFile,
      HEADERS_FILE: headersFile,
      BODY_AS: bodyAs,
    });
  const asString = await baseline('string');
  const asBytes = await baseline('bytes');
  await withServers([asString, asBytes], async () => {
    console.log(
      `bench:page-cache-cpu: ${path}, ${rounds} rounds of ${seconds} s, ${connections} connections to each server at once`,
    );
    await compare('bare Fastify, body as a string', asString, path);
    await compare('bare Fastify, body as bytes', asBytes, path);
  });
});

async function compare(label: string, bare: RunningServer, path: string): Promise<void> {
  const load = (server: RunningServer) =>
    autocannon({
      url: `${server.url}${path}`,
      connections,
      duration: seconds,
      headers: { host: BENCH_HOST },
    });
  await Promise.all([load(stack), load(bare)]);
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const before = [cpuMicros(stack.pid), cpuMicros(bare.pid)];
    const [s, b] = await Promise.all([load(stack), load(bare)]);
    if (s.non2xx + s.errors + b.non2xx + b.errors > 0) throw new Error('a request failed');
    const stackCpu = (cpuMicros(stack.pid) - (before[0] ?? 0)) / s.requests.total;
    const bareCpu = (cpuMicros(bare.pid) - (before[1] ?? 0)) / b.requests.total;
    ratios.push(bareCpu / stackCpu);
    console.log(
      `  round ${round}: stack ${stackCpu.toFixed(1)} µs, ${label} ${bareCpu.toFixed(1)} µs per request, ratio ${(bareCpu / stackCpu).toFixed(3)}`,
    );
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(
    `bench:page-cache-cpu: ${label}: median ratio of CPU per request ${median(ratios).toFixed(3)} (rounds ${sorted[0]?.toFixed(3)}–${sorted.at(-1)?.toFixed(3)}; above 1, the stack spends less)`,
  );
}
