import { jest } from '@jest/globals';
import { isLockConflict } from '../common/store-errors.js';
import { MicroBatch } from './micro-batch.js';

function recordingWriter() {
  const batches: number[][] = [];
  const write = (inputs: number[]) => {
    batches.push([...inputs]);
    return Promise.resolve(inputs.map((n) => n * 10));
  };
  return { batches, write };
}

describe('MicroBatch', () => {
  it('writes the calls made while it lingers as one batch, each caller getting its own result', async () => {
    // The clock is the test's: a busy machine must not turn "5 ms later" into "after the linger".
    jest.useFakeTimers();
    try {
      const { batches, write } = recordingWriter();
      const batch = new MicroBatch(write, { maxSize: 50, lingerMs: 20 });
      const first = batch.submit(1);
      await jest.advanceTimersByTimeAsync(5);
      const rest = [batch.submit(2), batch.submit(3)];
      await jest.advanceTimersByTimeAsync(20);
      expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30]);
      expect(batches).toEqual([[1, 2, 3]]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('writes a full batch at once instead of waiting out the linger', async () => {
    const { batches, write } = recordingWriter();
    const batch = new MicroBatch(write, { maxSize: 3, lingerMs: 60_000 });
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => batch.submit(n)));
    expect(results).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('with no linger still groups the calls of one turn of the event loop', async () => {
    const { batches, write } = recordingWriter();
    const batch = new MicroBatch(write, { maxSize: 10, lingerMs: 0 });
    await Promise.all([batch.submit(1), batch.submit(2)]);
    await batch.submit(3);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('writes a batch again after a lock conflict, and fails every caller of a batch on any other error', async () => {
    let calls = 0;
    const deadlock = Object.assign(new Error('Deadlock found'), { errno: 1213 });
    const flaky = new MicroBatch(
      (inputs: number[]) => {
        calls += 1;
        return calls === 1 ? Promise.reject(deadlock) : Promise.resolve(inputs);
      },
      { maxSize: 10, lingerMs: 0 },
    );
    expect(await Promise.all([flaky.submit(1), flaky.submit(2)])).toEqual([1, 2]);
    expect(calls).toBe(2);

    const broken = new MicroBatch((): Promise<number[]> => Promise.reject(new Error('disk full')), {
      maxSize: 10,
      lingerMs: 0,
    });
    const outcomes = await Promise.allSettled([broken.submit(1), broken.submit(2)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });

  it('tells lock conflicts from other database errors', () => {
    expect(isLockConflict({ errno: 1205 })).toBe(true);
    expect(isLockConflict({ driverError: { errno: 1213 } })).toBe(true);
    // The AUTO-INC lock an INSERT ... SELECT waits for, lost the same way.
    expect(isLockConflict({ driverError: { errno: 1467 } })).toBe(true);
    expect(isLockConflict({ driverError: { errno: 1062 } })).toBe(false);
    expect(isLockConflict({ errno: 1062 })).toBe(false);
    expect(isLockConflict(null)).toBe(false);
  });
});
