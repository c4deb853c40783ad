import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../../src/config/app-config.js';
import { defaultAbuseEnv } from '../../src/config/security-config.js';
import { FormTokens } from '../../src/security/form-tokens.js';
import { encodeForm, type FormFields } from '../support/compose-form.js';
import { countRows, uniqueEmail } from '../support/db.js';
import type { TestResponse } from '../support/http-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * The web app with the production abuse limits (not the test stage's relaxed ones) and rate
 * counters of its own (a fresh key prefix), so one attack's counts never leak into another's.
 */
export function startDefendedApp(env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({
    ...defaultAbuseEnv(),
    QUEUE_PREFIX: `sec-${randomBytes(5).toString('hex')}`,
    ...env,
  });
}

/** Bytes exactly as given, for what an HTTP client library would refuse to send. */
export function rawRequest(port: number, text: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
  });
}

export function greetingsOf(db: DataSource, senderEmail: string): Promise<number> {
  return countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [senderEmail]);
}

export function apiGreeting(card: string, sender = uniqueEmail('ann'), recipients = 1) {
  return {
    cardSlug: card,
    sender: { name: 'Ann', email: sender },
    recipients: Array.from({ length: recipients }, (_, i) => ({
      name: `Bob ${i}`,
      email: uniqueEmail(`bob${i}`),
    })),
    message: 'Happy birthday!',
  };
}

/** A valid compose token for a form served `ageMs` ago (past the minimum fill time). */
export function agedFormFields(app: TestApp, siteId: string, ageMs = 10_000): FormFields {
  const key = randomBytes(16).toString('base64url');
  const token = new FormTokens(app.config.pickupTokenSecret).issue(
    'compose',
    siteId,
    key,
    Date.now() - ageMs,
  );
  return [
    ['_csrf', token],
    ['idempotencyKey', key],
  ];
}

export function composeFields(sender: string, extra: FormFields = []): FormFields {
  return [
    ['senderName', 'Ann Example'],
    ['senderEmail', sender],
    ['recipientName', 'Bob'],
    ['recipientEmail', uniqueEmail('bob')],
    ['message', 'Hello'],
    ['sendDate', ''],
    ['sendTime', ''],
    ['action', 'send'],
    ...extra,
  ];
}

export function postForm(
  app: TestApp,
  host: string,
  card: string,
  fields: FormFields,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  return app.request({
    method: 'POST',
    url: `/cards/${card}/send`,
    host,
    headers: { ...FORM, ...headers },
    payload: encodeForm(fields),
  });
}

/** Every problem boot would list for this environment; none when it boots. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
