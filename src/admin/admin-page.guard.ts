import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminTokenGuard } from './admin-token.guard.js';

/**
 * Admin pages need a signed-in session (found by the admin gate) or the Bearer token of a
 * script; their answers are never cached.
 */
@Injectable()
export class AdminPageGuard extends AdminTokenGuard {
  protected override allows(request: FastifyRequest): boolean {
    return request.adminSession !== null || super.allows(request);
  }
}
