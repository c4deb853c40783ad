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
 * The render path: the card page through the whole stack with the page cache off and the data
 * cache warm (the edge hooks, the catalog page's handler, data cache, nunjucks), versus bare
 * Fastify rendering the same template with nunjucks alone. Alternated in one run, one load
 * generator.
 */
const settings = benchSettings();

prepareLocalStack();
// One public port for both, so the page's absolute links are the same bytes on both sides.
const PUBLIC_PORT = '8080';
const stack = await startStack({ PAGE_CACHE_ENABLED: 'false', PUBLIC_PORT });
await withServers([stack], async () => {
  const { slug, path } = await firstCardPath(stack.url);
  await warmUp(`${stack.url}${path}`);
  const page = (url: string) => fetch(`${url}${path}`).then((r) => r.text());
  const stackResponse = await fetch(`${stack.url}${path}`);
  const stackPage = await stackResponse.text();
  const headersFile = join(tmpdir(), `ecard-bench-render-${process.pid}.headers.json`);
  writeHeadersFile(headersFile, replayableHeaders(stackResponse));

  // The baseline shows the same view count, so both pages hold the same blocks.
  const views = /Viewed (\d+) time/.exec(stackPage)?.[1] ?? '0';
  const bare = await startServer('load-tests/page-cache/render-server.ts', {
    CARD_SLUG: slug,
    CARD_VIEWS: views,
    HEADERS_FILE: headersFile,
    PUBLIC_PORT,
  });
  await withServers([bare], async () => {
    await warmUp(`${bare.url}${path}`);
    // The stack counts its own views meanwhile; the count is the one part that may differ.
    await expectSameBytes(stackResponse, stackPage, `${bare.url}${path}`, (body) =>
      body.replace(/Viewed \d+ time/, 'Viewed N time'),
    );
    const barePage = await page(bare.url);
    console.log(
      `bench:render: ${path}, page ${stackPage.length} bytes through the stack, ${barePage.length} bytes from nunjucks alone; ${settings.rounds} rounds of ${settings.seconds} s, ${settings.connections} connections`,
    );
    const met = await alternate({
      name: 'bench:render',
      baselineLabel: 'nunjucks alone',
      stackUrl: `${stack.url}${path}`,
      baselineUrl: `${bare.url}${path}`,
      host: BENCH_HOST,
      target: 0.75,
      ...settings,
    });
    process.exitCode = met ? 0 : 1;
  });
});
