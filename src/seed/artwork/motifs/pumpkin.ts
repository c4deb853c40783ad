import { W } from '../canvas.js';
import { mix, rotateHue } from '../palette.js';
import { place, scatter, use, useShape } from '../placement.js';
import type { Scene } from '../scene.js';
import { hill } from '../scenery.js';
import { MAPLE } from '../shapes.js';

export function drawPumpkin(s: Scene): string {
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
