/**
 * What the rest of the platform may know about a store's health, without depending on how it is
 * watched: the health endpoint, metrics and the feature autopilot read it; the circuit breakers
 * around MariaDB and Redis provide it.
 */
export type DependencyState = 'closed' | 'half-open' | 'open';

export interface DependencyHealth {
  /** A stable store name: `primary`, `replica:<host:port>`, `redis`. */
  readonly name: string;
  readonly state: DependencyState;
  /** False while the store's breaker is open or its last probe failed. */
  readonly up: boolean;
}

/** Injection token and contract; a process without breakers simply does not provide it. */
export abstract class DependencyHealthSource {
  abstract snapshot(): readonly DependencyHealth[];
}
