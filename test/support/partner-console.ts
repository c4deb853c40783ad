import type { SmtpSink } from '../delivery/support/smtp-sink.js';
import { AccountClient } from './account-client.js';
import type { TestApp } from './test-app.js';

/** The console's host in tests: the flagship is the site that allows administration. */
export const CONSOLE_HOST = 'www.ecardia.example';

/** The path and query of the `nth` console link (invite or reset) mailed to `address`. */
export async function consoleLink(
  sink: SmtpSink,
  address: string,
  kind: 'invite' | 'reset',
  nth = 1,
): Promise<string> {
  const pattern = new RegExp(
    `https?://[^/\\s]+(/partner/set-password\\?${kind}=[A-Za-z0-9_-]{43})`,
  );
  const linkIn = (text: string) => pattern.exec(text)?.[1];
  const mails = () => sink.received.filter((m) => m.to.includes(address) && linkIn(m.text));
  await sink.waitFor(() => mails().length >= nth);
  return linkIn(mails()[nth - 1]?.text ?? '') ?? '';
}

/** Opens an emailed (or printed) set-password link and chooses the password: signed in. */
export async function acceptLink(
  app: TestApp,
  link: string,
  password: string,
  ip: string,
): Promise<AccountClient> {
  const person = new AccountClient(app, CONSOLE_HOST, ip);
  const query = new URL(link, 'http://x').searchParams;
  const [kind, token] = query.has('invite')
    ? ['invite', query.get('invite')]
    : ['reset', query.get('reset')];
  const res = await person.submit(link, '/partner/set-password', [
    [kind ?? '', token ?? ''],
    ['password', password],
  ]);
  if (res.statusCode !== 303)
    throw new Error(`set-password answered ${res.statusCode}: ${res.body}`);
  return person;
}
