/** Every console address, so templates, redirects and mails agree. */
export const CONSOLE_PATHS = {
  home: '/partner',
  signIn: '/partner/sign-in',
  forgot: '/partner/forgot-password',
  setPassword: '/partner/set-password',
  signOut: '/partner/sign-out',
  signOutEverywhere: '/partner/sign-out-everywhere',
  totp: '/partner/totp',
  partners: '/partner/partners',
  people: '/partner/people',
  audit: '/partner/audit',
  sites: '/partner/sites',
  reports: '/partner/reports',
} as const;
