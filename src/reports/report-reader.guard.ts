import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AdminToken } from '../http/admin-token.js';
import { SITE_KEY_CALLER_PREFIX } from '../security/site-api-keys.js';
import { type ReportReader, ReportReaderSources } from './report-reader-sources.js';

declare module 'fastify' {
  interface FastifyRequest {
    reportReader?: ReportReader;
  }
}

/**
 * The report API's door: the admin Bearer token (operators' scripts), an API key bound to a
 * site by REPORT_API_KEY_SITES, a partner's own key with the read-reports scope used on its
 * site's host (partners' systems; the edge has already checked the key), or a console session
 * (a person downloading from the console). The controller then keeps a partner to its own
 * sites. Answers are never cached.
 */
@Injectable()
export class ReportReaderGuard implements CanActivate {
  private readonly token: AdminToken;
  private readonly keySites: ReadonlyMap<string, string>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: ReportReaderSources,
  ) {
    this.token = new AdminToken(config.adminToken);
    this.keySites = config.reports.apiKeySites;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    http.getResponse<FastifyReply>().header('Cache-Control', 'no-store');
    const request = http.getRequest<FastifyRequest>();
    if (this.token.accepts(request.headers.authorization)) {
      request.reportReader = { kind: 'operator' };
      return true;
    }
    const key = request.caller?.apiKey ?? null;
    // A key made in the partner console was checked by the edge: its site is this host's, and
    // it carries the read-reports scope. An operator's key is bound by REPORT_API_KEY_SITES.
    const siteId =
      key === null
        ? undefined
        : key.startsWith(SITE_KEY_CALLER_PREFIX)
          ? request.site?.id
          : this.keySites.get(key);
    if (siteId !== undefined) {
      request.reportReader = { kind: 'partner', siteIds: [siteId] };
      return true;
    }
    const reader = key === null ? await this.sessions.readerOf(request) : null;
    if (reader === null) {
      throw new UnauthorizedException(
        'the admin token, an API key with the report scope or a console session is required',
      );
    }
    request.reportReader = reader;
    return true;
  }
}
