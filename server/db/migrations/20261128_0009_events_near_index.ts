// The possible-duplicates check on every report looks for open events of one sub-category within a
// few dozen metres: by latitude the range is a sliver of the district, where the (category, time)
// index reads every event of the category in the last week (a busy category: thousands per report).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('events_category_lat')
    .on('events')
    .columns(['category_id', 'lat', 'lng'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_category_lat').execute();
}
