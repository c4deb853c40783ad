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

/** Who reads a report: an operator reads every site, a partner's key its own site only. */
export type ReportReader = { kind: 'operator' } | { kind: 'partner'; siteId: string };

declare module 'fastify' {
  interface FastifyRequest {
    reportReader?: ReportReader;
  }
}

/**
 * The report API's door: the admin Bearer token (operators' scripts), an API key bound to a
 * site by REPORT_API_KEY_SITES, or a partner's own key with the read-reports scope used on its
 * site's host (partners' systems; the edge has already checked the key). The
 * controller then keeps a partner to its own site. Answers are never cached.
 */
@Injectable()
export class ReportReaderGuard implements CanActivate {
  private readonly token: AdminToken;
  private readonly keySites: ReadonlyMap<string, string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.token = new AdminToken(config.adminToken);
    this.keySites = config.reports.apiKeySites;
  }

  canActivate(context: ExecutionContext): boolean {
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
    if (siteId === undefined) {
      throw new UnauthorizedException(
        'the admin token or an API key with the report scope is required',
      );
    }
    request.reportReader = { kind: 'partner', siteId };
    return true;
  }
}
