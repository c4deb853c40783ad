import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../identity/password-hasher.js';

/** A form's values as typed (to show back) and its messages per field, as the compose form. */
export interface AccountForm<V> {
  values: V;
  errors: Record<string, string>;
}

export interface SignUpValues {
  displayName: string;
  email: string;
  /** Empty: sign in with emailed links only. Never shown back. */
  password: string;
}

export interface SignInValues {
  email: string;
  password: string;
}

const email = z
  .string()
  .trim()
  .min(1, 'Email address: enter your email address')
  .max(254, 'Email address: this address is too long')
  .pipe(z.email('Email address: enter a valid email address like name@example.com'));

const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Password: use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Password: use at most ${MAX_PASSWORD_LENGTH} characters`);

const signUp = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, 'Your name: enter a name')
    .max(100, 'Your name: use at most 100 characters')
    // Control characters would end up in email headers and log lines.
    .regex(/^[^\p{Cc}\p{Zl}\p{Zp}]*$/u, 'Your name: use letters, spaces and punctuation only'),
  email,
  password: z.union([z.literal(''), password]),
});

const signIn = z.object({ email, password: z.string().min(1, 'Password: enter your password') });
const emailOnly = z.object({ email });
const newPassword = z.object({ password });

function text(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}

function parse<V, T>(
  schema: z.ZodType<T>,
  values: V,
): { ok: true; data: T } | { ok: false; form: AccountForm<V> } {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return { ok: false, form: { values, errors } };
}

export function readSignUp(form: Record<string, unknown>) {
  const values: SignUpValues = {
    displayName: text(form, 'displayName'),
    email: text(form, 'email'),
    password: text(form, 'password'),
  };
  return parse(signUp, values);
}

export function readSignIn(form: Record<string, unknown>) {
  const values: SignInValues = { email: text(form, 'email'), password: text(form, 'password') };
  return parse(signIn, values);
}

export function readEmail(form: Record<string, unknown>) {
  return parse(emailOnly, { email: text(form, 'email') });
}

export function readNewPassword(form: Record<string, unknown>) {
  return parse(newPassword, { password: text(form, 'password') });
}

/** The address as one account per site is keyed: trimmed, case folded. */
export function emailKeyOf(address: string): string {
  return address.normalize('NFC').trim().toLowerCase();
}
