import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { DataSource } from 'typeorm';
import { DatabaseService } from '../../src/platform/database/database.service.js';
import { SenderPhotoStore } from '../../src/platform/photos/sender-photo-store.js';
import { PersonalDataRetention } from '../../src/security/personal-data-retention.js';
import { type FormFields, servedFormFields } from '../support/compose-form.js';
import { countRows, openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
  body: string;
}

interface Upload {
  name: string;
  filename: string;
  type: string;
  bytes: Buffer;
}

/** A `multipart/form-data` body as a browser encodes a form with a file input. */
function multipart(fields: FormFields, file?: Upload): { type: string; body: Buffer } {
  const boundary = `----form${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = fields.map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

/** Every hidden field of the page's form, in order, as the browser would post them back. */
function hiddenFields(html: string): FormFields {
  return [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
    m[1] as string,
    decodeEntities(m[2] as string),
  ]);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * The sender's own photo, end to end over HTTP: uploaded with the compose form, checked by its
 * content, stripped and re-encoded, carried through the preview without being stored, kept at
 * two widths outside the web root when the card is sent, served only through the card's pickup
 * link, and erased by the retention job with the rest of the greeting's personal data.
 */
describe("the sender's photo on the card", () => {
  let t: TestApp;
  let db: DataSource;
  let card: string;
  let dir: string;
  const MAX_BYTES = 512 * 1024;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sender-photos-'));
    t = await startTestApp({ SENDER_PHOTO_DIR: dir, SENDER_PHOTO_MAX_BYTES: String(MAX_BYTES) });
    db = await openTestDb();
    card = await firstCardSlug(t, HOSTS.partner);
  });

  afterAll(async () => {
    await db.destroy();
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  function call(
    method: string,
    path: string,
    options: { host?: string; body?: { type: string; body: Buffer } } = {},
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { host: options.host ?? HOSTS.partner };
      if (options.body) {
        headers['content-type'] = options.body.type;
        headers['content-length'] = String(options.body.body.length);
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
      req.end(options.body?.body);
    });
  }

  async function compose(fields: FormFields, file?: Upload): Promise<Reply> {
    const served = fields.some(([k]) => k === '_csrf')
      ? fields
      : [...(await servedFormFields(t, HOSTS.partner, card)), ...fields];
    return call('POST', `/cards/${card}/send`, { body: multipart(served, file) });
  }

  function filled(sender: string, action: string): FormFields {
    return [
      ['senderName', 'Ann Example'],
      ['senderEmail', sender],
      ['recipientName', 'Bob'],
      ['recipientEmail', uniqueEmail('bob')],
      ['message', 'A photo from the beach'],
      ['action', action],
    ];
  }

  const stored = async () => (await readdir(dir)).sort();

  it('previews the photo without storing it, sends it, shows it only through the pickup link, and erases it at retention', async () => {
    // A wide photo taken with the camera on its side, carrying the camera's and the place's details.
    const original = await sharp({
      create: { width: 2400, height: 1600, channels: 3, background: '#3a7bd5' },
    })
      .withExif({ IFD0: { Artist: 'Ann Example', Copyright: 'Home, 1 Secret Lane' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const sender = uniqueEmail('photo');
    const greetings = () =>
      countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]);

    const preview = await compose(filled(sender, 'preview'), {
      name: 'photo',
      filename: 'IMG_0001.HEIC.jpg',
      type: 'image/jpeg',
      bytes: original,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toContain('Preview your card');
    expect(preview.body).toMatch(
      /<img src="data:image\/jpeg;base64,[A-Za-z0-9+/=]+" alt="A photo from Ann Example"/,
    );
    // The page keeps the photo's place, turned upright, before it is drawn.
    expect(preview.body).toContain('class="pickup-photo-image" width="800" height="1200"');
    expect(await stored()).toEqual([]);
    expect(await greetings()).toBe(0);

    // "Edit" brings the form back with the photo still on it, and a way to take it off.
    const back = hiddenFields(preview.body).filter(([k]) => k !== 'action');
    const edit = await compose([...back, ['action', 'edit']]);
    expect(edit.status).toBe(200);
    expect(edit.body).toContain('name="photoData"');
    expect(edit.body).toContain('Remove this photo');
    expect(edit.body).toContain('class="compose-photo-image" width="800" height="1200"');
    expect(await stored()).toEqual([]);

    const sent = await compose([...back, ['action', 'send']]);
    expect(sent.status).toBe(303);
    expect(await greetings()).toBe(1);
    const files = await stored();
    expect(files).toHaveLength(2);
    const [row] = await db.query<{ id: string; photo_id: string }[]>(
      'SELECT id, photo_id FROM greetings WHERE sender_email = ?',
      [sender],
    );
    expect(row?.photo_id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(files).toEqual([`${row?.photo_id}-1200.jpg`, `${row?.photo_id}-600.jpg`]);
    // A second press of the same form sends nothing more and keeps no second photo.
    const again = await compose([...back, ['action', 'send']]);
    expect(again.status).toBe(303);
    expect(await greetings()).toBe(1);
    expect(await stored()).toEqual(files);

    const confirmation = await call('GET', String(sent.headers.location));
    const token = /\/p\/([A-Za-z0-9_-]{44})"/.exec(confirmation.body)?.[1] as string;
    const pickup = await call('GET', `/p/${token}`);
    expect(pickup.status).toBe(200);
    expect(pickup.body).toContain(`src="/p/${token}/photo/600"`);
    expect(pickup.body).toContain(`/p/${token}/photo/1200 2x`);
    expect(pickup.body).toContain('class="pickup-photo-image" width="400" height="600"');

    for (const [width, size] of [
      [600, { width: 400, height: 600 }],
      [1200, { width: 800, height: 1200 }],
    ] as const) {
      const photo = await call('GET', `/p/${token}/photo/${width}`);
      expect(photo.status).toBe(200);
      expect(photo.headers['content-type']).toBe('image/jpeg');
      expect(photo.headers['cache-control']).toBe('private, no-store');
      const meta = await sharp(photo.bytes).metadata();
      // Upright, resized, and with no EXIF left: no camera, no place, no orientation flag.
      expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
        format: 'jpeg',
        ...size,
      });
      expect(meta.exif).toBeUndefined();
      expect(photo.bytes.includes(Buffer.from('Secret Lane'))).toBe(false);
    }

    // Only with the card's own signed link, on its own site, at a width it is kept at.
    const forged = `${token.slice(0, 30)}${token[30] === 'A' ? 'B' : 'A'}${token.slice(31)}`;
    expect((await call('GET', `/p/${forged}/photo/600`)).status).toBe(404);
    expect((await call('GET', `/p/${token}/photo/600`, { host: HOSTS.uk })).status).toBe(404);
    expect((await call('GET', `/p/${token}/photo/300`)).status).toBe(404);

    // Retention erases the photo with the rest of the card's personal data.
    await db.query('UPDATE greetings SET created_at = NOW() - INTERVAL 400 DAY WHERE id = ?', [
      row?.id,
    ]);
    await db.query("UPDATE greeting_recipients SET status = 'delivered' WHERE greeting_id = ?", [
      row?.id,
    ]);
    const retention = new PersonalDataRetention(
      t.config,
      t.app.get(DatabaseService),
      t.app.get(SenderPhotoStore),
    );
    expect(await retention.purge()).toBeGreaterThanOrEqual(1);
    expect(await stored()).toEqual([]);
    const [erased] = await db.query<{ photo_id: string | null }[]>(
      'SELECT photo_id FROM greetings WHERE id = ?',
      [row?.id],
    );
    expect(erased?.photo_id).toBeNull();
    expect((await call('GET', `/p/${token}/photo/600`)).status).toBe(404);
  });

  it('takes a phone’s HEIC photo, decoded and re-encoded as a JPEG, and refuses a broken one', async () => {
    // HEVC inside HEIF, as a phone's camera writes it: a codec the image library lacks here.
    const heic = await readFile(new URL('../fixtures/beach-portrait.heic', import.meta.url));
    const meta = await sharp(heic).metadata();
    expect([meta.format, meta.compression]).toEqual(['heif', 'hevc']);
    const sender = uniqueEmail('heic');
    const preview = await compose(filled(sender, 'preview'), {
      name: 'photo',
      filename: 'IMG_0002.HEIC',
      type: 'image/heic',
      bytes: heic,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toContain('class="pickup-photo-image" width="600" height="800"');
    const shown = /<img src="data:image\/jpeg;base64,([A-Za-z0-9+/=]+)"/.exec(preview.body)?.[1];
    const top = await sharp(Buffer.from(shown ?? '', 'base64'))
      .extract({ left: 0, top: 0, width: 600, height: 100 })
      .png()
      .toBuffer();
    const sky = await sharp(top).stats();
    // The sky at the top is still blue: real pixels came through, not a blank.
    expect(sky.channels[2]?.mean).toBeGreaterThan((sky.channels[0]?.mean ?? 255) + 50);

    const broken = await compose(filled(sender, 'preview'), {
      name: 'photo',
      filename: 'IMG_0003.HEIC',
      type: 'image/heic',
      bytes: heic.subarray(0, heic.length - 600),
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toContain('Your photo: this photo could not be read');
    expect(await stored()).toEqual([]);
  });

  it('refuses a file that is no photo, and one too big, with the form re-shown as typed', async () => {
    const sender = uniqueEmail('nophoto');
    const notAPhoto = await compose(filled(sender, 'send'), {
      name: 'photo',
      filename: 'holiday.jpg',
      type: 'image/jpeg',
      bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    });
    expect(notAPhoto.status).toBe(400);
    expect(notAPhoto.body).toContain('Your photo: choose a JPEG, PNG, WebP or HEIC photo');
    expect(notAPhoto.body).toContain('href="#photo"');
    expect(notAPhoto.body).toContain('value="Ann Example"');

    // Noise does not compress: this PNG is well over the limit.
    const noise = await sharp(randomBytes(700 * 700 * 3), {
      raw: { width: 700, height: 700, channels: 3 },
    })
      .png()
      .toBuffer();
    expect(noise.length).toBeGreaterThan(MAX_BYTES);
    const tooBig = await compose(filled(sender, 'preview'), {
      name: 'photo',
      filename: 'noise.png',
      type: 'image/png',
      bytes: noise,
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body).toContain('Your photo: this must be at most 0.5 MB');

    expect(await stored()).toEqual([]);
    expect(
      await countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]),
    ).toBe(0);
  });

  it('refuses a multipart post anywhere else, without the form token, or past its size', async () => {
    const sender = uniqueEmail('forged');
    const jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    const file = { name: 'photo', filename: 'a.jpg', type: 'image/jpeg', bytes: jpeg };
    // The JSON API takes JSON only.
    const api = await call('POST', '/api/greetings', { body: multipart([['x', 'y']], file) });
    expect(api.status).toBe(415);
    // A post made elsewhere has no form token: refused before the photo is even looked at.
    const forged = await call('POST', `/cards/${card}/send`, {
      body: multipart(filled(sender, 'send'), file),
    });
    expect(forged.status).toBe(403);
    // The fields together may hold a carried photo and a form's worth of text, no more.
    const stuffed = await compose([...filled(sender, 'send'), ['message', 'x'.repeat(3_300_000)]]);
    expect(stuffed.status).toBe(400);
    expect(await stored()).toEqual([]);
    expect(
      await countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]),
    ).toBe(0);
  });

  it('refuses a dated multipart send while scheduled sending is paused, as the edge does a url-encoded one', async () => {
    const flip = (value: boolean | null) =>
      t.request({
        method: 'PUT',
        url: '/admin/api/flags/scheduledSending',
        host: HOSTS.flagship,
        headers: { authorization: 'Bearer development-only-admin-token' },
        payload: { value, site: 'ecardia', reason: 'test' },
      });
    const flagshipCard = await firstCardSlug(t, HOSTS.flagship);
    const sender = uniqueEmail('later');
    expect((await flip(false)).statusCode).toBeLessThan(300);
    try {
      const hidden = await servedFormFields(t, HOSTS.flagship, flagshipCard);
      const res = await call('POST', `/cards/${flagshipCard}/send`, {
        host: HOSTS.flagship,
        body: multipart([
          ...hidden,
          ...filled(sender, 'send'),
          ['sendDate', '2030-01-01'],
          ['sendTime', '09:00'],
          ['timeZone', 'UTC'],
        ]),
      });
      expect(res.status).toBe(400);
      expect(res.body).toContain('scheduled sending is paused right now');
    } finally {
      await flip(null);
    }
    expect(
      await countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]),
    ).toBe(0);
  });

  it('takes a PNG or WebP photo as well, by its content whatever its name', async () => {
    const sender = uniqueEmail('webp');
    const webp = await sharp({
      create: {
        width: 300,
        height: 200,
        channels: 4,
        background: { r: 0, g: 128, b: 0, alpha: 0.5 },
      },
    })
      .webp()
      .toBuffer();
    const preview = await compose(filled(sender, 'preview'), {
      name: 'photo',
      filename: 'photo.gif',
      type: 'application/octet-stream',
      bytes: webp,
    });
    expect(preview.status).toBe(200);
    const carried = hiddenFields(preview.body).find(([k]) => k === 'photoData')?.[1] ?? '';
    const meta = await sharp(Buffer.from(carried, 'base64')).metadata();
    // Kept at its own size (never enlarged), flattened onto white, as a JPEG.
    expect({
      format: meta.format,
      width: meta.width,
      height: meta.height,
      alpha: meta.hasAlpha,
    }).toEqual({
      format: 'jpeg',
      width: 300,
      height: 200,
      alpha: false,
    });
  });
});
