import type { Heartbeat } from '../../src/ops/heartbeats.js';
import { currentConditions, type WatchdogObservation } from '../../src/ops/watchdog-conditions.js';

const thresholds = {
  heartbeatTimeoutMs: 30_000,
  backlogThreshold: 100,
  failedThreshold: 5,
  stallMs: 60_000,
};
const now = 1_000_000_000;
const idle = { waiting: 0, delayed: 0, active: 0, failed: 0 };
const beat = (
  id: string,
  agoMs: number,
  lastJobAgoMs?: number,
): { id: string; beatAt: number; detail: Heartbeat } => ({
  id,
  beatAt: now - agoMs,
  detail: {
    id,
    pid: 1,
    host: 'h',
    version: 'v',
    queues: ['delivery'],
    startedAt: 0,
    beatAt: now - agoMs,
    lastJobAt: lastJobAgoMs === undefined ? {} : { delivery: now - lastJobAgoMs },
  },
});
const observe = (o: Partial<WatchdogObservation>): string[] => [
  ...currentConditions({ now, workers: [], queues: {}, backlogSince: {}, ...o }, thresholds).keys(),
];

describe('watchdog conditions', () => {
  it('flags a worker whose heartbeat is older than the timeout, and only that one', () => {
    expect(observe({ workers: [beat('a', 1000), beat('b', 30_001)] })).toEqual([
      'heartbeat-missing:b',
    ]);
  });

  it('flags a backlog and a failed count at their thresholds', () => {
    const queues = {
      delivery: { ...idle, waiting: 60, active: 40, failed: 5 },
      notifications: idle,
    };
    const since = { delivery: now };
    expect(observe({ queues, backlogSince: since }).sort()).toEqual([
      'backlog:delivery',
      'failed:delivery',
    ]);
  });

  it('calls delivery stalled only when jobs wait and none finished for the stall time', () => {
    const queues = { delivery: { ...idle, waiting: 3 } };
    // Jobs have waited long, and a live worker finished one recently: not stalled.
    expect(
      observe({ queues, backlogSince: { delivery: now - 600_000 }, workers: [beat('a', 0, 1000)] }),
    ).toEqual([]);
    // A backlog that appeared after a quiet night is not a stall until it is old itself.
    expect(
      observe({ queues, backlogSince: { delivery: now - 1000 }, workers: [beat('a', 0, 9e6)] }),
    ).toEqual([]);
    expect(
      observe({ queues, backlogSince: { delivery: now - 60_001 }, workers: [beat('a', 0, 9e6)] }),
    ).toEqual(['stalled:delivery']);
    // Delayed jobs are not due: no backlog, no stall.
    expect(observe({ queues: { delivery: { ...idle, delayed: 50 } }, backlogSince: {} })).toEqual(
      [],
    );
  });
});
