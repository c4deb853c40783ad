import { Module } from '@nestjs/common';
import { DependencyHealthSource } from './dependency-health.js';
import { StoreHealth } from './store-health.js';

/** Store health from the circuit breakers, for any module that asks for DependencyHealthSource. */
@Module({
  providers: [StoreHealth, { provide: DependencyHealthSource, useExisting: StoreHealth }],
  exports: [StoreHealth, DependencyHealthSource],
})
export class ResilienceModule {}
