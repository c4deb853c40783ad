import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The admin credential: `Authorization: Bearer <ADMIN_TOKEN>`. Both sides are hashed first so
 * the comparison takes the same time whatever the length or content of the guess.
 */
export class AdminToken {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  accepts(authorization: string | undefined): boolean {
    const header = authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    return token.length > 0 && timingSafeEqual(digest(token), this.expected);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
