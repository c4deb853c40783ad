import type { ReceivedMail } from '../../delivery/support/smtp-sink.js';
import { tallyMailbox } from './mailbox-tally.js';

const ann = 'ann@example.com';
const mail = (messageId: string, receivedAt: number, to = ann) =>
  ({ messageId, receivedAt, to: [to] }) as unknown as ReceivedMail;

describe('judging a chaos recipient mailbox', () => {
  it('counts one email as delivered once', () => {
    expect(tallyMailbox(ann, [mail('<a>', 1000), mail('<b>', 1000, 'bob@x')], null)).toEqual({
      received: 1,
      duplicated: false,
      resendsAfterKill: 0,
    });
  });

  it('calls a second Message-ID a duplicate, worker kill or not', () => {
    const twice = [mail('<a>', 1000), mail('<b>', 1200)];
    expect(tallyMailbox(ann, twice, 1100).duplicated).toBe(true);
    expect(tallyMailbox(ann, twice, null).duplicated).toBe(true);
  });

  it('excuses a same-id copy whose first arrived just before the worker was killed', () => {
    const copies = [mail('<a>', 1000), mail('<a>', 7000)];
    expect(tallyMailbox(ann, copies, 1500)).toEqual({
      received: 2,
      duplicated: false,
      resendsAfterKill: 1,
    });
  });

  it('does not excuse a same-id copy that no kill explains', () => {
    const copies = [mail('<a>', 1000), mail('<a>', 3000)];
    expect(tallyMailbox(ann, copies, null).duplicated).toBe(true);
    expect(tallyMailbox(ann, copies, 5000).duplicated).toBe(true); // kill long after
    expect(tallyMailbox(ann, copies, 900).duplicated).toBe(true); // first copy after the kill
  });

  it('reports nothing received as lost, not duplicated', () => {
    expect(tallyMailbox(ann, [], 1000)).toEqual({
      received: 0,
      duplicated: false,
      resendsAfterKill: 0,
    });
  });
});
