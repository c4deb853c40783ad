/** An entity class as TypeORM takes it. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own entity type
export type EntityClass = Function;

const registered = new Set<EntityClass>();

/**
 * The entities the data sources map, registered by the feature that owns each table when its
 * module is defined (before any data source is made), so this layer names no feature's entity.
 */
export function registerEntities(entities: readonly EntityClass[]): void {
  for (const entity of entities) registered.add(entity);
}

export function registeredEntities(): EntityClass[] {
  return [...registered];
}
