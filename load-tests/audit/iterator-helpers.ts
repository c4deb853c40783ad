/**
 * Lighthouse 13 analyses the trace with Chromium's own trace engine, which chains iterator
 * helpers (`map.values().flatMap(...)`, `.reduce`, `.toArray`). They are in V8 from Node 22; on
 * the Node 20 this project supports, four performance insights fail with "is not a function"
 * and report as errors instead of findings. These are the same helpers, as the standard defines
 * their results, installed only where the runtime lacks them.
 */
type Mapper = (value: unknown, index: number) => unknown;
type Reducer = (sum: unknown, value: unknown, index: number) => unknown;

function* map(this: Iterable<unknown>, mapper: Mapper) {
  let index = 0;
  for (const value of this) yield mapper(value, index++);
}

function* filter(this: Iterable<unknown>, keep: Mapper) {
  let index = 0;
  for (const value of this) if (keep(value, index++)) yield value;
}

function* flatMap(this: Iterable<unknown>, mapper: Mapper) {
  let index = 0;
  for (const value of this) yield* mapper(value, index++) as Iterable<unknown>;
}

function* take(this: Iterable<unknown>, limit: number) {
  if (limit <= 0) return;
  let taken = 0;
  for (const value of this) {
    yield value;
    if (++taken >= limit) return;
  }
}

function* drop(this: Iterable<unknown>, count: number) {
  let index = 0;
  for (const value of this) if (index++ >= count) yield value;
}

function reduce(this: Iterable<unknown>, reducer: Reducer, ...initial: unknown[]): unknown {
  const iterator = this[Symbol.iterator]();
  let index = 0;
  let sum: unknown;
  if (initial.length > 0) {
    sum = initial[0];
  } else {
    const first = iterator.next();
    if (first.done) throw new TypeError('Reduce of empty iterator with no initial value');
    sum = first.value;
    index = 1;
  }
  for (let step = iterator.next(); !step.done; step = iterator.next()) {
    sum = reducer(sum, step.value, index++);
  }
  return sum;
}

function toArray(this: Iterable<unknown>): unknown[] {
  return [...this];
}

function forEach(this: Iterable<unknown>, visit: Mapper): void {
  let index = 0;
  for (const value of this) visit(value, index++);
}

function some(this: Iterable<unknown>, test: Mapper): boolean {
  let index = 0;
  for (const value of this) if (test(value, index++)) return true;
  return false;
}

function every(this: Iterable<unknown>, test: Mapper): boolean {
  let index = 0;
  for (const value of this) if (!test(value, index++)) return false;
  return true;
}

function find(this: Iterable<unknown>, test: Mapper): unknown {
  let index = 0;
  for (const value of this) if (test(value, index++)) return value;
  return undefined;
}

const HELPERS = { map, filter, flatMap, take, drop, reduce, toArray, forEach, some, every, find };

/** Adds the iterator helpers the runtime lacks to every built-in iterator (idempotent). */
export function installIteratorHelpers(): void {
  // %IteratorPrototype%: what array, map, set and generator iterators all inherit from.
  const iteratorPrototype = Object.getPrototypeOf(
    Object.getPrototypeOf([][Symbol.iterator]()),
  ) as Record<string, unknown>;
  for (const [name, helper] of Object.entries(HELPERS)) {
    if (name in iteratorPrototype) continue;
    Object.defineProperty(iteratorPrototype, name, {
      value: helper,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}
