import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PassThrough, type Readable } from 'node:stream';
import { createTransport, type SendMailOptions } from 'nodemailer';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { maskEmails } from '../observability/log-redaction.js';
import type { OutgoingMail } from './outgoing-mail.js';
import { classifySmtpError } from './smtp-errors.js';

type Transporter = ReturnType<typeof createTransport>;

/** The receiving server's answer to an accepted message, for the delivery log line. */
export interface SmtpReply {
  messageId: string;
  /** The reply's status code (250), or null when the server's text did not start with one. */
  smtpCode: number | null;
  /** The reply text, email-shaped parts masked: some servers echo the recipient. */
  smtpResponse: string;
}

/**
 * Pooled SMTP from SMTP_URL: a few long-lived connections shared by every job of the process,
 * so a busy worker does not pay a TCP and TLS handshake per email. Messages are DKIM-signed
 * with their site's own key when the message carries one, else with the platform's key when
 * one is configured.
 */
@Injectable()
export class MailSender implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { mail } = config;
    this.transport = createTransport({
      url: mail.smtpUrl,
      pool: true,
      maxConnections: mail.poolSize,
      maxMessages: 1000,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      ...(mail.dkim
        ? {
            dkim: {
              domainName: mail.dkim.domain,
              keySelector: mail.dkim.selector,
              privateKey: mail.dkim.privateKey,
            },
          }
        : {}),
    });
    this.transport.use('stream', (mail, done) => {
      mail.message.processFunc(wholeMessage);
      done();
    });
  }

  /** Resolves with the server's reply once it accepted the message; throws a MailSendError. */
  async send(mail: OutgoingMail): Promise<SmtpReply> {
    let info: { messageId?: unknown; response?: unknown };
    try {
      info = (await this.transport.sendMail(messageOptions(mail))) as typeof info;
    } catch (error) {
      throw classifySmtpError(error);
    }
    const smtpResponse = typeof info.response === 'string' ? maskEmails(info.response) : '';
    const code = /^\d{3}/.exec(smtpResponse);
    return {
      messageId: typeof info.messageId === 'string' ? info.messageId : mail.messageId,
      smtpCode: code ? Number(code[0]) : null,
      smtpResponse,
    };
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

/** What nodemailer is given for one of our emails (bench:delivery's baseline sends this too). */
export function messageOptions(mail: OutgoingMail): SendMailOptions {
  return {
    from: mail.from,
    to: mail.to,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: mail.headers ?? {},
    ...(mail.returnPath ? { envelope: { from: mail.returnPath, to: [mail.to.address] } } : {}),
    // Given per message, it replaces the transport's key (the platform's) for this one email.
    ...(mail.dkim ? { dkim: { ...mail.dkim } } : {}),
    // Our own code never needs file or URL attachments; refuse them if one slipped in.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/**
 * The finished message as one chunk. nodemailer streams a multipart email in dozens of small
 * pieces (each header, each encoded line run), and each piece becomes its own write system call
 * on the SMTP socket; profiling the worker showed those writes costing more than building the
 * message. Gathering the message first (DKIM signing does the same) makes it one write. Emails
 * are a few kilobytes, so holding one in memory costs nothing.
 */
function wholeMessage(input: Readable): Readable {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  input.on('data', (chunk: Buffer | string) =>
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
  );
  input.once('end', () => output.end(Buffer.concat(chunks)));
  input.once('error', (error: Error) => output.destroy(error));
  return output;
}
