import type { Member } from '../accounts/member.entity.js';
import { canonicalMailbox } from '../security/mailbox.js';
import { type GreetingSender, UNVERIFIED_SENDER } from './new-greeting-record.js';

/**
 * Who sends from the compose form. A member whose address is verified and who sends as
 * themselves is a verified sender: their own budget instead of the anonymous limits, and the
 * notices about their card. A member who has not verified, or who types another address, sends
 * as anyone does, though the card still joins their history.
 */
export function composeSenderOf(member: Member | null, senderEmail: string): GreetingSender {
  if (!member) return UNVERIFIED_SENDER;
  const verified =
    member.emailVerifiedAt !== null &&
    canonicalMailbox(member.email) === canonicalMailbox(senderEmail);
  return { memberId: member.id, verified };
}
