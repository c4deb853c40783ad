import type { Result } from 'lighthouse';
import { exceptionFor } from './exceptions.js';
import { CATEGORIES } from './lighthouse-run.js';
import type { PageName } from './public-pages.js';

/** A category or an audit below this score is a finding (Lighthouse's own "passed" mark). */
export const PASS_SCORE = 0.9;

/** Audits that carry no pass or fail of their own: Lighthouse never scores them. */
const UNSCORED = new Set(['notApplicable', 'manual', 'informative']);

export type AuditResult = Result['audits'][string];

export interface Finding {
  id: string;
  /** The category the audit is shown in. */
  category: string;
  title: string;
  /** null when the audit could not run (its error is in `explanation`). */
  score: number | null;
  displayValue: string;
  explanation: string;
  /** The first few elements or resources the audit names, to know where to look. */
  examples: string[];
  /** Set when a documented exception covers this result: why it does not fail the run. */
  excepted: string | undefined;
}

export interface PageVerdict {
  scores: Record<string, number | null>;
  findings: Finding[];
  /** Categories below 0.9 and findings no exception covers: what fails the run. */
  failures: { id: string; category: string }[];
}

/**
 * Every audit the report would show as not passed (below 0.9, or failed to run) and every
 * category below 0.9. Audits Lighthouse keeps out of its report (group `hidden`: raw data such
 * as the request list, and retired metrics such as max-potential-fid) are not counted, as the
 * report does not count them.
 */
export function verdictOf(lhr: Result, page: PageName): PageVerdict {
  const scores: Record<string, number | null> = {};
  const findings: Finding[] = [];
  for (const category of CATEGORIES) {
    const score = lhr.categories[category]?.score ?? null;
    scores[category] = score === null ? null : Math.round(score * 100);
    for (const ref of lhr.categories[category]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id];
      if (ref.group === 'hidden' || audit === undefined) continue;
      if (UNSCORED.has(audit.scoreDisplayMode)) continue;
      if (audit.scoreDisplayMode !== 'error' && (audit.score ?? 0) >= PASS_SCORE) continue;
      const exception = exceptionFor(audit, page);
      findings.push({
        id: ref.id,
        category,
        title: audit.title,
        score: audit.score,
        displayValue: audit.displayValue ?? '',
        explanation: audit.errorMessage ?? audit.explanation ?? '',
        examples: examplesOf(audit.details, 3),
        excepted: exception?.reason,
      });
    }
  }
  findings.sort((a, b) => (a.score ?? -1) - (b.score ?? -1));
  const failures = [
    ...Object.entries(scores)
      .filter(([, score]) => score === null || score < PASS_SCORE * 100)
      .map(([category]) => ({ id: category, category })),
    ...findings.filter((finding) => finding.excepted === undefined),
  ];
  return { scores, findings, failures };
}

/**
 * What measures time spent on the host's CPU while the page loads. Under simulated throttling
 * the network is modelled, but the CPU tasks are the ones observed, slowed down: on a busy
 * host they take longer for reasons that are not the page's. Load only ever adds time, so of
 * several runs the fastest is the closest to the page's own cost.
 */
const CPU_TIMED = new Set([
  'performance',
  'first-contentful-paint',
  'largest-contentful-paint',
  'speed-index',
  'total-blocking-time',
  'interactive',
  'mainthread-work-breakdown',
  'bootup-time',
  'long-tasks',
  'forced-reflow-insight',
]);

/** Whether another run could change the verdict: every failure is one the host's load moves. */
export function onlyCpuTimed(verdict: PageVerdict): boolean {
  return verdict.failures.length > 0 && verdict.failures.every((f) => CPU_TIMED.has(f.id));
}

/**
 * URLs, element snippets and selectors found in an audit's details, however they nest
 * (tables, lists of tables, sub-items).
 */
function examplesOf(details: unknown, limit: number): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (found.length >= limit || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    const record = value as Record<string, unknown>;
    if (record.type === 'node') {
      const text = [record.selector, record.snippet].filter((part) => typeof part === 'string');
      if (text.length > 0) found.push(text.join(' '));
      return;
    }
    if (typeof record.url === 'string' && record.url !== '') {
      found.push(record.url);
      return;
    }
    for (const key of ['items', 'value', 'node', 'source', 'subItems']) visit(record[key]);
  };
  visit(details);
  return [...new Set(found)];
}
