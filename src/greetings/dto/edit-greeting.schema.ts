import { z } from 'zod';
import type { FieldError } from '../../common/domain-errors.js';
import { canonicalTimeZone } from '../../common/time-zones.js';
import { MAX_AHEAD_MS, MESSAGE_UNSAFE, resolveSendAt } from './send-greeting.schema.js';

export interface EditGreetingCommand {
  message?: string;
  /** New UTC instant; absent leaves the date alone. */
  sendAt?: Date;
  timeZone?: string;
}

export type EditParseResult =
  { ok: true; command: EditGreetingCommand } | { ok: false; errors: FieldError[] };

/** Changes to a scheduled greeting: any of message, date-time and zone. */
export function parseEditGreeting(
  input: unknown,
  limits: { maxMessageLength: number },
  currentTimeZone: string,
  now: Date,
): EditParseResult {
  const parsed = z
    .object({
      message: z
        .string()
        .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
        .pipe(
          z
            .string()
            .min(1, 'is required')
            .max(limits.maxMessageLength, `must be at most ${limits.maxMessageLength} characters`)
            .refine((v) => !MESSAGE_UNSAFE.test(v), 'must not contain control characters'),
        )
        .optional(),
      sendAt: z.string().max(40).optional(),
      timeZone: z.string().max(64).optional(),
    })
    .strict()
    .safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({
        field: i.path.join('.') || 'body',
        message: i.message,
      })),
    };
  }
  const { message, sendAt: rawSendAt, timeZone } = parsed.data;
  const zone = canonicalTimeZone(timeZone ?? currentTimeZone);
  if (zone === null) {
    return { ok: false, errors: [{ field: 'timeZone', message: 'is not a known time zone' }] };
  }
  const command: EditGreetingCommand = {};
  if (message !== undefined) command.message = message;
  if (timeZone !== undefined) command.timeZone = zone;
  if (rawSendAt !== undefined && rawSendAt !== '') {
    const sendAt = resolveSendAt(rawSendAt, zone);
    const error =
      sendAt === null
        ? 'must be a date and time like 2026-12-25T09:00'
        : sendAt.getTime() <= now.getTime()
          ? 'is in the past'
          : sendAt.getTime() > now.getTime() + MAX_AHEAD_MS
            ? 'can be at most a year ahead'
            : null;
    if (error || !sendAt) return { ok: false, errors: [{ field: 'sendAt', message: error ?? '' }] };
    command.sendAt = sendAt;
  }
  return { ok: true, command };
}
