import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config.js';
import { SiteConfigError, SiteRegistry } from './site-registry.js';
import {
  contrastRatio,
  parseColour,
  rootTokensOf,
  THEME_PAIRS,
  themeContrastProblems,
} from './theme-contrast.js';

const STORES = {
  DATABASE_URL: 'mysql://ecard:a-real-password@db.internal/ecard',
  REDIS_URL: 'redis://:a-real-password@redis.internal:6379',
};
const base = rootTokensOf(readFileSync('public/css/app.css', 'utf8'));
const themeOf = (site: string) => ({
  ...base,
  ...rootTokensOf(readFileSync(`sites/${site}/public/theme.css`, 'utf8')),
});
const rgb = (hex: string) => {
  const parsed = parseColour(hex);
  if (!parsed) throw new Error(`not a colour: ${hex}`);
  return parsed.rgb;
};

describe('WCAG contrast', () => {
  it('is 21:1 for black on white and 1:1 for a colour on itself', () => {
    expect(contrastRatio(rgb('#000'), rgb('#ffffff'))).toBeCloseTo(21, 5);
    expect(contrastRatio(rgb('#5b3cc4'), rgb('#5b3cc4'))).toBeCloseTo(1, 5);
  });

  it('matches the published ratios of well-known pairs', () => {
    // #767676 on white is the lightest grey that passes AA (4.54:1); #777777 fails (4.48:1).
    expect(contrastRatio(rgb('#767676'), rgb('#fff'))).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(rgb('#777777'), rgb('#fff'))).toBeLessThan(4.5);
  });

  it('reads hex and rgb() spellings, with and without alpha', () => {
    expect(parseColour('#FfF')).toEqual({ rgb: { r: 255, g: 255, b: 255 }, alpha: 1 });
    expect(parseColour('rgb(255 255 255 / 0.92)')).toEqual({
      rgb: { r: 255, g: 255, b: 255 },
      alpha: 0.92,
    });
    expect(parseColour('rgba(1, 2, 3, 50%)')?.alpha).toBe(0.5);
    expect(parseColour('linear-gradient(red, blue)')).toBeNull();
    expect(parseColour('rgb(300 0 0)')).toBeNull();
  });
});

describe("every site's theme", () => {
  it.each(['ecardia', 'kindred', 'merrypost'])('%s keeps every pair at AA', (site) => {
    expect(themeContrastProblems(themeOf(site))).toEqual([]);
  });

  it('the base stylesheet alone keeps every pair at AA', () => {
    expect(themeContrastProblems(base)).toEqual([]);
  });
});

describe('a theme below AA', () => {
  it('names the pair, its ratio and what it colours', () => {
    const problems = themeContrastProblems({ ...themeOf('kindred'), 'ink-muted': '#b0a898' });
    expect(problems).toEqual([
      expect.stringMatching(/^--ink-muted on --surface \(secondary text\) has contrast 2\.\d\d:1/),
      expect.stringMatching(/^--ink-muted on --surface-raised/),
    ]);
  });

  it('follows var() references and lays a translucent colour over what it is drawn on', () => {
    const pale = { ...base, 'header-bg': 'rgb(29 27 44 / 0.95)', 'header-ink': 'var(--ink)' };
    expect(themeContrastProblems(pale)).toEqual([
      expect.stringMatching(/^--header-ink on --header-bg \(header text\)/),
    ]);
  });

  it('refuses a token it cannot read rather than skipping it', () => {
    const unknown = { ...base, brand: 'hotpink' };
    expect(themeContrastProblems(unknown)).toContain(
      '--brand: "hotpink" is not a plain colour (#rrggbb or rgb())',
    );
    const missing = Object.fromEntries(Object.entries(base).filter(([name]) => name !== 'ink'));
    expect(themeContrastProblems(missing)).toContain('--ink is not defined');
  });

  it('checks the buttons, links and focus ring', () => {
    const checked = THEME_PAIRS.map((p) => p.what);
    expect(checked).toEqual(
      expect.arrayContaining(['primary buttons', 'links', 'focus ring', 'body text']),
    );
  });
});

describe('loading a partner site with an unreadable theme', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sites-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const writeSite = (themeCss: string) => {
    const kindred = JSON.parse(readFileSync('sites/kindred/site.json', 'utf8')) as object;
    mkdirSync(join(root, 'acme', 'public'), { recursive: true });
    writeFileSync(
      join(root, 'acme', 'site.json'),
      JSON.stringify({ ...kindred, id: 'acme', hostnames: ['cards.acme.example'] }),
    );
    writeFileSync(join(root, 'acme', 'public', 'theme.css'), themeCss);
  };
  const load = () =>
    SiteRegistry.load(loadConfig({ LOG_LEVEL: 'silent', ...STORES, SITES_DIR: root }));

  it('stops boot, naming the file and the pair', () => {
    writeSite(':root {\n  --brand: #9f9fff; /* too pale behind white button text */\n}\n');
    expect(load).toThrow(SiteConfigError);
    expect(load).toThrow(/acme\/public\/theme\.css: theme below WCAG AA contrast/);
    expect(load).toThrow(/--brand-ink on --brand \(primary buttons\) has contrast/);
  });

  it('loads when the theme keeps contrast', () => {
    writeSite(':root { --brand: #2f4a3a; --brand-strong: #223629; }');
    expect(load().get('acme')?.name).toBe('Kindred Paper Co.');
  });
});
