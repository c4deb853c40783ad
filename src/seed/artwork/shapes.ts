import { numberTag } from './svg.js';

// Shapes shared by several motifs, in unit sizes of roughly 100 across.

export const SPARKLE = 'M0-50Q6-6 50 0Q6 6 0 50Q-6 6-50 0Q-6-6 0-50Z';
export const LEAF = 'M0-60C30-38 30 12 0 42C-30 12-30-38 0-60Z';
export const STAR = polygonPath(
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
export const MAPLE = polygonPath([
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
