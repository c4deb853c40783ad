import { cardEmailImagePath } from '../catalog/card-urls.js';
import type { DeliveryRecord } from '../greetings/recipient-lifecycle.service.js';
import type { SignedLinks } from '../greetings/signed-links.js';
import { headerText, type OutgoingMail } from '../platform/mail/outgoing-mail.js';
import { formatZonedTime } from '../rendering/format-date.js';
import type { Site } from '../sites/site.js';
import type { EmailTemplate, EmailViews } from './email-views.js';
import type { ReturnPaths } from './return-paths.js';

/** Who a sender-facing email is about: a scheduled greeting and where it goes. */
export interface ScheduledNotice {
  greetingId: string;
  senderName: string;
  senderEmail: string;
  sendAt: Date;
  timeZone: string;
  cardTitle: string;
  recipients: { name: string; email: string }[];
}

/** An emailed account link: what it does, where it goes, and the ask it answers. */
export interface AccountLink {
  purpose: 'verify-email' | 'sign-in' | 'reset-password';
  url: string;
  emailId: string;
}

/** A member's reminder: what is coming, when, and cards to send for it. */
export interface MemberReminderMail {
  reminderId: string;
  memberId: string;
  occurrence: string;
  /** "Bob's birthday", "Valentine's Day". */
  what: string;
  whenText: string;
  daysAway: number;
  composeUrl: string;
  cards: { title: string; imageUrl: string; composeUrl: string }[];
}

const ACCOUNT_SUBJECTS: Record<AccountLink['purpose'], (brand: string) => string> = {
  'verify-email': (brand) => `Confirm your email address for ${headerText(brand)}`,
  'sign-in': (brand) => `Your sign-in link for ${headerText(brand)}`,
  'reset-password': (brand) => `Choose a new password for ${headerText(brand)}`,
};

/**
 * Builds each email the platform sends. The From line is always the site's own address, never
 * the sender's (that would be spoofing, and fails DMARC); the sender's name and address are in
 * the body, where a reader can check them, as greeting sites did against look-alike phishing.
 */
export class EmailComposer {
  constructor(
    private readonly views: EmailViews,
    private readonly links: SignedLinks,
    private readonly returnPaths: ReturnPaths,
  ) {}

  greeting(site: Site, r: DeliveryRecord): OutgoingMail {
    return this.toRecipient(site, r, 'greeting', `${headerText(r.senderName)} sent you an ecard`);
  }

  reminder(site: Site, r: DeliveryRecord): OutgoingMail {
    const subject = `Reminder: ${headerText(r.senderName)} sent you an ecard`;
    return this.toRecipient(site, r, 'reminder', subject);
  }

  senderOpened(site: Site, r: DeliveryRecord): OutgoingMail {
    const body = this.views.render(site, 'sender-opened', {
      ...this.common(site),
      sender: { name: r.senderName, email: r.senderEmail },
      recipient: { name: r.recipientName },
      card: { title: r.cardTitle },
    });
    return {
      ...this.envelope(site, { name: r.senderName, address: r.senderEmail }),
      subject: `${headerText(r.recipientName)} opened your ecard`,
      ...body,
      messageId: messageId(site, r.recipientId, 'opened'),
      headers: this.senderUnsubscribe(site, r.greetingId),
      returnPath: this.returnPaths.forSender(site, r.greetingId),
    };
  }

  senderScheduled(site: Site, n: ScheduledNotice): OutgoingMail {
    const manageUrl = `${site.baseUrl}/manage/${n.greetingId}?s=${this.links.sign('manage', n.greetingId)}`;
    const body = this.views.render(site, 'sender-scheduled', {
      ...this.common(site),
      sender: { name: n.senderName, email: n.senderEmail },
      recipients: n.recipients,
      card: { title: n.cardTitle },
      sendAtText: formatZonedTime(site, n.sendAt, n.timeZone),
      manageUrl,
    });
    return {
      ...this.envelope(site, { name: n.senderName, address: n.senderEmail }),
      subject: 'Your ecard is scheduled',
      ...body,
      messageId: messageId(site, n.greetingId, 'scheduled'),
      headers: this.senderUnsubscribe(site, n.greetingId),
      returnPath: this.returnPaths.forSender(site, n.greetingId),
    };
  }

  /**
   * A member's emailed link (verify the address, sign in, choose a new password). Only ever
   * sent because someone asked on the site: the text says so, and that ignoring it is safe.
   */
  account(site: Site, to: { name: string; address: string }, link: AccountLink): OutgoingMail {
    const body = this.views.render(site, 'account', {
      ...this.common(site),
      name: to.name,
      purpose: link.purpose,
      url: link.url,
    });
    return {
      ...this.envelope(site, to),
      subject: ACCOUNT_SUBJECTS[link.purpose](site.vars.brandName),
      ...body,
      messageId: messageId(site, link.emailId, 'account'),
    };
  }

  /**
   * A reminder the member asked for. Its unsubscribe link stops this reminder (one click, also
   * the RFC 8058 header); a second link in the body stops every reminder of the member.
   */
  memberReminder(
    site: Site,
    to: { name: string; address: string },
    r: MemberReminderMail,
  ): OutgoingMail {
    const stopUrl = `${site.baseUrl}/account/reminders/stop/${r.reminderId}/${this.links.sign('reminder-stop', r.reminderId)}`;
    const stopAllUrl = `${site.baseUrl}/account/reminders/stop-all/${r.memberId}/${this.links.sign('reminders-stop-all', r.memberId)}`;
    const body = this.views.render(site, 'member-reminder', {
      ...this.common(site),
      name: to.name,
      what: r.what,
      whenText: r.whenText,
      daysAway: r.daysAway,
      composeUrl: r.composeUrl,
      cards: r.cards,
      stopUrl,
      stopAllUrl,
      remindersUrl: `${site.baseUrl}/account/reminders`,
    });
    const soon =
      r.daysAway === 0 ? 'today' : r.daysAway === 1 ? 'tomorrow' : `in ${r.daysAway} days`;
    return {
      ...this.envelope(site, to),
      subject: headerText(`${r.what} is ${soon}`),
      ...body,
      messageId: messageId(site, `${r.reminderId}.${r.occurrence}`, 'member-reminder'),
      headers: {
        'List-Unsubscribe': `<${stopUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    };
  }

  /**
   * A sender's address is typed by whoever sends, so notices may reach someone who never used
   * the site: each one lets that address stop all mail from the platform in one click.
   */
  private senderUnsubscribe(site: Site, greetingId: string): Record<string, string> {
    const url = `${site.baseUrl}/unsubscribe/sender/${greetingId}/${this.links.sign('sender-unsubscribe', greetingId)}`;
    return {
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
  }

  private toRecipient(
    site: Site,
    r: DeliveryRecord,
    template: Extract<EmailTemplate, 'greeting' | 'reminder'>,
    subject: string,
  ): OutgoingMail {
    const unsubscribeUrl = `${site.baseUrl}/unsubscribe/${this.links.recipientToken('unsubscribe', r.recipientId)}`;
    const body = this.views.render(site, template, {
      ...this.common(site),
      sender: { name: r.senderName, email: r.senderEmail },
      recipient: { name: r.recipientName },
      card: {
        title: r.cardTitle,
        // A drawing of the artwork, never the sender's own photo: it travels in the clear.
        imageUrl: `${site.baseUrl}${cardEmailImagePath({ slug: r.cardSlug, artworkHash: r.artworkHash })}`,
      },
      pickupUrl: `${site.baseUrl}/p/${this.links.pickupToken(r.recipientId)}`,
      unsubscribeUrl,
    });
    return {
      ...this.envelope(site, { name: r.recipientName, address: r.recipientEmail }),
      subject,
      ...body,
      messageId: messageId(site, r.recipientId, template),
      headers: {
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        // RFC 8058: mail providers may POST here to unsubscribe in one click, without a page.
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      returnPath: this.returnPaths.forRecipient(site, r.recipientId),
    };
  }

  private envelope(site: Site, to: { name: string; address: string }) {
    return {
      from: { name: headerText(site.email.fromName), address: site.email.fromAddress },
      to: { name: headerText(to.name), address: to.address },
      ...(site.email.replyTo ? { replyTo: site.email.replyTo } : {}),
    };
  }

  private common(site: Site) {
    return { safetyLine: hostsOf(site).safetyLine };
  }
}

/**
 * The same id for every attempt at the same email: if a worker dies after the SMTP server
 * accepted a message but before we recorded it, the resend carries the identical Message-ID,
 * which mail systems use to drop the duplicate.
 */
export function messageId(site: Site, id: string, kind: string): string {
  return `<${id}.${kind}@${hostsOf(site).hostname}>`;
}

/** What every email of a site repeats, worked out once per site instead of once per email. */
const perSite = new WeakMap<Site, { hostname: string; safetyLine: string }>();

function hostsOf(site: Site): { hostname: string; safetyLine: string } {
  let known = perSite.get(site);
  if (!known) {
    const url = new URL(site.baseUrl);
    known = {
      // An identifier, not a link: the canonical host in every stage.
      hostname: site.hostnames[0] ?? url.hostname,
      safetyLine: `${site.vars.brandName} will never ask for your password or payment details in an email. Your card is only at ${url.host}.`,
    };
    perSite.set(site, known);
  }
  return known;
}
