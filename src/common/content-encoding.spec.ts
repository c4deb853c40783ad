import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { encodeBody, parseAcceptEncoding, preferredEncoding } from './content-encoding.js';

describe('Accept-Encoding', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['BR', 'br'],
    ['gzip;q=0.5, br;q=0', 'gzip'],
    ['*', 'br'],
    ['*, br;q=0', 'gzip'],
    ['*;q=0', null],
    ['identity', null],
    ['x-gzip', 'gzip'],
    ['deflate', null],
    [' , ;q=1', null],
  ])('%j answers in %s', (header, expected) => {
    expect(parseAcceptEncoding(header)).toBe(expected);
  });

  it('reads nothing into a missing or repeated header', () => {
    expect(preferredEncoding(undefined)).toBeNull();
    expect(preferredEncoding('')).toBeNull();
    expect(preferredEncoding(['br', 'gzip'])).toBeNull();
  });

  it('remembers a bounded number of spellings, and answers the rest all the same', () => {
    for (let i = 0; i < 500; i++) expect(preferredEncoding(`gzip, x-made-up-${i}`)).toBe('gzip');
    expect(preferredEncoding('br')).toBe('br');
  });
});

describe('compressed bodies', () => {
  const page = Buffer.from('<!doctype html><title>A card</title>'.repeat(200));

  it('decode to the same bytes', () => {
    const br = encodeBody(page, 'br', 'page');
    const gzip = encodeBody(page, 'gzip', 'asset');
    expect(br).not.toBeNull();
    expect(gzip).not.toBeNull();
    expect(brotliDecompressSync(br as Buffer).equals(page)).toBe(true);
    expect(gunzipSync(gzip as Buffer).equals(page)).toBe(true);
  });

  it('are not used when they would be no smaller', () => {
    expect(encodeBody(Buffer.from('x'), 'gzip', 'page')).toBeNull();
  });
});
