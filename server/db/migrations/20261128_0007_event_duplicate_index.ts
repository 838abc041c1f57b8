// Every foreign key gets an index: without one on duplicate_of_id, each event deleted or re-keyed
// makes the database scan every event for references (measured: minutes for 2,000 deletes at 1M).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('events_duplicate_of').on('events').column('duplicate_of_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_duplicate_of').execute();
}
