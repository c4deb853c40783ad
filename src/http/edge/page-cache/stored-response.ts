import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type ContentEncoding,
  encodeBody,
  preferredEncoding,
} from '../../../common/content-encoding.js';
import { REQUEST_ID_HEADER } from '../../../platform/observability/request-id.js';
import type { PageEntry } from '../../../platform/cache/page-cache-store.js';

/**
 * Headers that belong to one response, never to the stored page: Node writes the connection
 * ones and Date itself, the length, encoding and entity tag are those of the representation
 * sent (plain, brotli or gzip), the outcome and the request id are this response's.
 */
const PER_RESPONSE = new Set([
  'x-cache',
  REQUEST_ID_HEADER,
  'content-length',
  'content-encoding',
  'etag',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);

/**
 * The rendered page's headers as a stored page keeps them, name and value in turn: everything
 * the page was sent with (its content type, cache headers and tags, the site's security
 * headers) except what belongs to one response. A page with a cookie is never stored.
 */
export function storedHeadersOf(reply: FastifyReply): string[] {
  const lines: string[] = [];
  const headers = reply.getHeaders();
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined || PER_RESPONSE.has(name)) continue;
    if (Array.isArray(value)) for (const item of value) lines.push(name, item);
    else lines.push(name, String(value));
  }
  return lines;
}

/**
 * Answers with a stored page, written straight to Node's response in one `writeHead` and one
 * `end`: the page needs none of Fastify's send path (payload checks, serialisation, onSend
 * hooks, counting the length, walking the reply's header object), which is a tenth of a hit's
 * cost. Only the request id, X-Cache and the representation's encoding, length and entity tag
 * are this response's; the rest is the stored page's.
 */
export function writeStoredPage(
  request: FastifyRequest,
  reply: FastifyReply,
  entry: PageEntry,
  outcome: 'HIT' | 'STALE',
): void {
  const encoding = preferredEncoding(request.headers['accept-encoding']);
  const body = storedBodyOf(entry, encoding);
  const lines = entry.headers.slice();
  lines.push(REQUEST_ID_HEADER, request.id, 'x-cache', outcome, 'etag', body.etag);
  reply.hijack();
  const response = reply.raw;
  if (matchesEtag(request.headers['if-none-match'], entry.etag)) {
    response.writeHead(304, lines);
    response.end();
    return;
  }
  if (body.encoding !== null) lines.push('content-encoding', body.encoding);
  lines.push('content-length', body.length);
  response.writeHead(200, lines);
  response.end(body.bytes);
}

/** A stored page's body as sent in one encoding, with its length and entity tag. */
export interface StoredBody {
  bytes: Buffer;
  length: string;
  /** Null when sent as stored (not accepted compressed, or no smaller compressed). */
  encoding: ContentEncoding | null;
  /** Weak for a compressed body, as a proxy that compresses would make it: same page, other bytes. */
  etag: string;
}

interface StoredBodies {
  identity: StoredBody;
  br?: StoredBody;
  gzip?: StoredBody;
}

/**
 * Each entry's bodies, encoded once: a string reply is measured (byteLength) and encoded again
 * on every response, two passes over the page that a hit does not need, and compressing is
 * done once per entry and encoding (on the request that stored it, or on the first hit in a
 * process that read it from the shared cache), never per hit.
 */
const storedBodies = new WeakMap<PageEntry, StoredBodies>();

export function storedBodyOf(entry: PageEntry, encoding: ContentEncoding | null): StoredBody {
  let bodies = storedBodies.get(entry);
  if (bodies === undefined) {
    const bytes = Buffer.from(entry.body, 'utf8');
    bodies = {
      identity: { bytes, length: String(bytes.length), encoding: null, etag: entry.etag },
    };
    storedBodies.set(entry, bodies);
  }
  if (encoding === null) return bodies.identity;
  let encoded = bodies[encoding];
  if (encoded === undefined) {
    const bytes = encodeBody(bodies.identity.bytes, encoding, 'page');
    encoded =
      bytes === null
        ? bodies.identity
        : { bytes, length: String(bytes.length), encoding, etag: `W/${entry.etag}` };
    bodies[encoding] = encoded;
  }
  return encoded;
}

/** If-None-Match against a page's tag, by the weak comparison RFC 9110 asks of GET. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header === etag) return true;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === etag || t === `W/${etag}` || t === '*';
  });
}
