import { cacheablePageOf, canonicalUrlOf } from './cacheable-pages.js';

describe('canonical URLs of cacheable pages', () => {
  const occasion = cacheablePageOf('occasion', '/occasions/:slug');
  const card = cacheablePageOf('card', '/cards/:slug');
  const home = cacheablePageOf('home', '/');

  it('spells a page from its decoded parameters, leaving out defaults and unread parameters', () => {
    expect(canonicalUrlOf(home, {}, { utm_source: 'x' })).toBe('/');
    expect(canonicalUrlOf(card, { slug: 'balloons' }, { page: '2' })).toBe('/cards/balloons');
    expect(canonicalUrlOf(occasion, { slug: 'birthday' }, {})).toBe('/occasions/birthday');
    expect(canonicalUrlOf(occasion, { slug: 'birthday' }, { page: '1' })).toBe(
      '/occasions/birthday',
    );
    expect(canonicalUrlOf(occasion, { slug: 'birthday' }, { page: '12', x: '1' })).toBe(
      '/occasions/birthday?page=12',
    );
  });

  it.each([
    ['an upper-case slug', { slug: 'Birthday' }, {}],
    ['a slug with a slash', { slug: 'a/b' }, {}],
    ['a missing slug', {}, {}],
    ['a page with a leading zero', { slug: 'birthday' }, { page: '02' }],
    ['page zero', { slug: 'birthday' }, { page: '0' }],
    ['an empty page', { slug: 'birthday' }, { page: '' }],
    ['a signed page', { slug: 'birthday' }, { page: '+2' }],
    ['a page with a space', { slug: 'birthday' }, { page: ' 2' }],
    ['a page given twice', { slug: 'birthday' }, { page: ['2', '2'] }],
    ['a page of seven digits', { slug: 'birthday' }, { page: '1000000' }],
  ])('has none for %s, which the page refuses', (_name, params, query) => {
    expect(canonicalUrlOf(occasion, params, query)).toBeNull();
  });

  it('refuses at boot a route whose parameter the page gives no syntax for', () => {
    expect(() => cacheablePageOf('card', '/cards/:slug/:size')).toThrow(/no parameter 'size'/);
    expect(() => cacheablePageOf('home', '/:anything')).toThrow(/no parameter 'anything'/);
  });
});
