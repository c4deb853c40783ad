import {
  Body,
  Controller,
  Get,
  Header,
  HttpException,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, ValidationFailed } from '../common/domain-errors.js';
import { formatSiteDate } from '../rendering/format-date.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { FormGuard } from '../security/form-guard.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { parseEditGreeting } from './dto/edit-greeting.schema.js';
import type { Greeting } from './greeting.entity.js';
import { GreetingManageService } from './greeting-manage.service.js';
import { timeZoneChoices } from './time-zone-choices.js';
import { zoneOffsetMinutes } from './zoned-time.js';
import { PRIVATE_PAGE_REFERRER_POLICY } from '../http/security-headers.js';

const GREETING_ID = /^[0-9a-f-]{36}$/;

/** The sender's private page to change or cancel a scheduled card; works without JavaScript. */
@Controller('manage')
export class ManageController {
  constructor(
    private readonly manage: GreetingManageService,
    private readonly pages: PageRenderer,
    private readonly forms: FormGuard,
  ) {}

  @Get(':id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @Header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY)
  async show(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Param('id') id: string,
    @Query('s') token?: string,
    @Query('done') done?: string,
  ): Promise<string> {
    if (!GREETING_ID.test(id)) throw new NotFoundError('greeting');
    const greeting = await this.manage.authorised(site, id, token);
    const notice =
      done === 'saved'
        ? 'Your changes are saved.'
        : done === 'cancelled'
          ? 'Your card is cancelled.'
          : null;
    return this.render(site, request, greeting, token as string, { notice, error: null });
  }

  @Post(':id')
  async change(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: Record<string, unknown> | undefined,
    @Query('s') token?: string,
  ): Promise<void> {
    if (!GREETING_ID.test(id)) throw new NotFoundError('greeting');
    const current = await this.manage.authorised(site, id, token);
    this.forms.verify(request, site, 'manage', id, body?._csrf);
    const text = (key: string): string => (typeof body?.[key] === 'string' ? body[key] : '');
    const back = `/manage/${id}?s=${encodeURIComponent(token as string)}`;
    try {
      if (text('action') === 'cancel') {
        await this.manage.cancel(site, id, token);
        await reply.code(303).header('Location', `${back}&done=cancelled`).send();
        return;
      }
      const date = text('sendDate');
      const input: Record<string, string> = { message: text('message') };
      if (date !== '') input.sendAt = `${date}T${text('sendTime') || '09:00'}`;
      if (text('timeZone') !== '') input.timeZone = text('timeZone');
      const parsed = parseEditGreeting(input, site.limits, current.timeZone, new Date());
      if (!parsed.ok) throw new ValidationFailed(parsed.errors);
      await this.manage.edit(site, id, token, parsed.command);
      await reply.code(303).header('Location', `${back}&done=saved`).send();
    } catch (error) {
      const message =
        error instanceof ValidationFailed
          ? error.errors.map((e) => `${e.field} ${e.message}`).join('; ')
          : error instanceof HttpException
            ? error.message
            : null;
      if (message === null) throw error;
      const status = error instanceof HttpException ? error.getStatus() : 400;
      const fresh = await this.manage.authorised(site, id, token);
      const html = this.render(site, request, fresh, token as string, {
        notice: null,
        error: message,
      });
      await reply
        .code(status)
        .header('Cache-Control', 'private, no-store')
        .header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY)
        .type('text/html; charset=utf-8')
        .send(html);
    }
  }

  private render(
    site: Site,
    request: FastifyRequest,
    greeting: Greeting & { changeable?: boolean },
    token: string,
    messages: { notice: string | null; error: string | null },
  ): string {
    const local = greeting.sendAt ? localParts(greeting.sendAt, greeting.timeZone) : null;
    return this.pages.render(site, request, 'manage', {
      ...messages,
      action: `/manage/${greeting.id}?s=${encodeURIComponent(token)}`,
      csrfToken: this.forms.token(site, 'manage', greeting.id),
      timeZones: timeZoneChoices(greeting.timeZone),
      greeting: {
        status: greeting.status,
        message: greeting.message,
        timeZone: greeting.timeZone,
        sendAtText: greeting.sendAt
          ? formatSiteDate(site, greeting.sendAt, greeting.timeZone)
          : null,
        sendDate: local?.date ?? '',
        sendTime: local?.time ?? '',
        changeable: greeting.status === 'scheduled',
      },
    });
  }
}

/** The instant as the sender's zone shows it, for the form's date and time inputs. */
function localParts(instant: Date, timeZone: string): { date: string; time: string } {
  const shifted = new Date(instant.getTime() + zoneOffsetMinutes(timeZone, instant) * 60_000);
  const iso = shifted.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}
