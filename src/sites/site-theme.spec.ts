import { readFileSync } from 'node:fs';
import { PAGE_FONTS, themeStylesheet, themeTokens } from './site-theme.js';
import { rootTokensOf, themeContrastProblems } from './theme-contrast.js';

const BASE = rootTokensOf(readFileSync('public/css/app.css', 'utf8'));

describe('a site theme made in the console', () => {
  it('keeps every pairing readable whatever theme colour and accent are picked', () => {
    for (const colour of ['#1f4e79', '#ffe066', '#ffffff', '#000000', '#7fb3e8', '#e4572e']) {
      const tokens = themeTokens(colour, { accentColor: colour }, false);
      expect([colour, themeContrastProblems({ ...BASE, ...tokens })]).toEqual([colour, []]);
    }
  });

  it('keeps a dark enough theme colour as it is, and darkens a light one', () => {
    expect(themeTokens('#1f4e79', undefined, false).brand).toBe('#1f4e79');
    const light = themeTokens('#ffe066', undefined, false).brand ?? '';
    expect(light).not.toBe('#ffe066');
    expect(light).toMatch(/^#[0-9a-f]{6}$/);
  });

  it("leaves a site's own stylesheet its colours, and writes only what was chosen", () => {
    expect(themeTokens('#1f4e79', undefined, true)).toEqual({});
    const chosen = themeTokens('#1f4e79', { headingFont: 'slab-serif' }, true);
    expect(chosen).toEqual({ 'heading-font': PAGE_FONTS['slab-serif'].stack });
    expect(themeStylesheet(chosen)).toBe(`:root{--heading-font:${PAGE_FONTS['slab-serif'].stack}}`);
    expect(themeStylesheet({})).toBe('');
  });
});
