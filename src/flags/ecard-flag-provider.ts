import {
  ErrorCode,
  type EvaluationContext,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
  type ResolutionReason,
  StandardResolutionReasons,
} from '@openfeature/server-sdk';
import { isFlagKey } from '../config/flag-registry.js';
import type { FlagSource } from './flag-snapshot.js';
import type { FlagStore } from './flag-store.service.js';

/** Context attribute naming the site; `targetingKey` names the visitor for rollouts. */
export const SITE_ATTRIBUTE = 'site';

/**
 * The platform's OpenFeature provider: answers from the process's in-memory snapshot, so an
 * evaluation is a map read. Swapping in a flag service means registering another provider
 * under the same domain; callers do not change.
 */
export class EcardFlagProvider implements Provider {
  readonly metadata = { name: 'ecard-flags' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();

  constructor(private readonly store: FlagStore) {
    store.onChange(() => this.events.emit(ProviderEvents.ConfigurationChanged, {}));
  }

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    if (!isFlagKey(flagKey)) {
      return Promise.resolve({
        value: defaultValue,
        reason: StandardResolutionReasons.ERROR,
        errorCode: ErrorCode.FLAG_NOT_FOUND,
      });
    }
    const site = context[SITE_ATTRIBUTE];
    const result = this.store.snapshot.evaluate(
      typeof site === 'string' ? site : '',
      flagKey,
      context.targetingKey,
    );
    // A failed reload leaves the last known good values in place: say so in the reason.
    const stale = this.store.status().lastError !== null;
    return Promise.resolve({
      value: result.value,
      variant: result.source,
      reason: stale ? StandardResolutionReasons.STALE : reasonOf(result.source),
      flagMetadata: { source: result.source },
    });
  }

  resolveStringEvaluation(_key: string, value: string): Promise<ResolutionDetails<string>> {
    return Promise.resolve(mismatch(value));
  }

  resolveNumberEvaluation(_key: string, value: number): Promise<ResolutionDetails<number>> {
    return Promise.resolve(mismatch(value));
  }

  resolveObjectEvaluation<T extends JsonValue>(
    _key: string,
    value: T,
  ): Promise<ResolutionDetails<T>> {
    return Promise.resolve(mismatch(value));
  }
}

/** Every flag of the platform is boolean. */
function mismatch<T>(value: T): ResolutionDetails<T> {
  return {
    value,
    reason: StandardResolutionReasons.ERROR,
    errorCode: ErrorCode.TYPE_MISMATCH,
  };
}

function reasonOf(source: FlagSource): ResolutionReason {
  switch (source) {
    case 'autopilot':
      return StandardResolutionReasons.DISABLED;
    case 'site-override':
    case 'global-override':
      return StandardResolutionReasons.STATIC;
    case 'site-rollout':
    case 'global-rollout':
      return StandardResolutionReasons.SPLIT;
    case 'site-default':
    case 'default':
      return StandardResolutionReasons.DEFAULT;
  }
}
