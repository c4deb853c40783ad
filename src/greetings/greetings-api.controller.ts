import {
  Body,
  Controller,
  Delete,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, ValidationFailed } from '../common/domain-errors.js';
import { ApiSendGuard } from '../security/api-send-guard.js';
import { callerOf } from '../security/caller.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { parseEditGreeting } from './dto/edit-greeting.schema.js';
import { parseSendGreeting } from './dto/send-greeting.schema.js';
import { GreetingManageService } from './greeting-manage.service.js';
import { GreetingsService } from './greetings.service.js';
import { CHANGE_BODY_LIMIT, RoutePolicy, SEND_BODY_LIMIT } from '../http/edge/route-policy.js';

export interface SendGreetingResponse {
  id: string;
  status: string;
  sendAt: string | null;
  /** Private link to change or cancel a scheduled greeting; only for scheduled ones. */
  manageUrl?: string;
  recipients: { email: string; pickupUrl: string }[];
}

export interface ManagedGreetingResponse {
  id: string;
  status: string;
  sendAt: string | null;
  timeZone: string;
  message: string;
}

const GREETING_ID = /^[0-9a-f-]{36}$/;

@RoutePolicy({ json: true })
@Controller('api/greetings')
export class GreetingsApiController {
  constructor(
    private readonly greetings: GreetingsService,
    private readonly manage: GreetingManageService,
    private readonly sendGuard: ApiSendGuard,
  ) {}

  /** 201 for a new greeting, 200 when an idempotency key replays an earlier one. */
  @RoutePolicy({ sendGuard: 'api', bodyLimit: SEND_BODY_LIMIT })
  @Post()
  @HttpCode(201)
  async send(
    @CurrentSite() site: Site,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Req() request: FastifyRequest,
  ): Promise<SendGreetingResponse> {
    const parsed = parseSendGreeting(
      body ?? {},
      site.limits,
      site.timeZone,
      new Date(),
      site.messageStyles,
    );
    if (!parsed.ok) throw new ValidationFailed(parsed.errors);
    await this.sendGuard.admit(request, reply, site, parsed.command);
    // A key's holder (a partner's system, an operator's script) vouches for its senders'
    // addresses; anyone else's may be someone else's, and is never mailed about the card.
    const sender = { memberId: null, verified: callerOf(request).apiKey !== null };
    const sent = await this.greetings.send(site, parsed.command, new Date(), sender);
    if (sent.replayed) reply.code(200);
    reply.header('Cache-Control', 'no-store');
    return {
      id: sent.id,
      status: sent.status,
      sendAt: sent.sendAt?.toISOString() ?? null,
      ...(sent.sendAt ? { manageUrl: this.manage.manageUrl(site, sent.id) } : {}),
      recipients: sent.recipients.map((r) => ({ email: r.email, pickupUrl: r.pickupUrl })),
    };
  }

  /** Change message, date-time or zone of a scheduled greeting; 409 once delivery has begun. */
  @RoutePolicy({ rateLimit: 'private-link', bodyLimit: CHANGE_BODY_LIMIT })
  @Patch(':id')
  async edit(
    @CurrentSite() site: Site,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query('token') queryToken?: string,
    @Headers('x-manage-token') headerToken?: string,
  ): Promise<ManagedGreetingResponse> {
    if (!GREETING_ID.test(id)) throw new NotFoundError('greeting');
    const token = headerToken ?? queryToken;
    const current = await this.manage.authorised(site, id, token);
    const parsed = parseEditGreeting(body, site.limits, current.timeZone, new Date());
    if (!parsed.ok) throw new ValidationFailed(parsed.errors);
    const updated = await this.manage.edit(site, id, token, parsed.command);
    return {
      id: updated.id,
      status: updated.status,
      sendAt: updated.sendAt?.toISOString() ?? null,
      timeZone: updated.timeZone,
      message: updated.message,
    };
  }

  /** Cancel a greeting that has not started to go out; 409 once delivery has begun. */
  @RoutePolicy({ rateLimit: 'private-link', bodyLimit: CHANGE_BODY_LIMIT })
  @Delete(':id')
  async cancel(
    @CurrentSite() site: Site,
    @Param('id') id: string,
    @Query('token') queryToken?: string,
    @Headers('x-manage-token') headerToken?: string,
  ): Promise<{ id: string; status: 'cancelled' }> {
    if (!GREETING_ID.test(id)) throw new NotFoundError('greeting');
    await this.manage.cancel(site, id, headerToken ?? queryToken);
    return { id, status: 'cancelled' };
  }
}
