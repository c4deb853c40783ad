import { ShedPolicy } from './shed-policy.js';

describe('shed policy', () => {
  const order = ['viewCounters', 'relatedCards', 'featuredCards'] as const;
  const make = () =>
    new ShedPolicy(order, { shedBelow: 0.5, restoreAbove: 0.8, restoreAfterMs: 1000 });

  it('sheds one flag per step in the declared order while unhealthy, then holds', () => {
    const p = make();
    expect(p.step(0.2, 0)).toEqual({ action: 'shed', flag: 'viewCounters' });
    expect(p.step(0.2, 100)).toEqual({ action: 'shed', flag: 'relatedCards' });
    expect(p.step(0.2, 200)).toEqual({ action: 'shed', flag: 'featuredCards' });
    expect(p.step(0.1, 300)).toEqual({ action: 'hold' });
    expect(p.shed).toEqual(order);
  });

  it('restores in reverse order only after staying healthy long enough', () => {
    const p = make();
    p.step(0.2, 0);
    p.step(0.2, 0);
    // Between the thresholds: neither more shedding nor restoring.
    expect(p.step(0.6, 100)).toEqual({ action: 'hold' });
    expect(p.step(0.9, 200)).toEqual({ action: 'hold' });
    expect(p.step(0.9, 900)).toEqual({ action: 'hold' });
    expect(p.step(0.9, 1200)).toEqual({ action: 'restore', flag: 'relatedCards' });
    // A dip resets the wait.
    expect(p.step(0.7, 1300)).toEqual({ action: 'hold' });
    expect(p.step(0.9, 1400)).toEqual({ action: 'hold' });
    expect(p.step(0.9, 2300)).toEqual({ action: 'hold' });
    expect(p.step(0.9, 2400)).toEqual({ action: 'restore', flag: 'viewCounters' });
    expect(p.shed).toEqual([]);
    expect(p.step(1, 9999)).toEqual({ action: 'hold' });
  });
});
