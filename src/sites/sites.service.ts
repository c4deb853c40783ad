import { Inject, Injectable } from '@nestjs/common';
import { isDuplicateKey } from '../common/store-errors.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { CacheTags } from '../platform/cache/cache-keys.js';
import { CachePurger } from '../platform/cache/cache-purger.service.js';
import {
  definitionText,
  parseSiteDefinition,
  SiteConfigError,
  siteFromDefinition,
} from './site-definition.js';
import { SiteRegistry } from './site-registry.js';
import type { SiteDefinition } from './site.schema.js';
import type { Site } from './site.js';
import { SiteSync } from './site-sync.service.js';
import { SiteExists, SitesRepository } from './sites.repository.js';

/** Who changes a site and why: kept with every version. */
export interface SiteChange {
  author: string;
  reason: string;
}

export interface SiteSaved {
  site: Site;
  revision: number;
  /** False when the definition was the current one already: no version was written. */
  changed: boolean;
}

/** One version of a site as the console lists it. */
export interface SiteVersionView {
  revision: number;
  author: string;
  reason: string;
  createdAt: Date;
  definition: SiteDefinition;
}

/**
 * Creating and changing sites: every save is validated by the site schema, refused when it
 * takes another site's hostname, kept as a new version with its author and reason, served by
 * every process within a second, and purges that site's cached pages (and no other's).
 */
@Injectable()
export class SitesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: SitesRepository,
    private readonly registry: SiteRegistry,
    private readonly sync: SiteSync,
    private readonly purger: CachePurger,
  ) {}

  /** A new site; refused when its id is taken. */
  create(raw: unknown, change: SiteChange): Promise<SiteSaved> {
    return this.save(parseSiteDefinition(raw, 'site'), change, true);
  }

  /**
   * Replaces a site's definition with the one `edit` returns from the current one (a whole
   * definition, validated like any other). The id cannot change.
   */
  async update(
    id: string,
    edit: (current: SiteDefinition) => unknown,
    change: SiteChange,
  ): Promise<SiteSaved> {
    const current = await this.definition(id);
    const next = parseSiteDefinition(edit(structuredClone(current)), `site ${id}`);
    if (next.id !== id) {
      throw new SiteConfigError(`site ${id}: the id cannot change`, [
        { field: 'id', message: 'cannot change' },
      ]);
    }
    return this.save(next, change, false);
  }

  /** Creates the site or makes it equal to `raw` (the import of a site folder). */
  put(raw: unknown, change: SiteChange, source = 'site'): Promise<SiteSaved> {
    return this.save(parseSiteDefinition(raw, source), change, false);
  }

  /** The site's current stored definition. */
  async definition(id: string): Promise<SiteDefinition> {
    const stored = await this.repository.one(id);
    if (!stored) throw missing(id);
    return parseSiteDefinition(JSON.parse(stored.definition), `site ${id}`);
  }

  /** Every saved version, newest first. */
  async versions(id: string): Promise<SiteVersionView[]> {
    const versions = await this.repository.versions(id);
    if (versions.length === 0) throw missing(id);
    return versions.map((v) => ({
      revision: v.revision,
      author: v.author,
      reason: v.reason,
      createdAt: v.createdAt,
      definition: parseSiteDefinition(JSON.parse(v.definition), `site ${id} r${v.revision}`),
    }));
  }

  /** Makes an earlier version current again, as a new version (history is never rewritten). */
  async revert(id: string, revision: number, change: SiteChange): Promise<SiteSaved> {
    const version = await this.repository.version(id, revision);
    if (!version) {
      throw new SiteConfigError(`site ${id} has no version ${revision}`, [
        { field: 'revision', message: `no version ${revision}` },
      ]);
    }
    return this.put(JSON.parse(version.definition), change, `site ${id} r${revision}`);
  }

  private async save(
    definition: SiteDefinition,
    change: SiteChange,
    expectNew: boolean,
  ): Promise<SiteSaved> {
    const site = siteFromDefinition(definition, this.config);
    await this.refuseTakenHostnames(site);
    const text = definitionText(definition);
    let saved: { revision: number; changed: boolean };
    try {
      saved = await this.repository.save(
        {
          id: site.id,
          definition: text,
          hostnames: definition.hostnames,
          ...change,
          at: new Date(),
        },
        expectNew,
      );
    } catch (error) {
      if (error instanceof SiteExists) {
        throw new SiteConfigError(error.message, [{ field: 'id', message: 'is taken' }]);
      }
      // Another save took one of the hostnames since the check above.
      if (isDuplicateKey(error)) throw hostnameTaken('one of its hostnames', 'another site');
      throw error;
    }
    const { revision, changed } = saved;
    if (changed) {
      await this.sync.announce({ id: site.id, revision, definition: text });
      await this.purger.purge([CacheTags.site(site.id)]);
    }
    const held = this.registry.get(site.id);
    return {
      site: held?.revision === revision ? held : { ...site, revision },
      revision,
      changed,
    };
  }

  private async refuseTakenHostnames(site: Site): Promise<void> {
    const owners = await this.repository.hostnameOwners(site.id, site.hostnames);
    for (const [host, owner] of owners) throw hostnameTaken(`"${host}"`, `site "${owner}"`);
    try {
      // Names derived in development (<id>.localhost) are not stored; the live map knows them.
      this.registry.check(site);
    } catch (error) {
      if (error instanceof SiteConfigError) {
        throw new SiteConfigError(error.message, [{ field: 'hostnames', message: error.message }]);
      }
      throw error;
    }
  }
}

function missing(id: string): SiteConfigError {
  return new SiteConfigError(`site "${id}" does not exist`, [
    { field: 'id', message: 'no such site' },
  ]);
}

function hostnameTaken(what: string, owner: string): SiteConfigError {
  const message = `${what} is already used by ${owner}`;
  return new SiteConfigError(`hostnames: ${message}`, [{ field: 'hostnames', message }]);
}
