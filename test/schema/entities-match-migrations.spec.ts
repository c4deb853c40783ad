import { DataSource } from 'typeorm';
import { ADDRESS_BOOK_ENTITIES } from '../../src/accounts/address-book/contact.entity.js';
import { MemberFavourite } from '../../src/accounts/member-favourite.entity.js';
import { Member } from '../../src/accounts/member.entity.js';
import { MemberReminder } from '../../src/accounts/reminders/member-reminder.entity.js';
import { CATALOG_ENTITIES } from '../../src/catalog/catalog.module.js';
import { GREETING_ENTITIES } from '../../src/greetings/recipients.module.js';
import { PARTNER_ENTITIES } from '../../src/partners/partner.entity.js';
import { createDataSource } from '../../src/platform/database/data-source.factory.js';
import { testConfig } from '../support/test-app.js';

/**
 * The platform's own data source, told that the server is MariaDB. The platform connects as
 * `mysql`, which is all its queries need, but TypeORM only reads MariaDB's catalogue right when
 * it knows: MariaDB reports a nullable column's default as the text `NULL`, which the `mysql`
 * reader takes for the string 'NULL' and so sees every nullable column as changed.
 */
async function openAsMariaDb(): Promise<DataSource> {
  const platform = createDataSource({
    url: testConfig().database.primaryUrl,
    poolSize: 1,
    name: 'schema',
    entities: [
      ...CATALOG_ENTITIES,
      ...GREETING_ENTITIES,
      Member,
      MemberFavourite,
      ...ADDRESS_BOOK_ENTITIES,
      MemberReminder,
      ...PARTNER_ENTITIES,
    ],
  });
  if (platform.options.type !== 'mysql') {
    throw new Error(`the platform's data source is ${platform.options.type}, expected mysql`);
  }
  return new DataSource({ ...platform.options, type: 'mariadb' }).initialize();
}

/**
 * The schema is made by migrations only (never `synchronize`), so an entity can drift from the
 * table it maps without anything failing until a query does. TypeORM's schema builder, asked
 * what it would change to make the migrated database fit the entities, must find nothing.
 */
describe('entities and migrations describe the same schema', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await openAsMariaDb();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('needs no change to the migrated tables', async () => {
    const plan = await db.driver.createSchemaBuilder().log();
    const changes = plan.upQueries.map((q) => q.query);
    expect(changes).toEqual([]);
  });
});
