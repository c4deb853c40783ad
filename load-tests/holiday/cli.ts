/**
 * Load scenarios against the whole platform:
 *
 *   npm run load:holiday -- --duration 60            # starts its own stack (see stack.ts)
 *   npm run load:browse -- --url http://127.0.0.1:8080
 *   npm run load:send-storm / load:morning-burst
 *
 * Prints a table per stage and kind, an `SLO PASS|FAIL ...` line, writes HTML + JSON under
 * load-tests/reports/ and exits 0 only on PASS. Options: see `usage` below.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startMailSink, type MailSink } from './mail-sink.js';
import type { SloSettings } from './model.js';
import { defaultBurstCount } from './morning-burst.js';
import { formatProfile, summariseProfiles } from './profile-summary.js';
import { runScenario } from './run.js';
import { SCENARIOS, type ScenarioName } from './scenarios.js';
import { type OwnStack, startOwnStack } from './stack.js';
import { runScript } from '../support/run-script.js';

const usage = `usage: load-tests/holiday/cli.ts <${Object.keys(SCENARIOS).join('|')}> [options]
  --duration S          seconds of load (default 60); stages are scaled to it
  --url URL             run against this stack (API key from LOAD_API_KEY); default: start one
  --smtp-port N         with --url: listen for the stack's mail here and check delivery
  --connections N       connections of the busiest stage (default 64)
  --web-concurrency N   web workers of the stack it starts (default: CPU count - 1, at least 1)
  --count N             morning-burst: scheduled recipients (default scales with duration and CPUs)
  --cpu-prof            profile the web workers (node --cpu-prof) and print where the time went
  --slo-page-rate N --slo-page-p99 MS --slo-send-rate N --slo-send-p99 MS --slo-max-errors N
  --drain-timeout S     wait this long for every greeting to reach the SMTP sink (default 120)
  --sites N             holiday: have N partner sites (made through the partner console's
                        service, kept from an earlier run) and spread the traffic over them (default 0)
  --members F           holiday: share of visitors signed in as members, 0 to 1 (default 0.3)
  --member-accounts N   holiday: member accounts signed in before the load (default 100)
  --classic             holiday: the mix before members, searches, previews and photos
  --check-report        after the run: real bounces, complaints and opens, then the site's
                        report (API, JSON and CSV) against the database rows; FAIL exits 1
  --report-site ID      the site --check-report reads (default kindred)
  (each --slo-* also reads env SLO_PAGE_RATE, SLO_PAGE_P99_MS, SLO_SEND_RATE, SLO_SEND_P99_MS,
   SLO_MAX_ERRORS, SLO_DRAIN_TIMEOUT)`;

const log = (line: string): void => void process.stdout.write(`${line}\n`);

function num(flag: string | undefined, env: string | undefined, fallback: number): number {
  const raw = flag ?? env;
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`not a number: ${raw}`);
  return value;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      duration: { type: 'string' },
      url: { type: 'string' },
      'smtp-port': { type: 'string' },
      connections: { type: 'string' },
      'web-concurrency': { type: 'string' },
      count: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      'slo-page-rate': { type: 'string' },
      'slo-page-p99': { type: 'string' },
      'slo-send-rate': { type: 'string' },
      'slo-send-p99': { type: 'string' },
      'slo-max-errors': { type: 'string' },
      'drain-timeout': { type: 'string' },
      sites: { type: 'string' },
      members: { type: 'string' },
      'member-accounts': { type: 'string' },
      classic: { type: 'boolean' },
      'check-report': { type: 'boolean' },
      'report-site': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const name = positionals[0] as ScenarioName | undefined;
  if (values.help || !name || !(name in SCENARIOS)) {
    log(usage);
    return values.help ? 0 : 2;
  }
  const env = process.env;
  const slo: SloSettings = {
    pageRate: num(values['slo-page-rate'], env.SLO_PAGE_RATE, 8000),
    pageP99Ms: num(values['slo-page-p99'], env.SLO_PAGE_P99_MS, 50),
    sendRate: num(values['slo-send-rate'], env.SLO_SEND_RATE, 100),
    sendP99Ms: num(values['slo-send-p99'], env.SLO_SEND_P99_MS, 150),
    maxErrors: num(values['slo-max-errors'], env.SLO_MAX_ERRORS, 0),
    drainTimeoutSeconds: num(values['drain-timeout'], env.SLO_DRAIN_TIMEOUT, 120),
  };
  const duration = num(values.duration, undefined, 60);
  const cpus = availableParallelism();
  const classic = name !== 'holiday' || values.classic === true;
  const memberShare = classic ? 0 : num(values.members, undefined, 0.3);
  if (memberShare > 1) throw new Error(`--members is a share from 0 to 1, not ${memberShare}`);
  const scenario = SCENARIOS[name]({
    durationSeconds: duration,
    connections: num(values.connections, undefined, 64),
    slo,
    members: memberShare,
    classic,
  });
  const partnerSites = name === 'holiday' ? Math.floor(num(values.sites, undefined, 0)) : 0;
  const memberAccounts =
    memberShare > 0 ? Math.max(1, Math.floor(num(values['member-accounts'], undefined, 100))) : 0;
  const reportsDir = 'load-tests/reports';
  const profileDir = values['cpu-prof']
    ? join(reportsDir, `cpu-${Date.now().toString(36)}`)
    : undefined;

  let stack: OwnStack | null = null;
  let sink: MailSink | null = null;
  let url = values.url;
  let apiKey = env.LOAD_API_KEY ?? '';
  // Against --url, the stores are the ones this shell's environment names (see docs/load-tests.md).
  let stackEnv: Record<string, string | undefined> = env;
  if (!url) {
    stack = await startOwnStack({
      // The stack shares this machine with its worker, MariaDB, Redis and the load generator:
      // one core is left to them. On two cores one web process served 5,049-5,477 pages/s
      // (p99 34-40 ms) at the holiday peak where two served 4,271 (p99 61 ms).
      webConcurrency: num(values['web-concurrency'], undefined, Math.max(1, cpus - 1)),
      ...(profileDir ? { cpuProfileDir: profileDir } : {}),
      log,
    });
    url = stack.url;
    apiKey = stack.apiKey;
    sink = stack.sink;
    stackEnv = { ...env, ...stack.env };
  } else if (values['smtp-port']) {
    sink = await startMailSink(num(values['smtp-port'], undefined, 1025));
  }
  const burstCount = num(values.count, undefined, defaultBurstCount(duration, cpus));
  if (name === 'morning-burst')
    log(
      `morning-burst: ${burstCount} scheduled recipients (${values.count ? '--count' : `scaled: ${duration} s x ${cpus} CPUs`})`,
    );
  try {
    const { report, htmlPath, reportCheck } = await runScenario({
      target: { url, apiKey },
      scenario,
      slo,
      sink,
      burstCount,
      reportsDir,
      log,
      setup: { env: stackEnv, sites: partnerSites, members: memberAccounts },
      memberBudget: num(stackEnv.MEMBER_SENDS_PER_DAY, undefined, 50),
      ...(stackEnv.REDIS_CACHE_URL ? { redisCacheUrl: stackEnv.REDIS_CACHE_URL } : {}),
      ...(values['check-report']
        ? {
            reportCheck: {
              env: stackEnv,
              ...(values['report-site'] ? { siteId: values['report-site'] } : {}),
            },
          }
        : {}),
    });
    if (stack) await stack.stop();
    stack = null;
    if (profileDir) {
      const summary = formatProfile(summariseProfiles(profileDir));
      log(summary);
      writeFileSync(htmlPath.replace(/\.html$/, '.profile.txt'), `${summary}\n`);
    }
    return report.verdict.pass && reportCheck?.pass !== false ? 0 : 1;
  } finally {
    if (stack) await stack.stop();
    if (sink && !stack) await sink.close();
  }
}

runScript(main);
