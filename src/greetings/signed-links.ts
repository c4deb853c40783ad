import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type LinkPurpose =
  | 'pickup'
  | 'confirm'
  | 'manage'
  | 'unsubscribe'
  | 'sender-unsubscribe'
  | 'reminder-stop'
  | 'reminders-stop-all';

const MAC_BYTES = 16;

/**
 * Private links (pickup, confirmation, manage) are an id plus a keyed MAC of it. The database
 * holds only the ids, so a leaked table exposes no working link, and the worker can rebuild a
 * pickup link for an email without storing it anywhere.
 */
export class SignedLinks {
  constructor(private readonly secret: string) {}

  sign(purpose: LinkPurpose, id: string): string {
    return createHmac('sha256', this.secret)
      .update(`${purpose}:${id}`)
      .digest()
      .subarray(0, MAC_BYTES)
      .toString('base64url');
  }

  verify(purpose: LinkPurpose, id: string, mac: string): boolean {
    const expected = Buffer.from(this.sign(purpose, id));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Pickup token: 22 chars of random id (128 bits) followed by 22 chars of MAC. */
  pickupToken(recipientId: string): string {
    return this.recipientToken('pickup', recipientId);
  }

  /** The recipient id a pickup token names, or null when the token was not issued by us. */
  recipientIdOf(token: string): string | null {
    return this.recipientOfToken('pickup', token);
  }

  /** A recipient's token for another purpose (unsubscribe), shaped like a pickup token. */
  recipientToken(purpose: 'pickup' | 'unsubscribe', recipientId: string): string {
    return `${recipientId}${this.sign(purpose, recipientId)}`;
  }

  recipientOfToken(purpose: 'pickup' | 'unsubscribe', token: string): string | null {
    if (!/^[A-Za-z0-9_-]{44}$/.test(token)) return null;
    const id = token.slice(0, 22);
    return this.verify(purpose, id, token.slice(22)) ? id : null;
  }
}

/** 128 random bits, URL-safe: the recipient's primary key and the secret half of its link. */
export function newRecipientId(): string {
  return randomBytes(16).toString('base64url');
}
