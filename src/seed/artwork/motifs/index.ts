import type { Scene } from '../scene.js';
import type { Motif } from '../spec.js';
import type { Zone } from '../title.js';
import { drawBalloons, drawCake, drawConfetti, drawFireworks } from './celebration.js';
import { drawGift } from './gift.js';
import { drawHearts, drawRings } from './love.js';
import { drawFlowers, drawLeaves, drawMoon, drawSun, drawWaves } from './nature.js';
import { drawPumpkin } from './pumpkin.js';
import { drawSnowflakes, drawStars, drawTree } from './winter.js';

// Each motif leaves the title a zone its drawing keeps clear, and centres the background glow
// (as a fraction of the card height) behind its focal point.
export interface MotifStyle {
  zone: Zone;
  glowY: number;
  draw: (s: Scene) => string;
}

export const STYLES: Record<Motif, MotifStyle> = {
  balloons: { zone: 'bottom', glowY: 0.32, draw: drawBalloons },
  hearts: { zone: 'bottom', glowY: 0.4, draw: drawHearts },
  flowers: { zone: 'top', glowY: 0.6, draw: drawFlowers },
  stars: { zone: 'bottom', glowY: 0.4, draw: drawStars },
  snowflakes: { zone: 'middle', glowY: 0.5, draw: drawSnowflakes },
  leaves: { zone: 'middle', glowY: 0.5, draw: drawLeaves },
  confetti: { zone: 'middle', glowY: 0.5, draw: drawConfetti },
  waves: { zone: 'top', glowY: 0.62, draw: drawWaves },
  sun: { zone: 'bottom', glowY: 0.4, draw: drawSun },
  gift: { zone: 'top', glowY: 0.65, draw: drawGift },
  tree: { zone: 'bottom', glowY: 0.42, draw: drawTree },
  rings: { zone: 'bottom', glowY: 0.4, draw: drawRings },
  fireworks: { zone: 'bottom', glowY: 0.35, draw: drawFireworks },
  moon: { zone: 'bottom', glowY: 0.4, draw: drawMoon },
  pumpkin: { zone: 'top', glowY: 0.72, draw: drawPumpkin },
  cake: { zone: 'top', glowY: 0.68, draw: drawCake },
};
