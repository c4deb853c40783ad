import '@fastify/multipart';
import { BadRequestException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Fields of a small form that carries one text file (the address book's import). */
const MAX_FIELDS = 20;
const MAX_FIELD_CHARS = 64 * 1024;
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A form that may carry one text file, read into the same flat field map as a url-encoded
 * form: each field by its name, the file part as its text. A url-encoded post is the body the
 * framework already parsed. Multipart posts are read by `@fastify/multipart` (registered in
 * web-app.ts) as a stream the route's body limit does not bound, so the limits are here: a file
 * is read to one byte past `maxFileBytes` (so the caller can tell it is too large and say so on
 * its form), and too many parts or a cut-off post is refused whole, nothing changed.
 */
export async function readTextUploadForm(
  request: FastifyRequest,
  body: unknown,
  maxFileBytes: number,
): Promise<Record<string, string | string[]>> {
  if (!request.isMultipart()) {
    return (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      string | string[]
    >;
  }
  const fields: Record<string, string | string[]> = {};
  try {
    for await (const part of request.parts({
      limits: {
        files: 1,
        fileSize: maxFileBytes + 1,
        fields: MAX_FIELDS,
        fieldSize: MAX_FIELD_CHARS,
        parts: MAX_FIELDS + 1,
      },
    })) {
      let value: string;
      if (part.type === 'file') {
        value = (await part.toBuffer()).toString('utf8');
      } else {
        if (part.valueTruncated) throw new Error('field too large');
        value = typeof part.value === 'string' ? part.value : '';
      }
      // A field named after an object's own properties could reshape the map: not a field of ours.
      if (UNSAFE_NAMES.has(part.fieldname)) continue;
      const earlier = fields[part.fieldname];
      if (earlier === undefined) fields[part.fieldname] = value;
      else fields[part.fieldname] = [...(typeof earlier === 'string' ? [earlier] : earlier), value];
    }
  } catch {
    throw new BadRequestException('The form could not be read. Please try again.');
  }
  return fields;
}
