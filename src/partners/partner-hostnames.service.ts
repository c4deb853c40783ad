import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { lookup, Resolver } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { SitesService } from '../sites/sites.service.js';
import { AuditRepository } from './audit.repository.js';
import { HostnamesRepository } from './hostnames.repository.js';
import { ConsoleRefusal } from './console-refusal.js';
import { PartnerConsole } from './partner-console.service.js';
import type { PartnerHostname } from './partner.entity.js';
import type { Actor } from './partner-roles.js';

/** Where the partner serves the token, on the hostname itself. */
export const VERIFY_PATH = '/.well-known/ecard-verify/';
/** Or the name under the hostname where the partner publishes it as a TXT record. */
export const VERIFY_TXT_LABEL = '_ecard-verify';
/** The TXT record's value: the token, named so other TXT records there cannot pass for it. */
export const verifyTxtValue = (token: string): string => `ecard-verify=${token}`;

const FETCH_TIMEOUT_MS = 5000;

/** Addresses a partner's hostname must not lead our servers to. */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
PRIVATE.addSubnet('::1', 128, 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('fe80::', 10, 'ipv6');

/**
 * A partner's own hostnames: asked for in the console, then proved by serving a token at a
 * well-known path on the name (as ACME's http-01 does) or publishing it in a TXT record under
 * the name (as dns-01 does) before the name joins the site and starts answering. Unique across sites: a name any site answers to, or another site waits for, is
 * refused. Sites an operator creates or imports are trusted at once and never pass here.
 */
@Injectable()
export class PartnerHostnames {
  private readonly dnsServers: readonly string[];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly console: PartnerConsole,
    private readonly hostnames: HostnamesRepository,
    private readonly registry: SiteRegistry,
    private readonly sites: SitesService,
    private readonly audit: AuditRepository,
  ) {
    this.dnsServers = config.identity.hostnameDnsServers;
  }

  /** The names a site asked for, proved or not, for its editor, with both ways to prove them. */
  async ofSite(
    siteId: string,
  ): Promise<(PartnerHostname & { url: string; txtName: string; txtValue: string })[]> {
    const rows = await this.hostnames.ofSite(siteId);
    return rows.map((r) => ({
      ...r,
      url: `http://${r.hostname}${VERIFY_PATH}${r.token}`,
      txtName: `${VERIFY_TXT_LABEL}.${r.hostname}`,
      txtValue: verifyTxtValue(r.token),
    }));
  }

  async request(actor: Actor, siteId: string, hostname: string): Promise<void> {
    const site = await this.console.editable(actor, siteId);
    // Every process holds every site; the sites service's own check refuses a late clash.
    const answering = this.registry.resolve(hostname);
    if (answering) throw taken(answering.id === siteId ? 'this site' : 'another site');
    const row = {
      hostname,
      siteId,
      token: randomBytes(32).toString('base64url'),
      requestedAt: new Date(),
      verifiedAt: null,
    };
    if (!(await this.hostnames.request(row))) {
      const held = await this.hostnames.one(hostname);
      throw taken(held?.siteId === siteId ? 'this site (waiting for its token)' : 'another site');
    }
    await this.audit.record(actor, {
      action: 'hostname.requested',
      partnerId: site.owner.partnerId,
      siteId,
      after: { hostname },
    });
  }

  /** Looks for the token on the hostname or in its TXT record; found, the name joins the site. */
  async verify(actor: Actor, siteId: string, hostname: string): Promise<number> {
    await this.console.editable(actor, siteId);
    const row = await this.hostnames.one(hostname);
    if (!row || row.siteId !== siteId) {
      throw new ConsoleRefusal(
        [{ field: 'hostname', message: 'Hostname: not asked for on this site' }],
        404,
      );
    }
    if (!(await tokenPublished(row, this.dnsServers)) && !(await tokenServed(row))) {
      throw new ConsoleRefusal([
        {
          field: 'hostname',
          message: `Hostname: ${hostname} did not answer ${VERIFY_PATH}${row.token} with the token, and ${VERIFY_TXT_LABEL}.${hostname} has no TXT record with it`,
        },
      ]);
    }
    return this.confirm(actor, row);
  }

  /**
   * Adds a proved hostname to its site (one new version, live everywhere within a second). Also
   * the hook tests and local development use to skip the fetch.
   */
  async confirm(actor: Actor | null, row: PartnerHostname): Promise<number> {
    let revision: number;
    try {
      ({ revision } = await this.sites.update(
        row.siteId,
        (d) => ({ ...d, hostnames: [...new Set([...d.hostnames, row.hostname])] }),
        {
          author: `partner-console:${actor?.id ?? 'verification'}`,
          reason: `hostname ${row.hostname} verified`,
        },
      ));
    } catch (error) {
      throw new ConsoleRefusal(
        [
          {
            field: 'hostname',
            message: `Hostname: ${error instanceof Error ? error.message : 'refused'}`,
          },
        ],
        409,
      );
    }
    await this.hostnames.markVerified(row.hostname, new Date());
    const owner = await this.console.ownerOf(row.siteId);
    await this.audit.record(actor, {
      action: 'hostname.verified',
      partnerId: owner,
      siteId: row.siteId,
      after: { hostname: row.hostname, revision },
    });
    return revision;
  }

  /** The hook for tests and local development: the named pending hostname proved. */
  async markVerified(hostname: string): Promise<number> {
    const row = await this.hostnames.one(hostname);
    if (!row) throw new Error(`no pending hostname ${hostname}`);
    return this.confirm(null, row);
  }
}

function taken(owner: string): ConsoleRefusal {
  return new ConsoleRefusal(
    [{ field: 'hostname', message: `Hostname: already used by ${owner}` }],
    409,
  );
}

/** Whether the hostname serves its token; never follows redirects or reaches private networks. */
async function tokenServed(row: PartnerHostname): Promise<boolean> {
  try {
    const addresses = await lookup(row.hostname, { all: true });
    if (addresses.some((a) => PRIVATE.check(a.address, isIP(a.address) === 6 ? 'ipv6' : 'ipv4'))) {
      return false;
    }
    const response = await fetch(`http://${row.hostname}${VERIFY_PATH}${row.token}`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (response.status !== 200) return false;
    const body = (await response.text()).slice(0, 1024);
    return body.trim() === row.token;
  } catch {
    return false;
  }
}

/** Whether the hostname's TXT record carries the token (names servers from config, if any). */
async function tokenPublished(row: PartnerHostname, servers: readonly string[]): Promise<boolean> {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  if (servers.length > 0) resolver.setServers([...servers]);
  try {
    const records = await resolver.resolveTxt(`${VERIFY_TXT_LABEL}.${row.hostname}`);
    return records.some((strings) => strings.join('') === verifyTxtValue(row.token));
  } catch {
    return false;
  }
}
