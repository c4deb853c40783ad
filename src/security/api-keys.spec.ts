import { ApiKeys } from './api-keys.js';

describe('ApiKeys', () => {
  const keys = new ApiKeys([
    { name: 'partner', secret: 'partner-secret-0123456789abcdef' },
    { name: 'loadtest', secret: 'loadtest-secret-0123456789abcdef' },
  ]);

  it('names the key a secret belongs to, the first time and every time after', () => {
    for (let i = 0; i < 3; i++) {
      expect(keys.nameOf('partner-secret-0123456789abcdef')).toBe('partner');
      expect(keys.nameOf('loadtest-secret-0123456789abcdef')).toBe('loadtest');
    }
  });

  it('never accepts a wrong secret, however often it is tried or however close it is', () => {
    for (let i = 0; i < 3; i++) {
      expect(keys.nameOf('partner-secret-0123456789abcdeX')).toBeNull();
      expect(keys.nameOf('partner-secret-0123456789abcde')).toBeNull();
      expect(keys.nameOf('')).toBeNull();
    }
    expect(new ApiKeys([]).nameOf('partner-secret-0123456789abcdef')).toBeNull();
  });
});
