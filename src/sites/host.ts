/**
 * Normalises a Host header value to the form site hostnames are listed in: lower case, port
 * and one trailing dot removed. Returns null for anything that is not a single plausible host,
 * so a malformed or smuggled value can never match a site.
 */
export function normaliseHost(raw: string | string[] | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const value = raw.trim().toLowerCase();
  if (value.length === 0 || value.length > 260) return null;
  if (value.startsWith('[')) {
    const match = /^(\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/.exec(value);
    return match?.[1] ?? null;
  }
  const match = /^([a-z0-9._-]+?)\.?(?::(\d{1,5}))?$/.exec(value);
  if (!match?.[1]) return null;
  const host = match[1];
  if (host.startsWith('.') || host.includes('..')) return null;
  return host;
}
