import type { Refusal } from '../security/abuse-limiter.js';
import type { Site } from '../sites/site.js';

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * What the send form says when a send limit refuses a card: which limit, how many it allows and
 * when sending works again, as a time a person can plan with (the site's zone, named) rather
 * than a count of seconds.
 */
export function sendLimitMessage(site: Site, refusal: Refusal, now: Date): string {
  const retryAt = new Date(now.getTime() + refusal.retryAfterSeconds * 1000);
  const again = `You can send again at ${clockTime(site, retryAt, refusal.retryAfterSeconds * 1000 > 12 * HOUR_MS)}.`;
  if (refusal.scope === 'site') {
    return `${site.vars.brandName} has sent as many cards as it can today. ${again}`;
  }
  const from = refusal.scope === 'sender' ? 'this email address' : 'your connection';
  const what =
    refusal.counts === 'sends'
      ? `You have sent ${count(refusal.allowed, 'card')} from ${from} in the last hour, the most we allow.`
      : `This card would take ${from} past ${count(refusal.allowed, 'recipient')} in an hour, the most we allow.`;
  return `${what} ${again}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function clockTime(site: Site, at: Date, withDay: boolean): string {
  const key = `${site.locale}|${site.timeZone}|${withDay}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(site.locale, {
      ...(withDay ? { weekday: 'long' as const } : {}),
      hour: 'numeric',
      minute: '2-digit',
      timeZone: site.timeZone,
      timeZoneName: 'short',
    });
    formatters.set(key, formatter);
  }
  return formatter.format(at);
}
