import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ValidationFailed } from '../common/domain-errors.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { parseSendGreeting } from './dto/send-greeting.schema.js';
import { GreetingsService } from './greetings.service.js';

export interface SendGreetingResponse {
  id: string;
  status: string;
  sendAt: string | null;
  recipients: { email: string; pickupUrl: string }[];
}

@Controller('api/greetings')
export class GreetingsApiController {
  constructor(private readonly greetings: GreetingsService) {}

  /** 201 for a new greeting, 200 when an idempotency key replays an earlier one. */
  @Post()
  @HttpCode(201)
  async send(
    @CurrentSite() site: Site,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SendGreetingResponse> {
    const parsed = parseSendGreeting(body ?? {}, site.limits, site.timeZone, new Date());
    if (!parsed.ok) throw new ValidationFailed(parsed.errors);
    const sent = await this.greetings.send(site, parsed.command);
    if (sent.replayed) reply.code(200);
    reply.header('Cache-Control', 'no-store');
    return {
      id: sent.id,
      status: sent.status,
      sendAt: sent.sendAt?.toISOString() ?? null,
      recipients: sent.recipients.map((r) => ({ email: r.email, pickupUrl: r.pickupUrl })),
    };
  }
}
