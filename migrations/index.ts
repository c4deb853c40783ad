import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { Delivery1765000000000 } from './1765000000000-delivery.js';
import { FeatureFlags1766000000000 } from './1766000000000-feature-flags.js';
import { PersonalDataRetention1767000000000 } from './1767000000000-personal-data-retention.js';
import { OutboxRequestOrigin1768000000000 } from './1768000000000-outbox-request-origin.js';
import { BounceReports1769100000001 } from './1769100000001-bounce-reports.js';
import { Reports1769200000001 } from './1769200000001-reports.js';
import { Sites1769300000001 } from './1769300000001-sites.js';
import { MemberAccounts1769400000001 } from './1769400000001-member-accounts.js';
import { GreetingMembers1769400000002 } from './1769400000002-greeting-members.js';
import { MemberFavourites1769400000003 } from './1769400000003-member-favourites.js';
import { CardSearch1769500000001 } from './1769500000001-card-search.js';
import { MessageStyle1769600000000 } from './1769600000000-message-style.js';
import { Partners1770000000010 } from './1770000000010-partners.js';
import { PartnerHostnames1770000000011 } from './1770000000011-partner-hostnames.js';
import { AddressBook1770000000020 } from './1770000000020-address-book.js';
import { MemberReminders1770000000021 } from './1770000000021-member-reminders.js';
import { SuppressionsPerSite1770000000030 } from './1770000000030-suppressions-per-site.js';
import { SenderPhoto1770000000031 } from './1770000000031-sender-photo.js';
import { SiteApiKeys1770000000040 } from './1770000000040-site-api-keys.js';
import { SiteLogos1770000000041 } from './1770000000041-site-logos.js';
import { SiteDkimKeys1770000000050 } from './1770000000050-site-dkim-keys.js';
import { SenderVerified1770000000060 } from './1770000000060-sender-verified.js';
import { ReportChangedHours1770000000070 } from './1770000000070-report-changed-hours.js';

/** Every migration, in order. Listed explicitly so source (tests) and build (dist) agree. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  Delivery1765000000000,
  FeatureFlags1766000000000,
  PersonalDataRetention1767000000000,
  OutboxRequestOrigin1768000000000,
  BounceReports1769100000001,
  Reports1769200000001,
  Sites1769300000001,
  MemberAccounts1769400000001,
  GreetingMembers1769400000002,
  MemberFavourites1769400000003,
  CardSearch1769500000001,
  MessageStyle1769600000000,
  Partners1770000000010,
  PartnerHostnames1770000000011,
  AddressBook1770000000020,
  MemberReminders1770000000021,
  SuppressionsPerSite1770000000030,
  SenderPhoto1770000000031,
  SiteApiKeys1770000000040,
  SiteLogos1770000000041,
  SiteDkimKeys1770000000050,
  SenderVerified1770000000060,
  ReportChangedHours1770000000070,
];
