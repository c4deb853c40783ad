import { at } from './list.js';

export interface Colors {
  top: string;
  bottom: string;
  accent: string;
  light: string;
  deep: string;
  trim: string;
  ink: string;
  paper: string;
  line: string;
  tints: readonly string[];
  dark: boolean;
}

type Rgb = [number, number, number];

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

function parseHex(hex: string): Rgb {
  // The palette ends up inside attribute values, so anything but a plain hex colour is rejected
  // rather than escaped: that keeps stored artwork free of injected markup.
  if (!HEX_COLOR.test(hex)) throw new Error(`Invalid palette colour: ${JSON.stringify(hex)}`);
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: Rgb): string {
  const clamp = (v: number): number => Math.max(0, Math.min(255, Math.round(v)));
  return `#${((1 << 24) | (clamp(r) << 16) | (clamp(g) << 8) | clamp(b)).toString(16).slice(1)}`;
}

export function mix(a: string, b: string, amount: number): string {
  const x = parseHex(a);
  const y = parseHex(b);
  return toHex([
    x[0] + (y[0] - x[0]) * amount,
    x[1] + (y[1] - x[1]) * amount,
    x[2] + (y[2] - x[2]) * amount,
  ]);
}

function luminance(hex: string): number {
  const channel = (v: number): number => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = parseHex(hex);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

export function rotateHue(hex: string, degrees: number): string {
  const [r, g, b] = parseHex(hex).map((v) => v / 255) as Rgb;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return hex;
  const s = d / (1 - Math.abs(2 * l - 1));
  let h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  h = (((h * 60 + degrees) % 360) + 360) % 360;
  const chroma = (1 - Math.abs(2 * l - 1)) * s;
  const x = chroma * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - chroma / 2;
  const sectors: readonly Rgb[] = [
    [chroma, x, 0],
    [x, chroma, 0],
    [0, chroma, x],
    [0, x, chroma],
    [x, 0, chroma],
    [chroma, 0, x],
  ];
  return toHex(at(sectors, Math.floor(h / 60)).map((v) => (v + m) * 255) as Rgb);
}

export function deriveColors(palette: readonly string[]): Colors {
  if (palette.length !== 3) {
    throw new Error('Artwork palette needs exactly three colours');
  }
  const [top, bottom, accent] = palette.map((hex) => toHex(parseHex(hex))) as [
    string,
    string,
    string,
  ];
  const paper = '#fffdf7';
  const background = (luminance(top) + luminance(bottom)) / 2;
  const deep = mix(accent, '#1b1320', 0.32);
  let ink = mix(accent, '#1b1320', 0.55);
  // Darken until the title passes WCAG AAA on the plaque, whatever accent the palette brings.
  for (let i = 0; i < 8 && contrast(ink, paper) < 7; i++) ink = mix(ink, '#000000', 0.3);
  return {
    top,
    bottom,
    accent,
    light: mix(accent, '#ffffff', 0.45),
    deep,
    trim: contrast(accent, paper) > 2 ? accent : deep,
    ink,
    paper,
    line: background > 0.62 ? mix(accent, '#ffffff', 0.15) : '#ffffff',
    tints: [
      accent,
      mix(rotateHue(accent, 30), '#ffffff', 0.1),
      mix(accent, '#ffffff', 0.35),
      mix(rotateHue(accent, -30), '#ffffff', 0.1),
      mix(rotateHue(accent, 180), '#ffffff', 0.2),
    ],
    dark: background < 0.18,
  };
}
