import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { AppConfig, Stage } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RoutePolicy } from '../http/edge/route-policy.js';

/** What is deployed, for operators and deploy checks; answers on any host like /health. */
@RoutePolicy({ siteless: true })
@Controller('version')
export class VersionController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  version(): { version: string; stage: Stage } {
    return { version: this.config.version, stage: this.config.stage };
  }
}
