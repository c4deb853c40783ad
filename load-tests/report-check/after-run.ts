import { loadConfig } from '../../src/config/app-config.js';
import type { MailSink } from '../holiday/mail-sink.js';
import type { SiteCatalog, TrafficPlan } from '../holiday/traffic.js';
import { type ReportCheckResult, runReportCheck } from './report-check.js';

/** The partner site a run's check reads when none is named: the demo partner's. */
const DEFAULT_SITE = 'kindred';
/** The flagship allows administration: the report API is read on its host. */
const ADMIN_SITE = 'ecardia';

export interface AfterRunCheck {
  /** The site whose report is checked (default: kindred, else the first site of the run). */
  siteId?: string;
  /** The stack's environment: its database, replicas, admin token and bounce listener. */
  env: Record<string, string | undefined>;
}

/**
 * The report check after a load run, on the stack the run used: the run's delivered mail
 * (the sink's envelopes and the send answers' pickup links) is what it bounces and opens, and
 * the range is the run's days.
 */
export async function checkReportAfterRun(input: {
  check: AfterRunCheck;
  target: { url: string; apiKey: string };
  sites: SiteCatalog[];
  plan: TrafficPlan;
  sink: MailSink | null;
  startedAt: Date;
  log: (line: string) => void;
}): Promise<ReportCheckResult> {
  const { check, plan, sink, sites } = input;
  if (!sink)
    throw new Error('report check: needs the run to see the mail (its own stack or --smtp-port)');
  const config = loadConfig({ ...check.env, LOG_LEVEL: 'silent' });
  const site = sites.find((s) => s.id === (check.siteId ?? DEFAULT_SITE)) ?? sites[0];
  const admin = sites.find((s) => s.id === ADMIN_SITE);
  if (!site || !admin)
    throw new Error(
      `report check: no site ${check.siteId ?? DEFAULT_SITE} or ${ADMIN_SITE} in this run`,
    );
  const listener = config.bounces.listener;
  if (!listener)
    throw new Error('report check: the stack runs no bounce listener (BOUNCE_SMTP_PORT)');
  const mail = [...sink.returnPaths].flatMap(([email, returnPath]) => {
    const pickupUrl = plan.pickupUrls.get(email);
    const unsubscribeUrl = sink.unsubscribeLinks.get(email);
    return pickupUrl
      ? [{ email, returnPath, pickupUrl, ...(unsubscribeUrl ? { unsubscribeUrl } : {}) }]
      : [];
  });
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return runReportCheck({
    webUrl: input.target.url,
    siteId: site.id,
    host: site.host,
    adminHost: admin.host,
    adminToken: config.adminToken,
    headers: { 'x-api-key': input.target.apiKey },
    databaseUrl: config.database.primaryUrl,
    replicaUrls: config.database.replicaUrls,
    bounceListener: { host: listener.host, port: listener.port },
    mail,
    actions: { hard: 3, soft: 3, complaints: 3, opens: 5, unsubscribes: 2 },
    range: { from: day(input.startedAt), to: day(new Date()) },
    // The worker rolls up every REPORT_ROLLUP_SECONDS (60 by default).
    timeoutMs: 180_000,
    log: input.log,
  });
}
