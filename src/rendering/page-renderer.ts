import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Site } from '../sites/site.js';
import { SiteViews, type ViewModel } from './site-views.js';

/** Renders a page template for the request's site with the per-request globals filled in. */
@Injectable()
export class PageRenderer {
  constructor(private readonly views: SiteViews) {}

  render(site: Site, request: FastifyRequest, template: string, model: ViewModel): string {
    // Copied by assignment, not spread: nunjucks copies the context with for-in, which took its
    // slow path (keys_ and no inlining, 3-4 % of a rendered page in profiles) on the object a
    // spread made, and its fast one on objects built property by property.
    const context = Object.assign({}, model, { requestPath: requestPathOf(request) });
    return this.views.render(site, `pages/${template}.njk`, context);
  }
}

/** The request's path without its query: what a rendered page shows of its own URL. */
export function requestPathOf(request: FastifyRequest): string {
  // indexOf and slice, not split: no array per page view.
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}
