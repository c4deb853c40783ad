import { newRecipientId, SignedLinks } from './signed-links.js';

describe('SignedLinks', () => {
  const links = new SignedLinks('a-test-secret-that-is-long-enough-000');

  it('issues pickup tokens that name their recipient', () => {
    const id = newRecipientId();
    const token = links.pickupToken(id);
    expect(token).toHaveLength(44);
    expect(links.recipientIdOf(token)).toBe(id);
  });

  it('gives recipient ids 128 random bits', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newRecipientId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(Buffer.from(id, 'base64url')).toHaveLength(16);
  });

  it('refuses a token with a changed character, another key, or the wrong shape', () => {
    const token = links.pickupToken(newRecipientId());
    const flipped = `${token.slice(0, 30)}${token[30] === 'A' ? 'B' : 'A'}${token.slice(31)}`;
    expect(links.recipientIdOf(flipped)).toBeNull();
    expect(new SignedLinks('another-secret-entirely-xxxxxxxxxxxx').recipientIdOf(token)).toBeNull();
    expect(links.recipientIdOf(token.slice(1))).toBeNull();
    expect(links.recipientIdOf(`${token}=`)).toBeNull();
  });

  it('keeps purposes apart', () => {
    const id = '0f8e3c9a-1b2c-4d5e-8f90-123456789abc';
    expect(links.verify('confirm', id, links.sign('confirm', id))).toBe(true);
    expect(links.verify('manage', id, links.sign('confirm', id))).toBe(false);
  });
});
