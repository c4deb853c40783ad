import { kindsOf, type Report, type TimelinePoint } from './report.js';

const COLORS: Record<string, string> = {
  card: '#1f77b4',
  home: '#2ca02c',
  occasion: '#9467bd',
  compose: '#8c564b',
  pickup: '#ff7f0e',
  send: '#d62728',
  search: '#17becf',
  'search-rare': '#0e7c86',
  preview: '#bcbd22',
  photo: '#e377c2',
  'm-card': '#6baed6',
  'm-home': '#74c476',
  'm-occasion': '#b5a3d6',
  history: '#7f7f7f',
  'm-compose': '#c49c94',
  'm-pick': '#a55194',
  'm-send': '#ff9896',
  all: '#222222',
};

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Series {
  name: string;
  values: (number | null)[];
}

/** A line chart as inline SVG: one polyline per series, stages shaded, axes labelled. */
function lineChart(
  title: string,
  unit: string,
  timeline: TimelinePoint[],
  series: Series[],
): string {
  const width = 900;
  const height = 260;
  const left = 60;
  const right = 110;
  const top = 28;
  const bottom = 34;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const n = Math.max(1, timeline.length - 1);
  const maxValue = Math.max(
    1,
    ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)),
  );
  const x = (i: number): number => left + (i / n) * plotW;
  const y = (v: number): number => top + plotH - (v / maxValue) * plotH;
  const parts: string[] = [];
  // Stage bands, alternating shades, labelled at the top.
  let start = 0;
  let band = 0;
  for (let i = 1; i <= timeline.length; i++) {
    if (i === timeline.length || timeline[i]?.stage !== timeline[start]?.stage) {
      const x0 = x(start);
      const x1 = x(Math.min(i, n));
      parts.push(
        `<rect x="${x0.toFixed(1)}" y="${top}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${plotH}" fill="${band % 2 ? '#f4f4f4' : '#e9eef5'}"/>`,
        `<text x="${(x0 + 3).toFixed(1)}" y="${top + 12}" font-size="10" fill="#555">${esc(timeline[start]?.stage ?? '')}</text>`,
      );
      band += 1;
      start = i;
    }
  }
  for (let t = 0; t <= 4; t++) {
    const v = (maxValue * t) / 4;
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ccc" stroke-width="0.5"/>`,
      `<text x="${left - 6}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end">${v >= 100 ? v.toFixed(0) : v.toFixed(1)}</text>`,
    );
  }
  const tickEvery = Math.max(1, Math.ceil(timeline.length / 12));
  for (let i = 0; i < timeline.length; i += tickEvery) {
    parts.push(
      `<text x="${x(i).toFixed(1)}" y="${height - bottom + 14}" font-size="10" text-anchor="middle">${i}</text>`,
    );
  }
  parts.push(
    `<text x="${left + plotW / 2}" y="${height - 4}" font-size="11" text-anchor="middle">seconds into the run</text>`,
  );
  series.forEach((s, index) => {
    const color = COLORS[s.name] ?? '#333';
    const points = s.values
      .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
      .filter((p): p is string => p !== null)
      .join(' ');
    parts.push(
      `<polyline class="series" data-kind="${esc(s.name)}" fill="none" stroke="${color}" stroke-width="1.6" points="${points}"/>`,
      `<rect x="${width - right + 10}" y="${top + index * 16}" width="10" height="10" fill="${color}"/>`,
      `<text x="${width - right + 24}" y="${top + index * 16 + 9}" font-size="11">${esc(s.name)}</text>`,
    );
  });
  return `<figure><figcaption>${esc(title)} (${esc(unit)})</figcaption><svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">${parts.join('')}</svg></figure>`;
}

function table(report: Report): string {
  const rows = report.stages.flatMap((stage) =>
    [...stage.rows, stage.pages, stage.all]
      .filter((r) => r.requests > 0 || r.kind === 'all')
      .map(
        (r, i) =>
          `<tr${r.kind === 'pages' || r.kind === 'all' ? ' class="sum"' : ''}><td>${i === 0 ? esc(stage.name) : ''}</td><td>${esc(r.kind)}</td><td>${r.requests}</td><td>${r.rate.toFixed(1)}</td><td>${r.p50.toFixed(2)}</td><td>${r.p90.toFixed(2)}</td><td>${r.p99.toFixed(2)}</td><td>${r.max.toFixed(1)}</td><td>${r.errors}</td><td>${r.cacheHitRatio === null ? '-' : `${(r.cacheHitRatio * 100).toFixed(1)}%`}</td></tr>`,
      ),
  );
  return `<table><thead><tr><th>stage</th><th>kind</th><th>requests</th><th>req/s</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th><th>errors</th><th>cache hit</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The whole report as one HTML file: no script, no external resource, opens anywhere. */
export function renderHtml(report: Report): string {
  const kinds = kindsOf(report);
  const total: Series = {
    name: 'all',
    values: report.timeline.map((p) => Object.values(p.kinds).reduce((n, k) => n + k.rate, 0)),
  };
  const rate: Series[] = [
    total,
    ...kinds.map((k) => ({ name: k, values: report.timeline.map((p) => p.kinds[k]?.rate ?? 0) })),
  ];
  const p99: Series[] = kinds.map((k) => ({
    name: k,
    values: report.timeline.map((p) => p.kinds[k]?.p99 ?? null),
  }));
  const p50: Series[] = kinds.map((k) => ({
    name: k,
    values: report.timeline.map((p) => p.kinds[k]?.p50 ?? null),
  }));
  const verdict = report.verdict;
  const stages = report.stages
    .map((s) => `<li>${esc(s.name)}: ${s.seconds} s, target ${esc(s.target)}</li>`)
    .join('');
  const notes = report.notes.map((n) => `<li>${esc(n)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Load test ${esc(report.scenario)} ${esc(report.startedAt)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}
.verdict{padding:10px 14px;border-radius:6px;font-family:monospace;white-space:pre-wrap}
.pass{background:#e6f4ea;border:1px solid #34a853}.fail{background:#fce8e6;border:1px solid #d93025}
table{border-collapse:collapse;margin:12px 0}td,th{padding:3px 9px;border-bottom:1px solid #ddd;text-align:right}
td:nth-child(-n+2),th:nth-child(-n+2){text-align:left}tr.sum td{font-weight:600}
figure{margin:18px 0}figcaption{font-weight:600;margin-bottom:4px}
</style></head><body>
<h1>Load test: ${esc(report.scenario)}</h1>
<p>${esc(report.description)}<br>Started ${esc(report.startedAt)} against ${esc(report.url)} on ${report.machine.cpus} CPUs (load average at the end ${report.machine.loadAverage.join(' / ')}).</p>
<p id="verdict" class="verdict ${verdict.pass ? 'pass' : 'fail'}">${esc(verdict.line)}</p>
${lineChart('Requests per second by kind', 'req/s', report.timeline, rate)}
${lineChart('p99 latency by kind, per second', 'ms', report.timeline, p99)}
${lineChart('p50 latency by kind, per second', 'ms', report.timeline, p50)}
<h2>Per stage and kind</h2>
${table(report)}
<h2>Stages</h2><ul>${stages}</ul>
<h2>Notes</h2><ul>${notes}</ul>
<p>Latencies are from the load generator (autocannon, one connection = one request in flight), rounded up to 2% buckets. Cache hit = (HIT + STALE) / responses carrying X-Cache. Raw figures: the JSON file beside this one.</p>
</body></html>
`;
}
