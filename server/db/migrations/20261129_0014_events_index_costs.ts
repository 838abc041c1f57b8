// Every index on events and event_history is written by every report (ADR 0006). Three of them cost
// each report and served little:
// - event_history_path_time (node_path, at): no query reads the history by place and time (the
//   command feed reads escalations by (action, id), event_history_action); each report and each
//   step wrote an entry into one of ~1,000 places in it, one more page to the log a report.
// - events_due and events_duplicate_of held every event, though only events with a running clock
//   (the sweep, the overdue counts, whose queries all say `due_at < ?`) and the few marked as
//   duplicates (the foreign-key check on delete, `duplicate_of_id = ?`) are ever looked up there: a
//   new report has neither. Both databases use a partial index for such a condition.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('event_history_path_time').execute();
  await db.schema.dropIndex('events_due').execute();
  await db.schema
    .createIndex('events_due')
    .on('events')
    .column('due_at')
    .where(sql.raw<boolean>('due_at is not null'))
    .execute();
  await db.schema.dropIndex('events_duplicate_of').execute();
  await db.schema
    .createIndex('events_duplicate_of')
    .on('events')
    .column('duplicate_of_id')
    .where(sql.raw<boolean>('duplicate_of_id is not null'))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_duplicate_of').execute();
  await db.schema.createIndex('events_duplicate_of').on('events').column('duplicate_of_id').execute();
  await db.schema.dropIndex('events_due').execute();
  await db.schema.createIndex('events_due').on('events').column('due_at').execute();
  await db.schema
    .createIndex('event_history_path_time')
    .on('event_history')
    .columns(['node_path', 'at'])
    .execute();
}
