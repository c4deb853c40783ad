import { z } from 'zod';

export const STAGES = ['development', 'test', 'staging', 'production'] as const;
export type Stage = (typeof STAGES)[number];

// Development defaults point at the services started by `npm run services:up`; the test
// stage uses its own ports so a test run never touches a developer's demo data.
const LOCAL_PORTS: Record<
  'development' | 'test',
  { primary: number; replica: number; redis: number }
> = {
  development: { primary: 33061, replica: 33062, redis: 63791 },
  test: { primary: 33071, replica: 33072, redis: 63801 },
};

const DEV_PICKUP_SECRET = 'development-only-pickup-secret-change-me';
const DEV_ADMIN_TOKEN = 'development-only-admin-token';

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

const envSchema = z.object({
  APP_STAGE: z.enum(STAGES).default('development'),
  APP_VERSION: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  PUBLIC_SCHEME: z.enum(['http', 'https']).optional(),
  PUBLIC_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TRUST_PROXY: booleanFlag.default(false),
  DATABASE_URL: z.url().optional(),
  DATABASE_REPLICA_URLS: listOfUrls.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.url().optional(),
  PICKUP_TOKEN_SECRET: z.string().min(1).optional(),
  ADMIN_TOKEN: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  TEMPLATE_WATCH: booleanFlag.optional(),
  SITES_DIR: z.string().default('sites'),
  VIEWS_DIR: z.string().default('views'),
  PUBLIC_DIR: z.string().default('public'),
});

export interface DatabaseConfig {
  primaryUrl: string;
  replicaUrls: string[];
  poolSize: number;
}

export interface AppConfig {
  stage: Stage;
  version: string;
  http: { host: string; port: number; trustProxy: boolean; concurrency: number };
  /** How absolute links (pickup URLs, canonical links) are built: never from request headers. */
  publicUrl: { scheme: 'http' | 'https'; port: number | null };
  database: DatabaseConfig;
  redisUrl: string;
  pickupTokenSecret: string;
  adminToken: string;
  logLevel: string;
  cache: {
    pageEnabled: boolean;
    pageMaxBytes: number;
    /** One freshness for every page instead of each page's own (operations, tests). */
    pageTtlSeconds: number | null;
    dataL1MaxItems: number;
    dataL1MaxBytes: number;
  };
  /** Re-read templates on every render (development), instead of compiling them once. */
  templateWatch: boolean;
  paths: { sites: string; views: string; public: string };
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
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const local = e.APP_STAGE === 'test' ? LOCAL_PORTS.test : LOCAL_PORTS.development;
  const localDefaults = e.APP_STAGE === 'development' || e.APP_STAGE === 'test';
  const dbName = e.APP_STAGE === 'test' ? 'ecard_test' : 'ecard';

  const primaryUrl =
    e.DATABASE_URL ??
    (localDefaults ? `mysql://ecard@127.0.0.1:${local.primary}/${dbName}` : undefined);
  const replicaUrls =
    e.DATABASE_REPLICA_URLS ??
    (localDefaults && !e.DATABASE_URL
      ? [`mysql://ecard@127.0.0.1:${local.replica}/${dbName}`]
      : []);
  const redisUrl = e.REDIS_URL ?? (localDefaults ? `redis://127.0.0.1:${local.redis}` : undefined);
  const pickupTokenSecret =
    e.PICKUP_TOKEN_SECRET ?? (localDefaults ? DEV_PICKUP_SECRET : undefined);
  const adminToken = e.ADMIN_TOKEN ?? (localDefaults ? DEV_ADMIN_TOKEN : undefined);

  if (!primaryUrl) problems.push('DATABASE_URL: required outside development and test');
  if (!redisUrl) problems.push('REDIS_URL: required outside development and test');
  if (!pickupTokenSecret)
    problems.push('PICKUP_TOKEN_SECRET: required outside development and test');
  if (!adminToken) problems.push('ADMIN_TOKEN: required outside development and test');
  if (e.APP_STAGE === 'production') {
    if (pickupTokenSecret && pickupTokenSecret.length < 32) {
      problems.push('PICKUP_TOKEN_SECRET: must be at least 32 characters in production');
    }
    if (adminToken && adminToken.length < 32) {
      problems.push('ADMIN_TOKEN: must be at least 32 characters in production');
    }
    if (primaryUrl && !new URL(primaryUrl).password) {
      problems.push('DATABASE_URL: production refuses a database user without a password');
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const scheme = e.PUBLIC_SCHEME ?? (e.APP_STAGE === 'production' ? 'https' : 'http');
  // Locally the site is reached on the web port; behind a proxy the default port of the scheme.
  const publicPort = e.PUBLIC_PORT ?? (localDefaults ? e.PORT : null);

  return {
    stage: e.APP_STAGE,
    version: e.APP_VERSION ?? process.env.npm_package_version ?? '0.0.0-dev',
    http: {
      host: e.HOST,
      port: e.PORT,
      trustProxy: e.TRUST_PROXY,
      concurrency: e.WEB_CONCURRENCY ?? Math.max(1, cpuCount),
    },
    publicUrl: { scheme, port: publicPort },
    database: {
      primaryUrl: primaryUrl as string,
      replicaUrls,
      poolSize: e.DATABASE_POOL_SIZE,
    },
    redisUrl: redisUrl as string,
    pickupTokenSecret: pickupTokenSecret as string,
    adminToken: adminToken as string,
    logLevel: e.LOG_LEVEL,
    cache: {
      pageEnabled: e.PAGE_CACHE_ENABLED,
      pageMaxBytes: e.PAGE_CACHE_MAX_BYTES,
      pageTtlSeconds: e.PAGE_CACHE_TTL_SECONDS ?? null,
      dataL1MaxItems: e.DATA_CACHE_L1_MAX_ITEMS,
      dataL1MaxBytes: e.DATA_CACHE_L1_MAX_BYTES,
    },
    templateWatch: e.TEMPLATE_WATCH ?? e.APP_STAGE === 'development',
    paths: { sites: e.SITES_DIR, views: e.VIEWS_DIR, public: e.PUBLIC_DIR },
  };
}
