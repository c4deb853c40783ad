import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import sharp from 'sharp';
import type { DataSource } from 'typeorm';
import { operatorLink } from '../../src/partners/operator-cli.module.js';
import type { AccountClient } from '../support/account-client.js';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { acceptLink, CONSOLE_HOST } from '../support/partner-console.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
  body: string;
}

/**
 * A partner's logo through HTTP: only PNG, JPEG and WebP by their content, re-encoded and
 * fitted, shown in the draft's preview, then on the published site, served from the database.
 */
describe('partner site logo', () => {
  let t: TestApp;
  let db: DataSource;
  let op: AccountClient;
  const siteId = 'logoco-cards';
  const hostname = 'cards.logoco.example';

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback' });
    db = await openTestDb();
    const link = new URL(await operatorLink(t.config, uniqueEmail('logo-operator')));
    op = await acceptLink(
      t,
      link.pathname + link.search,
      'partner logo passphrase',
      '198.51.100.88',
    );
    const made = await op.submit('/partner', '/partner/partners', [
      ['partnerId', 'logoco'],
      ['partnerName', 'Logoco Ltd'],
      ['siteId', siteId],
      ['siteName', 'Logoco Cards'],
      ['hostname', hostname],
      ['adminEmail', uniqueEmail('logoco-admin')],
    ]);
    expect(made.statusCode).toBe(303);
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  function call(method: string, path: string, host: string, body?: Buffer, type?: string) {
    return new Promise<Reply>((resolve, reject) => {
      const headers: Record<string, string> = {
        host,
        'x-forwarded-for': op.ip,
        origin: `http://${host}:8080`,
        cookie: op.cookie,
      };
      if (body && type) {
        headers['content-type'] = type;
        headers['content-length'] = String(body.length);
      }
      const req = httpRequest({ host: '127.0.0.1', port: t.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            bytes,
            body: bytes.toString(),
          });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async function upload(filename: string, type: string, bytes: Buffer): Promise<Reply> {
    const editor = await op.get(`/partner/sites/${siteId}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(editor.body)?.[1] ?? '';
    const boundary = `----logo${randomBytes(8).toString('hex')}`;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="logo"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return call(
      'POST',
      `/partner/sites/${siteId}/logo`,
      CONSOLE_HOST,
      body,
      `multipart/form-data; boundary=${boundary}`,
    );
  }

  it('refuses SVG and non-images by content, fits a JPEG into a PNG, previews it and publishes it', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
    );
    const refusedSvg = await upload('logo.png', 'image/png', svg);
    expect(refusedSvg.status).toBe(400);
    expect(refusedSvg.body).toContain('Logo: only PNG, JPEG or WebP images (SVG is not accepted)');
    const text = await upload('logo.jpg', 'image/jpeg', Buffer.from('not an image at all'));
    expect(text.status).toBe(400);
    const forged = await call('POST', `/partner/sites/${siteId}/logo`, CONSOLE_HOST);
    expect(forged.status).toBe(400);
    expect(await db.query('SELECT hash FROM site_logos WHERE site_id = ?', [siteId])).toHaveLength(
      0,
    );

    const jpeg = await sharp({
      create: { width: 1600, height: 400, channels: 3, background: '#1f4e79' },
    })
      .jpeg()
      .withMetadata({ exif: { IFD0: { Copyright: 'secret place' } } })
      .toBuffer();
    const saved = await upload('logo.svg', 'image/svg+xml', jpeg);
    expect(saved.status).toBe(303);
    const [row] = await db.query<{ hash: string; width: number; height: number }[]>(
      'SELECT hash, width, height FROM site_logos WHERE site_id = ?',
      [siteId],
    );
    expect(row).toMatchObject({ width: 400, height: 100 });
    const logoPath = `/site-logos/${row?.hash ?? ''}.png`;

    const preview = await op.get(`/partner/sites/${siteId}/preview`);
    expect(preview.body).toContain(`src="${logoPath}"`);
    expect((await call('GET', '/', hostname)).body).not.toContain(logoPath);

    const published = await op.submit(
      `/partner/sites/${siteId}`,
      `/partner/sites/${siteId}/publish`,
      [],
    );
    expect(published.statusCode).toBe(303);
    expect((await call('GET', '/', hostname)).body).toContain(`src="${logoPath}"`);
    const served = await call('GET', logoPath, hostname);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toContain('immutable');
    const meta = await sharp(served.bytes).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 400, height: 100 });
    expect(meta.exif).toBeUndefined();
    expect((await call('GET', `/site-logos/${'0'.repeat(64)}.png`, hostname)).status).toBe(404);

    const audit = await db.query<{ action: string }[]>(
      "SELECT action FROM partner_audit WHERE site_id = ? AND action = 'site.logo-uploaded'",
      [siteId],
    );
    expect(audit).toHaveLength(1);
  });
});
