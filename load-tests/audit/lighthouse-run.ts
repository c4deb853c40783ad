import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { type Flags, type Result } from 'lighthouse';
import { installIteratorHelpers } from './iterator-helpers.js';

/** The categories audited. */
export const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;

export interface AuditBrowser {
  port: number;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, as the browser tests launch it: every host answered on
 * loopback, so each site's own name reaches the local server.
 */
export async function launchAuditBrowser(): Promise<AuditBrowser> {
  installIteratorHelpers();
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--host-resolver-rules=MAP * 127.0.0.1',
    ],
    logLevel: 'silent',
  });
  return { port: chrome.port, close: async () => chrome.kill() };
}

/** Lighthouse's default CPU slowdown: a desktop in the 1500-2000 benchmark range made a phone. */
export const DEFAULT_CPU_MULTIPLIER = 4;

/**
 * Lighthouse's throttling guide ("Calibrating the CPU slowdown") relates a host's benchmark
 * index to the slowdown that makes it a mid-tier phone: 150 is one already (1x), 800 wants 2x,
 * 1300 3x, 1533 the default 4x. Between these points the slowdown is read on the line.
 */
const CALIBRATION: readonly (readonly [benchmark: number, multiplier: number])[] = [
  [150, 1],
  [800, 2],
  [1300, 3],
  [1533, 4],
];

/**
 * The slowdown that makes this host the phone Lighthouse means, never more than its default:
 * on an idle desktop that is the default; on a host slowed down by other work (a shared
 * machine) less, or the audit would judge a phone several times slower than a mid-tier one.
 */
export function calibratedMultiplier(benchmarkIndex: number): number {
  let previous: readonly [number, number] = [0, 1];
  for (const point of CALIBRATION) {
    if (benchmarkIndex <= point[0]) {
      const share = (benchmarkIndex - previous[0]) / (point[0] - previous[0]);
      return Math.max(1, previous[1] + share * (point[1] - previous[1]));
    }
    previous = point;
  }
  return DEFAULT_CPU_MULTIPLIER;
}

export interface AuditRun {
  lhr: Result;
  benchmarkIndex: number;
  cpuMultiplier: number;
}

/**
 * One Lighthouse navigation with its defaults: a mid-range phone (Moto G Power, 412x823),
 * simulated slow 4G and a slower CPU, storage and cache cleared first. Simulated throttling
 * applies the slowdown when it audits, so the page is loaded once, the host's benchmark read
 * from what was gathered, and the audits run with the slowdown for that host, or with
 * `cpuMultiplier` when one is given.
 */
export async function auditUrl(
  browser: AuditBrowser,
  url: string,
  cpuMultiplier?: number,
): Promise<AuditRun> {
  const gathered = mkdtempSync(join(tmpdir(), 'ecard-lighthouse-'));
  try {
    const settings: Flags = { logLevel: 'error', onlyCategories: [...CATEGORIES] };
    await lighthouse(url, { ...settings, port: browser.port, gatherMode: gathered });
    const saved = join(gathered, 'artifacts.json');
    const artifacts = JSON.parse(readFileSync(saved, 'utf8')) as {
      BenchmarkIndex: number;
      settings: { throttling: { cpuSlowdownMultiplier: number } };
    };
    const multiplier = cpuMultiplier ?? calibratedMultiplier(artifacts.BenchmarkIndex);
    // Lighthouse refuses to audit with settings other than those it gathered with. Under
    // simulated throttling the page loads unthrottled and the slowdown is applied by the audits'
    // simulation (while gathering it only scales requestIdleCallback deadlines, which no page
    // here asks for), so what was gathered holds for any slowdown: the recorded one is made the
    // one the audits use.
    artifacts.settings.throttling.cpuSlowdownMultiplier = multiplier;
    writeFileSync(saved, JSON.stringify(artifacts));
    const run = await lighthouse(url, {
      ...settings,
      auditMode: gathered,
      output: 'json',
      throttling: { cpuSlowdownMultiplier: multiplier },
    });
    if (run === undefined) throw new Error(`Lighthouse returned nothing for ${url}`);
    if (run.lhr.runtimeError !== undefined) {
      throw new Error(`Lighthouse could not audit ${url}: ${run.lhr.runtimeError.message}`);
    }
    return { lhr: run.lhr, benchmarkIndex: artifacts.BenchmarkIndex, cpuMultiplier: multiplier };
  } finally {
    rmSync(gathered, { recursive: true, force: true });
  }
}
