/**
 * One session cookie's name and attributes. Over https the name takes the `__Host-` prefix,
 * which makes the browser refuse the cookie unless it is Secure, host-only and Path=/, so no
 * sibling subdomain (another partner's site) can plant or widen it; browsers only allow that
 * prefix over https.
 */
export class SessionCookie {
  readonly name: string;

  constructor(
    baseName: string,
    private readonly secure: boolean,
    private readonly sameSite: 'Strict' | 'Lax',
  ) {
    this.name = secure ? `__Host-${baseName}` : baseName;
  }

  set(value: string, maxAgeSeconds: number): string {
    return this.serialize(value, maxAgeSeconds);
  }

  clear(): string {
    return this.serialize('', 0);
  }

  /** The cookie's value in a Cookie header, or null. */
  read(header: string | undefined): string | null {
    return cookieValue(header, this.name);
  }

  private serialize(value: string, maxAge: number): string {
    const secure = this.secure ? '; Secure' : '';
    return `${this.name}=${value}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=${this.sameSite}${secure}`;
  }
}

export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
