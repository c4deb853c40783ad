import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * The key that seals sites' DKIM private keys in the database (AES-256-GCM): 32 bytes, given as
 * 64 hex digits or as base64 (44 characters with padding, or 43 without). A leaked database
 * without this key holds no usable signing key.
 */
export const dkimEnvShape = {
  DKIM_KEY_ENCRYPTION_KEY: z.string().min(1).optional(),
};

/**
 * Development and test only: derived from a public phrase, so anyone can decrypt what it
 * sealed. Refused on every other stage.
 */
export const DEV_DKIM_KEY_ENCRYPTION_KEY = createHash('sha256')
  .update('development-only-dkim-key-encryption-key')
  .digest();

const KEY_BYTES = 32;

/** The 32-byte key a value names, or null when it is neither 64 hex digits nor 32 bytes of base64. */
export function parseKeyEncryptionKey(value: string): Buffer | null {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return bytes.length === KEY_BYTES ? bytes : null;
  }
  return null;
}

/** The sealing key, or the development one where that is allowed; problems are pushed. */
export function dkimKeyEncryptionKeyOf(
  e: { APP_STAGE: string } & z.infer<z.ZodObject<typeof dkimEnvShape>>,
  problems: string[],
): Buffer {
  const local = e.APP_STAGE === 'development' || e.APP_STAGE === 'test';
  const raw = e.DKIM_KEY_ENCRYPTION_KEY;
  if (raw === undefined) {
    if (!local) problems.push('DKIM_KEY_ENCRYPTION_KEY: required outside development and test');
    return DEV_DKIM_KEY_ENCRYPTION_KEY;
  }
  const key = parseKeyEncryptionKey(raw);
  if (!key) {
    problems.push(
      'DKIM_KEY_ENCRYPTION_KEY: must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)',
    );
    return DEV_DKIM_KEY_ENCRYPTION_KEY;
  }
  if (!local && key.equals(DEV_DKIM_KEY_ENCRYPTION_KEY)) {
    problems.push(
      'DKIM_KEY_ENCRYPTION_KEY: the development value is refused outside development and test',
    );
  }
  if (!local && new Set(key).size < 8) {
    problems.push('DKIM_KEY_ENCRYPTION_KEY: too few distinct bytes to be a random key');
  }
  return key;
}
