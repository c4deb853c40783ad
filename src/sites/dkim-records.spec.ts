import { generateKeyPairSync } from 'node:crypto';
import {
  alignmentAdvice,
  alignsWith,
  dkimDnsRecord,
  domainOf,
  publicKeyRecordData,
  selectorFor,
} from './dkim-records.js';

describe('DKIM selectors and DNS records', () => {
  const december = new Date('2026-12-06T05:00:00Z');

  it('names a selector after the month, with a letter for a second key that month', () => {
    expect(selectorFor(december, new Set())).toBe('ecard202612');
    expect(selectorFor(december, new Set(['ecard202612']))).toBe('ecard202612b');
    expect(selectorFor(december, new Set(['ecard202612', 'ecard202612b']))).toBe('ecard202612c');
    expect(selectorFor(new Date('2027-01-01T00:00:00Z'), new Set(['ecard202612']))).toBe(
      'ecard202701',
    );
  });

  it('gives the record its name and a value split into TXT strings of at most 255 characters', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const p = publicKeyRecordData(publicKey);
    const record = dkimDnsRecord('cards.keyco.example', 'ecard202612', p);
    expect(record.name).toBe('ecard202612._domainkey.cards.keyco.example');
    expect(record.value).toBe(`v=DKIM1; k=rsa; p=${p}`);
    const strings = [...record.zoneText.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(strings.length).toBeGreaterThan(1);
    for (const s of strings) expect(s.length).toBeLessThanOrEqual(255);
    expect(strings.join('')).toBe(record.value);
    // p= is the DER public key: it reads back as the same key.
    const der = Buffer.from(p, 'base64');
    expect(der.equals(publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  });

  it('aligns a signing domain with its own From domain and its subdomains only', () => {
    expect(domainOf('Greetings@Cards.Keyco.example')).toBe('cards.keyco.example');
    expect(alignsWith('cards.keyco.example', 'cards.keyco.example')).toBe(true);
    expect(alignsWith('mail.cards.keyco.example', 'cards.keyco.example')).toBe(true);
    expect(alignsWith('keyco.example', 'cards.keyco.example')).toBe(false);
    expect(alignsWith('evilkeyco.example', 'keyco.example')).toBe(false);
  });

  it('advises SPF on the Return-Path domain and a monitoring DMARC record on the From domain', () => {
    const own = alignmentAdvice('cards.keyco.example', 'bounces.cards.keyco.example');
    expect(own.spfName).toBe('bounces.cards.keyco.example');
    expect(own.returnPathAligned).toBe(true);
    expect(own.dmarc.name).toBe('_dmarc.cards.keyco.example');
    expect(own.dmarc.value).toMatch(/^v=DMARC1; p=none; /);
    expect(alignmentAdvice('cards.keyco.example', 'bounces.ecard.example').returnPathAligned).toBe(
      false,
    );
  });
});
