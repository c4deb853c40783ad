import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { OneTimeTokens, type TokenPurpose } from '../identity/one-time-tokens.js';
import { PasswordHasher } from '../identity/password-hasher.js';
import { SignInThrottle, type Throttled } from '../identity/sign-in-throttle.js';
import { JobQueues } from '../platform/queue/job-queues.js';
import { canonicalMailbox } from '../security/mailbox.js';
import type { Site } from '../sites/site.js';
import type { MemberTokenPurpose } from './account-paths.js';
import { emailKeyOf, type SignUpValues } from './dto/account-forms.js';
import type { Member } from './member.entity.js';
import { MemberSessions } from './member-sessions.js';
import { MembersRepository } from './members.repository.js';
import { FavouritesRepository } from './favourites.repository.js';
import { SentHistoryRepository } from './sent-history.repository.js';
import { AddressBook, type AddressBookExport } from './address-book/address-book.service.js';
import { RemindersRepository } from './reminders/reminders.repository.js';

export type EmailOutcome = { sent: true } | { throttled: Throttled };
export type SignInOutcome = { member: Member } | { wrong: true } | { throttled: Throttled };

/**
 * Member accounts of one site. Whether an address has an account is never told to whoever
 * asks: signing up with a known address, or asking a link or a reset for any address, answers
 * "check your email", and only the mailbox learns more (a known address gets a sign-in link).
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly members: MembersRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: SignInThrottle,
    private readonly tokens: OneTimeTokens,
    private readonly queues: JobQueues,
    private readonly sessions: MemberSessions,
    private readonly history: SentHistoryRepository,
    private readonly favourites: FavouritesRepository,
    private readonly book: AddressBook,
    private readonly reminders: RemindersRepository,
  ) {}

  async signUp(site: Site, client: string, form: SignUpValues): Promise<EmailOutcome> {
    const throttled = await this.throttle.admitEmail(client, addressKey(site, form.email));
    if (throttled) return { throttled };
    const now = new Date();
    const member: Member = {
      id: randomUUID(),
      siteId: site.id,
      email: form.email,
      emailKey: emailKeyOf(form.email),
      displayName: form.displayName,
      passwordHash: form.password === '' ? null : await this.hasher.hash(form.password),
      emailVerifiedAt: null,
      timeZone: null,
      remindersStoppedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    if (await this.members.insert(member)) {
      // With no password, the first sign-in link is the way in and proves the address too.
      await this.email(site, member.id, form.password === '' ? 'sign-in' : 'verify-email');
      return { sent: true };
    }
    const existing = await this.members.findByEmail(site.id, member.emailKey);
    if (existing) await this.email(site, existing.id, 'sign-in');
    return { sent: true };
  }

  /** A sign-in link or a reset link for the address, if it has an account. */
  async requestEmail(
    site: Site,
    client: string,
    address: string,
    purpose: Extract<TokenPurpose, 'sign-in' | 'reset-password'>,
  ): Promise<EmailOutcome> {
    const throttled = await this.throttle.admitEmail(client, addressKey(site, address));
    if (throttled) return { throttled };
    const member = await this.members.findByEmail(site.id, emailKeyOf(address));
    if (member) await this.email(site, member.id, purpose);
    return { sent: true };
  }

  async signIn(
    site: Site,
    client: string,
    address: string,
    password: string,
  ): Promise<SignInOutcome> {
    const account = `${site.id}:${emailKeyOf(address)}`;
    const throttled = await this.throttle.passwordRefusal(client, account);
    if (throttled) return { throttled };
    const member = await this.members.findByEmail(site.id, emailKeyOf(address));
    if (!(await this.hasher.matches(member?.passwordHash ?? null, password)) || !member) {
      await this.throttle.passwordFailed(client, account);
      return { wrong: true };
    }
    await this.throttle.passwordSucceeded(account);
    return { member };
  }

  /** Peeks at an emailed link's token without using it: the page that asks "sign in?". */
  async linkHolder(site: Site, purpose: TokenPurpose, token: unknown): Promise<Member | null> {
    const subject = await this.tokens.peek(purpose, site.id, token);
    return subject ? this.members.findById(site.id, subject.subjectId) : null;
  }

  /**
   * Uses up a sign-in or verification link: the member it was mailed to, now verified (opening
   * the link proved the address), or null. A locked password does not stop a link.
   */
  async redeem(
    site: Site,
    purpose: Extract<TokenPurpose, 'sign-in' | 'verify-email'>,
    token: unknown,
  ): Promise<Member | null> {
    const subject = await this.tokens.redeem(purpose, site.id, token);
    if (!subject) return null;
    await this.members.markVerified(site.id, subject.subjectId, new Date());
    return this.members.findById(site.id, subject.subjectId);
  }

  /** A new password from a reset link: every other session ends, the account's lock too. */
  async resetPassword(site: Site, token: unknown, password: string): Promise<Member | null> {
    const subject = await this.tokens.redeem('reset-password', site.id, token);
    const member = subject ? await this.members.findById(site.id, subject.subjectId) : null;
    if (!member) return null;
    const now = new Date();
    await this.members.setPassword(site.id, member.id, await this.hasher.hash(password), now);
    await this.members.markVerified(site.id, member.id, now);
    await this.sessions.endAll(site, member.id);
    await this.throttle.passwordSucceeded(`${site.id}:${member.emailKey}`);
    return member;
  }

  /**
   * The account and everything in it, and every session it had. The cards it sent stay their
   * recipients' (their links keep working, the retention job removes them in time) but no
   * longer name the member.
   */
  async delete(site: Site, member: Member): Promise<void> {
    await this.sessions.endAll(site, member.id);
    await this.history.forget(site.id, member.id);
    await this.favourites.removeAll(site.id, member.id);
    await this.book.deleteAll(site, member.id);
    await this.members.delete(site.id, member.id);
  }

  /** Everything the platform keeps about the member, as they could read it. */
  async exportOf(site: Site, member: Member): Promise<MemberExport> {
    const [sent, favourites, addressBook, reminders] = await Promise.all([
      this.history.sentBy(site.id, member.id),
      this.favourites.slugsOf(site.id, member.id),
      this.book.exportOf(site, member.id),
      this.reminders.list(site.id, member.id),
    ]);
    return {
      site: site.id,
      account: {
        id: member.id,
        name: member.displayName,
        email: member.email,
        emailVerifiedAt: member.emailVerifiedAt?.toISOString() ?? null,
        signsInWithPassword: member.passwordHash !== null,
        createdAt: member.createdAt.toISOString(),
        updatedAt: member.updatedAt.toISOString(),
      },
      sent: sent.map((g) => ({
        card: g.cardSlug,
        status: g.status,
        sentAt: g.createdAt.toISOString(),
        sendAt: g.sendAt?.toISOString() ?? null,
        recipients: g.recipients,
      })),
      favouriteCards: favourites,
      addressBook,
      reminders: {
        timeZone: member.timeZone ?? site.timeZone,
        stopped: member.remindersStoppedAt !== null,
        list: reminders.map((r) => ({
          occasion: r.occasionSlug,
          contact: r.contactName,
          date: r.dateLabel,
          daysBefore: r.daysBefore,
          lastSentFor: r.lastSentFor,
        })),
      },
    };
  }

  private async email(site: Site, memberId: string, purpose: MemberTokenPurpose): Promise<void> {
    const emailId = randomBytes(16).toString('base64url');
    await this.queues.enqueue([
      {
        job: {
          name: 'send-account-email',
          payload: { siteId: site.id, memberId, purpose, emailId },
        },
      },
    ]);
  }
}

export interface MemberExport {
  site: string;
  account: {
    id: string;
    name: string;
    email: string;
    emailVerifiedAt: string | null;
    signsInWithPassword: boolean;
    createdAt: string;
    updatedAt: string;
  };
  sent: {
    card: string;
    status: string;
    sentAt: string;
    sendAt: string | null;
    recipients: { name: string; email: string; status: string }[];
  }[];
  favouriteCards: string[];
  addressBook: AddressBookExport;
  reminders: {
    timeZone: string;
    stopped: boolean;
    list: {
      occasion: string | null;
      contact: string | null;
      date: string | null;
      daysBefore: number;
      lastSentFor: string | null;
    }[];
  };
}

/** Emails to one mailbox are counted together however the address is spelt. */
function addressKey(site: Site, address: string): string {
  return `${site.id}:${canonicalMailbox(address)}`;
}
