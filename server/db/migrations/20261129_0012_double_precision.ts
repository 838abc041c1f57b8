// `real` is an 8-byte float on SQLite but a 4-byte one on PostgreSQL: there a map point kept about
// seven digits (119.70139999 came back as 119.7014, a metre off, and the intake answer no longer
// equalled a read), and hour sums lost cents. PostgreSQL's columns become double precision, as
// SQLite's always were.
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

const COLUMNS: [table: string, column: string][] = [
  ['nodes', 'centroid_lat'],
  ['nodes', 'centroid_lng'],
  ['event_categories', 'sign_hours'],
  ['event_categories', 'handle_hours'],
  ['event_categories', 'verify_hours'],
  ['events', 'lat'],
  ['events', 'lng'],
  ['event_kpi_daily', 'handling_hours'],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function retype(db: Kysely<any>, type: 'double precision' | 'real') {
  if (dialectOf(db) !== 'postgres') return;
  for (const [table, column] of COLUMNS)
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} type ${sql.raw(type)}`.execute(
      db,
    );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await retype(db, 'double precision');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await retype(db, 'real');
}
