import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { type Challenge, createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { z } from 'zod';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RedisService } from '../platform/redis/redis.service.js';

/**
 * The work asked of a browser: the counter the server picked lies in this range, and each
 * counter tried costs one PBKDF2 of `cost` rounds, native code in both WebCrypto and Node, so
 * a bot pays per card what a phone pays once. The figures are in docs/security.md.
 */
export const PROOF_OF_WORK = {
  algorithm: 'PBKDF2/SHA-256',
  cost: 1000,
  minCounter: 400,
  maxCounter: 1200,
  ttlSeconds: 600,
} as const;

/** What a posted solution amounts to; only `accepted` lets a send through. */
export type ProofCheck =
  'accepted' | 'missing' | 'invalid' | 'expired' | 'replayed' | 'unavailable';

/** The form field a browser fills with its solution (ALTCHA's own name for it). */
export const PROOF_FIELD = 'altcha';

const MAX_PAYLOAD_CHARS = 4096;
const HEX = /^[0-9a-f]{1,256}$/;

const payloadSchema = z.object({
  challenge: z.object({
    parameters: z.object({
      algorithm: z.string().max(32),
      nonce: z.string().regex(HEX),
      salt: z.string().regex(HEX),
      cost: z.number().int().positive(),
      keyLength: z.number().int().positive().max(64),
      keyPrefix: z.string().regex(HEX),
      keySignature: z.string().regex(HEX).optional(),
      expiresAt: z.number().int().positive().optional(),
      data: z
        .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
        .optional(),
    }),
    signature: z.string().regex(HEX),
  }),
  solution: z.object({
    counter: z.number().int().nonnegative(),
    derivedKey: z.string().regex(HEX),
  }),
});

/**
 * Self-hosted ALTCHA proof-of-work for the compose form of a client whose attempts spiked.
 * Challenges are signed (so stateless until solved) and bound to the site and an expiry; the
 * server picks the answer, so checking a solution is one HMAC, never the work itself. A solution
 * is accepted once: its challenge's signature is remembered in the queue Redis until the
 * challenge expires, and while that Redis is away no solution is accepted (the question is
 * asked instead), since a replay could not be told apart.
 */
@Injectable()
export class ProofOfWork {
  private readonly logger = new Logger('ProofOfWork');
  private readonly signatureSecret: string;
  private readonly keySignatureSecret: string;
  private readonly usedPrefix: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly redis: RedisService,
  ) {
    // Two keys of their own from the one secret, so neither can sign the other's data.
    const derive = (label: string) =>
      createHmac('sha256', config.altchaHmacKey).update(label).digest('hex');
    this.signatureSecret = derive('altcha/challenge/v1');
    this.keySignatureSecret = derive('altcha/key/v1');
    this.usedPrefix = `${config.delivery.queuePrefix}:pow-used:`;
  }

  /** A new challenge for this site, valid for ttlSeconds from `now`. */
  challenge(siteId: string, now = Date.now()): Promise<Challenge> {
    return createChallenge({
      algorithm: PROOF_OF_WORK.algorithm,
      cost: PROOF_OF_WORK.cost,
      counter: randomInt(PROOF_OF_WORK.minCounter, PROOF_OF_WORK.maxCounter),
      deriveKey,
      data: { site: siteId },
      expiresAt: Math.floor(now / 1000) + PROOF_OF_WORK.ttlSeconds,
      hmacSignatureSecret: this.signatureSecret,
      hmacKeySignatureSecret: this.keySignatureSecret,
    });
  }

  /** Checks a posted solution (base64 JSON, as the browser sends it) and uses it up. */
  async redeem(siteId: string, field: unknown): Promise<ProofCheck> {
    if (typeof field !== 'string' || field === '') return 'missing';
    const payload = parsePayload(field);
    if (!payload || payload.challenge.parameters.data?.site !== siteId) return 'invalid';
    const result = await verifySolution({
      challenge: payload.challenge,
      solution: payload.solution,
      deriveKey,
      hmacSignatureSecret: this.signatureSecret,
      hmacKeySignatureSecret: this.keySignatureSecret,
    });
    if (result.expired) return 'expired';
    if (!result.verified) return 'invalid';
    // Only a verified challenge is remembered: forged ones cannot fill the store.
    const expiresAt = payload.challenge.parameters.expiresAt ?? 0;
    const ttlMs = Math.max(1000, expiresAt * 1000 - Date.now() + 60_000);
    try {
      const first = await this.redis.client.set(
        this.usedPrefix + payload.challenge.signature,
        '1',
        'PX',
        ttlMs,
        'NX',
      );
      return first === 'OK' ? 'accepted' : 'replayed';
    } catch (error) {
      this.logger.warn(`cannot record a used solution: ${(error as Error).message}`);
      return 'unavailable';
    }
  }
}

function parsePayload(field: string): z.infer<typeof payloadSchema> | null {
  if (field.length > MAX_PAYLOAD_CHARS) return null;
  try {
    const parsed = payloadSchema.safeParse(
      JSON.parse(Buffer.from(field, 'base64').toString('utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
