// Everything is drawn in full-card units; thumbnails are the same scene scaled by one half, so
// only the amount of detail differs between the two renditions.
export const W = 600;
export const H = 800;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Point {
  x: number;
  y: number;
}
