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
import { AuditRepository } from './audit.repository.js';
import { ConsoleRefusal } from './console-refusal.js';
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

/** Everything the email page says about how a site's mail is authenticated. */
export interface SendingView {
  siteId: string;
  siteName: string;
  fromAddress: string;
  fromDomain: string;
  bounceDomain: string;
  /** The bounce domain is the site's own (email.bounceDomain), not the platform's shared one. */
  ownBounceDomain: boolean;
  advice: AlignmentAdvice;
  keys: SendingKeyView[];
}

/**
 * A site's sending authentication as its partner's admins manage it: a DKIM key made for the
 * site's From domain, its DNS record shown, then activated once published; the same rule as
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
  ) {}

  async view(actor: Actor, siteId: string): Promise<SendingView> {
    await this.ownedSite(actor, siteId);
    const site = this.liveSite(siteId);
    const fromDomain = domainOf(site.email.fromAddress);
    const bounceDomain = (site.email.bounceDomain ?? this.config.bounces.domain).toLowerCase();
    const rows = await this.keys.ofSite(siteId);
    return {
      siteId,
      siteName: site.name,
      fromAddress: site.email.fromAddress,
      fromDomain,
      bounceDomain,
      ownBounceDomain: site.email.bounceDomain !== undefined,
      advice: alignmentAdvice(fromDomain, bounceDomain),
      keys: rows.map((row) => keyView(row, fromDomain)),
    };
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
