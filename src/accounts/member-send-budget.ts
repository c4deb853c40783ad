import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { Site } from '../sites/site.js';
import { SentHistoryRepository } from './sent-history.repository.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * A signed-in member's own budget of cards per rolling 24 hours (MEMBER_SENDS_PER_DAY), on top
 * of the per-connection and per-sender limits every send has: an account someone took over, or
 * a script behind one, sends at most this many before it must wait. Counted from the member's
 * greetings themselves, so it needs no counter of its own and cannot drift from what was sent.
 */
@Injectable()
export class MemberSendBudget {
  private readonly perDay: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly history: SentHistoryRepository,
  ) {
    this.perDay = config.identity.memberSendsPerDay;
  }

  /** Null when the member may send now; else why not, and until when (the oldest send's age). */
  async refusal(
    site: Site,
    memberId: string,
    now = new Date(),
  ): Promise<{ status: 429; retryAfterSeconds: number; message: string } | null> {
    const sent = await this.history.sentSince(
      site.id,
      memberId,
      new Date(now.getTime() - DAY_MS),
      this.perDay,
    );
    const oldest = sent[0];
    if (sent.length < this.perDay || !oldest) return null;
    const seconds = Math.max(1, Math.ceil((oldest.getTime() + DAY_MS - now.getTime()) / 1000));
    const hours = Math.ceil(seconds / 3600);
    return {
      status: 429,
      retryAfterSeconds: seconds,
      message: `Your account has sent ${this.perDay} cards in the last 24 hours, as many as it may. Please try again in ${hours} hour${hours === 1 ? '' : 's'}.`,
    };
  }
}
