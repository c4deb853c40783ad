import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareCpu, cpuBenchSettings } from '../support/cpu-compare.js';
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
 * one generator (see `compareCpu`), a steadier measure than bench:page-cache's alternating rates.
 * Two baselines: bare Fastify sending the page as a string (bench:page-cache's) and as bytes.
 */
const settings = cpuBenchSettings();

prepareLocalStack();
const stack = await startStack({ LOG_LEVEL: 'info' });
await withServers([stack], async () => {
  const { path } = await firstCardPath(stack.url);
  await warmUp(`${stack.url}${path}`);
  // As autocannon asks for it: not compressed.
  const page = await fetch(`${stack.url}${path}`, {
    headers: { host: BENCH_HOST, 'accept-encoding': 'identity' },
  });
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
      `bench:page-cache-cpu: ${path}, ${settings.rounds} rounds of ${settings.seconds} s, ${settings.connections} connections to each server at once`,
    );
    await compare('bare Fastify, body as a string', asString, path);
    await compare('bare Fastify, body as bytes', asBytes, path);
  });
});

function compare(label: string, bare: RunningServer, path: string): Promise<number> {
  return compareCpu({
    name: 'bench:page-cache-cpu',
    baselineLabel: label,
    stack,
    baseline: bare,
    path,
    host: BENCH_HOST,
    ...settings,
  });
}
