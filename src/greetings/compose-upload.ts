import { BadRequestException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { isMultipart, readMultipart } from '../http/multipart-forms.js';

/** The compose form's fields, and the photo file it carried, if one was chosen. */
export interface ComposePost {
  fields: Record<string, unknown>;
  photo: { bytes: Buffer; tooBig: boolean } | null;
}

/**
 * The carried photo (base64 of the prepared JPEG, see compose-photo.ts) is the one large text
 * field; every other field is small. Enough for the largest prepared photo, far below any file.
 */
export const CARRIED_PHOTO_MAX_CHARS = 3 * 1024 * 1024;
/** Fields of one post: recipients' rows and the rest, with room to spare. */
const MAX_FIELDS = 400;
/**
 * Text of all fields together: the carried photo and what the url-encoded form may hold. The
 * route's body limit does not reach a multipart post (it is streamed), so this is that limit.
 */
const MAX_FIELD_CHARS = CARRIED_PHOTO_MAX_CHARS + 64 * 1024;

/**
 * Reads the compose form as posted: `multipart/form-data` when it carries a photo (the form's
 * own encoding), else the url-encoded body the framework already parsed. A file larger than
 * `maxPhotoBytes` is read no further and marked, so the form can say so instead of failing.
 */
export async function readComposePost(
  request: FastifyRequest,
  body: unknown,
  maxPhotoBytes: number,
): Promise<ComposePost> {
  if (!isMultipart(request)) {
    return {
      fields: (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>,
      photo: null,
    };
  }
  const form = await readMultipart(request, {
    files: 1,
    fileSize: maxPhotoBytes,
    fields: MAX_FIELDS,
    fieldSize: CARRIED_PHOTO_MAX_CHARS,
    totalFieldChars: MAX_FIELD_CHARS,
  }).catch(() => {
    // A cut-off or oversized post: nothing in it is trusted, nothing is changed.
    throw new BadRequestException('The form could not be read. Please try again.');
  });
  // An empty file input still posts a part, with no name and no bytes: no photo chosen.
  const file = form.files.find(
    (f) => f.fieldname === 'photo' && (f.bytes.length > 0 || f.truncated),
  );
  return {
    fields: form.fields,
    photo: file ? { bytes: file.bytes, tooBig: file.truncated } : null,
  };
}
