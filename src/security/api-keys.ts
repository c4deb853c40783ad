import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from '../config/security-config.js';

/**
 * Partner and load-test keys. Every configured key is compared, each through a hash so the
 * comparison takes the same time whatever the guess's length; the loop never stops early, so
 * timing does not tell which key (or whether any) came close.
 */
export class ApiKeys {
  private readonly keys: { name: string; digest: Buffer }[];
  /**
   * Secrets already verified, by value. A partner sends the same key on every request, and
   * hashing it each time was a visible share of an API request; a Map lookup reveals nothing
   * about how close a wrong guess came. Only verified keys go in, so guesses cannot fill it.
   */
  private readonly verified = new Map<string, string>();

  constructor(keys: readonly ApiKey[]) {
    this.keys = keys.map((k) => ({ name: k.name, digest: digest(k.secret) }));
  }

  /** The key's name, or null when the secret matches none. */
  nameOf(secret: string): string | null {
    const known = this.verified.get(secret);
    if (known !== undefined) return known;
    const name = this.compare(secret);
    if (name !== null) this.verified.set(secret, name);
    return name;
  }

  private compare(secret: string): string | null {
    const given = digest(secret);
    let found: string | null = null;
    for (const key of this.keys) {
      if (timingSafeEqual(given, key.digest) && found === null) found = key.name;
    }
    return found;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
