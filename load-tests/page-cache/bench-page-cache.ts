import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRate, median, runLoad } from '../support/load.js';
import { freePort, prepareLocalStack, startTs, stop, waitForHttp } from '../support/processes.js';

/**
 * A cached card page through the whole stack (Fastify hooks, site resolution, page cache)
 * versus bare Fastify serving the same bytes, alternated in one run with one load generator.
 * Each server is its own process with WEB_CONCURRENCY=1; autocannon runs here.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
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
    const stackRates: number[] = [];
    const bareRates: number[] = [];
    const ratios: number[] = [];
    let errors = 0;
    console.log(
      `bench:page-cache: ${path} (${body.length} bytes), ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections`,
    );
    for (let round = 1; round <= ROUNDS; round++) {
      const s = await runLoad({
        url: `${stackUrl}${path}`,
        host: HOST,
        connections: CONNECTIONS,
        durationSeconds: SECONDS,
      });
      const b = await runLoad({
        url: `${bareUrl}${path}`,
        host: HOST,
        connections: CONNECTIONS,
        durationSeconds: SECONDS,
      });
      errors += s.errors + s.non2xx + b.errors + b.non2xx;
      stackRates.push(s.requestsPerSecond);
      bareRates.push(b.requestsPerSecond);
      ratios.push(s.requestsPerSecond / b.requestsPerSecond);
      console.log(
        `  round ${round}: stack ${formatRate(s.requestsPerSecond)} (p99 ${s.p99} ms)  bare ${formatRate(b.requestsPerSecond)} (p99 ${b.p99} ms)  ratio ${(s.requestsPerSecond / b.requestsPerSecond).toFixed(3)}`,
      );
    }
    const ratio = median(ratios);
    console.log(
      `bench:page-cache: stack ${formatRate(median(stackRates))}, bare Fastify ${formatRate(median(bareRates))}, median ratio ${ratio.toFixed(3)} (target >= 0.90), errors ${errors}`,
    );
    process.exitCode = ratio >= 0.9 && errors === 0 ? 0 : 1;
  } finally {
    await stop(bare);
  }
} finally {
  await stop(stack);
}
