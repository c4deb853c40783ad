import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who reads a report: an operator reads every site, anyone else the sites they are given. */
export type ReportReader = { kind: 'operator' } | { kind: 'partner'; siteIds: readonly string[] };

/** Finds who a request's browser session belongs to, or null when it has none of its kind. */
export type ReportReaderSource = (request: FastifyRequest) => Promise<ReportReader | null>;

/**
 * The sessions that may read the report API besides the admin token and API keys. A feature
 * above reports (the partner console) adds its own, so reports never import who signs in where.
 */
@Injectable()
export class ReportReaderSources {
  private readonly sources: ReportReaderSource[] = [];

  add(source: ReportReaderSource): void {
    this.sources.push(source);
  }

  /** The first source that knows the request's session decides; null when none does. */
  async readerOf(request: FastifyRequest): Promise<ReportReader | null> {
    for (const source of this.sources) {
      const reader = await source(request);
      if (reader) return reader;
    }
    return null;
  }
}
