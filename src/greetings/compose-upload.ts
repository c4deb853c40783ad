import '@fastify/multipart';
import { BadRequestException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

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
 * `maxPhotoBytes` is read no further and marked (the plugin is registered not to throw for it,
 * see web-app.ts), so the form can say so instead of failing.
 */
export async function readComposePost(
  request: FastifyRequest,
  body: unknown,
  maxPhotoBytes: number,
): Promise<ComposePost> {
  if (!request.isMultipart()) {
    return {
      fields: (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>,
      photo: null,
    };
  }
  const fields: Record<string, string | string[]> = {};
  let photo: ComposePost['photo'] = null;
  let chars = 0;
  try {
    for await (const part of request.parts({
      limits: {
        fileSize: maxPhotoBytes,
        files: 1,
        fields: MAX_FIELDS,
        fieldSize: CARRIED_PHOTO_MAX_CHARS,
        parts: MAX_FIELDS + 1,
      },
    })) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // An empty file input still posts a part, with no name and no bytes: no photo chosen.
        if (part.fieldname === 'photo' && (bytes.length > 0 || part.file.truncated)) {
          photo = { bytes, tooBig: part.file.truncated };
        }
        continue;
      }
      const value = typeof part.value === 'string' ? part.value : '';
      chars += value.length;
      if (part.valueTruncated || chars > MAX_FIELD_CHARS) throw new Error('form too large');
      const earlier = fields[part.fieldname];
      if (earlier === undefined) fields[part.fieldname] = value;
      else fields[part.fieldname] = [...(typeof earlier === 'string' ? [earlier] : earlier), value];
    }
  } catch {
    // A cut-off or oversized post: nothing in it is trusted, nothing is changed.
    throw new BadRequestException('The form could not be read. Please try again.');
  }
  return { fields, photo };
}
