import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { answersQuestion, CHALLENGE_QUESTIONS } from './challenge-questions.js';

export type FormPurpose =
  | 'compose'
  | 'manage'
  | 'unsubscribe'
  | 'challenge'
  | 'admin-sign-in'
  | 'pickup-open'
  | 'account'
  | 'partner';

/** How long a served form stays valid: long enough to write a card, short enough to expire. */
export const FORM_TOKEN_TTL_MS = 4 * 3600 * 1000;
const CHALLENGE_TTL_MS = 15 * 60 * 1000;

export type TokenCheck =
  { ok: true; issuedAt: number } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

/**
 * Anti-forgery tokens without a session or cookie: `<issued-at>.<MAC>`, the MAC binding the
 * form's purpose, the site and what the form acts on (the compose form's idempotency key, the
 * greeting managed, the recipient unsubscribing). A token from another site, form or greeting
 * does not verify; reusing one replays the same idempotent action. The issue time also gives
 * the compose form its minimum fill time.
 */
export class FormTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, so no form token can ever double as a signed link.
    this.key = createHmac('sha256', secret).update('form-tokens/v1').digest();
  }

  issue(purpose: FormPurpose, siteId: string, binding: string, issuedAt = Date.now()): string {
    const time = issuedAt.toString(36);
    return `${time}.${this.mac(purpose, siteId, binding, time)}`;
  }

  check(
    purpose: FormPurpose,
    siteId: string,
    binding: string,
    token: unknown,
    now = Date.now(),
    ttlMs = FORM_TOKEN_TTL_MS,
  ): TokenCheck {
    if (typeof token !== 'string' || token === '') return { ok: false, reason: 'missing' };
    const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return { ok: false, reason: 'invalid' };
    const [, time = '', mac = ''] = match;
    const expected = Buffer.from(this.mac(purpose, siteId, binding, time));
    if (!timingSafeEqual(expected, Buffer.from(mac))) return { ok: false, reason: 'invalid' };
    const issuedAt = parseInt(time, 36);
    // A token from the future (clock skew aside) was not issued by us as it claims.
    if (issuedAt > now + 60_000 || now - issuedAt > ttlMs) return { ok: false, reason: 'expired' };
    return { ok: true, issuedAt };
  }

  /** A question for a client whose activity spiked; which one travels only inside a MAC. */
  challenge(siteId: string, binding: string, now = Date.now()): Challenge {
    const index = randomInt(CHALLENGE_QUESTIONS.length);
    return {
      question: CHALLENGE_QUESTIONS[index]?.text ?? '',
      token: this.issue('challenge', siteId, `${binding}:q${index}`, now),
    };
  }

  challengeSolved(siteId: string, binding: string, token: unknown, answer: unknown): boolean {
    if (typeof answer !== 'string' || answer.length > 100) return false;
    // The token names no question; the one whose MAC verifies is the one that was asked.
    for (let index = 0; index < CHALLENGE_QUESTIONS.length; index++) {
      const asked = this.check(
        'challenge',
        siteId,
        `${binding}:q${index}`,
        token,
        Date.now(),
        CHALLENGE_TTL_MS,
      );
      if (asked.ok) return answersQuestion(index, answer);
    }
    return false;
  }

  private mac(purpose: FormPurpose, siteId: string, binding: string, time: string): string {
    return createHmac('sha256', this.key)
      .update(`${purpose}\n${siteId}\n${binding}\n${time}`)
      .digest('base64url');
  }
}

export interface Challenge {
  question: string;
  token: string;
}
