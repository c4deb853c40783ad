import { innerMap } from './inner-map.js';

describe('innerMap', () => {
  it('makes the inner map once and returns the same one after', () => {
    const outer = new Map<string, Map<string, number>>();
    const first = innerMap(outer, 'site');
    first.set('card', 1);
    expect(innerMap(outer, 'site')).toBe(first);
    expect(innerMap(outer, 'site').get('card')).toBe(1);
    expect(innerMap(outer, 'other').size).toBe(0);
    expect(outer.size).toBe(2);
  });

  it('works over a WeakMap keyed by objects', () => {
    const outer = new WeakMap<object, Map<string, string>>();
    const snapshot = {};
    innerMap(outer, snapshot).set('a', 'b');
    expect(innerMap(outer, snapshot).get('a')).toBe('b');
    expect(innerMap(outer, {}).size).toBe(0);
  });
});
