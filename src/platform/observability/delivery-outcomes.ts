import { deliveryLateness, greetingOutcomes } from './worker-metrics.js';

/** A bound on remembered claims, in case a claim never settles (the process lost its job). */
const MAX_REMEMBERED = 10_000;
/** Site and due time (epoch ms, null for "send now") of each claim this process holds. */
const claims = new Map<string, { site: string; dueAt: number | null }>();

/**
 * Greetings delivered and bounced per site, and how late scheduled ones arrived. The outcome
 * is recorded with only a recipient id, so the site and due time are remembered from the
 * claim that preceded it in the same process.
 */
export const deliveryOutcomes = {
  claimed(recipientId: string, siteId: string, sendAt: Date | null = null): void {
    claims.delete(recipientId);
    claims.set(recipientId, { site: siteId, dueAt: sendAt ? sendAt.getTime() : null });
    if (claims.size > MAX_REMEMBERED) {
      const oldest = claims.keys().next().value;
      if (oldest !== undefined) claims.delete(oldest);
    }
  },
  settled(recipientId: string, outcome: 'delivered' | 'bounced', at = Date.now()): void {
    const claim = claims.get(recipientId);
    const site = claim?.site ?? 'unknown';
    claims.delete(recipientId);
    greetingOutcomes.inc({ site, outcome });
    if (outcome === 'delivered' && claim !== undefined && claim.dueAt !== null) {
      // A job may fire up to a second early (clock skew between hosts): that is on time.
      deliveryLateness.observe({ site }, Math.max(0, at - claim.dueAt) / 1000);
    }
  },
};
