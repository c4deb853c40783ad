import { z } from 'zod';

/**
 * Environment variables of the operations side (worker metrics, heartbeats, watchdog, alerts,
 * SLA targets). Kept apart from the rest of the configuration so the SLA report can read its
 * targets on an operator's machine without the database and Redis settings a process needs;
 * `loadConfig` merges this schema into the one it validates at boot.
 */
const percentage = z.coerce.number().gt(0).max(100);

export const OPS_ENV_SHAPE = {
  /** 0 turns the web process's metrics server off. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Where both metrics servers listen: loopback unless a scraper elsewhere needs them. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** 0 turns the worker's metrics server off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  WATCHDOG_HEARTBEAT_TIMEOUT: z.coerce.number().int().min(200).max(3_600_000).default(30_000),
  WATCHDOG_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  WATCHDOG_BACKLOG_THRESHOLD: z.coerce.number().int().min(1).default(10_000),
  WATCHDOG_FAILED_THRESHOLD: z.coerce.number().int().min(1).default(100),
  WATCHDOG_STALL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(120_000),
  /** The delivery promise: a scheduled greeting arrives within this many seconds of its time. */
  WATCHDOG_LATE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  WATCHDOG_LATE_COUNT: z.coerce.number().int().min(1).default(10),
  /** Web processes keep a watchdog on standby (default: every stage but test). */
  WATCHDOG_IN_WEB: z.enum(['true', 'false']).optional(),
  OPS_ALERT_EMAIL: z.email().optional(),
  OPS_ALERT_FROM: z.email().default('watchdog@ecard.invalid'),
  OPS_ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  SLA_AVAILABILITY_TARGET: percentage.default(99.95),
  SLA_PAGE_LATENCY_MS: z.coerce.number().gt(0).max(60_000).default(100),
  SLA_PAGE_LATENCY_SHARE: percentage.default(90),
};

type OpsEnv = z.infer<z.ZodObject<typeof OPS_ENV_SHAPE>>;

/** The default metrics port of a worker; the test stage leaves it off (many workers, one host). */
export const DEFAULT_WORKER_METRICS_PORT = 9464;
/** The web process's (its cluster primary's); off in the test stage likewise. */
export const DEFAULT_WEB_METRICS_PORT = 9463;

export interface SlaTargets {
  /** Percent of requests that must not be a 5xx. */
  availabilityPercent: number;
  /** `pageShareUnderPercent` % of page requests must take less than `pageLatencyMs`. */
  pageLatencyMs: number;
  pageShareUnderPercent: number;
}

export interface OpsConfig {
  /** Interface both metrics servers listen on. */
  metricsHost: string;
  /** null: no metrics server for the web process. */
  webMetricsPort: number | null;
  /** null: no metrics server in the worker process. */
  workerMetricsPort: number | null;
  heartbeatMs: number;
  watchdog: {
    heartbeatTimeoutMs: number;
    intervalMs: number;
    backlogThreshold: number;
    failedThreshold: number;
    stallMs: number;
    /** Scheduled greetings still undelivered this long after their time are late. */
    lateAfterMs: number;
    /** Late recipients on one site that raise the alert. */
    lateCount: number;
    /** Whether web processes run a standby watchdog too. */
    inWeb: boolean;
  };
  alerts: { email: string | null; from: string; webhookUrl: string | null };
  sla: SlaTargets;
}

export function opsConfigFrom(e: OpsEnv, stage: string): OpsConfig {
  const port = e.WORKER_METRICS_PORT ?? (stage === 'test' ? 0 : DEFAULT_WORKER_METRICS_PORT);
  const webPort = e.METRICS_PORT ?? (stage === 'test' ? 0 : DEFAULT_WEB_METRICS_PORT);
  return {
    metricsHost: e.METRICS_HOST,
    webMetricsPort: webPort === 0 ? null : webPort,
    workerMetricsPort: port === 0 ? null : port,
    heartbeatMs: e.WORKER_HEARTBEAT_MS,
    watchdog: {
      heartbeatTimeoutMs: e.WATCHDOG_HEARTBEAT_TIMEOUT,
      intervalMs: e.WATCHDOG_INTERVAL_MS,
      backlogThreshold: e.WATCHDOG_BACKLOG_THRESHOLD,
      failedThreshold: e.WATCHDOG_FAILED_THRESHOLD,
      stallMs: e.WATCHDOG_STALL_MS,
      lateAfterMs: e.WATCHDOG_LATE_SECONDS * 1000,
      lateCount: e.WATCHDOG_LATE_COUNT,
      inWeb: e.WATCHDOG_IN_WEB === undefined ? stage !== 'test' : e.WATCHDOG_IN_WEB === 'true',
    },
    alerts: {
      email: e.OPS_ALERT_EMAIL ?? null,
      from: e.OPS_ALERT_FROM,
      webhookUrl: e.OPS_ALERT_WEBHOOK_URL ?? null,
    },
    sla: {
      availabilityPercent: e.SLA_AVAILABILITY_TARGET,
      pageLatencyMs: e.SLA_PAGE_LATENCY_MS,
      pageShareUnderPercent: e.SLA_PAGE_LATENCY_SHARE,
    },
  };
}

/** Settings that are fine on a laptop and wrong in production. */
export function unsafeOpsSettings(ops: OpsConfig, stage: string): string[] {
  const problems: string[] = [];
  if (stage !== 'production') return problems;
  if (ops.alerts.webhookUrl?.startsWith('http:')) {
    problems.push('OPS_ALERT_WEBHOOK_URL: production refuses a plain http webhook (use https)');
  }
  if (ops.watchdog.heartbeatTimeoutMs <= ops.heartbeatMs * 2) {
    problems.push(
      'WATCHDOG_HEARTBEAT_TIMEOUT: must exceed two heartbeat intervals (WORKER_HEARTBEAT_MS) in production',
    );
  }
  return problems;
}

/** The SLA targets alone, for the report run on an operator's machine. */
export function slaTargetsFrom(env: NodeJS.ProcessEnv): SlaTargets {
  const parsed = z
    .object({
      SLA_AVAILABILITY_TARGET: OPS_ENV_SHAPE.SLA_AVAILABILITY_TARGET,
      SLA_PAGE_LATENCY_MS: OPS_ENV_SHAPE.SLA_PAGE_LATENCY_MS,
      SLA_PAGE_LATENCY_SHARE: OPS_ENV_SHAPE.SLA_PAGE_LATENCY_SHARE,
    })
    .safeParse(env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  return {
    availabilityPercent: parsed.data.SLA_AVAILABILITY_TARGET,
    pageLatencyMs: parsed.data.SLA_PAGE_LATENCY_MS,
    pageShareUnderPercent: parsed.data.SLA_PAGE_LATENCY_SHARE,
  };
}
