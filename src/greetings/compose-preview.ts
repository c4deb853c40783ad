import { cardEmailImagePath } from '../catalog/card-urls.js';
import type { CardView } from '../catalog/catalog.service.js';
import { headerText } from '../platform/mail/outgoing-mail.js';
import { formatZonedTime } from '../rendering/format-date.js';
import { messageStyleClass } from '../sites/message-styles.js';
import type { PhotoSize } from '../platform/photos/sender-photo-store.js';
import type { Site } from '../sites/site.js';
import type { ComposeFormValues } from './compose-form.js';
import type { SendGreetingCommand } from './dto/send-greeting.schema.js';

/**
 * What the preview step shows: the pickup page as the first recipient will see it and the
 * email that brings it, built from the validated command, so the preview is what will be sent.
 * Nothing is stored: the form's values travel on in hidden fields, with the same form key, so
 * "Edit" brings everything back and "Send card" sends exactly this.
 */
export function composePreviewModel(
  site: Site,
  card: CardView,
  values: ComposeFormValues,
  command: SendGreetingCommand,
  csrfToken: string,
  /** The prepared photo as base64 and its size, or null for none. */
  photo: { data: string; size: PhotoSize } | null = null,
) {
  const firstRecipient = command.recipients[0]?.name ?? '';
  return {
    card: command.verse === null ? card : { ...card, insideText: command.verse },
    values,
    csrfToken,
    photoData: photo?.data ?? '',
    // Shown from the page itself: it is stored nowhere until the card is sent.
    photoSrc: photo ? `data:image/jpeg;base64,${photo.data}` : null,
    photoSize: photo?.size ?? null,
    recipients: command.recipients,
    greeting: {
      senderName: command.sender.name,
      senderEmail: command.sender.email,
      message: command.message,
      messageStyle: messageStyleClass(site.messageStyles, command.font, command.ink),
      sendAtText: command.sendAt ? formatZonedTime(site, command.sendAt, command.timeZone) : null,
    },
    firstRecipient,
    email: {
      fromName: site.email.fromName,
      subject: `${headerText(command.sender.name)} sent you an ecard`,
      // The email shows a drawing of the artwork, as mail clients show no SVG.
      imageUrl: cardEmailImagePath(card),
    },
  };
}
