import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../identity/password-hasher.js';
import { MESSAGE_FONT_IDS, type MessageFont } from '../sites/message-styles.js';
import { PAGE_FONT_IDS } from '../sites/site-theme.js';
import { SITE_ID_PATTERN } from '../sites/site.schema.js';
import { PARTNER_STAFF_ROLES } from './partner-roles.js';

/** A form's values as typed (to show back) and its message per field. */
export interface ConsoleForm {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; form: ConsoleForm };

const email = z
  .string()
  .trim()
  .min(1, 'Email address: enter an email address')
  .max(254, 'Email address: this address is too long')
  .pipe(z.email('Email address: enter a valid email address like name@example.com'));

const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Password: use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Password: use at most ${MAX_PASSWORD_LENGTH} characters`);

const plainText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}: use at most ${max} characters`)
    // Control characters would end up in headers, logs and pages' markup.
    .regex(/^[^\p{Cc}\p{Zl}\p{Zp}]*$/u, `${label}: use letters, spaces and punctuation only`);

const slug = (label: string) =>
  z.string().trim().regex(SITE_ID_PATTERN, `${label}: 2-32 lower-case letters, digits or -`);

const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .regex(HOSTNAME, 'Hostname: a name such as cards.example.com, without scheme, port or path');

/** Empty: the platform's shared bounce domain. */
const bounceDomain = z
  .string()
  .trim()
  .toLowerCase()
  .refine(
    (v) => v === '' || HOSTNAME.test(v),
    'Bounce domain: a domain name such as bounces.example.com, or empty',
  );

const schemas = {
  signIn: z.object({
    email,
    password: z.string().min(1, 'Password: enter your password').max(MAX_PASSWORD_LENGTH),
    code: z
      .string()
      .trim()
      .regex(/^([0-9]{6})?$/, 'Code: the 6 digits your authenticator app shows'),
  }),
  email: z.object({ email }),
  newPassword: z.object({ password }),
  totp: z.object({
    code: z
      .string()
      .trim()
      .regex(/^[0-9]{6}$/, 'Code: the 6 digits your authenticator app shows'),
  }),
  newPartner: z.object({
    partnerId: slug('Partner id'),
    partnerName: plainText('Partner name', 80).min(1, 'Partner name: enter a name'),
    siteId: slug('Site id'),
    siteName: plainText('Site name', 80).min(1, 'Site name: enter a name'),
    hostname,
    adminEmail: email,
  }),
  hostname: z.object({ hostname }),
  bounceDomain: z.object({ bounceDomain }),
  invite: z.object({
    email,
    role: z.enum(PARTNER_STAFF_ROLES, 'Role: choose partner admin or analyst'),
  }),
  theme: z.object({
    brandName: plainText('Brand name', 80).min(1, 'Brand name: enter a name'),
    tagline: plainText('Tagline', 200),
    heroTitle: plainText('Headline', 200),
    heroText: plainText('Introduction', 500),
    footerCopy: plainText('Footer text', 500),
    themeColor: z
      .string()
      .trim()
      .regex(/^#[0-9a-fA-F]{6}$/, 'Theme colour: a colour such as #2f4a3a'),
    accentColor: z
      .string()
      .trim()
      .regex(/^(#[0-9a-fA-F]{6})?$/, 'Accent colour: a colour such as #b5523b, or empty'),
    headingFont: z.enum(['', ...PAGE_FONT_IDS], 'Headings typeface: choose one from the list'),
    bodyFont: z.enum(['', ...PAGE_FONT_IDS], 'Text typeface: choose one from the list'),
    fromName: plainText('Sending name', 80).min(1, 'Sending name: enter a name'),
  }),
};

export type FormName = keyof typeof schemas;
export type FormData<N extends FormName> = z.infer<(typeof schemas)[N]>;

/** Reads one console form from a posted body: its values, or each field's message. */
export function readForm<N extends FormName>(
  name: N,
  body: Record<string, unknown>,
): Parsed<FormData<N>> {
  const schema = schemas[name];
  const values: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = body[key];
    values[key] = typeof value === 'string' ? value : '';
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data as FormData<N> };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return { ok: false, form: { values: withoutSecrets(values), errors } };
}

/** A password is never shown back in a form. */
export function withoutSecrets(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter(([key]) => key !== 'password' && key !== 'code'),
  );
}

/** One console person per address: trimmed, case folded. */
export function emailKeyOf(address: string): string {
  return address.normalize('NFC').trim().toLowerCase();
}

/** The selected occasions of the catalog form: slugs only, each once. */
export function occasionChoices(body: Record<string, unknown>): string[] {
  const raw = body.occasions;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return [
    ...new Set(
      list.filter((v): v is string => typeof v === 'string' && /^[a-z0-9-]{1,64}$/.test(v)),
    ),
  ];
}

/** The hands senders may write in, from the platform's closed list only, each once. */
export function fontChoices(body: Record<string, unknown>): MessageFont[] {
  const raw = body.fonts;
  const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return MESSAGE_FONT_IDS.filter((id) => list.includes(id));
}
