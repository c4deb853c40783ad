import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { slaTargetsFrom } from '../config/ops-config.js';
import {
  buildSlaReport,
  formatSlaReport,
  parseDuration,
  parseRequestLine,
  type RequestRecord,
} from './sla-report.js';

const USAGE = `usage: npm run sla -- [--since 1h] [--file app.log] [--json]
  reads JSON request log lines (the web process's stdout) from --file or stdin
  targets: SLA_AVAILABILITY_TARGET (99.95), SLA_PAGE_LATENCY_MS (100), SLA_PAGE_LATENCY_SHARE (90)`;

/** `npm run sla`: the SLA report from request log lines. */
async function main(argv: string[]): Promise<void> {
  let sinceMs: number | undefined;
  let file: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--since') {
      const parsed = parseDuration(argv[++i] ?? '');
      if (parsed === null) return fail('--since takes a duration such as 90s, 15m, 1h or 7d');
      sinceMs = parsed;
    } else if (arg === '--file') {
      file = argv[++i];
      if (!file) return fail('--file takes a path');
    } else if (arg === '--json') {
      json = true;
    } else {
      return fail(arg === '--help' ? '' : `unknown argument ${arg}`);
    }
  }
  const targets = slaTargetsFrom(process.env);
  const input = file ? createReadStream(file) : process.stdin;
  const records: RequestRecord[] = [];
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    const record = parseRequestLine(line);
    if (record) records.push(record);
  }
  const report = buildSlaReport(records, targets, sinceMs === undefined ? {} : { sinceMs });
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatSlaReport(report));
}

function fail(message: string): void {
  process.stderr.write(`${message ? `${message}\n` : ''}${USAGE}\n`);
  process.exitCode = 2;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
