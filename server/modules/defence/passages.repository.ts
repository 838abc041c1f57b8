// SQL of passages, the people aboard, idempotency keys, hourly counts, risk rules and hand-offs.
// No rules here: passages.service.ts decides.
import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../db/index.js';
import { likeContains, subtreeRange } from '../../db/dialect.js';
import { insertRows } from '../../db/insert-rows.js';
import type { HandoffsTable, PassagesTable } from '../../db/schema.js';
import { inScopes } from '../../platform/actor.js';

// ------------------------------------------------------------------ registration
/**
 * The ids of a multi-row insert in the order of its rows: RETURNING promises no order, but the ids
 * are drawn from the sequence (the rowid) in the order of the rows, so ascending is that order.
 */
const inOrder = (rows: readonly { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);
export function findIdempotency(x: Executor, userId: number, key: string) {
  return x
    .selectFrom('passage_idempotency')
    .select(['body_hash', 'passage_id'])
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst();
}
/** The keys already claimed among these (user, key) pairs: a batch's copies and retries. */
export function findIdempotencyMany(x: Executor, pairs: readonly { userId: number; key: string }[]) {
  if (pairs.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('passage_idempotency')
    .select(['user_id', 'key', 'body_hash', 'passage_id'])
    .where((eb) => eb.or(pairs.map((p) => eb.and([eb('user_id', '=', p.userId), eb('key', '=', p.key)]))))
    .execute();
}
const insertIdempotencyRows = insertRows('passage_idempotency');
/** A batch's keys in one statement (a clash with another writer's key fails it: the batch is retried one by one). */
export async function insertIdempotencyMany(
  x: Executor,
  rows: readonly {
    user_id: number;
    key: string;
    body_hash: string;
    passage_id: number;
    created_at: string;
  }[],
) {
  await insertIdempotencyRows(x, rows);
}
const insertPassageRows = insertRows('passages', ['id']);
/** A batch's passages in one statement; answers their ids in order. */
export async function insertPassages(x: Executor, rows: readonly Insertable<PassagesTable>[]) {
  return inOrder(await insertPassageRows(x, rows));
}
const insertPeopleRows = insertRows('passage_people', ['id']);
export type PassagePersonInsert = Parameters<typeof insertPeopleRows>[1][number];
/** The people aboard in one statement; answers their ids in order. */
export async function insertPeople(x: Executor, rows: readonly PassagePersonInsert[]) {
  return inOrder(await insertPeopleRows(x, rows));
}
/** The registry's people with these ID numbers' blind indexes (merged ones point at the survivor). */
export function personsByIdBidx(x: Executor, bidx: readonly string[]) {
  if (bidx.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('persons')
    .select(['id', 'id_number_bidx', 'merged_into_id'])
    .where('id_number_bidx', 'in', bidx)
    .execute();
}
/** Adds a batch's passages to their checkpoints' hours: one row a (checkpoint, hour), summed first. */
export async function bumpHourlyMany(
  x: Executor,
  rows: readonly {
    checkpoint_id: number;
    node_path: string;
    hour: string;
    in: number;
    out: number;
    risky: number;
  }[],
) {
  const sums = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const k = `${r.checkpoint_id} ${r.hour}`;
    const s = sums.get(k);
    if (s) {
      s.in += r.in;
      s.out += r.out;
      s.risky += r.risky;
    } else sums.set(k, { ...r });
  }
  if (sums.size === 0) return;
  await x
    .insertInto('passage_hourly')
    .values(
      [...sums.values()].map((v) => ({
        checkpoint_id: v.checkpoint_id,
        node_path: v.node_path,
        hour: v.hour,
        in_count: v.in,
        out_count: v.out,
        risky_count: v.risky,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['checkpoint_id', 'hour']).doUpdateSet((eb) => ({
        in_count: sql<number>`${eb.ref('passage_hourly.in_count')} + ${eb.ref('excluded.in_count')}`,
        out_count: sql<number>`${eb.ref('passage_hourly.out_count')} + ${eb.ref('excluded.out_count')}`,
        risky_count: sql<number>`${eb.ref('passage_hourly.risky_count')} + ${eb.ref('excluded.risky_count')}`,
      })),
    )
    .execute();
}
export function checkpointsForPassages(x: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('checkpoints')
    .select(['id', 'name', 'node_path', 'command_id', 'status'])
    .where('id', 'in', ids)
    .execute();
}
export function nodeBriefs(x: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('nodes')
    .select(['id', 'name', 'path', 'level', 'parent_id', 'retired_at'])
    .where('id', 'in', ids)
    .execute();
}
export function riskRulesOf(x: Executor, commandIds: readonly number[]) {
  if (commandIds.length === 0) return Promise.resolve([]);
  return x.selectFrom('risk_rules').selectAll().where('command_id', 'in', commandIds).execute();
}
export function findCheckpointForPassage(x: Executor, id: number) {
  return x
    .selectFrom('checkpoints')
    .select(['id', 'name', 'node_path', 'command_id', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
}
export function rootCode(x: Executor) {
  return x
    .selectFrom('nodes')
    .select('code')
    .where('parent_id', 'is', null)
    .orderBy('id')
    .executeTakeFirst()
    .then((r) => r?.code ?? null);
}

// ------------------------------------------------------------------ reading passages
const passageColumns = [
  'p.id',
  'p.checkpoint_id',
  'c.name as checkpoint_name',
  'p.node_path',
  'p.command_id',
  'p.direction',
  'p.plate',
  'p.vehicle_type',
  'p.origin_region',
  'p.destination_node_id',
  'dn.name as destination_node_name',
  'p.destination_region',
  'p.purpose',
  'p.risky',
  'p.registered_at',
  'p.registered_by_user_id',
  'u.display_name as registered_by_name',
] as const;
const passageSelect = (x: Executor) =>
  x
    .selectFrom('passages as p')
    .innerJoin('checkpoints as c', 'c.id', 'p.checkpoint_id')
    .innerJoin('users as u', 'u.id', 'p.registered_by_user_id')
    .leftJoin('nodes as dn', 'dn.id', 'p.destination_node_id')
    .select(passageColumns);
export function findPassage(x: Executor, id: number) {
  return passageSelect(x).where('p.id', '=', id).executeTakeFirst();
}
export type PassageRow = NonNullable<Awaited<ReturnType<typeof findPassage>>>;

export interface PassageFilter {
  scopes: readonly string[];
  under?: string;
  plate?: string;
  idBidx?: string;
  namePrefix?: string;
  checkpointId?: number;
  direction?: 'in' | 'out';
  risky?: boolean;
  from?: string;
  to?: string;
}
function filtered(x: Executor, f: PassageFilter) {
  let q = x.selectFrom('passages as p').where((eb) => inScopes(eb, 'p.node_path', f.scopes));
  if (f.under !== undefined) {
    const [lo, hi] = subtreeRange(f.under);
    q = q.where('p.node_path', '>=', lo).where('p.node_path', '<', hi);
  }
  if (f.plate !== undefined) q = q.where('p.plate', '=', f.plate);
  if (f.checkpointId !== undefined) q = q.where('p.checkpoint_id', '=', f.checkpointId);
  if (f.direction !== undefined) q = q.where('p.direction', '=', f.direction);
  if (f.risky !== undefined) q = q.where('p.risky', '=', f.risky ? 1 : 0);
  if (f.from !== undefined) q = q.where('p.registered_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('p.registered_at', '<', f.to);
  if (f.idBidx !== undefined) {
    const bidx = f.idBidx;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('passage_people as pp')
          .select('pp.id')
          .whereRef('pp.passage_id', '=', 'p.id')
          .where('pp.id_number_bidx', '=', bidx),
      ),
    );
  }
  if (f.namePrefix !== undefined) {
    const prefix = f.namePrefix;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('passage_people as pp')
          .select('pp.id')
          .whereRef('pp.passage_id', '=', 'p.id')
          .where(likeContains('pp.name', prefix, 'prefix')),
      ),
    );
  }
  return q;
}
export async function listPassages(x: Executor, f: PassageFilter, limit: number, offset: number) {
  // The page with its joins in one statement (its 20 rows joined, not the filter's), beside the count.
  const [total, rows] = await Promise.all([
    filtered(x, f)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n)),
    filtered(x, f)
      .innerJoin('checkpoints as c', 'c.id', 'p.checkpoint_id')
      .innerJoin('users as u', 'u.id', 'p.registered_by_user_id')
      .leftJoin('nodes as dn', 'dn.id', 'p.destination_node_id')
      .select(passageColumns)
      .orderBy('p.registered_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return { total, rows };
}

const personColumns = [
  'pp.id',
  'pp.passage_id',
  'pp.name',
  'pp.id_number_masked',
  'pp.phone_masked',
  'pp.no_id_reason',
  'pp.person_id',
  'pp.risky',
  'pp.reasons',
  'pp.temperature',
  'h.id as handoff_id',
] as const;
export function peopleOf(x: Executor, passageIds: readonly number[]) {
  if (passageIds.length === 0) return Promise.resolve([]);
  return (
    x
      .selectFrom('passage_people as pp')
      // By the passage too: handoffs_passage finds a passage's hand-offs (none indexes the person).
      .leftJoin('handoffs as h', (j) =>
        j.onRef('h.passage_id', '=', 'pp.passage_id').onRef('h.passage_person_id', '=', 'pp.id'),
      )
      .select(personColumns)
      .where('pp.passage_id', 'in', passageIds)
      .orderBy('pp.passage_id')
      .orderBy('pp.id')
      .execute()
  );
}
export type PassagePersonRow = Awaited<ReturnType<typeof peopleOf>>[number];

/** The latest passage with this plate within the scopes, and its people. */
export function latestByPlate(x: Executor, scopes: readonly string[], plate: string) {
  return passageSelect(x)
    .where((eb) => inScopes(eb, 'p.node_path', scopes))
    .where('p.plate', '=', plate)
    .orderBy('p.registered_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
/** The latest registration of a traveller with this ID number's blind index within the scopes. */
export function latestByIdBidx(x: Executor, scopes: readonly string[], bidx: string) {
  return x
    .selectFrom('passage_people as pp')
    .innerJoin('passages as p', 'p.id', 'pp.passage_id')
    .select(['pp.id', 'pp.passage_id'])
    .where((eb) => inScopes(eb, 'p.node_path', scopes))
    .where('pp.id_number_bidx', '=', bidx)
    .orderBy('p.registered_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
/** The protected columns of travellers recalled (for a registration by recall token). */
export function protectedOf(x: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('passage_people')
    .select([
      'id',
      'name',
      'id_number_enc',
      'id_number_bidx',
      'id_number_masked',
      'phone_enc',
      'phone_bidx',
      'phone_masked',
    ])
    .where('id', 'in', ids)
    .execute();
}

// ------------------------------------------------------------------ statistics
export function hourly(
  x: Executor,
  scopes: readonly string[],
  f: { checkpointId?: number; under?: string; from: string; to: string },
) {
  let q = x
    .selectFrom('passage_hourly as h')
    .select((eb) => [
      'h.hour',
      eb.fn.sum<number | string>('h.in_count').as('in_count'),
      eb.fn.sum<number | string>('h.out_count').as('out_count'),
      eb.fn.sum<number | string>('h.risky_count').as('risky_count'),
    ])
    .where((eb) => inScopes(eb, 'h.node_path', scopes))
    .where('h.hour', '>=', f.from)
    .where('h.hour', '<', f.to);
  if (f.checkpointId !== undefined) q = q.where('h.checkpoint_id', '=', f.checkpointId);
  if (f.under !== undefined) {
    const [lo, hi] = subtreeRange(f.under);
    q = q.where('h.node_path', '>=', lo).where('h.node_path', '<', hi);
  }
  return q.groupBy('h.hour').orderBy('h.hour').execute();
}

/** Risky travellers of a command bound outside the district, per destination region. */
export async function outboundRisk(
  x: Executor,
  scopes: readonly string[],
  commandId: number,
  limit: number,
  offset: number,
) {
  const base = x
    .selectFrom('passages as p')
    .innerJoin('passage_people as pp', 'pp.passage_id', 'p.id')
    .where('p.command_id', '=', commandId)
    .where('p.risky', '=', 1)
    .where('pp.risky', '=', 1)
    .where('p.destination_region', 'is not', null)
    .where((eb) => inScopes(eb, 'p.node_path', scopes));
  const [total, rows] = await Promise.all([
    base
      .select((eb) => eb.fn.count<number | string>('p.destination_region').distinct().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n)),
    base
      .select((eb) => [
        'p.destination_region',
        eb.fn.countAll<number | string>().as('travellers'),
        eb.fn.count<number | string>('p.id').distinct().as('passages'),
        eb.fn.max('p.registered_at').as('last_at'),
      ])
      .groupBy('p.destination_region')
      .orderBy('travellers', 'desc')
      .orderBy('p.destination_region')
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return { total, rows };
}

// ------------------------------------------------------------------ risk rules
export function findRiskRules(x: Executor, commandId: number) {
  return x.selectFrom('risk_rules').selectAll().where('command_id', '=', commandId).executeTakeFirst();
}
export async function saveRiskRules(
  x: Executor,
  v: {
    command_id: number;
    key_regions: string;
    key_region_14d_risky: number;
    case_contact_risky: number;
    fever_at: number;
    handoff_hours: number;
    retention_days: number;
    updated_by_user_id: number;
    updated_at: string;
  },
) {
  const { command_id: _c, ...set } = v;
  await x
    .insertInto('risk_rules')
    .values(v)
    .onConflict((oc) => oc.column('command_id').doUpdateSet(set))
    .execute();
}
export function findCommandBrief(x: Executor, id: number) {
  return x
    .selectFrom('incident_commands')
    .select(['id', 'node_path', 'closed_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// ------------------------------------------------------------------ hand-offs
const insertHandoffRows = insertRows('handoffs', ['id']);
export async function insertHandoffs(x: Executor, rows: readonly Insertable<HandoffsTable>[]) {
  return inOrder(await insertHandoffRows(x, rows));
}
const insertHistoryRows = insertRows('handoff_history');
export async function addHistory(
  x: Executor,
  rows: readonly {
    handoff_id: number;
    at: string;
    action: 'create' | 'visit' | 'close' | 'escalate';
    actor_user_id: number | null;
    note: string | null;
  }[],
) {
  if (rows.length > 0) await insertHistoryRows(x, rows);
}
const handoffColumns = [
  'h.id',
  'h.state',
  'h.passage_id',
  'h.passage_person_id',
  'h.checkpoint_id',
  'c.name as checkpoint_name',
  'h.command_id',
  'h.node_id',
  'n.name as node_name',
  'h.node_path',
  'h.due_at',
  'h.overdue',
  'h.escalated_at',
  'h.created_at',
] as const;
const handoffSelect = (x: Executor) =>
  x
    .selectFrom('handoffs as h')
    .innerJoin('checkpoints as c', 'c.id', 'h.checkpoint_id')
    .innerJoin('nodes as n', 'n.id', 'h.node_id')
    .select(handoffColumns);
export function findHandoff(x: Executor, id: number) {
  return handoffSelect(x).where('h.id', '=', id).executeTakeFirst();
}
export type HandoffRow = NonNullable<Awaited<ReturnType<typeof findHandoff>>>;
/** Open hand-offs in the scopes: overdue first, then by due time. */
export function openHandoffs(x: Executor, scopes: readonly string[], limit: number) {
  return handoffSelect(x)
    .where((eb) => inScopes(eb, 'h.node_path', scopes))
    .where('h.state', '=', 'open')
    .orderBy('h.overdue', 'desc')
    .orderBy('h.due_at')
    .orderBy('h.id')
    .limit(limit)
    .execute();
}
export async function listHandoffs(
  x: Executor,
  scopes: readonly string[],
  f: { under?: string; state?: 'open' | 'visited' | 'closed' },
  limit: number,
  offset: number,
) {
  const where = <Q extends ReturnType<typeof handoffSelect>>(q: Q) => {
    let r = q.where((eb) => inScopes(eb, 'h.node_path', scopes));
    if (f.under !== undefined) {
      const [lo, hi] = subtreeRange(f.under);
      r = r.where('h.node_path', '>=', lo).where('h.node_path', '<', hi);
    }
    if (f.state !== undefined) r = r.where('h.state', '=', f.state);
    return r;
  };
  const [total, rows] = await Promise.all([
    where(handoffSelect(x))
      .clearSelect()
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n)),
    where(handoffSelect(x))
      .orderBy('h.created_at', 'desc')
      .orderBy('h.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return { total, rows };
}
/** Moves a hand-off on from the state it was read in; answers whether it did (0 when someone was first). */
export function setHandoffState(
  x: Executor,
  id: number,
  from: string,
  v: { state: 'visited' | 'closed'; updated_at: string },
) {
  return x
    .updateTable('handoffs')
    .set(v)
    .where('id', '=', id)
    .where('state', '=', from as 'open')
    .executeTakeFirst()
    .then((r) => Number(r.numUpdatedRows) > 0);
}
/** Open hand-offs past due and not yet escalated. */
export function pastDueHandoffs(x: Executor, at: string, limit: number) {
  return handoffSelect(x)
    .where('h.state', '=', 'open')
    .where('h.due_at', '<', at)
    .where('h.escalated_at', 'is', null)
    .orderBy('h.due_at')
    .limit(limit)
    .execute();
}
export function markEscalated(x: Executor, id: number, at: string) {
  return x
    .updateTable('handoffs')
    .set({ overdue: 1, escalated_at: at, updated_at: at })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .where('escalated_at', 'is', null)
    .executeTakeFirst()
    .then((r) => Number(r.numUpdatedRows) > 0);
}

// ------------------------------------------------------------------ retention
/** Closed commands whose passages are past their retention, with the days kept. */
export function commandsPastRetention(x: Executor) {
  return x
    .selectFrom('incident_commands as ic')
    .leftJoin('risk_rules as r', 'r.command_id', 'ic.id')
    .select(['ic.id', 'ic.node_path', 'ic.closed_at', 'r.retention_days'])
    .where('ic.closed_at', 'is not', null)
    .where((eb) =>
      eb.exists(eb.selectFrom('passages as p').select('p.id').whereRef('p.command_id', '=', 'ic.id')),
    )
    .execute();
}
/** Deletes a command's passages with their people, keys and hand-offs; answers how many passages. */
export async function deletePassagesOfCommand(x: Executor, commandId: number) {
  const ids = x.selectFrom('passages').select('id').where('command_id', '=', commandId);
  await x
    .deleteFrom('handoff_history')
    .where('handoff_id', 'in', x.selectFrom('handoffs').select('id').where('passage_id', 'in', ids))
    .execute();
  await x.deleteFrom('handoffs').where('passage_id', 'in', ids).execute();
  await x.deleteFrom('passage_idempotency').where('passage_id', 'in', ids).execute();
  await x.deleteFrom('passage_people').where('passage_id', 'in', ids).execute();
  const r = await x.deleteFrom('passages').where('command_id', '=', commandId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The registry's places of these people (travellers linked by the blind index), merged ones left out. */
export function registryPaths(x: Executor, personIds: readonly number[]) {
  if (personIds.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('persons')
    .select(['id', 'node_path'])
    .where('id', 'in', personIds)
    .where('merged_into_id', 'is', null)
    .execute();
}
