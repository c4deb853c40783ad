import { substitutePlaceholders } from './placeholders.js';

describe('substitutePlaceholders', () => {
  const vars = { brandName: 'Kindred Paper Co.', tagline: 'Made <with> care' };

  it('replaces known placeholders with the site variables', () => {
    expect(substitutePlaceholders('With love from {brandName}.', vars)).toBe(
      'With love from Kindred Paper Co..',
    );
  });

  it('leaves unknown placeholders and template syntax untouched', () => {
    const text = '{nope} {{ brandName }} {% raw %} {{ range.constructor("x")() }}';
    expect(substitutePlaceholders(text, vars)).toBe(text);
  });

  it('inserts values as plain text, leaving escaping to the template', () => {
    expect(substitutePlaceholders('{tagline}', vars)).toBe('Made <with> care');
  });

  it('does not treat inherited object keys as variables', () => {
    expect(substitutePlaceholders('{constructor} {toString}', vars)).toBe(
      '{constructor} {toString}',
    );
  });
});
