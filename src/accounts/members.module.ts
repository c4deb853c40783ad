import { Module } from '@nestjs/common';
import { DatabaseModule } from '../platform/database/database.module.js';
import { MemberFavourite } from './member-favourite.entity.js';
import { Member } from './member.entity.js';
import { MembersRepository } from './members.repository.js';

/** The members table, for the worker's account emails as well as the account pages. */
@Module({
  imports: [DatabaseModule.forFeature([Member, MemberFavourite])],
  providers: [MembersRepository],
  exports: [MembersRepository],
})
export class MembersModule {}
