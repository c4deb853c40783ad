import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The format's version, first in every sealed value, so a later scheme can sit beside it. */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals a site's DKIM private key for the database with AES-256-GCM under
 * DKIM_KEY_ENCRYPTION_KEY. The key's row (site and key id) is the additional data: a sealed
 * key copied onto another site's row, or another row of the same site, does not open.
 */
export class DkimKeySeal {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the DKIM key encryption key must be 32 bytes');
  }

  seal(privateKeyPem: string, row: { siteId: string; keyId: string }): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(row));
    const body = Buffer.concat([cipher.update(privateKeyPem, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body].map(encode).join('.');
  }

  /** The private key in PEM; throws when the value was changed, moved or sealed under another key. */
  open(sealed: string, row: { siteId: string; keyId: string }): string {
    const [version, iv, tag, body, extra] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || !body || extra !== undefined) {
      throw new Error('not a sealed DKIM key');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(additionalData(row));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}

function additionalData(row: { siteId: string; keyId: string }): Buffer {
  return Buffer.from(`site-dkim-key:${row.siteId}:${row.keyId}`, 'utf8');
}

function encode(part: string | Buffer): string {
  return typeof part === 'string' ? part : part.toString('base64url');
}
