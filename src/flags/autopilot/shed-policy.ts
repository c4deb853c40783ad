import type { FlagKey } from '../../config/flag-registry.js';

export interface ShedThresholds {
  /** Below this score one more flag is shed per step. */
  shedBelow: number;
  /** At or above this score for `restoreAfterMs`, the last shed flag comes back. */
  restoreAbove: number;
  restoreAfterMs: number;
}

export type ShedDecision =
  { action: 'shed'; flag: FlagKey } | { action: 'restore'; flag: FlagKey } | { action: 'hold' };

/**
 * When to shed and when to restore, as a pure state machine over health scores. Shedding is
 * prompt (one flag per step while unhealthy) and restoring is slow (one flag per
 * `restoreAfterMs` of steady health): the gap between the two thresholds and the wait are the
 * hysteresis that keeps a flag from flapping on a noisy signal.
 */
export class ShedPolicy {
  private shedCount = 0;
  private healthySince: number | null = null;

  constructor(
    private readonly order: readonly FlagKey[],
    private readonly thresholds: ShedThresholds,
  ) {}

  get shed(): readonly FlagKey[] {
    return this.order.slice(0, this.shedCount);
  }

  step(score: number, now: number): ShedDecision {
    const { shedBelow, restoreAbove, restoreAfterMs } = this.thresholds;
    if (score < shedBelow) {
      this.healthySince = null;
      const next = this.order[this.shedCount];
      if (next === undefined) return { action: 'hold' };
      this.shedCount++;
      return { action: 'shed', flag: next };
    }
    if (score < restoreAbove || this.shedCount === 0) {
      this.healthySince = null;
      return { action: 'hold' };
    }
    this.healthySince ??= now;
    if (now - this.healthySince < restoreAfterMs) return { action: 'hold' };
    this.shedCount--;
    this.healthySince = now;
    const flag = this.order[this.shedCount];
    return flag === undefined ? { action: 'hold' } : { action: 'restore', flag };
  }
}
