import { SEVERAL_ADDRESSES_MESSAGE } from './dto/send-greeting.schema.js';

/**
 * Messages of the compose and manage forms. Each names its field, because the error summary
 * lists them away from the fields they are about.
 */
const LABELS: Record<string, string> = {
  senderName: 'Your name',
  senderEmail: 'Your email address',
  recipients: 'Recipients',
  message: 'Message',
  sendAt: 'Date and time',
  timeZone: 'Time zone',
  card: 'Card',
  verse: 'Verse',
  font: 'Handwriting',
  ink: 'Ink colour',
  photo: 'Your photo',
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
