import { type CardStyle, isCardStyle } from './card-styles.js';
import { pageNumberOf } from './page-number.js';

/** Longest search, in characters once normalised: a card title and a word or two more. */
export const SEARCH_MAX_LENGTH = 80;
/** Words of a search the database is asked for; more add little but cost a match each. */
const MAX_TERMS = 8;
/** A word shorter than this matches too much as a prefix to be worth asking for. */
const MIN_TERM_LENGTH = 2;
/** Deeper pages than this are not offered: nobody reads them, and each costs a deeper offset. */
export const SEARCH_MAX_PAGES = 50;
/** "Recently added" means added in the last this many days. */
export const RECENT_DAYS = 30;

const SLUG = /^[a-z0-9-]{1,64}$/;

/** A search as the catalog runs it, read from `/search?q=&occasion=&style=&recent=&page=`. */
export interface SearchQuery {
  /** The words as typed, normalised: lower case, letters and digits, single spaces. */
  text: string;
  /** The words the database matches (prefixes), from `text`. */
  terms: string[];
  occasion: string | null;
  style: CardStyle | null;
  recent: boolean;
  page: number;
}

export type SearchRequest =
  | { kind: 'search'; query: SearchQuery }
  | { kind: 'too-long'; query: SearchQuery }
  | { kind: 'unreadable' };

type Raw = string | string[] | undefined;

/**
 * The one spelling of a search's words: NFKC, lower case, everything but letters and digits a
 * space, spaces collapsed. "Happy  BIRTHDAY!" and "happy birthday" are one search, one page.
 */
export function normaliseSearchText(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * `q` as the search page's canonical URL spells it ('' when absent or blank), or null when the
 * page refuses it (repeated, or too long), so the page is rendered but never stored. Spelled as
 * a browser's form sends it (spaces as `+`), so a search typed in the box is canonical as sent.
 */
export function canonicalSearchText(raw: Raw): string | null {
  if (raw === undefined) return '';
  if (typeof raw !== 'string' || raw.length > SEARCH_MAX_LENGTH * 4) return null;
  const text = normaliseSearchText(raw);
  if (text.length > SEARCH_MAX_LENGTH) return null;
  return encodeURIComponent(text).replace(/%20/g, '+');
}

/** `occasion`: '' when absent, the slug, or null for anything that is not one. */
export function canonicalOccasionFilter(raw: Raw): string | null {
  // A form's "any occasion" choice sends the parameter empty.
  if (raw === undefined || raw === '') return '';
  return typeof raw === 'string' && SLUG.test(raw) ? raw : null;
}

export function canonicalStyleFilter(raw: Raw): string | null {
  if (raw === undefined || raw === '') return '';
  return typeof raw === 'string' && isCardStyle(raw) ? raw : null;
}

/** `recent=1` asks for cards added lately; absent for all. */
export function canonicalRecentFilter(raw: Raw): string | null {
  if (raw === undefined) return '';
  return raw === '1' ? '1' : null;
}

/**
 * What the search page was asked, read exactly as the page cache reads its canonical URL (see
 * src/http/edge/page-cache/cacheable-pages.ts), so a stored search is the one its URL names.
 */
export function readSearchRequest(query: Readonly<Record<string, Raw>>): SearchRequest {
  const occasion = canonicalOccasionFilter(query.occasion);
  const style = canonicalStyleFilter(query.style);
  const recent = canonicalRecentFilter(query.recent);
  const page = pageNumberOf(query.page);
  const q = query.q;
  if (occasion === null || style === null || recent === null || page === null) {
    return { kind: 'unreadable' };
  }
  if (q !== undefined && typeof q !== 'string') return { kind: 'unreadable' };
  const text = normaliseSearchText((q ?? '').slice(0, SEARCH_MAX_LENGTH * 4 + 1));
  const tooLong = (q ?? '').length > SEARCH_MAX_LENGTH * 4 || text.length > SEARCH_MAX_LENGTH;
  const searched: SearchQuery = {
    text: tooLong ? '' : text,
    terms: tooLong ? [] : termsOf(text),
    occasion: occasion === '' ? null : occasion,
    style: style === '' ? null : (style as CardStyle),
    recent: recent === '1',
    page,
  };
  return tooLong ? { kind: 'too-long', query: searched } : { kind: 'search', query: searched };
}

/** Whether the search asks for anything: words, or at least one filter. */
export function asksForCards(query: SearchQuery): boolean {
  return query.terms.length > 0 || query.occasion !== null || query.style !== null || query.recent;
}

/** The URL of another page of the same search, spelled canonically. */
export function searchUrlOf(query: SearchQuery, page: number): string {
  const params: string[] = [];
  if (query.text !== '') params.push(`q=${encodeURIComponent(query.text).replace(/%20/g, '+')}`);
  if (query.occasion !== null) params.push(`occasion=${query.occasion}`);
  if (query.style !== null) params.push(`style=${query.style}`);
  if (query.recent) params.push('recent=1');
  if (page > 1) params.push(`page=${page}`);
  return params.length === 0 ? '/search' : `/search?${params.join('&')}`;
}

function termsOf(text: string): string[] {
  const terms = text.split(' ').filter((word) => word.length >= MIN_TERM_LENGTH);
  return [...new Set(terms)].slice(0, MAX_TERMS);
}
