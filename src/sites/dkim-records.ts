import { createPublicKey, type KeyObject } from 'node:crypto';

/** A TXT string holds at most 255 characters; longer record values are split into several. */
const TXT_STRING_MAX = 255;
const SELECTOR_SUFFIXES = 'bcdefghijklmnopqrstuvwxyz';

/** What a partner publishes in DNS for one key. */
export interface DkimDnsRecord {
  /** `<selector>._domainkey.<domain>` */
  name: string;
  /** The record's value, as one text. */
  value: string;
  /** The value as the quoted strings a zone file takes (each at most 255 characters). */
  zoneText: string;
}

/**
 * A selector named after the month (`ecard202612`), so a rotated key gets a new name and the
 * old record can stay published while mail signed with it is still in flight. A second key in
 * the same month takes a letter (`ecard202612b`).
 */
export function selectorFor(now: Date, taken: ReadonlySet<string>): string {
  const month = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const base = `ecard${month}`;
  if (!taken.has(base)) return base;
  for (const letter of SELECTOR_SUFFIXES) {
    if (!taken.has(base + letter)) return base + letter;
  }
  throw new Error(`every selector of ${month} is taken`);
}

/** The public half as the record's `p=`: base64 of the DER SubjectPublicKeyInfo. */
export function publicKeyRecordData(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

export function dkimDnsRecord(domain: string, selector: string, p: string): DkimDnsRecord {
  const value = `v=DKIM1; k=rsa; p=${p}`;
  const strings: string[] = [];
  for (let at = 0; at < value.length; at += TXT_STRING_MAX) {
    strings.push(`"${value.slice(at, at + TXT_STRING_MAX)}"`);
  }
  return { name: `${selector}._domainkey.${domain}`, value, zoneText: strings.join(' ') };
}

/** The domain of an address, lower-cased (`cards@Kindred.example` -> `kindred.example`). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Whether a signature by `signingDomain` aligns with mail from `fromDomain` under DMARC's
 * relaxed rule: the same domain, or the From domain a subdomain of it. (The organisational
 * domain is approximated by the signing domain itself, which is what the console issues.)
 */
export function alignsWith(fromDomain: string, signingDomain: string): boolean {
  const from = fromDomain.toLowerCase();
  const signer = signingDomain.toLowerCase();
  return from === signer || from.endsWith(`.${signer}`);
}

/** What else a brand publishes so SPF and DMARC pass aligned with its From domain. */
export interface AlignmentAdvice {
  /** Where the SPF record goes: the Return-Path's domain, which SPF checks. */
  spfName: string;
  /** Whether the Return-Path's domain sits within the From domain (or the other way round). */
  returnPathAligned: boolean;
  dmarc: { name: string; value: string };
}

export function alignmentAdvice(fromDomain: string, bounceDomain: string): AlignmentAdvice {
  return {
    spfName: bounceDomain,
    returnPathAligned: alignsWith(bounceDomain, fromDomain) || alignsWith(fromDomain, bounceDomain),
    dmarc: {
      name: `_dmarc.${fromDomain}`,
      // Monitoring first: a brand moves to quarantine once the reports show only aligned mail.
      value: `v=DMARC1; p=none; adkim=r; aspf=r; rua=mailto:dmarc-reports@${fromDomain}`,
    },
  };
}
