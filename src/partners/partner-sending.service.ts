import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import {
  type AlignmentAdvice,
  alignmentAdvice,
  alignsWith,
  type DkimDnsRecord,
  dkimDnsRecord,
  domainOf,
} from '../sites/dkim-records.js';
import { SiteDkimKeys } from '../sites/site-dkim-keys.js';
import type { SiteDkimKeyRow } from '../sites/site-dkim-key.js';
import { SiteRegistry } from '../sites/site-registry.js';
import type { Site } from '../sites/site.js';
import { bounceDomainProblem } from '../sites/bounce-domains.js';
import { AuditRepository } from './audit.repository.js';
import { ConsoleRefusal } from './console-refusal.js';
import { PartnerConsole } from './partner-console.service.js';
import { type Actor, mayEditSite } from './partner-roles.js';
import type { PartnerSite } from './partner.entity.js';
import { PartnersRepository } from './partners.repository.js';

/** One key as the email page shows it: its state and the record to publish for it. */
export interface SendingKeyView {
  id: string;
  selector: string;
  domain: string;
  state: 'waiting' | 'active' | 'retired';
  /** Made for a From domain the site no longer uses: it would sign unaligned, so it is not used. */
  misaligned: boolean;
  createdAt: string;
  record: DkimDnsRecord;
}

/** A bounce domain as the email page shows it: the name, and whether it is the site's own. */
export interface BounceDomainView {
  domain: string;
  /** The site's own (email.bounceDomain), not the platform's shared one. */
  own: boolean;
}

/** Everything the email page says about how a site's mail is authenticated. */
export interface SendingView {
  siteId: string;
  siteName: string;
  fromAddress: string;
  fromDomain: string;
  /** The Return-Path domain of the mail sent now. */
  bounce: BounceDomainView;
  /** The draft's, when publishing it would change the bounce domain; null otherwise. */
  draftBounce: BounceDomainView | null;
  hasDraft: boolean;
  /** For the bounce domain the site will have once its draft is published. */
  advice: AlignmentAdvice;
  /** The bounce domain form as the draft holds it (empty: the platform's). */
  bounceForm: { values: { bounceDomain: string }; errors: Record<string, string> };
  /** Where a bounce domain may be, for the form's hint. */
  bounceScope: { owned: string[]; platformDomain: string; operator: boolean };
  keys: SendingKeyView[];
}

/**
 * A site's sending authentication as its partner's admins manage it: a DKIM key made for the
 * site's From domain, its DNS record shown, then activated once published; the bounce domain
 * set in the draft, within the names the site has proved (bounce-domains.ts). The same rule as
 * editing the site, and each step audited (selector, domain and id, never key material).
 */
@Injectable()
export class PartnerSending {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly partners: PartnersRepository,
    private readonly registry: SiteRegistry,
    private readonly keys: SiteDkimKeys,
    private readonly audit: AuditRepository,
    private readonly console: PartnerConsole,
  ) {}

  async view(actor: Actor, siteId: string): Promise<SendingView> {
    const editable = await this.console.editable(actor, siteId);
    const site = this.liveSite(siteId);
    const fromDomain = domainOf(site.email.fromAddress);
    const bounce = this.bounceOf(site.email.bounceDomain);
    const drafted = this.bounceOf(editable.draft.email.bounceDomain);
    const draftBounce = drafted.domain === bounce.domain ? null : drafted;
    const rows = await this.keys.ofSite(siteId);
    return {
      siteId,
      siteName: site.name,
      fromAddress: site.email.fromAddress,
      fromDomain,
      bounce,
      draftBounce,
      hasDraft: editable.hasDraft,
      advice: alignmentAdvice(fromDomain, drafted.domain),
      bounceForm: {
        values: { bounceDomain: editable.draft.email.bounceDomain ?? '' },
        errors: {},
      },
      bounceScope: {
        owned: [...new Set([fromDomain, ...editable.live.hostnames])],
        platformDomain: this.config.bounces.domain,
        operator: actor.role === 'operator',
      },
      keys: rows.map((row) => keyView(row, fromDomain)),
    };
  }

  /**
   * The site's bounce domain in its draft (empty: the platform's shared one), live once the
   * draft is published. False when the draft had it already: nothing is saved or audited.
   */
  async setBounceDomain(actor: Actor, siteId: string, domain: string): Promise<boolean> {
    const site = await this.console.editable(actor, siteId);
    if ((site.draft.email.bounceDomain ?? '') === domain) return false;
    if (domain !== '') {
      const problem = bounceDomainProblem(domain, {
        fromDomain: domainOf(site.live.email.fromAddress),
        hostnames: site.live.hostnames,
        platformDomain: this.config.bounces.domain,
        operator: actor.role === 'operator',
      });
      if (problem) {
        throw new ConsoleRefusal([{ field: 'bounceDomain', message: `Bounce domain: ${problem}` }]);
      }
    }
    await this.console.amendDraft(actor, site, 'site.bounce-domain-drafted', (draft) => {
      const email = { ...draft.email };
      // Absent, not empty: the schema reads an absent one as the platform's.
      delete email.bounceDomain;
      return { ...draft, email: domain === '' ? email : { ...email, bounceDomain: domain } };
    });
    return true;
  }

  /** A new key for the site's From domain, waiting for its DNS record. */
  async generate(actor: Actor, siteId: string): Promise<SiteDkimKeyRow> {
    const owner = await this.ownedSite(actor, siteId);
    const domain = domainOf(this.liveSite(siteId).email.fromAddress);
    const key = await this.keys.generate(siteId, domain, actor.id);
    await this.audit.record(actor, {
      action: 'dkim-key.generate',
      partnerId: owner.partnerId,
      siteId,
      after: { id: key.id, domain: key.domain, selector: key.selector },
    });
    return key;
  }

  async activate(actor: Actor, siteId: string, keyId: string): Promise<void> {
    const owner = await this.ownedSite(actor, siteId);
    const done = await this.keys.activate(siteId, keyId);
    if (!done) {
      throw new ConsoleRefusal([{ field: 'key', message: 'no such key waiting' }], 404);
    }
    const brief = (k: SiteDkimKeyRow) => ({ id: k.id, domain: k.domain, selector: k.selector });
    await this.audit.record(actor, {
      action: 'dkim-key.activate',
      partnerId: owner.partnerId,
      siteId,
      before: done.retired ? brief(done.retired) : null,
      after: brief(done.activated),
    });
  }

  private bounceOf(own: string | undefined): BounceDomainView {
    return { domain: (own ?? this.config.bounces.domain).toLowerCase(), own: own !== undefined };
  }

  private liveSite(siteId: string): Site {
    const site = this.registry.get(siteId);
    if (!site) throw new ConsoleRefusal([{ field: 'site', message: 'no such site' }], 404);
    return site;
  }

  private async ownedSite(actor: Actor, siteId: string): Promise<PartnerSite> {
    const owner = await this.partners.site(siteId);
    if (!owner) throw new ConsoleRefusal([{ field: 'site', message: 'no such site' }], 404);
    if (!mayEditSite(actor, owner.partnerId)) {
      throw new ConsoleRefusal([{ field: 'role', message: 'your role cannot do this' }], 403);
    }
    return owner;
  }
}

function keyView(row: SiteDkimKeyRow, fromDomain: string): SendingKeyView {
  return {
    id: row.id,
    selector: row.selector,
    domain: row.domain,
    state: row.retiredAt ? 'retired' : row.activatedAt ? 'active' : 'waiting',
    misaligned: !alignsWith(fromDomain, row.domain),
    createdAt: row.createdAt.toISOString(),
    record: dkimDnsRecord(row.domain, row.selector, row.publicKey),
  };
}
