// SQL for people, households, tags, person history and import jobs.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import type { NewPerson, PersonRow } from '../../db/schema.js';
import { likeContains, subtreeRange } from '../../db/dialect.js';
import { insertRows } from '../../db/insert-rows.js';
import { inScopes } from '../../platform/actor.js';

export interface PeopleFilter {
  scopes: readonly string[];
  under?: string | undefined;
  namePrefix?: string | undefined;
  idBidx?: string | undefined;
  phoneBidx?: string | undefined;
  tags?: readonly string[] | undefined;
  type?: string | undefined;
}

function filtered(db: Executor, f: PeopleFilter) {
  let q = db
    .selectFrom('persons as p')
    .where('p.merged_into_id', 'is', null)
    .where((eb) => inScopes(eb, 'p.node_path', f.scopes));
  if (f.under) {
    const [lo, hi] = subtreeRange(f.under);
    q = q.where('p.node_path', '>=', lo).where('p.node_path', '<', hi);
  }
  if (f.idBidx) q = q.where('p.id_number_bidx', '=', f.idBidx);
  if (f.phoneBidx) q = q.where('p.phone_bidx', '=', f.phoneBidx);
  if (f.namePrefix) q = q.where(likeContains('p.name', f.namePrefix, 'prefix'));
  if (f.type) q = q.where('p.residence_type', '=', f.type);
  for (const tag of f.tags ?? []) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('person_tags as t')
          .select('t.person_id')
          .whereRef('t.person_id', '=', 'p.id')
          .where('t.tag_code', '=', tag),
      ),
    );
  }
  return q;
}

const summaryColumns = [
  'p.id',
  'p.name',
  'p.id_number_masked',
  'p.phone_masked',
  'p.gender',
  'p.birth_date',
  'p.residence_type',
  'p.node_id',
  'p.household_id',
  'p.address',
  'n.name as node_name',
  'n.full_code as node_full_code',
] as const;

export async function countPeople(db: Executor, f: PeopleFilter) {
  const r = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function listPeople(db: Executor, f: PeopleFilter, limit: number, offset: number) {
  // The page's ids come from the index alone (sorting index entries, not rows); then only those rows are read.
  const pageIds = filtered(db, f)
    .select('p.id')
    .orderBy('p.name')
    .orderBy('p.id')
    .limit(limit)
    .offset(offset);
  return db
    .selectFrom('persons as p')
    .innerJoin('nodes as n', 'n.id', 'p.node_id')
    .select(summaryColumns)
    .where('p.id', 'in', pageIds)
    .orderBy('p.name')
    .orderBy('p.id')
    .execute();
}
export type PersonSummaryRow = Awaited<ReturnType<typeof listPeople>>[number];

/** Every matching row with its encrypted fields, for export. */
export function exportPeople(db: Executor, f: PeopleFilter, limit: number) {
  return filtered(db, f)
    .innerJoin('nodes as n', 'n.id', 'p.node_id')
    .select([
      ...summaryColumns,
      'p.id_number_enc',
      'p.phone_enc',
      'p.ethnicity',
      'p.origin_region',
      'p.arrival_date',
      'p.notes',
    ])
    .orderBy('p.node_path')
    .orderBy('p.name')
    .limit(limit)
    .execute();
}

export function tagsOf(db: Executor, personIds: readonly number[]) {
  if (personIds.length === 0) return Promise.resolve([] as { person_id: number; tag_code: string }[]);
  return db
    .selectFrom('person_tags')
    .select(['person_id', 'tag_code'])
    .where('person_id', 'in', personIds)
    .orderBy('tag_code')
    .execute();
}

export function findPerson(db: Executor, id: number) {
  return db
    .selectFrom('persons as p')
    .innerJoin('nodes as n', 'n.id', 'p.node_id')
    .selectAll('p')
    .select(['n.name as node_name', 'n.full_code as node_full_code'])
    .where('p.id', '=', id)
    .executeTakeFirst();
}
export type PersonWithNode = NonNullable<Awaited<ReturnType<typeof findPerson>>>;

export function findByIdBidx(db: Executor, bidxs: readonly string[]) {
  if (bidxs.length === 0)
    return Promise.resolve([] as { id: number; id_number_bidx: string | null; node_path: string }[]);
  return db
    .selectFrom('persons')
    .select(['id', 'id_number_bidx', 'node_path'])
    .where('id_number_bidx', 'in', bidxs)
    .execute();
}

// Persons and their history rows go in multi-row statements whose SQL is written once per row count
// (insertRows): Kysely would build the 24,000 values of a 1,000-row insert as nodes, each batch anew.
const insertPersonRows = insertRows('persons', ['id']);
const insertHistoryRows = insertRows('person_history');
/** Rows per multi-row INSERT elsewhere: well under SQLite's 32,766 parameters. */
const INSERT_CHUNK = 1000;

/** Inserts persons (every row with every column) and returns their ids in the order given. */
export async function insertPeople(db: Executor, rows: NewPerson[]) {
  return (await insertPersonRows(db, rows)).map((r) => r.id);
}

export function updatePerson(db: Executor, id: number, set: Partial<PersonRow>) {
  return db.updateTable('persons').set(set).where('id', '=', id).execute();
}

export async function setTags(db: Executor, personId: number, tags: readonly string[]) {
  await db.deleteFrom('person_tags').where('person_id', '=', personId).execute();
  if (tags.length > 0)
    await db
      .insertInto('person_tags')
      .values(tags.map((t) => ({ person_id: personId, tag_code: t })))
      .execute();
}

export async function insertTags(db: Executor, rows: { person_id: number; tag_code: string }[]) {
  if (rows.length > 0)
    await db
      .insertInto('person_tags')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export async function addHistory(
  db: Executor,
  rows: { person_id: number; at: string; action: string; actor_label: string; detail: string | null }[],
) {
  await insertHistoryRows(db, rows);
}

export function historyOf(db: Executor, personId: number) {
  return db
    .selectFrom('person_history')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
}

export function listTags(db: Executor) {
  return db.selectFrom('tags').selectAll().orderBy('builtin', 'desc').orderBy('code').execute();
}

export function householdMembers(db: Executor, householdId: number) {
  return db
    .selectFrom('persons as p')
    .innerJoin('nodes as n', 'n.id', 'p.node_id')
    .select([...summaryColumns, 'p.relation_to_head'])
    .where('p.household_id', '=', householdId)
    .where('p.merged_into_id', 'is', null)
    .orderBy('p.id')
    .execute();
}

export function findHousehold(db: Executor, id: number) {
  return db
    .selectFrom('households as h')
    .innerJoin('nodes as n', 'n.id', 'h.node_id')
    .selectAll('h')
    .select('n.name as node_name')
    .where('h.id', '=', id)
    .executeTakeFirst();
}

/** Inserts households without heads and returns their ids in the order given. */
export async function insertHouseholds(
  db: Executor,
  rows: { node_id: number; node_path: string; address: string | null }[],
  now: string,
) {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const out = await db
      .insertInto('households')
      .values(
        rows
          .slice(i, i + INSERT_CHUNK)
          .map((h) => ({ ...h, head_person_id: null, created_at: now, updated_at: now })),
      )
      .returning('id')
      .execute();
    for (const r of out) ids.push(r.id);
  }
  return ids;
}

/** Names the heads of several households in one statement per chunk. */
export async function setHouseholdHeads(
  db: Executor,
  heads: { householdId: number; personId: number }[],
  now: string,
) {
  for (let i = 0; i < heads.length; i += INSERT_CHUNK) {
    const chunk = heads.slice(i, i + INSERT_CHUNK);
    await db
      .updateTable('households')
      .set((eb) => {
        // The cast keeps PostgreSQL from reading the THEN parameters as text.
        const head = (id: number) => sql<number>`cast(${id} as integer)`;
        let c = eb.case('id').when(chunk[0]!.householdId).then(head(chunk[0]!.personId));
        for (const h of chunk.slice(1)) c = c.when(h.householdId).then(head(h.personId));
        return { head_person_id: c.end(), updated_at: now };
      })
      .where(
        'id',
        'in',
        chunk.map((h) => h.householdId),
      )
      .execute();
  }
}

export function listHouseholds(
  db: Executor,
  f: { scopes: readonly string[]; under?: string | undefined; q?: string | undefined },
  limit: number,
  offset: number,
) {
  let q = db.selectFrom('households as h').where((eb) => inScopes(eb, 'h.node_path', f.scopes));
  if (f.under) {
    const [lo, hi] = subtreeRange(f.under);
    q = q.where('h.node_path', '>=', lo).where('h.node_path', '<', hi);
  }
  // A household is found by its address or by its head's name.
  if (f.q) {
    const text = f.q;
    q = q.where((eb) =>
      eb.or([
        likeContains('h.address', text),
        eb.exists(
          eb
            .selectFrom('persons as hp')
            .select('hp.id')
            .whereRef('hp.id', '=', 'h.head_person_id')
            .where(likeContains('hp.name', text, 'prefix')),
        ),
      ]),
    );
  }
  const count = q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const items = q
    .innerJoin('nodes as n', 'n.id', 'h.node_id')
    .leftJoin('persons as head', 'head.id', 'h.head_person_id')
    .select((eb) => [
      'h.id',
      'h.address',
      'h.node_id',
      'n.name as node_name',
      'head.name as head_name',
      eb
        .selectFrom('persons as m')
        .select((e) => e.fn.countAll<number>().as('c'))
        .whereRef('m.household_id', '=', 'h.id')
        .where('m.merged_into_id', 'is', null)
        .as('member_count'),
    ])
    .orderBy('h.node_path')
    .orderBy('h.id')
    .limit(limit)
    .offset(offset)
    .execute();
  return Promise.all([count, items]).then(([c, rows]) => ({ total: Number(c.n), rows }));
}
