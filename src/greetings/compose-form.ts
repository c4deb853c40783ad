import { randomBytes } from 'node:crypto';
import type { FieldError } from '../common/domain-errors.js';

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

export function readComposeForm(body: unknown, defaultTimeZone: string): ComposeFormValues {
  const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const names = list(form.recipientName);
  const emails = list(form.recipientEmail);
  const rows = Math.max(names.length, emails.length);
  const recipients: { name: string; email: string }[] = [];
  for (let i = 0; i < rows && i < 100; i++) {
    const name = names[i] ?? '';
    const email = emails[i] ?? '';
    // Rows left blank are just unused slots in the form.
    if (name.trim() !== '' || email.trim() !== '') recipients.push({ name, email });
  }
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

/** The form's values in the shape of the JSON API, so both share one validator. */
export function composeFormToRequest(
  values: ComposeFormValues,
  cardSlug: string,
): Record<string, unknown> {
  const request: Record<string, unknown> = {
    cardSlug,
    sender: { name: values.senderName, email: values.senderEmail },
    recipients: values.recipients,
    message: values.message,
    timeZone: values.timeZone,
    idempotencyKey: values.idempotencyKey,
  };
  if (values.sendDate !== '') {
    request.sendAt = `${values.sendDate}T${values.sendTime === '' ? '09:00' : values.sendTime}`;
  }
  return request;
}

/** API field paths to the form's field names. */
export function toFormErrors(
  errors: FieldError[],
  values: ComposeFormValues,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const error of errors) {
    const field = FORM_FIELD[error.field] ?? error.field;
    result[field] ??= sentence(error.message);
  }
  if (values.sendDate === '' && values.sendTime !== '') {
    result.sendAt ??= 'Choose a date as well, or leave both empty to send now.';
  }
  return result;
}

/** API messages read as fragments ("is required"); the form shows them as sentences. */
function sentence(message: string): string {
  const text = /^(is|must|can|appears) /.test(message) ? `This ${message}` : message;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

const FORM_FIELD: Record<string, string> = {
  'sender.name': 'senderName',
  'sender.email': 'senderEmail',
  sender: 'senderName',
  cardSlug: 'card',
};
