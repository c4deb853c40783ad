import type { Box } from './canvas.js';
import { place, scatter, use, useShape } from './placement.js';
import type { Scene } from './scene.js';
import { SPARKLE } from './shapes.js';

/** Path data for triangular rays fanning out from a centre, every other wedge left empty. */
export function rayPath(s: Scene, cx: number, cy: number, count: number, length: number): string {
  return Array.from({ length: count }, (_, i) => {
    const a = (i * 2 * Math.PI) / count;
    const b = a + Math.PI / count;
    const [ax, ay] = [cx + length * Math.cos(a), cy + length * Math.sin(a)];
    const [bx, by] = [cx + length * Math.cos(b), cy + length * Math.sin(b)];
    return s.t`M${cx} ${cy}L${ax} ${ay}L${bx} ${by}Z`;
  }).join('');
}

export function sparkles(
  s: Scene,
  count: number,
  area: Box,
  fill: string,
  avoid: Box[] = [],
): string {
  const id = useShape(s, 'sparkle', SPARKLE);
  return scatter(s, count, area, { avoid, gap: 50 })
    .map((p) => {
      const transform = place(s, p.x, p.y, s.rng.range(0.12, 0.3));
      return use(s, id, { transform, fill, opacity: s.rng.range(0.6, 1) });
    })
    .join('');
}

export function dots(
  s: Scene,
  count: number,
  area: Box,
  colors: readonly string[],
  avoid: Box[] = [],
): string {
  return scatter(s, count, area, { avoid, gap: 26 })
    .map((p) => {
      const r = s.rng.range(2.5, 6);
      return s.el('circle', { cx: p.x, cy: p.y, r, fill: s.rng.pick(colors) });
    })
    .join('');
}

export function hill(s: Scene, y: number, amplitude: number, fill: string, opacity = 1): string {
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

export function cloud(s: Scene, x: number, y: number, size: number, opacity: number): string {
  const r = size;
  const puffs =
    s.el('ellipse', { cx: x, cy: y, rx: r * 1.9, ry: r * 0.62 }) +
    s.el('circle', { cx: x - r * 0.65, cy: y - r * 0.3, r: r * 0.62 }) +
    s.el('circle', { cx: x + r * 0.25, cy: y - r * 0.55, r: r * 0.85 }) +
    s.el('circle', { cx: x + r * 1.05, cy: y - r * 0.15, r: r * 0.5 });
  return s.el('g', { fill: '#fff', opacity }, puffs);
}

export function bird(s: Scene, x: number, y: number, size: number): string {
  const lift = y - size * 0.6;
  return s.el('path', {
    d:
      s.t`M${x - size} ${y}Q${x - size / 2} ${lift} ${x} ${y}` +
      s.t`Q${x + size / 2} ${lift} ${x + size} ${y}`,
  });
}
