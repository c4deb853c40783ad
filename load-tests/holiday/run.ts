import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { call } from './http.js';
import { renderHtml } from './html-report.js';
import type { MailSink } from './mail-sink.js';
import type { Scenario, SloSettings, Stage } from './model.js';
import { runMorningBurst } from './morning-burst.js';
import { Recorder } from './recorder.js';
import { buildReport, type DeliveryResult, formatTable, type Report } from './report.js';
import { runStages, type RunTarget } from './runner.js';
import { discoverCatalog, type SiteCatalog, TrafficPlan } from './traffic.js';
import { cardCacheLine, classFigures, formatClasses, scanCachedPages } from './class-summary.js';
import { FlowRunner, samplePhoto } from './flows.js';
import type { SetupRequest } from './platform-setup.js';
import { VisitorTraffic } from './visitor-traffic.js';
import type { AfterRunCheck } from '../report-check/after-run.js';
import type { ReportCheckResult } from '../report-check/report-check.js';

export interface RunOptions {
  target: RunTarget;
  scenario: Scenario;
  slo: SloSettings;
  sink: MailSink | null;
  /** Morning burst: scheduled recipients. */
  burstCount?: number;
  reportsDir: string;
  log: (line: string) => void;
  /** Called as each stage begins (the scale-out run kills and restarts processes from here). */
  onStage?: (stage: Stage) => void;
  /** Partner sites and members to have before the load (holiday). */
  setup?: SetupRequest;
  /** A member's sends per day (the stack's MEMBER_SENDS_PER_DAY). */
  memberBudget?: number;
  /** The page cache's Redis: searched for members' data after the run. */
  redisCacheUrl?: string;
  /** After the run: bounces, complaints and opens, then the site's report against the database. */
  reportCheck?: AfterRunCheck;
}

export interface RunOutcome {
  report: Report;
  jsonPath: string;
  htmlPath: string;
  reportCheck?: ReportCheckResult;
}

/** Every card, home and occasion page once, so the run starts with warm caches like a live site. */
async function warmUp(target: RunTarget, sites: SiteCatalog[]): Promise<number> {
  const paths = sites.flatMap((s) => [
    { host: s.host, path: '/' },
    ...s.occasions.map((o) => ({ host: s.host, path: `/occasions/${o}` })),
    ...s.cards.map((c) => ({ host: s.host, path: `/cards/${c}` })),
  ]);
  let index = 0;
  const lane = async (): Promise<void> => {
    for (let p = paths[index++]; p; p = paths[index++]) {
      await call(target.url, {
        path: p.path,
        host: p.host,
        headers: { 'x-api-key': target.apiKey },
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return paths.length;
}

async function waitForDelivery(
  sink: MailSink | null,
  addresses: string[],
  timeoutSeconds: number,
): Promise<DeliveryResult> {
  if (!sink) return { checked: false, accepted: addresses.length, delivered: 0, waitedSeconds: 0 };
  const started = performance.now();
  const deadline = started + timeoutSeconds * 1000;
  let delivered = sink.count(addresses);
  while (delivered < addresses.length && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    delivered = sink.count(addresses);
  }
  const waited = (performance.now() - started) / 1000;
  return {
    checked: true,
    accepted: addresses.length,
    delivered,
    waitedSeconds: Number(waited.toFixed(1)),
  };
}

/** Runs one scenario against a running stack and writes its JSON and HTML reports. */
export async function runScenario(o: RunOptions): Promise<RunOutcome> {
  const { log } = o;
  const startedAt = new Date();
  const setup =
    o.setup && (o.setup.sites > 0 || o.setup.members > 0)
      ? // The platform's own modules are loaded only by a run that makes sites or members.
        await (await import('./platform-setup.js')).setUpPlatform(o.setup, o.target, log)
      : null;
  const sites = await discoverCatalog(o.target.url, o.target.apiKey, setup?.partnerSites ?? []);
  const plan = new TrafficPlan(sites);
  const members = setup?.members ?? [];
  plan.visitors = new VisitorTraffic(plan, sites, members);
  const warmed = await warmUp(o.target, sites);
  const notes = [
    ...(setup?.notes ?? []),
    `${sites.length} sites (${sites
      .slice(0, 4)
      .map((s) => `${s.host}: ${s.cards.length} cards`)
      .join(
        ', ',
      )}${sites.length > 4 ? `, ${sites.length - 4} more` : ''}); the 10 most popular cards get ${(plan.topTenShare() * 100).toFixed(1)}% of card views`,
    `warm-up: ${warmed} pages fetched once before the first stage (not counted)`,
  ];
  log(`scenario ${o.scenario.name}: ${o.scenario.description}`);
  for (const note of notes.slice(0, -1)) log(`  ${note}`);
  const recorder = new Recorder();
  // The generator shares the machine: how much CPU it used tells whether it was the limit.
  const cpuBefore = process.cpuUsage();
  const loadBefore = loadavg()[0] ?? 0;
  const flows = new FlowRunner(o.target, plan, recorder, await samplePhoto(), o.memberBudget ?? 50);
  const wallBefore = performance.now();
  if (o.scenario.name === 'morning-burst') {
    const burst = await runMorningBurst({
      target: o.target,
      stages: o.scenario.stages,
      plan,
      sites,
      recorder,
      sink: o.sink,
      count: o.burstCount ?? 1000,
      drainTimeoutSeconds: o.slo.drainTimeoutSeconds,
      log,
    });
    notes.push(
      `morning burst: ${burst.recipients} recipients in ${burst.greetings} greetings created in ${burst.createSeconds} s, all due at ${burst.dueAt}; ` +
        (burst.drainSeconds === null
          ? `NOT drained: ${burst.delivered}/${burst.recipients} delivered within ${o.slo.drainTimeoutSeconds} s`
          : `drained ${burst.delivered}/${burst.recipients} in ${burst.drainSeconds.toFixed(1)} s after the due time (${(burst.recipients / Math.max(0.1, burst.drainSeconds)).toFixed(0)} recipients/s)`),
      ...burst.notes,
    );
  } else {
    await runStages(
      o.target,
      o.scenario.stages,
      plan,
      recorder,
      (stage) => {
        const rate =
          stage.rate === undefined
            ? ''
            : `, ${stage.rate}${stage.rateTo === undefined ? '' : ` -> ${stage.rateTo}`} req/s`;
        log(`  stage ${stage.name}: ${stage.seconds} s${rate}`);
        o.onStage?.(stage);
      },
      flows,
    );
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  notes.push(
    `load generator: ${cpuSeconds.toFixed(1)} s CPU in ${wallSeconds.toFixed(1)} s (${((cpuSeconds / wallSeconds) * 100).toFixed(0)}% of one core; it is single-threaded); machine 1-minute load average ${loadBefore} at the start, ${loadavg()[0] ?? 0} at the end on ${availableParallelism()} CPUs`,
  );
  if (flows.skipped > 0)
    notes.push(`${flows.skipped} flows not started: ${flows.maxInFlight} were already in flight`);
  if (flows.overBudget > 0)
    notes.push(
      `${flows.overBudget} member sends not made: every member had spent the day's budget`,
    );
  if (plan.pickupFallbacks > 0)
    notes.push(`${plan.pickupFallbacks} pickups became card views (no greeting sent yet)`);
  log(
    `  load done; waiting for ${plan.acceptedRecipients.length} recipients to reach the SMTP sink...`,
  );
  const delivery = await waitForDelivery(
    o.sink,
    plan.acceptedRecipients,
    o.slo.drainTimeoutSeconds,
  );
  const report = buildReport({
    scenario: o.scenario,
    url: o.target.url,
    slo: o.slo,
    recorder,
    delivery,
    startedAt,
    notes,
  });
  report.classes = classFigures(recorder);
  const cacheLine = cardCacheLine(report.classes);
  if (cacheLine) notes.push(cacheLine);
  if (members.length > 0 && o.redisCacheUrl) {
    report.cachedPages = await scanCachedPages(o.redisCacheUrl, members);
    const { entries, leaks } = report.cachedPages;
    notes.push(
      leaks.length === 0
        ? `cached pages: ${entries} shared page entries searched, none holds a member's name, address or session`
        : `cached pages: ${leaks.length} of ${entries} entries hold member data: ${leaks.slice(0, 3).join('; ')}`,
    );
    // A page that keeps someone's data for everyone fails the run, whatever its speed.
    if (leaks.length > 0) {
      report.verdict.pass = false;
      report.verdict.line = `${report.verdict.line.replace(/^SLO PASS/, 'SLO FAIL')}; member data in ${leaks.length} cached pages (MISSED)`;
    }
  }
  mkdirSync(o.reportsDir, { recursive: true });
  const stem = `${o.scenario.name}-${startedAt.toISOString().replace(/[:.]/g, '-')}`;
  const jsonPath = join(o.reportsDir, `${stem}.json`);
  const htmlPath = join(o.reportsDir, `${stem}.html`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(htmlPath, renderHtml(report));
  log('');
  log(formatTable(report));
  log('');
  log(formatClasses(report.classes));
  for (const note of notes) log(`note: ${note}`);
  log(`report: ${htmlPath}`);
  log(`raw:    ${jsonPath}`);
  log(report.verdict.line);
  if (!o.reportCheck) return { report, jsonPath, htmlPath };
  log('');
  const { checkReportAfterRun } = await import('../report-check/after-run.js');
  const reportCheck = await checkReportAfterRun({
    check: o.reportCheck,
    target: o.target,
    sites,
    plan,
    sink: o.sink,
    startedAt,
    log,
  });
  return { report, jsonPath, htmlPath, reportCheck };
}
