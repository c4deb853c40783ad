import { randomBytes } from 'node:crypto';
import { alternate, benchSettings } from '../support/compare.js';
import { prepareLocalStack } from '../support/processes.js';
import { captureCachedPage, expectSameRawBytes } from '../support/response-headers.js';
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
 * BENCH_ACCEPT_ENCODING (`npm run bench:page-cache-compressed` sets `br, gzip`) asks for the
 * page compressed, as browsers do: the stack sends the bytes it compressed when it stored the
 * page, and the baseline sends those same bytes.
 */
const settings = benchSettings();
const acceptEncoding = process.env.BENCH_ACCEPT_ENCODING ?? '';
// BENCH_MEMBER_COOKIE=1 (`npm run bench:page-cache-member`): every request carries a signed-in
// member's session cookie, which must neither bypass the page cache nor make a variant of it.
const memberCookie: Record<string, string> =
  process.env.BENCH_MEMBER_COOKIE === '1'
    ? { cookie: `ecard_member=${randomBytes(32).toString('base64url')}` }
    : {};
const asked: Record<string, string> = {
  'accept-encoding': acceptEncoding || 'identity',
  ...memberCookie,
};

prepareLocalStack();
// The default log level, as deployed: cached hits are counted in metrics, not logged at info.
const stack = await startStack({ LOG_LEVEL: 'info' });
await withServers([stack], async () => {
  const { path } = await firstCardPath(stack.url);
  await warmUp(`${stack.url}${path}`);
  const { page, bodyFile, headersFile } = await captureCachedPage(`${stack.url}${path}`, {
    host: BENCH_HOST,
    ...asked,
  });

  // A compressed page is bytes to the baseline; a plain one a string, as a Fastify app sends.
  const bare = await startServer('load-tests/support/bare-server.ts', {
    BODY_FILE: bodyFile,
    HEADERS_FILE: headersFile,
    BODY_AS: acceptEncoding === '' ? 'string' : 'raw',
  });
  await withServers([bare], async () => {
    await warmUp(`${bare.url}${path}`);
    await expectSameRawBytes(page, `${bare.url}${path}`, { host: BENCH_HOST, ...asked });
    const encoding = page.headers['content-encoding'] ?? 'not compressed';
    const cookie = memberCookie.cookie === undefined ? '' : ', with a member session cookie';
    console.log(
      `bench:page-cache: ${path} (${page.bytes.length} bytes, ${encoding}${cookie}), ${settings.rounds} rounds of ${settings.seconds} s, ${settings.connections} connections`,
    );
    const met = await alternate({
      name: 'bench:page-cache',
      baselineLabel: 'bare Fastify',
      stackUrl: `${stack.url}${path}`,
      baselineUrl: `${bare.url}${path}`,
      host: BENCH_HOST,
      headers: {
        ...(acceptEncoding === '' ? {} : { 'accept-encoding': acceptEncoding }),
        ...memberCookie,
      },
      target: 0.9,
      ...settings,
    });
    process.exitCode = met ? 0 : 1;
  });
});
