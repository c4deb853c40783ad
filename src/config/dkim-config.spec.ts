import { randomBytes } from 'node:crypto';
import {
  DEV_DKIM_KEY_ENCRYPTION_KEY,
  dkimKeyEncryptionKeyOf,
  parseKeyEncryptionKey,
} from './dkim-config.js';

describe('DKIM_KEY_ENCRYPTION_KEY', () => {
  const key = randomBytes(32);

  it('reads 32 bytes as hex, base64 or base64url', () => {
    expect(parseKeyEncryptionKey(key.toString('hex'))?.equals(key)).toBe(true);
    expect(parseKeyEncryptionKey(key.toString('base64'))?.equals(key)).toBe(true);
    expect(parseKeyEncryptionKey(key.toString('base64url'))?.equals(key)).toBe(true);
    expect(parseKeyEncryptionKey(randomBytes(16).toString('hex'))).toBeNull();
    expect(parseKeyEncryptionKey(randomBytes(31).toString('base64'))).toBeNull();
    expect(parseKeyEncryptionKey('a passphrase is not a key')).toBeNull();
  });

  it('has a development default in development and test only', () => {
    for (const stage of ['development', 'test']) {
      const problems: string[] = [];
      expect(dkimKeyEncryptionKeyOf({ APP_STAGE: stage }, problems)).toBe(
        DEV_DKIM_KEY_ENCRYPTION_KEY,
      );
      expect(problems).toEqual([]);
    }
    for (const stage of ['staging', 'production']) {
      const problems: string[] = [];
      dkimKeyEncryptionKeyOf({ APP_STAGE: stage }, problems);
      expect(problems).toEqual(['DKIM_KEY_ENCRYPTION_KEY: required outside development and test']);
    }
  });

  it('refuses the development key, a malformed one and a weak one where it matters', () => {
    const problemsOf = (value: string, stage = 'production') => {
      const problems: string[] = [];
      dkimKeyEncryptionKeyOf({ APP_STAGE: stage, DKIM_KEY_ENCRYPTION_KEY: value }, problems);
      return problems;
    };
    expect(problemsOf(DEV_DKIM_KEY_ENCRYPTION_KEY.toString('hex'))[0]).toMatch(
      /development value is refused/,
    );
    expect(problemsOf('0'.repeat(64))[0]).toMatch(/too few distinct bytes/);
    expect(problemsOf('short', 'development')[0]).toMatch(/must be 32 bytes/);
    expect(problemsOf(key.toString('base64'))).toEqual([]);
  });
});
