// The possible-duplicates check on every report wants open events of a sub-category within a few
// dozen metres. At a million events, the (category, lat, lng) index held every event ever reported
// there: a report's check read hundreds of closed ones from the table to drop them (0.32 ms of each
// report's 1.1 ms in the bench). Only open events can be duplicates, and few are open at any time:
// the index holds just those. Queries must name the states as these literals, in this order, for
// SQLite to see that the index applies (events.repository.ts: openEventsNear).
import { sql, type Kysely } from 'kysely';

const OPEN_EVENT_STATES = [
  'reported',
  'accepted',
  'dispatched',
  'returned',
  'in_progress',
  'extension_requested',
  'parked',
  'handled',
  'reopened',
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('events_open_near')
    .on('events')
    .columns(['category_id', 'lat', 'lng'])
    .where(sql.raw<boolean>(`state in (${OPEN_EVENT_STATES.map((s) => `'${s}'`).join(', ')})`))
    .execute();
  await db.schema.dropIndex('events_category_lat').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('events_category_lat')
    .on('events')
    .columns(['category_id', 'lat', 'lng'])
    .execute();
  await db.schema.dropIndex('events_open_near').execute();
}
