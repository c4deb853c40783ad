import { H, W } from './canvas.js';
import { drawBackground, drawBorder, drawTitle } from './frame.js';
import { STYLES } from './motifs/index.js';
import { deriveColors } from './palette.js';
import { createScene } from './scene.js';
import { MOTIFS, type ArtworkSpec, type RenderCardOptions } from './spec.js';
import { element, escapeXml } from './svg.js';
import { cleanTitle, layoutTitle } from './title.js';

/**
 * Renders a card as a standalone SVG document. The output only ever contains shapes,
 * gradients and same-document references, so it is safe to serve from our own origin.
 */
export function renderCardSvg(
  spec: ArtworkSpec,
  title: string,
  options: RenderCardOptions = {},
): string {
  if (!(MOTIFS as readonly string[]).includes(spec.motif)) {
    throw new Error(`Unknown artwork motif: ${JSON.stringify(spec.motif)}`);
  }
  const thumb = options.thumbnail === true;
  const style = STYLES[spec.motif];
  const colors = deriveColors(spec.palette);
  const text = cleanTitle(title);
  const layout = layoutTitle(text, style.zone, thumb);
  const s = createScene(Number(spec.seed) || 0, colors, layout.box, thumb);
  const background = drawBackground(s, style.glowY);
  const art = style.draw(s);
  const body = background + art + drawTitle(s, layout) + drawBorder(s);
  const width = thumb ? W / 2 : W;
  const height = thumb ? H / 2 : H;
  const label = escapeXml(text);
  const root = {
    xmlns: 'http://www.w3.org/2000/svg',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': label,
  };
  const content =
    `<title>${label}</title><defs>${s.defs()}</defs>` +
    (thumb ? s.el('g', { transform: 'scale(.5)' }, body) : body);
  return element(0, 'svg', root, content);
}
