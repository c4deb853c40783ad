import type { INestApplicationContext } from '@nestjs/common';
import { AccountsService } from '../../src/accounts/accounts.service.js';
import { AddressBook } from '../../src/accounts/address-book/address-book.service.js';
import { emailKeyOf } from '../../src/accounts/dto/account-forms.js';
import { MembersRepository } from '../../src/accounts/members.repository.js';
import { SiteRegistry } from '../../src/sites/site-registry.js';
import { call, cookieOf, inputValue } from './http.js';

/** A member account the run made (or found) through the accounts services. */
export interface MemberAccount {
  siteId: string;
  host: string;
  email: string;
  displayName: string;
  password: string;
}

/** A member signed in through the site's own form, as a browser holds them. */
export interface SignedInMember extends MemberAccount {
  /** `name=value` of the session cookie, sent back on every request. */
  cookie: string;
  /** Sends this run made as the member: the member send budget is counted client-side too. */
  sends: number;
}

/** Contacts each member's address book starts with. */
export const CONTACTS_PER_MEMBER = 5;

/**
 * `count` members spread over the sites (round robin), each with a password and a few
 * contacts, made through AccountsService.signUp and AddressBook.save: the sign-up form's and
 * the history's own paths. The same addresses every run; an existing account is left as it is
 * (sign-up then only mails it a sign-in link, as it would for anyone), and a contact already in
 * the book stays.
 */
export async function ensureMembers(
  context: INestApplicationContext,
  sites: readonly { id: string; host: string }[],
  count: number,
): Promise<MemberAccount[]> {
  const accounts = context.get(AccountsService, { strict: false });
  const book = context.get(AddressBook, { strict: false });
  const repository = context.get(MembersRepository, { strict: false });
  const registry = context.get(SiteRegistry, { strict: false });
  const out: MemberAccount[] = [];
  for (let i = 0; i < count; i++) {
    const target = sites[i % sites.length];
    const site = target ? registry.get(target.id) : undefined;
    if (!target || !site) throw new Error(`no site for member ${i}`);
    const member: MemberAccount = {
      siteId: site.id,
      host: target.host,
      email: `member-${i}@load.example`,
      displayName: `Loadmember ${i}`,
      password: `holiday-load-member-${i}`,
    };
    // A client address per member: the sign-up emails are throttled per client, as they are for
    // people, and these are many people.
    const client = `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    await accounts.signUp(site, client, {
      displayName: member.displayName,
      email: member.email,
      password: member.password,
    });
    const row = await repository.findByEmail(site.id, emailKeyOf(member.email));
    if (!row) throw new Error(`member ${member.email} was not created on ${site.id}`);
    for (let c = 0; c < CONTACTS_PER_MEMBER; c++) {
      await book.save(site, row.id, {
        name: `Contact ${c} of ${i}`,
        email: `contact-${i}-${c}@load.example`,
      });
    }
    out.push(member);
  }
  return out;
}

/**
 * Signs a member in through GET + POST /account/sign-in (the form's anti-forgery token, the
 * password, `action=password`), as a browser does; returns the session cookie it was given.
 */
export async function signIn(
  baseUrl: string,
  apiKey: string,
  member: MemberAccount,
): Promise<SignedInMember> {
  const headers = { 'x-api-key': apiKey };
  const page = await call(baseUrl, { path: '/account/sign-in', host: member.host, headers });
  const csrf = inputValue(page.body, '_csrf');
  if (page.status !== 200 || !csrf) {
    throw new Error(`${member.host}/account/sign-in answered ${page.status} without a form token`);
  }
  const body = new URLSearchParams({
    _csrf: csrf,
    email: member.email,
    password: member.password,
    action: 'password',
  }).toString();
  const answer = await call(baseUrl, {
    method: 'POST',
    path: '/account/sign-in',
    host: member.host,
    headers: {
      ...headers,
      'content-type': 'application/x-www-form-urlencoded',
      origin: `http://${member.host}`,
      'sec-fetch-site': 'same-origin',
    },
    body,
  });
  const cookie =
    cookieOf(answer.headers, 'ecard_member') ?? cookieOf(answer.headers, '__Host-ecard_member');
  if (answer.status !== 303 || !cookie) {
    throw new Error(`sign-in of ${member.email} answered ${answer.status} without a session`);
  }
  return { ...member, cookie, sends: 0 };
}

/** Signs every member in, a few at a time (each sign-in hashes a password on the server). */
export async function signInAll(
  baseUrl: string,
  apiKey: string,
  members: readonly MemberAccount[],
): Promise<SignedInMember[]> {
  const out: SignedInMember[] = new Array<SignedInMember>(members.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < members.length; i = next++) {
      out[i] = await signIn(baseUrl, apiKey, members[i] as MemberAccount);
    }
  };
  await Promise.all(Array.from({ length: 4 }, lane));
  return out;
}
