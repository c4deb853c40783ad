import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EdgeChain } from './edge-chain.js';
import { guardedHook } from './guarded-hook.js';
import { addRouteHook } from './route-hooks.js';
import { policyOf } from './route-policy.js';
import { problem } from '../problem.js';
import type { SiteViews } from '../../rendering/site-views.js';
import type { Autopilot } from '../../flags/autopilot/autopilot.service.js';
import type { FeatureFlags } from '../../flags/feature-flags.service.js';
import { visitorKeyOf } from '../../flags/visitor-key.js';

/** How long clients are asked to wait while sending is paused. */
const PAUSED_RETRY_SECONDS = 300;

/**
 * The flag checks that guard whole routes, before any controller runs: with `sending` off the
 * form shows a friendly page and the API a 503 problem, so nothing can be written; with
 * `scheduledSending` off a send with a date is refused. Also feeds the autopilot's latency
 * window from every response, page-cache hits included.
 */
export function installSendGuard(
  fastify: FastifyInstance,
  edge: EdgeChain,
  deps: { flags: FeatureFlags; views: SiteViews; autopilot: Autopilot },
): void {
  const { flags, views, autopilot } = deps;

  // On the send routes only (`sendGuard` in their policy); there, only the methods that send
  // pay for a promise.
  addRouteHook(
    fastify,
    'preHandler',
    (route) => policyOf(route).sendGuard !== undefined,
    guardedHook((request) => request.method === 'GET' || request.method === 'POST', guard),
  );

  async function guard(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const guarded = request.routePolicy.sendGuard;
    const site = request.site;
    if (!site) return;
    const isForm = guarded === 'form' && (request.method === 'GET' || request.method === 'POST');
    const isApi = guarded === 'api' && request.method === 'POST';
    if (!isForm && !isApi) return;
    const visitor = visitorKeyOf(request);
    if (!(await flags.isEnabled(site, 'sending', visitor))) {
      reply
        .code(503)
        .header('Cache-Control', 'no-store')
        .header('Retry-After', String(PAUSED_RETRY_SECONDS));
      if (isApi) {
        const body = problem(503, 'Sending is paused', {
          detail:
            'Sending cards is paused for a few minutes. Nothing was sent; please try again shortly.',
        });
        return reply.type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
      }
      return reply.type('text/html; charset=utf-8').send(
        views.render(site, 'pages/sending-paused.njk', {
          requestPath: request.url.split('?', 1)[0],
        }),
      );
    }
    if (request.method === 'POST' && wantsSchedule(request.body, isApi)) {
      if (!(await flags.isEnabled(site, 'scheduledSending', visitor))) {
        const message =
          'scheduled sending is paused right now: leave the date empty to send it now';
        reply.code(400).header('Cache-Control', 'no-store');
        if (isApi) {
          const body = problem(400, 'Invalid input', { errors: [{ field: 'sendAt', message }] });
          return reply.type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
        }
        return reply.type('text/html; charset=utf-8').send(
          views.render(site, 'pages/error.njk', {
            title: 'Scheduled sending is paused',
            message: 'Please go back, leave the date empty and send your card now.',
            requestPath: '/',
          }),
        );
      }
    }
    return;
  }

  edge.onResponse((_request, _reply, elapsedMs) => autopilot.recordLatency(elapsedMs));
}

function wantsSchedule(body: unknown, isApi: boolean): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const fields = body as Record<string, unknown>;
  const value = isApi ? fields.sendAt : fields.sendDate;
  return typeof value === 'string' && value.trim() !== '';
}
