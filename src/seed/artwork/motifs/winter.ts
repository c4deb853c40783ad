import { H, W } from '../canvas.js';
import { at } from '../list.js';
import { mix } from '../palette.js';
import { place, scatter, use, useShape } from '../placement.js';
import type { Scene } from '../scene.js';
import { dots, hill, rayPath, sparkles } from '../scenery.js';
import { STAR } from '../shapes.js';
import { element, fmt } from '../svg.js';

const SNOW_ARM_FULL = 'M0 0V-50M0-22-13-35M0-22 13-35M0-36-9-45M0-36 9-45';
const SNOW_ARM_THUMB = 'M0 0V-50M0-26-12-38M0-26 12-38';

export function drawSnowflakes(s: Scene): string {
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

export function drawTree(s: Scene): string {
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

export function drawStars(s: Scene): string {
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
