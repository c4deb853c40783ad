import { FlagSnapshot, visitorBucket } from './flag-snapshot.js';

const SITES = [
  { id: 'ecardia', features: {} },
  { id: 'kindred', features: { partnerPromotions: true, animatedPreviews: false } },
];

describe('flag snapshot', () => {
  it('takes the declared default, then the site default', () => {
    const s = new FlagSnapshot(SITES, [], new Set(), 1);
    expect(s.evaluate('ecardia', 'partnerPromotions')).toEqual({ value: false, source: 'default' });
    expect(s.evaluate('kindred', 'partnerPromotions')).toEqual({
      value: true,
      source: 'site-default',
    });
  });

  it('lets a site override beat a global one, and a global one beat site defaults', () => {
    const s = new FlagSnapshot(
      SITES,
      [
        { flagKey: 'relatedCards', siteId: null, value: false, percentage: null },
        { flagKey: 'relatedCards', siteId: 'kindred', value: true, percentage: null },
        { flagKey: 'animatedPreviews', siteId: null, value: true, percentage: null },
      ],
      new Set(),
      1,
    );
    expect(s.evaluate('ecardia', 'relatedCards').source).toBe('global-override');
    expect(s.evaluate('ecardia', 'relatedCards').value).toBe(false);
    expect(s.evaluate('kindred', 'relatedCards')).toEqual({
      value: true,
      source: 'site-override',
    });
    expect(s.evaluate('kindred', 'animatedPreviews')).toEqual({
      value: true,
      source: 'global-override',
    });
  });

  it('sheds before anything else, and only in this snapshot', () => {
    const overrides = [
      { flagKey: 'relatedCards' as const, siteId: 'kindred', value: true, percentage: null },
    ];
    const shed = new FlagSnapshot(SITES, overrides, new Set(['relatedCards'] as const), 2);
    expect(shed.evaluate('kindred', 'relatedCards')).toEqual({ value: false, source: 'autopilot' });
    expect(
      new FlagSnapshot(SITES, overrides, new Set(), 3).evaluate('kindred', 'relatedCards'),
    ).toEqual({ value: true, source: 'site-override' });
  });

  it('rolls out to a stable share of visitors near the one asked for', () => {
    const s = new FlagSnapshot(
      SITES,
      [{ flagKey: 'animatedPreviews', siteId: 'ecardia', value: false, percentage: 30 }],
      new Set(),
      1,
    );
    let inside = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const visitor = `visitor-${i}`;
      const first = s.evaluate('ecardia', 'animatedPreviews', visitor);
      expect(s.evaluate('ecardia', 'animatedPreviews', visitor)).toEqual(first);
      if (first.source === 'site-rollout') inside++;
    }
    expect(inside / n).toBeGreaterThan(0.28);
    expect(inside / n).toBeLessThan(0.32);
    // Without a visitor (shared pages) the rollout does not apply.
    expect(s.evaluate('ecardia', 'animatedPreviews').source).toBe('default');
    // Only the rolled-out flag on that site depends on who asks.
    expect(s.dependsOnVisitor('ecardia', 'animatedPreviews')).toBe(true);
    expect(s.dependsOnVisitor('kindred', 'animatedPreviews')).toBe(false);
    expect(s.dependsOnVisitor('ecardia', 'relatedCards')).toBe(false);
  });

  it('buckets two flags independently for the same visitor', () => {
    let same = 0;
    for (let i = 0; i < 1000; i++) {
      const v = `v${i}`;
      if (visitorBucket('a', v) < 5000 === visitorBucket('b', v) < 5000) same++;
    }
    expect(same).toBeGreaterThan(430);
    expect(same).toBeLessThan(570);
  });

  it('changes a site page variant only when a page flag of that site changes', () => {
    const before = new FlagSnapshot(SITES, [], new Set(), 1, 'v1');
    const sendingOff = new FlagSnapshot(
      SITES,
      [{ flagKey: 'sending', siteId: null, value: false, percentage: null }],
      new Set(),
      2,
      'v1',
    );
    const relatedOff = new FlagSnapshot(
      SITES,
      [{ flagKey: 'relatedCards', siteId: 'kindred', value: false, percentage: null }],
      new Set(),
      3,
      'v1',
    );
    expect(sendingOff.pageVariant('kindred')).toBe(before.pageVariant('kindred'));
    expect(relatedOff.pageVariant('kindred')).not.toBe(before.pageVariant('kindred'));
    expect(relatedOff.pageVariant('ecardia')).toBe(before.pageVariant('ecardia'));
    expect(before.pageVariant('ecardia').startsWith('v1.')).toBe(true);
  });
});
