// Writes the demo's residents: households, people (ID number and phone encrypted with the
// deployment's key, through the people module's own protectedColumns) and tags. Built for 700,000
// rows in well under a minute: generated and written in chunks of 500 people, multi-row INSERTs
// with explicit ids (no RETURNING round trips), the secondary indexes built once at the end
// instead of row by row, and on PostgreSQL the next chunk encrypted while the last one is written.
import { setImmediate as nextTick } from 'node:timers/promises';
import { CompiledQuery, sql } from 'kysely';
import type { Database, Executor } from '../db/index.js';
import { dialectOf, type DialectName } from '../db/dialect.js';
import type { PiiCipher } from '../platform/pii.js';
import { protectedColumns } from '../modules/people/index.js';
import type { DemoScale } from './layout.js';
import { demoHouseholds, type DemoGrid } from './people.js';

/** People per chunk, one INSERT each: on SQLite 24 columns × 500 = 12,000 placeholders (its limit is 32,766); on PostgreSQL one array a column. */
const CHUNK = 500;

const PERSON_COLUMNS = [
  'id',
  'node_id',
  'node_path',
  'name',
  'id_number_enc',
  'id_number_bidx',
  'id_number_masked',
  'phone_enc',
  'phone_bidx',
  'phone_masked',
  'gender',
  'birth_date',
  'ethnicity',
  'household_id',
  'relation_to_head',
  'address',
  'residence_type',
  'arrival_date',
  'origin_region',
  'no_id_reason',
  'notes',
  'merged_into_id',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof Database['persons'])[];
const HOUSEHOLD_COLUMNS = [
  'id',
  'node_id',
  'node_path',
  'address',
  'head_person_id',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof Database['households'])[];
const TAG_COLUMNS = ['person_id', 'tag_code'] as const satisfies readonly (keyof Database['person_tags'])[];

const DEMO_TABLES = ['households', 'persons', 'person_tags'] as const;

export interface PeopleCounts {
  people: number;
  households: number;
  floating: number;
  returnee: number;
  tags: Record<string, number>;
}

const INTEGER_COLUMNS = new Set([
  'id',
  'node_id',
  'household_id',
  'merged_into_id',
  'head_person_id',
  'person_id',
]);
const statements = new Map<string, string>();

/**
 * SQLite: `insert into t (cols) values (?, …), (?, …)…`, one placeholder a value.
 * PostgreSQL: `insert into t (cols) select * from unnest($1::integer[], $2::text[], …)`, one array
 * a column: the statement stays small, so the server does not parse and plan 12,000 placeholders a chunk.
 */
function insertSql(dialect: DialectName, table: string, columns: readonly string[], rows: number): string {
  const key = dialect === 'postgres' ? `${dialect} ${table}` : `${dialect} ${table} ${rows}`;
  let text = statements.get(key);
  if (text === undefined) {
    const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')})`;
    if (dialect === 'postgres') {
      text = `${head} select * from unnest(${columns.map((c, i) => `$${i + 1}::${INTEGER_COLUMNS.has(c) ? 'integer' : 'text'}[]`).join(', ')})`;
    } else {
      const one = `(${columns.map(() => '?').join(', ')})`;
      text = `${head} values ${Array.from({ length: rows }, () => one).join(', ')}`;
    }
    statements.set(key, text);
  }
  return text;
}

/**
 * Rows given as one flat array of values in column order, sent as a precompiled statement:
 * building Kysely's query tree for 12,000 values a chunk cost about as much as SQLite's own work.
 */
async function insertFlat(
  x: Executor,
  dialect: DialectName,
  table: string,
  columns: readonly string[],
  values: unknown[],
): Promise<void> {
  if (values.length === 0) return;
  const rows = values.length / columns.length;
  let params = values;
  if (dialect === 'postgres') {
    params = columns.map((_, c) => {
      const column = new Array<unknown>(rows);
      for (let r = 0; r < rows; r++) column[r] = values[r * columns.length + c];
      return column;
    });
  }
  await x.executeQuery(CompiledQuery.raw(insertSql(dialect, table, columns, rows), params));
}

/**
 * Drops the secondary indexes of empty tables and returns how to build them again. Built once over
 * the loaded rows, the two blind indexes (random keys) cost a fraction of maintaining them per row.
 * The definitions come from the database's own catalogue, so they come back exactly as migrated.
 */
async function dropIndexes(
  x: Executor,
  dialect: DialectName,
  tables: readonly string[],
): Promise<() => Promise<void>> {
  const list = sql.join(tables.map((t) => sql.lit(t)));
  const { rows } =
    dialect === 'postgres'
      ? await sql<{ name: string; def: string }>`
          select ic.relname as name, pg_get_indexdef(ic.oid) as def
          from pg_index x
          join pg_class ic on ic.oid = x.indexrelid
          join pg_class t on t.oid = x.indrelid
          join pg_namespace ns on ns.oid = t.relnamespace
          where ns.nspname = current_schema() and t.relname in (${list})
            and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
          order by ic.relname`.execute(x)
      : await sql<{ name: string; def: string }>`
          select name, sql as def from sqlite_master
          where type = 'index' and tbl_name in (${list}) and sql is not null
          order by name`.execute(x);
  for (const r of rows) await sql`drop index ${sql.id(r.name)}`.execute(x);
  return async () => {
    for (const r of rows) await sql.raw(r.def).execute(x);
  };
}

/**
 * Seeds the demo's residents into the given grids, inside the caller's transaction. The tables
 * must be empty: new ids start after the largest there is, and sequences are moved past them.
 */
export async function seedPeople(
  x: Executor,
  opts: { pii: PiiCipher; grids: readonly DemoGrid[]; scale: DemoScale; now: string },
): Promise<PeopleCounts> {
  const { pii, now } = opts;
  const dialect = dialectOf(x);
  const max = async (table: 'persons' | 'households') =>
    Number(
      (
        await x
          .selectFrom(table)
          .select((eb) => eb.fn.max<number>('id').as('m'))
          .executeTakeFirst()
      )?.m ?? 0,
    );
  let personId = await max('persons');
  let householdId = await max('households');
  const counts: PeopleCounts = { people: 0, households: 0, floating: 0, returnee: 0, tags: {} };
  const rebuildIndexes = await dropIndexes(x, dialect, DEMO_TABLES);

  let households: unknown[] = [];
  let persons: unknown[] = [];
  let tags: unknown[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  /** Sends the chunk; it is written (on PostgreSQL) while the next one is generated and encrypted. */
  const flush = async () => {
    await inFlight;
    const [h, p, t] = [households, persons, tags];
    households = [];
    persons = [];
    tags = [];
    inFlight = (async () => {
      // Households first: people refer to them.
      await insertFlat(x, dialect, 'households', HOUSEHOLD_COLUMNS, h);
      await insertFlat(x, dialect, 'persons', PERSON_COLUMNS, p);
      await insertFlat(x, dialect, 'person_tags', TAG_COLUMNS, t);
    })();
    // Handled when awaited; this keeps a failure from counting as unhandled meanwhile.
    inFlight.catch(() => undefined);
    // Lets the statements go out before the CPU-bound work on the next chunk.
    await nextTick();
  };

  let sinceYield = 0;
  for (const hh of demoHouseholds(opts.grids, opts.scale)) {
    const { grid } = hh;
    const hid = ++householdId;
    households.push(hid, grid.id, grid.path, hh.address, personId + 1, now, now);
    counts.households++;
    for (const p of hh.members) {
      const pid = ++personId;
      const prot = protectedColumns(pii, p.idNumber, p.phone);
      persons.push(
        pid,
        grid.id,
        grid.path,
        p.name,
        prot.id_number_enc,
        prot.id_number_bidx,
        prot.id_number_masked,
        prot.phone_enc,
        prot.phone_bidx,
        prot.phone_masked,
        p.gender,
        p.birthDate,
        p.ethnicity,
        hid,
        p.relation,
        hh.address,
        p.residenceType,
        p.arrivalDate,
        p.originRegion,
        p.noIdReason,
        null,
        null,
        now,
        now,
      );
      for (const tag of p.tags) {
        tags.push(pid, tag);
        counts.tags[tag] = (counts.tags[tag] ?? 0) + 1;
      }
      counts.people++;
      if (p.residenceType === 'floating') counts.floating++;
      else if (p.residenceType === 'returnee') counts.returnee++;
    }
    if (persons.length >= CHUNK * PERSON_COLUMNS.length) await flush();
    // On PostgreSQL, answers to the statements in flight are read between slices of work.
    else if (dialect === 'postgres' && (sinceYield += hh.members.length) >= 100) {
      sinceYield = 0;
      await nextTick();
    }
  }
  await flush();
  await inFlight;

  await rebuildIndexes();
  if (dialect === 'postgres') {
    // Explicit ids leave the identity sequences behind: move them past the rows.
    for (const [table, last] of [
      ['persons', personId],
      ['households', householdId],
    ] as const) {
      if (last > 0) await sql`select setval(pg_get_serial_sequence(${table}, 'id'), ${last})`.execute(x);
    }
  }
  return counts;
}
