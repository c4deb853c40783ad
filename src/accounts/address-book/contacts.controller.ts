import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../common/domain-errors.js';
import { CurrentSite } from '../../sites/site-request.js';
import type { Site } from '../../sites/site.js';
import { AccountPages, fieldsOf } from '../account-pages.js';
import { ACCOUNT_PATHS } from '../account-paths.js';
import { MemberForms, seeOther } from '../member-forms.js';
import type { SignedIn } from '../member-sessions.js';
import { AddressBook } from './address-book.service.js';
import {
  checkContact,
  type ContactValues,
  dayText,
  groupName,
  MAX_CONTACTS,
  MAX_GROUPS,
  readContactForm,
} from './contact-fields.js';
import { ContactsRepository, type ContactRecord, type GroupRecord } from './contacts.repository.js';

const ID = /^[0-9a-f-]{36}$/;
const SENT_PAGE = /^\/sent\/[0-9a-f-]{36}\?s=[A-Za-z0-9_-]{1,64}$/;
const FIXED_LABELS = ['Birthday', 'Anniversary'];

/** The address book's pages: the list, a contact's form (add, edit, delete) and groups. */
@Controller('account')
export class ContactsController {
  constructor(
    private readonly forms: MemberForms,
    private readonly pages: AccountPages,
    private readonly contacts: ContactsRepository,
    private readonly book: AddressBook,
  ) {}

  @Get('contacts')
  async list(@CurrentSite() site: Site, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.forms.page(req, reply, site);
    if (!current) return;
    await this.showList(req, reply, site, current, {});
  }

  @Get('contacts/new')
  async blank(@CurrentSite() site: Site, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.forms.page(req, reply, site);
    if (!current) return;
    const values: ContactValues = { name: '', email: '', dates: [], groupIds: [] };
    await this.showForm(req, reply, site, current, null, values, {});
  }

  @Post('contacts')
  async add(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const current = await this.forms.change(req, reply, site, body);
    if (!current) return;
    const values = readContactForm(fieldsOf(body));
    const checked = checkContact(values);
    const memberId = current.member.id;
    if (!checked.ok) {
      await this.showForm(req, reply, site, current, null, values, checked.errors, 400);
      return;
    }
    if ((await this.contacts.count(site.id, memberId)) >= MAX_CONTACTS) {
      const errors = { form: `Your address book is full (${MAX_CONTACTS} contacts).` };
      await this.showForm(req, reply, site, current, null, values, errors, 409);
      return;
    }
    if (!(await this.contacts.insert(site.id, memberId, checked.input))) {
      const errors = { email: 'Email address: this address is in your address book already' };
      await this.showForm(req, reply, site, current, null, values, errors, 409);
      return;
    }
    await seeOther(reply, ACCOUNT_PATHS.contacts);
  }

  @Get('contacts/:id')
  async edit(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ) {
    const current = await this.forms.page(req, reply, site);
    if (!current) return;
    const contact = ID.test(id) ? await this.contacts.find(site.id, current.member.id, id) : null;
    if (!contact) throw new NotFoundError('page');
    await this.showForm(req, reply, site, current, contact.id, valuesOf(contact), {});
  }

  @Post('contacts/:id')
  async update(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const current = await this.forms.change(req, reply, site, body);
    if (!current) return;
    if (!ID.test(id)) throw new NotFoundError('page');
    const values = readContactForm(fieldsOf(body));
    const checked = checkContact(values);
    if (!checked.ok) {
      await this.showForm(req, reply, site, current, id, values, checked.errors, 400);
      return;
    }
    const outcome = await this.contacts.update(site.id, current.member.id, id, checked.input);
    if (outcome === 'missing') throw new NotFoundError('page');
    if (outcome === 'duplicate') {
      const errors = { email: 'Email address: another contact has this address' };
      await this.showForm(req, reply, site, current, id, values, errors, 409);
      return;
    }
    await seeOther(reply, ACCOUNT_PATHS.contacts);
  }

  @Post('contacts/:id/delete')
  async delete(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const current = await this.forms.change(req, reply, site, body);
    if (!current) return;
    if (ID.test(id)) await this.contacts.delete(site.id, current.member.id, id);
    await seeOther(reply, ACCOUNT_PATHS.contacts);
  }

  /** A recipient of a sent card into the book, from the history's button. */
  @Post('contacts/save')
  async save(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const current = await this.forms.change(req, reply, site, body);
    if (!current) return;
    const { name, email } = fieldsOf(body);
    const values = {
      name: typeof name === 'string' ? name : '',
      email: typeof email === 'string' ? email : '',
    };
    const outcome = await this.book.save(site, current.member.id, values);
    if (outcome === 'invalid' || outcome === 'full') {
      await this.pages.send(
        reply,
        req,
        site,
        'account-notice',
        {
          title: 'Not saved',
          message:
            outcome === 'full'
              ? `Your address book is full (${MAX_CONTACTS} contacts).`
              : 'That name and address could not be saved: add the contact by hand instead.',
          next: { href: ACCOUNT_PATHS.newContact, text: 'Add a contact' },
        },
        outcome === 'full' ? 409 : 400,
      );
      return;
    }
    // Back to the confirmation page it was pressed on, or the history: never anywhere else.
    const { back } = fieldsOf(body);
    const confirmation = typeof back === 'string' && SENT_PAGE.test(back) ? back : null;
    await seeOther(reply, confirmation ?? `${ACCOUNT_PATHS.history}#sent`);
  }

  @Post('groups')
  async addGroup(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const current = await this.forms.change(req, reply, site, body);
    if (!current) return;
    const parsed = groupName.safeParse(fieldsOf(body).groupName);
    const groups = await this.contacts.groups(site.id, current.member.id);
    if (!parsed.success || groups.length >= MAX_GROUPS) {
      const message = parsed.success
        ? `Group name: keep at most ${MAX_GROUPS} groups`
        : (parsed.error.issues[0]?.message ?? 'Group name: check it');
      await this.showList(req, reply, site, current, { groupName: message }, 400);
      return;
    }
    await this.contacts.groupNamed(site.id, current.member.id, parsed.data);
    await seeOther(reply, `${ACCOUNT_PATHS.contacts}#groups`);
  }

  @Post('groups/:id/delete')
  async deleteGroup(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const current = await this.forms.change(req, reply, site, body);
    if (!current) return;
    if (ID.test(id)) await this.contacts.deleteGroup(site.id, current.member.id, id);
    await seeOther(reply, `${ACCOUNT_PATHS.contacts}#groups`);
  }

  private async showList(
    req: FastifyRequest,
    reply: FastifyReply,
    site: Site,
    current: SignedIn,
    errors: Record<string, string>,
    status = 200,
  ): Promise<void> {
    const [contacts, groups] = await Promise.all([
      this.contacts.list(site.id, current.member.id),
      this.contacts.groups(site.id, current.member.id),
    ]);
    const names = new Map(groups.map((g) => [g.id, g.name]));
    await this.pages.send(
      reply,
      req,
      site,
      'account-contacts',
      {
        sessionCsrf: current.session.csrf,
        form: { values: {}, errors },
        groups,
        maxContacts: MAX_CONTACTS,
        contacts: contacts.map((c) => ({
          id: c.id,
          name: c.name,
          email: c.email,
          dates: c.dates.map((d) => `${d.label}: ${dayText(d)}`),
          groups: c.groupIds.flatMap((g) => names.get(g) ?? []),
        })),
      },
      status,
    );
  }

  private async showForm(
    req: FastifyRequest,
    reply: FastifyReply,
    site: Site,
    current: SignedIn,
    contactId: string | null,
    values: ContactValues,
    errors: Record<string, string>,
    status = 200,
  ): Promise<void> {
    const groups: GroupRecord[] = await this.contacts.groups(site.id, current.member.id);
    await this.pages.send(
      reply,
      req,
      site,
      'account-contact',
      {
        sessionCsrf: current.session.csrf,
        contactId,
        action: contactId ? `${ACCOUNT_PATHS.contacts}/${contactId}` : ACCOUNT_PATHS.contacts,
        form: { values, errors },
        dateRows: dateRows(values),
        groups: groups.map((g) => ({ ...g, checked: values.groupIds.includes(g.id) })),
      },
      status,
    );
  }
}

function valuesOf(contact: ContactRecord): ContactValues {
  return {
    name: contact.name,
    email: contact.email,
    dates: contact.dates.map((d) => ({ id: d.id, label: d.label, value: dayText(d) })),
    groupIds: contact.groupIds,
  };
}

/**
 * The form's date rows: birthday and anniversary always there (filled or not), then the other
 * named dates, then one empty row to name a new one; each row's error sits beside it.
 */
function dateRows(values: ContactValues) {
  const rows = values.dates.map((d, i) => ({ ...d, index: i, fixed: false }));
  const result = FIXED_LABELS.map((label) => {
    const at = rows.findIndex((r) => r.label === label);
    const row = at === -1 ? { id: '', label, value: '', index: -1, fixed: true } : rows[at];
    if (at !== -1) rows.splice(at, 1);
    return { ...row, fixed: true } as (typeof rows)[number];
  });
  const others = rows.filter((r) => r.value !== '' || r.id !== '' || r.label !== '');
  return [...result, ...others, { id: '', label: '', value: '', index: -1, fixed: false }];
}
