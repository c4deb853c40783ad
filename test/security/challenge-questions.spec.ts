import { FormTokens } from '../../src/security/form-tokens.js';

const tokens = new FormTokens('a-secret-for-the-challenge-unit-test-0123456789');

describe('attack: a bot solving the no-JavaScript challenge with one parser', () => {
  const asked = Array.from({ length: 300 }, () => tokens.challenge('ecardia', 'key-1'));

  it('asks varied questions, none of them a sum to compute', () => {
    const texts = new Set(asked.map((c) => c.question));
    expect(texts.size).toBeGreaterThanOrEqual(8);
    for (const text of texts) expect(text).not.toMatch(/\bplus\b|\bminus\b|\d/i);
  });

  it("accepts the asked question's answer however it is typed, and nothing else", () => {
    const sky = asked.find((c) => c.question.includes('sky'));
    const week = asked.find((c) => c.question.includes('week'));
    if (!sky || !week) throw new Error('expected both questions among 300 draws');
    expect(tokens.challengeSolved('ecardia', 'key-1', sky.token, '  Blue. ')).toBe(true);
    expect(tokens.challengeSolved('ecardia', 'key-1', sky.token, 'seven')).toBe(false);
    expect(tokens.challengeSolved('ecardia', 'key-1', week.token, 'seven')).toBe(true);
    expect(tokens.challengeSolved('ecardia', 'key-1', week.token, '7')).toBe(true);
    expect(tokens.challengeSolved('ecardia', 'key-1', week.token, 'blue')).toBe(false);
    // Bound to the form and the site it was asked for.
    expect(tokens.challengeSolved('ecardia', 'key-2', week.token, 'seven')).toBe(false);
    expect(tokens.challengeSolved('kindred', 'key-1', week.token, 'seven')).toBe(false);
    expect(tokens.challengeSolved('ecardia', 'key-1', 'forged', 'seven')).toBe(false);
  });
});
