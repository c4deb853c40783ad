import { Injectable } from '@nestjs/common';
import {
  SITE_KEY_SCOPES,
  SiteApiKeys,
  type SiteKeyScope,
  type SiteKeyView,
} from '../security/site-api-keys.js';
import { AuditRepository } from './audit.repository.js';
import { ConsoleRefusal } from './console-refusal.js';
import { type Actor, mayEditSite } from './partner-roles.js';
import type { PartnerSite } from './partner.entity.js';
import { PartnersRepository } from './partners.repository.js';

/** What the key form asked for, once it reads right. */
export interface KeyRequest {
  name: string;
  scopes: SiteKeyScope[];
}

/**
 * A site's API keys as its partner's admins manage them: the same rule as editing the site,
 * and every creation and revocation audited (the key's name, id and scopes, never its secret).
 */
@Injectable()
export class PartnerApiKeys {
  constructor(
    private readonly partners: PartnersRepository,
    private readonly keys: SiteApiKeys,
    private readonly audit: AuditRepository,
  ) {}

  async list(actor: Actor, siteId: string): Promise<SiteKeyView[]> {
    await this.ownedSite(actor, siteId);
    return this.keys.ofSite(siteId);
  }

  /** The new key and its secret, which the page shows this once. */
  async create(actor: Actor, siteId: string, form: KeyRequest): Promise<string> {
    const owner = await this.ownedSite(actor, siteId);
    const { key, secret } = await this.keys.create(siteId, form.name, form.scopes, actor.id);
    await this.audit.record(actor, {
      action: 'api-key.create',
      partnerId: owner.partnerId,
      siteId,
      after: { id: key.id, name: key.name, scopes: key.scopes },
    });
    return secret;
  }

  async revoke(actor: Actor, siteId: string, keyId: string): Promise<void> {
    const owner = await this.ownedSite(actor, siteId);
    const revoked = await this.keys.revoke(siteId, keyId);
    if (!revoked) throw new ConsoleRefusal([{ field: 'key', message: 'no such live key' }], 404);
    await this.audit.record(actor, {
      action: 'api-key.revoke',
      partnerId: owner.partnerId,
      siteId,
      before: { id: revoked.id, name: revoked.name, scopes: revoked.scopes },
      after: { revokedAt: revoked.revokedAt },
    });
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

/** Reads the key form: a name of 1 to 60 printable characters and at least one scope. */
export function readKeyForm(
  fields: Record<string, unknown>,
): { ok: true; data: KeyRequest } | { ok: false; errors: Record<string, string>; name: string } {
  const rawName = typeof fields.name === 'string' ? fields.name.trim() : '';
  const rawScopes = fields.scopes;
  const list: unknown[] = Array.isArray(rawScopes)
    ? rawScopes
    : rawScopes === undefined
      ? []
      : [rawScopes];
  const scopes = SITE_KEY_SCOPES.filter((s) => list.includes(s));
  const errors: Record<string, string> = {};
  if (rawName.length === 0 || rawName.length > 60 || /\p{Cc}/u.test(rawName)) {
    errors.name = 'Name: 1 to 60 characters';
  }
  if (scopes.length === 0) errors.scopes = 'What it may do: choose at least one';
  if (Object.keys(errors).length > 0) return { ok: false, errors, name: rawName.slice(0, 60) };
  return { ok: true, data: { name: rawName, scopes } };
}
