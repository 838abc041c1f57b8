// Open311 GeoReport v2: the keys other systems post service requests with. Only the SHA-256 of a key
// is kept; the prefix is for telling keys apart in the administrator's list.
import type { Kysely } from 'kysely';
import { dialectOf, idColumn } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('open311_keys')
    .addColumn('id', 'integer', idColumn(dialectOf(db)))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .execute();
  // GET requests lists the newest events of the last 90 days at most: by time, not by place.
  await db.schema.createIndex('events_created').on('events').columns(['created_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_created').execute();
  await db.schema.dropTable('open311_keys').execute();
}
