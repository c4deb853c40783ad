import { join } from 'node:path';
import { startLocalMailbox } from './local-mailbox.js';

/**
 * The development mailbox `npm start` runs (or `npm run mail:sink`): SMTP on 127.0.0.1:1025 (the
 * development SMTP_URL), each message kept under .data/dev/mail/, and an inbox page on
 * http://127.0.0.1:1080/ with every message's links. Nothing leaves the machine.
 */
const mailbox = await startLocalMailbox({
  smtpPort: Number(process.env.MAIL_SINK_PORT ?? 1025),
  inboxPort: Number(process.env.MAIL_INBOX_PORT ?? 1080),
  folder: join(process.cwd(), '.data', 'dev', 'mail'),
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(
  `mail: accepting on smtp://127.0.0.1:${mailbox.smtpPort}, inbox at ${mailbox.inboxUrl}\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void mailbox.close().then(() => process.exit(0)));
}
