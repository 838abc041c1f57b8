// Photos of events: taken on intake, with the department's feedback and at the on-site verification.
// An upload is held unattached under the SHA-256 of a one-time token until a report or a workflow
// step claims it (so the resident's form needs no login); unclaimed uploads are dropped after a day.
// The bytes live in the database so that every app process on one database serves them.
import type { Kysely } from 'kysely';
import { blobType, dialectOf, idColumn } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  await db.schema
    .createTable('event_photos')
    .addColumn('id', 'integer', idColumn(dialect))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('event_id', 'integer', (c) => c.references('events.id'))
    .addColumn('history_id', 'integer', (c) => c.references('event_history.id'))
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', blobType(dialect), (c) => c.notNull())
    .addColumn('uploaded_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('attached_at', 'text')
    .execute();
  await db.schema.createIndex('event_photos_event').on('event_photos').columns(['event_id', 'id']).execute();
  await db.schema.createIndex('event_photos_history').on('event_photos').column('history_id').execute();
  await db.schema.createIndex('event_photos_user').on('event_photos').column('uploaded_by_user_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('event_photos').execute();
}
