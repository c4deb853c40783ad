import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** Where a frame's code lives: a package, a folder of ours, node's internals or V8. */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  if (url.startsWith('node:'))
    return url.replace(/^node:(internal\/)?/, 'node:').split('/')[0] ?? url;
  const ours = /\/dist\/(src\/[^/]+)/.exec(url) ?? /\/(src\/[^/]+)/.exec(url);
  if (ours) return ours[1] ?? url;
  return url.split('/').slice(-2).join('/');
}

export interface ProfileSummary {
  files: number;
  sampledMs: number;
  /** Time each process spent running code (not idle), of its whole profile. */
  perProcess: { file: string; busyMs: number; busyShare: number }[];
  byArea: { area: string; ms: number; share: number }[];
  byFunction: { fn: string; ms: number; share: number }[];
}

/** Self time by area and by function over every .cpuprofile in `dir` (the web workers'). */
export function summariseProfiles(dir: string, top = 20): ProfileSummary {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalMs = 0;
  const perProcess: ProfileSummary['perProcess'] = [];
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const samples = profile.samples?.length ?? 0;
    if (samples === 0) continue;
    const msPerSample = (profile.endTime - profile.startTime) / 1000 / samples;
    let busy = 0;
    for (const node of profile.nodes) {
      const ms = (node.hitCount ?? 0) * msPerSample;
      // Idle is time waiting for I/O; the shares below are of the time spent working.
      if (ms === 0 || node.callFrame.functionName === '(idle)') continue;
      busy += ms;
      totalMs += ms;
      const { functionName, url, lineNumber } = node.callFrame;
      const area = areaOf(url, functionName);
      byArea.set(area, (byArea.get(area) ?? 0) + ms);
      const where = url
        ? `${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`
        : '';
      const fn = `${functionName || '(anonymous)'} ${where}`.trim();
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    }
    const wall = (profile.endTime - profile.startTime) / 1000;
    perProcess.push({ file, busyMs: Math.round(busy), busyShare: wall > 0 ? busy / wall : 0 });
  }
  const ranked = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    files: files.length,
    sampledMs: Math.round(totalMs),
    perProcess,
    byArea: ranked(byArea).map(([area, ms]) => ({ area, ms: Math.round(ms), share: ms / totalMs })),
    byFunction: ranked(byFunction).map(([fn, ms]) => ({
      fn,
      ms: Math.round(ms),
      share: ms / totalMs,
    })),
  };
}

export function formatProfile(s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  return [
    `CPU profile of the web processes: ${s.files} files, ${s.sampledMs} ms of work sampled (self time, idle excluded)`,
    ...s.perProcess.map(
      (p) => `  ${p.file}: busy ${p.busyMs} ms = ${pct(p.busyShare).trim()} of its wall time`,
    ),
    'by area (share of work):',
    ...s.byArea.map((a) => `  ${pct(a.share)}  ${a.area}`),
    'by function:',
    ...s.byFunction.map((f) => `  ${pct(f.share)}  ${f.fn}`),
  ].join('\n');
}
