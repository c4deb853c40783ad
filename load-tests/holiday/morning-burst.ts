import { call } from './http.js';
import type { MailSink } from './mail-sink.js';
import type { Stage } from './model.js';
import type { Recorder } from './recorder.js';
import { runStages, type RunTarget } from './runner.js';
import type { SiteCatalog, TrafficPlan } from './traffic.js';

export interface BurstResult {
  recipients: number;
  greetings: number;
  createSeconds: number;
  dueAt: string;
  /** Seconds from the due time to the last burst recipient's message at the sink (null: not all arrived). */
  drainSeconds: number | null;
  delivered: number;
  notes: string[];
}

/** Scheduled recipients for a run: about what one worker drains in the drain stage on this machine. */
export function defaultBurstCount(durationSeconds: number, cpus: number): number {
  const drainPerSecondPerCore = 75;
  return Math.max(1000, Math.round(durationSeconds * 0.85 * drainPerSecondPerCore * cpus));
}

async function createGreetings(
  target: RunTarget,
  plan: TrafficPlan,
  sites: SiteCatalog[],
  count: number,
  sendAt: string,
  recorder: Recorder,
): Promise<{ greetings: number; recipients: string[] }> {
  const first = plan.acceptedRecipients.length;
  let planned = 0;
  let greetings = 0;
  let turn = 0;
  const next = (): { site: SiteCatalog; recipients: number } | null => {
    if (planned >= count) return null;
    const site = sites[turn++ % sites.length] as SiteCatalog;
    const recipients = Math.min(site.maxRecipients, count - planned);
    planned += recipients;
    return { site, recipients };
  };
  const lane = async (): Promise<void> => {
    for (let job = next(); job; job = next()) {
      const request = plan.send(job.recipients, sendAt, job.site);
      const started = performance.now();
      try {
        const res = await call(target.url, {
          method: 'POST',
          path: request.path,
          host: request.host,
          headers: { 'x-api-key': target.apiKey },
          body: request.body ?? '',
        });
        recorder.response('send', res.status, performance.now() - started, undefined);
        if (res.status === 201 || res.status === 200) {
          plan.collect(res.body);
          greetings += 1;
        }
      } catch {
        recorder.failure('send', 'connection');
      }
    }
  };
  await Promise.all(Array.from({ length: 24 }, lane));
  return { greetings, recipients: plan.acceptedRecipients.slice(first) };
}

/**
 * A Valentine's morning: `count` recipients scheduled through the public API for the same
 * instant, then page traffic before and while they fall due and drain through the outbox
 * relay, BullMQ and the worker to the SMTP sink. Drain time is due instant -> last message.
 */
export async function runMorningBurst(input: {
  target: RunTarget;
  stages: Stage[];
  plan: TrafficPlan;
  sites: SiteCatalog[];
  recorder: Recorder;
  sink: MailSink | null;
  count: number;
  drainTimeoutSeconds: number;
  log: (line: string) => void;
}): Promise<BurstResult> {
  const { target, plan, recorder, sink, log } = input;
  const [before, drain] = input.stages as [Stage, Stage];
  const notes: string[] = [];
  // Creating runs at roughly 50+ greetings/s here; leave room for it and the "before" stage.
  const estimate = Math.ceil(input.count / 6 / 40) + 5;
  const dueMs = Math.ceil((Date.now() + (estimate + before.seconds) * 1000) / 1000) * 1000;
  const dueAt = new Date(dueMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  log(
    `morning-burst: scheduling ${input.count} recipients for ${dueAt} through POST /api/greetings`,
  );
  recorder.beginStage('create');
  const createStarted = performance.now();
  const created = await createGreetings(target, plan, input.sites, input.count, dueAt, recorder);
  const createSeconds = (performance.now() - createStarted) / 1000;
  recorder.endStage();
  log(
    `  created ${created.greetings} greetings, ${created.recipients.length} recipients in ${createSeconds.toFixed(1)} s`,
  );
  const left = Math.floor((dueMs - Date.now()) / 1000);
  if (left < 1) notes.push(`creating the greetings overran the due time by ${-left} s`);
  await runStages(target, [{ ...before, seconds: Math.max(1, left) }], plan, recorder);

  let drainedAt: number | null = null;
  const burst = created.recipients;
  const poll = setInterval(() => {
    if (drainedAt === null && sink && sink.count(burst) === burst.length) drainedAt = Date.now();
  }, 200);
  recorder.beginStage(drain.name);
  const deadline = dueMs + input.drainTimeoutSeconds * 1000;
  let ran = 0;
  while (ran < drain.seconds || (sink && drainedAt === null && Date.now() < deadline)) {
    await runStages(target, [{ ...drain, seconds: 2 }], plan, recorder);
    ran += 2;
    if (!sink) break;
  }
  recorder.endStage();
  clearInterval(poll);
  const delivered = sink ? sink.count(burst) : 0;
  const drainSeconds = drainedAt === null ? null : Math.max(0, (drainedAt - dueMs) / 1000);
  if (!sink) notes.push('drain time not measured: no SMTP sink of this run');
  return {
    recipients: burst.length,
    greetings: created.greetings,
    createSeconds: Number(createSeconds.toFixed(1)),
    dueAt,
    drainSeconds,
    delivered,
    notes,
  };
}
