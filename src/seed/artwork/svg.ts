/** Attributes in the 0..1 range, which keep two decimals even where coordinates keep none. */
const FRACTIONAL = new Set(['opacity', 'stroke-opacity', 'fill-opacity', 'stop-opacity', 'offset']);

export type Part = string | number;
export type Attrs = Record<string, Part | undefined>;

export function fmt(value: number, decimals: number): string {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

export function numberTag(decimals: number) {
  return (strings: TemplateStringsArray, ...values: Part[]): string => {
    let out = strings[0] ?? '';
    values.forEach((value, i) => {
      out += typeof value === 'number' ? fmt(value, decimals) : value;
      out += strings[i + 1] ?? '';
    });
    return out;
  };
}

export function element(decimals: number, name: string, attrs: Attrs, children?: string): string {
  let out = `<${name}`;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    const text = typeof value === 'number' ? fmt(value, FRACTIONAL.has(key) ? 2 : decimals) : value;
    out += ` ${key}="${text}"`;
  }
  return children === undefined ? `${out}/>` : `${out}>${children}</${name}>`;
}

export function stops(...colours: readonly (readonly [number, string, number?])[]): string {
  return colours
    .map(([offset, colour, opacity]) =>
      element(2, 'stop', { offset, 'stop-color': colour, 'stop-opacity': opacity }),
    )
    .join('');
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
