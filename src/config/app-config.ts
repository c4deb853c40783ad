import { z } from 'zod';
import { redisUrlHasPassword, redisUrlProblem } from './redis-url.js';
import {
  parseTrustProxy,
  secretProblems,
  type SecurityConfig,
  securityConfigOf,
  securityEnvShape,
} from './security-config.js';
import { OPS_ENV_SHAPE, type OpsConfig, opsConfigFrom, unsafeOpsSettings } from './ops-config.js';
import { type IdentityConfig, identityConfigOf, identityEnv } from './identity-config.js';
import { type BounceConfig, bounceConfigOf, bounceEnvShape } from './bounce-config.js';
import { type FlagsConfig, flagsConfigOf, flagsEnv, flagsProblems } from './flags-config.js';
import { localServicesDir, readLocalServicePasswords } from './local-services.js';
import { type PublicUrlConfig, publicUrlConfigOf, publicUrlEnvShape } from './public-url-config.js';
import { type ReportsConfig, reportsConfigOf, reportsEnvShape } from './reports-config.js';
import { dkimEnvShape, dkimKeyEncryptionKeyOf } from './dkim-config.js';

export const STAGES = ['development', 'test', 'staging', 'production'] as const;
export type Stage = (typeof STAGES)[number];

// Development defaults point at the services started by `npm run services:up`; the test
// stage uses its own ports so a test run never touches a developer's demo data.
const LOCAL_PORTS: Record<
  'development' | 'test',
  { primary: number; replica: number; redis: number; redisCache: number }
> = {
  development: { primary: 23061, replica: 23062, redis: 63791, redisCache: 63792 },
  test: { primary: 23071, replica: 23072, redis: 63801, redisCache: 63802 },
};

/** A visitor following links never misses this often; a scraper guessing keys does at once. */
const DEFAULT_MISSES = 60;

export const DEV_PICKUP_SECRET = 'development-only-pickup-secret-change-me';
export const DEV_ADMIN_TOKEN = 'development-only-admin-token';
export const DEV_ALTCHA_HMAC_KEY = 'development-only-proof-of-work-key';
/** Locally mail goes to a sink on loopback (`npm run mail:sink`), never to the internet. */
const DEV_SMTP_URL = 'smtp://127.0.0.1:1025';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const listOfUrls = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  )
  .pipe(z.array(z.url()));

const redisUrl = z.string().refine((url) => redisUrlProblem(url) === null, {
  error: (i) => String(redisUrlProblem(String(i.input))),
});

const envSchema = z.object({
  APP_STAGE: z.enum(STAGES).optional(),
  NODE_ENV: z.string().optional(),
  APP_VERSION: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  TRUST_PROXY: z.string().default('false'),
  DATABASE_URL: z.url().optional(),
  DATABASE_REPLICA_URLS: listOfUrls.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(500).max(3_600_000).default(5000),
  REDIS_URL: redisUrl.optional(),
  REDIS_QUEUE_URL: redisUrl.optional(),
  REDIS_CACHE_URL: redisUrl.optional(),
  SERVICES_DIR: z.string().min(1).optional(),
  PICKUP_TOKEN_SECRET: z.string().min(1).optional(),
  ADMIN_TOKEN: z.string().min(1).optional(),
  ALTCHA_HMAC_KEY: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PAGE_CACHE_HITS: booleanFlag.default(false),
  PAGE_CACHE_ENABLED: booleanFlag.default(true),
  PAGE_CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(64 * 1024 * 1024),
  PAGE_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
  DATA_CACHE_L1_MAX_ITEMS: z.coerce.number().int().min(100).default(20000),
  DATA_CACHE_L1_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .default(32 * 1024 * 1024),
  PURGE_REPLICA_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
  CATALOG_MISSES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).optional(),
  TEMPLATE_WATCH: booleanFlag.optional(),
  QUEUE_DASHBOARD: booleanFlag.default(true),
  SITES_DIR: z.string().default('sites'),
  SITES_RESYNC_MS: z.coerce.number().int().min(200).max(60_000).default(5000),
  VIEWS_DIR: z.string().default('views'),
  PUBLIC_DIR: z.string().default('public'),
  SENDER_PHOTO_DIR: z.string().min(1).default('.data/sender-photos'),
  SENDER_PHOTO_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(32 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  SMTP_URL: z.url().optional(),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
  DKIM_DOMAIN: z.string().min(1).optional(),
  DKIM_SELECTOR: z.string().min(1).optional(),
  DKIM_PRIVATE_KEY: z.string().min(1).optional(),
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(10),
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  DELIVERY_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(5000),
  DELIVERY_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  DELIVERY_RATE_PER_SECOND: z.coerce.number().int().min(0).max(100_000).default(0),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/, 'must be letters, digits, - or _')
    .default('ecard'),
  OUTBOX_LOOKAHEAD_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  OUTBOX_SWEEP_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  REMINDER_AFTER_DAYS: z.coerce.number().min(0).max(365).default(3),
  REMINDER_SCAN_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  ...publicUrlEnvShape,
  ...securityEnvShape,
  ...OPS_ENV_SHAPE,
  ...identityEnv,
  ...flagsEnv,
  ...bounceEnvShape,
  ...reportsEnvShape,
  ...dkimEnvShape,
});

export interface DatabaseConfig {
  primaryUrl: string;
  replicaUrls: string[];
  poolSize: number;
  /** A replica further behind the primary than this serves no reads until it catches up. */
  replicaMaxLagMs: number;
}

export interface MailConfig {
  smtpUrl: string;
  poolSize: number;
  /** The platform's own key, for sites without an active key of their own; all three or none. */
  dkim: { domain: string; selector: string; privateKey: string } | null;
  /** Seals sites' own DKIM private keys in the database (AES-256-GCM, 32 bytes). */
  siteKeyEncryptionKey: Buffer;
}

export interface DeliveryConfig {
  /** Namespace of the queues' Redis keys and the nudge channel (one per environment). */
  queuePrefix: string;
  concurrency: number;
  maxAttempts: number;
  backoffMs: number;
  /** How long a job stays locked to a worker that stops renewing it (a dead worker). */
  lockMs: number;
  /** Emails per second across all workers; 0 means no limit. */
  ratePerSecond: number;
  lookaheadMs: number;
  sweepMs: number;
  batchSize: number;
  reminderAfterMs: number;
  reminderScanMs: number;
}

export interface AppConfig {
  stage: Stage;
  version: string;
  /** trustProxy: false, or the proxies whose X-Forwarded-For names the client. */
  http: { host: string; port: number; trustProxy: false | string[]; concurrency: number };
  /** How absolute links (pickup URLs, canonical links) are built: never from request headers. */
  publicUrl: PublicUrlConfig;
  database: DatabaseConfig;
  /**
   * The Redis that must never drop a key: queues, the greeting spool, rate-limit counts, locks,
   * heartbeats, feature flags and view counts (run with `noeviction`).
   */
  redisUrl: string;
  /**
   * The Redis holding only what can be rebuilt: the data and page caches' shared tier and their
   * invalidation messages (run with `maxmemory` and an LRU policy). The same as `redisUrl` when
   * one Redis does both.
   */
  redisCacheUrl: string;
  pickupTokenSecret: string;
  adminToken: string;
  /** Key of the proof-of-work challenges' signatures (ALTCHA). */
  altchaHmacKey: string;
  logLevel: string;
  /** Page-cache hits are logged at info (else at debug): at peak they are most of the traffic. */
  logPageCacheHits: boolean;
  mail: MailConfig;
  delivery: DeliveryConfig;
  cache: {
    pageEnabled: boolean;
    pageMaxBytes: number;
    /** One freshness for every page instead of each page's own (operations, tests). */
    pageTtlSeconds: number | null;
    dataL1MaxItems: number;
    dataL1MaxBytes: number;
    /** Catalog lookups of things that do not exist a client may make per minute. */
    missesPerMinute: number;
    /** How long a purge waits for the replicas to hold the change it follows. */
    purgeReplicaWaitMs: number;
  };
  /** Re-read templates on every render (development), instead of compiling them once. */
  templateWatch: boolean;
  /** Bull Board at /admin/queues (behind ADMIN_TOKEN). */
  queueDashboard: boolean;
  paths: { sites: string; views: string; public: string };
  /** Senders' own photos: kept outside the web root, served only through their pickup link. */
  senderPhotos: { dir: string; maxBytes: number };
  /** How often a process compares its sites with the database, besides the change messages. */
  siteSync: { resyncMs: number };
  security: SecurityConfig;
  ops: OpsConfig;
  reports: ReportsConfig;
  flags: FlagsConfig;
  /** Members' sessions, throttles and account emails. */
  identity: IdentityConfig;
  bounces: BounceConfig;
}

function defaultStage(e: { NODE_ENV?: string | undefined }): Stage {
  return e.NODE_ENV === 'production' ? 'production' : 'development';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once at boot. Every problem is collected so an operator fixes them
 * all in one go instead of one per restart.
 */
export function loadConfig(env: NodeJS.ProcessEnv, cpuCount = 1): AppConfig {
  let parsed = envSchema.safeParse(env);
  const invalid = parsed.success ? [] : parsed.error.issues;
  if (!parsed.success) {
    // Check the rest with the invalid variables left out, so one boot lists every problem.
    const bad = new Set(invalid.map((i) => String(i.path[0])));
    parsed = envSchema.safeParse(
      Object.fromEntries(Object.entries(env).filter(([k]) => !bad.has(k))),
    );
  }
  if (!parsed.success)
    throw new ConfigError(invalid.map((i) => `${i.path.join('.')}: ${i.message}`));
  // Fail closed: a process started for production that forgot its stage is not development.
  const e = { ...parsed.data, APP_STAGE: parsed.data.APP_STAGE ?? defaultStage(parsed.data) };
  const problems: string[] = invalid.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
  const reported = new Set(invalid.map((i) => `${String(i.path[0])}:`));
  const local = e.APP_STAGE === 'test' ? LOCAL_PORTS.test : LOCAL_PORTS.development;
  const localDefaults = e.APP_STAGE === 'development' || e.APP_STAGE === 'test';
  const dbName = e.APP_STAGE === 'test' ? 'ecard_test' : 'ecard';
  // The local services have passwords (as production does), made by `npm run services:up`.
  const defaultDb = localDefaults && !e.DATABASE_URL;
  const defaultRedis =
    localDefaults && !((e.REDIS_QUEUE_URL ?? e.REDIS_URL) && (e.REDIS_CACHE_URL ?? e.REDIS_URL));
  const passwords =
    defaultDb || defaultRedis
      ? readLocalServicePasswords(
          localServicesDir(e.APP_STAGE === 'test' ? 'test' : 'development', e.SERVICES_DIR),
        )
      : null;
  const localPasswords = typeof passwords === 'object' && passwords !== null ? passwords : null;
  if (typeof passwords === 'string') {
    if (defaultDb) problems.push(`DATABASE_URL: not set, and ${passwords}`);
    if (defaultRedis) problems.push(`REDIS_URL: not set, and ${passwords}`);
  }
  const dbAt = (port: number) =>
    `mysql://ecard:${encodeURIComponent(localPasswords?.db ?? '')}@127.0.0.1:${port}/${dbName}`;
  const redisAt = (port: number) =>
    `redis://:${encodeURIComponent(localPasswords?.redis ?? '')}@127.0.0.1:${port}`;

  const primaryUrl = e.DATABASE_URL ?? (localPasswords ? dbAt(local.primary) : undefined);
  const replicaUrls =
    e.DATABASE_REPLICA_URLS ?? (defaultDb && localPasswords ? [dbAt(local.replica)] : []);
  const queueRedisUrl =
    e.REDIS_QUEUE_URL ?? e.REDIS_URL ?? (localPasswords ? redisAt(local.redis) : undefined);
  const cacheRedisUrl =
    e.REDIS_CACHE_URL ?? e.REDIS_URL ?? (localPasswords ? redisAt(local.redisCache) : undefined);
  const pickupTokenSecret =
    e.PICKUP_TOKEN_SECRET ?? (localDefaults ? DEV_PICKUP_SECRET : undefined);
  const adminToken = e.ADMIN_TOKEN ?? (localDefaults ? DEV_ADMIN_TOKEN : undefined);
  const altchaHmacKey = e.ALTCHA_HMAC_KEY ?? (localDefaults ? DEV_ALTCHA_HMAC_KEY : undefined);

  if (!primaryUrl && !localDefaults)
    problems.push('DATABASE_URL: required outside development and test');
  if ((!queueRedisUrl || !cacheRedisUrl) && !localDefaults) {
    problems.push(
      'REDIS_URL: required outside development and test (or REDIS_QUEUE_URL and REDIS_CACHE_URL)',
    );
  }
  if (!pickupTokenSecret)
    problems.push('PICKUP_TOKEN_SECRET: required outside development and test');
  if (!adminToken) problems.push('ADMIN_TOKEN: required outside development and test');
  if (!altchaHmacKey) problems.push('ALTCHA_HMAC_KEY: required outside development and test');
  const smtpUrl = e.SMTP_URL ?? (localDefaults ? DEV_SMTP_URL : undefined);
  if (!smtpUrl) problems.push('SMTP_URL: required outside development and test');
  const dkimParts = [e.DKIM_DOMAIN, e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY];
  if (dkimParts.some((v) => v !== undefined) && dkimParts.some((v) => v === undefined)) {
    problems.push('DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY: set all three or none');
  }
  if (e.APP_STAGE === 'production') {
    if (primaryUrl && !new URL(primaryUrl).password) {
      problems.push('DATABASE_URL: production refuses a database user without a password');
    }
    if ([queueRedisUrl, cacheRedisUrl].some((url) => url && !redisUrlHasPassword(url))) {
      problems.push('REDIS_URL: production refuses a Redis without a password');
    }
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY, e.APP_STAGE, problems);
  const security = securityConfigOf(e, problems);
  const publicUrl = publicUrlConfigOf(e, problems);
  const reports = reportsConfigOf(e, security.apiKeys, problems);
  problems.push(
    ...secretProblems(e.APP_STAGE, [
      { name: 'PICKUP_TOKEN_SECRET', value: pickupTokenSecret, devValue: DEV_PICKUP_SECRET },
      { name: 'ADMIN_TOKEN', value: adminToken, devValue: DEV_ADMIN_TOKEN },
      { name: 'ALTCHA_HMAC_KEY', value: altchaHmacKey, devValue: DEV_ALTCHA_HMAC_KEY },
    ]),
  );
  problems.push(...flagsProblems(e));
  const ops = opsConfigFrom(e, e.APP_STAGE);
  const bounces = bounceConfigOf(e, problems);
  const siteKeyEncryptionKey = dkimKeyEncryptionKeyOf(e, problems);
  problems.push(...unsafeOpsSettings(ops, e.APP_STAGE));
  // A variable already reported as invalid is not reported again as missing.
  const listed = problems.filter(
    (p, i) => i < invalid.length || !reported.has(p.split(' ')[0] ?? ''),
  );
  if (listed.length > 0) throw new ConfigError(listed);

  return {
    stage: e.APP_STAGE,
    version: e.APP_VERSION ?? process.env.npm_package_version ?? '0.0.0-dev',
    http: {
      host: e.HOST,
      port: e.PORT,
      trustProxy,
      concurrency: e.WEB_CONCURRENCY ?? Math.max(1, cpuCount),
    },
    publicUrl,
    database: {
      primaryUrl: primaryUrl as string,
      replicaUrls,
      poolSize: e.DATABASE_POOL_SIZE,
      replicaMaxLagMs: e.DATABASE_REPLICA_MAX_LAG_MS,
    },
    redisUrl: queueRedisUrl as string,
    redisCacheUrl: cacheRedisUrl as string,
    pickupTokenSecret: pickupTokenSecret as string,
    adminToken: adminToken as string,
    altchaHmacKey: altchaHmacKey as string,
    logLevel: e.LOG_LEVEL,
    logPageCacheHits: e.LOG_PAGE_CACHE_HITS,
    mail: {
      smtpUrl: smtpUrl as string,
      poolSize: e.SMTP_POOL_SIZE,
      dkim:
        e.DKIM_DOMAIN && e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY
          ? {
              domain: e.DKIM_DOMAIN,
              selector: e.DKIM_SELECTOR,
              // Keys passed through env vars usually arrive with literal "\n" line breaks.
              privateKey: e.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n'),
            }
          : null,
      siteKeyEncryptionKey,
    },
    delivery: {
      queuePrefix: e.QUEUE_PREFIX,
      concurrency: e.DELIVERY_CONCURRENCY,
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      backoffMs: e.DELIVERY_BACKOFF_MS,
      lockMs: e.DELIVERY_LOCK_MS,
      ratePerSecond: e.DELIVERY_RATE_PER_SECOND,
      lookaheadMs: e.OUTBOX_LOOKAHEAD_SECONDS * 1000,
      sweepMs: e.OUTBOX_SWEEP_MS,
      batchSize: e.OUTBOX_BATCH_SIZE,
      reminderAfterMs: Math.round(e.REMINDER_AFTER_DAYS * 86_400_000),
      reminderScanMs: e.REMINDER_SCAN_SECONDS * 1000,
    },
    cache: {
      pageEnabled: e.PAGE_CACHE_ENABLED,
      pageMaxBytes: e.PAGE_CACHE_MAX_BYTES,
      pageTtlSeconds: e.PAGE_CACHE_TTL_SECONDS ?? null,
      dataL1MaxItems: e.DATA_CACHE_L1_MAX_ITEMS,
      dataL1MaxBytes: e.DATA_CACHE_L1_MAX_BYTES,
      // Tests share one client address across many apps and files: the budget is theirs to set.
      missesPerMinute:
        e.CATALOG_MISSES_PER_MINUTE ?? (e.APP_STAGE === 'test' ? 1_000_000 : DEFAULT_MISSES),
      purgeReplicaWaitMs: e.PURGE_REPLICA_WAIT_MS,
    },
    templateWatch: e.TEMPLATE_WATCH ?? e.APP_STAGE === 'development',
    queueDashboard: e.QUEUE_DASHBOARD,
    paths: { sites: e.SITES_DIR, views: e.VIEWS_DIR, public: e.PUBLIC_DIR },
    senderPhotos: { dir: e.SENDER_PHOTO_DIR, maxBytes: e.SENDER_PHOTO_MAX_BYTES },
    siteSync: { resyncMs: e.SITES_RESYNC_MS },
    security,
    ops,
    flags: flagsConfigOf(e),
    identity: identityConfigOf(e),
    bounces,
    reports,
  };
}
