export const MOTIFS = [
  'balloons',
  'hearts',
  'flowers',
  'stars',
  'snowflakes',
  'leaves',
  'confetti',
  'waves',
  'sun',
  'gift',
  'tree',
  'rings',
  'fireworks',
  'moon',
  'pumpkin',
  'cake',
] as const;

export type Motif = (typeof MOTIFS)[number];

export interface ArtworkSpec {
  motif: Motif;
  /** Background top, background bottom, motif accent; each `#rrggbb`. */
  palette: [string, string, string];
  seed: number;
}

export interface RenderCardOptions {
  thumbnail?: boolean;
}
