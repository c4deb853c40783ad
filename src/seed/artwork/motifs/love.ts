import { H, W, type Point } from '../canvas.js';
import { mix } from '../palette.js';
import { place, scatter, use, useShape } from '../placement.js';
import type { Scene } from '../scene.js';
import { sparkles } from '../scenery.js';
import { LEAF } from '../shapes.js';
import { stops } from '../svg.js';

const HEART = [
  'M0 45C-20 30-50 8-50-18C-50-38-36-50-22-50C-10-50-3-42 0-34',
  'C3-42 10-50 22-50C36-50 50-38 50-18C50 8 20 30 0 45Z',
].join('');

export function drawHearts(s: Scene): string {
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

export function drawRings(s: Scene): string {
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
