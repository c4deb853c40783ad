import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { type ContentEncoding, encodeBody } from '../common/content-encoding.js';
import { minifyCss } from './css-minify.js';

export interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
  /** Text worth compressing (not images and fonts, compressed already). */
  compressible: boolean;
  /** The file compressed, per encoding, once asked for; null when it came out no smaller. */
  encoded: Partial<Record<ContentEncoding, Buffer | null>>;
}

/** Stylesheets made under one name that stay served (see addStylesheet). */
const MADE_KEPT = 8;

/** Text formats, worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.css', '.js', '.svg', '.txt']);

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Static files fingerprinted at boot: each URL carries a content hash, so browsers and CDNs may
 * keep them forever and a deploy that changes a file changes its URL.
 */
export class AssetManifest {
  private readonly byUrl = new Map<string, Asset>();
  private readonly urlByKey = new Map<string, string>();
  private readonly scopes = new Set<string>();
  /** The stylesheets made under each name, oldest first. */
  private readonly madeByKey = new Map<string, string[]>();

  /** Adds every file under `dir`; `scope` is "base" or a site id. */
  addFolder(scope: string, dir: string): void {
    this.scopes.add(scope);
    if (!existsSync(dir)) return;
    for (const file of walk(dir))
      this.addFile(scope, relative(dir, file).split(sep).join('/'), file);
  }

  /** Adds one file under `name` (a package's browser build, say); unknown types are skipped. */
  addFile(scope: string, name: string, file: string): void {
    const type = CONTENT_TYPES[extname(file).toLowerCase()];
    if (!type) return;
    const ext = extname(name);
    // Minified as it is loaded, so the fingerprint is of the bytes served.
    const body =
      ext.toLowerCase() === '.css'
        ? Buffer.from(minifyCss(readFileSync(file, 'utf8')))
        : readFileSync(file);
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const url = `/assets/${scope}/${name.slice(0, -ext.length)}.${hash}${ext}`;
    this.byUrl.set(url, {
      body,
      contentType: type,
      etag: `"${hash}"`,
      compressible: COMPRESSIBLE.has(ext.toLowerCase()),
      encoded: {},
    });
    this.urlByKey.set(`${scope}:${name}`, url);
  }

  /**
   * A stylesheet made by the platform (a site's theme from the console) under `name`, served
   * like a file. The last few made under one name stay served: a draft's preview makes one
   * while pages of the live one are still cached and in browsers. Returns its URL.
   */
  addStylesheet(scope: string, name: string, css: string): string {
    const body = Buffer.from(minifyCss(css));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const url = `/assets/${scope}/${name.slice(0, -'.css'.length)}.${hash}.css`;
    const key = `${scope}:${name}`;
    const recent = (this.madeByKey.get(key) ?? []).filter((u) => u !== url);
    recent.push(url);
    while (recent.length > MADE_KEPT) this.byUrl.delete(recent.shift() ?? '');
    this.madeByKey.set(key, recent);
    this.byUrl.set(url, {
      body,
      contentType: CONTENT_TYPES['.css'] ?? 'text/css',
      etag: `"${hash}"`,
      compressible: true,
      encoded: {},
    });
    return url;
  }

  /** Whether a folder was added for the scope (even one that did not exist). */
  hasScope(scope: string): boolean {
    return this.scopes.has(scope);
  }

  /** Fingerprinted URL for a file, or undefined when there is no such file. */
  url(scope: string, name: string): string | undefined {
    return this.urlByKey.get(`${scope}:${name}`);
  }

  /** A site's own copy of a file (its favicon, say), else the platform's. */
  siteUrl(siteId: string, name: string): string | undefined {
    return this.url(siteId, name) ?? this.url('base', name);
  }

  lookup(url: string): Asset | undefined {
    return this.byUrl.get(url);
  }

  /**
   * The file in `encoding`, or undefined when it is sent as it is. Compressed at the first
   * request that takes it, once per process (not at boot: most processes and every test app
   * would pay for files nobody asks them for), at the strongest setting.
   */
  encodedBody(asset: Asset, encoding: ContentEncoding | null): Buffer | undefined {
    if (encoding === null || !asset.compressible) return undefined;
    let bytes = asset.encoded[encoding];
    if (bytes === undefined) {
      bytes = encodeBody(asset.body, encoding, 'asset');
      asset.encoded[encoding] = bytes;
    }
    return bytes ?? undefined;
  }
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}
