import { retryOnLockConflict } from '../common/store-errors.js';
import { runOutsideRequests } from '../platform/observability/request-context.js';

/**
 * Group commit for per-job work. Jobs run one at a time in the handler's code, but their
 * database writes do not have to: calls wait together and go in one batch, so a busy worker
 * pays one transaction (and one durable commit) per batch instead of one per recipient.
 *
 * A batch starts `lingerMs` after its first call, or as soon as it is full. Without the wait,
 * batches are only as large as what arrives during one write (three or four recipients on a
 * busy worker), and each statement's round trip costs the worker more than the email itself.
 * A few milliseconds more per email is nothing next to the minutes a mailbox takes; on an idle
 * worker the wait is the whole cost.
 *
 * A batch MariaDB rolls back as a deadlock victim or after a lock wait is written again: nothing
 * of it stayed, and failing every job of the batch would be far worse.
 *
 * Each caller gets its own result or the batch's error; nothing is acknowledged before the
 * batch that holds it has been written.
 */
export class MicroBatch<In, Out> {
  private pending: { input: In; resolve: (out: Out) => void; reject: (e: unknown) => void }[] = [];
  private running = false;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly write: (inputs: In[]) => Promise<Out[]>,
    private readonly options: {
      maxSize: number;
      lingerMs: number;
    },
  ) {}

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= this.options.maxSize) this.wakeUp?.();
      if (!this.running) {
        this.running = true;
        // A batch holds the work of many jobs: its lines must not carry the first one's request.
        runOutsideRequests(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      await this.linger();
      const batch = this.pending.splice(0, this.options.maxSize);
      try {
        const outs = await retryOnLockConflict(
          () => this.write(batch.map((b) => b.input)),
          WRITE_ATTEMPTS,
        );
        batch.forEach((b, i) => b.resolve(outs[i] as Out));
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.running = false;
  }

  /** Lets the batch fill: until it is full or `lingerMs` has passed. */
  private async linger(): Promise<void> {
    if (this.pending.length >= this.options.maxSize) return;
    if (this.options.lingerMs <= 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, this.options.lingerMs);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
    });
  }
}

const WRITE_ATTEMPTS = 5;
