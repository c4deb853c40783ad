import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const ratio = z.coerce.number().min(0).max(1);

/** Environment variables of feature flags and the autopilot; merged into the app's schema. */
export const flagsEnv = {
  FLAGS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, - or _')
    .default('default'),
  FLAGS_RESYNC_MS: z.coerce.number().int().min(200).max(60_000).default(3000),
  AUTOPILOT_ENABLED: booleanFlag.optional(),
  AUTOPILOT_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  AUTOPILOT_LAG_LIMIT_MS: z.coerce.number().min(1).max(60_000).default(200),
  AUTOPILOT_LATENCY_LIMIT_MS: z.coerce.number().min(1).max(600_000).default(1000),
  AUTOPILOT_BACKLOG_LIMIT: z.coerce.number().int().min(1).default(5000),
  AUTOPILOT_QUEUE_POLL_MS: z.coerce.number().int().min(500).max(600_000).default(5000),
  AUTOPILOT_SHED_BELOW: ratio.default(0.5),
  AUTOPILOT_RESTORE_ABOVE: ratio.default(0.8),
  AUTOPILOT_RESTORE_AFTER_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
};

export interface AutopilotConfig {
  enabled: boolean;
  intervalMs: number;
  /** Each signal scores 1 up to half its limit and 0 at the limit. */
  lagLimitMs: number;
  latencyLimitMs: number;
  backlogLimit: number;
  queuePollMs: number;
  /** Below this health score one more flag is shed per interval. */
  shedBelow: number;
  /** At or above this score for restoreAfterMs, the last shed flag comes back. */
  restoreAbove: number;
  restoreAfterMs: number;
}

export interface FlagsConfig {
  /** Environments (or test runs) sharing a database and Redis keep their flags apart. */
  namespace: string;
  /** How often every process reloads overrides, in case it missed a broadcast. */
  resyncMs: number;
  autopilot: AutopilotConfig;
}

type FlagsEnv = { APP_STAGE: string } & z.infer<z.ZodObject<typeof flagsEnv>>;

export function flagsProblems(e: FlagsEnv): string[] {
  return e.AUTOPILOT_RESTORE_ABOVE <= e.AUTOPILOT_SHED_BELOW
    ? ['AUTOPILOT_RESTORE_ABOVE: must be above AUTOPILOT_SHED_BELOW (hysteresis)']
    : [];
}

export function flagsConfigOf(e: FlagsEnv): FlagsConfig {
  return {
    namespace: e.FLAGS_NAMESPACE,
    resyncMs: e.FLAGS_RESYNC_MS,
    autopilot: {
      // Off by default in tests: a busy test machine must not shed features under other tests.
      enabled: e.AUTOPILOT_ENABLED ?? e.APP_STAGE !== 'test',
      intervalMs: e.AUTOPILOT_INTERVAL_MS,
      lagLimitMs: e.AUTOPILOT_LAG_LIMIT_MS,
      latencyLimitMs: e.AUTOPILOT_LATENCY_LIMIT_MS,
      backlogLimit: e.AUTOPILOT_BACKLOG_LIMIT,
      queuePollMs: e.AUTOPILOT_QUEUE_POLL_MS,
      shedBelow: e.AUTOPILOT_SHED_BELOW,
      restoreAbove: e.AUTOPILOT_RESTORE_ABOVE,
      restoreAfterMs: e.AUTOPILOT_RESTORE_AFTER_MS,
    },
  };
}
