import type { TestApp } from './test-app.js';

export const DEV_ADMIN_TOKEN = 'development-only-admin-token';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** What a browser holds after signing in: the session cookie to send back, and the page's anti-forgery token. */
export interface AdminBrowser {
  cookie: string;
  csrf: string;
  setCookie: string;
}

/** The hidden field `name` of a rendered form, as a browser would post it back. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match?.[1]) throw new Error(`no ${name} field in ${html.slice(0, 400)}`);
  return match[1];
}

/**
 * Signs in as a browser does: loads the sign-in form, posts the admin token with the form's
 * anti-forgery field, keeps the cookie, then reads the session's token from the flags page.
 */
export async function signInAdmin(
  t: Pick<TestApp, 'request'>,
  host: string,
  headers: Record<string, string> = {},
  token = DEV_ADMIN_TOKEN,
): Promise<AdminBrowser> {
  const form = await t.request({ method: 'GET', url: '/admin/sign-in', host, headers });
  const signIn = await t.request({
    method: 'POST',
    url: '/admin/sign-in',
    host,
    headers: { ...FORM, ...headers },
    payload: new URLSearchParams({ token, _csrf: hiddenField(form.body, '_csrf') }).toString(),
  });
  const setCookie = [signIn.headers['set-cookie'] ?? []].flat()[0] ?? '';
  if (signIn.statusCode !== 303 || !setCookie) {
    throw new Error(`sign-in failed: ${signIn.statusCode} ${signIn.body.slice(0, 300)}`);
  }
  const cookie = setCookie.split(';', 1)[0] ?? '';
  const page = await t.request({
    method: 'GET',
    url: '/admin/flags',
    host,
    headers: { ...headers, cookie },
  });
  return { cookie, csrf: hiddenField(page.body, '_csrf'), setCookie };
}

/**
 * Opens a pickup link as the recipient's browser does: loads the page, then sends its "opened"
 * form (what the page's script does once the card is visible), again while the answer is 202
 * (the email's delivery not recorded yet), for up to `waitMs`.
 */
export async function openPickup(
  t: Pick<TestApp, 'request'>,
  host: string,
  path: string,
  waitMs = 10_000,
): Promise<number> {
  const page = await t.request({ method: 'GET', url: path, host });
  if (page.statusCode !== 200) return page.statusCode;
  const payload = new URLSearchParams({ _csrf: hiddenField(page.body, '_csrf') }).toString();
  const until = Date.now() + waitMs;
  for (;;) {
    const res = await t.request({
      method: 'POST',
      url: `${path}/opened`,
      host,
      headers: { ...FORM, accept: 'application/json' },
      payload,
    });
    if (res.statusCode !== 202 || Date.now() > until) return res.statusCode;
    await new Promise((r) => setTimeout(r, 200));
  }
}
