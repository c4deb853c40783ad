import { join, resolve } from 'node:path';
import type { FieldError } from '../common/domain-errors.js';
import type { AppConfig } from '../config/app-config.js';
import { type SiteDefinition, siteSchema } from './site.schema.js';
import type { Site } from './site.js';

/** Browsers resolve every name under `localhost` to the machine they run on (RFC 6761). */
const LOCAL_SUFFIX = '.localhost';

/** A site definition that cannot be used: its problems, each named by the field it is about. */
export class SiteConfigError extends Error {
  constructor(
    message: string,
    readonly problems: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'SiteConfigError';
  }
}

/**
 * A site definition checked against the schema, wherever it came from (a folder's site.json,
 * the database, a console form). A bad one is refused with every problem named by its field.
 */
export function parseSiteDefinition(raw: unknown, source: string): SiteDefinition {
  const parsed = siteSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      field: i.path.join('.') || '(root)',
      message: i.message,
    }));
    const lines = problems.map((p) => `${p.field}: ${p.message}`);
    throw new SiteConfigError(
      `${source}: invalid site definition\n  - ${lines.join('\n  - ')}`,
      problems,
    );
  }
  return parsed.data;
}

/** The same definition always gives the same text, so an unchanged import is seen as one. */
export function definitionText(definition: SiteDefinition): string {
  return JSON.stringify(definition);
}

/**
 * A definition as the rest of the code sees it, with the values derived from configuration:
 * the origin links are built from, the local development name, and the folder of the site's
 * templates and files (code, in the deployed `sites/<id>/`; absent for a site made at runtime,
 * which then uses the shared ones).
 */
export function siteFromDefinition(
  definition: SiteDefinition,
  config: AppConfig,
  revision = 0,
): Site {
  const { scheme, port, hostStyle } = config.publicUrl;
  const listedLocal = definition.hostnames.find((h) => h.endsWith(LOCAL_SUFFIX));
  const localHost = listedLocal ?? `${definition.id}${LOCAL_SUFFIX}`;
  // A derived local name answers only where links use it, so a deployed site answers to
  // exactly the names its definition lists; a clash with another site's name is refused.
  const hostnames =
    listedLocal === undefined && hostStyle === 'local'
      ? [...definition.hostnames, localHost]
      : definition.hostnames;
  const linkHost = hostStyle === 'local' ? localHost : (definition.hostnames[0] as string);
  const defaultPort = scheme === 'https' ? 443 : 80;
  const portPart = port === null || port === defaultPort ? '' : `:${port}`;
  return {
    ...definition,
    hostnames,
    baseUrl: `${scheme}://${linkHost}${portPart}`,
    localHost,
    dir: join(resolve(config.paths.sites), definition.id),
    revision,
  };
}
