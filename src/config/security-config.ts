import { z } from 'zod';
import { isIP } from 'node:net';
import {
  type AbuseLimits,
  LIMIT_PROFILES,
  type LimitProfile,
  limitProfileOf,
} from './abuse-limit-profiles.js';

export { DEFAULT_ABUSE_LIMITS, defaultAbuseEnv } from './abuse-limit-profiles.js';
export type { AbuseLimits } from './abuse-limit-profiles.js';

/**
 * Environment variables of the security and anti-abuse layer, merged into the one env schema
 * of `src/config/app-config.ts` so every problem is reported at boot with the others.
 * Limits come from a profile chosen by stage (see abuse-limit-profiles.ts); each RATE_LIMIT_*
 * and COMPOSE_* variable overrides its one value of the profile.
 */
const count = (fallback?: number) => {
  const base = z.coerce.number().int().min(0).max(1_000_000_000);
  return fallback === undefined ? base.optional() : base.default(fallback);
};

export const securityEnvShape = {
  API_KEYS: z.string().default(''),
  RATE_LIMIT_PROFILE: z.enum(LIMIT_PROFILES).optional(),
  RATE_LIMIT_IP_SENDS_PER_HOUR: count(),
  RATE_LIMIT_IP_RECIPIENTS_PER_HOUR: count(),
  RATE_LIMIT_SENDER_SENDS_PER_HOUR: count(),
  RATE_LIMIT_SENDER_RECIPIENTS_PER_HOUR: count(),
  RATE_LIMIT_SITE_SENDS_PER_DAY: count(),
  RATE_LIMIT_SITE_RECIPIENTS_PER_DAY: count(),
  RATE_LIMIT_PICKUP_MISSES_PER_HOUR: count(),
  RATE_LIMIT_ADMIN_FAILURES_PER_HOUR: count(),
  RATE_LIMIT_MAILBOX_EMAILS_PER_HOUR: count(),
  RATE_LIMIT_CLIENT_SHARE_PERCENT: z.coerce.number().gt(0).max(100).optional(),
  RATE_LIMIT_API_KEY_SENDS_PER_HOUR: count(),
  RATE_LIMIT_API_KEY_RECIPIENTS_PER_HOUR: count(),
  COMPOSE_MIN_FILL_SECONDS: z.coerce.number().min(0).max(600).optional(),
  COMPOSE_CHALLENGE_AFTER: count(),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RETENTION_SCAN_SECONDS: z.coerce.number().int().min(10).max(86_400).default(3600),
};

export type SecurityEnv = z.infer<z.ZodObject<typeof securityEnvShape>>;

export interface ApiKey {
  /** Logged and used in rate-limit keys; the secret never is. */
  name: string;
  secret: string;
}

export interface SecurityConfig {
  apiKeys: readonly ApiKey[];
  /** Which profile the limits start from (documented per stage in docs/security.md). */
  limitProfile: LimitProfile;
  limits: AbuseLimits;
  retention: { days: number; scanMs: number };
  /** HSTS only where the site is served over HTTPS for good. */
  hsts: boolean;
}

/** Secrets production refuses: shorter than this, or too few distinct characters. */
const MIN_API_KEY_LENGTH = 24;
const MIN_DISTINCT_CHARS = 8;

export function securityConfigOf(
  e: SecurityEnv & { APP_STAGE: string },
  problems: string[],
): SecurityConfig {
  const production = e.APP_STAGE === 'production';
  const apiKeys = parseApiKeys(e.API_KEYS, problems);
  if (production) {
    for (const key of apiKeys) {
      if (key.secret.length < MIN_API_KEY_LENGTH || isWeak(key.secret)) {
        problems.push(
          `API_KEYS: the secret of "${key.name}" must be at least ${MIN_API_KEY_LENGTH} varied characters in production`,
        );
      }
    }
  }
  const { profile, base } = limitProfileOf(e.APP_STAGE, e.RATE_LIMIT_PROFILE, problems);
  const limits: AbuseLimits = {
    ipSendsPerHour: e.RATE_LIMIT_IP_SENDS_PER_HOUR ?? base.ipSendsPerHour,
    ipRecipientsPerHour: e.RATE_LIMIT_IP_RECIPIENTS_PER_HOUR ?? base.ipRecipientsPerHour,
    senderSendsPerHour: e.RATE_LIMIT_SENDER_SENDS_PER_HOUR ?? base.senderSendsPerHour,
    senderRecipientsPerHour:
      e.RATE_LIMIT_SENDER_RECIPIENTS_PER_HOUR ?? base.senderRecipientsPerHour,
    siteSendsPerDay: e.RATE_LIMIT_SITE_SENDS_PER_DAY ?? base.siteSendsPerDay,
    siteRecipientsPerDay: e.RATE_LIMIT_SITE_RECIPIENTS_PER_DAY ?? base.siteRecipientsPerDay,
    pickupMissesPerHour: e.RATE_LIMIT_PICKUP_MISSES_PER_HOUR ?? base.pickupMissesPerHour,
    adminFailuresPerHour: e.RATE_LIMIT_ADMIN_FAILURES_PER_HOUR ?? base.adminFailuresPerHour,
    mailboxEmailsPerHour: e.RATE_LIMIT_MAILBOX_EMAILS_PER_HOUR ?? base.mailboxEmailsPerHour,
    clientSharePercent: e.RATE_LIMIT_CLIENT_SHARE_PERCENT ?? base.clientSharePercent,
    apiKeySendsPerHour: e.RATE_LIMIT_API_KEY_SENDS_PER_HOUR ?? base.apiKeySendsPerHour,
    apiKeyRecipientsPerHour:
      e.RATE_LIMIT_API_KEY_RECIPIENTS_PER_HOUR ?? base.apiKeyRecipientsPerHour,
    composeMinFillMs:
      e.COMPOSE_MIN_FILL_SECONDS !== undefined
        ? Math.round(e.COMPOSE_MIN_FILL_SECONDS * 1000)
        : base.composeMinFillMs,
    composeChallengeAfter: e.COMPOSE_CHALLENGE_AFTER ?? base.composeChallengeAfter,
  };
  return {
    apiKeys,
    limitProfile: profile,
    limits,
    retention: { days: e.RETENTION_DAYS, scanMs: e.RETENTION_SCAN_SECONDS * 1000 },
    hsts: production,
  };
}

/** `name=secret` pairs separated by commas; names are what logs and limits see. */
export function parseApiKeys(raw: string, problems: string[]): ApiKey[] {
  const keys: ApiKey[] = [];
  for (const part of raw.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    const name = eq === -1 ? '' : entry.slice(0, eq).trim();
    const secret = eq === -1 ? '' : entry.slice(eq + 1).trim();
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(name) || !/^[\x21-\x7e]{1,200}$/.test(secret)) {
      problems.push('API_KEYS: each entry must be name=secret (name: letters, digits, _ . -)');
      continue;
    }
    if (keys.some((k) => k.name === name)) {
      problems.push(`API_KEYS: the name "${name}" is listed twice`);
      continue;
    }
    keys.push({ name, secret });
  }
  return keys;
}

/**
 * Production refuses missing, short, repetitive or development secrets, and one secret used for
 * two purposes (a leaked admin token must not also forge pickup links).
 */
export function secretProblems(
  stage: string,
  secrets: { name: string; value: string | undefined; devValue: string }[],
): string[] {
  if (stage === 'development' || stage === 'test') return [];
  const problems: string[] = [];
  for (const s of secrets) {
    if (!s.value) continue;
    // One problem per secret, the most basic first. The repository's development values are
    // public: refused on every shared stage, staging included.
    if (s.value === s.devValue)
      problems.push(`${s.name}: the development value is refused outside development and test`);
    else if (stage !== 'production') continue;
    else if (s.value.length < 32)
      problems.push(`${s.name}: must be at least 32 characters in production`);
    else if (isWeak(s.value)) problems.push(`${s.name}: too few distinct characters`);
  }
  if (stage !== 'production') return problems;
  const values = secrets.map((s) => s.value).filter((v): v is string => !!v);
  if (new Set(values).size !== values.length) {
    problems.push(`${secrets.map((s) => s.name).join(', ')}: must all be different`);
  }
  return problems;
}

function isWeak(secret: string): boolean {
  return new Set(secret).size < MIN_DISTINCT_CHARS;
}

const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: `false` (default), or the proxies whose X-Forwarded-For is believed, as
 * addresses, CIDR ranges or `loopback`/`linklocal`/`uniquelocal`. `true` (believe anyone) is
 * refused in production, where it would let any client choose its rate-limit identity.
 */
export function parseTrustProxy(raw: string, stage: string, problems: string[]): false | string[] {
  const value = raw.trim().toLowerCase();
  if (['', 'false', '0', 'no'].includes(value)) return false;
  if (['true', '1', 'yes'].includes(value)) {
    if (stage === 'production') {
      problems.push('TRUST_PROXY: name the proxies (addresses or CIDR ranges) in production');
    }
    return ['0.0.0.0/0', '::/0'];
  }
  const entries = value.split(',').map((s) => s.trim());
  if (stage === 'production' && entries.some(trustsEveryAddress)) {
    problems.push('TRUST_PROXY: a range of every address (/0, *) is refused in production');
  }
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const valid =
      PROXY_KEYWORDS.has(entry) ||
      (extra === undefined &&
        address !== undefined &&
        isIP(address) !== 0 &&
        (bits === undefined || /^\d{1,3}$/.test(bits)));
    if (!valid) problems.push(`TRUST_PROXY: "${entry}" is not an address, CIDR range or keyword`);
  }
  return entries;
}

/** `*`, or a CIDR range with a zero-bit prefix (0.0.0.0/0, ::/0): believes any client. */
function trustsEveryAddress(entry: string): boolean {
  return entry === '*' || /\/0+$/.test(entry);
}
