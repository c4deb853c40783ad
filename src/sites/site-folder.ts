import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseSiteDefinition, SiteConfigError } from './site-definition.js';
import type { SiteDefinition } from './site.schema.js';

/** The file of a site folder that holds its configuration; views/ and public/ are code. */
export const SITE_FILE = 'site.json';

/** A site folder's definition, validated: a bad file is refused with its problems named. */
export function readSiteFolder(dir: string): SiteDefinition {
  const file = join(resolve(dir), SITE_FILE);
  if (!existsSync(file)) throw new SiteConfigError(`${file}: no such file`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SiteConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return parseSiteDefinition(raw, file);
}

/** Writes the definition as the folder's site.json, leaving its views/ and public/ alone. */
export function writeSiteFolder(dir: string, definition: SiteDefinition): string {
  mkdirSync(dir, { recursive: true });
  const file = join(resolve(dir), SITE_FILE);
  writeFileSync(file, `${JSON.stringify(definition, null, 2)}\n`);
  return file;
}

/**
 * Every site folder under `root` (the flagship and demo partners in `sites/`), each id
 * matching its folder's name, so a copied folder cannot silently stand for another site.
 */
export function readSitesRoot(root: string): SiteDefinition[] {
  const dir = resolve(root);
  if (!existsSync(dir)) throw new SiteConfigError(`sites folder ${dir} does not exist`);
  const definitions: SiteDefinition[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const folder = join(dir, entry);
    if (!statSync(folder).isDirectory() || !existsSync(join(folder, SITE_FILE))) continue;
    const definition = readSiteFolder(folder);
    if (definition.id !== basename(folder)) {
      throw new SiteConfigError(
        `${join(folder, SITE_FILE)}: id: "${definition.id}" must match its folder "${entry}"`,
      );
    }
    definitions.push(definition);
  }
  if (definitions.length === 0) throw new SiteConfigError(`no sites found under ${dir}`);
  return definitions;
}
