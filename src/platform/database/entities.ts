import { MemberFavourite } from '../../accounts/member-favourite.entity.js';
import { Member } from '../../accounts/member.entity.js';
import { Card } from '../../catalog/card.entity.js';
import { Occasion } from '../../catalog/occasion.entity.js';
import { GreetingRecipient } from '../../greetings/greeting-recipient.entity.js';
import { Greeting } from '../../greetings/greeting.entity.js';
import { OutboxMessage } from '../../greetings/outbox-message.entity.js';

/**
 * The entity classes the data sources map. Entities are plain table mappings, so listing them
 * here does not make the platform depend on feature logic.
 */
export const ENTITIES = [
  Occasion,
  Card,
  Greeting,
  GreetingRecipient,
  OutboxMessage,
  Member,
  MemberFavourite,
];
