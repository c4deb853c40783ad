import { readFileSync } from 'node:fs';
import { minifyCss } from './css-minify.js';

describe('minifyCss', () => {
  it('drops comments and needless whitespace, and the last semicolon of a block', () => {
    const css =
      '/* tokens */\n:root {\n  --brand: #4f46e5; /* text on brand */\n}\n\na > b ,\nc { color : red ; }\n';
    expect(minifyCss(css)).toBe(':root{--brand:#4f46e5}a>b,c{color :red}');
  });

  it('keeps the spaces that separate tokens, and strings exactly as written', () => {
    const css =
      "@media screen and (min-width: 40em) { .a { margin: 0 auto; content: '  a /* b */ ;}  '; width: calc(100% - 2 * 1rem); } }\n" +
      '.b .c:not(.d) ::before { font-family: "Segoe  UI", serif }';
    expect(minifyCss(css)).toBe(
      "@media screen and (min-width:40em){.a{margin:0 auto;content:'  a /* b */ ;}  ';width:calc(100% - 2 * 1rem)}}" +
        '.b .c:not(.d) ::before{font-family:"Segoe  UI",serif}',
    );
  });

  it('makes the platform stylesheet smaller, and a second pass changes nothing', () => {
    const source = readFileSync('public/css/app.css', 'utf8');
    const once = minifyCss(source);
    expect(once.length).toBeLessThan(source.length * 0.8);
    expect(minifyCss(once)).toBe(once);
    expect(once).not.toContain('/*');
  });
});
