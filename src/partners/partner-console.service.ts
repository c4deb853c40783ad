import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { parseSiteDefinition } from '../sites/site-definition.js';
import { ConsoleRefusal } from './console-refusal.js';
import {
  newSiteDefinition,
  siteRefusal,
  themeProblems,
  siteVarsOf,
  themeChoicesOf,
} from './console-site-definitions.js';
import type { MessageFont } from '../sites/message-styles.js';
import type { SiteDefinition } from '../sites/site.schema.js';
import { SitesService, type SiteVersionView } from '../sites/sites.service.js';
import { AuditRepository, type AuditRow } from './audit.repository.js';
import { PartnerAuth } from './partner-auth.service.js';
import { emailKeyOf, type FormData } from './partner-forms.js';
import {
  type Actor,
  mayCreatePartners,
  mayEditSite,
  mayInvite,
  maySeeAudit,
  type PartnerRole,
  reachesPartner,
} from './partner-roles.js';
import type { Partner, PartnerPerson, PartnerSite } from './partner.entity.js';
import { PartnersRepository } from './partners.repository.js';
import { PeopleRepository } from './people.repository.js';

/** A site as its editor shows it: the live definition, the draft, and who owns it. */
export interface EditableSite {
  owner: PartnerSite;
  live: SiteDefinition;
  draft: SiteDefinition;
  hasDraft: boolean;
}

/**
 * What the console does, each change checked against the actor's role and partner first and
 * written to the audit with the state before and after. Sites change only through
 * SitesService, so a console change is validated, versioned and live everywhere like any other.
 */
@Injectable()
export class PartnerConsole {
  constructor(
    private readonly partners: PartnersRepository,
    private readonly people: PeopleRepository,
    private readonly sites: SitesService,
    private readonly audit: AuditRepository,
    private readonly auth: PartnerAuth,
  ) {}

  /** The partners the actor reaches: all for operators, their own for anyone else. */
  async visiblePartners(actor: Actor): Promise<Partner[]> {
    const all = await this.partners.all();
    return all.filter((p) => reachesPartner(actor, p.id));
  }

  async visibleSites(actor: Actor): Promise<PartnerSite[]> {
    return this.partners.sites(actor.role === 'operator' ? undefined : (actor.partnerId ?? '-'));
  }

  async visiblePeople(actor: Actor): Promise<PartnerPerson[]> {
    if (actor.role === 'analyst') return [];
    return this.people.list(actor.role === 'operator' ? undefined : (actor.partnerId ?? '-'));
  }

  async visibleAudit(actor: Actor): Promise<AuditRow[]> {
    if (!maySeeAudit(actor)) throw forbidden();
    return this.audit.newest(actor.role === 'operator' ? undefined : (actor.partnerId ?? '-'));
  }

  /** A partner, its first site (live at once: an operator vouches for it) and its admin's invite. */
  async createPartner(actor: Actor, form: FormData<'newPartner'>): Promise<void> {
    if (!mayCreatePartners(actor)) throw forbidden();
    if (await this.partners.one(form.partnerId)) {
      throw new ConsoleRefusal([{ field: 'partnerId', message: 'Partner id: already taken' }], 409);
    }
    if (await this.people.findByEmail(emailKeyOf(form.adminEmail))) {
      throw new ConsoleRefusal(
        [{ field: 'adminEmail', message: 'Email address: already has a console account' }],
        409,
      );
    }
    const definition = newSiteDefinition(form);
    try {
      await this.sites.create(definition, {
        author: `partner-console:${actor.id}`,
        reason: `created for partner ${form.partnerId}`,
      });
    } catch (error) {
      throw siteRefusal(error, { id: 'siteId', hostnames: 'hostname' });
    }
    const now = new Date();
    const partner = { id: form.partnerId, name: form.partnerName, createdAt: now };
    await this.partners.insert(partner);
    await this.partners.own(form.siteId, form.partnerId);
    await this.audit.record(actor, {
      action: 'partner.created',
      partnerId: partner.id,
      after: partner,
    });
    await this.audit.record(actor, {
      action: 'site.created',
      partnerId: partner.id,
      siteId: form.siteId,
      after: definition,
    });
    await this.invite(actor, form.partnerId, form.adminEmail, 'partner-admin');
  }

  /** Someone new at a partner, mailed a link to choose their password. */
  async invite(actor: Actor, partnerId: string, email: string, role: PartnerRole): Promise<void> {
    if (!mayInvite(actor, partnerId, role)) throw forbidden();
    if (!(await this.partners.one(partnerId))) {
      throw new ConsoleRefusal([{ field: 'partnerId', message: 'Partner: no such partner' }]);
    }
    const now = new Date();
    const person: PartnerPerson = {
      id: randomUUID(),
      partnerId,
      email,
      emailKey: emailKeyOf(email),
      role,
      passwordHash: null,
      totpSecret: null,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.people.insert(person))) {
      throw new ConsoleRefusal(
        [{ field: 'email', message: 'Email address: already has a console account' }],
        409,
      );
    }
    await this.audit.record(actor, {
      action: 'person.invited',
      partnerId,
      after: { person: person.id, role },
    });
    await this.auth.invite(person.id);
  }

  /** The site for its editor, or a refusal when the actor may not edit it. */
  async editable(actor: Actor, siteId: string): Promise<EditableSite> {
    const owner = await this.partners.site(siteId);
    if (!owner) throw new ConsoleRefusal([{ field: 'site', message: 'no such site' }], 404);
    if (!mayEditSite(actor, owner.partnerId)) throw forbidden();
    const live = await this.sites.definition(siteId);
    const draft =
      owner.draft === null ? live : parseSiteDefinition(JSON.parse(owner.draft), siteId);
    return { owner, live, draft, hasDraft: owner.draft !== null };
  }

  /** Saves the theme, copy and catalog as the draft: nothing visitors see changes yet. */
  async saveDraft(
    actor: Actor,
    siteId: string,
    theme: FormData<'theme'>,
    choices: { occasions: readonly string[]; fonts: readonly MessageFont[] },
  ): Promise<SiteDefinition> {
    const site = await this.editable(actor, siteId);
    const { occasions, fonts } = choices;
    const problems = themeProblems(theme.themeColor);
    if (fonts.length === 0) {
      problems.push({ field: 'fonts', message: 'Handwriting: choose at least one' });
    }
    if (problems.length > 0) throw new ConsoleRefusal(problems);
    return this.saveAmended(actor, site, {
      ...site.draft,
      theme: themeChoicesOf(theme),
      vars: { ...site.draft.vars, ...siteVarsOf(theme) },
      email: { ...site.draft.email, fromName: theme.fromName },
      messageStyles: { ...site.draft.messageStyles, fonts: [...fonts] },
      catalog: {
        ...site.draft.catalog,
        includeOccasions: occasions.length === 0 ? ['*'] : [...occasions],
      },
    });
  }

  /**
   * Any other change to the draft (the email page's bounce domain), made from the draft as
   * saved, checked against the site schema, saved and audited like the editor's.
   */
  async amendDraft(
    actor: Actor,
    site: EditableSite,
    action: string,
    amend: (draft: SiteDefinition) => unknown,
  ): Promise<SiteDefinition> {
    return this.saveAmended(actor, site, amend(site.draft), action);
  }

  private async saveAmended(
    actor: Actor,
    site: EditableSite,
    next: unknown,
    action = 'site.draft-saved',
  ): Promise<SiteDefinition> {
    const siteId = site.owner.siteId;
    let draft: SiteDefinition;
    try {
      draft = parseSiteDefinition(next, siteId);
    } catch (error) {
      throw siteRefusal(error, {});
    }
    await this.partners.saveDraft(siteId, JSON.stringify(draft), actor.id, new Date());
    await this.audit.record(actor, {
      action,
      partnerId: site.owner.partnerId,
      siteId,
      before: site.draft,
      after: draft,
    });
    return draft;
  }

  /** The draft made live as one new site version, served everywhere within a second. */
  async publish(actor: Actor, siteId: string): Promise<number> {
    const site = await this.editable(actor, siteId);
    if (!site.hasDraft)
      throw new ConsoleRefusal([{ field: 'draft', message: 'nothing to publish' }]);
    let revision: number;
    try {
      // Hostnames are not the draft's: one proved since the draft was saved stays.
      ({ revision } = await this.sites.update(
        siteId,
        (current) => ({ ...site.draft, hostnames: current.hostnames }),
        {
          author: `partner-console:${actor.id}`,
          reason: 'published from the partner console',
        },
      ));
    } catch (error) {
      throw siteRefusal(error, {});
    }
    await this.partners.saveDraft(siteId, null, null, null);
    await this.audit.record(actor, {
      action: 'site.published',
      partnerId: site.owner.partnerId,
      siteId,
      before: site.live,
      after: { revision, definition: site.draft },
    });
    return revision;
  }

  /** The partner owning a site, or null for a site no partner owns. */
  async ownerOf(siteId: string): Promise<string | null> {
    return (await this.partners.site(siteId))?.partnerId ?? null;
  }

  /** Every version of a site the actor already opened with `editable`, newest first. */
  history(site: EditableSite): Promise<SiteVersionView[]> {
    return this.sites.versions(site.owner.siteId);
  }

  /** An earlier version live again, as a new version; the draft is left as it was. */
  async restore(actor: Actor, siteId: string, revision: number): Promise<number> {
    const site = await this.editable(actor, siteId);
    let saved: number;
    try {
      ({ revision: saved } = await this.sites.revert(siteId, revision, {
        author: `partner-console:${actor.id}`,
        reason: `restored version ${revision} from the partner console`,
      }));
    } catch (error) {
      throw siteRefusal(error, {});
    }
    await this.audit.record(actor, {
      action: 'site.restored',
      partnerId: site.owner.partnerId,
      siteId,
      before: site.live,
      after: { revision: saved, restored: revision },
    });
    return saved;
  }
}

function forbidden(): ConsoleRefusal {
  return new ConsoleRefusal([{ field: 'role', message: 'your role cannot do this' }], 403);
}
