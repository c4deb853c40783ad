import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Site } from '../sites/site.js';
import { SiteViews, type ViewModel } from './site-views.js';

/** Renders a page template for the request's site with the per-request globals filled in. */
@Injectable()
export class PageRenderer {
  constructor(private readonly views: SiteViews) {}

  render(site: Site, request: FastifyRequest, template: string, model: ViewModel): string {
    // indexOf and slice, not split: no array per page view.
    const query = request.url.indexOf('?');
    const path = query === -1 ? request.url : request.url.slice(0, query);
    return this.views.render(site, `pages/${template}.njk`, { ...model, requestPath: path });
  }
}
