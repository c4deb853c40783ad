import type { FastifyInstance } from 'fastify';

/** Parts of one form beyond which a post is not a form of ours. */
const MAX_PARTS = 50;

/**
 * `multipart/form-data` posts (a form with a file input, such as the address book's import)
 * read into the same flat field map as urlencoded forms: each part by its name, a file part as
 * its text. Bounded by the server's body limit; nothing is written to disk. A body that does
 * not parse is an empty form, which every form handler refuses on its missing token.
 */
export function installMultipartForms(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer' },
    (request, body, done) => {
      const type = String(request.headers['content-type'] ?? '');
      done(null, parseMultipart(body as Buffer, type));
    },
  );
}

export function parseMultipart(
  body: Buffer,
  contentType: string,
): Record<string, string | string[]> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const fields: Record<string, string | string[]> = {};
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return fields;
  const delimiter = Buffer.from(`--${marker}`);
  let at = body.indexOf(delimiter);
  let parts = 0;
  while (at !== -1 && parts++ < MAX_PARTS) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // Each part: CRLF, headers, a blank line, the content, CRLF before the next delimiter.
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined && name !== '__proto__') {
        const value = part.subarray(split + 4).toString('utf8');
        const held = fields[name];
        fields[name] =
          held === undefined ? value : Array.isArray(held) ? [...held, value] : [held, value];
      }
    }
    at = next;
  }
  return fields;
}
