/**
 * WCAG 2.2 contrast of a site's theme: the colour tokens its stylesheet declares (`--ink`,
 * `--surface`...), checked pair by pair as the base stylesheet uses them, so a partner's theme
 * that would make text unreadable is refused when the site is loaded, not found by a visitor.
 */

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** A foreground token drawn on a background token, and the ratio WCAG AA asks of it. */
export interface ThemePair {
  foreground: string;
  background: string;
  /** 4.5 for body text, 3 for large text and for the edges of controls and focus rings. */
  minimum: number;
  what: string;
}

const TEXT = 4.5;
const NON_TEXT = 3;

/** Every pair the base stylesheet (public/css/app.css) puts together. */
export const THEME_PAIRS: readonly ThemePair[] = [
  { foreground: 'ink', background: 'surface', minimum: TEXT, what: 'body text' },
  { foreground: 'ink', background: 'surface-raised', minimum: TEXT, what: 'text on panels' },
  { foreground: 'ink', background: 'surface-alt', minimum: TEXT, what: 'text on alt sections' },
  { foreground: 'ink-muted', background: 'surface', minimum: TEXT, what: 'secondary text' },
  {
    foreground: 'ink-muted',
    background: 'surface-raised',
    minimum: TEXT,
    what: 'secondary text on panels',
  },
  { foreground: 'brand-strong', background: 'surface', minimum: TEXT, what: 'links' },
  {
    foreground: 'brand-strong',
    background: 'surface-raised',
    minimum: TEXT,
    what: 'links on panels',
  },
  { foreground: 'brand-ink', background: 'brand', minimum: TEXT, what: 'primary buttons' },
  { foreground: 'brand-ink', background: 'brand-strong', minimum: TEXT, what: 'pressed buttons' },
  { foreground: 'brand-strong', background: 'brand-soft', minimum: TEXT, what: 'tinted notes' },
  { foreground: 'header-ink', background: 'header-bg', minimum: TEXT, what: 'header text' },
  { foreground: 'footer-ink', background: 'footer-bg', minimum: TEXT, what: 'footer text' },
  { foreground: 'footer-link', background: 'footer-bg', minimum: TEXT, what: 'footer links' },
  { foreground: 'danger', background: 'danger-soft', minimum: TEXT, what: 'error messages' },
  { foreground: 'success', background: 'success-soft', minimum: TEXT, what: 'success notes' },
  {
    foreground: 'line-strong',
    background: 'surface-raised',
    minimum: NON_TEXT,
    what: 'form control borders',
  },
  { foreground: 'focus-ink', background: 'focus', minimum: TEXT, what: 'the skip link' },
  // The ring is a light outline inside a dark band: the band is what stands out on a page.
  { foreground: 'focus-ink', background: 'surface', minimum: NON_TEXT, what: 'focus ring' },
];

/** The `--name: value` declarations of a stylesheet's `:root` blocks, later ones winning. */
export function rootTokensOf(css: string): Record<string, string> {
  const tokens: Record<string, string> = {};
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const block of text.matchAll(/:root\s*\{([^}]*)\}/g)) {
    for (const declaration of (block[1] ?? '').matchAll(/--([a-z0-9-]+)\s*:\s*([^;]+);/gi)) {
      tokens[(declaration[1] ?? '').toLowerCase()] = (declaration[2] ?? '').trim();
    }
  }
  return tokens;
}

/**
 * Each pair below AA, as a sentence naming the tokens, the ratio and what they colour.
 * A token that is missing or not a plain colour is a problem too: a check that skipped it
 * would let any value through.
 */
export function themeContrastProblems(tokens: Readonly<Record<string, string>>): string[] {
  const problems = new Set<string>();
  const surface = colourOf(tokens, 'surface', WHITE);
  if (typeof surface === 'string') return [surface];
  for (const pair of THEME_PAIRS) {
    // The background is laid over the page, the foreground over the background.
    const background = colourOf(tokens, pair.background, surface);
    const foreground =
      typeof background === 'string' ? background : colourOf(tokens, pair.foreground, background);
    if (typeof foreground === 'string') {
      problems.add(foreground);
      continue;
    }
    if (typeof background === 'string') continue;
    const ratio = contrastRatio(foreground, background);
    if (ratio < pair.minimum) {
      problems.add(
        `--${pair.foreground} on --${pair.background} (${pair.what}) has contrast ` +
          `${ratio.toFixed(2)}:1, below the ${pair.minimum}:1 WCAG AA asks`,
      );
    }
  }
  return [...problems];
}

const WHITE: Rgb = { r: 255, g: 255, b: 255 };

/**
 * A token's colour, following `var(--other)` references; a translucent colour is laid over
 * `under` (what it is drawn on). A sentence instead when the token cannot be read as a colour.
 */
function colourOf(
  tokens: Readonly<Record<string, string>>,
  name: string,
  under: Rgb,
): Rgb | string {
  let value = tokens[name];
  for (let hops = 0; value !== undefined && hops < 8; hops++) {
    const reference = /^var\(--([a-z0-9-]+)\)$/i.exec(value);
    if (!reference) break;
    value = tokens[(reference[1] ?? '').toLowerCase()];
  }
  if (value === undefined) return `--${name} is not defined`;
  const parsed = parseColour(value);
  if (!parsed) return `--${name}: "${value}" is not a plain colour (#rrggbb or rgb())`;
  return parsed.alpha >= 1 ? parsed.rgb : blend(parsed.rgb, parsed.alpha, under);
}

export function parseColour(value: string): { rgb: Rgb; alpha: number } | null {
  const text = value.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(text);
  if (hex) {
    const digits = hex[1] ?? '';
    const full =
      digits.length === 3
        ? digits
            .split('')
            .map((d) => d + d)
            .join('')
        : digits;
    return {
      rgb: {
        r: parseInt(full.slice(0, 2), 16),
        g: parseInt(full.slice(2, 4), 16),
        b: parseInt(full.slice(4, 6), 16),
      },
      alpha: 1,
    };
  }
  const rgb =
    /^rgba?\(\s*(\d{1,3})[\s,]+(\d{1,3})[\s,]+(\d{1,3})\s*(?:[/,]\s*(\d*\.?\d+)(%?))?\s*\)$/.exec(
      text,
    );
  if (!rgb) return null;
  const channels = [rgb[1], rgb[2], rgb[3]].map(Number);
  if (channels.some((c) => c > 255)) return null;
  const rawAlpha = rgb[4] === undefined ? 1 : Number(rgb[4]) / (rgb[5] === '%' ? 100 : 1);
  return {
    rgb: { r: channels[0] ?? 0, g: channels[1] ?? 0, b: channels[2] ?? 0 },
    alpha: Math.min(1, Math.max(0, rawAlpha)),
  };
}

function blend(top: Rgb, alpha: number, under: Rgb): Rgb {
  const mix = (a: number, b: number) => Math.round(a * alpha + b * (1 - alpha));
  return { r: mix(top.r, under.r), g: mix(top.g, under.g), b: mix(top.b, under.b) };
}

/** WCAG's relative luminance of an sRGB colour. */
export function relativeLuminance({ r, g, b }: Rgb): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** From 1 (the same colour) to 21 (black on white). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}
