// Minutes credited per volunteer per local year, beside the months: a year's ranking reads one row a
// volunteer instead of twelve (bench/README.md, `services`). Keyed with the organisation and home of
// the credit, as the months are, so that a year's figures under any place or organisation equal the
// sum of its months. Filled from the months already credited.
import { sql, type Kysely } from 'kysely';
import { dialectOf, pathType } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const path = pathType(dialectOf(db));
  await db.schema
    .createTable('volunteer_hours_yearly')
    .addColumn('volunteer_id', 'integer', (c) => c.notNull().references('volunteers.id'))
    .addColumn('year', 'text', (c) => c.notNull())
    .addColumn('org_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('home_path', path, (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('volunteer_hours_yearly_pk', ['volunteer_id', 'year', 'org_id', 'home_path'])
    .execute();
  // Covering, as volunteer_hours_month: a year's ranking under a place sums from the index alone.
  await db.schema
    .createIndex('volunteer_hours_yearly_year')
    .on('volunteer_hours_yearly')
    .columns(['year', 'home_path', 'volunteer_id', 'org_id', 'minutes'])
    .execute();
  await sql`insert into volunteer_hours_yearly (volunteer_id, year, org_id, home_path, minutes)
    select volunteer_id, substr(month, 1, 4), org_id, home_path, sum(minutes) from volunteer_hours
    group by volunteer_id, substr(month, 1, 4), org_id, home_path`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('volunteer_hours_yearly').execute();
}
