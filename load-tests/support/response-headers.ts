import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Headers Node's HTTP server writes on every response by itself, so a baseline must not copy
 * them: they would be sent twice or contradict the body it sends.
 */
const WRITTEN_BY_NODE = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
]);

/**
 * The headers of one of the platform's responses, for a baseline server to send the same bytes.
 * A load generator parses every header line (autocannon about a microsecond each, as much as a
 * fifth of a cached page's cost on a two-core machine), so a baseline answering with fewer lines
 * would measure the generator's parser, not the server under test.
 */
export function replayableHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!WRITTEN_BY_NODE.has(name)) headers[name] = value;
  });
  return headers;
}

export function writeHeadersFile(path: string, headers: Record<string, string>): void {
  writeFileSync(path, JSON.stringify(headers));
}

/** In a baseline server: the headers it was given to replay (none when no file is named). */
export function readHeadersFile(path: string | undefined): Record<string, string> {
  return path ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : {};
}

/**
 * Fails unless the baseline at `url` answers with the platform's body (as `normalise` sees it)
 * and the same header names.
 */
export async function expectSameBytes(
  platform: Response,
  platformBody: string,
  url: string,
  normalise: (body: string) => string = (body) => body,
): Promise<void> {
  const baseline = await fetch(url);
  const baselineBody = await baseline.text();
  if (normalise(baselineBody) !== normalise(platformBody)) {
    throw new Error(`${url} does not send the platform's body`);
  }
  const names = (r: Response) => Object.keys(replayableHeaders(r)).sort().join(' ');
  if (names(baseline) !== names(platform)) {
    throw new Error(`${url} sends headers ${names(baseline)}, the platform ${names(platform)}`);
  }
}
