import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Site } from '../sites/site.js';
import { SiteViews, type ViewModel } from './site-views.js';

/** Renders a page template for the request's site with the per-request globals filled in. */
@Injectable()
export class PageRenderer {
  constructor(private readonly views: SiteViews) {}

  render(site: Site, request: FastifyRequest, template: string, model: ViewModel): string {
    return this.views.render(site, `pages/${template}.njk`, {
      ...model,
      requestPath: requestPathOf(request),
    });
  }
}

/** The request's path without its query: what a rendered page shows of its own URL. */
export function requestPathOf(request: FastifyRequest): string {
  // indexOf and slice, not split: no array per page view.
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}
