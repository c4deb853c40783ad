import type { TokenPurpose } from '../identity/one-time-tokens.js';

/** The account pages, named once for routes, templates' links and redirects. */
export const ACCOUNT_PATHS = {
  home: '/account',
  signUp: '/account/sign-up',
  signIn: '/account/sign-in',
  signOut: '/account/sign-out',
  signOutEverywhere: '/account/sign-out-everywhere',
  forgot: '/account/forgot-password',
  delete: '/account/delete',
  export: '/account/export',
  history: '/account/history',
  contacts: '/account/contacts',
  newContact: '/account/contacts/new',
  importContacts: '/account/contacts/import',
  exportContacts: '/account/contacts/export.csv',
  saveContact: '/account/contacts/save',
  groups: '/account/groups',
  reminders: '/account/reminders',
  /** The private fragment of shared pages (account menu, greeting by name). */
  me: '/account/me',
} as const;

/** The emailed links a member gets (an invite is the partner console's). */
export type MemberTokenPurpose = Exclude<TokenPurpose, 'invite'>;

/** Where each emailed link lands. */
export const ACCOUNT_LINK_PATHS: Readonly<Record<MemberTokenPurpose, string>> = {
  'verify-email': '/account/verify',
  'sign-in': '/account/link',
  'reset-password': '/account/reset',
};
