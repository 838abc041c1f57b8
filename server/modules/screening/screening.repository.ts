// Screening sweeps' SQL: questionnaires, sweeps, their targets and the seconded cadres paired with
// grids. Progress is read from live_counters (kept by the service in each change's transaction).
import { sql, type Insertable, type Selectable } from 'kysely';
import { VISIT_OUTCOMES, finishes } from '../../../common/contracts/screening-codes.js';
import { ancestorPaths } from '../../../common/tree.js';
import { subtreeRange } from '../../db/dialect.js';
import type { Executor } from '../../db/index.js';
import { insertRows } from '../../db/insert-rows.js';
import type { SweepsTable, SweepTargetsTable } from '../../db/schema.js';

export type SweepRow = Selectable<SweepsTable>;
export type TargetRow = Selectable<SweepTargetsTable>;

// ------------------------------------------------------------------ questionnaires
export function findQuestionnaire(x: Executor, id: number) {
  return x.selectFrom('questionnaires').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function lastVersion(x: Executor, code: string) {
  const r = await x
    .selectFrom('questionnaires')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('code', '=', code)
    .executeTakeFirst();
  return Number(r?.v ?? 0);
}
export async function insertQuestionnaire(
  x: Executor,
  v: {
    code: string;
    version: number;
    title_zh: string;
    title_en: string;
    definition: string;
    created_by_user_id: number;
    created_at: string;
  },
) {
  const r = await x.insertInto('questionnaires').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
/** The newest version of each questionnaire. */
export function latestQuestionnaires(x: Executor) {
  return x
    .selectFrom('questionnaires as q')
    .select(['q.id', 'q.code', 'q.version', 'q.title_zh', 'q.title_en', 'q.created_at'])
    .where('q.version', '=', (eb) =>
      eb
        .selectFrom('questionnaires as q2')
        .select((e) => e.fn.max('q2.version').as('v'))
        .whereRef('q2.code', '=', 'q.code'),
    )
    .orderBy('q.code')
    .execute();
}

// ------------------------------------------------------------------ sweeps
export async function insertSweep(x: Executor, v: Insertable<SweepsTable>) {
  const r = await x.insertInto('sweeps').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
/** Sweeps with the names they are shown with: their place, command and questionnaire. */
const withNames = (x: Executor) =>
  x
    .selectFrom('sweeps as s')
    .innerJoin('nodes as n', 'n.id', 's.node_id')
    .innerJoin('incident_commands as c', 'c.id', 's.command_id')
    .innerJoin('questionnaires as q', 'q.id', 's.questionnaire_id')
    .selectAll('s')
    .select([
      'n.name as node_name',
      'c.name as command_title',
      'q.code as q_code',
      'q.version as q_version',
      'q.title_zh as q_title_zh',
      'q.title_en as q_title_en',
    ]);
/** Sweeps over, inside or above any of the paths, and those the user is paired in; newest first. */
export function listSweeps(
  x: Executor,
  q: { scopes: readonly string[]; helperUserId: number; status?: 'open' | 'closed' | undefined },
) {
  let s = withNames(x).where((eb) => {
    const ors = [
      eb(
        's.id',
        'in',
        eb.selectFrom('sweep_helpers as h').select('h.sweep_id').where('h.user_id', '=', q.helperUserId),
      ),
    ];
    for (const p of q.scopes) {
      const [lo, hi] = subtreeRange(p);
      // The sweep lies within the scope, or the scope within the sweep.
      ors.push(eb.and([eb('s.node_path', '>=', lo), eb('s.node_path', '<', hi)]));
      ors.push(eb('s.node_path', 'in', ancestorPaths(p)));
    }
    return eb.or(ors);
  });
  if (q.status) s = s.where('s.status', '=', q.status);
  return s.orderBy('s.id', 'desc').limit(100).execute();
}
export function sweepHeader(x: Executor, id: number) {
  return withNames(x).where('s.id', '=', id).executeTakeFirst();
}
export type SweepHeader = NonNullable<Awaited<ReturnType<typeof sweepHeader>>>;
/** Closes a sweep still open; false when another request closed it first. */
export async function closeSweep(x: Executor, id: number, at: string) {
  const r = await x
    .updateTable('sweeps')
    .set({ status: 'closed', closed_at: at })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
/**
 * Holds an open sweep's row for the transaction (false when it is closed): a visit or a target added
 * then cannot slip between a close's count of the figures it takes out of the cockpit and its commit.
 * A sweep whose command closed takes no more answers either: they would outlive their purpose (the
 * retention deletes a sweep's answers once, after the command's close).
 */
export async function lockOpen(x: Executor, id: number) {
  const r = await x
    .updateTable('sweeps')
    .set({ status: 'open' })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('purged_at', 'is', null)
    .where('command_id', 'in', (eb) =>
      eb.selectFrom('incident_commands').select('id').where('closed_at', 'is', null),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
/** A command, for checking it is open and at or above a sweep's place. */
export function findCommand(x: Executor, id: number) {
  return x
    .selectFrom('incident_commands as c')
    .select(['c.id', 'c.name', 'c.closed_at', 'c.node_path'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

// ------------------------------------------------------------------ population and targets
/** The grids and micro-grids of a subtree: where each person's list is. */
export function gridsOf(x: Executor, path: string) {
  const [lo, hi] = subtreeRange(path);
  return x
    .selectFrom('nodes')
    .select(['id', 'path', 'level', 'parent_id'])
    .where('level', 'in', ['grid', 'microgrid'])
    .where('path', '>=', lo)
    .where('path', '<', hi)
    .execute();
}
/** The people a sweep targets in a subtree, household by household. */
export function population(
  x: Executor,
  q: {
    path: string;
    kind: 'floating' | 'arrivals' | 'tag';
    since: string | null;
    tag: string | null;
    limit: number;
  },
) {
  const [lo, hi] = subtreeRange(q.path);
  let s = x
    .selectFrom('persons as p')
    .select(['p.id', 'p.node_path', 'p.household_id'])
    .where('p.merged_into_id', 'is', null)
    .where('p.node_path', '>=', lo)
    .where('p.node_path', '<', hi);
  if (q.kind === 'floating') s = s.where('p.residence_type', '=', 'floating');
  else if (q.kind === 'arrivals') s = s.where('p.arrival_date', '>=', q.since!);
  else
    s = s.where('p.id', 'in', (eb) =>
      eb.selectFrom('person_tags as t').select('t.person_id').where('t.tag_code', '=', q.tag!),
    );
  return s.limit(q.limit).execute();
}
/** The people of a subtree with these ID-number blind indexes (a sweep list's), a thousand at a time. */
export async function peopleByIdBidx(x: Executor, path: string, bidxs: readonly string[]) {
  const [lo, hi] = subtreeRange(path);
  const out: { id: number; node_path: string; household_id: number | null; id_number_bidx: string | null }[] =
    [];
  for (let i = 0; i < bidxs.length; i += 1_000)
    out.push(
      ...(await x
        .selectFrom('persons')
        .select(['id', 'node_path', 'household_id', 'id_number_bidx'])
        .where('id_number_bidx', 'in', bidxs.slice(i, i + 1_000))
        .where('merged_into_id', 'is', null)
        .where('node_path', '>=', lo)
        .where('node_path', '<', hi)
        .execute()),
    );
  return out;
}
const insertTargetRows = insertRows('sweep_targets');
export async function insertTargets(x: Executor, rows: Insertable<SweepTargetsTable>[]) {
  for (let i = 0; i < rows.length; i += 2_000) await insertTargetRows(x, rows.slice(i, i + 2_000));
}
export function findTarget(x: Executor, sweepId: number, id: number) {
  return x
    .selectFrom('sweep_targets')
    .selectAll()
    .where('id', '=', id)
    .where('sweep_id', '=', sweepId)
    .executeTakeFirst();
}
export function targetOfPerson(x: Executor, sweepId: number, personId: number) {
  return x
    .selectFrom('sweep_targets')
    .selectAll()
    .where('sweep_id', '=', sweepId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}
export async function insertTarget(x: Executor, v: Insertable<SweepTargetsTable>) {
  const r = await x.insertInto('sweep_targets').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
/** Records a visit if the target is still open (not finished by a visit racing this one). */
export async function recordVisit(
  x: Executor,
  id: number,
  set: Pick<TargetRow, 'status' | 'risk' | 'visited_at' | 'visited_by_user_id'> &
    Partial<Pick<TargetRow, 'answers_enc' | 'questionnaire_id'>>,
) {
  const r = await x
    .updateTable('sweep_targets')
    .set({ ...set, visits: sql`visits + 1` })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'not_home'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
const targetColumns = [
  't.id',
  't.person_id',
  't.node_id',
  't.node_path',
  't.household_id',
  't.status',
  't.risk',
  't.visits',
  't.visited_at',
  't.found',
  'p.name',
  'p.id_number_masked',
  'p.gender',
  'p.birth_date',
] as const;
/** One grid's list (its micro-grids' too), household by household. */
export function targetsOfGrid(x: Executor, sweepId: number, gridPath: string) {
  const [lo, hi] = subtreeRange(gridPath);
  return x
    .selectFrom('sweep_targets as t')
    .innerJoin('persons as p', 'p.id', 't.person_id')
    .leftJoin('households as h', 'h.id', 't.household_id')
    .select([...targetColumns, 'h.address as household_address', 'p.address'])
    .where('t.sweep_id', '=', sweepId)
    .where('t.node_path', '>=', lo)
    .where('t.node_path', '<', hi)
    .orderBy('t.household_id')
    .orderBy('t.id')
    .limit(5_000)
    .execute();
}
export function targetById(x: Executor, id: number) {
  return x
    .selectFrom('sweep_targets as t')
    .innerJoin('persons as p', 'p.id', 't.person_id')
    .select(targetColumns)
    .where('t.id', '=', id)
    .executeTakeFirstOrThrow();
}
export type TargetLine = Awaited<ReturnType<typeof targetById>>;
/** A subtree's results for the workbook, grid by grid and household by household. */
export function resultRows(x: Executor, sweepId: number, path: string, limit: number) {
  const [lo, hi] = subtreeRange(path);
  return x
    .selectFrom('sweep_targets as t')
    .innerJoin('persons as p', 'p.id', 't.person_id')
    .innerJoin('nodes as n', 'n.id', 't.node_id')
    .leftJoin('households as h', 'h.id', 't.household_id')
    .leftJoin('users as u', 'u.id', 't.visited_by_user_id')
    .select([
      't.status',
      't.risk',
      't.answers_enc',
      't.questionnaire_id',
      't.visits',
      't.visited_at',
      't.found',
      't.node_path',
      'p.name',
      'p.id_number_masked',
      'n.name as grid_name',
      'n.full_code as grid_code',
      'h.address as household_address',
      'p.address',
      'u.display_name as visitor',
    ])
    .where('t.sweep_id', '=', sweepId)
    .where('t.node_path', '>=', lo)
    .where('t.node_path', '<', hi)
    .orderBy('t.node_path')
    .orderBy('t.household_id')
    .orderBy('t.id')
    .limit(limit)
    .execute();
}
/** A sweep's targets, finished visits and high-risk answers per list (the place its targets are on). */
export function figuresByList(x: Executor, sweepId: number) {
  return x
    .selectFrom('sweep_targets')
    .select((eb) => [
      'node_path',
      eb.fn.countAll().as('targets'),
      eb.fn
        .sum<number>(eb.case().when('status', 'in', VISIT_OUTCOMES.filter(finishes)).then(1).else(0).end())
        .as('done'),
      eb.fn.sum<number>(eb.case().when('risk', '=', 'high').then(1).else(0).end()).as('high'),
    ])
    .where('sweep_id', '=', sweepId)
    .groupBy('node_path')
    .execute();
}
export async function countUnder(x: Executor, sweepId: number, path: string) {
  const [lo, hi] = subtreeRange(path);
  const r = await x
    .selectFrom('sweep_targets')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('sweep_id', '=', sweepId)
    .where('node_path', '>=', lo)
    .where('node_path', '<', hi)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export function householdPath(x: Executor, id: number) {
  return x.selectFrom('households').select('node_path').where('id', '=', id).executeTakeFirst();
}

// ------------------------------------------------------------------ progress (counters)
/** Counter values of some metrics at some paths, over all commands. */
export function countersAt(x: Executor, paths: readonly string[], metrics: readonly string[]) {
  if (paths.length === 0 || metrics.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('live_counters')
    .select(['node_path', 'metric', 'value'])
    .where('command_id', '=', 0)
    .where('metric', 'in', metrics)
    .where('node_path', 'in', paths)
    .execute();
}
/**
 * The grids below a node furthest behind: lowest share done first (then the larger list), ranked in
 * SQL so that only `limit` rows come back from a district's thousand grids.
 */
export function laggardGrids(
  x: Executor,
  path: string,
  metrics: { targets: string; done: string },
  limit: number,
) {
  const [lo, hi] = subtreeRange(path);
  const done = sql<number>`coalesce(${sql.ref('d.value')}, 0)`;
  return x
    .selectFrom('live_counters as t')
    .innerJoin('nodes as n', 'n.path', 't.node_path')
    .leftJoin('live_counters as d', (j) =>
      j.on('d.command_id', '=', 0).on('d.metric', '=', metrics.done).onRef('d.node_path', '=', 't.node_path'),
    )
    .select(['n.id', 'n.name', 't.value as targets', done.as('done')])
    .where('t.command_id', '=', 0)
    .where('t.metric', '=', metrics.targets)
    .where('t.node_path', '>=', lo)
    .where('t.node_path', '<', hi)
    .where('n.level', '=', 'grid')
    .where('t.value', '>', done)
    .orderBy(sql`${done} * 1.0 / ${sql.ref('t.value')}`)
    .orderBy('t.value', 'desc')
    .orderBy('n.id')
    .limit(limit)
    .execute();
}
export function childrenOf(x: Executor, parentId: number) {
  return x
    .selectFrom('nodes')
    .select(['id', 'path', 'name', 'level'])
    .where('parent_id', '=', parentId)
    .where('retired_at', 'is', null)
    .orderBy('code')
    .execute();
}
export function nodeById(x: Executor, id: number) {
  return x
    .selectFrom('nodes')
    .select(['id', 'path', 'name', 'level'])
    .where('id', '=', id)
    .executeTakeFirst();
}
export function nodesByPaths(x: Executor, paths: readonly string[]) {
  if (paths.length === 0) return Promise.resolve([]);
  return x.selectFrom('nodes').select(['id', 'path', 'name', 'level']).where('path', 'in', paths).execute();
}

// ------------------------------------------------------------------ seconded cadres
/** Pairs a user with a grid; false when they were paired already. */
export async function insertHelper(
  x: Executor,
  v: { sweep_id: number; node_id: number; node_path: string; user_id: number; created_at: string },
) {
  const r = await x
    .insertInto('sweep_helpers')
    .values(v)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}
export async function deleteHelper(x: Executor, sweepId: number, nodeId: number, userId: number) {
  const r = await x
    .deleteFrom('sweep_helpers')
    .where('sweep_id', '=', sweepId)
    .where('node_id', '=', nodeId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
export function helpersCount(x: Executor, sweepId: number, nodeId: number) {
  return x
    .selectFrom('sweep_helpers')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('sweep_id', '=', sweepId)
    .where('node_id', '=', nodeId)
    .executeTakeFirstOrThrow();
}
/** The grids a user is paired with in a sweep. */
export function gridsOfHelper(x: Executor, sweepId: number, userId: number) {
  return x
    .selectFrom('sweep_helpers as h')
    .innerJoin('nodes as n', 'n.id', 'h.node_id')
    .select(['n.id', 'n.name', 'n.path'])
    .where('h.sweep_id', '=', sweepId)
    .where('h.user_id', '=', userId)
    .orderBy('n.path')
    .execute();
}
export function helpersUnder(x: Executor, sweepId: number, path: string) {
  const [lo, hi] = subtreeRange(path);
  return x
    .selectFrom('sweep_helpers as h')
    .innerJoin('nodes as n', 'n.id', 'h.node_id')
    .innerJoin('users as u', 'u.id', 'h.user_id')
    .select(['n.id as grid_id', 'n.name as grid_name', 'h.node_path', 'u.id as user_id', 'u.display_name'])
    .where('h.sweep_id', '=', sweepId)
    .where('h.node_path', '>=', lo)
    .where('h.node_path', '<', hi)
    .orderBy('h.node_path')
    .orderBy('u.id')
    .limit(500)
    .execute();
}
/** Accounts holding a permission at one of some places (a grid's ancestors), with where. */
export async function usersHoldingAt(
  x: Executor,
  paths: readonly string[],
  permission: string,
  userId?: number,
) {
  if (paths.length === 0) return [];
  let q = x
    .selectFrom('role_assignments as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .select(['u.id', 'u.display_name', 'n.name as node_name', 'r.permissions'])
    .where('u.disabled', '=', 0)
    .where('r.permissions', 'like', `%${JSON.stringify(permission)}%`)
    .where('n.path', 'in', paths);
  if (userId !== undefined) q = q.where('u.id', '=', userId);
  return q.orderBy('n.path').orderBy('u.id').limit(200).execute();
}

// ------------------------------------------------------------------ retention
/** Sweeps whose command closed before a time and whose answers are still kept. */
export function sweepsPastRetention(x: Executor, closedBefore: string) {
  return x
    .selectFrom('sweeps as s')
    .innerJoin('incident_commands as c', 'c.id', 's.command_id')
    .select(['s.id', 's.node_path', 's.command_id'])
    .where('s.purged_at', 'is', null)
    .where('c.closed_at', '<', closedBefore)
    .limit(50)
    .execute();
}
export async function purgeAnswers(x: Executor, sweepId: number, at: string) {
  const r = await x
    .updateTable('sweep_targets')
    // The risk level goes too: it was read from the answers.
    .set({ answers_enc: null, risk: null })
    .where('sweep_id', '=', sweepId)
    .where('answers_enc', 'is not', null)
    .executeTakeFirst();
  await x.updateTable('sweeps').set({ purged_at: at }).where('id', '=', sweepId).execute();
  return Number(r.numUpdatedRows);
}
