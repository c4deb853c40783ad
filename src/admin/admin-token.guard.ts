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

/** Admin API routes need the admin token; their answers are never cached. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  protected readonly token: AdminToken;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.token = new AdminToken(config.adminToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    http.getResponse<FastifyReply>().header('Cache-Control', 'no-store');
    if (!this.allows(http.getRequest<FastifyRequest>())) {
      throw new UnauthorizedException('a valid admin token is required');
    }
    return true;
  }

  protected allows(request: FastifyRequest): boolean {
    return this.token.accepts(request.headers.authorization);
  }
}
