import type { FieldError } from '../common/domain-errors.js';
import { parseSiteDefinition, SiteConfigError } from '../sites/site-definition.js';
import type { SiteDefinition } from '../sites/site.schema.js';
import { contrastRatio, parseColour } from '../sites/theme-contrast.js';
import { ConsoleRefusal } from './console-refusal.js';
import type { FormData } from './partner-forms.js';

/** White text on the theme colour (emails' header band, buttons): WCAG AA for body text. */
const THEME_TEXT_CONTRAST = 4.5;

/** The theme form's values that are site variables (the sending name is the email's). */
export function siteVarsOf(theme: FormData<'theme'>): Record<string, string> {
  return {
    brandName: theme.brandName,
    tagline: theme.tagline,
    heroTitle: theme.heroTitle,
    heroText: theme.heroText,
    footerCopy: theme.footerCopy,
    themeColor: theme.themeColor,
  };
}

/** The look chosen beyond the theme colour; an empty field keeps the site's own. */
export function themeChoicesOf(theme: FormData<'theme'>): SiteDefinition['theme'] {
  const choices = {
    ...(theme.accentColor ? { accentColor: theme.accentColor.toLowerCase() } : {}),
    ...(theme.headingFont ? { headingFont: theme.headingFont } : {}),
    ...(theme.bodyFont ? { bodyFont: theme.bodyFont } : {}),
  };
  return Object.keys(choices).length > 0 ? choices : undefined;
}

/** The theme colour carries white text in emails and buttons: unreadable colours are refused. */
export function themeProblems(themeColor: string): FieldError[] {
  const colour = parseColour(themeColor);
  const white = parseColour('#ffffff');
  if (!colour || !white) return [{ field: 'themeColor', message: 'Theme colour: not a colour' }];
  const ratio = contrastRatio(white.rgb, colour.rgb);
  if (ratio >= THEME_TEXT_CONTRAST) return [];
  return [
    {
      field: 'themeColor',
      message: `Theme colour: white text on it has contrast ${ratio.toFixed(2)}:1, below ${THEME_TEXT_CONTRAST}:1; choose a darker colour`,
    },
  ];
}

/** The first definition of a partner's site: the shared templates, every occasion. */
export function newSiteDefinition(form: FormData<'newPartner'>): SiteDefinition {
  return parseSiteDefinition(
    {
      id: form.siteId,
      name: form.siteName,
      hostnames: [form.hostname],
      locale: 'en-US',
      timeZone: 'America/New_York',
      vars: {
        brandName: form.siteName,
        supportEmail: `help@${form.hostname}`,
        themeColor: '#5b3cc4',
      },
      catalog: { includeOccasions: ['*'], excludeOccasions: [], excludeCards: [] },
      limits: { maxRecipients: 5, maxMessageLength: 2000 },
      email: { fromName: form.siteName, fromAddress: `greetings@${form.hostname}` },
    },
    `site ${form.siteId}`,
  );
}

/** A site the schema or the hostnames refused, its problems named by the form's fields. */
export function siteRefusal(error: unknown, fields: Record<string, string>): unknown {
  if (!(error instanceof SiteConfigError)) return error;
  const problems = error.problems.map((p) => {
    const top = p.field.split('.')[0] ?? p.field;
    const field = fields[top] ?? p.field.split('.').pop() ?? p.field;
    return { field, message: `${field}: ${p.message}` };
  });
  return new ConsoleRefusal(
    problems.length > 0 ? problems : [{ field: 'form', message: error.message }],
  );
}
