export { MOTIFS, type ArtworkSpec, type Motif, type RenderCardOptions } from './spec.js';
export { artworkHash } from './hash.js';
export { renderCardSvg } from './render.js';
