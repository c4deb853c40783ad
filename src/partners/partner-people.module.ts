import { Module } from '@nestjs/common';
import { DatabaseModule } from '../platform/database/database.module.js';
import { PARTNER_ENTITIES } from './partner.entity.js';
import { PeopleRepository } from './people.repository.js';

/** Console people, for the web's console and the worker that mails their links. */
@Module({
  imports: [DatabaseModule.forFeature(PARTNER_ENTITIES)],
  providers: [PeopleRepository],
  exports: [PeopleRepository],
})
export class PartnerPeopleModule {}
