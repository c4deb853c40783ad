import { Controller, Get, Header, Query, ServiceUnavailableException } from '@nestjs/common';
import { metricsRegistry } from '../platform/observability/metrics.js';
import { answerPrimaryMetricsRequests, groupMetrics, inClusterWorker } from './cluster-metrics.js';

/**
 * Prometheus scrape endpoint; answers on any host like the health checks. In cluster mode it
 * answers for the whole process group; `?scope=process` gives only the worker that answered.
 */
@Controller('metrics')
export class MetricsController {
  constructor() {
    answerPrimaryMetricsRequests();
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async metrics(@Query('scope') scope?: string): Promise<string> {
    if (scope === 'process' || !inClusterWorker()) return metricsRegistry.metrics();
    try {
      return await groupMetrics();
    } catch (error) {
      throw new ServiceUnavailableException((error as Error).message);
    }
  }
}
