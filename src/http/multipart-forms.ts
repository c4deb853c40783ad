import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** What one multipart form may hold; a post past any of these is not read (see readMultipart). */
export interface MultipartLimits {
  files: number;
  /** Bytes of one file: a larger one is cut here and marked `truncated`. */
  fileSize: number;
  fields: number;
  /** Characters of one field; a longer one refuses the post. */
  fieldSize: number;
  /** Characters of all fields together; more refuses the post. */
  totalFieldChars: number;
}

export interface MultipartFile {
  fieldname: string;
  bytes: Buffer;
  /** The file was larger than the limit: `bytes` holds its first `fileSize` bytes. */
  truncated: boolean;
}

export interface MultipartForm {
  fields: Record<string, string | string[]>;
  files: MultipartFile[];
}

/** A multipart post that is cut off, malformed, or beyond its limits: nothing in it is used. */
export class UnreadableForm extends Error {}

/** A field named after an object's own properties could reshape the map: not a field of ours. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Multipart posts are left unread by the framework and read by the handler of a form that
 * takes a file, with that form's limits (readMultipart): streamed, so the route's body limit
 * does not bound them and these limits do. @fastify/busboy parses them; @fastify/multipart's
 * plugin would also add an onResponse hook to every route, which the edge keeps free of.
 */
export function installMultipartPosts(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('multipart/form-data', (_request, _payload, done) => {
    done(null, undefined);
  });
}

export function isMultipart(request: FastifyRequest): boolean {
  return /^multipart\/form-data\b/i.test(String(request.headers['content-type'] ?? ''));
}

/** Reads a multipart post into its fields and files; rejects with UnreadableForm. */
export function readMultipart(
  request: FastifyRequest,
  limits: MultipartLimits,
): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    const fields: MultipartForm['fields'] = {};
    const files: MultipartFile[] = [];
    let chars = 0;
    let failed = false;
    const fail = (why: string) => {
      if (failed) return;
      failed = true;
      request.raw.unpipe();
      request.raw.resume();
      reject(new UnreadableForm(why));
    };
    let parser: BusboyInstance;
    try {
      parser = new Busboy({
        headers: request.raw.headers as { 'content-type': string },
        limits: {
          files: limits.files,
          fileSize: limits.fileSize,
          fields: limits.fields,
          fieldSize: limits.fieldSize,
          parts: limits.files + limits.fields,
        },
      });
    } catch (error) {
      reject(new UnreadableForm((error as Error).message));
      return;
    }
    const pending: Promise<void>[] = [];
    parser.on('file', (fieldname, stream) => {
      const chunks: Buffer[] = [];
      pending.push(
        new Promise<void>((done, error) => {
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            if (!UNSAFE_NAMES.has(fieldname)) {
              files.push({ fieldname, bytes: Buffer.concat(chunks), truncated: stream.truncated });
            }
            done();
          });
          stream.on('error', error);
        }),
      );
    });
    parser.on('field', (fieldname, value, _nameTruncated, valueTruncated) => {
      chars += value.length;
      if (valueTruncated || chars > limits.totalFieldChars) return fail('form too large');
      if (UNSAFE_NAMES.has(fieldname)) return;
      const earlier = fields[fieldname];
      if (earlier === undefined) fields[fieldname] = value;
      else fields[fieldname] = [...(typeof earlier === 'string' ? [earlier] : earlier), value];
    });
    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      parser.on(limit, () => fail(limit));
    }
    parser.on('error', (error: Error) => fail(error.message));
    parser.on('finish', () => {
      Promise.all(pending).then(
        () => {
          if (!failed) resolve({ fields, files });
        },
        (error: Error) => fail(error.message),
      );
    });
    request.raw.on('error', (error) => fail(error.message));
    request.raw.on('aborted', () => fail('aborted'));
    request.raw.pipe(parser);
  });
}

/** Fields of a small form that carries one text file (the address book's import). */
const TEXT_FORM_LIMITS = { files: 1, fields: 20, fieldSize: 64 * 1024 };

/**
 * A form that may carry one text file, read into the same flat field map as a url-encoded
 * form: each field by its name, the file part as its text. A url-encoded post is the body the
 * framework already parsed. A file is read to one byte past `maxFileBytes`, so the caller can
 * tell it is too large and say so on its form.
 */
export async function readTextUploadForm(
  request: FastifyRequest,
  body: unknown,
  maxFileBytes: number,
): Promise<Record<string, string | string[]>> {
  if (!isMultipart(request)) {
    return (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      string | string[]
    >;
  }
  const form = await readMultipart(request, {
    ...TEXT_FORM_LIMITS,
    fileSize: maxFileBytes + 1,
    totalFieldChars: TEXT_FORM_LIMITS.fieldSize,
  }).catch(() => {
    throw new BadRequestException('The form could not be read. Please try again.');
  });
  const fields = { ...form.fields };
  for (const file of form.files) {
    if (fields[file.fieldname] === undefined) fields[file.fieldname] = file.bytes.toString('utf8');
  }
  return fields;
}
