import { createHash } from 'node:crypto';

export const MOTIFS = [
  'balloons',
  'hearts',
  'flowers',
  'stars',
  'snowflakes',
  'leaves',
  'confetti',
  'waves',
  'sun',
  'gift',
  'tree',
  'rings',
  'fireworks',
  'moon',
  'pumpkin',
  'cake',
] as const;

export type Motif = (typeof MOTIFS)[number];

export interface ArtworkSpec {
  motif: Motif;
  /** Background top, background bottom, motif accent; each `#rrggbb`. */
  palette: [string, string, string];
  seed: number;
}

export interface RenderCardOptions {
  thumbnail?: boolean;
}

/** Fingerprint for cache-busting image URLs; 12 hex chars keeps URLs short yet collision-safe. */
export function artworkHash(svg: string): string {
  return createHash('sha256').update(svg, 'utf8').digest('hex').slice(0, 12);
}

// Everything is drawn in full-card units; thumbnails are the same scene scaled by one half, so
// only the amount of detail differs between the two renditions.
const W = 600;
const H = 800;
const MAX_TITLE_CHARS = 64;
const FONT_STACK = [
  "'Playfair Display'",
  "'Libre Baskerville'",
  "'Cormorant Garamond'",
  'Georgia',
  "'Palatino Linotype'",
  "'Book Antiqua'",
  'serif',
].join(',');
/** Attributes in the 0..1 range, which keep two decimals even where coordinates keep none. */
const FRACTIONAL = new Set(['opacity', 'stroke-opacity', 'fill-opacity', 'stop-opacity', 'offset']);

type Zone = 'top' | 'middle' | 'bottom';
type Part = string | number;
type Attrs = Record<string, Part | undefined>;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Point {
  x: number;
  y: number;
}

interface Colors {
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

interface Scene {
  readonly rng: Rng;
  readonly thumb: boolean;
  readonly c: Colors;
  readonly title: Box;
  /** Keeps ids unique when several cards are inlined into one page. */
  readonly prefix: string;
  /** Tagged template for path data: prints numbers compactly, coarser in thumbnails. */
  readonly t: (strings: TemplateStringsArray, ...values: Part[]) => string;
  /** One element; numbers print like `t`, undefined attributes are left out. */
  el(name: string, attrs: Attrs, children?: string): string;
  def(name: string, build: (id: string) => string): string;
  many(full: number, thumb: number): number;
  defs(): string;
}

interface MotifStyle {
  zone: Zone;
  glowY: number;
  draw: (s: Scene) => string;
}

class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  // mulberry32: tiny, fast and good enough for placing shapes; state fits in 32 bits.
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let r = this.state;
    r = Math.imul(r ^ (r >>> 15), r | 1);
    r ^= r + Math.imul(r ^ (r >>> 7), r | 61);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  }

  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  int(min: number, max: number): number {
    return Math.floor(this.range(min, max + 1));
  }

  pick<T>(items: readonly T[]): T {
    return at(items, Math.floor(this.next() * items.length));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[((index % items.length) + items.length) % items.length];
  if (item === undefined) throw new Error('Cannot pick from an empty list');
  return item;
}

function fmt(value: number, decimals: number): string {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

function numberTag(decimals: number) {
  return (strings: TemplateStringsArray, ...values: Part[]): string => {
    let out = strings[0] ?? '';
    values.forEach((value, i) => {
      out += typeof value === 'number' ? fmt(value, decimals) : value;
      out += strings[i + 1] ?? '';
    });
    return out;
  };
}

function element(decimals: number, name: string, attrs: Attrs, children?: string): string {
  let out = `<${name}`;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    const text = typeof value === 'number' ? fmt(value, FRACTIONAL.has(key) ? 2 : decimals) : value;
    out += ` ${key}="${text}"`;
  }
  return children === undefined ? `${out}/>` : `${out}>${children}</${name}>`;
}

function stops(...colours: readonly (readonly [number, string, number?])[]): string {
  return colours
    .map(([offset, colour, opacity]) =>
      element(2, 'stop', { offset, 'stop-color': colour, 'stop-opacity': opacity }),
    )
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Colour

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

function mix(a: string, b: string, amount: number): string {
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

function rotateHue(hex: string, degrees: number): string {
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

function deriveColors(palette: readonly string[]): Colors {
  if (!Array.isArray(palette) || palette.length !== 3) {
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

// ---------------------------------------------------------------------------------------------
// Shapes shared by several motifs, in unit sizes of roughly 100 across.

const HEART = [
  'M0 45C-20 30-50 8-50-18C-50-38-36-50-22-50C-10-50-3-42 0-34',
  'C3-42 10-50 22-50C36-50 50-38 50-18C50 8 20 30 0 45Z',
].join('');
const SPARKLE = 'M0-50Q6-6 50 0Q6 6 0 50Q-6 6-50 0Q-6-6 0-50Z';
const PETAL = 'M0 0C-15-16-14-44 0-54C14-44 15-16 0 0Z';
const LEAF = 'M0-60C30-38 30 12 0 42C-30 12-30-38 0-60Z';
const LEAF_VEINS = 'M0-54V58M0-22 14-34M0-6 18-20M0 10 16-2M0-22-14-34M0-6-18-20M0 10-16-2';
const SNOW_ARM_FULL = 'M0 0V-50M0-22-13-35M0-22 13-35M0-36-9-45M0-36 9-45';
const SNOW_ARM_THUMB = 'M0 0V-50M0-26-12-38M0-26 12-38';
const CRESCENT_TURN = 1.25;
const STREAMER = 'M0 0c24 26-24 52 0 78s-24 52 0 78';
const STAR = polygonPath(
  Array.from({ length: 10 }, (_, i) => ({ angle: i * 36, radius: i % 2 === 0 ? 50 : 21 })),
);
// One half of a maple outline (tip, teeth and valleys), mirrored to make the whole leaf.
const MAPLE_HALF: readonly (readonly [number, number])[] = [
  [180, 12],
  [140, 18],
  [118, 30],
  [105, 44],
  [95, 32],
  [78, 22],
  [62, 44],
  [50, 58],
  [38, 44],
  [24, 26],
  [11, 46],
];
const MAPLE = polygonPath([
  ...MAPLE_HALF.map(([angle, radius]) => ({ angle: -angle, radius })),
  { angle: 0, radius: 64 },
  ...[...MAPLE_HALF]
    .reverse()
    .filter(([angle]) => angle < 180)
    .map(([angle, radius]) => ({ angle, radius })),
]);

function polygonPath(points: readonly { angle: number; radius: number }[]): string {
  const t = numberTag(1);
  const corners = points.map((p, i) => {
    const rad = (p.angle * Math.PI) / 180;
    return t`${i === 0 ? 'M' : 'L'}${p.radius * Math.sin(rad)} ${-p.radius * Math.cos(rad)}`;
  });
  return `${corners.join('')}Z`;
}

/** Path data for triangular rays fanning out from a centre, every other wedge left empty. */
function rayPath(s: Scene, cx: number, cy: number, count: number, length: number): string {
  return Array.from({ length: count }, (_, i) => {
    const a = (i * 2 * Math.PI) / count;
    const b = a + Math.PI / count;
    const [ax, ay] = [cx + length * Math.cos(a), cy + length * Math.sin(a)];
    const [bx, by] = [cx + length * Math.cos(b), cy + length * Math.sin(b)];
    return s.t`M${cx} ${cy}L${ax} ${ay}L${bx} ${by}Z`;
  }).join('');
}

function useShape(s: Scene, shape: string, d: string): string {
  return s.def(shape, (id) => element(0, 'path', { id, d }));
}

function use(s: Scene, id: string, attrs: Attrs = {}): string {
  return s.el('use', { href: `#${id}`, ...attrs });
}

function place(s: Scene, x: number, y: number, scale: number, rotate = 0): string {
  // Scale keeps two decimals even in thumbnails, where whole numbers would flatten it to zero.
  const move = s.t`translate(${x} ${y})`;
  const turn = rotate === 0 ? '' : ` rotate(${fmt(rotate, 0)})`;
  return `${move}${turn} scale(${fmt(scale, 2)})`;
}

function inBox(p: Point, b: Box, margin: number): boolean {
  return (
    p.x > b.x - margin && p.x < b.x + b.w + margin && p.y > b.y - margin && p.y < b.y + b.h + margin
  );
}

/** Rejection-sampled scatter so small shapes spread out and keep clear of the title plaque. */
function scatter(
  s: Scene,
  count: number,
  area: Box,
  options: { avoid?: readonly Box[]; gap?: number } = {},
): Point[] {
  const avoid = [s.title, ...(options.avoid ?? [])];
  const gap = options.gap ?? 0;
  const points: Point[] = [];
  for (let i = 0; i < count; i++) {
    let candidate: Point = { x: 0, y: 0 };
    for (let attempt = 0; attempt < 24; attempt++) {
      candidate = {
        x: s.rng.range(area.x, area.x + area.w),
        y: s.rng.range(area.y, area.y + area.h),
      };
      const blocked = avoid.some((b) => inBox(candidate, b, 18));
      const crowded = points.some((p) => Math.hypot(p.x - candidate.x, p.y - candidate.y) < gap);
      if (!blocked && !crowded) break;
    }
    points.push(candidate);
  }
  return points;
}

function sparkles(s: Scene, count: number, area: Box, fill: string, avoid: Box[] = []): string {
  const id = useShape(s, 'sparkle', SPARKLE);
  return scatter(s, count, area, { avoid, gap: 50 })
    .map((p) => {
      const transform = place(s, p.x, p.y, s.rng.range(0.12, 0.3));
      return use(s, id, { transform, fill, opacity: s.rng.range(0.6, 1) });
    })
    .join('');
}

function dots(s: Scene, count: number, area: Box, colors: readonly string[], avoid: Box[] = []) {
  return scatter(s, count, area, { avoid, gap: 26 })
    .map((p) => {
      const r = s.rng.range(2.5, 6);
      return s.el('circle', { cx: p.x, cy: p.y, r, fill: s.rng.pick(colors) });
    })
    .join('');
}

function hill(s: Scene, y: number, amplitude: number, fill: string, opacity = 1): string {
  const { rng } = s;
  const left = y + rng.range(-amplitude, amplitude);
  const right = y + rng.range(-amplitude, amplitude);
  const bend1 = rng.range(120, 250);
  const bend2 = rng.range(330, 480);
  const d =
    s.t`M-10 ${left}C${bend1} ${y - amplitude * 2} ` +
    s.t`${bend2} ${y + amplitude * 1.5} 610 ${right}`;
  return s.el('path', { d: `${d}V810H-10Z`, fill, opacity: opacity < 1 ? opacity : undefined });
}

function cloud(s: Scene, x: number, y: number, size: number, opacity: number): string {
  const r = size;
  const puffs =
    s.el('ellipse', { cx: x, cy: y, rx: r * 1.9, ry: r * 0.62 }) +
    s.el('circle', { cx: x - r * 0.65, cy: y - r * 0.3, r: r * 0.62 }) +
    s.el('circle', { cx: x + r * 0.25, cy: y - r * 0.55, r: r * 0.85 }) +
    s.el('circle', { cx: x + r * 1.05, cy: y - r * 0.15, r: r * 0.5 });
  return s.el('g', { fill: '#fff', opacity }, puffs);
}

function bird(s: Scene, x: number, y: number, size: number): string {
  const lift = y - size * 0.6;
  return s.el('path', {
    d:
      s.t`M${x - size} ${y}Q${x - size / 2} ${lift} ${x} ${y}` +
      s.t`Q${x + size / 2} ${lift} ${x + size} ${y}`,
  });
}

// ---------------------------------------------------------------------------------------------
// Motifs

function drawBalloons(s: Scene): string {
  const { rng, c } = s;
  const count = s.many(7, 4);
  const knotX = W / 2 + rng.range(-16, 16);
  const knotY = Math.min(s.title.y - 26, 600);
  const offset = rng.int(0, c.tints.length - 1);
  const balloons = Array.from({ length: count }, (_, i) => {
    const rx = rng.range(44, 58) * (s.thumb ? 1.15 : 1);
    return {
      x: 95 + ((i + 0.5) * 410) / count + rng.range(-16, 16),
      y: rng.range(130, 350),
      rx,
      ry: rx * 1.2,
      color: at(c.tints, i + offset),
    };
  }).sort((a, b) => a.y - b.y);
  const strings = balloons
    .map((b) => {
      const bottom = b.y + b.ry + 8;
      const bendX = b.x + (knotX - b.x) * 0.15 + rng.range(-24, 24);
      const bendY = (b.y + b.ry + knotY) / 2;
      return s.el('path', { d: s.t`M${b.x} ${bottom}Q${bendX} ${bendY} ${knotX} ${knotY}` });
    })
    .join('');
  const shade = s.thumb
    ? ''
    : s.def('shade', (id) =>
        element(
          2,
          'radialGradient',
          { id, cx: 0.36, cy: 0.32, r: 0.72 },
          stops([0, '#fff', 0.55], [0.45, '#fff', 0], [1, '#000', 0.2]),
        ),
      );
  const bodies = balloons
    .map((b) => {
      const neck = b.y + b.ry;
      const knot = s.el('path', {
        d: s.t`M${b.x - 7} ${neck + 9}L${b.x + 7} ${neck + 9}L${b.x} ${neck - 3}Z`,
        fill: b.color,
      });
      const oval = { cx: b.x, cy: b.y, rx: b.rx, ry: b.ry };
      const body = s.el('ellipse', { ...oval, fill: b.color });
      if (s.thumb) return body + knot;
      const glint = { x: b.x - b.rx * 0.38, y: b.y - b.ry * 0.42 };
      const highlight = s.el('ellipse', {
        cx: glint.x,
        cy: glint.y,
        rx: b.rx * 0.14,
        ry: b.ry * 0.24,
        transform: s.t`rotate(28 ${glint.x} ${glint.y})`,
        fill: '#fff',
        opacity: 0.6,
      });
      return body + s.el('ellipse', { ...oval, fill: `url(#${shade})` }) + highlight + knot;
    })
    .join('');
  const bow =
    s.el('path', {
      d: s.t`M${knotX} ${knotY}l-20-11v22zM${knotX} ${knotY}l20-11v22z`,
      fill: c.deep,
    }) + s.el('circle', { cx: knotX, cy: knotY, r: 5, fill: c.deep });
  const extras = s.thumb
    ? ''
    : dots(s, 12, { x: 50, y: 60, w: 500, h: 680 }, c.tints, [{ x: 80, y: 100, w: 440, h: 360 }]);
  const cords = s.el(
    'g',
    { fill: 'none', stroke: c.ink, 'stroke-opacity': 0.5, 'stroke-width': s.thumb ? '2.4' : '1.6' },
    strings,
  );
  return extras + cords + bodies + bow;
}

function drawHearts(s: Scene): string {
  const { rng, c } = s;
  const id = useShape(s, 'heart', HEART);
  const cx = W / 2;
  const cy = s.title.y > H / 2 ? 320 : 480;
  const layers = [
    { scale: 2.7, fill: c.accent, opacity: 1 },
    { scale: 2.05, fill: c.light, opacity: 0.9 },
    { scale: 1.35, fill: c.paper, opacity: 0.85 },
  ].slice(0, s.thumb ? 2 : 3);
  const tilt = rng.range(-6, 6);
  const center = layers
    .map((l) => {
      const transform = place(s, cx, cy + (2.7 - l.scale) * 6, l.scale, tilt);
      return use(s, id, {
        transform,
        fill: l.fill,
        opacity: l.opacity < 1 ? l.opacity : undefined,
      });
    })
    .join('');
  const core = { x: cx - 150, y: cy - 150, w: 300, h: 280 };
  const area = { x: 60, y: 60, w: 480, h: 680 };
  const small = scatter(s, s.many(16, 7), area, { avoid: [core], gap: 60 })
    .map((p) => {
      const transform = place(s, p.x, p.y, rng.range(0.22, 0.62), rng.range(-28, 28));
      const fill = rng.pick(c.tints);
      return use(s, id, { transform, fill, opacity: rng.range(0.55, 0.95) });
    })
    .join('');
  const glints = s.thumb ? '' : sparkles(s, 5, area, '#fff', [core]);
  return small + center + glints;
}

function drawFlowers(s: Scene): string {
  const { rng, c } = s;
  const petal = useShape(s, 'petal', PETAL);
  const leaf = useShape(s, 'leaf', LEAF);
  const green = mix('#4f8a4b', c.bottom, 0.15);
  const count = s.many(6, 4);
  const top = s.title.y + s.title.h + 95;
  const flowers = Array.from({ length: count }, (_, i) => ({
    x: 95 + ((i + 0.5) * 410) / count + rng.range(-18, 18),
    // Alternate high and low heads so the bunch fills the card rather than forming a row.
    y: i % 2 === 0 ? rng.range(Math.max(top, 320), 430) : rng.range(480, 620),
    r: rng.range(1.15, 1.55),
    color: at(c.tints, i + rng.int(0, 1)),
  })).sort((a, b) => a.y - b.y);
  const stems = flowers
    .map((f) => {
      const baseX = f.x + rng.range(-60, 60);
      const midX = (f.x + baseX) / 2 + rng.range(-35, 35);
      const midY = (f.y + H) / 2;
      const side = rng.chance(0.5) ? 1 : -1;
      const stem = s.el('path', {
        d: s.t`M${baseX} ${H}Q${midX} ${midY} ${f.x} ${f.y}`,
        fill: 'none',
        stroke: green,
        'stroke-width': s.thumb ? 9 : 6,
      });
      const transform = place(s, midX + side * 6, midY + 30, 0.6, side * 55);
      return stem + use(s, leaf, { transform, fill: green });
    })
    .join('');
  const heads = flowers
    .map((f, i) => {
      const n = s.thumb ? 6 : rng.int(6, 9);
      const spin = rng.range(0, 60);
      const petals = Array.from({ length: n }, (_, k) =>
        use(s, petal, { transform: `rotate(${fmt(spin + (k * 360) / n, 0)})` }),
      ).join('');
      // The paler inner ring reuses the outer one instead of repeating every petal.
      const ring = s.thumb ? undefined : `${s.prefix}-f${i}`;
      const inner = ring
        ? use(s, ring, {
            fill: '#fff',
            opacity: '.4',
            transform: `rotate(${fmt(180 / n, 0)}) scale(.6)`,
          })
        : '';
      const centre =
        s.el('circle', { r: 15, fill: c.deep }) +
        s.el('circle', { r: 8, cx: -3, cy: -3, fill: '#ffd56b' });
      const outer = s.el('g', { fill: f.color }, s.el('g', { id: ring }, petals));
      return s.el('g', { transform: place(s, f.x, f.y, f.r) }, outer + inner + centre);
    })
    .join('');
  const meadow = hill(s, 770, 18, mix(green, c.bottom, 0.35), 0.85);
  const falling = s.thumb
    ? ''
    : scatter(s, 7, { x: 60, y: 60, w: 480, h: 300 }, { gap: 70 })
        .map((p) => {
          const transform = place(s, p.x, p.y, rng.range(0.35, 0.55), rng.range(0, 360));
          return use(s, petal, { transform, fill: rng.pick(c.tints), opacity: '.8' });
        })
        .join('');
  return falling + meadow + stems + heads;
}

function drawStars(s: Scene): string {
  const { rng, c } = s;
  const star = useShape(s, 'star', STAR);
  const cx = W / 2;
  const cy = s.title.y > H / 2 ? 320 : 480;
  const rays = rayPath(s, cx, cy, s.thumb ? 12 : 20, 520);
  const burst = s.el('path', { d: rays, fill: '#fff', opacity: c.dark ? '.07' : '.16' });
  const big =
    use(s, star, { transform: place(s, cx, cy, 2.3, rng.range(-8, 8)), fill: c.accent }) +
    (s.thumb
      ? ''
      : use(s, star, { transform: place(s, cx, cy + 4, 1.35, rng.range(-8, 8)), fill: c.light }));
  const core = { x: cx - 130, y: cy - 125, w: 260, h: 240 };
  const colors = [c.accent, c.light, '#fff', mix(c.accent, '#ffd66b', 0.5)];
  const small = scatter(
    s,
    s.many(14, 6),
    { x: 60, y: 60, w: 480, h: 680 },
    { avoid: [core], gap: 60 },
  )
    .map((p) => {
      const transform = place(s, p.x, p.y, rng.range(0.2, 0.55), rng.range(-30, 30));
      return use(s, star, { transform, fill: rng.pick(colors) });
    })
    .join('');
  const glints = sparkles(s, s.many(8, 3), { x: 50, y: 50, w: 500, h: 700 }, '#fff', [core]);
  return burst + small + glints + big;
}

function drawSnowflakes(s: Scene): string {
  const { rng, c } = s;
  const arm = useShape(s, 'arm', s.thumb ? SNOW_ARM_THUMB : SNOW_ARM_FULL);
  const flake = s.def('flake', (id) => {
    const arms = [0, 60, 120, 180, 240, 300].map((a) => use(s, arm, { transform: `rotate(${a})` }));
    return element(0, 'g', { id, fill: 'none', 'stroke-linecap': 'round' }, arms.join(''));
  });
  const flakes = scatter(s, s.many(11, 7), { x: 100, y: 90, w: 400, h: 540 }, { gap: 95 })
    .map((p) => {
      const scale = rng.range(0.45, 1.25) * (s.thumb ? 1.2 : 1);
      return use(s, flake, {
        transform: place(s, p.x, p.y, scale, rng.range(0, 60)),
        stroke: '#ffffff',
        // Strokes scale with the flake, so divide to keep every flake's lines equally bold.
        'stroke-width': fmt((s.thumb ? 7 : 4.5) / scale, 1),
        opacity: rng.range(0.65, 1),
      });
    })
    .join('');
  const flurry = s.thumb
    ? ''
    : dots(s, 28, { x: 40, y: 40, w: 520, h: 660 }, ['#fff', '#fff', mix(c.top, '#ffffff', 0.5)]);
  const drifts =
    hill(s, 730, 14, mix('#ffffff', c.bottom, 0.25), 0.9) + hill(s, 770, 10, '#ffffff', 0.95);
  return flurry + flakes + drifts;
}

function drawLeaves(s: Scene): string {
  const { rng, c } = s;
  const oval = useShape(s, 'leaf', LEAF);
  const maple = useShape(s, 'maple', MAPLE);
  const veins = s.thumb ? '' : useShape(s, 'veins', LEAF_VEINS);
  const colors = [c.accent, rotateHue(c.accent, 22), rotateHue(c.accent, -18), c.deep, '#c9a227'];
  const leaves = scatter(s, s.many(13, 9), { x: 60, y: 60, w: 480, h: 620 }, { gap: 85 })
    .map((p) => {
      const color = rng.pick(colors);
      const transform = place(s, p.x, p.y, rng.range(0.6, 1.15), rng.range(-70, 70));
      const shape = rng.chance(0.55) ? maple : oval;
      const detail = veins
        ? use(s, veins, {
            fill: 'none',
            stroke: mix(color, '#000000', 0.3),
            'stroke-width': '2.5',
          })
        : '';
      return s.el('g', { transform }, use(s, shape, { fill: color }) + detail);
    })
    .join('');
  const ground = hill(s, 775, 12, mix(c.deep, c.bottom, 0.5), 0.5);
  return ground + leaves;
}

function drawConfetti(s: Scene): string {
  const { rng, c } = s;
  const colors = [...c.tints, '#ffffff', '#f4c542'];
  const grow = s.thumb ? 1.5 : 1;
  const streamers = s.thumb
    ? ''
    : s.el(
        'g',
        { fill: 'none', 'stroke-width': 6, 'stroke-linecap': 'round', opacity: '.85' },
        scatter(s, 5, { x: 110, y: 60, w: 380, h: 480 }, { gap: 120 })
          .map((p) => {
            const transform = place(s, p.x, p.y, rng.range(0.7, 1.1), rng.range(-60, 60));
            return s.el('path', { d: STREAMER, transform, stroke: rng.pick(colors) });
          })
          .join(''),
      );
  const pieces = scatter(s, s.many(58, 26), { x: 45, y: 45, w: 510, h: 710 }, { gap: 32 })
    .map((p) => {
      const color = rng.pick(colors);
      if (rng.chance(0.3)) {
        return s.el('circle', { cx: p.x, cy: p.y, r: rng.range(5, 9) * grow, fill: color });
      }
      const w = rng.range(14, 24) * grow;
      const h = w * rng.range(0.4, 0.55);
      const transform = s.t`translate(${p.x} ${p.y}) rotate(${rng.range(0, 180)})`;
      return s.el('rect', { x: -w / 2, y: -h / 2, width: w, height: h, transform, fill: color });
    })
    .join('');
  const popper = s.thumb ? '' : sparkles(s, 5, { x: 50, y: 50, w: 500, h: 700 }, '#fff');
  // Soft rays behind the title give the scattered pieces a centre to burst from.
  const rays = rayPath(s, W / 2, s.title.y + s.title.h / 2, s.thumb ? 12 : 18, 560);
  const burst = s.el('path', { d: rays, fill: '#fff', opacity: '.22' });
  return burst + streamers + pieces + popper;
}

function drawWaves(s: Scene): string {
  const { rng, c } = s;
  const sunX = rng.range(210, 390);
  const horizon = 520;
  const glow = mix(c.accent, '#ffffff', 0.25);
  const sun =
    s.el('circle', { cx: sunX, cy: horizon - 10, r: 120, fill: glow, opacity: '.25' }) +
    s.el('circle', { cx: sunX, cy: horizon - 10, r: 78, fill: glow });
  const bands = s.many(4, 3);
  const waves = Array.from({ length: bands }, (_, i) => {
    const y = horizon + 10 + i * (270 / bands);
    const amp = rng.range(10, 20);
    const wave = rng.range(70, 110);
    // One quadratic crest, then smooth repeats (t) reflect it into a continuous swell.
    let d = s.t`M-20 ${y}q${wave / 4} ${-amp} ${wave / 2} 0`;
    for (let x = -20 + wave / 2; x < W + 20; x += wave / 2) d += s.t`t${wave / 2} 0`;
    // The sea stays blue whatever the sky is doing, deepening towards the foreground.
    const fill = mix(mix(c.bottom, '#2a6f97', 0.35 + (i / bands) * 0.45), c.accent, 0.08);
    return s.el('path', { d: `${d}V${H + 10}H-20Z`, fill, opacity: 0.8 + i * 0.06 });
  }).join('');
  const shimmer = s.thumb
    ? ''
    : s.el(
        'g',
        { stroke: '#fff', 'stroke-width': 3, 'stroke-linecap': 'round', opacity: '.55' },
        Array.from({ length: 7 }, (_, i) => {
          const y = horizon + 40 + i * 26;
          const half = 60 - i * 6 + rng.range(-10, 10);
          const x = sunX + rng.range(-25, 25);
          return s.el('path', { d: s.t`M${x - half} ${y}h${half * 2}` });
        }).join(''),
      );
  const sky = { x: 100, y: s.title.y + s.title.h + 40, w: 400, h: 140 };
  const flock = s.el(
    'g',
    {
      fill: 'none',
      stroke: c.ink,
      'stroke-width': s.thumb ? 5 : 3,
      'stroke-linecap': 'round',
      opacity: '.7',
    },
    scatter(s, s.many(4, 2), sky, { gap: 60 })
      .map((p) => bird(s, p.x, p.y, rng.range(12, 20)))
      .join(''),
  );
  const clouds = s.thumb ? '' : cloud(s, rng.range(120, 220), rng.range(330, 380), 26, 0.75);
  return sun + clouds + waves + shimmer + flock;
}

function drawSun(s: Scene): string {
  const { rng, c } = s;
  const cx = W / 2 + rng.range(-30, 30);
  const cy = 330;
  const rayCount = s.thumb ? 12 : 18;
  const spin = rng.range(0, 20);
  const rays = Array.from({ length: rayCount }, (_, i) => {
    const a = ((spin + (i * 360) / rayCount) * Math.PI) / 180;
    const w = Math.PI / rayCount / 2.4;
    const inner = 128;
    const outer = i % 2 === 0 ? 195 : 170;
    const point = (angle: number, r: number): string =>
      s.t`${cx + r * Math.cos(angle)} ${cy + r * Math.sin(angle)}`;
    return `M${point(a - w, inner)}L${point(a, outer)}L${point(a + w, inner)}Z`;
  }).join('');
  const disc = s.def('disc', (id) =>
    element(
      2,
      'radialGradient',
      { id, cx: 0.4, cy: 0.38, r: 0.7 },
      stops([0, mix(c.accent, '#ffffff', 0.7)], [1, c.accent]),
    ),
  );
  const sun =
    s.el('circle', { cx, cy, r: 150, fill: '#fff', opacity: '.22' }) +
    s.el('path', { d: rays, fill: c.accent }) +
    s.el('circle', { cx, cy, r: 110, fill: `url(#${disc})` });
  const green = mix('#6aa352', c.bottom, 0.3);
  const hills = hill(s, 640, 26, mix(green, '#ffffff', 0.25)) + hill(s, 720, 22, green);
  let sky = '';
  if (!s.thumb) {
    sky += cloud(s, rng.range(110, 170), rng.range(150, 210), 30, 0.9);
    sky += cloud(s, rng.range(430, 490), rng.range(440, 500), 24, 0.8);
    const birds =
      bird(s, rng.range(420, 480), rng.range(110, 160), 16) +
      bird(s, rng.range(480, 520), rng.range(170, 200), 11);
    sky += s.el(
      'g',
      { fill: 'none', stroke: c.ink, 'stroke-width': 3, 'stroke-linecap': 'round', opacity: '.6' },
      birds,
    );
  }
  return sun + sky + hills;
}

function drawGift(s: Scene): string {
  const { c } = s;
  const ribbon = mix(rotateHue(c.accent, 150), '#ffffff', 0.15);
  const box = { x: 180, y: 450, w: 240, h: 200 };
  const lid = { x: box.x - 18, y: box.y - 50, w: box.w + 36, h: 56 };
  const cx = W / 2;
  const polka = s.thumb
    ? ''
    : Array.from({ length: 10 }, (_, i) => {
        const col = i % 5;
        const row = Math.floor(i / 5);
        const x = box.x + 28 + col * 46 + (row % 2) * 20;
        return s.el('circle', { cx: x, cy: box.y + 52 + row * 90, r: 9 });
      }).join('');
  const y = lid.y;
  const loop = (dir: number): string =>
    s.t`M${cx} ${y}C${cx + dir * 30} ${y - 70} ${cx + dir * 110} ${y - 60} ` +
    s.t`${cx + dir * 90} ${y - 16}` +
    s.t`C${cx + dir * 78} ${y + 4} ${cx + dir * 30} ${y - 2} ${cx} ${y}Z`;
  const tails = s.t`M${cx - 8} ${y}l-34 66 14-2 8 14 20-70M${cx + 8} ${y}l34 66-14-2-8 14-20-70`;
  const bow =
    s.el('path', { d: loop(-1) + loop(1), fill: ribbon }) +
    s.el('path', { d: tails, fill: mix(ribbon, '#000000', 0.15) }) +
    s.el('circle', { cx, cy: y, r: 16, fill: mix(ribbon, '#000000', 0.1) });
  const gift =
    s.el('ellipse', {
      cx,
      cy: box.y + box.h + 6,
      rx: box.w * 0.66,
      ry: 16,
      fill: '#000',
      opacity: '.14',
    }) +
    s.el('rect', { x: box.x, y: box.y, width: box.w, height: box.h, fill: c.accent }) +
    (polka ? s.el('g', { fill: '#fff', opacity: '.25' }, polka) : '') +
    s.el('rect', { x: box.x, y: box.y, width: box.w, height: 26, fill: '#000', opacity: '.12' }) +
    s.el('rect', {
      x: lid.x,
      y: lid.y,
      width: lid.w,
      height: lid.h,
      rx: 6,
      fill: mix(c.accent, '#ffffff', 0.12),
    }) +
    s.el('rect', { x: cx - 20, y, width: 40, height: box.y + box.h - y, fill: ribbon }) +
    bow;
  const around = { x: lid.x - 20, y: lid.y - 90, w: lid.w + 40, h: box.h + 160 };
  const extras =
    sparkles(s, s.many(7, 3), { x: 60, y: 60, w: 480, h: 680 }, '#fff', [around]) +
    (s.thumb
      ? ''
      : dots(s, 14, { x: 50, y: 50, w: 500, h: 700 }, [...c.tints, '#f4c542'], [around]));
  return extras + gift;
}

function drawTree(s: Scene): string {
  const { rng, c } = s;
  const green = mix('#2f6f4e', c.bottom, 0.12);
  const cx = W / 2;
  const tiers = [
    { top: 150, bottom: 330, half: 105 },
    { top: 245, bottom: 450, half: 150 },
    { top: 350, bottom: 580, half: 195 },
  ];
  const body = tiers
    .map((t, i) =>
      s.el('path', {
        d:
          s.t`M${cx} ${t.top}L${cx + t.half} ${t.bottom}` +
          s.t`Q${cx} ${t.bottom + 28} ${cx - t.half} ${t.bottom}Z`,
        fill: mix(green, '#000000', i * 0.08),
      }),
    )
    .join('');
  const trunk = s.el('rect', { x: cx - 22, y: 576, width: 44, height: 44, fill: '#6b4530' });
  const garland = s.thumb
    ? ''
    : s.el(
        'g',
        {
          fill: 'none',
          stroke: '#f4d06f',
          'stroke-width': 3,
          'stroke-dasharray': '2 7',
          'stroke-linecap': 'round',
        },
        tiers
          .map((t) => {
            const [x1, y1] = [cx - t.half * 0.62, t.bottom - 62];
            const [x2, y2] = [cx + t.half * 0.7, t.bottom - 80];
            return s.el('path', { d: s.t`M${x1} ${y1}Q${cx} ${t.bottom - 10} ${x2} ${y2}` });
          })
          .join(''),
      );
  const baubleColors = [c.accent, '#f4d06f', '#ffffff', at(c.tints, 1)];
  const baubles = Array.from({ length: s.many(15, 7) }, (_, i) => {
    const t = at(tiers, i);
    const depth = rng.range(0.35, 0.92);
    const y = t.top + (t.bottom - t.top) * depth;
    const x = cx + rng.range(-1, 1) * t.half * depth * 0.85;
    const r = rng.range(7, 11) * (s.thumb ? 1.4 : 1);
    return s.el('circle', { cx: x, cy: y, r, fill: rng.pick(baubleColors) });
  }).join('');
  const star = useShape(s, 'star', STAR);
  const topper = use(s, star, { transform: place(s, cx, 140, 0.75), fill: '#f4d06f' });
  const ground = hill(s, 625, 8, '#ffffff', 0.92);
  const snow = s.thumb
    ? ''
    : dots(s, 26, { x: 40, y: 40, w: 520, h: 600 }, ['#fff'], [{ x: 100, y: 130, w: 400, h: 470 }]);
  // A tall title plaque (thumbnails, long titles) would hide the lower branches, so the tree
  // shrinks towards its star until it clears the plaque.
  const fit = Math.min(1, (s.title.y - 14 - 120) / (620 - 120));
  const tree = trunk + body + garland + baubles + topper;
  const shift = s.t`translate(${cx * (1 - fit)} ${120 * (1 - fit)})`;
  return (
    snow +
    ground +
    (fit < 1 ? s.el('g', { transform: `${shift} scale(${fmt(fit, 3)})` }, tree) : tree)
  );
}

function drawRings(s: Scene): string {
  const { rng, c } = s;
  const cy = s.title.y > H / 2 ? 320 : 480;
  const r = 96;
  const left = W / 2 - 58;
  const right = W / 2 + 58;
  // One gradient in user space, so both rings and the overlapping arc shade identically.
  const gold = s.def('gold', (id) =>
    s.el(
      'linearGradient',
      {
        id,
        gradientUnits: 'userSpaceOnUse',
        x1: left - r,
        y1: cy - r,
        x2: right + r,
        y2: cy + r,
      },
      stops([0, '#fff3c4'], [0.45, '#d9a931'], [1, '#9c7416']),
    ),
  );
  const band = { fill: 'none', stroke: `url(#${gold})`, 'stroke-width': 19 };
  const ring = (x: number): string => s.el('circle', { cx: x, cy, r, ...band });
  // Redrawing the left ring where it crosses below the right one makes the pair look linked.
  const crossing = Math.atan2(Math.sqrt(r * r - 58 * 58), 58);
  const [from, to] = [crossing - 0.4, crossing + 0.4];
  const arc =
    s.t`M${left + r * Math.cos(from)} ${cy + r * Math.sin(from)}` +
    s.t`A${r} ${r} 0 0 1 ${left + r * Math.cos(to)} ${cy + r * Math.sin(to)}`;
  const link = s.el('path', { d: arc, ...band });
  const gem =
    s.el('path', {
      d: s.t`M${right} ${cy - r - 30}l15 15-15 19-15-19z`,
      fill: '#eaf6ff',
      stroke: '#b9d6e8',
      'stroke-width': 2,
    }) + (s.thumb ? '' : sparkles(s, 3, { x: right - 30, y: cy - r - 70, w: 60, h: 30 }, '#fff'));
  const leaf = useShape(s, 'leaf', LEAF);
  const green = mix('#6f9468', c.bottom, 0.2);
  const wreath = 170;
  const steps = s.many(7, 4);
  const onWreath = (a: number): Point => ({
    x: W / 2 + wreath * Math.cos(a),
    y: cy + wreath * Math.sin(a),
  });
  // Two sprigs curve up from beneath the rings, leaves alternating either side of the stem.
  const sprigs = [-1, 1]
    .map((side) => {
      const angle = (k: number): number => ((90 - side * (14 + (k * 80) / steps)) * Math.PI) / 180;
      const start = onWreath(angle(0));
      const sweep = side > 0 ? 0 : 1;
      const end = onWreath(angle(steps));
      const stem = s.el('path', {
        d: s.t`M${start.x} ${start.y}A${wreath} ${wreath} 0 0 ${sweep} ${end.x} ${end.y}`,
        fill: 'none',
        stroke: green,
        'stroke-width': 3,
      });
      const leaves = Array.from({ length: steps }, (_, k) => {
        const a = angle(k + 0.6);
        const p = onWreath(a);
        const heading = (Math.atan2(-side * Math.cos(a), side * Math.sin(a)) * 180) / Math.PI;
        const tilt = k % 2 === 0 ? 32 : -32;
        return use(s, leaf, { transform: place(s, p.x, p.y, 0.36, heading + 180 + tilt) });
      }).join('');
      return stem + leaves;
    })
    .join('');
  const laurel = s.el('g', { fill: green }, sprigs);
  const heart = useShape(s, 'heart', HEART);
  const core = { x: 90, y: cy - 170, w: 420, h: 370 };
  const colors = [c.accent, c.light, '#fff'];
  const petals = scatter(
    s,
    s.many(12, 5),
    { x: 60, y: 60, w: 480, h: 680 },
    { avoid: [core], gap: 70 },
  )
    .map((p) => {
      const transform = place(s, p.x, p.y, rng.range(0.18, 0.4), rng.range(-30, 30));
      return use(s, heart, { transform, fill: rng.pick(colors), opacity: rng.range(0.6, 0.95) });
    })
    .join('');
  const halo = s.el('circle', { cx: W / 2, cy, r: 190, fill: '#fff', opacity: '.3' });
  return petals + halo + laurel + ring(left) + ring(right) + link + gem;
}

function drawFireworks(s: Scene): string {
  const { rng, c } = s;
  const colors = [c.accent, '#ffd66b', at(c.tints, 1), '#ffffff', at(c.tints, 3)];
  const centres = scatter(s, s.many(4, 3), { x: 140, y: 120, w: 320, h: 360 }, { gap: 180 });
  const bursts = centres
    .map((p, i) => {
      const radius = rng.range(70, 115) * (s.thumb ? 1.15 : 1);
      const spokes = s.thumb ? 12 : rng.int(14, 20);
      let lines = '';
      let tips = '';
      for (let k = 0; k < spokes; k++) {
        const a = (k * 2 * Math.PI) / spokes + rng.range(-0.05, 0.05);
        const [cos, sin] = [Math.cos(a), Math.sin(a)];
        const inner = radius * 0.25;
        lines += s.t`M${p.x + cos * inner} ${p.y + sin * inner}`;
        lines += s.t`L${p.x + cos * radius} ${p.y + sin * radius}`;
        // Near-zero segments with round caps draw the sparks at the tips as dots.
        if (!s.thumb) tips += s.t`M${p.x + cos * radius * 1.14} ${p.y + sin * radius * 1.14}h.1`;
      }
      let trail = '';
      if (!s.thumb) {
        const launch = p.x + rng.range(-40, 40);
        const bend = p.x + rng.range(-30, 30);
        trail = s.el('path', {
          d: s.t`M${launch} 760Q${bend} ${(p.y + 760) / 2} ${p.x} ${p.y + radius * 0.3}`,
          'stroke-width': 2,
          opacity: '.35',
          'stroke-dasharray': '3 9',
        });
      }
      const spray =
        trail +
        s.el('path', { d: lines, 'stroke-width': s.thumb ? 6 : 3.5 }) +
        (tips ? s.el('path', { d: tips, 'stroke-width': 7 }) : '');
      return s.el('g', { stroke: at(colors, i), 'stroke-linecap': 'round', fill: 'none' }, spray);
    })
    .join('');
  const sky = s.thumb
    ? ''
    : dots(s, 22, { x: 40, y: 40, w: 520, h: 700 }, ['#ffffff', '#ffe9a8'], []) +
      sparkles(s, 5, { x: 50, y: 50, w: 500, h: 600 }, '#fff');
  const skyline = Array.from({ length: 12 }, (_, i) => {
    const h = rng.range(30, 95);
    return s.el('rect', { x: i * 50, y: H - h, width: 51, height: h });
  }).join('');
  const city = s.el('g', { fill: mix(c.bottom, '#000000', 0.45), opacity: '.85' }, skyline);
  return sky + bursts + city;
}

function drawMoon(s: Scene): string {
  const { rng, c } = s;
  const cx = W / 2 + rng.range(-20, 20);
  const cy = s.title.y > H / 2 ? 320 : 470;
  const r = 120;
  const moonColor = c.dark ? '#fff4cf' : mix(c.accent, '#ffffff', 0.25);
  // Outer half circle back along a wider, shallower arc: a crescent with horns at top and bottom.
  const inner = r * CRESCENT_TURN;
  const crescent = s.el('path', {
    d: s.t`M0 ${-r}A${r} ${r} 0 1 0 0 ${r}A${inner} ${inner} 0 0 1 0 ${-r}Z`,
    transform: s.t`translate(${cx + 30} ${cy}) rotate(${rng.range(-28, -12)})`,
    fill: moonColor,
  });
  const halo = s.el('circle', {
    cx,
    cy,
    r: r * 1.45,
    fill: '#fff',
    opacity: c.dark ? '.08' : '.25',
  });
  const star = useShape(s, 'star', STAR);
  const core = { x: cx - 170, y: cy - 160, w: 340, h: 320 };
  const area = { x: 60, y: 60, w: 480, h: 680 };
  const colors = ['#fff6d5', moonColor, c.light];
  const stars = scatter(s, s.many(12, 5), area, { avoid: [core], gap: 70 })
    .map((p) => {
      const transform = place(s, p.x, p.y, rng.range(0.16, 0.4), rng.range(-30, 30));
      return use(s, star, { transform, fill: rng.pick(colors) });
    })
    .join('');
  const hanging = s.thumb
    ? ''
    : [0, 1]
        .map((i) => {
          const x = cx + (i === 0 ? -120 : 130) + rng.range(-10, 10);
          const len = rng.range(70, 130);
          const thread = s.el('path', {
            d: s.t`M${x} 30V${len}`,
            stroke: moonColor,
            'stroke-width': '1.5',
            opacity: '.8',
          });
          return thread + use(s, star, { transform: place(s, x, len + 16, 0.36), fill: moonColor });
        })
        .join('') + sparkles(s, 4, area, '#fff', [core]);
  const clouds =
    cloud(s, cx - 90, cy + r * 0.95, 34, 0.92) +
    (s.thumb ? '' : cloud(s, cx + 130, cy + r * 0.7, 24, 0.75));
  return stars + hanging + halo + crescent + clouds;
}

function drawPumpkin(s: Scene): string {
  const { rng, c } = s;
  const leaf = useShape(s, 'maple', MAPLE);
  const ground = 690;
  const ribs = [
    { dx: -0.55, rx: 0.48, shine: 0 },
    { dx: 0.55, rx: 0.48, shine: 0 },
    { dx: -0.25, rx: 0.5, shine: 0.04 },
    { dx: 0.25, rx: 0.5, shine: 0.04 },
    { dx: 0, rx: 0.42, shine: 0.1 },
  ];
  const pumpkin = (x: number, base: number, scale: number, color: string): string => {
    const h = 170 * scale;
    const cy = base - h / 2;
    const body = ribs
      .map((rib) =>
        s.el('ellipse', {
          cx: x + rib.dx * 150 * scale,
          cy,
          rx: rib.rx * 150 * scale,
          ry: h / 2,
          fill: mix(color, '#ffffff', rib.shine),
          stroke: mix(color, '#000000', 0.25),
          'stroke-width': 2.5 * scale + 0.5,
        }),
      )
      .join('');
    const stem = s.el('path', {
      d:
        s.t`M${x - 8 * scale} ${cy - h / 2 + 6}q2-30 ${-6 * scale} ${-42 * scale}` +
        s.t`l${22 * scale} ${-4 * scale}q${4 * scale} 24 ${2 * scale} ${46 * scale}z`,
      fill: '#5d6b32',
    });
    return body + stem;
  };
  const main = pumpkin(W / 2, ground, 1, c.accent);
  const side = s.thumb
    ? ''
    : pumpkin(W / 2 - 175, ground + 8, 0.45, mix(c.accent, '#f2d16b', 0.5)) +
      pumpkin(W / 2 + 180, ground + 6, 0.52, mix(c.accent, '#b5533a', 0.4));
  const vine = s.thumb
    ? ''
    : s.el('path', {
        d: s.t`M${W / 2 + 10} ${ground - 165}c30-20 60 0 50 20s-30 10-24-4`,
        fill: 'none',
        stroke: '#5d6b32',
        'stroke-width': 3,
      }) +
      use(s, leaf, { transform: place(s, W / 2 - 40, ground - 172, 0.45, -40), fill: '#6f8a3a' });
  const colors = [c.accent, rotateHue(c.accent, 20), c.deep, '#c9a227'];
  const leaves = scatter(s, s.many(9, 4), { x: 60, y: 60, w: 480, h: 420 }, { gap: 85 })
    .map((p) => {
      const transform = place(s, p.x, p.y, rng.range(0.45, 0.85), rng.range(-60, 60));
      return use(s, leaf, { transform, fill: rng.pick(colors), opacity: '.9' });
    })
    .join('');
  const field = hill(s, ground + 10, 8, mix(c.deep, c.bottom, 0.55), 0.6);
  return leaves + field + side + main + vine;
}

function drawCake(s: Scene): string {
  const { rng, c } = s;
  const cx = W / 2;
  const lower = { x: 165, y: 565, w: 270, h: 120 };
  const upper = { x: 215, y: 465, w: 170, h: 100 };
  const drip = (b: Box): string => {
    let d = s.t`M${b.x} ${b.y}h${b.w}v20`;
    const n = s.thumb ? 4 : 6;
    const q = b.w / n / 4;
    for (let i = 0; i < n; i++) {
      const depth = rng.range(10, 32);
      d += s.t`q${-q} 0 ${-q} ${depth}t${-q} 0v${-depth + 6}q0-6${-q * 2}-6`;
    }
    return s.el('path', { d: `${d}Z`, fill: '#fff7ef' });
  };
  const tier = (b: Box, color: string): string =>
    s.el('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 10, fill: color }) + drip(b);
  const candleCount = s.many(5, 3);
  const candles = Array.from({ length: candleCount }, (_, i) => {
    const x = upper.x + 28 + (i * (upper.w - 56)) / Math.max(1, candleCount - 1);
    const top = upper.y - 58;
    return (
      s.el('rect', { x: x - 6, y: top, width: 12, height: 58, rx: 3, fill: at(c.tints, i + 1) }) +
      s.el('path', { d: s.t`M${x} ${top - 34}q14 20 0 28q-14-8 0-28z`, fill: '#ffb347' }) +
      (s.thumb
        ? ''
        : s.el('circle', { cx: x, cy: top - 16, r: 16, fill: '#ffd66b', opacity: '.3' }))
    );
  }).join('');
  const sprinkles = s.thumb
    ? ''
    : s.el(
        'g',
        { 'stroke-width': 4, 'stroke-linecap': 'round' },
        [lower, upper]
          .flatMap((b) =>
            Array.from({ length: 7 }, () => {
              const x = rng.range(b.x + 14, b.x + b.w - 14);
              const y = rng.range(b.y + 44, b.y + b.h - 14);
              const a = rng.range(0, Math.PI);
              const d = s.t`M${x} ${y}l${Math.cos(a) * 8} ${Math.sin(a) * 8}`;
              return s.el('path', { d, stroke: rng.pick(c.tints) });
            }),
          )
          .join(''),
      );
  const plate = s.el('ellipse', {
    cx,
    cy: lower.y + lower.h + 4,
    rx: 180,
    ry: 20,
    fill: '#fff',
    opacity: '.85',
  });
  const flags = s.many(11, 7);
  const sag = s.title.y + s.title.h + 30;
  const bunting = Array.from({ length: flags }, (_, i) => {
    const t = (i + 0.5) / flags;
    const x = 50 + t * 500;
    const y = sag + Math.sin(t * Math.PI) * 36;
    const d = s.t`M${x - 19} ${y - 4}L${x + 19} ${y + 4}L${x} ${y + 44}Z`;
    return s.el('path', { d, fill: at(c.tints, i) });
  }).join('');
  const cord = s.el('path', {
    d: s.t`M40 ${sag - 6}Q${cx} ${sag + 72} 560 ${sag - 6}`,
    fill: 'none',
    stroke: c.deep,
    'stroke-width': 2,
  });
  const extras = s.thumb
    ? ''
    : dots(s, 10, { x: 50, y: sag + 60, w: 500, h: 600 }, c.tints, [
        { x: 150, y: 360, w: 300, h: 360 },
      ]);
  // Tiers last: their drips draw on the generator after the sprinkles, keeping layouts stable.
  const cake = tier(lower, c.accent) + tier(upper, mix(c.accent, '#ffffff', 0.3));
  return cord + bunting + extras + plate + cake + sprinkles + candles;
}

const STYLES: Record<Motif, MotifStyle> = {
  balloons: { zone: 'bottom', glowY: 0.32, draw: drawBalloons },
  hearts: { zone: 'bottom', glowY: 0.4, draw: drawHearts },
  flowers: { zone: 'top', glowY: 0.6, draw: drawFlowers },
  stars: { zone: 'bottom', glowY: 0.4, draw: drawStars },
  snowflakes: { zone: 'middle', glowY: 0.5, draw: drawSnowflakes },
  leaves: { zone: 'middle', glowY: 0.5, draw: drawLeaves },
  confetti: { zone: 'middle', glowY: 0.5, draw: drawConfetti },
  waves: { zone: 'top', glowY: 0.62, draw: drawWaves },
  sun: { zone: 'bottom', glowY: 0.4, draw: drawSun },
  gift: { zone: 'top', glowY: 0.65, draw: drawGift },
  tree: { zone: 'bottom', glowY: 0.42, draw: drawTree },
  rings: { zone: 'bottom', glowY: 0.4, draw: drawRings },
  fireworks: { zone: 'bottom', glowY: 0.35, draw: drawFireworks },
  moon: { zone: 'bottom', glowY: 0.4, draw: drawMoon },
  pumpkin: { zone: 'top', glowY: 0.72, draw: drawPumpkin },
  cake: { zone: 'top', glowY: 0.68, draw: drawCake },
};

// ---------------------------------------------------------------------------------------------
// Title

interface TitleLayout {
  lines: string[];
  fontSize: number;
  box: Box;
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function cleanTitle(title: string): string {
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

function layoutTitle(title: string, zone: Zone, thumb: boolean): TitleLayout {
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

function drawTitle(s: Scene, layout: TitleLayout): string {
  const { box, fontSize, lines } = layout;
  const { c } = s;
  const tailTop = box.y + box.h * 0.42;
  const half = box.h * 0.25;
  // Ribbon ends peeking out from behind the plaque, each cut with a swallowtail notch.
  const tail = (edge: number, dir: number): string =>
    s.el('path', {
      d:
        s.t`M${edge + dir * 14} ${tailTop}H${edge - dir * 30}` +
        s.t`l${dir * 14} ${half}l${-dir * 14} ${half}H${edge + dir * 14}Z`,
    });
  const ribbon = s.el('g', { fill: c.deep }, tail(box.x, 1) + tail(box.x + box.w, -1));
  const frame = { x: box.x, y: box.y, width: box.w, height: box.h, rx: 14 };
  const shadow = s.el('rect', { ...frame, y: box.y + 6, fill: '#000', opacity: '.13' });
  const plaque = s.el('rect', {
    ...frame,
    fill: c.paper,
    stroke: c.trim,
    'stroke-width': s.thumb ? 4 : 2.5,
  });
  const rule = s.thumb
    ? ''
    : s.el('rect', {
        x: box.x + 8,
        y: box.y + 8,
        width: box.w - 16,
        height: box.h - 16,
        rx: 9,
        fill: 'none',
        stroke: c.trim,
        'stroke-opacity': '.45',
      });
  const lineHeight = fontSize * 1.15;
  // 0.34em drops the baseline so the block's visual centre, not its baseline, is centred.
  const first = box.y + box.h / 2 - ((lines.length - 1) * lineHeight) / 2 + fontSize * 0.34;
  const spans = lines
    .map((line, i) => s.el('tspan', { x: W / 2, y: first + i * lineHeight }, escapeXml(line)))
    .join('');
  const text = s.el(
    'text',
    {
      'text-anchor': 'middle',
      'font-family': FONT_STACK,
      'font-style': 'italic',
      'font-size': fontSize,
      fill: c.ink,
    },
    spans,
  );
  return ribbon + shadow + plaque + rule + text;
}

// ---------------------------------------------------------------------------------------------
// Frame

function drawBackground(s: Scene, glowY: number): string {
  const { c } = s;
  const bg = s.def('bg', (id) =>
    element(
      2,
      'linearGradient',
      { id, x1: 0, y1: 0, x2: 0.25, y2: 1 },
      stops([0, c.top], [1, c.bottom]),
    ),
  );
  const glow = s.def('glow', (id) =>
    element(
      2,
      'radialGradient',
      { id, cx: 0.5, cy: glowY, r: 0.6 },
      stops([0, '#fff', c.dark ? 0.16 : 0.5], [1, '#fff', 0]),
    ),
  );
  const bokeh = s.thumb
    ? ''
    : Array.from({ length: 6 }, () => {
        const [cx, cy, r] = [s.rng.range(0, W), s.rng.range(0, H), s.rng.range(24, 80)];
        return s.el('circle', { cx, cy, r, fill: '#fff', opacity: s.rng.range(0.05, 0.13) });
      }).join('');
  return (
    s.el('rect', { width: W, height: H, fill: `url(#${bg})` }) +
    s.el('rect', { width: W, height: H, fill: `url(#${glow})` }) +
    bokeh
  );
}

function drawBorder(s: Scene): string {
  const { c } = s;
  const outer = { x: 18, y: 18, width: 564, height: 764, rx: 18, fill: 'none' };
  if (s.thumb) {
    return s.el('rect', { ...outer, stroke: c.line, 'stroke-width': 6, opacity: '.8' });
  }
  const sparkle = useShape(s, 'sparkle', SPARKLE);
  const corners = [
    [34, 34],
    [566, 34],
    [34, 766],
    [566, 766],
  ]
    .map(([x = 0, y = 0]) => use(s, sparkle, { transform: place(s, x, y, 0.2) }))
    .join('');
  const lines =
    s.el('rect', { ...outer, fill: undefined, 'stroke-width': 3 }) +
    s.el('rect', {
      x: 34,
      y: 34,
      width: 532,
      height: 732,
      rx: 8,
      'stroke-width': 2,
      'stroke-dasharray': '1 7',
      'stroke-linecap': 'round',
    });
  return (
    s.el('g', { fill: 'none', stroke: c.line, opacity: '.85' }, lines) +
    s.el('g', { fill: c.line }, corners)
  );
}

function createScene(spec: ArtworkSpec, colors: Colors, title: Box, thumb: boolean): Scene {
  const prefix = `a${(spec.seed >>> 0).toString(36)}`;
  const decimals = thumb ? 0 : 1;
  const defs = new Map<string, string>();
  return {
    rng: new Rng(spec.seed),
    thumb,
    c: colors,
    title,
    prefix,
    t: numberTag(decimals),
    el: (name, attrs, children) => element(decimals, name, attrs, children),
    def(name, build) {
      const id = `${prefix}-${name}`;
      if (!defs.has(id)) defs.set(id, build(id));
      return id;
    },
    many: (full, small) => (thumb ? small : full),
    defs: () => [...defs.values()].join(''),
  };
}

/**
 * Renders a card as a standalone SVG document. The output only ever contains shapes,
 * gradients and same-document references, so it is safe to serve from our own origin.
 */
export function renderCardSvg(
  spec: ArtworkSpec,
  title: string,
  options: RenderCardOptions = {},
): string {
  if (!(MOTIFS as readonly string[]).includes(spec.motif)) {
    throw new Error(`Unknown artwork motif: ${JSON.stringify(spec.motif)}`);
  }
  const thumb = options.thumbnail === true;
  const style = STYLES[spec.motif];
  const colors = deriveColors(spec.palette);
  const text = cleanTitle(title);
  const layout = layoutTitle(text, style.zone, thumb);
  const s = createScene({ ...spec, seed: Number(spec.seed) || 0 }, colors, layout.box, thumb);
  const background = drawBackground(s, style.glowY);
  const art = style.draw(s);
  const body = background + art + drawTitle(s, layout) + drawBorder(s);
  const width = thumb ? W / 2 : W;
  const height = thumb ? H / 2 : H;
  const label = escapeXml(text);
  const root = {
    xmlns: 'http://www.w3.org/2000/svg',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': label,
  };
  const content =
    `<title>${label}</title><defs>${s.defs()}</defs>` +
    (thumb ? s.el('g', { transform: 'scale(.5)' }, body) : body);
  return element(0, 'svg', root, content);
}
