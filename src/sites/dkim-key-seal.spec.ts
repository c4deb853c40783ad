import { randomBytes } from 'node:crypto';
import { DkimKeySeal } from './dkim-key-seal.js';

const PEM =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
const ROW = { siteId: 'keyco-cards', keyId: '0b6c1f0e-8f8e-4d47-9a55-2c3b1a0d9e11' };

describe('sealing sites’ DKIM private keys', () => {
  const key = randomBytes(32);
  const seal = new DkimKeySeal(key);

  it('opens what it sealed, and the sealed text shows nothing of the key', () => {
    const sealed = seal.seal(PEM, ROW);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(sealed).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(seal.open(sealed, ROW)).toBe(PEM);
  });

  it('seals the same key differently each time (a fresh nonce)', () => {
    expect(seal.seal(PEM, ROW)).not.toBe(seal.seal(PEM, ROW));
  });

  it('refuses a sealed key under another encryption key', () => {
    const sealed = seal.seal(PEM, ROW);
    expect(() => new DkimKeySeal(randomBytes(32)).open(sealed, ROW)).toThrow();
  });

  it('refuses a sealed key moved to another site or another row', () => {
    const sealed = seal.seal(PEM, ROW);
    expect(() => seal.open(sealed, { ...ROW, siteId: 'other-site' })).toThrow();
    expect(() => seal.open(sealed, { ...ROW, keyId: ROW.keyId.replace('0b', '0c') })).toThrow();
  });

  it('refuses a changed ciphertext and a value of another shape', () => {
    const [version, iv, tag, body] = seal.seal(PEM, ROW).split('.') as [
      string,
      string,
      string,
      string,
    ];
    const flipped = `${body.slice(0, -2)}${body.endsWith('AA') ? 'AB' : 'AA'}`;
    expect(() => seal.open([version, iv, tag, flipped].join('.'), ROW)).toThrow();
    expect(() => seal.open(PEM, ROW)).toThrow('not a sealed DKIM key');
  });

  it('takes only a 32-byte key', () => {
    expect(() => new DkimKeySeal(randomBytes(16))).toThrow('32 bytes');
  });
});
