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
import { formatZonedTime } from '../rendering/format-date.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { FormGuard } from '../security/form-guard.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { fieldMessage } from './form-messages.js';
import { parseEditGreeting } from './dto/edit-greeting.schema.js';
import type { Greeting } from './greeting.entity.js';
import { GreetingManageService } from './greeting-manage.service.js';
import { RECIPIENT_STATUS_LABELS } from './recipient-status-labels.js';
import { timeZoneChoices } from './time-zone-choices.js';
import { zoneOffsetMinutes } from './zoned-time.js';
import { PRIVATE_PAGE_REFERRER_POLICY, privateReply } from '../http/security-headers.js';
import { CHANGE_BODY_LIMIT, RoutePolicy } from '../http/edge/route-policy.js';

const GREETING_ID = /^[0-9a-f-]{36}$/;

/** The sender's private page to change or cancel a scheduled card; works without JavaScript. */
@RoutePolicy({ rateLimit: 'private-link', bodyLimit: CHANGE_BODY_LIMIT })
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
    return this.render(site, request, greeting, token as string, { notice });
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
    const posted: ManageFormValues = {
      message: text('message'),
      sendDate: text('sendDate').trim(),
      sendTime: text('sendTime').trim(),
      timeZone: text('timeZone'),
    };
    try {
      if (text('action') === 'cancel') {
        await this.manage.cancel(site, id, token);
        await reply.code(303).header('Location', `${back}&done=cancelled`).send();
        return;
      }
      const input: Record<string, string> = { message: posted.message };
      if (posted.sendDate !== '') input.sendAt = `${posted.sendDate}T${posted.sendTime || '09:00'}`;
      if (posted.timeZone !== '') input.timeZone = posted.timeZone;
      const parsed = parseEditGreeting(input, site.limits, current.timeZone, new Date());
      if (!parsed.ok) throw new ValidationFailed(parsed.errors);
      await this.manage.edit(site, id, token, parsed.command);
      await reply.code(303).header('Location', `${back}&done=saved`).send();
    } catch (error) {
      let errors: Record<string, string>;
      if (error instanceof ValidationFailed) {
        errors = {};
        for (const e of error.errors) errors[e.field] ??= fieldMessage(e.field, e.message);
      } else if (error instanceof HttpException) {
        errors = { form: error.message };
      } else {
        throw error;
      }
      const status = error instanceof HttpException ? error.getStatus() : 400;
      const fresh = await this.manage.authorised(site, id, token);
      // A refused change shows what was typed; a card that can no longer change shows itself.
      const values = error instanceof ValidationFailed ? posted : undefined;
      const html = await this.render(site, request, fresh, token as string, { errors, values });
      await privateReply(reply).code(status).type('text/html; charset=utf-8').send(html);
    }
  }

  private async render(
    site: Site,
    request: FastifyRequest,
    greeting: Greeting,
    token: string,
    state: { notice?: string | null; errors?: Record<string, string>; values?: ManageFormValues },
  ): Promise<string> {
    const { card, recipients } = await this.manage.particulars(site, greeting);
    const local = greeting.sendAt ? localParts(greeting.sendAt, greeting.timeZone) : null;
    const values: ManageFormValues = state.values ?? {
      message: greeting.message,
      sendDate: local?.date ?? '',
      sendTime: local?.time ?? '',
      timeZone: greeting.timeZone,
    };
    return this.pages.render(site, request, 'manage', {
      notice: state.notice ?? null,
      form: { errors: state.errors ?? {}, values },
      action: `/manage/${greeting.id}?s=${encodeURIComponent(token)}`,
      csrfToken: this.forms.token(site, 'manage', greeting.id),
      timeZones: timeZoneChoices(values.timeZone || greeting.timeZone),
      limits: site.limits,
      card,
      greeting: {
        status: greeting.status,
        sendAtText: greeting.sendAt
          ? formatZonedTime(site, greeting.sendAt, greeting.timeZone)
          : null,
        changeable: greeting.status === 'scheduled',
      },
      recipients: recipients.map((r) => ({
        name: r.name,
        email: r.email,
        status: r.status,
        statusText: RECIPIENT_STATUS_LABELS[r.status],
      })),
    });
  }
}

/** What the manage form posts, kept to show it again when a change is refused. */
interface ManageFormValues {
  message: string;
  sendDate: string;
  sendTime: string;
  timeZone: string;
}

/** The instant as the sender's zone shows it, for the form's date and time inputs. */
function localParts(instant: Date, timeZone: string): { date: string; time: string } {
  const shifted = new Date(instant.getTime() + zoneOffsetMinutes(timeZone, instant) * 60_000);
  const iso = shifted.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}
