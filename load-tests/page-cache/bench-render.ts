import { alternate, benchSettings } from '../support/compare.js';
import { runLoad } from '../support/load.js';
import { freePort, prepareLocalStack, startTs, stop, waitForHttp } from '../support/processes.js';

/**
 * The render path: the card page through the whole stack with the page cache off and the data
 * cache warm (Nest routing, controller, data cache, nunjucks), versus bare Fastify rendering the
 * same template with nunjucks alone. Alternated in one run, one load generator.
 */
const settings = benchSettings();
const HOST = 'www.ecardia.example';

prepareLocalStack();
const stackPort = await freePort();
const stack = startTs('src/main.ts', {
  PORT: String(stackPort),
  WEB_CONCURRENCY: '1',
  LOG_LEVEL: 'warn',
  // Measured as deployed: templates compiled once, not re-read per request as in development.
  TEMPLATE_WATCH: 'false',
  PAGE_CACHE_ENABLED: 'false',
});
try {
  const stackUrl = `http://127.0.0.1:${stackPort}`;
  await waitForHttp(`${stackUrl}/health/live`, HOST);
  const cards = (await (await fetch(`${stackUrl}/api/cards?limit=1`)).json()) as {
    items: { slug: string }[];
  };
  const slug = cards.items[0]?.slug ?? '';
  const path = `/cards/${slug}`;
  const warm = await runLoad({
    url: `${stackUrl}${path}`,
    host: HOST,
    connections: 4,
    durationSeconds: 1,
  });
  if (warm.non2xx > 0) throw new Error('the card page does not answer 200');
  const stackPage = await (await fetch(`${stackUrl}${path}`)).text();

  const barePort = await freePort();
  const bare = startTs('load-tests/page-cache/render-server.ts', {
    PORT: String(barePort),
    CARD_SLUG: slug,
  });
  try {
    const bareUrl = `http://127.0.0.1:${barePort}`;
    await waitForHttp(`${bareUrl}/`, HOST);
    const barePage = await (await fetch(`${bareUrl}${path}`)).text();
    await runLoad({ url: `${bareUrl}${path}`, connections: 4, durationSeconds: 1 });
    console.log(
      `bench:render: ${path}, page ${stackPage.length} bytes through the stack, ${barePage.length} bytes from nunjucks alone; ${settings.rounds} rounds of ${settings.seconds} s, ${settings.connections} connections`,
    );
    const met = await alternate({
      name: 'bench:render',
      baselineLabel: 'nunjucks alone',
      stackUrl: `${stackUrl}${path}`,
      baselineUrl: `${bareUrl}${path}`,
      host: HOST,
      target: 0.75,
      ...settings,
    });
    process.exitCode = met ? 0 : 1;
  } finally {
    await stop(bare);
  }
} finally {
  await stop(stack);
}
