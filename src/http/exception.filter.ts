import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type FieldError,
  IdempotencyConflict,
  NotFoundError,
  NothingChanged,
  ServiceUnavailable,
  ValidationFailed,
} from '../common/domain-errors.js';
import { isStoreUnavailable } from '../common/store-errors.js';
import { SiteViews } from '../rendering/site-views.js';
import { problem, type Problem } from './problem.js';

interface Outcome {
  status: number;
  title: string;
  detail?: string;
  errors?: FieldError[];
  retryAfter?: number;
}

/**
 * The single place errors become responses: a JSON problem body on the API, the site's branded
 * page everywhere else. Unexpected errors are logged and shown without internals.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly views: SiteViews) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const outcome = this.outcomeOf(exception);
    if (outcome.status >= 500 && outcome.status !== 503) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : exception,
      );
    }
    sendOutcome(request, reply, outcome, this.views);
  }

  private outcomeOf(exception: unknown): Outcome {
    if (exception instanceof NotFoundError) {
      return { status: 404, title: 'Not found', detail: exception.message };
    }
    if (exception instanceof ValidationFailed) {
      return {
        status: 400,
        title: 'Invalid input',
        detail: exception.message,
        errors: exception.errors,
      };
    }
    if (exception instanceof IdempotencyConflict) {
      return { status: 409, title: 'Conflict', detail: exception.message };
    }
    if (exception instanceof ServiceUnavailable) {
      return {
        status: 503,
        title: 'Temporarily unavailable',
        detail: exception.message,
        retryAfter: exception.retryAfterSeconds,
      };
    }
    if (isStoreUnavailable(exception)) {
      return {
        status: 503,
        title: 'Temporarily unavailable',
        detail: 'A data store is unreachable. Please try again shortly.',
        retryAfter: 30,
      };
    }
    if (exception instanceof NothingChanged) {
      return { status: 403, title: 'Nothing was changed', detail: exception.message };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, title: titleFor(status), detail: exception.message };
    }
    if (isFastifyError(exception)) {
      const status = exception.statusCode;
      return { status, title: titleFor(status), detail: publicDetail(exception) };
    }
    return { status: 500, title: 'Internal error', detail: 'Something went wrong on our side.' };
  }
}

export function sendOutcome(
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: Outcome,
  views: SiteViews,
): void {
  reply.code(outcome.status).header('Cache-Control', 'no-store');
  if (outcome.retryAfter !== undefined) reply.header('Retry-After', String(outcome.retryAfter));
  if (wantsJson(request) || !request.site) {
    const body: Problem = problem(outcome.status, outcome.title, {
      ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
      ...(outcome.errors ? { errors: outcome.errors } : {}),
    });
    void reply.type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
    return;
  }
  const site = request.site;
  const html =
    outcome.status === 404
      ? views.render(site, 'pages/not-found.njk', {
          message: 'We could not find that page.',
          requestPath: '/',
        })
      : views.render(site, 'pages/error.njk', {
          title: outcome.status === 503 ? 'Please try again in a minute' : outcome.title,
          message:
            outcome.status === 503
              ? 'We are catching our breath. Your card has not been sent; please try again shortly.'
              : outcome.status === 400 || outcome.status === 403
                ? (outcome.detail ?? 'That request could not be understood.')
                : 'Something went wrong on our side. Please try again.',
          requestPath: '/',
        });
  void reply.type('text/html; charset=utf-8').send(html);
}

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url.startsWith('/admin/api/');
}

interface FastifyLikeError {
  statusCode: number;
  code?: string;
  message: string;
}

function isFastifyError(error: unknown): error is FastifyLikeError {
  if (!(error instanceof Error)) return false;
  const status = (error as unknown as Partial<FastifyLikeError>).statusCode;
  return typeof status === 'number' && status >= 400;
}

/** Fastify's own 4xx messages (bad JSON, body too large) are safe and useful to show. */
function publicDetail(error: FastifyLikeError): string {
  if (error.statusCode >= 500) return 'Something went wrong on our side.';
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return 'The request body is not valid JSON.';
  }
  return error.message;
}

function titleFor(status: number): string {
  switch (status) {
    case 400:
      return 'Bad request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not found';
    case 405:
      return 'Method not allowed';
    case 409:
      return 'Conflict';
    case 413:
      return 'Payload too large';
    case 415:
      return 'Unsupported media type';
    case 429:
      return 'Too many requests';
    case 503:
      return 'Temporarily unavailable';
    default:
      return status >= 500 ? 'Internal error' : 'Request failed';
  }
}
