import { Module } from '@nestjs/common';
import { DkimKeyring } from './dkim-keyring.js';
import { SiteDkimKeys } from './site-dkim-keys.js';
import { SiteDkimKeysRepository } from './site-dkim-keys.repository.js';

/** Sites' own DKIM keys as the console makes and activates them (web processes). */
@Module({
  providers: [SiteDkimKeysRepository, SiteDkimKeys],
  exports: [SiteDkimKeys],
})
export class SiteDkimModule {}

/** The keys every site signs with, held in the sending process (workers). */
@Module({
  providers: [SiteDkimKeysRepository, DkimKeyring],
  exports: [DkimKeyring],
})
export class DkimKeyringModule {}
