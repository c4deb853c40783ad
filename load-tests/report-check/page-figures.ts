import { type CheckedTable, parseCsv } from './csv-figures.js';

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/** The body rows of the page's table with that id, each as its cells' text (header cell first). */
export function pageTable(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(html);
  if (!table?.[1]) return [];
  return [...table[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      unescapeHtml(cell[1] ?? ''),
    ),
  );
}

/** What the chart is drawn from: the JSON the page hands its script. */
export function pageChart(
  html: string,
): { days: string[]; series: { label: string; values: number[] }[] } | null {
  const data = /<script type="application\/json" id="report-chart-data">([\s\S]*?)<\/script>/.exec(
    html,
  );
  return data?.[1] ? (JSON.parse(data[1]) as ReturnType<typeof pageChart>) : null;
}

/**
 * Where the report page (what a person reads, and what its chart is drawn from) differs from
 * the CSV downloads: totals and per-day tables cell by cell, the chart's series against the
 * per-day CSV, and the delay percentiles in the page's sentence against the delay CSV.
 */
export function pageMismatches(html: string, csv: Record<CheckedTable, string>): string[] {
  const problems: string[] = [];
  const same = (what: string, page: string[][], rows: string[][]) => {
    if (page.length !== rows.length)
      problems.push(`${what}: page ${page.length} rows, CSV ${rows.length}`);
    rows.forEach((row, r) =>
      row.forEach((cell, c) => {
        if (page[r]?.[c] !== cell) {
          problems.push(
            `${what} row ${r + 1} column ${c + 1}: page "${page[r]?.[c] ?? ''}", CSV "${cell}"`,
          );
        }
      }),
    );
  };
  const totals = parseCsv(csv.totals).slice(1);
  const daily = parseCsv(csv.daily);
  same('totals', pageTable(html, 'report-totals'), totals);
  same('per day', pageTable(html, 'report-daily'), daily.slice(1));
  const chart = pageChart(html);
  if (!chart) problems.push('the page has no chart data');
  else {
    same(
      'chart',
      [chart.days, ...chart.series.map((s) => s.values.map(String))],
      [
        daily.slice(1).map((row) => row[0] ?? ''),
        ...(daily[0] ?? []).slice(1).map((_, i) => daily.slice(1).map((row) => row[i + 1] ?? '')),
      ],
    );
    const labels = chart.series.map((s) => s.label).join(', ');
    if (labels !== (daily[0] ?? []).slice(1).join(', ')) {
      problems.push(
        `chart series "${labels}", CSV columns "${(daily[0] ?? []).slice(1).join(', ')}"`,
      );
    }
  }
  const delay = new Map(parseCsv(csv.delay).map((row) => [row[0], row[1] ?? '']));
  const sentence = unescapeHtml(/<p id="report-delay">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '');
  for (const p of ['p50', 'p90', 'p99']) {
    const shown = new RegExp(`${p} ([^,]+?)(,| over)`).exec(sentence)?.[1] ?? '';
    const want = delay.get(p) || '–';
    if (shown !== want) problems.push(`delay ${p}: page "${shown}", CSV "${want}"`);
  }
  return problems;
}
