import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/**
 * A local mailbox for development: accepts every message on 127.0.0.1:1025 (the development
 * SMTP_URL), keeps it as an .eml file under .data/dev/mail/, and prints its subject and pickup
 * link so a developer can follow a greeting end to end. Nothing leaves the machine.
 */
const port = Number(process.env.MAIL_SINK_PORT ?? 1025);
const folder = join(process.cwd(), '.data', 'dev', 'mail');
mkdirSync(folder, { recursive: true });
let received = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received++;
      const file = join(folder, `${Date.now()}-${received}.eml`);
      writeFileSync(file, raw);
      const subject = /^Subject: (.*)$/m.exec(raw)?.[1] ?? '(no subject)';
      // Quoted-printable bodies wrap long lines with a trailing '=': join them to find the link.
      const unwrapped = raw.replace(/=\r?\n/g, '');
      const link = /https?:\/\/[^\s"<>=]+\/p\/[A-Za-z0-9_-]{44}/.exec(unwrapped)?.[0] ?? '';
      process.stdout.write(`mail-sink: #${received} "${subject}" ${link} -> ${file}\n`);
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`mail-sink: accepting mail on smtp://127.0.0.1:${port}\n`);
});
