import { z } from 'zod';
import { emailKeyOf } from '../dto/account-forms.js';
import type { ContactInput } from './contacts.repository.js';

/** How many contacts one member keeps, and named dates one contact has. */
export const MAX_CONTACTS = 2000;
export const MAX_DATES_PER_CONTACT = 6;
export const MAX_GROUPS = 50;

const PRINTABLE = /^[^\p{Cc}\p{Zl}\p{Zp}]*$/u;

const name = z
  .string()
  .trim()
  .min(1, 'Name: enter a name')
  .max(100, 'Name: use at most 100 characters')
  .regex(PRINTABLE, 'Name: use letters, spaces and punctuation only');

const email = z
  .string()
  .trim()
  .min(1, 'Email address: enter an email address')
  .max(254, 'Email address: this address is too long')
  .pipe(z.email('Email address: enter a valid email address like name@example.com'));

export const groupName = z
  .string()
  .trim()
  .min(1, 'Group name: enter a name')
  .max(60, 'Group name: use at most 60 characters')
  .regex(PRINTABLE, 'Group name: use letters, spaces and punctuation only');

/** A named day as typed: `YYYY-MM-DD`, or `MM-DD` (or `--MM-DD`, vCard's) without the year. */
export function parseDay(text: string): { month: number; day: number; year: number | null } | null {
  const match = /^(?:(\d{4})-|--)?(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!match) return null;
  const year = match[1] ? Number(match[1]) : null;
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  if (year !== null && (year < 1900 || year > 2100)) return null;
  // Without a year, 29 February is a real birthday; with one, the year must have it.
  const days = new Date(Date.UTC(year ?? 2000, month, 0)).getUTCDate();
  return day <= days ? { month, day, year } : null;
}

export function dayText(d: { month: number; day: number; year: number | null }): string {
  const md = `${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  return d.year === null ? md : `${d.year}-${md}`;
}

export interface DateValues {
  id: string;
  label: string;
  value: string;
}

/** A contact as typed on the form or read from an import row. */
export interface ContactValues {
  name: string;
  email: string;
  dates: DateValues[];
  groupIds: string[];
}

export type ContactCheck =
  { ok: true; input: ContactInput } | { ok: false; errors: Record<string, string> };

/** Checks a contact; messages are keyed by field (`dates.<i>` for a date row). */
export function checkContact(values: ContactValues): ContactCheck {
  const errors: Record<string, string> = {};
  const n = name.safeParse(values.name);
  if (!n.success) errors.name = n.error.issues[0]?.message ?? 'Name: check it';
  const e = email.safeParse(values.email);
  if (!e.success) errors.email = e.error.issues[0]?.message ?? 'Email address: check it';
  const dates: ContactInput['dates'] = [];
  values.dates.forEach((d, i) => {
    if (d.value.trim() === '' && (d.id === '' || d.label.trim() === '')) return;
    const label = d.label.trim();
    const day = parseDay(d.value);
    if (label === '' || label.length > 40 || !PRINTABLE.test(label)) {
      errors[`dates.${i}`] = 'Date: give it a name of up to 40 characters, like "Name day"';
    } else if (!day) {
      errors[`dates.${i}`] = `${label}: enter a date like 1990-04-21, or 04-21 without the year`;
    } else {
      dates.push({ ...(d.id ? { id: d.id } : {}), label, ...day });
    }
  });
  if (dates.length > MAX_DATES_PER_CONTACT) {
    errors.dates = `Dates: keep at most ${MAX_DATES_PER_CONTACT} per contact`;
  }
  if (!n.success || !e.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name: n.data,
      email: e.data,
      emailKey: emailKeyOf(e.data),
      dates,
      groupIds: values.groupIds,
    },
  };
}

function text(value: unknown): string {
  if (Array.isArray(value)) return text(value[0]);
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : ''));
  return typeof value === 'string' ? [value] : [];
}

const UUID = /^[0-9a-f-]{36}$/;

/** The contact form as posted: dates as repeated id/label/value inputs, groups as checkboxes. */
export function readContactForm(form: Record<string, unknown>): ContactValues {
  const ids = list(form.dateId);
  const labels = list(form.dateLabel);
  const values = list(form.dateValue);
  const rows = Math.min(MAX_DATES_PER_CONTACT + 4, Math.max(labels.length, values.length));
  return {
    name: text(form.name),
    email: text(form.email),
    dates: Array.from({ length: rows }, (_, i) => ({
      id: UUID.test(ids[i] ?? '') ? (ids[i] ?? '') : '',
      label: labels[i] ?? '',
      value: values[i] ?? '',
    })),
    groupIds: list(form.groupId)
      .filter((g) => UUID.test(g))
      .slice(0, MAX_GROUPS),
  };
}

/** Ids posted in a list field (`contactId`, `groupId`), well-formed ones only. */
export function idsOf(value: unknown, max: number): string[] {
  return [...new Set(list(value).filter((v) => UUID.test(v)))].slice(0, max);
}
