import { randomBytes } from 'node:crypto';
import { send } from '../../support/http-client.js';

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
      }).then(
        (res) => res.statusCode,
        () => 0,
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
