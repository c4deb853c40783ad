import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareLocalStack } from '../support/processes.js';
import {
  expectSameRawBytes,
  rawGet,
  replayableRawHeaders,
  writeHeadersFile,
} from '../support/response-headers.js';
import {
  BENCH_HOST,
  firstCardPath,
  type RunningServer,
  startServer,
  startStack,
  warmUp,
  withServers,
} from '../support/servers.js';

export interface RenderPair {
  stack: RunningServer;
  /** Bare Fastify rendering the same template with nunjucks alone. */
  bare: RunningServer;
  /** The card page both answer. */
  path: string;
}

/** Both servers asked as the load generator asks them: for the flagship, not compressed. */
const ASKED = { host: BENCH_HOST, 'accept-encoding': 'identity' };

/**
 * The render benches' two servers: the stack with the page cache off (the data cache warms on
 * the first requests) and bare Fastify rendering the card template with the same data and
 * sending the headers the stack sent, checked to answer the same bytes before `work` runs.
 */
export async function withRenderPair(work: (pair: RenderPair) => Promise<void>): Promise<void> {
  prepareLocalStack();
  // One public port for both, so the page's absolute links are the same bytes on both sides.
  const PUBLIC_PORT = '8080';
  // The autopilot off: on a busy machine it sheds related cards and counters under the bench's
  // load (event-loop lag over its limit), and the stack would be timed on a smaller page than
  // the one checked against the baseline's below.
  const stack = await startStack({
    PAGE_CACHE_ENABLED: 'false',
    PUBLIC_PORT,
    AUTOPILOT_ENABLED: 'false',
  });
  await withServers([stack], async () => {
    const { slug, path } = await firstCardPath(stack.url);
    await warmUp(`${stack.url}${path}`);
    // Asked as the load generator asks, for the page not compressed: fetch would ask for gzip
    // and get the platform's compressed page, whose content-encoding the baseline cannot replay.
    const stackResponse = await rawGet(`${stack.url}${path}`, ASKED);
    const stackPage = stackResponse.bytes.toString('utf8');
    const headersFile = join(tmpdir(), `ecard-bench-render-${process.pid}.headers.json`);
    writeHeadersFile(headersFile, replayableRawHeaders(stackResponse));

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
      await expectSameRawBytes(stackResponse, `${bare.url}${path}`, ASKED, (body) =>
        body.replace(/Viewed \d+ time/, 'Viewed N time'),
      );
      await work({ stack, bare, path });
    });
  });
}
