import { holdsPosition, parseGtidList, PrimaryPositionHistory } from './replica-lag.js';

describe('replica lag from GTID positions', () => {
  it('reads each domain of a GTID list and ignores what is not a GTID', () => {
    expect(parseGtidList('0-1-41571,1-2-9')).toEqual(
      new Map([
        [0, 41571],
        [1, 9],
      ]),
    );
    expect(parseGtidList('')).toEqual(new Map());
    expect(parseGtidList('junk, 2-1-5')).toEqual(new Map([[2, 5]]));
  });

  it('holds a position only when every domain has reached it', () => {
    const primary = parseGtidList('0-1-10,1-1-3');
    expect(holdsPosition(parseGtidList('0-1-10,1-1-3'), primary)).toBe(true);
    expect(holdsPosition(parseGtidList('0-2-11,1-1-4'), primary)).toBe(true);
    expect(holdsPosition(parseGtidList('0-1-9,1-1-3'), primary)).toBe(false);
    expect(holdsPosition(parseGtidList('0-1-10'), primary)).toBe(false);
  });

  it('measures a replica behind since the oldest primary position it lacks', () => {
    const history = new PrimaryPositionHistory();
    history.record('0-1-10', 1_000);
    history.record('0-1-20', 2_000);
    history.record('0-1-30', 3_000);
    expect(history.lagMs('0-1-30', 3_500)).toBe(0);
    expect(history.lagMs('0-1-25', 3_500)).toBe(500);
    expect(history.lagMs('0-1-15', 3_500)).toBe(1_500);
    expect(history.lagMs('0-1-5', 3_500)).toBe(2_500);
  });

  it('keeps one sample per change, and only the last minute of them', () => {
    const history = new PrimaryPositionHistory(10_000);
    history.record('0-1-10', 0);
    history.record('0-1-10', 5_000);
    // An unchanged position is not a new sample: a replica at 10 is not behind at all.
    expect(history.lagMs('0-1-10', 9_000)).toBe(0);
    history.record('0-1-11', 20_000);
    history.record('0-1-12', 25_000);
    // The sample from 0 s is gone; a replica lacking everything is behind since the oldest kept.
    expect(history.lagMs('0-1-9', 26_000)).toBe(6_000);
  });

  it('knows nothing before the first sample', () => {
    expect(new PrimaryPositionHistory().lagMs('0-1-1', 5_000)).toBe(0);
  });
});
