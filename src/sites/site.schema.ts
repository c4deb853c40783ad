import { z } from 'zod';
import { FLAG_KEYS } from '../config/flag-registry.js';
import { MESSAGE_FONT_IDS, MESSAGE_INK_IDS } from './message-styles.js';
import { PAGE_FONT_IDS } from './site-theme.js';
import { themeContrastProblems } from './theme-contrast.js';

const hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9.-]+$|^\[[0-9a-f:]+\]$/, 'must be a lower-case host name without port');

const slugList = z.array(z.string().regex(/^[a-z0-9-]+$/, 'must be a slug'));

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A site's id: in hosts' configuration, URLs and keys, so lower-case and short. */
export const SITE_ID_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;

export const siteSchema = z
  .object({
    id: z.string().regex(SITE_ID_PATTERN, 'must be 2-32 lower-case letters, digits or -'),
    name: z.string().min(1).max(80),
    hostnames: z.array(hostname).min(1),
    locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must look like en-US'),
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone'),
    vars: z
      .object({
        brandName: z.string().min(1).max(80),
        tagline: z.string().max(200).default(''),
        heroTitle: z.string().max(200).default(''),
        heroText: z.string().max(500).default(''),
        supportEmail: z.email(),
        footerCopy: z.string().max(500).default(''),
        themeColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour'),
      })
      .catchall(z.string().max(1000)),
    catalog: z
      .object({
        includeOccasions: z.union([z.tuple([z.literal('*')]), slugList]).default(['*']),
        excludeOccasions: slugList.default([]),
        excludeCards: slugList.default([]),
      })
      .strict(),
    /** Whether /admin answers on this site's hosts (off for partners unless they need it). */
    allowAdmin: z.boolean().default(false),
    /** Per-site defaults of feature flags (see src/config/flag-registry.ts); overrides beat them. */
    features: z.partialRecord(z.enum(FLAG_KEYS), z.boolean()).default({}),
    limits: z
      .object({
        maxRecipients: z.number().int().min(1).max(50),
        maxMessageLength: z.number().int().min(1).max(2000),
      })
      .strict(),
    /**
     * The look a partner chose in the console beyond the theme colour; each part absent keeps
     * the site's own stylesheet (or the platform's). Contrast is kept by construction
     * (src/sites/site-theme.ts).
     */
    theme: z
      .object({
        accentColor: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour')
          .optional(),
        headingFont: z.enum(PAGE_FONT_IDS).optional(),
        bodyFont: z.enum(PAGE_FONT_IDS).optional(),
      })
      .strict()
      .optional(),
    /** The hands and inks this site's senders choose from; the first of each is the default. */
    messageStyles: z
      .object({
        fonts: z.array(z.enum(MESSAGE_FONT_IDS)).min(1),
        inks: z.array(z.enum(MESSAGE_INK_IDS)).min(1),
      })
      .strict()
      .default({ fonts: [...MESSAGE_FONT_IDS], inks: [...MESSAGE_INK_IDS] }),
    email: z
      .object({
        fromName: z.string().min(1).max(80),
        fromAddress: z.email(),
        replyTo: z.email().optional(),
        /** Where this site's bounces go (VERP Return-Paths); BOUNCE_DOMAIN when absent. */
        bounceDomain: z.hostname('must be a domain name').optional(),
      })
      .strict(),
  })
  .strict();

export type SiteDefinition = z.infer<typeof siteSchema>;

/**
 * A site's colour tokens: the base stylesheet's `:root` custom properties overlaid with the
 * site's `public/theme.css`. Refused when any pair the pages draw together is below WCAG AA,
 * so a partner cannot publish an unreadable theme.
 */
export const themeSchema = z.record(z.string(), z.string()).superRefine((tokens, context) => {
  for (const problem of themeContrastProblems(tokens)) {
    context.addIssue({ code: 'custom', message: problem });
  }
});
