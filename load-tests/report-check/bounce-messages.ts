import { createTransport } from 'nodemailer';

/**
 * Real report messages, built the way receiving mail systems build them: a delivery status
 * notification (RFC 3464) and a feedback-loop report (ARF, RFC 5965), as raw MIME text.
 */
export interface ReturnedEmail {
  /** The envelope sender our email went out with (its VERP Return-Path). */
  returnPath: string;
  to: string;
  messageId: string;
}

const CRLF = '\r\n';
let serial = 0;

function reportId(kind: string): string {
  serial += 1;
  return `<${kind}.${Date.now().toString(36)}.${serial}@mx.receiver.example>`;
}

function originalHeaders(original: ReturnedEmail): string[] {
  return [
    `Return-Path: <${original.returnPath}>`,
    'From: Ecard <greetings@ecardia.example>',
    `To: <${original.to}>`,
    `Message-ID: ${original.messageId}`,
    'Subject: Ann sent you an ecard',
  ];
}

export function deliveryStatusNotification(
  original: ReturnedEmail,
  outcome: { action: 'failed' | 'delayed' | 'delivered'; status: string; diagnostic?: string },
  messageId = reportId('dsn'),
): string {
  const boundary = `dsn-${serial}-boundary`;
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.receiver.example>',
    `To: <${original.returnPath}>`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: ${messageId}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.receiver.example.',
    'I am sorry to have to inform you that your message could not be delivered.',
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.receiver.example',
    'Arrival-Date: Sun, 6 Dec 2026 00:00:00 +0000',
    '',
    `Final-Recipient: rfc822; ${original.to}`,
    `Original-Recipient: rfc822;${original.to}`,
    `Action: ${outcome.action}`,
    `Status: ${outcome.status}`,
    `Diagnostic-Code: smtp; ${outcome.diagnostic ?? `550 ${outcome.status} mailbox unavailable`}`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    ...originalHeaders(original),
    '',
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

export function feedbackReport(
  original: ReturnedEmail,
  feedbackType = 'abuse',
  messageId = reportId('arf'),
): string {
  const boundary = `arf-${serial}-boundary`;
  return [
    'From: Feedback Loop <fbl@receiver.example>',
    'To: <fbl@bounces.example>',
    'Subject: FW: Ann sent you an ecard',
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=feedback-report; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an email abuse report for an email message received from IP 192.0.2.1.',
    '',
    `--${boundary}`,
    'Content-Type: message/feedback-report',
    '',
    `Feedback-Type: ${feedbackType}`,
    'User-Agent: ReceiverFBL/1.0',
    'Version: 1',
    `Original-Mail-From: <${original.returnPath}>`,
    `Original-Rcpt-To: <${original.to}>`,
    'Arrival-Date: Sun, 6 Dec 2026 00:00:00 +0000',
    '',
    `--${boundary}`,
    'Content-Type: message/rfc822',
    'Content-Disposition: inline',
    '',
    ...originalHeaders(original),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Ann sent you an ecard. Open it here.',
    '',
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

/**
 * Delivers a report to a bounce listener as a receiving mail system does; rejects with the
 * listener's reply when it refuses it.
 */
export async function deliverReport(
  listener: { host: string; port: number },
  rcpt: string,
  raw: string,
): Promise<void> {
  const transport = createTransport({ host: listener.host, port: listener.port, ignoreTLS: true });
  try {
    await transport.sendMail({
      envelope: { from: 'mailer-daemon@mx.receiver.example', to: rcpt },
      raw,
    });
  } finally {
    transport.close();
  }
}
