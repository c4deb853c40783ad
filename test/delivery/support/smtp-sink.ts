import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  /** When the sink accepted it (epoch ms). */
  receivedAt: number;
  to: string[];
  from: string;
  /** The envelope sender (`MAIL FROM`): where a bounce of this message would go. */
  envelopeFrom: string;
  subject: string;
  text: string;
  html: string;
  contentType: string;
  headers: Map<string, unknown>;
  /** The header block with folded lines joined, for exact header assertions. */
  rawHeaders: string;
  raw: string;
}

export interface SmtpSink {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Reply to the next messages for these recipients with this SMTP error (e.g. 550, 451). */
  failFor(address: string, code: number, times?: number): void;
  /** Resolves when `predicate` holds over the received mail, or rejects after `timeoutMs`. */
  waitFor(predicate: (mail: ReceivedMail[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback (the smtp-server package), keeping every accepted message
 * parsed. Tests read what a mailbox would get, not what a mock was called with.
 */
export async function startSmtpSink(
  options: {
    parse?: boolean;
    acceptDelayMs?: number;
    /**
     * Runs once the message is kept and before the client hears "250": what a test does there
     * happens while the sender already has its email accepted but has not been told so.
     */
    onAccept?: (mail: ReceivedMail) => void | Promise<void>;
  } = {},
): Promise<SmtpSink> {
  const parse = options.parse ?? true;
  const acceptDelayMs = options.acceptDelayMs ?? 0;
  const keep = (
    parsed: Omit<ReceivedMail, 'receivedAt'>,
    callback: (error?: Error | null) => void,
  ): void => {
    const mail = { ...parsed, receivedAt: Date.now() };
    received.push(mail);
    Promise.resolve(options.onAccept?.(mail)).then(
      () => callback(),
      (error: Error) => callback(error),
    );
  };
  const received: ReceivedMail[] = [];
  const failures = new Map<string, { code: number; times: number }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1024 * 1024,
    maxClients: 200,
    onRcptTo(address, _session, callback) {
      const failure = failures.get(address.address.toLowerCase());
      if (failure && failure.times > 0) {
        failure.times -= 1;
        const error = new Error(failure.code >= 500 ? 'mailbox unavailable' : 'try again later');
        (error as Error & { responseCode: number }).responseCode = failure.code;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const { mailFrom } = session.envelope;
      const envelopeFrom = mailFrom ? mailFrom.address : '';
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (acceptDelayMs > 0) setTimeout(() => accept(), acceptDelayMs);
        else accept();
      });
      const accept = (): void => {
        const raw = Buffer.concat(chunks);
        if (!parse) {
          const id = /^message-id:\s*(\S+)/im.exec(raw.subarray(0, 4096).toString())?.[1] ?? '';
          keep(
            { ...EMPTY, messageId: id, envelopeFrom, headers: new Map(), rawHeaders: '', raw: '' },
            callback,
          );
          return;
        }
        simpleParser(raw).then(
          (mail: ParsedMail) =>
            keep({ ...toReceived(mail, raw.toString('utf8')), envelopeFrom }, callback),
          (error: Error) => callback(error),
        );
      };
    },
  });
  // A client killed mid-transaction resets its socket; that is the test, not a failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    failFor(address, code, times = 1) {
      failures.set(address.toLowerCase(), { code, times });
    },
    async waitFor(predicate, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > until) throw new Error(`timed out; ${received.length} mails received`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const EMPTY = { to: [], from: '', subject: '', text: '', html: '', contentType: '' };

function toReceived(
  mail: ParsedMail,
  raw: string,
): Omit<ReceivedMail, 'receivedAt' | 'envelopeFrom'> {
  const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) =>
    a.value.map((v) => v.address ?? ''),
  );
  const contentType = mail.headers.get('content-type') as { value?: string } | undefined;
  return {
    messageId: mail.messageId ? `<${mail.messageId.replace(/^<|>$/g, '')}>` : '',
    to,
    from: mail.from?.text ?? '',
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
    contentType: contentType?.value ?? '',
    headers: mail.headers,
    rawHeaders: (raw.split(/\r?\n\r?\n/, 1)[0] ?? '').replace(/\r?\n[ \t]+/g, ' '),
    raw,
  };
}
