import { Controller, Get, Header } from '@nestjs/common';
import { metricsRegistry } from '../platform/observability/metrics.js';

/** Prometheus scrape endpoint; answers on any host like the health checks. */
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
