export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * The promise's outcome, or a TimeoutError once `ms` have passed, whichever comes first.
 *
 * When the timer fires, the answer may already be waiting on its socket: a process whose event
 * loop was busy (booting a module, a long render) runs due timers before it reads the sockets
 * that became readable meanwhile. The timeout therefore gives pending I/O one turn of the loop
 * (setImmediate runs after the poll phase) before it calls the store slow; otherwise a stall in
 * this process reads as two missed probes and a healthy primary is marked down.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      setImmediate(() => reject(new TimeoutError(ms)));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
