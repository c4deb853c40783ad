import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** The encodings the platform answers in, best first. */
export type ContentEncoding = 'br' | 'gzip';

/**
 * How hard to compress: a page is compressed once per stored entry on the request that
 * rendered it, so a middle setting (a fraction of a millisecond for a page); a static file
 * once per process at boot, so the smallest result.
 */
export type CompressionEffort = 'page' | 'asset';

/** Raw header values seen: a few per kind of browser, so a small cap is plenty. */
const MAX_REMEMBERED = 64;
const remembered = new Map<string, ContentEncoding | null>();

/**
 * The encoding to answer a request in, from its Accept-Encoding: brotli when accepted, else
 * gzip, else none. A header value parsed once is remembered (bounded, so made-up values cannot
 * grow the map), and a cache hit pays a map read.
 */
export function preferredEncoding(header: string | string[] | undefined): ContentEncoding | null {
  if (typeof header !== 'string' || header === '') return null;
  const known = remembered.get(header);
  if (known !== undefined) return known;
  const choice = parseAcceptEncoding(header);
  if (remembered.size < MAX_REMEMBERED) remembered.set(header, choice);
  return choice;
}

/** RFC 9110 §12.5.3, for the two codings served: `q=0` refuses one, `*` stands for the rest. */
export function parseAcceptEncoding(header: string): ContentEncoding | null {
  const accepted = new Map<string, boolean>();
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim());
    if (name === '') continue;
    const q = params.find((p) => p.startsWith('q='));
    accepted.set(name, q === undefined || Number(q.slice(2)) > 0);
  }
  const wildcard = accepted.get('*') ?? false;
  const allows = (coding: string) => accepted.get(coding) ?? wildcard;
  if (allows('br')) return 'br';
  if (allows('gzip') || accepted.get('x-gzip') === true) return 'gzip';
  return null;
}

/** What goes out for a request for a text file: its bytes, their tag and their coding. */
export interface Representation<Body> {
  body: Body | Buffer;
  etag: string;
  /** The Content-Encoding to send, or null for the file as it is. */
  encoding: ContentEncoding | null;
}

/**
 * The representation of a text file (a static file, a card's artwork) a request gets:
 * compressed in the coding its Accept-Encoding prefers when `encodedIn` has a copy (none when
 * compressing would not make it smaller); a compressed copy is another representation of the
 * same file, so its tag is weak.
 */
export function representationFor<Body>(
  acceptEncoding: string | string[] | undefined,
  file: { body: Body; etag: string },
  encodedIn: (encoding: ContentEncoding) => Buffer | undefined,
): Representation<Body> {
  const encoding = preferredEncoding(acceptEncoding);
  const encoded = encoding === null ? undefined : encodedIn(encoding);
  return encoded === undefined
    ? { body: file.body, etag: file.etag, encoding: null }
    : { body: encoded, etag: `W/${file.etag}`, encoding };
}

/** The body in `encoding`, or null when compressing would not make it smaller. */
export function encodeBody(
  body: Buffer,
  encoding: ContentEncoding,
  effort: CompressionEffort,
): Buffer | null {
  const encoded =
    encoding === 'br'
      ? brotliCompressSync(body, {
          params: {
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_QUALITY]: effort === 'page' ? 5 : constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        })
      : gzipSync(body, { level: effort === 'page' ? 6 : 9 });
  return encoded.length < body.length ? encoded : null;
}
