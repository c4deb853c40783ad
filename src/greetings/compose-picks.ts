/* Arranging the compose form's recipient rows: add, remove, and contacts picked from the address book. */
import type { ComposeFormValues } from './compose-form.js';

/** Recipient rows of a fresh form. */
export const DEFAULT_SLOTS = 3;

/**
 * The picked contacts into the rows: filled rows stay, blank ones go, an address already in a
 * row is not added twice. How many did not fit is told, not silently dropped.
 */
export function addPicked(
  values: ComposeFormValues,
  picked: { name: string; email: string }[],
  maxRecipients: number,
): { left: number } {
  const filled = values.recipients.filter((r) => r.name.trim() !== '' || r.email.trim() !== '');
  const present = new Set(filled.map((r) => r.email.trim().toLowerCase()));
  const fresh = picked.filter((p) => !present.has(p.email.toLowerCase()));
  const room = Math.max(0, maxRecipients - filled.length);
  values.recipients = [...filled, ...fresh.slice(0, room)];
  return { left: Math.max(0, fresh.length - room) };
}

export function tooManyPicked(left: number, max: number): string {
  const people = left === 1 ? 'person' : 'people';
  return `A card goes to at most ${max} people: ${left} ${people} you picked did not fit. Send them the card again after this one.`;
}

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
