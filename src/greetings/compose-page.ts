import type { FastifyRequest } from 'fastify';
import type { AddressBookChoices } from '../accounts/address-book/address-book.service.js';
import type { CardView } from '../catalog/catalog.service.js';
import type { PhotoSize } from '../platform/photos/sender-photo-store.js';
import type { Site } from '../sites/site.js';
import type { ComposeFormValues } from './compose-form.js';
import type { ComposeSecurityView } from './compose-protection.js';

/** Everything the compose form is rendered from, as one post or visit leaves it. */
export interface ComposePage {
  site: Site;
  request: FastifyRequest;
  card: CardView;
  values: ComposeFormValues;
  security: ComposeSecurityView;
  errors?: Record<string, string>;
  /** Why the card was not sent when no field is at fault (a limit, a challenge, a stale form). */
  refusal?: string;
  /** Rows to show, when the visitor asked for one more or one fewer. */
  slots?: number;
  /** The sender's photo, prepared, as base64: it travels with the form until the card is sent. */
  photoData?: string;
  /** Its size, so the page reserves the photo's place before it is drawn. */
  photoSize?: PhotoSize;
  /** A signed-in member's contacts and groups to pick from; null for everyone else. */
  addressBook?: AddressBookChoices | null;
  /** The signed-in member whose book `show` reads when the form comes back. */
  memberId?: string | null;
}
