import { loadConfig } from '../config/app-config.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { sendLimitMessage } from './send-limit-message.js';

const registry = SiteRegistry.load(loadConfig({ APP_STAGE: 'test', LOG_LEVEL: 'silent' }));
const chicago = registry.get('kindred')!;
const london = registry.get('merrypost')!;
const now = new Date('2026-12-05T20:10:00Z');
// Some ICU versions put a narrow no-break space before AM/PM.
const said = (...args: Parameters<typeof sendLimitMessage>) =>
  sendLimitMessage(...args).replace(/\s/gu, ' ');

describe("the send form's message when a limit refuses a card", () => {
  it("says how many cards were sent and when sending works again, in the site's zone", () => {
    const text = said(
      chicago,
      { scope: 'ip', counts: 'sends', allowed: 3, retryAfterSeconds: 1500 },
      now,
    );
    expect(text).toBe(
      'You have sent 3 cards from your connection in the last hour, the most we allow. You can send again at 2:35 PM CST.',
    );
    const uk = said(
      london,
      { scope: 'sender', counts: 'sends', allowed: 5, retryAfterSeconds: 60 },
      now,
    );
    expect(uk).toBe(
      'You have sent 5 cards from this email address in the last hour, the most we allow. You can send again at 20:11 GMT.',
    );
  });

  it('names the recipient budget, and the day when the wait is long', () => {
    expect(
      said(
        chicago,
        { scope: 'ip', counts: 'recipients', allowed: 30, retryAfterSeconds: 600 },
        now,
      ),
    ).toContain('This card would take your connection past 30 recipients in an hour');
    expect(
      said(chicago, { scope: 'ip', counts: 'sends', allowed: 1, retryAfterSeconds: 60 }, now),
    ).toMatch(/^You have sent 1 card from your connection/);
    expect(
      said(
        london,
        { scope: 'site', counts: 'sends', allowed: 20_000, retryAfterSeconds: 20 * 3600 },
        now,
      ),
    ).toBe(
      'Merry Post has sent as many cards as it can today. You can send again at Sunday, 16:10 GMT.',
    );
  });
});
