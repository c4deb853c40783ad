import { contrastRatio, parseColour, type Rgb } from './theme-contrast.js';

/**
 * Page typefaces a partner may choose: font stacks of faces that ship with the systems people
 * use, so a choice costs no download and no third-party request, and each falls back well.
 */
export const PAGE_FONTS = {
  'system-sans': {
    label: 'Modern sans-serif',
    stack: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  },
  'humanist-sans': {
    label: 'Friendly sans-serif',
    stack: "'Avenir Next', Avenir, 'Segoe UI', 'Trebuchet MS', Ubuntu, 'DejaVu Sans', sans-serif",
  },
  'rounded-sans': {
    label: 'Rounded sans-serif',
    stack:
      "ui-rounded, 'SF Pro Rounded', 'Varela Round', 'Arial Rounded MT Bold', 'Nunito', sans-serif",
  },
  'classic-serif': {
    label: 'Classic serif',
    stack: "Georgia, 'Times New Roman', 'Liberation Serif', 'DejaVu Serif', serif",
  },
  'old-style-serif': {
    label: 'Old-style serif',
    stack:
      "'Iowan Old Style', 'Palatino Linotype', Palatino, 'Book Antiqua', 'URW Palladio L', Georgia, serif",
  },
  'slab-serif': {
    label: 'Slab serif',
    stack: "Rockwell, 'Roboto Slab', 'DejaVu Serif', Georgia, serif",
  },
} as const;

export type PageFont = keyof typeof PAGE_FONTS;
export const PAGE_FONT_IDS = Object.keys(PAGE_FONTS) as [PageFont, ...PageFont[]];

/** What a partner chose of a site's look beyond its theme colour; absent: the site's own. */
export interface SiteThemeChoices {
  accentColor?: string;
  headingFont?: PageFont;
  bodyFont?: PageFont;
}

/** The base stylesheet's page background; links and brand text must read on it. */
const SURFACE: Rgb = { r: 0xf7, g: 0xf7, b: 0xfb };
const WHITE: Rgb = { r: 255, g: 255, b: 255 };
const BLACK: Rgb = { r: 0, g: 0, b: 0 };
const TEXT = 4.5;

/**
 * The stylesheet tokens a site's choices make, laid over its own stylesheet (or the
 * platform's). A site without a stylesheet of its own (one made in the console) takes its
 * brand colours from its theme colour: darkened as far as it must be for white text on it and
 * for links on the page to meet WCAG AA, so any colour a partner picks stays readable. An
 * accent gets black or white text, whichever reads better (one of them always reaches 4.5:1).
 */
export function themeTokens(
  themeColor: string,
  choices: SiteThemeChoices | undefined,
  ownStylesheet: boolean,
): Record<string, string> {
  const tokens: Record<string, string> = {};
  const brand = parseColour(themeColor)?.rgb;
  if (!ownStylesheet && brand) {
    const base = darkenUntil(brand, (c) => contrastRatio(WHITE, c) >= TEXT);
    const strong = darkenUntil(
      mix(base, BLACK, 0.2),
      (c) => contrastRatio(c, SURFACE) >= TEXT && contrastRatio(c, mix(base, WHITE, 0.9)) >= TEXT,
    );
    tokens.brand = hex(base);
    tokens['brand-ink'] = '#ffffff';
    tokens['brand-strong'] = hex(strong);
    tokens['brand-soft'] = hex(mix(base, WHITE, 0.9));
  }
  const accent = choices?.accentColor ? parseColour(choices.accentColor)?.rgb : undefined;
  if (accent) {
    tokens.accent = hex(accent);
    tokens['accent-ink'] =
      contrastRatio(WHITE, accent) >= contrastRatio(BLACK, accent) ? '#ffffff' : '#000000';
  }
  if (choices?.bodyFont) tokens['body-font'] = PAGE_FONTS[choices.bodyFont].stack;
  if (choices?.headingFont) tokens['heading-font'] = PAGE_FONTS[choices.headingFont].stack;
  return tokens;
}

/** The tokens as a stylesheet; empty when there are none. */
export function themeStylesheet(tokens: Readonly<Record<string, string>>): string {
  const declarations = Object.entries(tokens).map(([name, value]) => `--${name}:${value}`);
  return declarations.length === 0 ? '' : `:root{${declarations.join(';')}}`;
}

function darkenUntil(colour: Rgb, good: (c: Rgb) => boolean): Rgb {
  let current = colour;
  for (let step = 0; step < 20 && !good(current); step++) current = mix(current, BLACK, 0.1);
  return current;
}

function mix(a: Rgb, b: Rgb, share: number): Rgb {
  const m = (x: number, y: number) => Math.round(x * (1 - share) + y * share);
  return { r: m(a.r, b.r), g: m(a.g, b.g), b: m(a.b, b.b) };
}

function hex({ r, g, b }: Rgb): string {
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
