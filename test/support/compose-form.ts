import type { TestResponse } from './http-client.js';
import type { TestApp } from './test-app.js';

export type FormFields = [string, string][];

export function encodeForm(fields: FormFields): string {
  return fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** The hidden fields a served compose form carries: its anti-forgery token and idempotency key. */
export async function servedFormFields(
  app: TestApp,
  host: string,
  card: string,
): Promise<FormFields> {
  const res = await app.request({ method: 'GET', url: `/cards/${card}/send`, host });
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(res.body)?.[1];
  if (!token || !key) throw new Error(`no compose form at ${host}/cards/${card}/send`);
  return [
    ['_csrf', token],
    ['idempotencyKey', key],
  ];
}

/** Fields as a browser would post them: with a freshly served form's hidden fields. */
export async function withServedForm(
  app: TestApp,
  host: string,
  card: string,
  fields: FormFields,
): Promise<FormFields> {
  if (fields.some(([k]) => k === '_csrf')) return fields;
  const hidden = await servedFormFields(app, host, card);
  return [...hidden, ...fields.filter(([k]) => k !== 'idempotencyKey')];
}

/** Posts the compose form of `card` as a browser would, with a freshly served form's fields. */
export async function postComposeForm(
  app: TestApp,
  host: string,
  card: string,
  fields: FormFields,
): Promise<TestResponse> {
  return app.request({
    method: 'POST',
    url: `/cards/${card}/send`,
    host,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: encodeForm(await withServedForm(app, host, card, fields)),
  });
}
