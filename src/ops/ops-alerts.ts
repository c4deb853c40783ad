import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger as PinoLogger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailSender } from '../platform/mail/mail-sender.js';

export const OPS_LOGGER = Symbol('OPS_LOGGER');

export interface OpsAlert {
  /** Stable name of the condition (`heartbeat-missing:<worker>`, `stalled:delivery`…). */
  key: string;
  state: 'firing' | 'resolved';
  summary: string;
  details: Record<string, unknown>;
}

const WEBHOOK_TIMEOUT_MS = 5000;

/**
 * Where watchdog alerts go: always one JSON log line (`error` when firing; resolved lines are
 * written whatever the level, like lifecycle lines), plus an email to OPS_ALERT_EMAIL and a
 * POST to OPS_ALERT_WEBHOOK_URL when set. A channel that fails is logged and not retried: the
 * log line is the record, and the watchdog does not fire the same condition twice.
 */
@Injectable()
export class OpsAlerts {
  private readonly logger = new Logger('Watchdog');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OPS_LOGGER) private readonly log: PinoLogger,
    private readonly mail: MailSender,
  ) {}

  async raise(alert: OpsAlert): Promise<void> {
    const fields = { alert: alert.key, alertState: alert.state, ...alert.details };
    if (alert.state === 'firing') this.log.error(fields, `alert: ${alert.summary}`);
    else this.log.info(fields, `resolved: ${alert.summary}`);
    await Promise.all([this.email(alert), this.post(alert)]);
  }

  private async email(alert: OpsAlert): Promise<void> {
    const to = this.config.ops.alerts.email;
    if (!to) return;
    const { from } = this.config.ops.alerts;
    const label = alert.state === 'firing' ? 'ALERT' : 'RESOLVED';
    const text = [
      `${label}: ${alert.summary}`,
      '',
      `condition: ${alert.key}`,
      `stage: ${this.config.stage}, version: ${this.config.version}`,
      ...Object.entries(alert.details).map(([k, v]) => `${k}: ${JSON.stringify(v)}`),
    ].join('\n');
    try {
      await this.mail.send({
        from: { name: 'ecard watchdog', address: from },
        to: { name: 'Operations', address: to },
        subject: `[ecard ${this.config.stage}] ${label}: ${alert.summary}`.slice(0, 200),
        text,
        html: `<pre>${escapeHtml(text)}</pre>`,
        messageId: `<alert-${randomUUID()}@${from.split('@')[1] ?? 'ecard.invalid'}>`,
      });
    } catch (error) {
      this.logger.warn(`alert email not sent: ${(error as Error).message}`);
    }
  }

  private async post(alert: OpsAlert): Promise<void> {
    const url = this.config.ops.alerts.webhookUrl;
    if (!url) return;
    const body = {
      alert: alert.key,
      state: alert.state,
      summary: alert.summary,
      details: alert.details,
      stage: this.config.stage,
      version: this.config.version,
      at: new Date().toISOString(),
    };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      if (!response.ok) this.logger.warn(`alert webhook answered ${response.status}`);
    } catch (error) {
      this.logger.warn(`alert webhook not reached: ${(error as Error).message}`);
    }
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
