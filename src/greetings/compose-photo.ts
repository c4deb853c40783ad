import type { PhotoSize, SenderPhotoStore } from '../platform/photos/sender-photo-store.js';
import type { ComposePost } from './compose-upload.js';
import { CARRIED_PHOTO_MAX_CHARS } from './compose-upload.js';

/** The photo a compose post ends up with, or why the one chosen was refused. */
export type ComposePhoto =
  | { kind: 'none' }
  | { kind: 'photo'; jpeg: Buffer; size: PhotoSize }
  | { kind: 'refused'; message: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The photo of a compose post. A newly chosen file wins; else the photo carried from an
 * earlier step (the form re-shown, the preview) in the `photoData` field, unless the sender
 * ticked "remove". Nothing is stored here: a photo travels with the form, as the rest of it
 * does, until the card is sent. A carried photo is prepared again like an upload, since the
 * field comes back from the browser and is only as trustworthy as any upload.
 */
export async function composePhotoOf(
  post: ComposePost,
  photos: SenderPhotoStore,
  maxBytes: number,
): Promise<ComposePhoto> {
  if (post.photo) {
    if (post.photo.tooBig) {
      return { kind: 'refused', message: `must be at most ${megabytes(maxBytes)} MB` };
    }
    const prepared = await photos.prepare(post.photo.bytes);
    if (prepared.ok) return { kind: 'photo', jpeg: prepared.jpeg, size: prepared.size };
    return {
      kind: 'refused',
      message:
        prepared.reason === 'type'
          ? 'choose a JPEG, PNG, WebP or HEIC photo'
          : 'this photo could not be read; try saving it as a JPEG',
    };
  }
  const carried = typeof post.fields.photoData === 'string' ? post.fields.photoData : '';
  if (carried === '' || post.fields.removePhoto === 'yes') return { kind: 'none' };
  if (carried.length > CARRIED_PHOTO_MAX_CHARS || !BASE64.test(carried)) {
    return { kind: 'refused', message: 'please choose your photo again' };
  }
  const prepared = await photos.prepare(Buffer.from(carried, 'base64'));
  if (!prepared.ok) return { kind: 'refused', message: 'please choose your photo again' };
  return { kind: 'photo', jpeg: prepared.jpeg, size: prepared.size };
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
}
