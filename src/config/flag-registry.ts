/**
 * Every feature flag of the platform, declared once: its key, what it does, its default and who
 * may turn it off. Code asks for flags by these keys only, so a typo is a compile error and the
 * admin API can refuse a key nobody declared.
 */
export type FlagKind = 'release' | 'ops' | 'kill-switch';

export interface FlagDefinition {
  description: string;
  /** The value when neither the site nor an operator says otherwise. */
  defaultValue: boolean;
  kind: FlagKind;
  /**
   * Position in the autopilot's shedding order (1 goes first), or null when the autopilot must
   * never touch it: browsing, viewing a card, sending and pickup are never shed.
   */
  shedOrder: number | null;
  /** True when the flag changes a page the page cache stores, so it is part of its variant. */
  affectsPages: boolean;
}

export const FLAGS = {
  senderOpenNotifications: {
    description: 'Email the sender when a recipient first opens their card',
    defaultValue: true,
    kind: 'ops',
    shedOrder: 1,
    affectsPages: false,
  },
  viewCounters: {
    description: 'Count card page views and show the count on the card page',
    defaultValue: true,
    kind: 'ops',
    shedOrder: 2,
    affectsPages: true,
  },
  animatedPreviews: {
    description: 'Gently animate card artwork on card pages',
    defaultValue: true,
    kind: 'release',
    shedOrder: 3,
    affectsPages: true,
  },
  partnerPromotions: {
    description: "Show the site's promotion banner (vars.promotionText) on the home page",
    defaultValue: false,
    kind: 'release',
    shedOrder: 4,
    affectsPages: true,
  },
  relatedCards: {
    description: 'Show "You might also like" cards on the card page',
    defaultValue: true,
    kind: 'ops',
    shedOrder: 5,
    affectsPages: true,
  },
  featuredCards: {
    description: 'Show "Popular right now" cards on the home page',
    defaultValue: true,
    kind: 'ops',
    shedOrder: 6,
    affectsPages: true,
  },
  scheduledSending: {
    description: 'Let senders choose a future date and time for their card',
    defaultValue: true,
    kind: 'release',
    shedOrder: null,
    affectsPages: false,
  },
  sending: {
    description: 'Kill switch: when off, the send form and API answer a friendly "paused" instead',
    defaultValue: true,
    kind: 'kill-switch',
    shedOrder: null,
    affectsPages: false,
  },
} as const satisfies Record<string, FlagDefinition>;

export type FlagKey = keyof typeof FLAGS;

export const FLAG_KEYS = Object.keys(FLAGS) as FlagKey[];

export function isFlagKey(value: string): value is FlagKey {
  return Object.prototype.hasOwnProperty.call(FLAGS, value);
}

export function flagDefinition(key: FlagKey): FlagDefinition {
  return FLAGS[key];
}

/** Shed-able flags in the order the autopilot turns them off. */
export const SHED_ORDER: readonly FlagKey[] = FLAG_KEYS.filter(
  (k) => flagDefinition(k).shedOrder !== null,
).sort((a, b) => (flagDefinition(a).shedOrder ?? 0) - (flagDefinition(b).shedOrder ?? 0));

/** Flags whose values change cached pages, in a fixed order for the page variant. */
export const PAGE_FLAGS: readonly FlagKey[] = FLAG_KEYS.filter(
  (k) => flagDefinition(k).affectsPages,
);

const BUSY = {
  senderOpenNotifications: false,
  viewCounters: false,
  animatedPreviews: false,
} as const;
const PEAK = {
  ...BUSY,
  partnerPromotions: false,
  relatedCards: false,
  featuredCards: false,
} as const;

/**
 * Named degradation levels: each is a preset of values an operator applies in one action, and
 * sheds what the one before it does, and more. `normal` removes what a level set, so every
 * flag falls back to its site default.
 */
export const DEGRADATION_LEVELS = {
  normal: {},
  busy: BUSY,
  peak: PEAK,
  'read-only': { ...PEAK, scheduledSending: false, sending: false },
} as const satisfies Record<string, Partial<Record<FlagKey, boolean>>>;

export type DegradationLevel = keyof typeof DEGRADATION_LEVELS;

export const DEGRADATION_LEVEL_NAMES = Object.keys(DEGRADATION_LEVELS) as DegradationLevel[];

export function isDegradationLevel(value: string): value is DegradationLevel {
  return Object.prototype.hasOwnProperty.call(DEGRADATION_LEVELS, value);
}

/** The flags every level touches: what `normal` clears. */
export const LEVEL_FLAGS: readonly FlagKey[] = FLAG_KEYS.filter((k) =>
  DEGRADATION_LEVEL_NAMES.some((l) => k in DEGRADATION_LEVELS[l]),
);
