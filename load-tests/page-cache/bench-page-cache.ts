import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alternate, benchSettings } from '../support/compare.js';
import { prepareLocalStack } from '../support/processes.js';
import {
  expectSameBytes,
  replayableHeaders,
  writeHeadersFile,
} from '../support/response-headers.js';
import {
  BENCH_HOST,
  firstCardPath,
  startServer,
  startStack,
  warmUp,
  withServers,
} from '../support/servers.js';

/**
 * A cached card page through the whole stack (Fastify hooks, site resolution, page cache)
 * versus bare Fastify serving the same bytes (the page's body and headers), alternated in one
 * run with one load generator.
 * Each server is its own process with WEB_CONCURRENCY=1; autocannon runs here.
 */
const settings = benchSettings();

prepareLocalStack();
// The default log level, as deployed: cached hits are counted in metrics, not logged at info.
const stack = await startStack({ LOG_LEVEL: 'info' });
await withServers([stack], async () => {
  const { path } = await firstCardPath(stack.url);
  await warmUp(`${stack.url}${path}`);
  const page = await fetch(`${stack.url}${path}`);
  const body = await page.text();
  if (page.headers.get('x-cache') !== 'HIT') {
    throw new Error('the card page is not served from cache');
  }
  const bodyFile = join(tmpdir(), `ecard-bench-${process.pid}.html`);
  const headersFile = join(tmpdir(), `ecard-bench-${process.pid}.headers.json`);
  writeFileSync(bodyFile, body);
  writeHeadersFile(headersFile, replayableHeaders(page));

  const bare = await startServer('load-tests/support/bare-server.ts', {
    BODY_FILE: bodyFile,
    HEADERS_FILE: headersFile,
  });
  await withServers([bare], async () => {
    await warmUp(`${bare.url}${path}`);
    await expectSameBytes(page, body, `${bare.url}${path}`);
    console.log(
      `bench:page-cache: ${path} (${body.length} bytes), ${settings.rounds} rounds of ${settings.seconds} s, ${settings.connections} connections`,
    );
    const met = await alternate({
      name: 'bench:page-cache',
      baselineLabel: 'bare Fastify',
      stackUrl: `${stack.url}${path}`,
      baselineUrl: `${bare.url}${path}`,
      host: BENCH_HOST,
      target: 0.9,
      ...settings,
    });
    process.exitCode = met ? 0 : 1;
  });
});
