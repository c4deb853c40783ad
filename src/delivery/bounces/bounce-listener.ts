import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { isStoreUnavailable } from '../../common/store-errors.js';
import { SiteRegistry } from '../../sites/site-registry.js';
import { type BounceSubject, ReturnPaths } from '../return-paths.js';
import { BounceRecorder } from './bounce-recorder.service.js';
import { readBounceReport } from './bounce-report.js';

/**
 * Fixed mailboxes on the bounce domains: RFC 5321 requires postmaster, and feedback loops
 * deliver to the address registered with them. Their reports are matched to an email through
 * the VERP Return-Path quoted in the original message.
 */
const FIXED_MAILBOXES = new Set(['postmaster', 'fbl', 'abuse']);
/** Another worker on this host holds the port: try again now and then, take over if it goes. */
const STANDBY_RETRY_MS = 15_000;

type SmtpError = Error & { responseCode: number };

function smtpError(code: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The SMTP server of the bounce domains, run by the worker: takes delivery status
 * notifications and feedback-loop reports for the addresses we issued, and nothing else.
 * A recipient address we did not sign is refused at RCPT, so a forged report never reaches
 * the rules. When recording fails (the primary away) the sender hears 451 and sends again
 * later, which the report's fingerprint makes harmless.
 */
@Injectable()
export class BounceListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BounceListener');
  private readonly domains: ReadonlySet<string>;
  private server: SMTPServer | null = null;
  private retry: NodeJS.Timeout | null = null;
  private bound: AddressInfo | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly returnPaths: ReturnPaths,
    private readonly recorder: BounceRecorder,
    sites: SiteRegistry,
  ) {
    this.domains = returnPaths.domains(sites.sites);
  }

  onApplicationBootstrap(): void {
    if (this.config.bounces.listener) this.listen(this.config.bounces.listener);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Where it listens, once it does. */
  address(): AddressInfo | null {
    return this.bound;
  }

  private listen(at: { host: string; port: number }): void {
    const server = this.create();
    server.on('error', (error: NodeJS.ErrnoException) => {
      if (this.bound || this.stopped) {
        // A client's broken connection: theirs to retry.
        this.logger.debug(`bounce connection error: ${error.code ?? error.message}`);
        return;
      }
      if (error.code === 'EADDRINUSE') {
        this.logger.log(`port ${at.port} is served by another process here; standing by`);
        this.retry = setTimeout(() => this.listen(at), STANDBY_RETRY_MS);
        this.retry.unref();
        return;
      }
      this.logger.error(`bounce listener cannot listen on ${at.host}:${at.port}: ${error.message}`);
    });
    this.server = server;
    server.listen(at.port, at.host, () => {
      this.bound = server.server.address() as AddressInfo;
      this.logger.log(`bounce listener on ${at.host}:${this.bound.port}`);
    });
  }

  private create(): SMTPServer {
    return new SMTPServer({
      // TLS, if any, is the receiving edge's (MX relay); here plain SMTP on a private address.
      disabledCommands: ['AUTH', 'STARTTLS'],
      authOptional: true,
      size: this.config.bounces.maxBytes,
      maxClients: 50,
      socketTimeout: 60_000,
      logger: false,
      banner: 'bounce and feedback reports only',
      onRcptTo: (address, _session, callback) => {
        callback(this.refusal(address.address));
      },
      onData: (stream, session, callback) => {
        this.take(stream, session).then(
          () => callback(),
          (error: Error) => callback(error),
        );
      },
    });
  }

  /** Why an envelope recipient is refused, or null to accept it. */
  private refusal(address: string): SmtpError | null {
    const at = address.lastIndexOf('@');
    const domain = address.slice(at + 1).toLowerCase();
    if (at < 0 || !this.domains.has(domain)) {
      return smtpError(550, '5.7.1 relaying denied: this server takes bounces only');
    }
    const local = address.slice(0, at).toLowerCase();
    if (FIXED_MAILBOXES.has(local) || this.returnPaths.subjectOf(address, this.domains)) {
      return null;
    }
    return smtpError(550, '5.1.1 no such bounce address');
  }

  private async take(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    if (stream.sizeExceeded) throw smtpError(552, '5.3.4 report too large');
    const raw = Buffer.concat(chunks);
    const report = await readBounceReport(raw).catch(() => null);
    if (!report) {
      // An auto-reply or a person writing back: accepted, so nobody retries it, and dropped.
      this.logger.log({ event: 'bounce-ignored', reason: 'not a bounce or complaint report' });
      return;
    }
    const subjects = this.subjectsOf(session, raw);
    if (subjects.length === 0) {
      this.logger.log({ event: 'bounce-ignored', reason: 'names no email of ours' });
      return;
    }
    try {
      for (const subject of subjects) await this.recorder.record(subject, report);
    } catch (error) {
      // The sender keeps the report and tries again; an outage needs no line per report.
      if (!isStoreUnavailable(error)) {
        this.logger.error(`bounce report not recorded: ${(error as Error).message}`);
      }
      throw smtpError(451, '4.3.0 try again later');
    }
  }

  /** The signed addresses it was sent to, else the one quoted in the original message. */
  private subjectsOf(session: SMTPServerSession, raw: Buffer): BounceSubject[] {
    const fromEnvelope = session.envelope.rcptTo
      .map((r) => this.returnPaths.subjectOf(r.address, this.domains))
      .filter((s): s is BounceSubject => s !== null);
    if (fromEnvelope.length > 0) return fromEnvelope;
    const quoted = this.returnPaths.findIn(raw.toString('latin1'), this.domains);
    return quoted ? [quoted] : [];
  }
}
