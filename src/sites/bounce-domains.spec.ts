import { bounceDomainProblem } from './bounce-domains.js';

const scope = {
  fromDomain: 'acme.example',
  hostnames: ['cards.acme.example', 'greetings.acme-cards.example'],
  platformDomain: 'bounces.ecard.example',
  operator: false,
};

describe('a site’s bounce domain', () => {
  it.each([
    'bounces.acme.example',
    'rp.mail.acme.example',
    'bounces.cards.acme.example',
    'BOUNCES.greetings.acme-cards.example',
  ])('may be a subdomain of the From domain or of a live hostname: %s', (domain) => {
    expect(bounceDomainProblem(domain, scope)).toBeNull();
  });

  it.each([
    ['acme.example', /name of its own below it, such as bounces\.acme\.example/],
    ['cards.acme.example', /name of its own below it/],
    ['bounces.other-brand.example', /must be a subdomain of acme\.example, cards\.acme\.example/],
    ['notacme.example', /must be a subdomain/],
    ['bounces.ecard.example', /leave it empty/],
    ['acme.bounces.ecard.example', /must be a subdomain/],
  ])('refuses %s, saying why', (domain, why) => {
    expect(bounceDomainProblem(domain, scope)).toMatch(why);
  });

  it('lets operators give a site a name under the platform’s bounce domain', () => {
    const operator = { ...scope, operator: true };
    expect(bounceDomainProblem('acme.bounces.ecard.example', operator)).toBeNull();
    expect(bounceDomainProblem('bounces.other.example', operator)).toMatch(
      /or of bounces\.ecard\.example/,
    );
  });
});
