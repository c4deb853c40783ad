import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentSite } from '../../sites/site-request.js';
import type { Site } from '../../sites/site.js';
import { AccountPages, fieldsOf } from '../account-pages.js';
import { MemberForms } from '../member-forms.js';
import type { SignedIn } from '../member-sessions.js';
import { AddressBook, type ImportReport } from './address-book.service.js';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from './contact-import.js';
import { privateReply } from '../../http/security-headers.js';
import { readTextUploadForm } from '../../http/multipart-forms.js';

/** Contacts in (a CSV or vCard file, or its text pasted) and out (CSV). */
@Controller('account/contacts')
export class ContactsTransferController {
  constructor(
    private readonly forms: MemberForms,
    private readonly pages: AccountPages,
    private readonly book: AddressBook,
  ) {}

  @Get('import')
  async form(@CurrentSite() site: Site, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.forms.page(req, reply, site);
    if (!current) return;
    await this.show(req, reply, site, current, null, null);
  }

  @Post('import')
  async import(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const form = await readTextUploadForm(req, body, MAX_IMPORT_BYTES);
    const current = await this.forms.change(req, reply, site, form);
    if (!current) return;
    const { file, text } = fieldsOf(form);
    // The file when one was chosen, else what was pasted.
    const content = typeof file === 'string' && file.trim() !== '' ? file : text;
    const outcome = await this.book.import(
      site,
      current.member.id,
      typeof content === 'string' ? content : '',
    );
    if (typeof outcome === 'string') {
      await this.show(req, reply, site, current, null, outcome, 400);
      return;
    }
    await this.show(req, reply, site, current, outcome, null);
  }

  @Get('export.csv')
  async export(@CurrentSite() site: Site, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.forms.page(req, reply, site);
    if (!current) return;
    await privateReply(reply)
      .header('Content-Disposition', `attachment; filename="${site.id}-contacts.csv"`)
      .type('text/csv; charset=utf-8')
      .send(await this.book.csv(site, current.member.id));
  }

  private async show(
    req: FastifyRequest,
    reply: FastifyReply,
    site: Site,
    current: SignedIn,
    report: ImportReport | null,
    problem: string | null,
    status = 200,
  ): Promise<void> {
    await this.pages.send(
      reply,
      req,
      site,
      'account-contacts-import',
      {
        sessionCsrf: current.session.csrf,
        report,
        form: { values: {}, errors: problem ? { file: problem } : {} },
        maxKb: MAX_IMPORT_BYTES / 1024,
        maxRows: MAX_IMPORT_ROWS,
      },
      status,
    );
  }
}
