import {
  Body,
  Controller,
  Get,
  Header,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AddressBook } from '../accounts/address-book/address-book.service.js';
import { idsOf } from '../accounts/address-book/contact-fields.js';
import { MemberSendBudget } from '../accounts/member-send-budget.js';
import { composeSenderOf } from './compose-sender.js';
import { MemberSessions } from '../accounts/member-sessions.js';
import type { CardView } from '../catalog/catalog.service.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { IdempotencyConflict, NotFoundError } from '../common/domain-errors.js';
import { FeatureFlags } from '../flags/feature-flags.service.js';
import { visitorKeyOf } from '../flags/visitor-key.js';
import { formatZonedTime } from '../rendering/format-date.js';
import { PageRenderer, requestPathOf } from '../rendering/page-renderer.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { BlankComposeForms } from './blank-compose-forms.js';
import {
  composeFormToRequest,
  emptyComposeForm,
  newFormKey,
  readComposeForm,
  toFormErrors,
} from './compose-form.js';
import { callerOf } from '../security/caller.js';
import { ComposeProtection, type ComposeRefusal } from './compose-protection.js';
import { parseSendGreeting } from './dto/send-greeting.schema.js';
import { GreetingManageService } from './greeting-manage.service.js';
import { GreetingsService } from './greetings.service.js';
import { timeZoneChoices } from './time-zone-choices.js';
import { PRIVATE_PAGE_REFERRER_POLICY } from '../http/security-headers.js';
import { styleOptions } from '../sites/message-styles.js';
import { composePreviewModel } from './compose-preview.js';
import { readComposePost } from './compose-upload.js';
import { isMultipart } from '../http/multipart-forms.js';
import { composePhotoOf } from './compose-photo.js';
import { SenderPhotoStore } from '../platform/photos/sender-photo-store.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { fieldMessage } from './form-messages.js';
import type { ComposePage } from './compose-page.js';
import { RoutePolicy, SEND_BODY_LIMIT } from '../http/edge/route-policy.js';
import { addPicked, changeRows, DEFAULT_SLOTS, tooManyPicked } from './compose-picks.js';

const SLUG = /^[a-z0-9-]{1,120}$/;

/** The compose form and its confirmation page: personal pages, never cached. */
@Controller()
export class ComposeController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly greetings: GreetingsService,
    private readonly pages: PageRenderer,
    private readonly manage: GreetingManageService,
    private readonly protection: ComposeProtection,
    private readonly flags: FeatureFlags,
    private readonly blankForms: BlankComposeForms,
    private readonly members: MemberSessions,
    private readonly book: AddressBook,
    private readonly budget: MemberSendBudget,
    private readonly photos: SenderPhotoStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @RoutePolicy({ sendGuard: 'form', bodyLimit: SEND_BODY_LIMIT })
  @Get('/cards/:slug/send')
  @Header('Cache-Control', 'private, no-store')
  async form(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Query('to') to?: unknown,
  ): Promise<void> {
    const card = await this.cardFor(site, slug);
    const values = emptyComposeForm(site.timeZone);
    const security = this.protection.view(site, values.idempotencyKey);
    const scheduling = await this.schedulingFor(site, request);
    const page = { site, request, card, values, errors: {}, security };
    // A member's form comes filled in, rendered for them alone (the page is never cached): the
    // shared blank shells hold no one's name.
    const member = await this.members.signedInMember(request, site);
    if (member) {
      // `?to=` names contacts of the member's own book (a reminder's compose link).
      const picked = await this.book.recipients(site, member.id, idsOf(to, 20), []);
      const filled = {
        ...values,
        senderName: member.displayName,
        senderEmail: member.email,
        recipients: picked.slice(0, site.limits.maxRecipients),
      };
      const addressBook = await this.book.choices(site, member.id);
      await this.sendPage(
        reply,
        200,
        this.render({ ...page, values: filled, addressBook }, scheduling),
      );
      return;
    }
    const tokens = { idempotencyKey: values.idempotencyKey, csrfToken: security.csrfToken };
    const html = this.blankForms.page(
      card,
      `${scheduling} ${requestPathOf(request)}`,
      tokens,
      (t) =>
        this.render(
          {
            ...page,
            values: { ...values, idempotencyKey: t.idempotencyKey },
            security: { ...security, csrfToken: t.csrfToken },
          },
          scheduling,
        ),
    );
    await this.sendPage(reply, 200, html);
  }

  @RoutePolicy({ sendGuard: 'form', bodyLimit: SEND_BODY_LIMIT })
  @Post('/cards/:slug/send')
  async submit(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Body() body: unknown,
  ): Promise<void> {
    const card = await this.cardFor(site, slug);
    const maxPhotoBytes = this.config.senderPhotos.maxBytes;
    const post = await readComposePost(request, body, maxPhotoBytes);
    const form = post.fields;
    const values = readComposeForm(form, site.timeZone);
    const key = values.idempotencyKey;
    const member = await this.members.signedInMember(request, site);
    // The book is read only if the form comes back: a card that is sent never needs it.
    const page: Omit<ComposePage, 'security'> = {
      site,
      request,
      card,
      values,
      memberId: member?.id ?? null,
    };
    // Nothing below writes or counts a send until every check has passed.
    const verified = this.protection.checkForm(request, site, key, form);
    if ('status' in verified) {
      const fresh = { ...values, idempotencyKey: newFormKey() };
      const security = this.protection.view(site, fresh.idempotencyKey);
      await this.refuse(reply, { ...page, values: fresh, security }, verified);
      return;
    }
    const security = this.protection.view(site, key, verified.issuedAt);
    // Read only once the post is known to come from this site's own form.
    const photo = await composePhotoOf(post, this.photos, maxPhotoBytes);
    if (photo.kind === 'photo') {
      page.photoData = photo.jpeg.toString('base64');
      page.photoSize = photo.size;
    }
    const photoError: Record<string, string> =
      photo.kind === 'refused' ? { photo: fieldMessage('photo', photo.message) } : {};
    if (form.action === 'add-contacts') {
      // Picking from the address book is arranging rows too: nothing is checked or sent (not
      // even when the session ended since the form was served).
      const picked = member
        ? await this.book.recipients(
            site,
            member.id,
            idsOf(form.pickContact, 200),
            idsOf(form.pickGroup, 50),
          )
        : [];
      const added = addPicked(values, picked, site.limits.maxRecipients);
      await this.show(reply, 200, {
        ...page,
        errors: photoError,
        security,
        slots: Math.max(1, values.recipients.length),
        ...(added.left > 0
          ? { refusal: tooManyPicked(added.left, site.limits.maxRecipients) }
          : {}),
      });
      return;
    }
    const rowChange =
      form.action === 'edit'
        ? { slots: values.recipients.length || DEFAULT_SLOTS }
        : changeRows(values, form.action, site.limits.maxRecipients);
    if (rowChange) {
      // Arranging rows is not sending: the form comes back as it was, with no error shown.
      await this.show(reply, 200, { ...page, errors: photoError, security, ...rowChange });
      return;
    }
    const caller = callerOf(request);
    const screened = await this.protection.screen(caller, form);
    if ('status' in screened) {
      await this.refuse(reply, { ...page, security }, screened);
      return;
    }
    const parsed = parseSendGreeting(
      composeFormToRequest(values, card.slug),
      site.limits,
      site.timeZone,
      new Date(),
      site.messageStyles,
    );
    // The card's own verse, kept as it was, stays the card's: a catalog correction reaches it.
    if (parsed.ok && parsed.command.verse === card.insideText.trim()) parsed.command.verse = null;
    const errors = {
      ...(parsed.ok ? toFormErrors([], values) : toFormErrors(parsed.errors, values)),
      ...photoError,
    };
    // The edge's send guard reads a url-encoded body only; a multipart post (with a photo) is
    // read here, so a date is checked against the scheduledSending flag here as well.
    if (
      isMultipart(request) &&
      values.sendDate !== '' &&
      !(await this.schedulingFor(site, request))
    ) {
      errors.sendAt = fieldMessage(
        'sendAt',
        'scheduled sending is paused right now: leave the date empty to send it now',
      );
    }
    if (!parsed.ok || Object.keys(errors).length > 0) {
      await this.show(reply, 400, { ...page, errors, security });
      return;
    }
    if (form.action === 'preview') {
      // Shown, not sent: the human checks and the limits run when the preview is confirmed.
      const model = composePreviewModel(
        site,
        card,
        values,
        parsed.command,
        security.csrfToken,
        page.photoData && page.photoSize ? { data: page.photoData, size: page.photoSize } : null,
      );
      await this.sendPage(reply, 200, this.pages.render(site, request, 'compose-preview', model));
      return;
    }
    const human = await this.protection.checkHuman(
      caller,
      site,
      key,
      verified.issuedAt,
      form,
      screened.spiking,
    );
    if (human) {
      const withChallenge = human.challenge
        ? this.protection.view(site, key, verified.issuedAt, true)
        : security;
      await this.refuse(reply, { ...page, security: withChallenge }, human);
      return;
    }
    const { command } = parsed;
    // A verified member's own budget first (a refused send must not spend the shared limits),
    // in place of the per-client and per-sender limits anyone else sends within.
    const sender = composeSenderOf(member, command.sender.email);
    const refused =
      (sender.verified && sender.memberId
        ? await this.budget.refusal(site, sender.memberId)
        : null) ??
      (await this.protection.admit(
        caller,
        site,
        command.sender.email,
        command.recipients.map((r) => r.email),
        sender.verified,
      ));
    if (refused) {
      await this.refuse(reply, { ...page, security }, refused);
      return;
    }
    // Kept only now, as the card goes: a photo that was previewed or refused is never stored.
    const photoId = photo.kind === 'photo' ? await this.photos.save(photo.jpeg) : null;
    try {
      const sent = await this.greetings.send(site, { ...command, photoId }, new Date(), sender);
      // A second press of the same form: the card went with the first press's photo.
      if (sent.replayed && photoId) await this.photos.remove([photoId]);
      await reply.code(303).header('Location', sent.confirmationPath).send();
    } catch (error) {
      if (photoId) await this.photos.remove([photoId]);
      if (!(error instanceof IdempotencyConflict)) throw error;
      const fresh = { ...values, idempotencyKey: newFormKey() };
      await this.show(reply, 409, {
        ...page,
        values: fresh,
        security: this.protection.view(site, fresh.idempotencyKey, verified.issuedAt),
        errors: {
          form: 'This form was already used to send a card. Press "Send card" again to send another.',
        },
      });
    }
  }

  @RoutePolicy({ rateLimit: 'private-link' })
  @Get('/sent/:id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @Header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY)
  async confirmation(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Param('id') id: string,
    @Query('s') signature?: string,
  ): Promise<string> {
    if (!/^[0-9a-f-]{36}$/.test(id) || typeof signature !== 'string') {
      throw new NotFoundError('greeting');
    }
    const sent = await this.greetings.sentGreeting(site, id, signature);
    const card = await this.greetings.cardOf(site, id);
    const manage =
      sent.sendAt !== null && sent.status === 'scheduled'
        ? new URL(this.manage.manageUrl(site, sent.id))
        : null;
    // A member reading their confirmation may save its new recipients in one click.
    const current = await this.members.signedIn(request, site);
    const known = current
      ? await this.book.known(
          site,
          current.member.id,
          sent.recipients.map((r) => r.email),
        )
      : null;
    return this.pages.render(site, request, 'confirmation', {
      card,
      saveContacts: current
        ? { csrf: current.session.csrf, back: request.url, known: [...(known ?? [])] }
        : null,
      greeting: {
        id: sent.id,
        status: sent.status,
        scheduled: sent.sendAt !== null,
        sendAtText: sent.sendAt ? formatZonedTime(site, sent.sendAt, sent.timeZone) : null,
        recipients: sent.recipients,
        // Relative: the page is already on the site's host.
        manageUrl: manage ? manage.pathname + manage.search : null,
      },
    });
  }

  private async cardFor(site: Site, slug: string): Promise<CardView> {
    if (!SLUG.test(slug)) throw new NotFoundError('card');
    return this.catalog.card(site, slug);
  }

  private async refuse(reply: FastifyReply, page: ComposePage, refusal: ComposeRefusal) {
    if (refusal.retryAfterSeconds !== undefined) {
      reply.header('Retry-After', String(refusal.retryAfterSeconds));
    }
    // Not a field's fault: shown as its own notice, not in the list of fields to check.
    await this.show(reply, refusal.status, { ...page, errors: {}, refusal: refusal.message });
  }

  private async show(reply: FastifyReply, status: number, page: ComposePage): Promise<void> {
    const scheduling = await this.schedulingFor(page.site, page.request);
    if (page.memberId && !page.addressBook) {
      page = { ...page, addressBook: await this.book.choices(page.site, page.memberId) };
    }
    await this.sendPage(reply, status, this.render(page, scheduling));
  }

  private schedulingFor(site: Site, request: FastifyRequest): Promise<boolean> {
    return this.flags.isEnabled(site, 'scheduledSending', visitorKeyOf(request));
  }

  private render(page: ComposePage, scheduling: boolean): string {
    const { site, card, values } = page;
    const rows = page.slots ?? (values.recipients.length || DEFAULT_SLOTS);
    const recipientSlots = Math.max(1, Math.min(site.limits.maxRecipients, rows));
    return this.pages.render(site, page.request, 'compose', {
      card,
      form: { values, errors: page.errors ?? {} },
      recipientSlots,
      timeZones: timeZoneChoices(site.timeZone),
      limits: site.limits,
      messageStyles: styleOptions(site.messageStyles),
      photoData: page.photoData ?? '',
      photoSize: page.photoSize ?? null,
      maxPhotoMegabytes: Math.floor(this.config.senderPhotos.maxBytes / (1024 * 1024)),
      csrfToken: page.security.csrfToken,
      challenge: page.security.challenge,
      refusal: page.refusal ?? null,
      scheduling,
      addressBook: page.addressBook ?? null,
    });
  }

  private async sendPage(reply: FastifyReply, status: number, html: string): Promise<void> {
    // A page carrying a form token is personal: never in a shared cache.
    await reply
      .code(status)
      .header('Cache-Control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  }
}
