/** After these a space never separates two tokens that would otherwise merge. */
const NO_SPACE_AFTER = new Set(['{', '}', ';', ',', ':', '(', '>']);
/** Before these likewise; not "(" ("and (" would become the function "and("), nor ":". */
const NO_SPACE_BEFORE = new Set(['{', '}', ';', ',', ')', '>']);

/**
 * A stylesheet without comments and needless whitespace. No minifier is installed, and one
 * that restructures rules is more than a few kilobytes of stylesheet justify: this only drops
 * what can never change meaning, leaving strings exactly as written.
 */
export function minifyCss(source: string): string {
  let out = '';
  let pendingSpace = false;
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (ch === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 2;
      // A comment between two words still separates them.
      pendingSpace = true;
      continue;
    }
    if (/\s/.test(ch)) {
      pendingSpace = true;
      i++;
      continue;
    }
    if (pendingSpace) {
      const last = out.at(-1);
      if (last !== undefined && !NO_SPACE_AFTER.has(last) && !NO_SPACE_BEFORE.has(ch)) out += ' ';
      pendingSpace = false;
    }
    if (ch === '"' || ch === "'") {
      const start = i;
      i++;
      while (i < source.length && source[i] !== ch && source[i] !== '\n') {
        i += source[i] === '\\' ? 2 : 1;
      }
      i++;
      out += source.slice(start, i);
      continue;
    }
    if (ch === '}' && out.endsWith(';')) out = out.slice(0, -1);
    out += ch;
    i++;
  }
  return out;
}
