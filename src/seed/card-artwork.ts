// Importers predate the split into ./artwork/, so this path stays as a stable entry point.
export {
  MOTIFS,
  artworkHash,
  renderCardSvg,
  type ArtworkSpec,
  type Motif,
  type RenderCardOptions,
} from './artwork/index.js';
