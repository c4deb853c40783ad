/**
 * The map kept under `key` in a map of maps, made empty the first time. Hot-path lookups go
 * through maps keyed by what a request already holds (a site id, then a slug) rather than a
 * key string built per call; this is the one place that walks a level of them.
 */
export function innerMap<K extends object, IK, IV>(
  outer: WeakMap<K, Map<IK, IV>>,
  key: K,
): Map<IK, IV>;
export function innerMap<K, IK, IV>(outer: Map<K, Map<IK, IV>>, key: K): Map<IK, IV>;
export function innerMap<K extends object, IK, IV>(
  outer: Map<K, Map<IK, IV>> | WeakMap<K, Map<IK, IV>>,
  key: K,
): Map<IK, IV> {
  let inner = outer.get(key);
  if (inner === undefined) {
    inner = new Map<IK, IV>();
    outer.set(key, inner);
  }
  return inner;
}
