import type { KeyObject } from 'node:crypto';

/** A DKIM signing key: `d=`, `s=` and the private key, opened once and held. */
export interface DkimKey {
  domainName: string;
  keySelector: string;
  privateKey: KeyObject;
}

/** A finished email, as the mail platform sends it: every header value already safe. */
export interface OutgoingMail {
  from: { name: string; address: string };
  to: { name: string; address: string };
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** With angle brackets: `<id@host>`. The same for every attempt at the same email. */
  messageId: string;
  /** Extra headers (List-Unsubscribe...); names and values are fixed by our code. */
  headers?: Record<string, string>;
  /**
   * The envelope sender (SMTP `MAIL FROM`), where bounces go: the email's own VERP address.
   * The From address when absent.
   */
  returnPath?: string;
  /**
   * The site's own DKIM key, which signs this email instead of the platform's (DKIM_*); the
   * platform's key, or no signature, when absent.
   */
  dkim?: DkimKey | null;
}

/** What went wrong, in the terms the retry rules need. */
export type SendFailureKind = 'transient' | 'permanent';

export class MailSendError extends Error {
  constructor(
    message: string,
    readonly kind: SendFailureKind,
    readonly responseCode: number | null,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

/** Control characters and Unicode line/bidi separators, never allowed in a header value. */
const HEADER_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/**
 * Text fit for a header: no CR/LF or other controls (which could start a new header), spaces
 * collapsed, length bounded. Validation already refuses such names; this is the second lock.
 */
export function headerText(value: string, maxLength = 120): string {
  const clean = value.replace(HEADER_UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1).trimEnd()}…` : clean;
}
