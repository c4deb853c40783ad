import { greetingOutcomes } from './worker-metrics.js';

/** A bound on remembered claims, in case a claim never settles (the process lost its job). */
const MAX_REMEMBERED = 10_000;
const siteOfClaim = new Map<string, string>();

/**
 * Greetings delivered and bounced per site. The outcome is recorded with only a recipient id,
 * so the site is remembered from the claim that preceded it in the same process.
 */
export const deliveryOutcomes = {
  claimed(recipientId: string, siteId: string): void {
    siteOfClaim.delete(recipientId);
    siteOfClaim.set(recipientId, siteId);
    if (siteOfClaim.size > MAX_REMEMBERED) {
      const oldest = siteOfClaim.keys().next().value;
      if (oldest !== undefined) siteOfClaim.delete(oldest);
    }
  },
  settled(recipientId: string, outcome: 'delivered' | 'bounced'): void {
    const site = siteOfClaim.get(recipientId) ?? 'unknown';
    siteOfClaim.delete(recipientId);
    greetingOutcomes.inc({ site, outcome });
  },
};
