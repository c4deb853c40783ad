import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface TestRequest {
  method: string;
  url: string;
  host?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  payload?: object | string;
  /** Give up (reject) when the server has been silent this long; see DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * Every request gives up in the end, as a browser or a balancer does: a connection stranded
 * by a killed process must fail the test that made it, not hang the whole run.
 */
const DEFAULT_TIMEOUT_MS = 20_000;

/** The server said nothing for the request's whole timeout. */
export class NoAnswerError extends Error {}

export interface TestResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body's bytes, for images and other binary answers. */
  bytes: Buffer;
  json<T = unknown>(): T;
}

/**
 * A real HTTP request over loopback with the exact Host header given, which fetch will not
 * let a caller set. Tests go through the socket, the parser and every hook, as a browser does.
 */
export function send(port: number, req: TestRequest): Promise<TestResponse> {
  const body =
    req.payload === undefined
      ? undefined
      : typeof req.payload === 'string'
        ? req.payload
        : JSON.stringify(req.payload);
  const headers: Record<string, string> = { ...req.headers };
  if (req.host !== undefined) headers.host = req.host;
  if (body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.url,
        headers,
        setHost: false,
        timeout: timeoutMs,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const text = bytes.toString('utf8');
          resolve({
            statusCode: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: text,
            bytes,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.on('timeout', () =>
      outgoing.destroy(
        new NoAnswerError(`no answer to ${req.method} ${req.url} within ${timeoutMs} ms`),
      ),
    );
    if (body !== undefined) outgoing.write(body);
    outgoing.end();
  });
}
