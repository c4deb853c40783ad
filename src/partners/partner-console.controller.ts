import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SiteRegistry } from '../sites/site-registry.js';
import { ConsoleAccess } from './console-access.js';
import { PartnerAuth } from './partner-auth.service.js';
import { PartnerConsole } from './partner-console.service.js';
import { type ConsoleForm, readForm } from './partner-forms.js';
import { fieldsOf, PartnerPages, seeOther } from './partner-pages.js';
import { CONSOLE_PATHS } from './partner-paths.js';
import { mayCreatePartners, maySeeAudit } from './partner-roles.js';
import { type ConsoleSignedIn, PartnerSessions } from './partner-sessions.js';

const BLANK: ConsoleForm = { values: {}, errors: {} };

/**
 * The console's home (what the person may see: partners, sites, people), creating partners,
 * inviting people, the audit, the second factor and signing out.
 */
@Controller('partner')
export class PartnerConsoleController {
  constructor(
    private readonly access: ConsoleAccess,
    private readonly console: PartnerConsole,
    private readonly pages: PartnerPages,
    private readonly sessions: PartnerSessions,
    private readonly auth: PartnerAuth,
    private readonly registry: SiteRegistry,
  ) {}

  @Get()
  async home(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const signedIn = await this.access.reading(req, reply);
    if (signedIn) await this.renderHome(req, reply, signedIn);
  }

  @Post('partners')
  async createPartner(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const signedIn = await this.access.changing(req, reply, body);
    if (!signedIn) return;
    const parsed = readForm('newPartner', fieldsOf(body));
    if (!parsed.ok) return this.renderHome(req, reply, signedIn, { partner: parsed.form }, 400);
    try {
      await this.console.createPartner(signedIn.person, parsed.data);
    } catch (error) {
      return this.access.refusal(
        error,
        req,
        reply,
        signedIn,
        'home',
        await this.homeModel(signedIn, {
          partner: { values: parsed.data, errors: {} },
        }),
      );
    }
    await seeOther(reply, `${CONSOLE_PATHS.home}?created=${parsed.data.siteId}`);
  }

  @Post('people')
  async invite(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const signedIn = await this.access.changing(req, reply, body);
    if (!signedIn) return;
    const fields = fieldsOf(body);
    const parsed = readForm('invite', fields);
    if (!parsed.ok) return this.renderHome(req, reply, signedIn, { invite: parsed.form }, 400);
    const me = signedIn.person;
    // Operators choose the partner; anyone else invites to their own.
    const partnerId =
      me.role === 'operator' && typeof fields.partnerId === 'string'
        ? fields.partnerId
        : me.partnerId;
    try {
      await this.console.invite(me, partnerId ?? '', parsed.data.email, parsed.data.role);
    } catch (error) {
      return this.access.refusal(
        error,
        req,
        reply,
        signedIn,
        'home',
        await this.homeModel(signedIn, {
          invite: { values: parsed.data, errors: {} },
        }),
      );
    }
    await seeOther(reply, `${CONSOLE_PATHS.home}?invited=1`);
  }

  @Get('audit')
  async audit(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const signedIn = await this.access.reading(req, reply);
    if (!signedIn) return;
    try {
      const rows = await this.console.visibleAudit(signedIn.person);
      await this.pages.send(reply, req, 'audit', { rows }, 200, signedIn);
    } catch (error) {
      await this.access.refusal(error, req, reply, signedIn);
    }
  }

  @Get('totp')
  async totpForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const signedIn = await this.access.reading(req, reply);
    if (!signedIn) return;
    const enrolment = this.auth.enrolment(signedIn.person, this.issuer(req));
    await this.pages.send(reply, req, 'totp', { enrolment, form: BLANK }, 200, signedIn);
  }

  /** The code proves the app holds the secret shown on the page; only then is it stored. */
  @Post('totp')
  async enrol(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const signedIn = await this.access.changing(req, reply, body);
    if (!signedIn) return;
    const fields = fieldsOf(body);
    const secret = typeof fields.secret === 'string' ? fields.secret : '';
    const parsed = readForm('totp', fields);
    if (parsed.ok && (await this.auth.enrol(signedIn.person, secret, parsed.data.code))) {
      return seeOther(reply, `${CONSOLE_PATHS.home}?totp=1`);
    }
    const enrolment = this.auth.enrolment(signedIn.person, this.issuer(req));
    const form = {
      values: {},
      errors: { code: 'Code: that code does not match; scan the new secret and try again' },
    };
    await this.pages.send(reply, req, 'totp', { enrolment, form }, 400, signedIn);
  }

  @Post('sign-out')
  async signOut(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    const signedIn = await this.access.changing(req, reply, body);
    if (!signedIn) return;
    await this.sessions.end(signedIn.session);
    await seeOther(reply, CONSOLE_PATHS.signIn, this.sessions.clearCookie());
  }

  @Post('sign-out-everywhere')
  async signOutEverywhere(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const signedIn = await this.access.changing(req, reply, body);
    if (!signedIn) return;
    await this.sessions.endAll(signedIn.person.id);
    await seeOther(reply, CONSOLE_PATHS.signIn, this.sessions.clearCookie());
  }

  private async renderHome(
    req: FastifyRequest,
    reply: FastifyReply,
    signedIn: ConsoleSignedIn,
    forms: { partner?: ConsoleForm; invite?: ConsoleForm } = {},
    status = 200,
  ): Promise<void> {
    const model = await this.homeModel(signedIn, forms);
    await this.pages.send(reply, req, 'home', { ...model, query: req.query }, status, signedIn);
  }

  private async homeModel(
    signedIn: ConsoleSignedIn,
    forms: { partner?: ConsoleForm; invite?: ConsoleForm },
  ): Promise<Record<string, unknown>> {
    const me = signedIn.person;
    const [partners, owned, people] = await Promise.all([
      this.console.visiblePartners(me),
      this.console.visibleSites(me),
      this.console.visiblePeople(me),
    ]);
    const sites = owned.map((s) => {
      const site = this.registry.get(s.siteId);
      return {
        id: s.siteId,
        partnerId: s.partnerId,
        name: site?.name ?? s.siteId,
        url: site ? site.baseUrl : '',
        hasDraft: s.draft !== null,
        editable: true,
      };
    });
    // Operators see every site; those no partner owns (the flagship, sites imported from
    // folders) change through their folders and the CLI, not the editor.
    if (me.role === 'operator') {
      const ownedIds = new Set(owned.map((s) => s.siteId));
      for (const site of this.registry.sites) {
        if (ownedIds.has(site.id)) continue;
        sites.push({
          id: site.id,
          partnerId: 'platform',
          name: site.name,
          url: site.baseUrl,
          hasDraft: false,
          editable: false,
        });
      }
    }
    return {
      partners,
      sites,
      people,
      mayCreatePartners: mayCreatePartners(me),
      maySeeAudit: maySeeAudit(me),
      mayInvite: me.role !== 'analyst',
      partnerForm: forms.partner ?? BLANK,
      inviteForm: forms.invite ?? BLANK,
    };
  }

  private issuer(req: FastifyRequest): string {
    return `${req.site?.name ?? 'Ecard'} partner console`;
  }
}
