import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AbuseLimiter } from '../security/abuse-limiter.js';
import type { Caller } from '../security/caller.js';
import { type Challenge, FormTokens } from '../security/form-tokens.js';
import { comesFromSameSite } from '../security/origin-check.js';
import { PROOF_FIELD, type ProofCheck, ProofOfWork } from '../security/proof-of-work.js';
import { SiteRegistry } from '../sites/site-registry.js';
import type { Site } from '../sites/site.js';
import { sendLimitMessage } from './send-limit-message.js';

/** Name of the hidden field a person never sees or fills, and bots usually do. */
export const HONEYPOT_FIELD = 'website';

/** What the form page needs to carry its protections. */
export interface ComposeSecurityView {
  csrfToken: string;
  challenge: Challenge | null;
}

/** A refusal before anything is written: the form is shown again with the message. */
export interface ComposeRefusal {
  status: 400 | 403 | 429;
  message: string;
  retryAfterSeconds?: number;
  /** Show the challenge with the form (worked by the browser, or the question without script). */
  challenge?: boolean;
}

type Body = Record<string, unknown>;

/**
 * The compose form's defences, in the order they run: same-site origin, anti-forgery token,
 * honeypot; then, once the fields are valid, minimum fill time, a challenge when the client's
 * attempts spike, and the send limits. Keyed API clients skip the human checks (fill time, challenge) and the public limits,
 * and are counted against their key's own limit instead.
 */
@Injectable()
export class ComposeProtection {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: FormTokens,
    private readonly limiter: AbuseLimiter,
    private readonly registry: SiteRegistry,
    private readonly proof: ProofOfWork,
  ) {}

  /** Security fields for a form page; `issuedAt` is kept across re-renders of one form. */
  view(site: Site, idempotencyKey: string, issuedAt?: number, challenge = false) {
    const view: ComposeSecurityView = {
      csrfToken: this.tokens.issue('compose', site.id, idempotencyKey, issuedAt),
      challenge: challenge ? this.tokens.challenge(site.id, idempotencyKey) : null,
    };
    return view;
  }

  /** Checks that do not count anything: origin and token. Returns the form's issue time. */
  checkForm(
    request: FastifyRequest,
    site: Site,
    idempotencyKey: string,
    body: Body,
  ): { issuedAt: number } | ComposeRefusal {
    if (!comesFromSameSite(request, this.registry)) {
      return { status: 403, message: 'This form can only be sent from its own page on this site.' };
    }
    const check = this.tokens.check('compose', site.id, idempotencyKey, body._csrf);
    if (!check.ok) {
      return {
        status: 403,
        message:
          check.reason === 'expired'
            ? 'This form has expired. Please check your card and press "Send card" again.'
            : 'This form could not be verified. Please check your card and press "Send card" again.',
      };
    }
    return { issuedAt: check.issuedAt };
  }

  /**
   * Before the fields are read: the bot trap, and the attempt counted (invalid posts count too,
   * so a script cycling through junk still trips the challenge). `spiking` is for checkHuman.
   */
  async screen(caller: Caller, body: Body): Promise<ComposeRefusal | { spiking: boolean }> {
    const trap = body[HONEYPOT_FIELD];
    if (trap !== undefined && trap !== '') {
      return { status: 400, message: 'We could not send this card. Please try again.' };
    }
    if (caller.apiKey) return { spiking: false };
    return { spiking: await this.limiter.composeAttemptNeedsChallenge(caller.ip) };
  }

  /**
   * For a form whose fields are valid: the minimum fill time, then the challenge when attempts
   * spike: a proof-of-work the browser solved in the background, or (without JavaScript) the
   * question's answer. Asked only once the fields are right, so a person fixes their typos
   * first and is not challenged for a card that could not be sent anyway.
   */
  async checkHuman(
    caller: Caller,
    site: Site,
    idempotencyKey: string,
    issuedAt: number,
    body: Body,
    spiking: boolean,
  ): Promise<ComposeRefusal | null> {
    if (caller.apiKey) return null;
    if (Date.now() - issuedAt < this.config.security.limits.composeMinFillMs) {
      return {
        status: 400,
        message: 'That was quick! Please check your card once more, then press "Send card".',
      };
    }
    if (!spiking) return null;
    if (
      this.tokens.challengeSolved(
        site.id,
        idempotencyKey,
        body.challengeToken,
        body.challengeAnswer,
      )
    ) {
      return null;
    }
    const proof = await this.proof.redeem(site.id, body[PROOF_FIELD]);
    if (proof === 'accepted') return null;
    return { status: 400, challenge: true, message: CHALLENGE_MESSAGES[proof] };
  }

  /**
   * The send limits (all or nothing); a refusal carries when to try again. A verified member,
   * whose own budget was checked already, is held to the site's and the recipients' limits only.
   */
  async admit(
    caller: Caller,
    site: Site,
    senderEmail: string,
    recipients: readonly string[],
    verifiedMember = false,
  ): Promise<ComposeRefusal | null> {
    const refusal = await this.limiter.admitSend(
      caller,
      site.id,
      senderEmail,
      recipients,
      verifiedMember,
    );
    if (!refusal) return null;
    return {
      status: 429,
      retryAfterSeconds: refusal.retryAfterSeconds,
      message: sendLimitMessage(site, refusal, new Date()),
    };
  }
}

/** Why the challenge was not met, and what the person does next (both ways are on the page). */
const CHALLENGE_MESSAGES: Record<Exclude<ProofCheck, 'accepted'>, string> = {
  missing: 'Many cards were sent from your connection just now. Please answer the question below.',
  invalid:
    "Your browser's check could not be verified, so the card was not sent. Please answer the question below.",
  expired:
    'Your browser\'s check has expired, so the card was not sent. Please press "Send card" again or answer the question below.',
  replayed:
    'That check was already used for another card, so this one was not sent. Please press "Send card" again or answer the question below.',
  unavailable:
    'We could not check your browser just now, so the card was not sent. Please answer the question below.',
};
