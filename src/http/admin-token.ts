import { createHash, timingSafeEqual } from 'node:crypto';

/** What a browser is asked for on admin pages: it prompts, then sends Basic on every request. */
export const BASIC_ADMIN_CHALLENGE = 'Basic realm="Ecard admin", charset="UTF-8"';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The admin credential: `Authorization: Bearer <ADMIN_TOKEN>` for scripts, or HTTP Basic with
 * the token as the password (any user name) so a browser can reach the admin pages. Both sides
 * are hashed first so the comparison takes the same time whatever the length or content of the
 * guess.
 */
export class AdminToken {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  /**
   * Whether an Authorization header carries the admin token, in one of the schemes allowed
   * (both by default; the admin API takes Bearer only, which a browser never sends by itself).
   */
  accepts(authorization: string | undefined, schemes: readonly AdminScheme[] = SCHEMES): boolean {
    const credential = presentedCredential(authorization);
    return (
      credential !== null && schemes.includes(credential.scheme) && this.matches(credential.token)
    );
  }

  /** Whether a bare token (a form field) is the admin token. */
  matches(token: string | null | undefined): boolean {
    return (
      typeof token === 'string' && token.length > 0 && timingSafeEqual(digest(token), this.expected)
    );
  }
}

export type AdminScheme = 'bearer' | 'basic';
const SCHEMES: readonly AdminScheme[] = ['bearer', 'basic'];

/**
 * The token an Authorization header presents and its scheme (names compared without case, as
 * HTTP does), or null when there is none to check.
 */
export function presentedCredential(
  authorization: string | undefined,
): { scheme: AdminScheme; token: string } | null {
  const header = (authorization ?? '').trim();
  const space = header.indexOf(' ');
  if (space < 0) return null;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value ? { scheme, token: value } : null;
  if (scheme !== 'basic' || !BASE64.test(value)) return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // The user name is free (operators may type their own); only the password is the credential.
  const token = colon < 0 ? '' : decoded.slice(colon + 1);
  return token ? { scheme, token } : null;
}

export function presentedToken(authorization: string | undefined): string | null {
  return presentedCredential(authorization)?.token ?? null;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
