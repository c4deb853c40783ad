import { BadRequestException, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { isMultipart, readMultipart } from '../http/multipart-forms.js';
import { parseSiteDefinition } from '../sites/site-definition.js';
import type { SiteDefinition } from '../sites/site.schema.js';
import { AuditRepository } from './audit.repository.js';
import { ConsoleRefusal } from './console-refusal.js';
import { PartnerConsole } from './partner-console.service.js';
import { PartnersRepository } from './partners.repository.js';
import type { Actor } from './partner-roles.js';
import { LOGO_MAX_BYTES, prepareLogo } from './site-logo-image.js';
import { SiteLogosRepository } from './site-logos.repository.js';

/** Where logos are served, on every site's hosts (site-logos.controller.ts). */
export const LOGO_PATH = '/site-logos';

/** The logo form as posted: its few text fields (the form token) and the file. */
export interface LogoPost {
  fields: Record<string, string>;
  file: { bytes: Buffer; tooBig: boolean } | null;
}

/**
 * Reads the logo form (`multipart/form-data`). The route's body limit does not reach a
 * streamed post, so the limits are here: one file read to its limit and marked when cut off,
 * a handful of short fields; anything else is refused whole.
 */
export async function readLogoPost(request: FastifyRequest): Promise<LogoPost> {
  if (!isMultipart(request)) throw new BadRequestException('The form could not be read.');
  const form = await readMultipart(request, {
    files: 1,
    fileSize: LOGO_MAX_BYTES,
    fields: 4,
    fieldSize: 256,
    totalFieldChars: 1024,
  }).catch(() => {
    throw new BadRequestException('The form could not be read.');
  });
  const logo = form.files.find((f) => f.fieldname === 'logo');
  const csrf = form.fields._csrf;
  return {
    fields: typeof csrf === 'string' ? { _csrf: csrf } : {},
    file: logo ? { bytes: logo.bytes, tooBig: logo.truncated } : null,
  };
}

/**
 * A logo put into a site's draft: re-encoded, stored by hash for every process to serve, and
 * named in the draft's variables (`logoUrl`, `logoWidth`, `logoHeight`) so the preview, and
 * once published the header and emails, show it. Audited like any draft change.
 */
@Injectable()
export class PartnerLogos {
  constructor(
    private readonly console: PartnerConsole,
    private readonly partners: PartnersRepository,
    private readonly logos: SiteLogosRepository,
    private readonly audit: AuditRepository,
  ) {}

  async upload(actor: Actor, siteId: string, file: LogoPost['file']): Promise<void> {
    const site = await this.console.editable(actor, siteId);
    const prepared = await prepareLogo(file?.bytes ?? Buffer.alloc(0), file?.tooBig ?? false);
    if (!prepared.ok) throw new ConsoleRefusal([{ field: 'logo', message: prepared.message }]);
    const hash = createHash('sha256').update(prepared.png).digest('hex');
    await this.logos.save(hash, siteId, prepared.png, prepared.width, prepared.height);
    const draft: SiteDefinition = parseSiteDefinition(
      {
        ...site.draft,
        vars: {
          ...site.draft.vars,
          logoUrl: `${LOGO_PATH}/${hash}.png`,
          logoWidth: String(prepared.width),
          logoHeight: String(prepared.height),
        },
      },
      siteId,
    );
    await this.partners.saveDraft(siteId, JSON.stringify(draft), actor.id, new Date());
    await this.audit.record(actor, {
      action: 'site.logo-uploaded',
      partnerId: site.owner.partnerId,
      siteId,
      before: { logoUrl: site.draft.vars.logoUrl ?? null },
      after: { logoUrl: draft.vars.logoUrl, width: prepared.width, height: prepared.height },
    });
  }
}
