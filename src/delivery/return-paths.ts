import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Site } from '../sites/site.js';

/** Whose email a bounce or complaint is about, as its VERP address names it. */
export type BounceSubject =
  { kind: 'recipient'; recipientId: string } | { kind: 'sender'; greetingId: string };

/** 96 bits: a forger gets one guess per SMTP transaction, and the local part must fit 64 chars. */
const MAC_HEX_CHARS = 24;
const LOCAL_PART = /^([rs])-([0-9a-f]{24})-([0-9a-f]{32})$/;
/** Shaped like one of ours, anywhere in a text; only a verified one is believed. */
const CANDIDATE = /[rs]-[0-9a-f]{24}-[0-9a-f]{32}@[a-z0-9.-]+/gi;

/**
 * VERP envelope senders: every email goes out with a Return-Path of its own on the site's
 * bounce domain (`r-<mac>-<recipient>@bounces.example`), so a bounce names the recipient it
 * is about without anyone parsing the receiving server's prose. The id is keyed-MAC signed,
 * so a forged address cannot mark someone else's recipient as bounced.
 *
 * Ids travel as lower-case hex: some mail systems lower-case the local part of the address
 * they bounce to, and a base64url recipient id would not survive that.
 */
export class ReturnPaths {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly platformDomain: string,
  ) {
    // Derived, not the links' key itself: a bounce MAC is never a valid link MAC.
    this.key = createHmac('sha256', secret).update('verp-return-path').digest();
  }

  domainOf(site: Site): string {
    return (site.email.bounceDomain ?? this.platformDomain).toLowerCase();
  }

  /** Every domain the bounce listener accepts mail for. */
  domains(sites: Iterable<Site>): Set<string> {
    const all = new Set([this.platformDomain.toLowerCase()]);
    for (const site of sites) all.add(this.domainOf(site));
    return all;
  }

  forRecipient(site: Site, recipientId: string): string {
    return this.address(site, 'r', Buffer.from(recipientId, 'base64url').toString('hex'));
  }

  forSender(site: Site, greetingId: string): string {
    return this.address(site, 's', greetingId.replace(/-/g, '').toLowerCase());
  }

  /** Who an address on one of `domains` is about, or null when we did not issue it. */
  subjectOf(address: string, domains: ReadonlySet<string>): BounceSubject | null {
    const at = address.lastIndexOf('@');
    if (at < 0 || !domains.has(address.slice(at + 1).toLowerCase())) return null;
    const match = LOCAL_PART.exec(address.slice(0, at).toLowerCase());
    if (!match) return null;
    const [, kind, mac, hex] = match as unknown as [string, 'r' | 's', string, string];
    const expected = Buffer.from(this.mac(kind, hex));
    if (!timingSafeEqual(Buffer.from(mac), expected)) return null;
    if (kind === 'r') {
      return { kind: 'recipient', recipientId: Buffer.from(hex, 'hex').toString('base64url') };
    }
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return { kind: 'sender', greetingId: uuid };
  }

  /**
   * The first address of ours named in `text`: a feedback loop that reports to a fixed
   * address quotes the original email, whose Return-Path is its VERP address.
   */
  findIn(text: string, domains: ReadonlySet<string>): BounceSubject | null {
    for (const [candidate] of text.matchAll(CANDIDATE)) {
      const subject = this.subjectOf(candidate.replace(/\.+$/, ''), domains);
      if (subject) return subject;
    }
    return null;
  }

  private address(site: Site, kind: 'r' | 's', hex: string): string {
    return `${kind}-${this.mac(kind, hex)}-${hex}@${this.domainOf(site)}`;
  }

  private mac(kind: string, hex: string): string {
    return createHmac('sha256', this.key)
      .update(`${kind}:${hex}`)
      .digest('hex')
      .slice(0, MAC_HEX_CHARS);
  }
}
