import type { Site } from '../sites/site.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A date-time as the site's visitors read it: their locale, the site's (or given) zone. */
export function formatSiteDate(
  site: Pick<Site, 'locale' | 'timeZone'>,
  value: Date,
  timeZone?: string,
): string {
  const zone = timeZone ?? site.timeZone;
  const key = `${site.locale}|${zone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(site.locale, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: zone,
    });
    formatters.set(key, formatter);
  }
  return formatter.format(value);
}
