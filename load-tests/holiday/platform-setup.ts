import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module.js';
import { loadConfig } from '../../src/config/app-config.js';
import { operatorLink } from '../../src/partners/operator-cli.module.js';
import { call } from './http.js';
import { ensureMembers, signInAll, type SignedInMember } from './members.js';
import { ensurePartnerSites, LOAD_OPERATOR_EMAIL, type PartnerSite } from './partner-sites.js';
import { readSites } from './traffic.js';

/** What the run adds to the platform before its load, through the platform's own services. */
export interface SetupRequest {
  /** The stack's environment (database, Redis, queue prefix), as its processes have it. */
  env: Record<string, string | undefined>;
  /** Partner sites to have (made through the console's service; earlier runs' kept). */
  sites: number;
  /** Member accounts to have, signed in before the load. */
  members: number;
}

export interface SetupResult {
  partnerSites: PartnerSite[];
  members: SignedInMember[];
  notes: string[];
}

/**
 * Partner sites and member accounts made in a Nest context of the web process's own modules
 * (AppModule, without HTTP) on the stack's stores, so every site and account goes through the
 * services the console and the account pages call. Members then sign in over HTTP.
 */
export async function setUpPlatform(
  request: SetupRequest,
  target: { url: string; apiKey: string },
  log: (line: string) => void,
): Promise<SetupResult> {
  // This context lives for the setup only, beside the stack's processes: no metrics port of its
  // own, and no autopilot that would shed or restore the stack's flags from its own readings.
  const config = loadConfig({ ...request.env, METRICS_PORT: '0', AUTOPILOT_ENABLED: 'false' });
  const started = performance.now();
  if (request.sites > 0) await operatorLink(config, LOAD_OPERATOR_EMAIL);
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  const { partnerSites, accounts } = await (async () => {
    try {
      const made = await ensurePartnerSites(context, request.sites);
      const memberSites = [...readSites(), ...made];
      return {
        partnerSites: made,
        accounts:
          request.members > 0 ? await ensureMembers(context, memberSites, request.members) : [],
      };
    } finally {
      await context.close();
    }
  })();
  const made = partnerSites.filter((s) => s.created).length;
  const notes: string[] = [];
  if (request.sites > 0) {
    await waitForHosts(target, partnerSites);
    notes.push(
      `partner sites: ${partnerSites.length} through the partner console's service (${made} made now, ${partnerSites.length - made} kept from an earlier run), e.g. ${partnerSites[0]?.host ?? ''}`,
    );
  }
  const members = await signInAll(target.url, target.apiKey, accounts);
  if (members.length > 0) {
    notes.push(
      `members: ${members.length} accounts over ${new Set(members.map((m) => m.siteId)).size} sites, each with contacts, signed in through POST /account/sign-in`,
    );
  }
  log(
    `setup: ${partnerSites.length} partner sites, ${members.length} members signed in, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { partnerSites, members, notes };
}

/** Each new site's hostname answers once every web process heard of the site (within a second). */
async function waitForHosts(
  target: { url: string; apiKey: string },
  sites: readonly PartnerSite[],
): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const site of sites) {
    for (;;) {
      const res = await call(target.url, {
        path: '/api/cards?limit=1',
        host: site.host,
        headers: { 'x-api-key': target.apiKey },
      });
      if (res.status === 200) break;
      if (Date.now() > deadline) throw new Error(`${site.host} still answers ${res.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
