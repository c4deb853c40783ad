import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The master admin credential: `Authorization: Bearer <ADMIN_TOKEN>` from scripts, or typed once
 * into the admin sign-in form, which opens a session (see admin-sessions.ts). It is never a Basic
 * password: a browser would resend it with every request and keep it until it quits. Both sides
 * are hashed first so the comparison takes the same time whatever the length or content of the
 * guess.
 */
export class AdminToken {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  /** Whether an Authorization header is `Bearer <the admin token>`. */
  accepts(authorization: string | undefined): boolean {
    return this.matches(bearerToken(authorization));
  }

  /** Whether a bare token (the sign-in form's field) is the admin token. */
  matches(token: string | null | undefined): boolean {
    return (
      typeof token === 'string' && token.length > 0 && timingSafeEqual(digest(token), this.expected)
    );
  }
}

/** The token of a Bearer Authorization header (scheme compared without case, as HTTP does). */
export function bearerToken(authorization: string | undefined): string | null {
  const header = (authorization ?? '').trim();
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== 'bearer') return null;
  return header.slice(space + 1).trim() || null;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
