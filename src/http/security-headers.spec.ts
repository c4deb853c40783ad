import helmet from 'helmet';
import { SecurityHeaders } from './security-headers.js';

/** What helmet itself would set, by running its middleware once against a stub response. */
function helmetHeaders(hsts: boolean): Map<string, string> {
  const set = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: string) => set.set(name.toLowerCase(), String(value)),
    removeHeader: () => undefined,
  };
  helmet({
    crossOriginResourcePolicy: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    originAgentCluster: false,
    strictTransportSecurity: hsts ? { maxAge: 63072000, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    // Ours on purpose: private pages (pickup, manage) send no-referrer themselves.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    contentSecurityPolicy: false,
  })({} as never, res as never, () => undefined);
  return set;
}

describe('security headers', () => {
  it.each([false, true])('set what helmet would (HSTS %s), computed once', (hsts) => {
    const ours = new Map(new SecurityHeaders({ hsts }).headers.map(([n, v]) => [n, v]));
    for (const [name, value] of helmetHeaders(hsts)) {
      expect([name, ours.get(name)]).toEqual([name, value]);
    }
    expect(ours.has('strict-transport-security')).toBe(hsts);
  });

  it('forbid inline script, plugins, base rewriting and framing', () => {
    const csp = new Map(new SecurityHeaders({ hsts: false }).headers).get(
      'content-security-policy',
    );
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
  });
});
