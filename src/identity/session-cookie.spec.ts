import { cookieValue, SessionCookie } from './session-cookie.js';

describe('session cookies', () => {
  it('takes the __Host- prefix and Secure wherever the site is served over https', () => {
    const cookie = new SessionCookie('ecard_member', true, 'Lax');
    expect(cookie.name).toBe('__Host-ecard_member');
    expect(cookie.set('abc', 60)).toBe(
      '__Host-ecard_member=abc; Max-Age=60; Path=/; HttpOnly; SameSite=Lax; Secure',
    );
  });

  it('is plain, still HttpOnly and SameSite, over http (development)', () => {
    const cookie = new SessionCookie('ecard_member', false, 'Lax');
    expect(cookie.set('abc', 60)).toBe(
      'ecard_member=abc; Max-Age=60; Path=/; HttpOnly; SameSite=Lax',
    );
    expect(cookie.clear()).toBe('ecard_member=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax');
  });

  it('reads only its own name from a Cookie header', () => {
    const header = 'other=1; ecard_member_x=2; ecard_member=abc ; last=3';
    expect(cookieValue(header, 'ecard_member')).toBe('abc');
    expect(cookieValue(header, 'missing')).toBeNull();
    expect(cookieValue(undefined, 'ecard_member')).toBeNull();
  });
});
