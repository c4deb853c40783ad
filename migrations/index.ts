import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { Delivery1765000000000 } from './1765000000000-delivery.js';
import { FeatureFlags1766000000000 } from './1766000000000-feature-flags.js';
import { PersonalDataRetention1767000000000 } from './1767000000000-personal-data-retention.js';
import { OutboxRequestOrigin1768000000000 } from './1768000000000-outbox-request-origin.js';
import { CardSearch1769500000001 } from './1769500000001-card-search.js';

/** Every migration, in order. Listed explicitly so source (tests) and build (dist) agree. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  Delivery1765000000000,
  FeatureFlags1766000000000,
  PersonalDataRetention1767000000000,
  OutboxRequestOrigin1768000000000,
  CardSearch1769500000001,
];
