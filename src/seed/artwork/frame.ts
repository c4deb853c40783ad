import { H, W } from './canvas.js';
import { place, use, useShape } from './placement.js';
import type { Scene } from './scene.js';
import { SPARKLE } from './shapes.js';
import { element, escapeXml, stops } from './svg.js';
import type { TitleLayout } from './title.js';

const FONT_STACK = [
  "'Playfair Display'",
  "'Libre Baskerville'",
  "'Cormorant Garamond'",
  'Georgia',
  "'Palatino Linotype'",
  "'Book Antiqua'",
  'serif',
].join(',');

export function drawBackground(s: Scene, glowY: number): string {
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

export function drawBorder(s: Scene): string {
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

export function drawTitle(s: Scene, layout: TitleLayout): string {
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
