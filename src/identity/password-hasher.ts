import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/** The shortest password accepted: long passphrases beat composition rules (NIST 800-63B). */
export const MIN_PASSWORD_LENGTH = 10;
/** Argon2 reads every byte: an unbounded password would be a denial of service. */
export const MAX_PASSWORD_LENGTH = 200;

/**
 * OWASP's Argon2id setting (19 MiB, 2 passes, 1 lane): a few tens of milliseconds a hash, run
 * on libuv's thread pool, so the event loop keeps serving pages meanwhile.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Argon2id password hashes in PHC form (`$argon2id$v=19$m=...`), salt and parameters inside,
 * so stronger parameters later verify old hashes unchanged.
 */
@Injectable()
export class PasswordHasher {
  /** A hash of nothing anyone can type, checked when no account matched: equal timing. */
  private readonly decoy: Promise<string> = hash('\u0000no account\u0000', OPTIONS);

  hash(password: string): Promise<string> {
    // The package's default algorithm is Argon2id; the prefix check in `matches` holds it to that.
    return hash(password, OPTIONS);
  }

  /** Whether the password matches; with no stored hash, spends the same time and says no. */
  async matches(stored: string | null, password: string): Promise<boolean> {
    if (stored === null || !stored.startsWith('$argon2id$')) {
      await verify(await this.decoy, password).catch(() => false);
      return false;
    }
    return verify(stored, password).catch(() => false);
  }
}
