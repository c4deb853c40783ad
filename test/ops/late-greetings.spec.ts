import { lateGreetingConditions } from '../../src/ops/late-greetings.js';

const now = Date.parse('2026-12-06T00:10:00Z');
const thresholds = { lateAfterMs: 60_000, lateCount: 3 };

describe('late scheduled greetings (watchdog rule)', () => {
  it('fires for a site with as many late recipients as the threshold, per site', () => {
    const found = lateGreetingConditions(
      [
        { siteId: 'kindred', recipients: 3, oldestDueAt: now - 125_000 },
        { siteId: 'ecardia', recipients: 2, oldestDueAt: now - 600_000 },
      ],
      thresholds,
      now,
    );
    expect([...found.keys()]).toEqual(['late:kindred']);
    const late = found.get('late:kindred');
    expect(late?.summary).toBe(
      'site kindred: 3 scheduled greetings more than 60 s late (oldest 125 s)',
    );
    expect(late?.details).toMatchObject({ site: 'kindred', recipients: 3 });
  });

  it('is quiet when nothing is late', () => {
    expect(lateGreetingConditions([], thresholds, now).size).toBe(0);
  });
});
