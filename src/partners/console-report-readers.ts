import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type ReportReader, ReportReaderSources } from '../reports/report-reader-sources.js';
import { PartnerConsole } from './partner-console.service.js';
import { PartnerPages } from './partner-pages.js';
import { PartnerSessions } from './partner-sessions.js';

/**
 * Lets a console session read the report API, so the console's download links work for the
 * person signed in: an operator every site, a partner's admin or analyst their partner's sites,
 * as the console's own report page shows them.
 */
@Injectable()
export class ConsoleReportReaders implements OnModuleInit {
  constructor(
    private readonly sources: ReportReaderSources,
    private readonly sessions: PartnerSessions,
    private readonly console: PartnerConsole,
    private readonly pages: PartnerPages,
  ) {}

  onModuleInit(): void {
    this.sources.add((request) => this.readerOf(request));
  }

  private async readerOf(request: FastifyRequest): Promise<ReportReader | null> {
    if (!this.pages.onAdminHost(request)) return null;
    const signedIn = await this.sessions.current(request);
    if (!signedIn) return null;
    if (signedIn.person.role === 'operator') return { kind: 'operator' };
    const sites = await this.console.visibleSites(signedIn.person);
    return { kind: 'partner', siteIds: sites.map((s) => s.siteId) };
  }
}
