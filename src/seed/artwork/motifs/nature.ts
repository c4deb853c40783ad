import { H, W } from '../canvas.js';
import { at } from '../list.js';
import { mix, rotateHue } from '../palette.js';
import { place, scatter, use, useShape } from '../placement.js';
import type { Scene } from '../scene.js';
import { bird, cloud, hill, sparkles } from '../scenery.js';
import { LEAF, MAPLE, STAR } from '../shapes.js';
import { element, fmt, stops } from '../svg.js';

const PETAL = 'M0 0C-15-16-14-44 0-54C14-44 15-16 0 0Z';
const LEAF_VEINS = 'M0-54V58M0-22 14-34M0-6 18-20M0 10 16-2M0-22-14-34M0-6-18-20M0 10-16-2';
const CRESCENT_TURN = 1.25;

export function drawFlowers(s: Scene): string {
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

export function drawLeaves(s: Scene): string {
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

export function drawSun(s: Scene): string {
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

export function drawWaves(s: Scene): string {
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

export function drawMoon(s: Scene): string {
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
