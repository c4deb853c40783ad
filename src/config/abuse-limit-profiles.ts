export interface AbuseLimits {
  ipSendsPerHour: number;
  ipRecipientsPerHour: number;
  senderSendsPerHour: number;
  senderRecipientsPerHour: number;
  siteSendsPerDay: number;
  siteRecipientsPerDay: number;
  pickupMissesPerHour: number;
  adminFailuresPerHour: number;
  /** Emails one mailbox (however its address is spelled) gets from a site in an hour. */
  mailboxEmailsPerHour: number;
  /** The share of the site's daily recipients one client (IPv6 /48, IPv4 address) may use. */
  clientSharePercent: number;
  apiKeySendsPerHour: number;
  apiKeyRecipientsPerHour: number;
  /** A compose form posted sooner than this after it was served is a bot's. */
  composeMinFillMs: number;
  /** Compose attempts per client IP in ten minutes before a challenge is asked. */
  composeChallengeAfter: number;
}

/**
 * The production limits: what a public charity-style send form allows (about 3 sends of at most
 * 10 recipients per IP per hour). Exported so the attack suite runs against exactly these.
 */
export const DEFAULT_ABUSE_LIMITS: Readonly<AbuseLimits> = {
  ipSendsPerHour: 3,
  ipRecipientsPerHour: 30,
  senderSendsPerHour: 5,
  senderRecipientsPerHour: 50,
  siteSendsPerDay: 20_000,
  siteRecipientsPerDay: 100_000,
  pickupMissesPerHour: 20,
  adminFailuresPerHour: 10,
  mailboxEmailsPerHour: 10,
  clientSharePercent: 1,
  apiKeySendsPerHour: 100_000,
  apiKeyRecipientsPerHour: 1_000_000,
  composeMinFillMs: 3000,
  composeChallengeAfter: 4,
};

/**
 * A developer tries the send form over and over from one address: every defence stays on, with
 * room for an afternoon's work (a hundred cards an hour, a challenge after fifty posts in ten
 * minutes) instead of refusing the fourth card.
 */
const DEVELOPMENT_ABUSE_LIMITS: Readonly<AbuseLimits> = {
  ...DEFAULT_ABUSE_LIMITS,
  ipSendsPerHour: 100,
  ipRecipientsPerHour: 1000,
  senderSendsPerHour: 100,
  senderRecipientsPerHour: 1000,
  pickupMissesPerHour: 200,
  adminFailuresPerHour: 50,
  mailboxEmailsPerHour: 100,
  clientSharePercent: 100,
  composeMinFillMs: 1000,
  composeChallengeAfter: 50,
};

/**
 * The test stage: functional tests send dozens of cards from one loopback address. The attack
 * suite (test/security) sets the production values explicitly (`defaultAbuseEnv`).
 */
const TEST_ABUSE_LIMITS: Readonly<AbuseLimits> = {
  ...DEFAULT_ABUSE_LIMITS,
  ipSendsPerHour: 100_000,
  ipRecipientsPerHour: 1_000_000,
  senderSendsPerHour: 100_000,
  senderRecipientsPerHour: 1_000_000,
  siteSendsPerDay: 1_000_000,
  siteRecipientsPerDay: 10_000_000,
  pickupMissesPerHour: 100_000,
  adminFailuresPerHour: 100_000,
  mailboxEmailsPerHour: 1_000_000,
  clientSharePercent: 100,
  composeMinFillMs: 0,
  composeChallengeAfter: 100_000,
};

export const LIMIT_PROFILES = ['production', 'development', 'test'] as const;
export type LimitProfile = (typeof LIMIT_PROFILES)[number];

const PROFILES: Record<LimitProfile, Readonly<AbuseLimits>> = {
  production: DEFAULT_ABUSE_LIMITS,
  development: DEVELOPMENT_ABUSE_LIMITS,
  test: TEST_ABUSE_LIMITS,
};

/**
 * The profile for a stage: its own by default (staging rehearses production's). A deployed
 * stage refuses a relaxed profile, so a variable copied from a developer's shell cannot open
 * the send form to floods.
 */
export function limitProfileOf(
  stage: string,
  requested: LimitProfile | undefined,
  problems: string[],
): { profile: LimitProfile; base: Readonly<AbuseLimits> } {
  const own: LimitProfile = stage === 'development' || stage === 'test' ? stage : 'production';
  const profile = requested ?? own;
  if (own === 'production' && profile !== 'production') {
    problems.push(`RATE_LIMIT_PROFILE: ${stage} refuses the relaxed "${profile}" limits`);
  }
  return { profile, base: PROFILES[profile] };
}

/** The env values that reproduce the production defaults (for the attack suite). */
export function defaultAbuseEnv(): Record<string, string> {
  const d = DEFAULT_ABUSE_LIMITS;
  return {
    RATE_LIMIT_IP_SENDS_PER_HOUR: String(d.ipSendsPerHour),
    RATE_LIMIT_IP_RECIPIENTS_PER_HOUR: String(d.ipRecipientsPerHour),
    RATE_LIMIT_SENDER_SENDS_PER_HOUR: String(d.senderSendsPerHour),
    RATE_LIMIT_SENDER_RECIPIENTS_PER_HOUR: String(d.senderRecipientsPerHour),
    RATE_LIMIT_SITE_SENDS_PER_DAY: String(d.siteSendsPerDay),
    RATE_LIMIT_SITE_RECIPIENTS_PER_DAY: String(d.siteRecipientsPerDay),
    RATE_LIMIT_PICKUP_MISSES_PER_HOUR: String(d.pickupMissesPerHour),
    RATE_LIMIT_ADMIN_FAILURES_PER_HOUR: String(d.adminFailuresPerHour),
    RATE_LIMIT_MAILBOX_EMAILS_PER_HOUR: String(d.mailboxEmailsPerHour),
    RATE_LIMIT_CLIENT_SHARE_PERCENT: String(d.clientSharePercent),
    RATE_LIMIT_API_KEY_SENDS_PER_HOUR: String(d.apiKeySendsPerHour),
    RATE_LIMIT_API_KEY_RECIPIENTS_PER_HOUR: String(d.apiKeyRecipientsPerHour),
    COMPOSE_MIN_FILL_SECONDS: String(d.composeMinFillMs / 1000),
    COMPOSE_CHALLENGE_AFTER: String(d.composeChallengeAfter),
  };
}
