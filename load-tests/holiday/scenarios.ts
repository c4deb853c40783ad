import {
  type Mix,
  PAGE_KINDS,
  type Scenario,
  type SloCheck,
  type SloSettings,
  type Stage,
} from './model.js';

export interface ScenarioOptions {
  durationSeconds: number;
  /** Connections of the busiest stage. */
  connections: number;
  slo: SloSettings;
  /** holiday: share of visitors signed in as members (0 to 1). */
  members?: number;
  /** holiday: the mix as it was before members, searches, previews and photos. */
  classic?: boolean;
}

/** A holiday's traffic as first measured: anonymous card views, a few per cent composing and sending. */
export const HOLIDAY_MIX: Mix = {
  card: 70,
  home: 9,
  occasion: 9,
  compose: 3,
  pickup: 7.5,
  send: 1.5,
};

/**
 * The holiday mix with what a day brings besides: `members` of the page views are signed-in
 * members' (the same pages, plus their sent history and sends from their address book),
 * searches (popular and rare words), previews of the compose form and cards sent with a photo.
 */
export function holidayMix(members: number): Mix {
  const m = Math.min(1, Math.max(0, members));
  const mix: Mix = {
    card: 70 * (1 - m),
    home: 9 * (1 - m),
    occasion: 9 * (1 - m),
    compose: 3,
    pickup: 7.5,
    send: 1.5,
    search: 2,
    'search-rare': 0.5,
    preview: 1,
    photo: 0.25,
  };
  if (m > 0) {
    Object.assign(mix, {
      'm-card': 70 * m,
      'm-home': 9 * m,
      'm-occasion': 9 * m,
      history: 3 * m,
      'm-send': 1.5 * m,
    });
  }
  return mix;
}

const BROWSE_MIX: Mix = { card: 75, home: 12, occasion: 13 };

/** Splits `total` seconds by `shares`, each stage at least one second. */
function split(total: number, shares: number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const out = shares.map((s) => Math.max(1, Math.round((total * s) / sum)));
  const drift = total - out.reduce((a, b) => a + b, 0);
  const longest = out.indexOf(Math.max(...out));
  out[longest] = Math.max(1, (out[longest] ?? 1) + drift);
  return out;
}

function share(mix: Mix, kinds: readonly string[]): number {
  const total = Object.values(mix).reduce((a, b) => a + b, 0);
  let part = 0;
  for (const [kind, weight] of Object.entries(mix)) if (kinds.includes(kind)) part += weight;
  return part / total;
}

/** The whole mix's rate that puts both page views and sends 10% above their SLO. */
function peakRate(mix: Mix, slo: SloSettings): number {
  const forPages = slo.pageRate / share(mix, PAGE_KINDS);
  const sendShare = share(mix, ['send']);
  const forSends = sendShare > 0 ? slo.sendRate / sendShare : 0;
  return Math.ceil(Math.max(forPages, forSends) * 1.1);
}

function pageCheck(stage: string, slo: SloSettings, minRate = slo.pageRate): SloCheck {
  return { label: 'pages', stage, kinds: PAGE_KINDS, minRate, maxP99Ms: slo.pageP99Ms };
}

function sendCheck(stage: string, slo: SloSettings): SloCheck {
  return { label: 'sends', stage, kinds: ['send'], minRate: slo.sendRate, maxP99Ms: slo.sendP99Ms };
}

/** Baseline, steep rise, peak, sustained, decay: a Thanksgiving day in `--duration` seconds. */
export function holiday(o: ScenarioOptions): Scenario {
  const mix = o.classic ? HOLIDAY_MIX : holidayMix(o.members ?? 0.3);
  const peak = peakRate(mix, o.slo);
  const c = o.connections;
  const [baseline, rise, top, sustained, decay] = split(o.durationSeconds, [15, 15, 30, 25, 15]);
  const stages: Stage[] = [
    {
      name: 'baseline',
      seconds: baseline ?? 1,
      rate: Math.round(peak * 0.05),
      connections: Math.ceil(c / 4),
      mix,
    },
    {
      name: 'rise',
      seconds: rise ?? 1,
      rate: Math.round(peak * 0.1),
      rateTo: Math.round(peak * 0.9),
      connections: c,
      mix,
    },
    { name: 'peak', seconds: top ?? 1, rate: peak, connections: c, mix },
    {
      name: 'sustained',
      seconds: sustained ?? 1,
      rate: Math.round(peak * 0.7),
      connections: c,
      mix,
    },
    {
      name: 'decay',
      seconds: decay ?? 1,
      rate: Math.round(peak * 0.5),
      rateTo: Math.round(peak * 0.05),
      connections: c,
      mix,
    },
  ];
  return {
    name: 'holiday',
    description: `baseline -> rise -> peak (${peak} req/s target) -> sustained -> decay`,
    stages,
    checks: [pageCheck('peak', o.slo), sendCheck('peak', o.slo)],
  };
}

/** Anonymous browsing only: how far the page cache carries the site. */
export function browse(o: ScenarioOptions): Scenario {
  const peak = peakRate(BROWSE_MIX, o.slo);
  const [warm, rise, top] = split(o.durationSeconds, [20, 20, 60]);
  return {
    name: 'browse',
    description: `pages only, up to ${peak} req/s`,
    stages: [
      {
        name: 'baseline',
        seconds: warm ?? 1,
        rate: Math.round(peak * 0.1),
        connections: Math.ceil(o.connections / 4),
        mix: BROWSE_MIX,
      },
      {
        name: 'rise',
        seconds: rise ?? 1,
        rate: Math.round(peak * 0.2),
        rateTo: peak,
        connections: o.connections,
        mix: BROWSE_MIX,
      },
      { name: 'peak', seconds: top ?? 1, rate: peak, connections: o.connections, mix: BROWSE_MIX },
    ],
    checks: [pageCheck('peak', o.slo)],
  };
}

/** A mass send (campaign hour), then everyone opens their card at once. */
export function sendStorm(o: ScenarioOptions): Scenario {
  const [send, storm, tail] = split(o.durationSeconds, [40, 45, 15]);
  const sendRate = Math.ceil(o.slo.sendRate * 1.5);
  const stormRate = Math.ceil(o.slo.pageRate / 4);
  return {
    name: 'send-storm',
    description: `mass send at ${sendRate}/s with light browsing, then a pickup storm at ${stormRate} req/s`,
    stages: [
      {
        name: 'mass-send',
        seconds: send ?? 1,
        rate: Math.round(sendRate / 0.6),
        connections: Math.ceil(o.connections / 2),
        mix: { send: 60, card: 30, compose: 10 },
      },
      {
        name: 'pickup-storm',
        seconds: storm ?? 1,
        rate: stormRate,
        connections: o.connections,
        mix: { pickup: 80, card: 15, home: 5 },
      },
      {
        name: 'tail',
        seconds: tail ?? 1,
        rate: Math.round(stormRate / 4),
        connections: Math.ceil(o.connections / 4),
        mix: { pickup: 50, card: 40, home: 10 },
      },
    ],
    checks: [
      { ...sendCheck('mass-send', o.slo), minRate: o.slo.sendRate },
      pageCheck('pickup-storm', o.slo, Math.floor(stormRate * 0.9)),
    ],
  };
}

/** Page traffic while a morning's scheduled greetings drain (the greetings are made first). */
export function morningBurst(o: ScenarioOptions): Scenario {
  const rate = Math.ceil(o.slo.pageRate / 4);
  return {
    name: 'morning-burst',
    description: `browsing at ${rate} req/s while the scheduled greetings fall due and drain`,
    stages: [
      {
        name: 'before',
        seconds: Math.max(2, Math.round(o.durationSeconds * 0.15)),
        rate,
        connections: o.connections,
        mix: BROWSE_MIX,
      },
      {
        name: 'drain',
        seconds: Math.max(3, Math.round(o.durationSeconds * 0.85)),
        rate,
        connections: o.connections,
        mix: { ...BROWSE_MIX, pickup: 8 },
      },
    ],
    checks: [pageCheck('drain', o.slo, Math.floor(rate * 0.9))],
  };
}

export const SCENARIOS = {
  holiday,
  browse,
  'send-storm': sendStorm,
  'morning-burst': morningBurst,
} as const;
export type ScenarioName = keyof typeof SCENARIOS;
