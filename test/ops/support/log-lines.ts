/** A JSON log line a child process wrote to stdout. */
export interface LogLine {
  [field: string]: unknown;
}

export const linesOf = (output: string): LogLine[] =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
