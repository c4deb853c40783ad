import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../common/domain-errors.js';
import { RoutePolicy } from '../../http/edge/route-policy.js';
import { SignedLinks } from '../../greetings/signed-links.js';
import { FormGuard } from '../../security/form-guard.js';
import { CurrentSite } from '../../sites/site-request.js';
import type { Site } from '../../sites/site.js';
import { AccountPages, fieldsOf } from '../account-pages.js';
import { MembersRepository } from '../members.repository.js';
import { RemindersRepository } from './reminders.repository.js';

const ID = /^[0-9a-f-]{36}$/;

/**
 * The stop links of a reminder email: one reminder, or every reminder of the member. Signed
 * links, no sign-in needed (they come from the member's own mail). Opening one shows a button
 * (mail scanners fetch links and must stop nothing); the button, or a mail provider's RFC 8058
 * one-click post, stops.
 */
@Controller('account/reminders')
@RoutePolicy({ rateLimit: 'private-link' })
export class ReminderStopController {
  constructor(
    private readonly links: SignedLinks,
    private readonly reminders: RemindersRepository,
    private readonly members: MembersRepository,
    private readonly forms: FormGuard,
    private readonly pages: AccountPages,
  ) {}

  @Get('stop/:id/:mac')
  async confirmOne(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Param('mac') mac: string,
  ) {
    this.check('reminder-stop', id, mac);
    await this.page(req, reply, site, `stop/${id}/${mac}`, `reminder:${id}`, 'one');
  }

  @Post('stop/:id/:mac')
  async stopOne(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Param('mac') mac: string,
    @Body() body: unknown,
  ) {
    this.check('reminder-stop', id, mac);
    this.verifyPost(req, site, `reminder:${id}`, body);
    const reminder = await this.reminders.find(id);
    if (reminder && reminder.siteId === site.id) {
      await this.reminders.delete(site.id, reminder.memberId, id);
    }
    await this.done(req, reply, site, 'one');
  }

  @Get('stop-all/:memberId/:mac')
  async confirmAll(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('memberId') memberId: string,
    @Param('mac') mac: string,
  ) {
    this.check('reminders-stop-all', memberId, mac);
    await this.page(
      req,
      reply,
      site,
      `stop-all/${memberId}/${mac}`,
      `reminders:${memberId}`,
      'all',
    );
  }

  @Post('stop-all/:memberId/:mac')
  async stopAll(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('memberId') memberId: string,
    @Param('mac') mac: string,
    @Body() body: unknown,
  ) {
    this.check('reminders-stop-all', memberId, mac);
    this.verifyPost(req, site, `reminders:${memberId}`, body);
    await this.members.setRemindersStopped(site.id, memberId, new Date());
    await this.done(req, reply, site, 'all');
  }

  private check(purpose: 'reminder-stop' | 'reminders-stop-all', id: string, mac: string): void {
    if (!ID.test(id) || !this.links.verify(purpose, id, mac)) throw new NotFoundError('page');
  }

  private verifyPost(req: FastifyRequest, site: Site, binding: string, body: unknown): void {
    const fields = fieldsOf(body);
    if (fields['List-Unsubscribe'] === 'One-Click') this.forms.verifyOrigin(req);
    else this.forms.verify(req, site, 'unsubscribe', binding, fields._csrf);
  }

  private page(
    req: FastifyRequest,
    reply: FastifyReply,
    site: Site,
    path: string,
    binding: string,
    scope: 'one' | 'all',
  ): Promise<void> {
    return this.pages.send(reply, req, site, 'reminders-unsubscribe', {
      done: false,
      scope,
      action: `/account/reminders/${path}`,
      stopToken: this.forms.token(site, 'unsubscribe', binding),
    });
  }

  private done(
    req: FastifyRequest,
    reply: FastifyReply,
    site: Site,
    scope: 'one' | 'all',
  ): Promise<void> {
    return this.pages.send(reply, req, site, 'reminders-unsubscribe', { done: true, scope });
  }
}
