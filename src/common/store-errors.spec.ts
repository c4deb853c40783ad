import { QueryFailedError } from 'typeorm';
import { isStoreUnavailable } from './store-errors.js';

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
