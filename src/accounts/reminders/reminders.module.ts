import { Module } from '@nestjs/common';
import { DatabaseModule } from '../../platform/database/database.module.js';
import { QueueModule } from '../../platform/queue/queue.module.js';
import { SitesModule } from '../../sites/sites.module.js';
import { MemberReminder } from './member-reminder.entity.js';
import { ReminderSchedules } from './reminder-schedules.js';
import { RemindersRepository } from './reminders.repository.js';

/** Members' reminders and their daily schedules, for the account pages and the worker. */
@Module({
  imports: [QueueModule, SitesModule, DatabaseModule.forFeature([MemberReminder])],
  providers: [RemindersRepository, ReminderSchedules],
  exports: [RemindersRepository, ReminderSchedules],
})
export class MemberRemindersModule {}
