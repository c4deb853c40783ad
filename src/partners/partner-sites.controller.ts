import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CatalogService } from '../catalog/catalog.service.js';
import type { SiteDefinition } from '../sites/site.schema.js';
import type { Site } from '../sites/site.js';
import { SITE_ID_PATTERN } from '../sites/site.schema.js';
import { ConsoleAccess } from './console-access.js';
import { type EditableSite, PartnerConsole } from './partner-console.service.js';
import { type ConsoleForm, fontChoices, occasionChoices, readForm } from './partner-forms.js';
import { MESSAGE_FONTS } from '../sites/message-styles.js';
import { PAGE_FONTS } from '../sites/site-theme.js';
import { fieldsOf, PartnerPages, seeOther } from './partner-pages.js';
import { CONSOLE_PATHS } from './partner-paths.js';
import { PartnerHostnames } from './partner-hostnames.service.js';
import { PartnerLogos, readLogoPost } from './partner-logos.service.js';
import type { ConsoleSignedIn } from './partner-sessions.js';

/**
 * A site's editor: theme, copy and catalog saved as a draft (previewed by
 * PartnerPreviewController), published as one new version, any earlier version restored, and
 * hostnames asked for and proved.
 */
@Controller('partner/sites')
export class PartnerSitesController {
  constructor(
    private readonly access: ConsoleAccess,
    private readonly console: PartnerConsole,
    private readonly pages: PartnerPages,
    private readonly catalog: CatalogService,
    private readonly hostnames: PartnerHostnames,
    private readonly logos: PartnerLogos,
  ) {}

  @Get(':id')
  async editor(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const signedIn = await this.access.readingSite(req, reply, id);
    if (!signedIn) return;
    try {
      const site = await this.console.editable(signedIn.person, id);
      await this.renderEditor(req, reply, signedIn, site, formOf(site.draft));
    } catch (error) {
      await this.access.refusal(error, req, reply, signedIn);
    }
  }

  @Post(':id/draft')
  async saveDraft(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const signedIn = await this.access.changingSite(req, reply, body, id);
    if (!signedIn) return;
    const fields = fieldsOf(body);
    const parsed = readForm('theme', fields);
    try {
      if (!parsed.ok) {
        const site = await this.console.editable(signedIn.person, id);
        return await this.renderEditor(req, reply, signedIn, site, parsed.form, 400);
      }
      await this.console.saveDraft(signedIn.person, id, parsed.data, {
        occasions: occasionChoices(fields),
        fonts: fontChoices(fields),
      });
    } catch (error) {
      const site = await this.console.editable(signedIn.person, id).catch(() => null);
      const model = site
        ? await this.editorModel(req, site, { values: parsed.ok ? parsed.data : {}, errors: {} })
        : {};
      return this.access.refusal(error, req, reply, signedIn, 'site', model);
    }
    await seeOther(reply, `${CONSOLE_PATHS.sites}/${id}?saved=1`);
  }

  @Post(':id/publish')
  async publish(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const signedIn = await this.access.changingSite(req, reply, body, id);
    if (!signedIn) return;
    let revision: number;
    try {
      revision = await this.console.publish(signedIn.person, id);
    } catch (error) {
      return this.access.refusal(error, req, reply, signedIn);
    }
    await seeOther(reply, `${CONSOLE_PATHS.sites}/${id}?published=${revision}`);
  }

  @Post(':id/restore')
  async restore(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const signedIn = await this.access.changing(req, reply, body);
    if (!signedIn) return;
    const raw = fieldsOf(body).revision;
    if (!SITE_ID_PATTERN.test(id) || typeof raw !== 'string' || !/^[1-9][0-9]{0,8}$/.test(raw)) {
      return this.pages.notFound(reply);
    }
    let revision: number;
    try {
      revision = await this.console.restore(signedIn.person, id, Number(raw));
    } catch (error) {
      return this.access.refusal(error, req, reply, signedIn);
    }
    await seeOther(reply, `${CONSOLE_PATHS.sites}/${id}?published=${revision}`);
  }

  /** A logo into the draft; the form is multipart, so its token is read with the file. */
  @Post(':id/logo')
  async uploadLogo(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ) {
    const post = await readLogoPost(req);
    const signedIn = await this.access.changingSite(req, reply, post.fields, id);
    if (!signedIn) return;
    try {
      await this.logos.upload(signedIn.person, id, post.file);
    } catch (error) {
      return this.refuseOnEditor(error, req, reply, signedIn, id, {});
    }
    await seeOther(reply, `${CONSOLE_PATHS.sites}/${id}?saved=1`);
  }

  /** Asks for a hostname: it answers only once its token is found served on it. */
  @Post(':id/hostnames')
  async requestHostname(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const signedIn = await this.access.changingSite(req, reply, body, id);
    if (!signedIn) return;
    const parsed = readForm('hostname', fieldsOf(body));
    try {
      if (!parsed.ok) {
        const site = await this.console.editable(signedIn.person, id);
        const model = await this.editorModel(req, site, formOf(site.draft));
        return await this.pages.send(
          reply,
          req,
          'site',
          { ...model, hostnameForm: parsed.form },
          400,
          signedIn,
        );
      }
      await this.hostnames.request(signedIn.person, id, parsed.data.hostname);
    } catch (error) {
      return this.refuseOnEditor(error, req, reply, signedIn, id, parsed.ok ? parsed.data : {});
    }
    await seeOther(reply, `${CONSOLE_PATHS.sites}/${id}?hostname=requested`);
  }

  @Post(':id/hostnames/verify')
  async verifyHostname(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const signedIn = await this.access.changing(req, reply, body);
    if (!signedIn) return;
    const parsed = readForm('hostname', fieldsOf(body));
    if (!SITE_ID_PATTERN.test(id) || !parsed.ok) return this.pages.notFound(reply);
    let revision: number;
    try {
      revision = await this.hostnames.verify(signedIn.person, id, parsed.data.hostname);
    } catch (error) {
      return this.refuseOnEditor(error, req, reply, signedIn, id, parsed.data);
    }
    await seeOther(reply, `${CONSOLE_PATHS.sites}/${id}?published=${revision}`);
  }

  private async refuseOnEditor(
    error: unknown,
    req: FastifyRequest,
    reply: FastifyReply,
    signedIn: ConsoleSignedIn,
    id: string,
    hostnameValues: Record<string, string>,
  ): Promise<void> {
    const site = await this.console.editable(signedIn.person, id).catch(() => null);
    const model = site ? await this.editorModel(req, site, formOf(site.draft)) : {};
    const hostnameForm = { values: hostnameValues, errors: {} };
    return this.access.refusal(error, req, reply, signedIn, 'site', { ...model, hostnameForm });
  }

  private async renderEditor(
    req: FastifyRequest,
    reply: FastifyReply,
    signedIn: ConsoleSignedIn,
    site: EditableSite,
    form: ConsoleForm,
    status = 200,
  ): Promise<void> {
    const model = await this.editorModel(req, site, form);
    await this.pages.send(reply, req, 'site', model, status, signedIn);
  }

  private async editorModel(
    req: FastifyRequest,
    site: EditableSite,
    form: ConsoleForm,
  ): Promise<Record<string, unknown>> {
    const [versions, occasions, hostnames] = await Promise.all([
      this.console.history(site),
      this.catalog.listOccasions(this.adminSite(req)),
      this.hostnames.ofSite(site.owner.siteId),
    ]);
    const include: readonly string[] = site.draft.catalog.includeOccasions;
    return {
      site: { id: site.owner.siteId, name: site.live.name, hostnames: site.live.hostnames },
      hasDraft: site.hasDraft,
      logoUrl: site.draft.vars.logoUrl ?? null,
      form,
      hostnameForm: { values: {}, errors: {} },
      pendingHostnames: hostnames.filter((h) => h.verifiedAt === null),
      pageFonts: Object.entries(PAGE_FONTS).map(([id, f]) => ({ id, label: f.label })),
      fonts: MESSAGE_FONTS.map((f) => ({
        id: f.id,
        label: f.label,
        chosen: site.draft.messageStyles.fonts.includes(f.id),
      })),
      occasions: occasions.map((o) => ({
        slug: o.slug,
        name: o.name,
        chosen: include[0] === '*' || include.includes(o.slug),
      })),
      versions: versions.map((v) => ({
        revision: v.revision,
        reason: v.reason,
        createdAt: v.createdAt.toISOString(),
      })),
      query: req.query,
    };
  }

  /** The admin host's site carries the whole shared catalog: the choices a partner picks from. */
  private adminSite(req: FastifyRequest): Site {
    if (!req.site) throw new Error('console page without a site');
    return req.site;
  }
}

function formOf(definition: SiteDefinition): ConsoleForm {
  const v = definition.vars;
  return {
    values: {
      brandName: v.brandName,
      tagline: v.tagline,
      heroTitle: v.heroTitle,
      heroText: v.heroText,
      footerCopy: v.footerCopy,
      themeColor: v.themeColor,
      accentColor: definition.theme?.accentColor ?? '',
      headingFont: definition.theme?.headingFont ?? '',
      bodyFont: definition.theme?.bodyFont ?? '',
      fromName: definition.email.fromName,
    },
    errors: {},
  };
}
