import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alternate, benchSettings } from '../support/compare.js';
import { runLoad } from '../support/load.js';
import { freePort, prepareLocalStack, startTs, stop, waitForHttp } from '../support/processes.js';

/**
 * A cached card page through the whole stack (Fastify hooks, site resolution, page cache)
 * versus bare Fastify serving the same bytes, alternated in one run with one load generator.
 * Each server is its own process with WEB_CONCURRENCY=1; autocannon runs here.
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
});
try {
  const stackUrl = `http://127.0.0.1:${stackPort}`;
  await waitForHttp(`${stackUrl}/health/live`, HOST);
  const cards = (await (await fetch(`${stackUrl}/api/cards?limit=1`)).json()) as {
    items: { slug: string }[];
  };
  const path = `/cards/${cards.items[0]?.slug ?? ''}`;
  const warm = await runLoad({
    url: `${stackUrl}${path}`,
    host: HOST,
    connections: 4,
    durationSeconds: 1,
  });
  if (warm.non2xx > 0) throw new Error('the card page does not answer 200');
  const page = await fetch(`${stackUrl}${path}`);
  const body = await page.text();
  if (page.headers.get('x-cache') !== 'HIT')
    throw new Error('the card page is not served from cache');
  const bodyFile = join(tmpdir(), `ecard-bench-${process.pid}.html`);
  writeFileSync(bodyFile, body);

  const barePort = await freePort();
  const bare = startTs('load-tests/support/bare-server.ts', {
    PORT: String(barePort),
    BODY_FILE: bodyFile,
  });
  try {
    const bareUrl = `http://127.0.0.1:${barePort}`;
    await waitForHttp(`${bareUrl}/`, HOST);
    await runLoad({ url: `${bareUrl}${path}`, connections: 4, durationSeconds: 1 });
    const met = await alternate({
      name: 'bench:page-cache',
      baselineLabel: 'bare Fastify',
      stackUrl: `${stackUrl}${path}`,
      baselineUrl: `${bareUrl}${path}`,
      host: HOST,
      target: 0.9,
      ...settings,
    });
    process.exitCode = met ? 0 : 1;
  } finally {
    await stop(bare);
  }
} finally {
  await stop(stack);
}
