/** Zones offered on the compose form; the site's own zone is always first. */
const COMMON_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Toronto',
  'America/Mexico_City',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Athens',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
  'UTC',
];

export interface TimeZoneChoice {
  id: string;
  label: string;
}

export function timeZoneChoices(siteZone: string): TimeZoneChoice[] {
  const zones = [siteZone, ...COMMON_ZONES.filter((z) => z !== siteZone)];
  return zones.map((id) => ({ id, label: id.replace(/_/g, ' ').replace('/', ' / ') }));
}
