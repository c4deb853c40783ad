import { H, W, type Box } from '../canvas.js';
import { at } from '../list.js';
import { mix } from '../palette.js';
import { place, scatter } from '../placement.js';
import type { Scene } from '../scene.js';
import { dots, rayPath, sparkles } from '../scenery.js';
import { element, stops } from '../svg.js';

const STREAMER = 'M0 0c24 26-24 52 0 78s-24 52 0 78';

export function drawBalloons(s: Scene): string {
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

export function drawConfetti(s: Scene): string {
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

export function drawFireworks(s: Scene): string {
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

export function drawCake(s: Scene): string {
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
