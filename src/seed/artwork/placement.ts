import type { Box, Point } from './canvas.js';
import type { Scene } from './scene.js';
import { element, fmt, type Attrs } from './svg.js';

export function useShape(s: Scene, shape: string, d: string): string {
  return s.def(shape, (id) => element(0, 'path', { id, d }));
}

export function use(s: Scene, id: string, attrs: Attrs = {}): string {
  return s.el('use', { href: `#${id}`, ...attrs });
}

export function place(s: Scene, x: number, y: number, scale: number, rotate = 0): string {
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
export function scatter(
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
