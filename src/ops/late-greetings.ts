import type { Condition } from './watchdog-conditions.js';

/** Recipients of scheduled greetings on one site still not delivered past their time. */
export interface OverdueRecipients {
  siteId: string;
  recipients: number;
  /** The oldest due time among them (epoch ms). */
  oldestDueAt: number;
}

export interface LatenessThresholds {
  /** How long after its time an undelivered scheduled greeting counts as late. */
  lateAfterMs: number;
  /** How many late recipients on one site raise the alert. */
  lateCount: number;
}

/**
 * `late:<site>` for each site with at least `lateCount` recipients still undelivered more than
 * `lateAfterMs` after their chosen time. Pure, like the other watchdog rules: the counts come
 * from the database (what every worker did, not one process's histogram).
 */
export function lateGreetingConditions(
  overdue: readonly OverdueRecipients[],
  t: LatenessThresholds,
  now: number,
): Map<string, Condition> {
  const found = new Map<string, Condition>();
  for (const o of overdue) {
    if (o.recipients < t.lateCount) continue;
    const lateMs = now - o.oldestDueAt;
    found.set(`late:${o.siteId}`, {
      summary: `site ${o.siteId}: ${o.recipients} scheduled greetings more than ${Math.round(t.lateAfterMs / 1000)} s late (oldest ${Math.round(lateMs / 1000)} s)`,
      details: {
        site: o.siteId,
        recipients: o.recipients,
        oldestDueAt: new Date(o.oldestDueAt).toISOString(),
        lateAfterMs: t.lateAfterMs,
      },
    });
  }
  return found;
}
