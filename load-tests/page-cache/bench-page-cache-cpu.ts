import { compareCpu, cpuBenchSettings } from '../support/cpu-compare.js';
import { prepareLocalStack } from '../support/processes.js';
import { captureCachedPage } from '../support/response-headers.js';
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
 *
 * With BENCH_ACCEPT_ENCODING (`npm run bench:page-cache-compressed-cpu` sets `br, gzip`) the
 * page is asked for compressed. The baseline is then bare Fastify sending the same compressed
 * bytes, and a second comparison holds the stack to what a stored page promises: compressed
 * once when stored, so a compressed hit costs no more CPU than a plain one. That one is the
 * stack answering compressed against another stack process answering plain, and it fails
 * below COMPRESSED_TARGET (the same server against itself measures 0.98–1.01).
 */
const COMPRESSED_TARGET = 0.95;
const settings = cpuBenchSettings();
const acceptEncoding = process.env.BENCH_ACCEPT_ENCODING ?? '';
const asked = { 'accept-encoding': acceptEncoding || 'identity' };

prepareLocalStack();
const stack = await startStack({ LOG_LEVEL: 'info' });
await withServers([stack], async () => {
  const { path } = await firstCardPath(stack.url);
  await warmUp(`${stack.url}${path}`);
  const { page, bodyFile, headersFile } = await captureCachedPage(`${stack.url}${path}`, {
    host: BENCH_HOST,
    ...asked,
  });
  const baseline = (bodyAs: string) =>
    startServer('load-tests/support/bare-server.ts', {
      BODY_FILE: bodyFile,
      HEADERS_FILE: headersFile,
      BODY_AS: bodyAs,
    });
  const encoding = page.headers['content-encoding'] ?? 'not compressed';
  console.log(
    `bench:page-cache-cpu: ${path} (${page.bytes.length} bytes, ${encoding}), ${settings.rounds} rounds of ${settings.seconds} s, ${settings.connections} connections to each server at once`,
  );
  if (acceptEncoding === '') {
    const asString = await baseline('string');
    const asBytes = await baseline('bytes');
    await withServers([asString, asBytes], async () => {
      await compare('bare Fastify, body as a string', asString, path);
      await compare('bare Fastify, body as bytes', asBytes, path);
    });
    return;
  }
  const compressed = await baseline('raw');
  await withServers([compressed], () =>
    compare('bare Fastify, the same compressed bytes', compressed, path),
  );
  const plain = await startStack({ LOG_LEVEL: 'info' });
  await withServers([plain], async () => {
    await warmUp(`${plain.url}${path}`);
    const ratio = await compare('the stack answering plain', plain, path, {
      'accept-encoding': 'identity',
    });
    const met = ratio >= COMPRESSED_TARGET;
    console.log(
      `bench:page-cache-cpu: a compressed hit against a plain one ${ratio.toFixed(3)} (target >= ${COMPRESSED_TARGET}): ${met ? 'met' : 'NOT met'}`,
    );
    process.exitCode = met ? 0 : 1;
  });
});

function compare(
  label: string,
  bare: RunningServer,
  path: string,
  baselineHeaders: Record<string, string> = asked,
): Promise<number> {
  return compareCpu({
    name: 'bench:page-cache-cpu',
    baselineLabel: label,
    stack,
    baseline: bare,
    path,
    host: BENCH_HOST,
    stackHeaders: asked,
    baselineHeaders,
    ...settings,
  });
}
