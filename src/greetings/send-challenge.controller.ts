import { Controller, Get, Header, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Challenge } from 'altcha-lib';
import { AbuseLimiter } from '../security/abuse-limiter.js';
import { callerOf } from '../security/caller.js';
import { ProofOfWork } from '../security/proof-of-work.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';

export type SendChallengeResponse = { required: false } | { required: true; challenge: Challenge };

/**
 * The compose form's script asks here, just before it posts, whether this client must show
 * work, and gets a fresh challenge if so. An endpoint of its own, never cached, because the
 * form page itself may come from a shared shell: a challenge in it would be everyone's.
 */
@Controller()
export class SendChallengeController {
  constructor(
    private readonly limiter: AbuseLimiter,
    private readonly proof: ProofOfWork,
  ) {}

  @Get('/send-challenge')
  @Header('Cache-Control', 'private, no-store')
  async challenge(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
  ): Promise<SendChallengeResponse> {
    if (!(await this.limiter.composeChallengeDue(callerOf(request).ip))) return { required: false };
    return { required: true, challenge: await this.proof.challenge(site.id) };
  }
}
