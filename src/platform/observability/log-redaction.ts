/**
 * Personal data never reaches a log line: structured fields that carry it are censored by
 * pino's redact list, and free text (messages, error text) has anything email-shaped masked,
 * because an address can hide in an error message or a third-party library's output.
 */
const PERSONAL_FIELDS = ['email', 'name', 'message', 'recipients', 'sender', 'body'];

export const REDACT_PATHS = [
  ...PERSONAL_FIELDS,
  ...PERSONAL_FIELDS.map((field) => `*.${field}`),
  'req.headers.cookie',
  'req.headers.authorization',
  'headers.cookie',
  'headers.authorization',
  'headers["x-admin-token"]',
  'headers["x-manage-token"]',
];

export const REDACTED = '[redacted]';

const EMAIL = /[^\s@<>"'(),;:[\]]+@[^\s@<>"'(),;:[\]]+\.[A-Za-z]{2,}/g;

export function maskEmails(text: string): string {
  // The cheap test first: nearly every line has no '@' at all.
  return text.includes('@') ? text.replace(EMAIL, '[email]') : text;
}
