import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CatalogService } from '../../catalog/catalog.service.js';
import { canonicalTimeZone } from '../../common/time-zones.js';
import { timeZoneChoices } from '../../greetings/time-zone-choices.js';
import { CurrentSite } from '../../sites/site-request.js';
import type { Site } from '../../sites/site.js';
import { AccountPages, fieldsOf } from '../account-pages.js';
import { ACCOUNT_PATHS } from '../account-paths.js';
import { dayText } from '../address-book/contact-fields.js';
import { ContactsRepository } from '../address-book/contacts.repository.js';
import { MemberForms, seeOther } from '../member-forms.js';
import type { SignedIn } from '../member-sessions.js';
import { MembersRepository } from '../members.repository.js';
import { datedOccasionsFor, MAX_DAYS_BEFORE } from './reminder-dates.js';
import { ReminderSchedules } from './reminder-schedules.js';
import { MAX_REMINDERS, RemindersRepository } from './reminders.repository.js';

const ID = /^[0-9a-f-]{36}$/;

/**
 * The reminders page: what the member is reminded of and how long before, in which time zone,
 * and every reminder off or on again. Adding one makes sure its site and zone has a schedule.
 */
@Controller('account/reminders')
export class RemindersController {
  constructor(
    private readonly forms: MemberForms,
    private readonly pages: AccountPages,
    private readonly reminders: RemindersRepository,
    private readonly contacts: ContactsRepository,
    private readonly members: MembersRepository,
    private readonly schedules: ReminderSchedules,
    private readonly catalog: CatalogService,
  ) {}

  @Get()
  async list(@CurrentSite() site: Site, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.forms.page(req, reply, site);
    if (current) await this.show(req, reply, site, current, {}, {});
  }

  @Post()
  async add(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const current = await this.forms.change(req, reply, site, body);
    if (!current) return;
    const form = fieldsOf(body);
    const target = typeof form.target === 'string' ? form.target : '';
    const days = typeof form.daysBefore === 'string' ? Number(form.daysBefore.trim()) : NaN;
    const errors: Record<string, string> = {};
    const occasions = await this.datedOccasions(site);
    const parsed = /^(date|occasion):(.{1,64})$/.exec(target);
    const chosen =
      parsed?.[1] === 'date' && ID.test(parsed[2] ?? '')
        ? { contactDateId: parsed[2] ?? '' }
        : parsed?.[1] === 'occasion' && occasions.some((o) => o.slug === parsed[2])
          ? { occasionSlug: parsed[2] ?? '' }
          : null;
    if (!chosen) errors.target = 'What for: choose a date or an occasion';
    if (!Number.isInteger(days) || days < 0 || days > MAX_DAYS_BEFORE) {
      errors.daysBefore = `Days before: enter a number from 0 to ${MAX_DAYS_BEFORE}`;
    }
    const memberId = current.member.id;
    if (chosen && (await this.reminders.count(site.id, memberId)) >= MAX_REMINDERS) {
      errors.target = `What for: keep at most ${MAX_REMINDERS} reminders`;
    }
    if (chosen && Object.keys(errors).length === 0) {
      if (!(await this.reminders.add(site.id, memberId, chosen, days))) {
        errors.target = 'What for: you have this reminder already, or the date is gone';
      }
    }
    if (Object.keys(errors).length > 0) {
      const values = {
        target,
        daysBefore: typeof form.daysBefore === 'string' ? form.daysBefore : '',
      };
      await this.show(req, reply, site, current, values, errors, 400);
      return;
    }
    await this.schedules.ensureQuietly(site.id, current.member.timeZone ?? site.timeZone);
    await seeOther(reply, ACCOUNT_PATHS.reminders);
  }

  @Post(':id/delete')
  async delete(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const current = await this.forms.change(req, reply, site, body);
    if (!current) return;
    if (ID.test(id)) await this.reminders.delete(site.id, current.member.id, id);
    await seeOther(reply, ACCOUNT_PATHS.reminders);
  }

  /** The member's time zone (reminders arrive at 08:00 there), and all reminders off or on. */
  @Post('settings')
  async settings(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const current = await this.forms.change(req, reply, site, body);
    if (!current) return;
    const form = fieldsOf(body);
    const memberId = current.member.id;
    if (form.reminders === 'off' || form.reminders === 'on') {
      const stopped = form.reminders === 'off' ? new Date() : null;
      await this.members.setRemindersStopped(site.id, memberId, stopped);
      await seeOther(reply, ACCOUNT_PATHS.reminders);
      return;
    }
    const zone = typeof form.timeZone === 'string' ? canonicalTimeZone(form.timeZone) : null;
    if (!zone) {
      const errors = { timeZone: 'Time zone: choose a time zone from the list' };
      await this.show(req, reply, site, current, {}, errors, 400);
      return;
    }
    await this.members.setTimeZone(site.id, memberId, zone === site.timeZone ? null : zone);
    await this.schedules.ensureQuietly(site.id, zone);
    await seeOther(reply, ACCOUNT_PATHS.reminders);
  }

  private async show(
    req: FastifyRequest,
    reply: FastifyReply,
    site: Site,
    current: SignedIn,
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
  ): Promise<void> {
    const memberId = current.member.id;
    const [reminders, contacts, occasions] = await Promise.all([
      this.reminders.list(site.id, memberId),
      this.contacts.list(site.id, memberId),
      this.datedOccasions(site),
    ]);
    const zone = current.member.timeZone ?? site.timeZone;
    const zones = timeZoneChoices(site.timeZone);
    await this.pages.send(
      reply,
      req,
      site,
      'account-reminders',
      {
        sessionCsrf: current.session.csrf,
        form: { values, errors },
        stopped: current.member.remindersStoppedAt !== null,
        timeZone: zone,
        timeZones: zones.some((z) => z.id === zone) ? zones : [{ id: zone, label: zone }, ...zones],
        maxDaysBefore: MAX_DAYS_BEFORE,
        reminders: reminders.map((r) => ({
          id: r.id,
          what:
            r.occasionSlug !== null
              ? (occasions.find((o) => o.slug === r.occasionSlug)?.name ?? r.occasionSlug)
              : `${r.contactName ?? ''}: ${r.dateLabel ?? ''} (${dayText({ month: r.month ?? 1, day: r.day ?? 1, year: null })})`,
          daysBefore: r.daysBefore,
        })),
        dates: contacts.flatMap((c) =>
          c.dates.map((d) => ({ id: d.id, text: `${c.name}: ${d.label} (${dayText(d)})` })),
        ),
        occasions,
      },
      status,
    );
  }

  /** The dated occasions this site carries. */
  private async datedOccasions(site: Site): Promise<{ slug: string; name: string }[]> {
    const carried = await this.catalog.listOccasions(site);
    const dated = datedOccasionsFor(site.locale);
    return carried
      .filter((o) => dated[o.slug] !== undefined)
      .map((o) => ({ slug: o.slug, name: dated[o.slug]?.name ?? o.name }));
  }
}
