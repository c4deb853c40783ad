import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A developer's mailbox: an SMTP server that keeps every message as an .eml file, and a small
 * inbox page listing them with their links, so the pickup link of a card sent locally is one
 * click away. Both listen on loopback only; nothing leaves the machine.
 */
export interface LocalMailbox {
  smtpPort: number;
  inboxUrl: string;
  close(): Promise<void>;
}

export interface LocalMailboxOptions {
  smtpPort: number;
  inboxPort: number;
  folder: string;
  /** One line per event (the terminal of `npm start`). */
  log: (line: string) => void;
}

const FILE = /^\d+-\d+\.eml$/;
/** The inbox page lists the newest messages; older ones stay on disk. */
const LISTED = 100;
/** Site links a person follows from an email: pickup first, it is the one they came for. */
const LINK_KINDS: readonly [string, RegExp][] = [
  ['open the card', /\/p\/[A-Za-z0-9_-]+$/],
  ['change or cancel', /\/manage\//],
  ['unsubscribe', /\/unsubscribe\//],
];

export async function startLocalMailbox(options: LocalMailboxOptions): Promise<LocalMailbox> {
  mkdirSync(options.folder, { recursive: true });
  let received = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const name = `${Date.now()}-${++received}.eml`;
        writeFileSync(join(options.folder, name), raw);
        simpleParser(raw)
          .then((mail) => {
            const first = linksOf(mail)[0];
            options.log(
              `mail: "${mail.subject ?? '(no subject)'}" to ${addressText(mail.to)}` +
                (first ? `\n      ${first.kind}: ${first.url}` : ''),
            );
          })
          .catch((error: unknown) => options.log(`mail: ${name} unreadable: ${String(error)}`))
          .finally(() => callback());
      });
    },
  });
  smtp.on('error', (error) => options.log(`mail: ${error.message}`));
  const inbox = createServer((request, response) => {
    answer(options.folder, request.url ?? '/')
      .then(({ status, type, body }) =>
        response
          .writeHead(status, {
            'content-type': type,
            'cache-control': 'no-store',
            // An email's HTML may carry anything: no scripts, no forms, only its links work.
            'content-security-policy':
              "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; form-action 'none'",
          })
          .end(body),
      )
      .catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  await Promise.all([
    listen(smtp.server as Server, options.smtpPort),
    listen(inbox, options.inboxPort),
  ]);
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const inboxUrl = `http://127.0.0.1:${(inbox.address() as AddressInfo).port}/`;
  return {
    smtpPort,
    inboxUrl,
    close: async () => {
      inbox.closeAllConnections();
      await Promise.all([
        new Promise<void>((done) => smtp.close(() => done())),
        new Promise<void>((done) => inbox.close(() => done())),
      ]);
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

interface Answer {
  status: number;
  type: string;
  body: string | Buffer;
}

async function answer(folder: string, url: string): Promise<Answer> {
  const path = new URL(url, 'http://inbox').pathname;
  if (path === '/') return page('Local mailbox', await listing(folder));
  const match = /^\/(\d+-\d+\.eml)(\.html|\/raw)?$/.exec(path);
  const file = match?.[1];
  if (!file || !FILE.test(file) || !readdirSync(folder).includes(file)) {
    return { status: 404, type: 'text/plain', body: 'No such message.' };
  }
  const raw = readFileSync(join(folder, file));
  if (match[2] === '/raw') return { status: 200, type: 'message/rfc822', body: raw };
  const mail = await simpleParser(raw);
  if (match[2] === '.html') {
    return { status: 200, type: 'text/html; charset=utf-8', body: mail.html || '' };
  }
  const links = linksOf(mail)
    .map((l) => `<li>${escape(l.kind)}: <a href="${escape(l.url)}">${escape(l.url)}</a></li>`)
    .join('');
  return page(
    mail.subject ?? '(no subject)',
    `<p><a href="/">Back to the inbox</a> · <a href="/${file}.html">as HTML</a> · <a href="/${file}/raw">raw .eml</a></p>
<p>From ${escape(addressText(mail.from))}<br>To ${escape(addressText(mail.to))}</p>
<ul>${links}</ul>
<pre>${escape(mail.text ?? '')}</pre>`,
  );
}

async function listing(folder: string): Promise<string> {
  const files = readdirSync(folder)
    .filter((f) => FILE.test(f))
    .sort((a, b) => Number(b.split('-')[0]) - Number(a.split('-')[0]) || b.localeCompare(a))
    .slice(0, LISTED);
  if (files.length === 0) return '<p>No mail yet. Send a card and reload this page.</p>';
  const rows = await Promise.all(
    files.map(async (file) => {
      const mail = await simpleParser(readFileSync(join(folder, file)));
      const first = linksOf(mail)[0];
      const time = new Date(Number(file.split('-')[0])).toLocaleTimeString();
      return `<tr><td>${escape(time)}</td><td>${escape(addressText(mail.to))}</td>
<td><a href="/${file}">${escape(mail.subject ?? '(no subject)')}</a></td>
<td>${first ? `<a href="${escape(first.url)}">${escape(first.kind)}</a>` : ''}</td></tr>`;
    }),
  );
  return `<table><tr><th>Received</th><th>To</th><th>Subject</th><th>Link</th></tr>${rows.join('')}</table>`;
}

/** The site links in an email's text part, in the order a reader wants them. */
export function linksOf(mail: ParsedMail): { kind: string; url: string }[] {
  const urls = (mail.text ?? '').match(/https?:\/\/[^\s"<>]+/g) ?? [];
  const found: { kind: string; url: string }[] = [];
  for (const [kind, pattern] of LINK_KINDS) {
    const url = urls.find((u) => pattern.test(new URL(u).pathname));
    if (url && !found.some((f) => f.url === url)) found.push({ kind, url });
  }
  return found;
}

function addressText(value: ParsedMail['to'] | ParsedMail['from']): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value])
    .flatMap((a) => a.value.map((v) => v.address ?? v.name))
    .join(', ');
}

function page(title: string, content: string): Answer {
  return {
    status: 200,
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:60rem}td,th{padding:.3rem .6rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap}</style>
<h1>${escape(title)}</h1>${content}</html>`,
  };
}

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
