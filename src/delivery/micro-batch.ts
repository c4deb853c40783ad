/**
 * Group commit for per-job work. Jobs run one at a time in the handler's code, but their
 * database writes do not have to: calls made while a batch is being written wait together and
 * go in the next batch, so a busy worker pays one transaction (and one durable commit) per
 * batch instead of one per recipient, and an idle one still writes at once (the batch starts
 * on the next turn of the event loop, with whatever arrived by then).
 *
 * Each caller gets its own result or the batch's error; nothing is acknowledged before the
 * batch that holds it has been written.
 */
export class MicroBatch<In, Out> {
  private pending: { input: In; resolve: (out: Out) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly write: (inputs: In[]) => Promise<Out[]>,
    private readonly maxSize: number,
    /** Errors worth writing the same batch again for (a deadlock victim, a lock wait). */
    private readonly retryable: (error: unknown) => boolean = () => false,
  ) {}

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxSize);
      try {
        const outs = await this.writeWithRetries(batch.map((b) => b.input));
        batch.forEach((b, i) => b.resolve(outs[i] as Out));
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.running = false;
  }

  private async writeWithRetries(inputs: In[]): Promise<Out[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.write(inputs);
      } catch (error) {
        if (attempt >= WRITE_ATTEMPTS || !this.retryable(error)) throw error;
        await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
      }
    }
  }
}

const WRITE_ATTEMPTS = 5;

/**
 * MariaDB's "roll back and try again" answers: the transaction was chosen as a deadlock victim
 * (1213) or waited too long for a lock (1205). Nothing it wrote stayed, so writing it again is
 * safe, and much better than failing every job of the batch.
 */
export function isLockConflict(error: unknown): boolean {
  const e = error as { errno?: number; driverError?: { errno?: number } } | null;
  const errno = e?.driverError?.errno ?? e?.errno;
  return errno === 1213 || errno === 1205;
}
