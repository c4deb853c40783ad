import { randomBytes } from 'node:crypto';
import type { FieldError } from '../common/domain-errors.js';
import { fieldMessage } from './form-messages.js';

/** What the compose form posts: flat fields, recipients as repeated name/email inputs. */
export interface ComposeFormValues {
  senderName: string;
  senderEmail: string;
  recipients: { name: string; email: string }[];
  message: string;
  /** Ids from the site's curated hands and inks; empty for the site's default. */
  font: string;
  ink: string;
  /** The verse as posted; null before the form was first posted (it then shows the card's). */
  verse: string | null;
  sendDate: string;
  sendTime: string;
  timeZone: string;
  idempotencyKey: string;
}

export function emptyComposeForm(timeZone: string): ComposeFormValues {
  return {
    senderName: '',
    senderEmail: '',
    recipients: [],
    message: '',
    font: '',
    ink: '',
    verse: null,
    sendDate: '',
    sendTime: '',
    timeZone,
    idempotencyKey: newFormKey(),
  };
}

/** Each rendered form gets its own key, so a double-clicked submit sends one card. */
export function newFormKey(): string {
  return randomBytes(16).toString('base64url');
}

function text(value: unknown): string {
  if (Array.isArray(value)) return text(value[0]);
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : ''));
  return typeof value === 'string' ? [value] : [];
}

/** Rows read from one post: more than any site allows, few enough to render. */
const MAX_ROWS = 100;

export function readComposeForm(body: unknown, defaultTimeZone: string): ComposeFormValues {
  const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const names = list(form.recipientName);
  const emails = list(form.recipientEmail);
  const rows = Math.min(MAX_ROWS, Math.max(names.length, emails.length));
  // Every row as posted, blank ones too: the form comes back with the visitor's rows in place.
  const recipients = Array.from({ length: rows }, (_, i) => ({
    name: names[i] ?? '',
    email: emails[i] ?? '',
  }));
  return {
    senderName: text(form.senderName),
    senderEmail: text(form.senderEmail),
    recipients,
    message: text(form.message),
    verse: typeof form.verse === 'string' ? form.verse : null,
    font: text(form.font),
    ink: text(form.ink),
    sendDate: text(form.sendDate).trim(),
    sendTime: text(form.sendTime).trim(),
    timeZone: text(form.timeZone) || defaultTimeZone,
    idempotencyKey: text(form.idempotencyKey) || newFormKey(),
  };
}

/** The rows someone filled in, with where each sits in the form; blank rows are unused slots. */
function filledRows(values: ComposeFormValues): { rows: number[]; recipients: Recipient[] } {
  const rows: number[] = [];
  const recipients: Recipient[] = [];
  values.recipients.forEach((r, i) => {
    if (r.name.trim() === '' && r.email.trim() === '') return;
    rows.push(i);
    recipients.push(r);
  });
  return { rows, recipients };
}

type Recipient = ComposeFormValues['recipients'][number];

/** The form's values in the shape of the JSON API, so both share one validator. */
export function composeFormToRequest(
  values: ComposeFormValues,
  cardSlug: string,
): Record<string, unknown> {
  const request: Record<string, unknown> = {
    cardSlug,
    sender: { name: values.senderName, email: values.senderEmail },
    recipients: filledRows(values).recipients,
    message: values.message,
    timeZone: values.timeZone,
    idempotencyKey: values.idempotencyKey,
  };
  if (values.verse !== null) request.verse = values.verse;
  if (values.font !== '') request.font = values.font;
  if (values.ink !== '') request.ink = values.ink;
  if (values.sendDate !== '') {
    request.sendAt = `${values.sendDate}T${values.sendTime === '' ? '09:00' : values.sendTime}`;
  }
  return request;
}

/**
 * API errors as the form shows them: keyed by the form's field (a recipient by its row in the
 * form), each a sentence that names its field, since the summary lists them away from it.
 */
export function toFormErrors(
  errors: FieldError[],
  values: ComposeFormValues,
): Record<string, string> {
  const { rows } = filledRows(values);
  const result: Record<string, string> = {};
  for (const error of errors) {
    const field = formFieldOf(error.field, rows);
    result[field] ??= fieldMessage(field, error.message);
  }
  if (values.sendDate === '' && values.sendTime !== '') {
    result.sendAt ??= fieldMessage('sendAt', 'choose a date as well, or leave both empty');
  }
  return result;
}

/** Field names of the API's paths, and `recipients.<i>` moved from the i-th filled row to its row. */
function formFieldOf(path: string, rows: number[]): string {
  const recipient = /^recipients\.(\d+)\.(name|email)$/.exec(path);
  if (recipient) return `recipients.${rows[Number(recipient[1])] ?? recipient[1]}.${recipient[2]}`;
  return FORM_FIELD[path] ?? path;
}

const FORM_FIELD: Record<string, string> = {
  'sender.name': 'senderName',
  'sender.email': 'senderEmail',
  sender: 'senderName',
  cardSlug: 'card',
};

/** Recipient rows a fresh form shows. */
export const DEFAULT_SLOTS = 3;

const REMOVE_ROW = /^remove-recipient-(\d{1,3})$/;

/**
 * "Add another recipient" and a row's "Remove", as posted without JavaScript: the rows as they
 * were, with one more (even if others are still empty) or without the one removed. Null when
 * the form was sent instead.
 */
export function changeRows(
  values: ComposeFormValues,
  action: unknown,
  maxRecipients: number,
): { slots: number } | null {
  const rows = values.recipients.length || DEFAULT_SLOTS;
  if (action === 'add-recipient') {
    return { slots: Math.min(maxRecipients, rows + 1) };
  }
  const remove = typeof action === 'string' ? REMOVE_ROW.exec(action) : null;
  if (!remove) return null;
  values.recipients.splice(Number(remove[1]), 1);
  return { slots: Math.max(1, values.recipients.length) };
}
