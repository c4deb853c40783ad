import type { INestApplicationContext } from '@nestjs/common';
import { ConsoleRefusal } from '../../src/partners/console-refusal.js';
import { PartnerConsole } from '../../src/partners/partner-console.service.js';
import { emailKeyOf, readForm } from '../../src/partners/partner-forms.js';
import type { Actor } from '../../src/partners/partner-roles.js';
import { PeopleRepository } from '../../src/partners/people.repository.js';
import { SiteRegistry } from '../../src/sites/site-registry.js';

/** The console operator the load run acts as (made by the CLI's `partners:operator` path). */
export const LOAD_OPERATOR_EMAIL = 'load-operator@load.example';

export interface PartnerSite {
  id: string;
  host: string;
  maxRecipients: number;
  /** Made by this run (false: an earlier run's, left as it was). */
  created: boolean;
}

const pad = (n: number): string => String(n).padStart(3, '0');

/** The n-th load partner's names: the same on every run, so a rerun finds its sites. */
export function partnerNames(n: number): {
  partnerId: string;
  siteId: string;
  hostname: string;
} {
  return {
    partnerId: `load-partner-${pad(n)}`,
    siteId: `load-site-${pad(n)}`,
    hostname: `load-site-${pad(n)}.partners.load.example`,
  };
}

/**
 * `count` partners with a site each, made as an operator makes them in the /partner console:
 * the console's own form parsing and PartnerConsole (create partner + first site, which an
 * operator's vouching makes live on its hostname at once; then a theme saved as a draft and
 * published). Sites an earlier run made are left as they are, so a rerun never fails on them.
 */
export async function ensurePartnerSites(
  context: INestApplicationContext,
  count: number,
): Promise<PartnerSite[]> {
  if (count <= 0) return [];
  const console = context.get(PartnerConsole, { strict: false });
  const registry = context.get(SiteRegistry, { strict: false });
  const operator = await context
    .get(PeopleRepository, { strict: false })
    .findByEmail(emailKeyOf(LOAD_OPERATOR_EMAIL));
  if (!operator || operator.role !== 'operator') {
    throw new Error(`${LOAD_OPERATOR_EMAIL} is not a console operator`);
  }
  const actor: Actor = { id: operator.id, role: 'operator', partnerId: null };
  const existing = new Set((await console.visibleSites(actor)).map((s) => s.siteId));
  const out: PartnerSite[] = [];
  for (let n = 1; n <= count; n++) {
    const names = partnerNames(n);
    const created = !existing.has(names.siteId);
    if (created) await createOne(console, actor, n);
    const site = registry.get(names.siteId);
    if (!site) throw new Error(`${names.siteId} is not live after its creation`);
    out.push({
      id: site.id,
      host: site.hostnames[0] ?? names.hostname,
      maxRecipients: site.limits.maxRecipients,
      created,
    });
  }
  return out;
}

async function createOne(console: PartnerConsole, actor: Actor, n: number): Promise<void> {
  const names = partnerNames(n);
  const form = readForm('newPartner', {
    ...names,
    partnerName: `Load Partner ${n}`,
    siteName: `Load Greetings ${n}`,
    adminEmail: `admin-${pad(n)}@load.example`,
  });
  if (!form.ok) throw new Error(`partner form refused: ${JSON.stringify(form.form.errors)}`);
  try {
    await console.createPartner(actor, form.data);
  } catch (error) {
    // Another run made it between our listing and now: its site is as good as ours.
    if (error instanceof ConsoleRefusal && error.status === 409) return;
    throw error;
  }
  const editable = await console.editable(actor, names.siteId);
  const theme = readForm('theme', {
    brandName: `Load Greetings ${n}`,
    tagline: 'Cards for every day',
    heroTitle: `Holiday cards from partner ${n}`,
    heroText: 'Pick a card, write a few words, send it.',
    footerCopy: `Load Partner ${n}`,
    themeColor: '#2f4a3a',
    fromName: `Load Greetings ${n}`,
  });
  if (!theme.ok) throw new Error(`theme form refused: ${JSON.stringify(theme.form.errors)}`);
  await console.saveDraft(actor, names.siteId, theme.data, {
    occasions: [],
    fonts: editable.live.messageStyles.fonts,
  });
  await console.publish(actor, names.siteId);
}
