import type { Heartbeat } from './heartbeats.js';
import type { QueueDepth } from './queue-depth-sampler.js';

export interface WatchdogThresholds {
  heartbeatTimeoutMs: number;
  backlogThreshold: number;
  failedThreshold: number;
  stallMs: number;
}

export interface WatchdogObservation {
  now: number;
  /** Every worker in the heartbeat set: its last beat, and its details if still stored. */
  workers: { id: string; beatAt: number; detail: Heartbeat | null }[];
  queues: Record<string, QueueDepth>;
  /** Since when each queue has had jobs to run, as this watchdog saw it. */
  backlogSince: Record<string, number>;
}

export interface Condition {
  summary: string;
  details: Record<string, unknown>;
}

/**
 * What is wrong right now, by condition key. Pure, so every rule is tested without Redis; the
 * watchdog compares the result with the alerts already raised to fire or resolve each once.
 */
export function currentConditions(
  o: WatchdogObservation,
  t: WatchdogThresholds,
): Map<string, Condition> {
  const found = new Map<string, Condition>();
  for (const w of o.workers) {
    const silentMs = o.now - w.beatAt;
    if (silentMs <= t.heartbeatTimeoutMs) continue;
    found.set(`heartbeat-missing:${w.id}`, {
      summary: `worker ${w.id} sent no heartbeat for ${Math.round(silentMs / 1000)} s`,
      details: {
        worker: w.id,
        host: w.detail?.host ?? null,
        workerPid: w.detail?.pid ?? null,
        workerVersion: w.detail?.version ?? null,
        lastBeatAt: new Date(w.beatAt).toISOString(),
        silentMs,
      },
    });
  }
  const live = o.workers.filter((w) => o.now - w.beatAt <= t.heartbeatTimeoutMs);
  for (const [queue, depth] of Object.entries(o.queues)) {
    const backlog = depth.waiting + depth.active;
    if (backlog >= t.backlogThreshold) {
      found.set(`backlog:${queue}`, {
        summary: `queue ${queue} has ${backlog} jobs waiting or running (threshold ${t.backlogThreshold})`,
        details: { queue, waiting: depth.waiting, active: depth.active },
      });
    }
    if (depth.failed >= t.failedThreshold) {
      found.set(`failed:${queue}`, {
        summary: `queue ${queue} holds ${depth.failed} failed jobs (threshold ${t.failedThreshold})`,
        details: { queue, failed: depth.failed },
      });
    }
    const since = o.backlogSince[queue];
    if (backlog === 0 || since === undefined) continue;
    const lastDone = Math.max(0, ...live.map((w) => w.detail?.lastJobAt[queue] ?? 0));
    const quietMs = o.now - Math.max(lastDone, since);
    if (quietMs > t.stallMs) {
      found.set(`stalled:${queue}`, {
        summary: `queue ${queue} has ${backlog} jobs and none finished for ${Math.round(quietMs / 1000)} s`,
        details: {
          queue,
          waiting: depth.waiting,
          active: depth.active,
          lastJobAt: lastDone > 0 ? new Date(lastDone).toISOString() : null,
        },
      });
    }
  }
  return found;
}
