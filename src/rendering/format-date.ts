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

const zonedFormatters = new Map<string, { time: Intl.DateTimeFormat; zone: Intl.DateTimeFormat }>();

/**
 * A scheduled time as its sender chose it, with the zone said out loud, since the sender,
 * the recipients and the site may each live in another: "Fri 25 Dec 2026, 09:00
 * (Europe/London, GMT)" on an en-GB site.
 */
export function formatZonedTime(site: Pick<Site, 'locale'>, value: Date, timeZone: string): string {
  const key = `${site.locale}|${timeZone}`;
  let formatters = zonedFormatters.get(key);
  if (!formatters) {
    formatters = {
      time: new Intl.DateTimeFormat(site.locale, {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone,
      }),
      zone: new Intl.DateTimeFormat(site.locale, { timeZoneName: 'short', timeZone }),
    };
    zonedFormatters.set(key, formatters);
  }
  const abbreviation = formatters.zone
    .formatToParts(value)
    .find((part) => part.type === 'timeZoneName')?.value;
  const zone = abbreviation ? `${timeZone}, ${abbreviation}` : timeZone;
  return `${formatters.time.format(value)} (${zone})`;
}
