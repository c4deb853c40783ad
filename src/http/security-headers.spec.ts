import helmet from 'helmet';
import {
  CSP_REPORT_PATH,
  framedEmailPolicy,
  PRIVATE_PAGE_REFERRER_POLICY,
  QUEUE_DASHBOARD_CSP,
  SecurityHeaders,
} from './security-headers.js';

/** What helmet itself would set, by running its middleware once against a stub response. */
function helmetHeaders(hsts: boolean, openerIsolation = true): Map<string, string> {
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
    crossOriginOpenerPolicy: openerIsolation ? { policy: 'same-origin' } : false,
    // Ours on purpose: private pages (pickup, manage, unsubscribe, admin) send same-origin.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    contentSecurityPolicy: false,
  })({} as never, res as never, () => undefined);
  return set;
}

describe('security headers', () => {
  it.each([
    [false, false],
    [false, true],
    [true, true],
  ])('set what helmet would (HSTS %s, opener isolation %s), computed once', (hsts, isolation) => {
    const ours = new Map(
      new SecurityHeaders({ hsts, openerIsolation: isolation }).headers.map(([n, v]) => [n, v]),
    );
    const theirs = helmetHeaders(hsts, isolation);
    for (const [name, value] of theirs) {
      expect([name, ours.get(name)]).toEqual([name, value]);
    }
    // Ours besides helmet's: the policy it was told to leave out, and the permissions policy.
    const extra = ['content-security-policy', 'permissions-policy'];
    expect([...ours.keys()].filter((n) => !extra.includes(n)).sort()).toEqual(
      [...theirs.keys()].sort(),
    );
    expect(ours.has('strict-transport-security')).toBe(hsts);
    expect(ours.has('cross-origin-opener-policy')).toBe(isolation);
  });

  it('forbid inline script, plugins, base rewriting and framing', () => {
    const csp = new Map(new SecurityHeaders({ hsts: false, openerIsolation: true }).headers).get(
      'content-security-policy',
    );
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
  });

  it('ask browsers to report violations to our own endpoint', () => {
    const headers = new Map(new SecurityHeaders({ hsts: false, openerIsolation: true }).headers);
    expect(headers.get('content-security-policy')).toContain(`report-uri ${CSP_REPORT_PATH}`);
    expect(QUEUE_DASHBOARD_CSP).toContain(`report-uri ${CSP_REPORT_PATH}`);
  });

  it('keep private links from other sites without blanking our own forms’ Origin', () => {
    expect(PRIVATE_PAGE_REFERRER_POLICY).toBe('same-origin');
    const headers = new Map(new SecurityHeaders({ hsts: false, openerIsolation: true }).headers);
    expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it("give the queue dashboard its base URL and inline styles, nothing else of the sites' rules", () => {
    const directives = (policy: string) =>
      new Map(policy.split('; ').map((d) => [d.split(' ', 1)[0], d] as const));
    const sites = directives(
      new Map(new SecurityHeaders({ hsts: false, openerIsolation: true }).headers).get(
        'content-security-policy',
      ) ?? '',
    );
    const dashboard = directives(QUEUE_DASHBOARD_CSP);
    expect(dashboard.get('base-uri')).toBe("base-uri 'self'");
    expect(dashboard.get('style-src')).toBe("style-src 'self' 'unsafe-inline'");
    expect(QUEUE_DASHBOARD_CSP).not.toContain('unsafe-eval');
    for (const [name, directive] of sites) {
      if (name === 'base-uri' || name === 'style-src') continue;
      expect(dashboard.get(name)).toBe(directive);
    }
    expect([...dashboard.keys()].sort()).toEqual([...sites.keys()].sort());
  });

  it("let a framed email show its own styles and its site's images, and run or post nothing", () => {
    const policy = framedEmailPolicy('https://cards.example.com');
    const directives = new Map(
      policy.split('; ').map((d) => [d.split(' ', 1)[0], d.slice(d.indexOf(' ') + 1)] as const),
    );
    expect(directives.get('sandbox')).toBe('sandbox');
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('img-src')).toBe('https://cards.example.com data:');
    expect(directives.get('style-src')).toBe("'unsafe-inline'");
    expect(directives.get('form-action')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'self'");
    expect(directives.get('report-uri')).toBe(CSP_REPORT_PATH);
    expect(policy).not.toMatch(/script-src|connect-src|unsafe-eval/);
  });
});
