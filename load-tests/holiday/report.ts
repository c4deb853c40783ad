import { availableParallelism, loadavg } from 'node:os';
import {
  type Kind,
  PAGE_KINDS,
  type Scenario,
  type SloCheck,
  type SloSettings,
  type Stage,
} from './model.js';
import type { ClassFigures } from './class-summary.js';
import { type Cell, type Recorder } from './recorder.js';

export interface Row {
  kind: string;
  requests: number;
  rate: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  outcomes: Record<string, number>;
  cacheHitRatio: number | null;
}

export interface StageReport {
  name: string;
  seconds: number;
  target: string;
  rows: Row[];
  pages: Row;
  all: Row;
}

export interface TimelinePoint {
  second: number;
  stage: string;
  kinds: Record<string, { rate: number; p50: number; p99: number; errors: number }>;
}

export interface CheckResult {
  label: string;
  stage: string;
  rate: number;
  minRate: number;
  p99: number;
  maxP99Ms: number;
  pass: boolean;
}

export interface DeliveryResult {
  checked: boolean;
  accepted: number;
  delivered: number;
  waitedSeconds: number;
}

export interface Verdict {
  pass: boolean;
  line: string;
  checks: CheckResult[];
  errors: number;
  maxErrors: number;
  delivery: DeliveryResult;
}

export interface Report {
  scenario: string;
  description: string;
  startedAt: string;
  url: string;
  machine: { cpus: number; loadAverage: number[] };
  slo: SloSettings;
  stages: StageReport[];
  timeline: TimelinePoint[];
  verdict: Verdict;
  notes: string[];
  /** Figures per request class over the whole run. */
  classes?: ClassFigures[];
  /** The shared page entries searched for members' data after the run. */
  cachedPages?: { entries: number; leaks: string[] };
}

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

export function rowOf(kind: string, cell: Cell, seconds: number): Row {
  return {
    kind,
    requests: cell.requests,
    rate: round(cell.requests / seconds, 1),
    p50: round(cell.latency.percentile(50)),
    p90: round(cell.latency.percentile(90)),
    p99: round(cell.latency.percentile(99)),
    max: round(cell.latency.max),
    errors: cell.errors,
    outcomes: { ...cell.outcomes },
    cacheHitRatio: cell.cacheHitRatio === null ? null : round(cell.cacheHitRatio, 4),
  };
}

function targetOf(stage: Stage | undefined): string {
  if (!stage) return '';
  if (stage.rate === undefined) return `${stage.connections} connections, unthrottled`;
  const rate = stage.rateTo !== undefined ? `${stage.rate} -> ${stage.rateTo}` : `${stage.rate}`;
  return `${rate} req/s, ${stage.connections} connections`;
}

/** Checks one stage's figures against one threshold. */
export function evaluateCheck(check: SloCheck, recorder: Recorder): CheckResult {
  const seconds = recorder.stageSeconds(check.stage);
  const row = rowOf(check.label, recorder.stageCell(check.stage, check.kinds), seconds || 1);
  return {
    label: check.label,
    stage: check.stage,
    rate: row.rate,
    minRate: check.minRate,
    p99: row.p99,
    maxP99Ms: check.maxP99Ms,
    pass: row.requests > 0 && row.rate >= check.minRate && row.p99 < check.maxP99Ms,
  };
}

/** The one-line verdict: every number it is based on, each marked ok or MISSED. */
export function verdictOf(
  checks: CheckResult[],
  errors: number,
  maxErrors: number,
  delivery: DeliveryResult,
): Verdict {
  const mark = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
  const parts = checks.map(
    (c) =>
      `${c.stage} ${c.label} ${c.rate} req/s (>= ${c.minRate} ${mark(c.rate >= c.minRate)}) p99 ${c.p99} ms (< ${c.maxP99Ms} ${mark(c.p99 < c.maxP99Ms)})`,
  );
  const errorsOk = errors <= maxErrors;
  parts.push(`errors ${errors} (<= ${maxErrors} ${mark(errorsOk)})`);
  const deliveryOk = !delivery.checked || delivery.delivered === delivery.accepted;
  parts.push(
    delivery.checked
      ? `delivered ${delivery.delivered}/${delivery.accepted} in ${delivery.waitedSeconds} s after the load (${mark(deliveryOk)})`
      : 'delivery not checked (no SMTP sink of this run)',
  );
  const pass = checks.every((c) => c.pass) && errorsOk && deliveryOk;
  return {
    pass,
    line: `SLO ${pass ? 'PASS' : 'FAIL'} ${parts.join('; ')}`,
    checks,
    errors,
    maxErrors,
    delivery,
  };
}

export function buildReport(input: {
  scenario: Scenario;
  url: string;
  slo: SloSettings;
  recorder: Recorder;
  delivery: DeliveryResult;
  startedAt: Date;
  notes: string[];
}): Report {
  const { recorder, scenario } = input;
  const kinds = recorder.kindsSeen();
  const stages: StageReport[] = [...recorder.stages.keys()].map((name) => {
    const seconds = recorder.stageSeconds(name);
    const cells = recorder.stages.get(name);
    const rows = kinds
      .filter((k) => cells?.has(k))
      .map((k) => rowOf(k, cells?.get(k) as Cell, seconds));
    return {
      name,
      seconds: round(seconds, 1),
      target: targetOf(scenario.stages.find((s) => s.name === name)),
      rows,
      pages: rowOf('pages', recorder.stageCell(name, PAGE_KINDS), seconds),
      all: rowOf('all', recorder.stageCell(name, kinds), seconds),
    };
  });
  const timeline = recorder.seconds.map((cells, second) => {
    const point: TimelinePoint = { second, stage: recorder.secondStage[second] ?? '', kinds: {} };
    for (const [kind, cell] of cells) {
      point.kinds[kind] = {
        rate: cell.requests,
        p50: round(cell.latency.percentile(50)),
        p99: round(cell.latency.percentile(99)),
        errors: cell.errors,
      };
    }
    return point;
  });
  const checks = scenario.checks.map((c) => evaluateCheck(c, recorder));
  return {
    scenario: scenario.name,
    description: scenario.description,
    startedAt: input.startedAt.toISOString(),
    url: input.url,
    machine: { cpus: availableParallelism(), loadAverage: loadavg().map((l) => round(l)) },
    slo: input.slo,
    stages,
    timeline,
    verdict: verdictOf(checks, recorder.totalErrors(), input.slo.maxErrors, input.delivery),
    notes: input.notes,
  };
}

const pad = (value: string | number, width: number): string => String(value).padStart(width);

/** The per-stage, per-kind table printed at the end of a run. */
export function formatTable(report: Report): string {
  const head = `${'stage'.padEnd(13)}${'kind'.padEnd(13)}${pad('requests', 9)}${pad('req/s', 9)}${pad('p50 ms', 9)}${pad('p90 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}${pad('cache hit', 11)}`;
  const lines = [head, '-'.repeat(head.length)];
  for (const stage of report.stages) {
    for (const row of [...stage.rows, stage.pages, stage.all]) {
      if (row.requests === 0 && row.kind !== 'all') continue;
      const ratio = row.cacheHitRatio === null ? '-' : `${(row.cacheHitRatio * 100).toFixed(1)}%`;
      lines.push(
        `${(row === stage.rows[0] ? stage.name : '').padEnd(13)}${row.kind.padEnd(13)}${pad(row.requests, 9)}${pad(row.rate.toFixed(1), 9)}${pad(row.p50.toFixed(2), 9)}${pad(row.p90.toFixed(2), 9)}${pad(row.p99.toFixed(2), 9)}${pad(row.errors, 8)}${pad(ratio, 11)}`,
      );
    }
    lines.push(`${''.padEnd(13)}(${stage.seconds} s; target ${stage.target})`);
  }
  return lines.join('\n');
}

export function kindsOf(report: Report): Kind[] {
  const seen = new Set<string>();
  for (const p of report.timeline) for (const k of Object.keys(p.kinds)) seen.add(k);
  return [...seen] as Kind[];
}
