/**
 * The value of one series in a Prometheus text scrape, matched by name and labels in any
 * order; 0 when the series is absent (a counter that never moved is not printed).
 */
export function sampleValue(scrape: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of scrape.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    const present = labelText.split(',');
    if (wanted.every((pair) => present.includes(pair))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return 0;
}
