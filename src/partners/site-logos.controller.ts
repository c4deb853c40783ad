import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SiteLogosRepository } from './site-logos.repository.js';

const FILE = /^([0-9a-f]{64})\.png$/;
/** Logos kept in memory per process; a header shows one on every page of its site. */
const KEPT = 256;

/**
 * Serves uploaded logos on every site's hosts. A logo's address is the hash of its bytes, so it
 * never changes: browsers and mail proxies may keep it for a year.
 */
@Controller('site-logos')
export class SiteLogosController {
  private readonly kept = new Map<string, Buffer>();

  constructor(private readonly logos: SiteLogosRepository) {}

  @Get(':file')
  async logo(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    const hash = FILE.exec(file)?.[1];
    let body = hash === undefined ? null : (this.kept.get(hash) ?? null);
    if (hash !== undefined && body === null) {
      body = await this.logos.body(hash);
      if (body !== null) {
        if (this.kept.size >= KEPT) this.kept.clear();
        this.kept.set(hash, body);
      }
    }
    if (body === null) {
      await reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      return;
    }
    await reply
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .type('image/png')
      .send(body);
  }
}
