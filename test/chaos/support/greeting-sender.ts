import { randomBytes } from 'node:crypto';
import { NoAnswerError, send } from '../../support/http-client.js';

/**
 * A browser would wait longer, but the retry is the same: the form posted again with its key.
 * A web worker SIGKILLed while the cluster primary hands it a new connection strands that
 * connection (Node's round-robin handoff never hears back), so a send can go unanswered.
 */
const SEND_TIMEOUT_MS = 5000;

export interface AcceptedGreeting {
  address: string;
  phase: string;
}

/**
 * A client sending a greeting every `intervalMs`, each to a recipient address of its own, and
 * retrying like a browser form would (same idempotency key) until it is accepted. What it
 * records as accepted is what the platform promised to deliver.
 */
export class GreetingSender {
  readonly accepted: AcceptedGreeting[] = [];
  refused = 0;
  /** Sends that got no answer in time and were sent again; see SEND_TIMEOUT_MS. */
  unanswered = 0;
  phase = 'start';
  private running = true;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly port: number,
    private readonly host: string,
    private readonly cardSlug: string,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    for (let n = 0; this.running; n++) {
      const started = Date.now();
      await this.sendOne(n);
      await new Promise((r) =>
        setTimeout(r, Math.max(0, this.intervalMs - (Date.now() - started))),
      );
    }
  }

  private async sendOne(n: number): Promise<void> {
    const tag = randomBytes(6).toString('hex');
    const address = `chaos.${n}.${tag}@example.com`;
    const payload = {
      cardSlug: this.cardSlug,
      sender: { name: 'Chaos', email: `sender.${tag}@example.com` },
      recipients: [{ name: 'Recipient', email: address }],
      message: 'Sent while things were being killed',
      idempotencyKey: `chaos-${tag}`,
    };
    const phase = this.phase;
    for (let attempt = 0; attempt < 40 && this.running; attempt++) {
      const status = await send(this.port, {
        method: 'POST',
        url: '/api/greetings',
        host: this.host,
        payload,
        timeoutMs: SEND_TIMEOUT_MS,
      }).then(
        (res) => res.statusCode,
        (error: unknown) => {
          if (error instanceof NoAnswerError) this.unanswered++;
          return 0;
        },
      );
      if (status === 201 || status === 200) {
        this.accepted.push({ address, phase });
        return;
      }
      this.refused++;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
