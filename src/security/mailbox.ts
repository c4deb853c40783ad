import { createHash } from 'node:crypto';

/** Providers that ignore dots in the local part and are one mailbox under two domains. */
const DOTLESS_DOMAINS: Readonly<Record<string, string>> = {
  'gmail.com': 'gmail.com',
  'googlemail.com': 'gmail.com',
};

/**
 * The mailbox an address delivers to, as far as limits are concerned: case folded, a `+tag`
 * dropped (every large provider delivers `ann+x@` to `ann@`), and for Gmail the dots dropped and
 * googlemail.com read as gmail.com. Only for counting: mail still goes to the address as typed.
 * Over-merging two real mailboxes only makes a limit stricter for them.
 */
export function canonicalMailbox(email: string): string {
  const address = email.normalize('NFC').trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at <= 0) return address;
  let local = address.slice(0, at);
  let domain = address.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  const dotless = DOTLESS_DOMAINS[domain];
  if (dotless !== undefined) {
    local = local.replaceAll('.', '');
    domain = dotless;
  }
  return `${local}@${domain}`;
}

/** A mailbox as a rate-limit key: hashed, so no address sits in Redis. */
export function mailboxKey(email: string): string {
  return createHash('sha256').update(canonicalMailbox(email)).digest('base64url').slice(0, 22);
}
