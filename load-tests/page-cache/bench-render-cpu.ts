import { compareCpu } from '../support/cpu-compare.js';
import { BENCH_HOST } from '../support/servers.js';
import { withRenderPair } from './render-pair.js';

/**
 * CPU per rendered card page (page cache off, data cache warm): the stack and bare Fastify
 * rendering the same template with nunjucks, loaded at the same time by one generator (see
 * `compareCpu`). A steadier measure than bench:render's alternating rates, for judging a change
 * to the render path.
 */
const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);

await withRenderPair(async ({ stack, bare, path }) => {
  console.log(
    `bench:render-cpu: ${path}, ${rounds} rounds of ${seconds} s, ${connections} connections to each server at once`,
  );
  await compareCpu({
    name: 'bench:render-cpu',
    baselineLabel: 'nunjucks alone',
    stack,
    baseline: bare,
    path,
    host: BENCH_HOST,
    rounds,
    seconds,
    connections,
  });
});
