import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { representationFor } from '../common/content-encoding.js';
import { ArtworkEncodings } from './artwork-encodings.js';
import { NotFoundError } from '../common/domain-errors.js';
import { CardEmailImage } from './card-email-image.js';
import { parseMediaFile } from './card-urls.js';
import { CatalogService } from './catalog.service.js';
import { RoutePolicy } from '../http/edge/route-policy.js';

const FOREVER = 'public, max-age=31536000, immutable';

/**
 * Card artwork. The URL holds the content hash, so a response never changes and may be cached
 * by anyone for a year. SVG gets its own locked-down policy in case a file ever held script.
 */
@RoutePolicy({ rateLimit: 'catalog-lookup' })
@Controller('media/cards')
export class CardMediaController {
  private readonly encodings = new ArtworkEncodings();

  constructor(
    private readonly catalog: CatalogService,
    private readonly emailImages: CardEmailImage,
  ) {}

  @Get(':file')
  async artwork(
    @Param('file') file: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const parsed = parseMediaFile(file);
    if (!parsed) throw new NotFoundError('card');
    if (parsed.variant === 'email') {
      const png = await this.emailImages.png(parsed.slug, parsed.hash);
      if (png === null) throw new NotFoundError('card');
      await reply
        .header('Content-Type', 'image/png')
        .header('Cache-Control', FOREVER)
        .header('ETag', `"${parsed.hash}p"`)
        .send(png);
      return;
    }
    const svg = await this.catalog.artwork(parsed.slug, parsed.hash, parsed.variant);
    if (svg === null) throw new NotFoundError('card');
    const tag = `"${parsed.hash}${parsed.variant === 'thumb' ? 't' : ''}"`;
    const answer = representationFor(
      request.headers['accept-encoding'],
      { body: svg, etag: tag },
      (encoding) => this.encodings.encoded(file, svg, encoding),
    );
    reply
      .header('Content-Type', 'image/svg+xml')
      .header('Cache-Control', FOREVER)
      .header('Vary', 'Accept-Encoding')
      .header('ETag', answer.etag)
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    if (answer.encoding !== null) reply.header('Content-Encoding', answer.encoding);
    await reply.send(answer.body);
  }
}
