import autocannon from 'autocannon';

/** What the load saw during one phase of the run. */
export interface PhaseLoad {
  requests: number;
  errors: number;
  p99Ms: number;
}

class Window {
  requests = 0;
  errors = 0;
  readonly latencies: number[] = [];

  summary(): PhaseLoad {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const p99 = sorted.length
      ? (sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0)
      : 0;
    return { requests: this.requests, errors: this.errors, p99Ms: p99 };
  }
}

/**
 * Page and API requests at a steady rate for the whole run (autocannon's programmatic API),
 * counted per phase: a phase's errors are non-2xx answers, socket errors and timeouts.
 */
export class PageLoad {
  private window = new Window();
  private readonly instance: autocannon.Instance;

  constructor(port: number, host: string, paths: string[], ratePerSecond: number) {
    this.instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: 8,
        overallRate: ratePerSecond,
        duration: 3600,
        timeout: 5,
        headers: { host },
        requests: paths.map((path) => ({ method: 'GET', path })),
      },
      // The per-phase counts below are the result; the final summary is not needed.
      () => undefined,
    );
    this.instance.on('response', (_client, statusCode: number, _bytes: number, ms: number) => {
      this.window.requests++;
      this.window.latencies.push(ms);
      if (statusCode < 200 || statusCode >= 300) this.window.errors++;
    });
    this.instance.on('reqError', () => {
      this.window.requests++;
      this.window.errors++;
    });
  }

  /** Closes the current phase and starts counting the next one. */
  cut(): PhaseLoad {
    const done = this.window.summary();
    this.window = new Window();
    return done;
  }

  stop(): void {
    this.instance.stop();
  }
}
