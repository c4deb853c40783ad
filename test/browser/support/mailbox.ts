import type { ReceivedMail, SmtpSink } from '../../delivery/support/smtp-sink.js';

/** The email a recipient got, once it has arrived in the real SMTP server. */
export async function mailTo(sink: SmtpSink, address: string, timeoutMs = 20_000) {
  const forAddress = (mail: ReceivedMail[]): ReceivedMail | undefined =>
    mail.find((m) => m.to.some((to) => to.toLowerCase() === address.toLowerCase()));
  await sink.waitFor((mail) => forAddress(mail) !== undefined, timeoutMs);
  return forAddress(sink.received) as ReceivedMail;
}

/** Every link of an email's HTML part, in order, with entities decoded as a mail client does. */
export function linksOf(mail: ReceivedMail): string[] {
  return [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
}

/** The one link of an email whose path starts with `prefix` (for example `/p/`). */
export function linkTo(mail: ReceivedMail, prefix: string): string {
  const link = linksOf(mail).find((href) => {
    try {
      return new URL(href).pathname.startsWith(prefix);
    } catch {
      return false;
    }
  });
  if (!link) throw new Error(`no ${prefix} link in the email: ${linksOf(mail).join(', ')}`);
  return link;
}
