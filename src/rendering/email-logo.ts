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
  if (!svgUrl) return null;
  const { width, height } = svgSizeOf(assets, svgUrl);
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

/**
 * The size a page reserves for the site's logo (its own, else the platform's) before the file
 * arrives: the SVG's own width and height, which the stylesheet scales keeping proportions.
 */
export function pageLogoOf(site: Site, assets: AssetManifest): { width: number; height: number } {
  const svgUrl = assets.siteUrl(site.id, 'logo.svg');
  return svgUrl ? svgSizeOf(assets, svgUrl) : { width: 160, height: 40 };
}

/** An SVG's width and height attributes; a wordmark's usual proportions when it has none. */
function svgSizeOf(assets: AssetManifest, url: string): { width: number; height: number } {
  const svg = assets.lookup(url)?.body.toString('utf8') ?? '';
  const size = /<svg\b[^>]*?\swidth="(\d+)"[^>]*?\sheight="(\d+)"/.exec(svg);
  return size ? { width: Number(size[1]), height: Number(size[2]) } : { width: 160, height: 40 };
}
