/** What a scenario is made of; shared by the runner, the report and the scenarios. */
export const KINDS = [
  'card',
  'home',
  'occasion',
  'compose',
  'pickup',
  'send',
  'search',
  'search-rare',
  'preview',
  'photo',
  'm-card',
  'm-home',
  'm-occasion',
  'history',
  'm-compose',
  'm-pick',
  'm-send',
] as const;
export type Kind = (typeof KINDS)[number];

/** Page views in the SLO sense: every GET of an HTML page, a member's as anyone's. */
export const PAGE_KINDS: readonly Kind[] = [
  'card',
  'home',
  'occasion',
  'compose',
  'pickup',
  'search',
  'search-rare',
  'm-card',
  'm-home',
  'm-occasion',
  'history',
  'm-compose',
];

/**
 * Kinds that are a visitor's several requests in a row (a form fetched, then posted): run as
 * flows beside autocannon, each request booked to its own kind (the form's GET as `compose` or
 * `m-compose`, the address-book pick as `m-pick`).
 */
export const FLOW_KINDS: readonly Kind[] = ['preview', 'photo', 'm-send'];

/** Kinds only a signed-in member asks for. */
export const MEMBER_KINDS: readonly Kind[] = [
  'm-card',
  'm-home',
  'm-occasion',
  'history',
  'm-compose',
  'm-pick',
  'm-send',
];

/** Relative weights of the request kinds; a missing kind is never sent. */
export type Mix = Partial<Record<Kind, number>>;

export interface Stage {
  name: string;
  seconds: number;
  /** Target requests/s of the whole mix at the start of the stage; unset = as fast as possible. */
  rate?: number;
  /** Target at the end of the stage: the rate moves there in steps (a ramp). */
  rateTo?: number;
  connections: number;
  mix: Mix;
}

/** One threshold checked against one stage's figures. */
export interface SloCheck {
  label: string;
  stage: string;
  kinds: readonly Kind[];
  minRate: number;
  maxP99Ms: number;
}

export interface Scenario {
  name: string;
  description: string;
  stages: Stage[];
  checks: SloCheck[];
}

export interface SloSettings {
  pageRate: number;
  pageP99Ms: number;
  sendRate: number;
  sendP99Ms: number;
  maxErrors: number;
  drainTimeoutSeconds: number;
}
