import { AxeBuilder } from '@axe-core/playwright';
import axe from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * Rules axe-core declares minor or moderate. A rule's declared impact is the impact of every
 * result it reports, so these can never report a serious or critical violation; running them
 * (the landmark and region rules walk the whole page) only costs time. Read from axe-core
 * itself, so a rule an upgrade makes serious is checked again.
 */
const NEVER_SERIOUS = (
  axe as unknown as { _audit: { rules: { id: string; impact?: string }[] } }
)._audit.rules
  .filter((rule) => rule.impact === 'minor' || rule.impact === 'moderate')
  .map((rule) => rule.id);

/** What AxeBuilder injects: nothing, as the page has axe-core already, but it must say so. */
const AXE_LOADED = `if (typeof window.axe?.run !== 'function') throw new Error('axe-core is not loaded');`;

/**
 * Loads axe-core with every page this tab opens from now on, compiled in the browser: a walk
 * through many pages then never sends its source over the protocol.
 */
export async function loadAxeWithEveryPage(page: Page): Promise<void> {
  await page.addInitScript({ content: axe.source });
}

/** One serious or critical violation: which rule, how bad, where. */
export interface SeriousViolation {
  rule: string;
  impact: string;
  targets: string[];
}

/**
 * Serious and critical violations axe-core finds on the page as it is now, `exclude` (a
 * selector, such as a sandboxed frame no script may enter) left out. Run inside the page
 * (legacy mode): the default path opens a second page and injects axe into both for every
 * check, three times the cost on pages that, like these, hold no frame it must enter. axe-core
 * is sent once if the page does not have it yet; AxeBuilder on its own sends it twice.
 */
export async function seriousViolations(page: Page, exclude?: string): Promise<SeriousViolation[]> {
  if (!(await page.evaluate(`typeof window.axe?.run === 'function'`))) {
    await page.evaluate(axe.source);
  }
  const builder = new AxeBuilder({ page, axeSource: AXE_LOADED })
    .setLegacyMode(true)
    .disableRules(NEVER_SERIOUS)
    .options({ resultTypes: ['violations'] });
  if (exclude) builder.exclude(exclude);
  const results = await builder.analyze();
  // A page axe could not read (nothing passed) would otherwise look clean.
  expect(results.passes.length).toBeGreaterThan(0);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact ?? '',
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
}
