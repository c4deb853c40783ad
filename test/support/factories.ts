import type { CardView } from '../../src/catalog/catalog.service.js';
import { MESSAGE_FONT_IDS, MESSAGE_INK_IDS } from '../../src/sites/message-styles.js';
import type { Site } from '../../src/sites/site.js';
import type { FormFields } from './compose-form.js';

/**
 * Test data with sensible defaults, so a spec spells out only what it is about: a site, a card,
 * a greeting as the send API takes it, and a member signing up. Each call returns a new object;
 * a member's address is unique per call. Nothing here opens a store, so unit specs use it too.
 */

/** A site as the registry holds it: the flagship's settings unless told otherwise. */
export function aSite(overrides: Partial<Site> = {}): Site {
  const id = overrides.id ?? 'ecardia';
  return {
    id,
    name: 'Ecardia',
    hostnames: [`www.${id}.example`, `${id}.localhost`],
    locale: 'en-US',
    timeZone: 'America/New_York',
    vars: {
      brandName: 'Ecardia',
      tagline: '',
      heroTitle: '',
      heroText: '',
      supportEmail: `help@${id}.example`,
      footerCopy: '',
      themeColor: '#5b3cc4',
    },
    catalog: { includeOccasions: ['*'], excludeOccasions: [], excludeCards: [] },
    allowAdmin: true,
    features: {},
    limits: { maxRecipients: 10, maxMessageLength: 2000 },
    messageStyles: { fonts: [...MESSAGE_FONT_IDS], inks: [...MESSAGE_INK_IDS] },
    email: { fromName: 'Ecardia Greetings', fromAddress: `greetings@${id}.example` },
    baseUrl: `http://www.${id}.example`,
    localHost: `${id}.localhost`,
    dir: `sites/${id}`,
    revision: 1,
    ...overrides,
  };
}

/** A card as a card page shows it. */
export function aCard(overrides: Partial<CardView> = {}): CardView {
  const slug = overrides.slug ?? 'birthday-balloons-at-dawn';
  return {
    id: 1,
    slug,
    artworkHash: '0123456789ab',
    title: 'Balloons at Dawn',
    description: 'A sky full of balloons.',
    insideText: 'Happy birthday!',
    occasionSlug: 'birthday',
    occasionName: 'Birthday',
    occasion: { slug: 'birthday', name: 'Birthday' },
    imageUrl: `/media/cards/${slug}.svg`,
    thumbUrl: `/media/cards/${slug}.thumb.svg`,
    ...overrides,
  };
}

/** What POST /api/greetings takes. */
export interface GreetingRequest {
  cardSlug: string;
  sender: { name: string; email: string };
  recipients: { name: string; email: string }[];
  message: string;
  sendAt?: string;
  timeZone?: string;
}

/** A greeting for the send API: from Ann to Bob, now, unless told otherwise. */
export function aGreeting(
  cardSlug: string,
  overrides: Partial<Omit<GreetingRequest, 'cardSlug'>> = {},
): GreetingRequest {
  return {
    cardSlug,
    sender: { name: 'Ann', email: 'ann@example.com' },
    recipients: [{ name: 'Bob', email: 'bob@example.com' }],
    message: 'Happy birthday!',
    ...overrides,
  };
}

/** A member signing up: a display name, an address no other call gave, a good password. */
export interface MemberSignUp {
  displayName: string;
  email: string;
  password: string;
}

export function aMember(overrides: Partial<MemberSignUp> = {}): MemberSignUp {
  return {
    displayName: 'Ann Member',
    email: `member.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}@example.com`,
    password: 'correct horse battery staple',
    ...overrides,
  };
}

/** The sign-up form's fields for a member. */
export function signUpFields(member: MemberSignUp): FormFields {
  return [
    ['displayName', member.displayName],
    ['email', member.email],
    ['password', member.password],
  ];
}

/**
 * An operator's API key (`API_KEYS=<name>=${VOUCHING_API_KEY}`) for a partner system: its
 * holder vouches for the senders' addresses it sends with, so they are mailed notices.
 */
export const VOUCHING_API_KEY = 'k3y-of-a-crm-that-vouches-for-its-senders';
