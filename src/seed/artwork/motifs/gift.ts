import { W } from '../canvas.js';
import { mix, rotateHue } from '../palette.js';
import type { Scene } from '../scene.js';
import { dots, sparkles } from '../scenery.js';

export function drawGift(s: Scene): string {
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
