import type { SmtpSink } from '../delivery/support/smtp-sink.js';
import { encodeForm, type FormFields } from './compose-form.js';
import type { TestResponse } from './http-client.js';
import type { TestApp } from './test-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * A person at one site from one address (X-Forwarded-For, with TRUST_PROXY=loopback), keeping
 * the cookie a browser would: gets a page, posts its form with the token it carried.
 */
export class AccountClient {
  cookie = '';

  constructor(
    private readonly app: TestApp,
    readonly host: string,
    readonly ip: string,
  ) {}

  get(url: string): Promise<TestResponse> {
    return this.app.request({ method: 'GET', url, host: this.host, headers: this.headers() });
  }

  /** Posts `fields` with the anti-forgery token of the form served at `pageUrl`. */
  async submit(pageUrl: string, action: string, fields: FormFields): Promise<TestResponse> {
    const page = await this.get(pageUrl);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return this.post(action, [['_csrf', csrf], ...fields]);
  }

  async post(
    url: string,
    fields: FormFields,
    extra: Record<string, string> = {},
  ): Promise<TestResponse> {
    const res = await this.app.request({
      method: 'POST',
      url,
      host: this.host,
      headers: { ...FORM, origin: `http://${this.host}:8080`, ...this.headers(), ...extra },
      payload: encodeForm(fields),
    });
    const set = res.headers['set-cookie']?.[0];
    if (set) this.cookie = set.split(';')[0] ?? '';
    return res;
  }

  private headers(): Record<string, string> {
    return { 'x-forwarded-for': this.ip, ...(this.cookie ? { cookie: this.cookie } : {}) };
  }
}

/** The path and query of the `nth` account link mailed to `address` that goes to `path`. */
export async function mailedLink(
  sink: SmtpSink,
  address: string,
  path: string,
  nth = 1,
): Promise<string> {
  const pattern = new RegExp(`https?://[^/\\s]+(${path}\\?t=[A-Za-z0-9_-]{43})`);
  const linkIn = (text: string) => pattern.exec(text)?.[1];
  const mails = () => sink.received.filter((m) => m.to.includes(address) && linkIn(m.text));
  await sink.waitFor(() => mails().length >= nth);
  return linkIn(mails()[nth - 1]?.text ?? '') ?? '';
}
