import type { Box } from './canvas.js';
import type { Colors } from './palette.js';
import { Rng } from './prng.js';
import { element, numberTag, type Attrs, type Part } from './svg.js';

export interface Scene {
  readonly rng: Rng;
  readonly thumb: boolean;
  readonly c: Colors;
  readonly title: Box;
  /** Keeps ids unique when several cards are inlined into one page. */
  readonly prefix: string;
  /** Tagged template for path data: prints numbers compactly, coarser in thumbnails. */
  readonly t: (strings: TemplateStringsArray, ...values: Part[]) => string;
  /** One element; numbers print like `t`, undefined attributes are left out. */
  el(name: string, attrs: Attrs, children?: string): string;
  def(name: string, build: (id: string) => string): string;
  many(full: number, thumb: number): number;
  defs(): string;
}

export function createScene(seed: number, colors: Colors, title: Box, thumb: boolean): Scene {
  const prefix = `a${(seed >>> 0).toString(36)}`;
  const decimals = thumb ? 0 : 1;
  const defs = new Map<string, string>();
  return {
    rng: new Rng(seed),
    thumb,
    c: colors,
    title,
    prefix,
    t: numberTag(decimals),
    el: (name, attrs, children) => element(decimals, name, attrs, children),
    def(name, build) {
      const id = `${prefix}-${name}`;
      if (!defs.has(id)) defs.set(id, build(id));
      return id;
    },
    many: (full, small) => (thumb ? small : full),
    defs: () => [...defs.values()].join(''),
  };
}
