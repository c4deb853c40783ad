import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verifySync } from 'otplib';
import { OneTimeTokens } from '../identity/one-time-tokens.js';
import { PasswordHasher } from '../identity/password-hasher.js';
import { SignInThrottle, type Throttled } from '../identity/sign-in-throttle.js';
import { JobQueues } from '../platform/queue/job-queues.js';
import { canonicalMailbox } from '../security/mailbox.js';
import { AuditRepository } from './audit.repository.js';
import { emailKeyOf } from './partner-forms.js';
import type { PartnerPerson } from './partner.entity.js';
import { CONSOLE_REALM, PartnerSessions } from './partner-sessions.js';
import { PeopleRepository } from './people.repository.js';

export type ConsoleSignIn =
  { person: PartnerPerson } | { wrong: true } | { codeNeeded: true } | { throttled: Throttled };

export type ConsoleLink = 'invite' | 'reset-password';

/** A TOTP code is accepted one 30-second step either side: phones' clocks drift. */
const TOTP_TOLERANCE_SECONDS = 30;

/**
 * Signing console people in and out: passwords (Argon2id), an optional TOTP second factor,
 * emailed invite and reset links. Like members', wrong passwords are throttled per client and
 * per account, and nobody learns whether an address has a console account.
 */
@Injectable()
export class PartnerAuth {
  constructor(
    private readonly people: PeopleRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: SignInThrottle,
    private readonly tokens: OneTimeTokens,
    private readonly queues: JobQueues,
    private readonly sessions: PartnerSessions,
    private readonly audit: AuditRepository,
  ) {}

  async signIn(
    client: string,
    address: string,
    password: string,
    code: string,
  ): Promise<ConsoleSignIn> {
    const account = accountKey(address);
    const throttled = await this.throttle.passwordRefusal(client, account);
    if (throttled) return { throttled };
    const person = await this.people.findByEmail(emailKeyOf(address));
    if (!(await this.hasher.matches(person?.passwordHash ?? null, password)) || !person) {
      await this.throttle.passwordFailed(client, account);
      return { wrong: true };
    }
    if (person.totpSecret !== null) {
      // The password alone proves nothing yet: a wrong code counts like a wrong password.
      if (code === '') return { codeNeeded: true };
      if (!totpMatches(person.totpSecret, code)) {
        await this.throttle.passwordFailed(client, account);
        return { wrong: true };
      }
    }
    await this.throttle.passwordSucceeded(account);
    return { person };
  }

  /** A reset link for the address, if it belongs to someone; the same answer either way. */
  async requestReset(client: string, address: string): Promise<Throttled | null> {
    const throttled = await this.throttle.admitEmail(client, accountKey(address));
    if (throttled) return throttled;
    const person = await this.people.findByEmail(emailKeyOf(address));
    if (person) await this.email(person.id, 'reset-password');
    return null;
  }

  /** Mails an invited person the link to choose their password. */
  invite(personId: string): Promise<void> {
    return this.email(personId, 'invite');
  }

  /** Peeks at an emailed link without using it up: the page that asks for the password. */
  async linkHolder(purpose: ConsoleLink, token: unknown): Promise<PartnerPerson | null> {
    const subject = await this.tokens.peek(purpose, CONSOLE_REALM, token);
    return subject ? this.people.findById(subject.subjectId) : null;
  }

  /** A one-time link for the CLI's first operator (printed, not mailed). */
  linkFor(purpose: ConsoleLink, personId: string): Promise<string> {
    return this.tokens.issue(purpose, { siteId: CONSOLE_REALM, subjectId: personId });
  }

  /** A new password from an invite or reset link: every session ends, the lock is lifted. */
  async setPassword(
    purpose: ConsoleLink,
    token: unknown,
    password: string,
  ): Promise<PartnerPerson | null> {
    const subject = await this.tokens.redeem(purpose, CONSOLE_REALM, token);
    const person = subject ? await this.people.findById(subject.subjectId) : null;
    if (!person) return null;
    await this.people.setPassword(person.id, await this.hasher.hash(password), new Date());
    await this.sessions.endAll(person.id);
    await this.throttle.passwordSucceeded(accountKey(person.email));
    await this.audit.record(person, {
      action: purpose === 'invite' ? 'person.accepted-invite' : 'person.reset-password',
      partnerId: person.partnerId,
      after: { person: person.id },
    });
    return person;
  }

  /** A fresh secret to enrol, and the otpauth URI an authenticator app reads. */
  enrolment(person: PartnerPerson, issuer: string): { secret: string; uri: string } {
    const secret = generateSecret();
    return { secret, uri: generateURI({ secret, label: person.email, issuer }) };
  }

  /** Stores the secret once a code made from it proves the app holds it. */
  async enrol(person: PartnerPerson, secret: string, code: string): Promise<boolean> {
    if (!/^[A-Z2-7]{16,64}$/.test(secret) || !totpMatches(secret, code)) return false;
    await this.people.setTotpSecret(person.id, secret, new Date());
    await this.audit.record(person, {
      action: 'person.enrolled-totp',
      partnerId: person.partnerId,
      before: { totp: person.totpSecret !== null },
      after: { totp: true },
    });
    return true;
  }

  private async email(personId: string, purpose: ConsoleLink): Promise<void> {
    const emailId = randomBytes(16).toString('base64url');
    await this.queues.enqueue([
      { job: { name: 'send-partner-email', payload: { personId, purpose, emailId } } },
    ]);
  }
}

function totpMatches(secret: string, code: string): boolean {
  try {
    return verifySync({ secret, token: code, epochTolerance: TOTP_TOLERANCE_SECONDS }).valid;
  } catch {
    return false;
  }
}

/** Throttle counts per mailbox, however the address is spelt, apart from members' counts. */
function accountKey(address: string): string {
  return `${CONSOLE_REALM}:${canonicalMailbox(address)}`;
}
