/**
 * Scale-out: HAProxy in front of two web process groups plus a delivery worker. Runs the
 * holiday mix flat out, SIGKILLs group A one second into the second stage, restarts it at the
 * start of the third (as a process supervisor would), and shows what clients saw.
 *
 *   npm run load:scale-out -- --duration 45 [--group-size 1] [--connections 32]
 */
import type { ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { freePort } from '../support/processes.js';
import { startHaproxy } from './haproxy.js';
import type { Scenario, Stage } from './model.js';
import { runScenario } from './run.js';
import { HOLIDAY_MIX } from './scenarios.js';
import { startOwnStack } from './stack.js';
import { runScript } from '../support/run-script.js';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      'group-size': { type: 'string' },
      connections: { type: 'string' },
    },
  });
  const duration = Math.max(15, Number(values.duration ?? 45));
  const groupSize = Number(
    values['group-size'] ?? Math.max(1, Math.floor(availableParallelism() / 2)),
  );
  const connections = Number(values.connections ?? 32);
  const stack = await startOwnStack({ webConcurrency: groupSize, withoutWeb: true, log });
  const ports = { a: await freePort(), b: await freePort(), proxy: await freePort() };
  const groups: Record<'a' | 'b', ChildProcess | null> = { a: null, b: null };
  let proxy: Awaited<ReturnType<typeof startHaproxy>> | null = null;
  try {
    groups.a = await stack.startWeb(ports.a, groupSize);
    groups.b = await stack.startWeb(ports.b, groupSize);
    proxy = await startHaproxy(ports.proxy, [
      { name: 'group_a', port: ports.a },
      { name: 'group_b', port: ports.b },
    ]);
    log(
      `haproxy ${proxy.url} -> group A :${ports.a}, group B :${ports.b} (WEB_CONCURRENCY=${groupSize} each)`,
    );
    const third = Math.round(duration / 3);
    const scenario: Scenario = {
      name: 'scale-out',
      description: `holiday mix, ${connections} connections flat out through HAProxy; group A SIGKILLed 1 s into stage 2, restarted at stage 3`,
      stages: [
        { name: 'two-groups', seconds: third, connections, mix: HOLIDAY_MIX },
        { name: 'a-killed', seconds: third, connections, mix: HOLIDAY_MIX },
        { name: 'a-restarted', seconds: duration - 2 * third, connections, mix: HOLIDAY_MIX },
      ],
      checks: [],
    };
    // Seconds from the start of the stage to the kill, and to group A answering again.
    let killDelay = -1;
    let restartDelay = -1;
    let restart: Promise<unknown> = Promise.resolve();
    const timers: NodeJS.Timeout[] = [];
    const onStage = (stage: Stage): void => {
      const began = Date.now();
      if (stage.name === 'a-killed') {
        timers.push(
          setTimeout(() => {
            const pid = groups.a?.pid;
            if (pid) process.kill(-pid, 'SIGKILL');
            killDelay = (Date.now() - began) / 1000;
            log(`  SIGKILL group A (process group ${pid})`);
          }, 1000),
        );
      }
      if (stage.name === 'a-restarted') {
        restart = stack.startWeb(ports.a, groupSize).then((child) => {
          groups.a = child;
          restartDelay = (Date.now() - began) / 1000;
          log(`  group A answering again after ${restartDelay.toFixed(1)} s`);
        });
      }
    };
    const { report } = await runScenario({
      target: { url: proxy.url, apiKey: stack.apiKey },
      scenario,
      slo: {
        pageRate: 0,
        pageP99Ms: 1e9,
        sendRate: 0,
        sendP99Ms: 1e9,
        maxErrors: connections,
        drainTimeoutSeconds: 120,
      },
      sink: stack.sink,
      reportsDir: 'load-tests/reports',
      log,
      onStage,
    });
    timers.forEach(clearTimeout);
    await restart;
    const firstSecond = (stage: string) => report.timeline.findIndex((p) => p.stage === stage);
    const rateAt = (s: number) =>
      Object.values(report.timeline[s]?.kinds ?? {}).reduce((n, k) => n + k.rate, 0);
    const seconds = (from: number, to: number) =>
      Array.from(
        { length: Math.max(0, Math.floor(to) - Math.ceil(from)) },
        (_, i) => Math.ceil(from) + i,
      ).filter((s) => s >= 0 && s < report.timeline.length - 1);
    const kill = firstSecond('a-killed') + killDelay;
    const back = firstSecond('a-restarted') + restartDelay;
    const before = mean(seconds(1, kill).map(rateAt));
    const during = mean(seconds(kill + 2, back).map(rateAt));
    const after = mean(seconds(back + 2, report.timeline.length).map(rateAt));
    const errors = report.verdict.errors;
    const errorSeconds = report.timeline
      .map((p, s) => ({ s, e: Object.values(p.kinds).reduce((n, k) => n + k.errors, 0) }))
      .filter((x) => x.e > 0);
    log('');
    log(
      `throughput (req/s, mean per second): two groups ${before.toFixed(0)}, group A dead ${during.toFixed(0)}, A restarted ${after.toFixed(0)}`,
    );
    log(
      `client errors: ${errors} (at most ${connections} requests were in flight when A died: one per connection)`,
    );
    if (errorSeconds.length)
      log(`  errors by second: ${errorSeconds.map((x) => `${x.s}s: ${x.e}`).join(', ')}`);
    const pass =
      errors <= connections &&
      during > 0 &&
      after >= 0.8 * before &&
      report.verdict.delivery.delivered === report.verdict.delivery.accepted;
    log(
      `SCALE-OUT ${pass ? 'PASS' : 'FAIL'} errors ${errors} <= in-flight ${connections}; rate ${before.toFixed(0)} -> ${during.toFixed(0)} (one group) -> ${after.toFixed(0)} (restored, needs >= ${(0.8 * before).toFixed(0)}); delivered ${report.verdict.delivery.delivered}/${report.verdict.delivery.accepted}`,
    );
    return pass ? 0 : 1;
  } finally {
    await proxy?.stop();
    await stack.stop();
  }
}

runScript(main);
