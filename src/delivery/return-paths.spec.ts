import type { Site } from '../sites/site.js';
import { ReturnPaths } from './return-paths.js';

const paths = new ReturnPaths('unit-test-secret-unit-test-secret', 'Bounces.Example');
const site = (id: string, bounceDomain?: string) =>
  ({ id, email: { fromName: 'x', fromAddress: 'x@x.example', bounceDomain } }) as Site;
const flagship = site('ecardia');
const partner = site('kindred', 'bounces.kindred.example');
const domains = paths.domains([flagship, partner]);
// An id as newRecipientId makes them: 16 random bytes, base64url (with a - and a _ in it).
const recipientId = Buffer.from('fbefbe0123456789abcdef0123456789', 'hex').toString('base64url');
const greetingId = '0f8e3c9a-1b2c-4d5e-8f90-123456789abc';

describe('VERP return paths', () => {
  it("puts each site's bounces on its own domain, else the platform's", () => {
    expect(paths.forRecipient(flagship, recipientId)).toMatch(/@bounces\.example$/);
    expect(paths.forRecipient(partner, recipientId)).toMatch(/@bounces\.kindred\.example$/);
    expect([...domains].sort()).toEqual(['bounces.example', 'bounces.kindred.example']);
  });

  it('names the recipient or the greeting it was issued for, in at most 64 characters', () => {
    const r = paths.forRecipient(partner, recipientId);
    const s = paths.forSender(flagship, greetingId);
    expect(r.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(s.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(paths.subjectOf(r, domains)).toEqual({ kind: 'recipient', recipientId });
    expect(paths.subjectOf(s, domains)).toEqual({ kind: 'sender', greetingId });
  });

  it('survives a mail system that upper- or lower-cases the address', () => {
    const r = paths.forRecipient(flagship, recipientId);
    expect(paths.subjectOf(r.toUpperCase(), domains)).toEqual({ kind: 'recipient', recipientId });
  });

  it('refuses a forged, altered or foreign address', () => {
    const r = paths.forRecipient(flagship, recipientId);
    const [local, domain] = r.split('@') as [string, string];
    const otherId = Buffer.from('AAAAAAAAAAAAAAAAAAAAAA', 'base64url').toString('hex');
    const swapped = `${local.slice(0, 27)}${otherId}@${domain}`;
    const flipped = `${local.slice(0, 2)}${local[2] === '0' ? '1' : '0'}${local.slice(3)}@${domain}`;
    expect(paths.subjectOf(swapped, domains)).toBeNull();
    expect(paths.subjectOf(flipped, domains)).toBeNull();
    expect(paths.subjectOf(`${local}@elsewhere.example`, domains)).toBeNull();
    expect(paths.subjectOf(`s${local.slice(1)}@${domain}`, domains)).toBeNull();
    const otherKey = new ReturnPaths('another-secret-another-secret', 'bounces.example');
    expect(paths.subjectOf(otherKey.forRecipient(flagship, recipientId), domains)).toBeNull();
  });

  it('finds a verified address quoted in a returned message, skipping look-alikes', () => {
    const fake = `r-${'0'.repeat(24)}-${'1'.repeat(32)}@bounces.example`;
    const real = paths.forRecipient(flagship, recipientId);
    const text = `X-Junk: <${fake}>\r\nReturn-Path: <${real}>\r\n`;
    expect(paths.findIn(text, domains)).toEqual({ kind: 'recipient', recipientId });
    expect(paths.findIn(`Return-Path: <${fake}>`, domains)).toBeNull();
  });
});
