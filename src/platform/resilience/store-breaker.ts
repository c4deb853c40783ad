import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleAll,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { DependencyHealth, DependencyState } from './dependency-health.js';

export interface StoreBreakerOptions {
  /** Consecutive failed probes (or reported failures) that open the breaker. */
  failures?: number;
  /** How long an open breaker refuses before letting one probe test the store again. */
  halfOpenAfterMs?: number;
}

const STATES: Record<CircuitState, DependencyState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

/**
 * The circuit breaker of one store (the primary, one replica, Redis). The store's prober runs
 * its checks through it, and request paths may report failures into it; once open, callers
 * ask `allows()` and fail at once instead of each waiting for a connect timeout. After
 * `halfOpenAfterMs` the next probe is let through as the test call: success closes it.
 */
export class StoreBreaker {
  private readonly policy: CircuitBreakerPolicy;
  private lastProbeOk = false;

  constructor(
    readonly name: string,
    options: StoreBreakerOptions = {},
  ) {
    this.policy = circuitBreaker(handleAll, {
      halfOpenAfter: options.halfOpenAfterMs ?? 1000,
      breaker: new ConsecutiveBreaker(options.failures ?? 2),
    });
  }

  /** Runs a health check through the breaker; false when it failed or the breaker is open. */
  async probe(check: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.policy.execute(check);
      this.lastProbeOk = true;
    } catch {
      // A failed check, or an open breaker that skipped it (BrokenCircuitError): either way the
      // store counts as down until a half-open probe passes.
      this.lastProbeOk = false;
    }
    return this.lastProbeOk;
  }

  /** A request found the store unreachable: counts toward opening the breaker. */
  reportFailure(error: unknown): void {
    this.policy
      .execute(() => {
        throw error;
      })
      .catch(() => undefined);
  }

  get state(): DependencyState {
    return STATES[this.policy.state];
  }

  /** Whether callers may use the store: its breaker is not open. */
  allows(): boolean {
    return this.policy.state !== CircuitState.Open && this.policy.state !== CircuitState.Isolated;
  }

  /** The store answered its last probe and its breaker lets calls through. */
  get up(): boolean {
    return this.lastProbeOk && this.allows();
  }

  health(): DependencyHealth {
    return { name: this.name, state: this.state, up: this.up };
  }
}
