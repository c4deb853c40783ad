import {
  assertTransition,
  canTransition,
  FINAL_STATUSES,
  IllegalTransition,
  RECIPIENT_STATUSES,
  TRANSITIONS,
} from './recipient-state.js';

describe('recipient state machine', () => {
  it('follows the happy path scheduled -> queued -> sending -> delivered -> opened', () => {
    const path = ['scheduled', 'queued', 'sending', 'delivered', 'opened'] as const;
    for (let i = 1; i < path.length; i++) {
      expect(assertTransition(path[i - 1]!, path[i]!).to).toBe(path[i]);
    }
  });

  it.each([
    ['delivered', 'sending'],
    ['opened', 'delivered'],
    ['cancelled', 'queued'],
    ['bounced', 'queued'],
    ['suppressed', 'sending'],
    ['scheduled', 'delivered'],
    ['scheduled', 'sending'],
    ['sending', 'cancelled'],
    ['delivered', 'cancelled'],
    ['failed', 'delivered'],
  ] as const)('refuses %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(IllegalTransition);
    expect(() => assertTransition(from, to)).toThrow(`from ${from} to ${to}`);
  });

  it('retries by going back to queued and gives up as failed, which can be requeued', () => {
    expect(canTransition('sending', 'queued')).toBe(true);
    expect(canTransition('sending', 'failed')).toBe(true);
    expect(canTransition('failed', 'scheduled')).toBe(true);
  });

  it('has one row per pair and only known statuses', () => {
    const pairs = TRANSITIONS.map((t) => `${t.from}>${t.to}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const t of TRANSITIONS) {
      expect(RECIPIENT_STATUSES).toContain(t.from);
      expect(RECIPIENT_STATUSES).toContain(t.to);
    }
  });

  it('reaches every status from scheduled', () => {
    const seen = new Set<string>(['scheduled']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of TRANSITIONS) {
        if (seen.has(t.from) && !seen.has(t.to)) {
          seen.add(t.to);
          grew = true;
        }
      }
    }
    expect([...seen].sort()).toEqual([...RECIPIENT_STATUSES].sort());
  });

  it('ends in bounced, cancelled, complained and suppressed', () => {
    // An opened card can still be reported as spam, so opened is no longer the end.
    expect([...FINAL_STATUSES].sort()).toEqual([
      'bounced',
      'cancelled',
      'complained',
      'suppressed',
    ]);
  });

  it('takes reports that arrive after the receiving server accepted the email', () => {
    expect(assertTransition('delivered', 'bounced').on).toBe('bounce');
    expect(assertTransition('delivered', 'delivered').on).toBe('soft-bounce');
    expect(assertTransition('delivered', 'complained').on).toBe('complain');
    expect(assertTransition('opened', 'complained').on).toBe('complain');
    expect(canTransition('complained', 'delivered')).toBe(false);
    expect(canTransition('bounced', 'complained')).toBe(false);
  });
});
