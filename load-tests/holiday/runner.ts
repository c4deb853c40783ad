import autocannon, { type Client, type Request } from 'autocannon';
import type { Kind, Stage } from './model.js';
import type { Recorder } from './recorder.js';
import type { TrafficPlan } from './traffic.js';

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

function header(headers: Request['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
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
): Promise<void> {
  for (const stage of stages) {
    onStage?.(stage);
    recorder.beginStage(stage.name);
    for (const step of stageSteps(stage)) {
      await runStep(target, stage, step, plan, recorder);
    }
    recorder.endStage();
  }
}

async function runStep(
  target: RunTarget,
  stage: Stage,
  step: { seconds: number; rate?: number },
  plan: TrafficPlan,
  recorder: Recorder,
): Promise<void> {
  const connections =
    step.rate === undefined
      ? stage.connections
      : Math.max(1, Math.min(stage.connections, step.rate));
  const setupClient = (client: Client): void => {
    const slot: { kind: Kind; cache: string | undefined } = { kind: 'card', cache: undefined };
    client.setRequests([
      {
        setupRequest: (request: Request): Request => {
          const planned = plan.next(stage.mix);
          slot.kind = planned.kind;
          slot.cache = undefined;
          return {
            ...request,
            method: planned.method,
            path: planned.path,
            headers: {
              host: planned.host,
              'x-api-key': target.apiKey,
              ...(planned.body ? { 'content-type': 'application/json' } : {}),
            },
            body: planned.body ?? '',
          };
        },
        onResponse: (status, body, _context, headers) => {
          slot.cache = header(headers, 'x-cache');
          if (slot.kind === 'send' && (status === 201 || status === 200)) plan.collect(body);
        },
      },
    ]);
    client.on('response', (status: number, _bytes: number, ms: number) =>
      recorder.response(slot.kind, status, ms, slot.cache),
    );
    // Events the typings leave out; autocannon's Client emits them (lib/httpClient.js).
    const events = client as NodeJS.EventEmitter;
    events.on('timeout', () => recorder.failure(slot.kind, 'timeout'));
    events.on('connError', () => recorder.failure(slot.kind, 'connection'));
  };
  await autocannon({
    url: target.url,
    connections,
    duration: step.seconds,
    pipelining: 1,
    timeout: 10,
    ...(step.rate === undefined ? {} : { overallRate: step.rate }),
    setupClient,
  });
}
