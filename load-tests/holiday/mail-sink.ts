import { SMTPServer } from 'smtp-server';

export interface MailSink {
  url: string;
  port: number;
  /** Recipient address -> messages accepted for it. */
  readonly delivered: Map<string, number>;
  /** Recipient address -> the envelope sender (VERP Return-Path) of its last message. */
  readonly returnPaths: Map<string, string>;
  /** Recipient address -> the `List-Unsubscribe` link of its last message. */
  readonly unsubscribeLinks: Map<string, string>;
  /** performance.now() of the last accepted message. */
  lastAcceptedAt(): number;
  /** How many of `addresses` got at least one message. */
  count(addresses: readonly string[]): number;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback (the smtp-server package) that keeps only the envelope of
 * each accepted message (its recipients, and the sender a bounce of it would go to) and its
 * unsubscribe link from the header block: parsing tens of thousands of bodies would take the
 * CPU the platform is being measured on.
 */
/** Enough for any header block the platform writes (DKIM signature included). */
const HEAD_BYTES = 64 * 1024;

export async function startMailSink(port = 0): Promise<MailSink> {
  const delivered = new Map<string, number>();
  const returnPaths = new Map<string, string>();
  const unsubscribeLinks = new Map<string, string>();
  let last = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 500,
    onData(stream, session, callback) {
      // The header block only, and only as far as its end: the bodies are never looked at.
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < HEAD_BYTES && !head.includes('\r\n\r\n'))
          head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        // Long header lines come folded (a line break and white space): unfolded first.
        const header = (head.split('\r\n\r\n')[0] ?? '').replace(/\r\n[ \t]+/g, ' ');
        const unsubscribe = /^List-Unsubscribe:\s*<([^>]+)>/im.exec(header)?.[1];
        for (const rcpt of session.envelope.rcptTo) {
          const address = rcpt.address.toLowerCase();
          delivered.set(address, (delivered.get(address) ?? 0) + 1);
          const from = session.envelope.mailFrom;
          if (from) returnPaths.set(address, from.address);
          if (unsubscribe) unsubscribeLinks.set(address, unsubscribe);
        }
        last = performance.now();
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `smtp://127.0.0.1:${bound}`,
    port: bound,
    delivered,
    returnPaths,
    unsubscribeLinks,
    lastAcceptedAt: () => last,
    count: (addresses) => addresses.reduce((n, a) => n + (delivered.has(a) ? 1 : 0), 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
