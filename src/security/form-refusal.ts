import { Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { NothingChanged } from '../common/domain-errors.js';
import type { RequestSource } from './origin-check.js';

/** Why a form post was refused, as the log line names it. */
export type FormRefusalReason =
  | Extract<RequestSource, 'cross-site' | 'foreign-origin' | 'opaque'>
  | 'token-missing'
  | 'token-invalid'
  | 'token-expired';

/** Which form: the token purposes, the flags page and RFC 8058 one-click unsubscribes. */
export type RefusedForm =
  'manage' | 'unsubscribe' | 'one-click-unsubscribe' | 'admin-flags' | 'account';

const WHY: Record<FormRefusalReason, string> = {
  'cross-site':
    'This form was sent from another website, so nothing was changed. If you meant to make this change, open the link again and use the form on our page.',
  'foreign-origin':
    'This form was sent from another website, so nothing was changed. If you meant to make this change, open the link again and use the form on our page.',
  opaque:
    'Your browser did not say which page sent this request, so nothing was changed. Please open the link again and use the button on our page.',
  'token-missing':
    'This form could not be verified, so nothing was changed. Please open the link again and send the form from that page.',
  'token-invalid':
    'This form could not be verified, so nothing was changed. Please open the link again and send the form from that page.',
  'token-expired':
    'This form has expired, so nothing was changed. Please open the link again and send the form from that page.',
};

/** A refused form: a 403 whose message tells the person why and what to do next. */
export class FormRefused extends NothingChanged {
  constructor(readonly reason: FormRefusalReason) {
    super(WHY[reason]);
    this.name = 'FormRefused';
  }
}

const log = new Logger('Forms');

/**
 * One line per refusal with what an operator needs to tell an attack from a broken page: the
 * reason, the form, the route template (never the URL: private links carry their secret in
 * it), the site and the request id. Nothing about the person.
 */
export function logFormRefusal(
  request: FastifyRequest,
  form: RefusedForm,
  reason: FormRefusalReason,
): void {
  log.warn({
    event: 'form-refused',
    reason,
    form,
    route: request.routeUrl,
    site: request.site?.id,
    requestId: request.id,
  });
}
