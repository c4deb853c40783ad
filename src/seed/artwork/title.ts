import { H, W, type Box } from './canvas.js';

export type Zone = 'top' | 'middle' | 'bottom';

const MAX_TITLE_CHARS = 64;

export interface TitleLayout {
  lines: string[];
  fontSize: number;
  box: Box;
}

export function cleanTitle(title: string): string {
  const text = String(title)
    // XML 1.0 forbids these even when escaped, and lone surrogates cannot be encoded as UTF-8.
    .replace(/[\u0000-\u001f\u007f\ufffe\uffff]/g, ' ')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(text);
  if (chars.length <= MAX_TITLE_CHARS) return text;
  return `${chars
    .slice(0, MAX_TITLE_CHARS - 1)
    .join('')
    .trimEnd()}…`;
}

/**
 * Rough advance widths (in em) for an italic serif. They err wide, matching the broad fallback
 * serifs of Linux desktops, so the title never spills out of its plaque.
 */
function textWidth(text: string): number {
  let em = 0;
  for (const ch of text) {
    if (ch === ' ') em += 0.32;
    else if (/[iljtfr.,;:'!|]/.test(ch)) em += 0.36;
    else if (/[mwMW]/.test(ch)) em += 0.92;
    else if (/[A-Z]/.test(ch)) em += 0.76;
    else em += 0.6;
  }
  return em;
}

/** Splits words into at most `lineCount` lines, keeping the widest line as narrow as possible. */
function wrap(words: readonly string[], lineCount: number): string[] {
  if (lineCount <= 1 || words.length <= 1) return [words.join(' ')];
  let best: string[] = [words.join(' ')];
  let bestWidth = Number.POSITIVE_INFINITY;
  for (let split = 1; split < words.length; split++) {
    const head = words.slice(0, split).join(' ');
    const rest = wrap(words.slice(split), lineCount - 1);
    const width = Math.max(textWidth(head), ...rest.map(textWidth));
    if (width < bestWidth) {
      bestWidth = width;
      best = [head, ...rest];
    }
  }
  return best;
}

export function layoutTitle(title: string, zone: Zone, thumb: boolean): TitleLayout {
  const words = title.split(' ').filter((w) => w.length > 0);
  const maxPlaque = 470;
  const padX = 28;
  // Thumbnails get relatively larger type so the title stays readable at half size.
  const maxFont = thumb ? 66 : 60;
  const comfortable = thumb ? 58 : 48;
  const maxBlock = thumb ? 180 : 170;
  let chosen: TitleLayout | undefined;
  for (let count = 1; count <= 3; count++) {
    const lines = wrap(words.length > 0 ? words : [''], count);
    const widest = Math.max(0.5, ...lines.map(textWidth));
    const fontSize = Math.max(
      16,
      Math.min(maxFont, (maxPlaque - padX * 2) / widest, maxBlock / (lines.length * 1.15)),
    );
    const candidate = { lines, fontSize, box: { x: 0, y: 0, w: widest * fontSize, h: 0 } };
    if (!chosen || fontSize > chosen.fontSize + 1) chosen = candidate;
    // Fewer lines read better, so only wrap further while the type is still uncomfortably small.
    if (fontSize >= comfortable || lines.length < count) break;
  }
  const layout = chosen as TitleLayout;
  const w = Math.min(maxPlaque, Math.max(thumb ? 330 : 290, layout.box.w + padX * 2));
  const h = layout.lines.length * layout.fontSize * 1.15 + layout.fontSize * 0.7;
  const centre = zone === 'top' ? 165 : zone === 'middle' ? 400 : 650;
  const y = Math.max(56, Math.min(H - 56 - h, centre - h / 2));
  return { ...layout, box: { x: (W - w) / 2, y, w, h } };
}
