import { alternate, benchSettings } from '../support/compare.js';
import { BENCH_HOST } from '../support/servers.js';
import { withRenderPair } from './render-pair.js';

/**
 * The render path: the card page through the whole stack with the page cache off and the data
 * cache warm (the edge hooks, the catalog page's handler, data cache, nunjucks), versus bare
 * Fastify rendering the same template with nunjucks alone. Alternated in one run, one load
 * generator.
 */
const settings = benchSettings();

await withRenderPair(async ({ stack, bare, path }) => {
  const page = (url: string) => fetch(`${url}${path}`).then((r) => r.text());
  const [stackPage, barePage] = [await page(stack.url), await page(bare.url)];
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
