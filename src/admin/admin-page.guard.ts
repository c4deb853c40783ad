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

/**
 * Admin pages need a signed-in session (found by the admin gate) or the Bearer token of a
 * script; their answers are never cached.
 */
@Injectable()
export class AdminPageGuard implements CanActivate {
  private readonly token: AdminToken;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.token = new AdminToken(config.adminToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    http.getResponse<FastifyReply>().header('Cache-Control', 'no-store');
    const request = http.getRequest<FastifyRequest>();
    if (request.adminSession === null && !this.token.accepts(request.headers.authorization)) {
      throw new UnauthorizedException('sign in to the admin pages first');
    }
    return true;
  }
}
