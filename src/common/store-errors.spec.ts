import { QueryFailedError } from 'typeorm';
import { isLockConflict, isStoreUnavailable, retryOnLockConflict } from './store-errors.js';

describe('isStoreUnavailable', () => {
  it('recognises a refused or lost connection, also inside TypeORM wrappers', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    expect(isStoreUnavailable(refused)).toBe(true);
    expect(isStoreUnavailable(new QueryFailedError('SELECT 1', [], refused))).toBe(true);
    expect(isStoreUnavailable(new Error('Connection is not established with mysql database'))).toBe(
      true,
    );
    expect(isStoreUnavailable(new Error('outer', { cause: refused }))).toBe(true);
  });

  it('does not mistake a bad query or a duplicate key for an outage', () => {
    const duplicate = Object.assign(new Error("Duplicate entry 'x'"), { code: 'ER_DUP_ENTRY' });
    expect(isStoreUnavailable(new QueryFailedError('INSERT', [], duplicate))).toBe(false);
    expect(isStoreUnavailable(new Error('syntax error'))).toBe(false);
    expect(isStoreUnavailable(undefined)).toBe(false);
  });
});

describe('retryOnLockConflict', () => {
  const deadlock = () =>
    new QueryFailedError(
      'UPDATE',
      [],
      Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213 }),
    );

  it('runs a deadlock victim again until it commits', async () => {
    let runs = 0;
    const result = await retryOnLockConflict(() => {
      runs += 1;
      return runs < 3 ? Promise.reject(deadlock()) : Promise.resolve('committed');
    });
    expect(result).toBe('committed');
    expect(runs).toBe(3);
  });

  it('gives up after its attempts, and never repeats other failures', async () => {
    let runs = 0;
    await expect(
      retryOnLockConflict(() => {
        runs += 1;
        return Promise.reject(deadlock());
      }, 2),
    ).rejects.toThrow('Deadlock');
    expect(runs).toBe(2);

    runs = 0;
    const duplicate = Object.assign(new Error("Duplicate entry 'x'"), { code: 'ER_DUP_ENTRY' });
    await expect(
      retryOnLockConflict(() => {
        runs += 1;
        return Promise.reject(duplicate);
      }),
    ).rejects.toBe(duplicate);
    expect(runs).toBe(1);
    expect(isLockConflict(deadlock())).toBe(true);
  });
});
