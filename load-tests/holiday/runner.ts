import autocannon, { type Client, type Request } from 'autocannon';
import type { FlowRunner } from './flows.js';
import { FLOW_KINDS, type Kind, type Mix, type Stage } from './model.js';
import type { Recorder } from './recorder.js';
import { type PlannedRequest, TrafficPlan } from './traffic.js';

export interface RunTarget {
  url: string;
  /** Sent as X-Api-Key so the platform's per-IP limits do not count the load generator. */
  apiKey: string;
}

/** One autocannon run per step: a ramp is cut into steps of about two seconds. */
export function stageSteps(stage: Stage): { seconds: number; rate?: number }[] {
  if (stage.rate === undefined) return [{ seconds: stage.seconds }];
  const to = stage.rateTo ?? stage.rate;
  if (to === stage.rate) return [{ seconds: stage.seconds, rate: stage.rate }];
  const count = Math.max(1, Math.min(8, Math.floor(stage.seconds / 2)));
  const steps: { seconds: number; rate: number }[] = [];
  let used = 0;
  for (let i = 0; i < count; i++) {
    const seconds = i === count - 1 ? stage.seconds - used : Math.floor(stage.seconds / count);
    used += seconds;
    const fraction = count === 1 ? 1 : i / (count - 1);
    steps.push({ seconds, rate: Math.round(stage.rate + (to - stage.rate) * fraction) });
  }
  return steps.filter((s) => s.seconds > 0);
}

/**
 * Runs the stages one after another. Every connection picks the kind of its next request from
 * the stage's mix; its own slot remembers what is in flight (pipelining 1) so the response,
 * timeout or connection error is booked to the right kind with X-Cache and latency.
 */
export async function runStages(
  target: RunTarget,
  stages: Stage[],
  plan: TrafficPlan,
  recorder: Recorder,
  onStage?: (stage: Stage) => void,
  flows?: FlowRunner,
): Promise<void> {
  for (const stage of stages) {
    onStage?.(stage);
    recorder.beginStage(stage.name);
    for (const step of stageSteps(stage)) {
      await runStep(target, stage, step, plan, recorder, flows);
    }
    recorder.endStage();
  }
}

/** Requests planned per connection and step; autocannon cycles through them. */
const SEQUENCE_LENGTH = 64;

/** What a connection's request in flight is booked as. */
interface Slot {
  kind: Kind;
  cache: string | undefined;
}

/**
 * The value of X-Cache in a raw header list, or undefined. The platform writes header names
 * in lower case.
 */
function cacheHeaderOf(raw: readonly string[]): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if (raw[i] === 'x-cache') return raw[i + 1];
  return undefined;
}

/**
 * One connection's requests for a step. Page views are drawn from the stage's mix up front and
 * built into bytes once (autocannon builds a request with `setupRequest` again every time it is
 * sent, which cost the generator more than parsing the response); pickups and sends are
 * planned when they are sent, since they need the greetings sent so far and fresh data. Only
 * sends ask for the response body, whose pickup links feed later pickups.
 */
function connectionRequests(
  target: RunTarget,
  stage: Stage,
  plan: TrafficPlan,
): { requests: Request[]; slots: Slot[] } {
  const requests: Request[] = [];
  const slots: Slot[] = [];
  for (let i = 0; i < SEQUENCE_LENGTH; i++) {
    const kind = plan.pickKind(stage.mix);
    const slot: Slot = { kind, cache: undefined };
    slots.push(slot);
    const headersOf = (planned: PlannedRequest): Request['headers'] => ({
      host: planned.host,
      'x-api-key': target.apiKey,
      ...(planned.cookie ? { cookie: planned.cookie } : {}),
      ...(planned.body ? { 'content-type': 'application/json' } : {}),
    });
    if (!TrafficPlan.isDynamic(kind)) {
      const planned = plan.request(kind);
      requests.push({ method: planned.method, path: planned.path, headers: headersOf(planned) });
      continue;
    }
    requests.push({
      setupRequest: (request: Request): Request => {
        const planned = plan.request(kind);
        slot.kind = planned.kind;
        return {
          ...request,
          method: planned.method,
          path: planned.path,
          headers: headersOf(planned),
          body: planned.body ?? '',
        };
      },
      ...(kind === 'send'
        ? {
            onResponse: (status: number, body: string) => {
              if (status === 201 || status === 200) plan.collect(body);
            },
          }
        : {}),
    });
  }
  return { requests, slots };
}

/** The stage's mix split into what autocannon sends and the flows, with the flows' share. */
export function splitMix(mix: Mix): { pages: Mix; flows: Mix; flowShare: number } {
  const pages: Mix = {};
  const flows: Mix = {};
  let total = 0;
  let flowTotal = 0;
  for (const [kind, weight] of Object.entries(mix) as [Kind, number][]) {
    total += weight;
    if (FLOW_KINDS.includes(kind)) {
      flows[kind] = weight;
      flowTotal += weight;
    } else pages[kind] = weight;
  }
  return { pages, flows, flowShare: total > 0 ? flowTotal / total : 0 };
}

async function runStep(
  target: RunTarget,
  stage: Stage,
  step: { seconds: number; rate?: number },
  plan: TrafficPlan,
  recorder: Recorder,
  flows?: FlowRunner,
): Promise<void> {
  const split = splitMix(stage.mix);
  const withFlows = flows && split.flowShare > 0;
  // Autocannon's rate is the page share of the stage's; flows follow the pages it gets answered.
  const rate =
    step.rate === undefined ? undefined : step.rate * (withFlows ? 1 - split.flowShare : 1);
  const connections =
    rate === undefined
      ? stage.connections
      : Math.max(1, Math.min(stage.connections, Math.round(rate)));
  // Without a flow runner the flow kinds are left out, never sent as plain requests.
  const pageStage: Stage = split.flowShare > 0 ? { ...stage, mix: split.pages } : stage;
  // Responses autocannon had in this step: the flows keep pace with them.
  let answered = 0;
  const setupClient = (client: Client): void => {
    const { requests, slots } = connectionRequests(target, pageStage, plan);
    client.setRequests(requests);
    // autocannon sends the requests in order, one in flight per connection (pipelining 1): the
    // n-th 'request' event is requests[(n - 1) % length]. A timeout is reported after the
    // replacement request has gone out, so it belongs to the one before.
    let sent = 0;
    let current = slots[0] as Slot;
    let previous = current;
    const events = client as NodeJS.EventEmitter;
    events.on('request', () => {
      previous = current;
      current = slots[sent++ % slots.length] as Slot;
      current.cache = undefined;
    });
    events.on('headers', (info: { headers?: string[] }) => {
      current.cache = cacheHeaderOf(info.headers ?? []);
    });
    client.on('response', (status: number, _bytes: number, ms: number) => {
      answered += 1;
      recorder.response(current.kind, status, ms, current.cache);
    });
    // Events the typings leave out; autocannon's Client emits them (lib/httpClient.js).
    events.on('timeout', () => recorder.failure(previous.kind, 'timeout'));
    events.on('connError', () => recorder.failure(current.kind, 'connection'));
  };
  await Promise.all([
    autocannon({
      url: target.url,
      connections,
      duration: step.seconds,
      pipelining: 1,
      timeout: 10,
      ...(rate === undefined ? {} : { overallRate: Math.max(1, Math.round(rate)) }),
      setupClient,
    }),
    withFlows
      ? flows.run(
          step.seconds,
          split.flowShare / Math.max(0.01, 1 - split.flowShare),
          split.flows,
          () => answered,
        )
      : Promise.resolve(),
  ]);
}
