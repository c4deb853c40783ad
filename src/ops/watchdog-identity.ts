/**
 * Who holds the watchdog lock: a worker (its heartbeat id) or a web process. Web processes
 * stand by too, because a watchdog that only lives in workers cannot report that the last
 * worker died.
 */
export abstract class WatchdogIdentity {
  abstract readonly id: string;
  /** `worker` or `web`, for the log line that says where the active watchdog runs. */
  abstract readonly processType: string;
}
