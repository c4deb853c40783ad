import { randomBytes } from 'node:crypto';
import type { FieldError } from '../common/domain-errors.js';
import { SEVERAL_ADDRESSES_MESSAGE } from './dto/send-greeting.schema.js';

/** What the compose form posts: flat fields, recipients as repeated name/email inputs. */
export interface ComposeFormValues {
  senderName: string;
  senderEmail: string;
  recipients: { name: string; email: string }[];
  message: string;
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

const LABELS: Record<string, string> = {
  senderName: 'Your name',
  senderEmail: 'Your email address',
  recipients: 'Recipients',
  message: 'Message',
  sendAt: 'Date and time',
  timeZone: 'Time zone',
  card: 'Card',
};

type FieldKind = 'recipientEmail' | 'email' | 'name' | 'message' | 'any';

/** What a person reads after a field's name, for the validator's terse fragments. */
const PHRASES: Record<string, Partial<Record<FieldKind, string>>> = {
  'is required': {
    email: 'enter an email address',
    name: 'enter a name',
    message: 'write a message to go with your card',
  },
  'must be a valid email address': { any: 'enter a valid email address like name@example.com' },
  [SEVERAL_ADDRESSES_MESSAGE]: {
    recipientEmail: 'enter one address per recipient; use “Add another recipient” for more',
    any: 'enter just one email address',
  },
  'is too long': { email: 'this address is too long' },
  'is listed twice': { any: 'this address is already in another row' },
};

/** "Recipient 2 email: enter a valid email address like name@example.com" */
export function fieldMessage(field: string, message: string): string {
  const recipient = /^recipients\.(\d+)\.(name|email)$/.exec(field);
  const label = recipient
    ? `Recipient ${Number(recipient[1]) + 1} ${recipient[2]}`
    : (LABELS[field] ?? null);
  const kinds: FieldKind[] = recipient
    ? recipient[2] === 'email'
      ? ['recipientEmail', 'email']
      : ['name']
    : field === 'senderEmail'
      ? ['email']
      : field === 'senderName'
        ? ['name']
        : field === 'message'
          ? ['message']
          : [];
  const phrases = PHRASES[message] ?? {};
  const phrase =
    [...kinds, 'any' as const].map((kind) => phrases[kind]).find((p) => p !== undefined) ??
    (/^(is|must|can|appears) /.test(message) ? `this ${message}` : message);
  return label === null
    ? `${phrase.charAt(0).toUpperCase()}${phrase.slice(1)}`
    : `${label}: ${phrase}`;
}
