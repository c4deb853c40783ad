/** `?page=` as an occasion page reads it: a plain positive integer, no sign, no leading zero. */
const PAGE_NUMBER = /^[1-9][0-9]{0,5}$/;

/**
 * The page a listing's `?page=` asks for: 1 when absent, null when it is not a page number
 * (so the listing answers 404). The page cache spells its keys with the same reading, so a
 * page is only ever stored under the number it shows.
 */
export function pageNumberOf(raw: string | string[] | undefined): number | null {
  if (raw === undefined) return 1;
  return typeof raw === 'string' && PAGE_NUMBER.test(raw) ? Number(raw) : null;
}
