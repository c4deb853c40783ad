import {
  canonicalSearchText,
  normaliseSearchText,
  readSearchRequest,
  SEARCH_MAX_LENGTH,
  searchUrlOf,
} from './search-query.js';

describe('search words', () => {
  it('have one spelling: lower case, letters and digits, single spaces', () => {
    expect(normaliseSearchText('  Happy   BIRTHDAY!! ')).toBe('happy birthday');
    expect(normaliseSearchText("Valentine's-day")).toBe('valentine s day');
    expect(normaliseSearchText('Ｃａｆé')).toBe('café');
    expect(normaliseSearchText('+cake* -"x" (y) @z ~w <v')).toBe('cake x y z w v');
  });

  it('are spelled in the canonical URL as a browser form sends them', () => {
    expect(canonicalSearchText(undefined)).toBe('');
    expect(canonicalSearchText('   ')).toBe('');
    expect(canonicalSearchText('Happy Birthday')).toBe('happy+birthday');
    expect(canonicalSearchText('café')).toBe('caf%C3%A9');
    expect(new URLSearchParams({ q: 'caf\u00e9 au lait' }).toString()).toBe(
      `q=${canonicalSearchText('café au lait')}`,
    );
  });

  it('refuse repeated and too long values, so they are never stored', () => {
    expect(canonicalSearchText(['a', 'b'])).toBeNull();
    expect(canonicalSearchText('a'.repeat(SEARCH_MAX_LENGTH + 1))).toBeNull();
    expect(canonicalSearchText(`${'a'.repeat(SEARCH_MAX_LENGTH)}!!!`)).toBe(
      'a'.repeat(SEARCH_MAX_LENGTH),
    );
  });
});

describe('a search request', () => {
  it('reads words, filters and page', () => {
    expect(
      readSearchRequest({
        q: 'Gold  Stars',
        occasion: 'birthday',
        style: 'bold',
        recent: '1',
        page: '2',
      }),
    ).toEqual({
      kind: 'search',
      query: {
        text: 'gold stars',
        terms: ['gold', 'stars'],
        occasion: 'birthday',
        style: 'bold',
        recent: true,
        page: 2,
      },
    });
  });

  it('treats the form\'s empty "any" choices as no filter', () => {
    const read = readSearchRequest({ q: 'cake', occasion: '', style: '' });
    expect(read).toMatchObject({ kind: 'search', query: { occasion: null, style: null } });
  });

  it('drops one-letter words and repeats, and keeps a bounded number of words', () => {
    const read = readSearchRequest({ q: 'a cake a cake b c d e f g h i j k l m n o p q' });
    expect(read.kind === 'search' && read.query.terms).toEqual(['cake']);
    const many = readSearchRequest({ q: 'one two three four five six seven eight nine ten' });
    expect(many.kind === 'search' && many.query.terms).toHaveLength(8);
  });

  it('is too long past the limit, unreadable when a parameter is not one the form sends', () => {
    expect(readSearchRequest({ q: 'x'.repeat(SEARCH_MAX_LENGTH + 1) }).kind).toBe('too-long');
    expect(readSearchRequest({ style: 'neon' }).kind).toBe('unreadable');
    expect(readSearchRequest({ occasion: 'Birthday' }).kind).toBe('unreadable');
    expect(readSearchRequest({ recent: 'yes' }).kind).toBe('unreadable');
    expect(readSearchRequest({ page: '02' }).kind).toBe('unreadable');
    expect(readSearchRequest({ q: ['a', 'b'] }).kind).toBe('unreadable');
  });

  it('links its other pages by their canonical URLs', () => {
    const read = readSearchRequest({ q: 'gold stars', style: 'bold', recent: '1' });
    if (read.kind !== 'search') throw new Error(read.kind);
    expect(searchUrlOf(read.query, 1)).toBe('/search?q=gold+stars&style=bold&recent=1');
    expect(searchUrlOf(read.query, 3)).toBe('/search?q=gold+stars&style=bold&recent=1&page=3');
    const blank = readSearchRequest({});
    if (blank.kind !== 'search') throw new Error(blank.kind);
    expect(searchUrlOf(blank.query, 1)).toBe('/search');
  });
});
