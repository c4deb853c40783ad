import { compareCpu, cpuBenchSettings } from '../support/cpu-compare.js';
import { BENCH_HOST } from '../support/servers.js';
import { withRenderPair } from './render-pair.js';

/**
 * CPU per rendered card page (page cache off, data cache warm): the stack and bare Fastify
 * rendering the same template with nunjucks, loaded at the same time by one generator (see
 * `compareCpu`). A steadier measure than bench:render's alternating rates, for judging a change
 * to the render path.
 */
const settings = cpuBenchSettings();

await withRenderPair(async ({ stack, bare, path }) => {
  console.log(
    `bench:render-cpu: ${path}, ${settings.rounds} rounds of ${settings.seconds} s, ${settings.connections} connections to each server at once`,
  );
  await compareCpu({
    name: 'bench:render-cpu',
    baselineLabel: 'nunjucks alone',
    stack,
    baseline: bare,
    path,
    host: BENCH_HOST,
    ...settings,
  });
});
