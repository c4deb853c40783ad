import { PopularPages } from './popular-pages.js';

describe('popular pages', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('admits a page on its threshold-th request within a window', () => {
    const popular = new PopularPages({ threshold: 3, windowMs: 60_000, maxTracked: 10 }, clock);
    expect([1, 2, 3, 4].map(() => popular.admit('cake'))).toEqual([false, false, true, true]);
  });

  it('starts counting again in the next window', () => {
    const popular = new PopularPages({ threshold: 2, windowMs: 60_000, maxTracked: 10 }, clock);
    expect(popular.admit('cake')).toBe(false);
    now += 60_000;
    expect(popular.admit('cake')).toBe(false);
    expect(popular.admit('cake')).toBe(true);
  });

  it('counts a bounded number of pages per window, whatever a flood makes up', () => {
    const popular = new PopularPages({ threshold: 2, windowMs: 60_000, maxTracked: 100 }, clock);
    for (let i = 0; i < 10_000; i++) popular.admit(`made-up-${i}`);
    expect(popular.tracked).toBe(100);
    // A page first asked for after the counters filled waits for the next window.
    expect([popular.admit('late'), popular.admit('late')]).toEqual([false, false]);
    // Pages counted before the flood still become popular.
    expect(popular.admit('made-up-7')).toBe(true);
    now += 60_000;
    expect([popular.admit('late'), popular.admit('late')]).toEqual([false, true]);
    expect(popular.tracked).toBe(1);
  });
});
