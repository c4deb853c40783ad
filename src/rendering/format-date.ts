import { canonicalTimeZone } from '../common/time-zones.js';
import type { Site } from '../sites/site.js';

/** By site locale and canonical zone name only: both from closed sets. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A date-time as the site's visitors read it: their locale, the site's (or given) zone. */
export function formatSiteDate(
  site: Pick<Site, 'locale' | 'timeZone'>,
  value: Date,
  timeZone?: string,
): string {
  const zone = timeZone ?? site.timeZone;
  return (formatters.get(`${site.locale}|${zone}`) ?? formatterFor(site.locale, zone)).format(
    value,
  );
}

function formatterFor(locale: string, zone: string): Intl.DateTimeFormat {
  // A zone stored before zones were normalised may be spelled oddly: keyed by its real name.
  const canonical = canonicalTimeZone(zone);
  if (canonical === null) throw new RangeError(`unknown time zone: ${zone}`);
  const key = `${locale}|${canonical}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: canonical,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}
