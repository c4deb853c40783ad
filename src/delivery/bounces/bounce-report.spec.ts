import {
  deliveryStatusNotification,
  feedbackReport,
  type ReturnedEmail,
} from '../../../test/delivery/support/bounce-messages.js';
import { deliveryStatusOutcome, fieldBlocks, readBounceReport } from './bounce-report.js';

const original: ReturnedEmail = {
  returnPath: 'r-0123@bounces.example',
  to: 'bob@receiver.example',
  messageId: '<AAAA.greeting@ecardia.example>',
};
const read = (text: string) => readBounceReport(Buffer.from(text));

describe('reading bounce reports', () => {
  it('reads a permanent failure as a hard bounce with its status code', async () => {
    const dsn = deliveryStatusNotification(original, { action: 'failed', status: '5.1.1' });
    expect(await read(dsn)).toMatchObject({ kind: 'hard', code: '5.1.1' });
  });

  it('reads a temporary failure and a delay as soft bounces', async () => {
    const failed = deliveryStatusNotification(original, { action: 'failed', status: '4.2.2' });
    const delayed = deliveryStatusNotification(original, { action: 'delayed', status: '4.4.7' });
    expect(await read(failed)).toMatchObject({ kind: 'soft', code: '4.2.2' });
    expect(await read(delayed)).toMatchObject({ kind: 'soft', code: '4.4.7' });
  });

  it('ignores a success notification and a plain auto-reply', async () => {
    const ok = deliveryStatusNotification(original, { action: 'delivered', status: '2.0.0' });
    expect(await read(ok)).toBeNull();
    const reply = 'From: bob@receiver.example\r\nSubject: Out of office\r\n\r\nBack Monday.\r\n';
    expect(await read(reply)).toBeNull();
  });

  it('reads an abuse feedback report as a complaint, and not-spam as nothing', async () => {
    expect(await read(feedbackReport(original, 'abuse'))).toMatchObject({
      kind: 'complaint',
      code: 'abuse',
    });
    expect(await read(feedbackReport(original, 'not-spam'))).toBeNull();
  });

  it('gives a report the same identity every time it is read, and another report another', async () => {
    const dsn = deliveryStatusNotification(original, { action: 'failed', status: '4.2.2' });
    const again = await read(dsn);
    expect((await read(dsn))?.identity).toBe(again?.identity);
    const next = deliveryStatusNotification(original, { action: 'failed', status: '4.2.2' });
    expect((await read(next))?.identity).not.toBe(again?.identity);
  });

  it('takes the worst outcome when a DSN reports several recipients', () => {
    const blocks = fieldBlocks(
      'Reporting-MTA: dns; mx\r\n\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\nAction: failed\r\nStatus:\r\n 5.2.2 (mailbox full)\r\n',
    );
    expect(deliveryStatusOutcome(blocks)).toEqual({ kind: 'hard', code: '5.2.2' });
  });
});
