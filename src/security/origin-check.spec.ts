import type { FastifyRequest } from 'fastify';
import { SiteRegistry } from '../sites/site-registry.js';
import { aSite } from '../../test/support/factories.js';
import { comesFromSameSite, refusedAsCrossSite, requestSource } from './origin-check.js';

const flagship = aSite({ hostnames: ['www.ecardia.example', 'ecardia.localhost'] });
const partner = aSite({ id: 'kindred', hostnames: ['cards.kindredpaper.example'] });
const registry = new SiteRegistry([flagship, partner]);

/** A request to the flagship, with the headers a browser (or a script) would send. */
function request(headers: Record<string, string>): FastifyRequest {
  return {
    headers: { host: 'www.ecardia.example', ...headers },
    site: registry.get('ecardia'),
  } as unknown as FastifyRequest;
}

describe('where a state-changing request came from', () => {
  it.each([
    [{}, 'unstated'],
    [{ 'sec-fetch-site': 'same-origin' }, 'same-site'],
    // A page of ours under a referrer policy that withholds the origin, over HTTPS.
    [{ 'sec-fetch-site': 'same-origin', origin: 'null' }, 'same-site'],
    [{ 'sec-fetch-site': 'cross-site' }, 'cross-site'],
    [{ 'sec-fetch-site': 'cross-site', origin: 'https://www.ecardia.example' }, 'cross-site'],
    [{ 'sec-fetch-site': 'same-site', origin: 'https://ecardia.localhost' }, 'same-site'],
    [
      { 'sec-fetch-site': 'same-site', origin: 'https://cards.kindredpaper.example' },
      'foreign-origin',
    ],
    [{ 'sec-fetch-site': 'none', origin: 'https://www.ecardia.example' }, 'same-site'],
    [{ 'sec-fetch-site': 'none' }, 'unstated'],
    [{ origin: 'https://www.ecardia.example' }, 'same-site'],
    [{ origin: 'http://WWW.ECARDIA.example:8080' }, 'same-site'],
    [{ origin: 'https://attacker.example' }, 'foreign-origin'],
    [{ origin: 'https://www.ecardia.example.attacker.example' }, 'foreign-origin'],
    [{ origin: 'https://cards.kindredpaper.example' }, 'foreign-origin'],
    [{ origin: 'chrome-extension://abc' }, 'foreign-origin'],
    [{ origin: 'garbage' }, 'foreign-origin'],
    [{ origin: 'null' }, 'opaque'],
    [{ referer: 'https://www.ecardia.example/manage/x?s=y' }, 'same-site'],
    [{ referer: 'https://attacker.example/page' }, 'foreign-origin'],
  ])('%j is %s', (headers, expected) => {
    expect(requestSource(request(headers), registry)).toBe(expected);
  });

  it('refuses a private form only on a browser saying another site sent it', () => {
    expect(refusedAsCrossSite('cross-site')).toBe(true);
    expect(refusedAsCrossSite('foreign-origin')).toBe(true);
    for (const source of ['same-site', 'opaque', 'unstated'] as const) {
      expect(refusedAsCrossSite(source)).toBe(false);
    }
  });

  it('keeps Origin: null out of requests no personal token authorises', () => {
    expect(comesFromSameSite(request({ origin: 'null' }), registry)).toBe(false);
    expect(comesFromSameSite(request({}), registry)).toBe(true);
    expect(comesFromSameSite(request({ 'sec-fetch-site': 'same-origin' }), registry)).toBe(true);
  });
});
