import type { AssetManifest } from '../assets/asset-manifest.js';
import type { Site } from '../sites/site.js';

/** The site's logo as an email shows it: an absolute URL, and the size to reserve for it. */
export interface EmailLogo {
  src: string;
  width: number;
  height: number;
}

/** Logos in emails are this tall; their width follows the logo's own proportions. */
const EMAIL_LOGO_HEIGHT = 40;

/**
 * Prefers `logo-email.png` (many mail clients, Gmail among them, show no SVG), drawn from
 * `logo.svg`, whose width and height attributes give the proportions. Null for a site without
 * a logo: its emails carry the brand name alone. A logo a partner uploaded in the console (a
 * PNG already) comes first.
 */
export function emailLogoOf(site: Site, assets: AssetManifest): EmailLogo | null {
  const uploaded = uploadedLogoOf(site);
  if (uploaded) return uploaded;
  const svgUrl = assets.url(site.id, 'logo.svg');
  const svg = svgUrl ? assets.lookup(svgUrl)?.body.toString('utf8') : undefined;
  if (!svgUrl || svg === undefined) return null;
  const size = /<svg\b[^>]*?\swidth="(\d+)"[^>]*?\sheight="(\d+)"/.exec(svg);
  const [width, height] = size ? [Number(size[1]), Number(size[2])] : [4, 1];
  return {
    src: `${site.baseUrl}${assets.url(site.id, 'logo-email.png') ?? svgUrl}`,
    width: Math.round((width * EMAIL_LOGO_HEIGHT) / height),
    height: EMAIL_LOGO_HEIGHT,
  };
}

/** The console's upload, named in the site's variables with its size in pixels. */
function uploadedLogoOf(site: Site): EmailLogo | null {
  const { logoUrl, logoWidth, logoHeight } = site.vars;
  const width = Number(logoWidth);
  const height = Number(logoHeight);
  if (!logoUrl?.startsWith('/') || !(width > 0) || !(height > 0)) return null;
  return {
    src: `${site.baseUrl}${logoUrl}`,
    width: Math.round((width * EMAIL_LOGO_HEIGHT) / height),
    height: EMAIL_LOGO_HEIGHT,
  };
}
