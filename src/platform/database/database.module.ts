import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DatabaseService } from './database.service.js';
import { type EntityClass, registerEntities } from './entity-registry.js';

/** What `forFeature` hands back: nothing to inject, the entities are registered already. */
@Module({})
class FeatureEntitiesModule {}

@Global()
@Module({ providers: [DatabaseService], exports: [DatabaseService] })
export class DatabaseModule {
  /**
   * A feature's tables, in the spirit of `TypeOrmModule.forFeature`: the feature module lists
   * its entities in its own `imports`, and every data source (primary and replicas) maps them.
   */
  static forFeature(entities: readonly EntityClass[]): DynamicModule {
    registerEntities(entities);
    return { module: FeatureEntitiesModule };
  }
}
