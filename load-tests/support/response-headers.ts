import { readFileSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** A response as it came off the wire: its bytes not decompressed, its headers as sent. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  bytes: Buffer;
}

/**
 * GET with exactly the headers given, the body kept as sent: fetch would ask for compression
 * itself and hand back the page decompressed, while a load generator receives the bytes.
 */
export function rawGet(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          headers: flatHeaders(incoming.headers),
          bytes: Buffer.concat(chunks),
        }),
      );
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** `replayableHeaders` for a raw response. */
export function replayableRawHeaders(response: RawResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (!WRITTEN_BY_NODE.has(name)) headers[name] = value;
  }
  return headers;
}

/**
 * Fails unless the baseline at `url`, asked the same way, sends the same bytes and header names.
 * With `normalise`, the bodies are compared as text as it sees them (a view count that moved).
 */
export async function expectSameRawBytes(
  platform: RawResponse,
  url: string,
  headers: Record<string, string>,
  normalise?: (body: string) => string,
): Promise<void> {
  const baseline = await rawGet(url, headers);
  const same = normalise
    ? normalise(baseline.bytes.toString('utf8')) === normalise(platform.bytes.toString('utf8'))
    : baseline.bytes.equals(platform.bytes);
  if (!same) {
    throw new Error(`${url} does not send the platform's body`);
  }
  const names = (r: RawResponse) => Object.keys(replayableRawHeaders(r)).sort().join(' ');
  if (names(baseline) !== names(platform)) {
    throw new Error(`${url} sends headers ${names(baseline)}, the platform ${names(platform)}`);
  }
}

/** A cached page as the platform sent it, and the files a bare baseline replays it from. */
export interface CapturedPage {
  page: RawResponse;
  bodyFile: string;
  headersFile: string;
}

/**
 * Asks the platform for a page with `headers` and keeps its bytes and replayable headers in
 * files for a baseline server. Fails unless it came from the page cache, and, when
 * `headers` accept anything but `identity`, compressed.
 */
export async function captureCachedPage(
  url: string,
  headers: Record<string, string>,
): Promise<CapturedPage> {
  const page = await rawGet(url, headers);
  if (page.headers['x-cache'] !== 'HIT') throw new Error(`${url} is not served from cache`);
  const accepted = headers['accept-encoding'] ?? 'identity';
  if (accepted !== 'identity' && page.headers['content-encoding'] === undefined) {
    throw new Error(`${url} is not compressed for Accept-Encoding: ${accepted}`);
  }
  const bodyFile = join(tmpdir(), `ecard-bench-${process.pid}.body`);
  const headersFile = join(tmpdir(), `ecard-bench-${process.pid}.headers.json`);
  writeFileSync(bodyFile, page.bytes);
  writeHeadersFile(headersFile, replayableRawHeaders(page));
  return { page, bodyFile, headersFile };
}
