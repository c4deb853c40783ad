import { z } from 'zod';
import type { FieldError } from '../../common/domain-errors.js';
import { canonicalTimeZone } from '../../common/time-zones.js';
import {
  ALL_MESSAGE_STYLES,
  MESSAGE_FONT_IDS,
  MESSAGE_INK_IDS,
  type MessageFont,
  type MessageInk,
  type MessageStyleChoices,
} from '../../sites/message-styles.js';
import { localToUtc, parseLocalDateTime } from '../zoned-time.js';

/** Control characters and bidi overrides: never in anything that can reach a mail header. */
const HEADER_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Messages keep line breaks and tabs, nothing else invisible. */
export const MESSAGE_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export const MAX_VERSE_LENGTH = 1000;

export const MAX_AHEAD_MS = 366 * 24 * 3600 * 1000;
/** A few seconds of clock skew or form-filling time is not "in the past". */
const PAST_GRACE_MS = 60 * 1000;

const personName = z
  .string({ error: 'is required' })
  .transform((v) => v.normalize('NFC').trim())
  .pipe(
    z
      .string()
      .min(1, 'is required')
      .max(100, 'must be at most 100 characters')
      .refine((v) => !HEADER_UNSAFE.test(v), 'must not contain line breaks or control characters'),
  );

export const SEVERAL_ADDRESSES_MESSAGE = 'must be one address, not several';

/** Two or more addresses pasted into one field: said as such, not as "too long" or "invalid". */
function isSeveralAddresses(value: string): boolean {
  let addresses = 0;
  for (const part of value.split(/[\s,;]+/)) if (part.includes('@') && ++addresses > 1) return true;
  return false;
}

const email = z
  .string({ error: 'is required' })
  .transform((v) => v.normalize('NFC').trim())
  .pipe(z.string().min(1, 'is required'))
  .pipe(z.string().refine((v) => !isSeveralAddresses(v), SEVERAL_ADDRESSES_MESSAGE))
  .pipe(z.string().max(254, 'is too long').pipe(z.email('must be a valid email address')));

export interface SendLimits {
  maxRecipients: number;
  maxMessageLength: number;
}

/** Built once per set of limits: building a zod object schema costs more than a parse. */
const schemas = new Map<string, ReturnType<typeof buildRequestSchema>>();

function requestSchema(limits: SendLimits) {
  const key = `${limits.maxRecipients}:${limits.maxMessageLength}`;
  let schema = schemas.get(key);
  if (!schema) {
    schema = buildRequestSchema(limits);
    schemas.set(key, schema);
  }
  return schema;
}

function buildRequestSchema(limits: SendLimits) {
  return z
    .object({
      cardSlug: z.string({ error: 'is required' }).regex(/^[a-z0-9-]{1,120}$/, 'is not a card'),
      sender: z.object({ name: personName, email }, { error: 'is required' }).strict(),
      recipients: z
        .array(z.object({ name: personName, email }).strict(), { error: 'must be a list' })
        .min(1, 'add at least one recipient')
        .max(limits.maxRecipients, `at most ${limits.maxRecipients} recipients per card`),
      // Required, as the form says: a card sent with nothing written on it is a mistake.
      message: z
        .string({ error: 'is required' })
        .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
        .pipe(
          z
            .string()
            .min(1, 'is required')
            .max(limits.maxMessageLength, `must be at most ${limits.maxMessageLength} characters`)
            .refine((v) => !MESSAGE_UNSAFE.test(v), 'must not contain control characters'),
        ),
      // The verse inside the card, as the sender kept, edited or replaced it ('' for none).
      verse: z
        .string()
        .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
        .pipe(
          z
            .string()
            .max(MAX_VERSE_LENGTH, `must be at most ${MAX_VERSE_LENGTH} characters`)
            .refine((v) => !MESSAGE_UNSAFE.test(v), 'must not contain control characters'),
        )
        .optional(),
      font: z.enum(MESSAGE_FONT_IDS, { error: 'is not one of the fonts offered' }).optional(),
      ink: z.enum(MESSAGE_INK_IDS, { error: 'is not one of the ink colours offered' }).optional(),
      sendAt: z.string().max(40).optional(),
      timeZone: z.string().max(64).optional(),
      idempotencyKey: z
        .string()
        .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _')
        .optional(),
    })
    .strict();
}

export interface SendGreetingCommand {
  cardSlug: string;
  sender: { name: string; email: string };
  recipients: { name: string; email: string }[];
  message: string;
  /** The hand and ink the message is written in; null for the site's default. */
  font: MessageFont | null;
  ink: MessageInk | null;
  /** The verse inside the card; null keeps the card's own, '' is none. */
  verse: string | null;
  /**
   * The sender's photo, already saved by SenderPhotoStore; only the compose form sets it (the
   * JSON API takes no uploads).
   */
  photoId?: string | null;
  /** UTC instant, or null for "right away". */
  sendAt: Date | null;
  timeZone: string;
  idempotencyKey: string | null;
}

export type ParseResult =
  { ok: true; command: SendGreetingCommand } | { ok: false; errors: FieldError[] };

/**
 * Validates a send request at the edge and returns a command the domain can trust: names and
 * message normalised, the delivery time resolved to a UTC instant in the chosen zone.
 */
export function parseSendGreeting(
  input: unknown,
  limits: SendLimits,
  defaultTimeZone: string,
  now: Date,
  styles: MessageStyleChoices = ALL_MESSAGE_STYLES,
): ParseResult {
  const parsed = requestSchema(limits).safeParse(input);
  const errors: FieldError[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        field: issue.path.join('.') || 'body',
        message:
          issue.code === 'unrecognized_keys'
            ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
            : issue.message,
      }));
  const raw = parsed.success ? parsed.data : null;
  // Kept and stored under its canonical name, whatever spelling the client sent.
  const timeZone = canonicalTimeZone(
    raw?.timeZone ??
      (isRecord(input) && typeof input.timeZone === 'string' ? input.timeZone : undefined) ??
      defaultTimeZone,
  );
  if (timeZone === null) errors.push({ field: 'timeZone', message: 'is not a known time zone' });

  let sendAt: Date | null = null;
  const rawSendAt =
    raw?.sendAt ?? (isRecord(input) && typeof input.sendAt === 'string' ? input.sendAt : undefined);
  if (rawSendAt !== undefined && rawSendAt !== '' && timeZone !== null) {
    sendAt = resolveSendAt(rawSendAt, timeZone);
    if (sendAt === null) {
      errors.push({ field: 'sendAt', message: 'must be a date and time like 2026-12-25T09:00' });
    } else if (sendAt.getTime() < now.getTime() - PAST_GRACE_MS) {
      errors.push({ field: 'sendAt', message: 'is in the past' });
    } else if (sendAt.getTime() > now.getTime() + MAX_AHEAD_MS) {
      errors.push({ field: 'sendAt', message: 'can be at most a year ahead' });
    } else if (sendAt.getTime() <= now.getTime()) {
      sendAt = null;
    }
  }
  if (raw?.font !== undefined && !styles.fonts.includes(raw.font)) {
    errors.push({ field: 'font', message: 'is not one of the fonts offered' });
  }
  if (raw?.ink !== undefined && !styles.inks.includes(raw.ink)) {
    errors.push({ field: 'ink', message: 'is not one of the ink colours offered' });
  }
  if (raw) {
    const seen = new Map<string, number>();
    raw.recipients.forEach((r, i) => {
      const key = r.email.toLowerCase();
      if (seen.has(key))
        errors.push({ field: `recipients.${i}.email`, message: 'is listed twice' });
      else seen.set(key, i);
    });
  }
  if (errors.length > 0 || !raw || timeZone === null) return { ok: false, errors: dedupe(errors) };
  return {
    ok: true,
    command: {
      cardSlug: raw.cardSlug,
      sender: raw.sender,
      recipients: raw.recipients,
      message: raw.message,
      verse: raw.verse ?? null,
      font: raw.font ?? null,
      ink: raw.ink ?? null,
      sendAt,
      timeZone,
      idempotencyKey: raw.idempotencyKey ?? null,
    },
  };
}

/** A local wall time in the zone, or an absolute ISO instant with Z or an offset. */
export function resolveSendAt(value: string, timeZone: string): Date | null {
  const local = parseLocalDateTime(value);
  if (local) return localToUtc(local, timeZone);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const instant = new Date(value);
    return Number.isNaN(instant.getTime()) ? null : instant;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
