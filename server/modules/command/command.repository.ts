// SQL of the command system: incident commands, directives, their targets and history, and the
// cockpit's counters. No rules here: the services decide.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../db/index.js';
import { subtreeRange } from '../../db/dialect.js';
import type { DirectivesTable, DirectiveTargetsTable } from '../../db/schema.js';
import { inScopes } from '../../platform/actor.js';

export type DirectiveRow = Selectable<DirectivesTable> & {
  issuer_name: string;
  issuer_level: string;
  issued_by: string | null;
};
export type TargetRow = Selectable<DirectiveTargetsTable> & {
  node_name: string;
  signed_by: string | null;
  reported_by: string | null;
};

// ------------------------------------------------------------------ incident commands
export function insertCommand(
  x: Executor,
  v: {
    name: string;
    response_level: string;
    node_id: number;
    node_path: string;
    started_at: string;
    created_by_user_id: number;
    at: string;
  },
) {
  return x
    .insertInto('incident_commands')
    .values({
      name: v.name,
      response_level: v.response_level,
      node_id: v.node_id,
      node_path: v.node_path,
      started_at: v.started_at,
      closed_at: null,
      summary: null,
      created_by_user_id: v.created_by_user_id,
      created_at: v.at,
      updated_at: v.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .then((r) => r.id);
}
export async function setOfficers(x: Executor, commandId: number, userIds: readonly number[]) {
  await x.deleteFrom('incident_command_officers').where('command_id', '=', commandId).execute();
  if (userIds.length > 0)
    await x
      .insertInto('incident_command_officers')
      .values(userIds.map((user_id) => ({ command_id: commandId, user_id })))
      .execute();
}
const commandColumns = [
  'c.id',
  'c.name',
  'c.response_level',
  'c.node_id',
  'c.node_path',
  'c.started_at',
  'c.closed_at',
  'c.summary',
  'n.name as node_name',
  'n.level as node_level',
] as const;
export function findCommand(x: Executor, id: number) {
  return x
    .selectFrom('incident_commands as c')
    .innerJoin('nodes as n', 'n.id', 'c.node_id')
    .select(commandColumns)
    .where('c.id', '=', id)
    .executeTakeFirst();
}
export type CommandRow = NonNullable<Awaited<ReturnType<typeof findCommand>>>;
/** The most commands a list answers: the open ones and the latest closed. */
export const COMMANDS_LISTED = 200;
/** Commands that cover a place in the scopes or cover the scopes themselves (a town sees the district's command). */
export function listCommands(x: Executor, scopes: readonly string[], open: boolean | undefined) {
  let q = x
    .selectFrom('incident_commands as c')
    .innerJoin('nodes as n', 'n.id', 'c.node_id')
    .select(commandColumns)
    .where((eb) =>
      eb.or([
        inScopes(eb, 'c.node_path', scopes),
        ...scopes.map((s) => eb(sql.val(s), 'like', sql<string>`${eb.ref('c.node_path')} || '%'`)),
      ]),
    );
  if (open === true) q = q.where('c.closed_at', 'is', null);
  if (open === false) q = q.where('c.closed_at', 'is not', null);
  // Open ones first, then the latest closed, at most COMMANDS_LISTED: written out, since the two databases
  // put nulls at opposite ends of a descending order (SQLite last, PostgreSQL first).
  return q
    .orderBy(sql`case when c.closed_at is null then 0 else 1 end`)
    .orderBy('c.closed_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(COMMANDS_LISTED)
    .execute();
}
export function officersOf(x: Executor, commandIds: readonly number[]) {
  if (commandIds.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('incident_command_officers as o')
    .innerJoin('users as u', 'u.id', 'o.user_id')
    .select(['o.command_id', 'u.id', 'u.display_name as name'])
    .where('o.command_id', 'in', commandIds)
    .orderBy('u.id')
    .execute();
}
export function directiveCounts(x: Executor, commandIds: readonly number[]) {
  if (commandIds.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('directives')
    .select(['command_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('command_id', 'in', commandIds)
    .where('depth', '=', 0)
    .groupBy('command_id')
    .execute();
}
export function closeCommand(x: Executor, id: number, summary: string, at: string) {
  return x
    .updateTable('incident_commands')
    .set({ closed_at: at, summary, updated_at: at })
    .where('id', '=', id)
    .execute();
}
export function usersExist(x: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return x.selectFrom('users').select('id').where('id', 'in', ids).where('disabled', '=', 0).execute();
}

// ------------------------------------------------------------------ directives
export async function insertDirective(x: Executor, v: Insertable<DirectivesTable>) {
  const { id } = await x.insertInto('directives').values(v).returning('id').executeTakeFirstOrThrow();
  if (v.root_id === null || v.root_id === undefined)
    await x.updateTable('directives').set({ root_id: id }).where('id', '=', id).execute();
  return id;
}
const directiveSelect = (x: Executor) =>
  x
    .selectFrom('directives as d')
    .innerJoin('nodes as n', 'n.id', 'd.issuer_node_id')
    .leftJoin('users as u', 'u.id', 'd.issued_by_user_id')
    .selectAll('d')
    .select(['n.name as issuer_name', 'n.level as issuer_level', 'u.display_name as issued_by']);
export function findDirective(x: Executor, id: number): Promise<DirectiveRow | undefined> {
  return directiveSelect(x).where('d.id', '=', id).executeTakeFirst();
}
export function directivesOfRoot(x: Executor, rootId: number): Promise<DirectiveRow[]> {
  return directiveSelect(x).where('d.root_id', '=', rootId).orderBy('d.id').execute();
}
export function directivesByIds(x: Executor, ids: readonly number[]): Promise<DirectiveRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return directiveSelect(x).where('d.id', 'in', ids).execute();
}
/**
 * Directives issued inside the scopes (issued) or with a target inside them (received), newest
 * first, one page; `total` counts the same set.
 */
export async function listDirectives(
  x: Executor,
  q: {
    scopes: readonly string[];
    box: 'all' | 'issued' | 'received';
    commandId?: number | undefined;
    limit: number;
    offset: number;
  },
) {
  const base = () => {
    let b = directiveSelect(x).where((eb) => {
      const issued = inScopes(eb, 'd.issuer_node_path', q.scopes);
      // By the targets' path index: the directives with a target in the scopes.
      const received = eb(
        'd.id',
        'in',
        eb
          .selectFrom('directive_targets as t')
          .select('t.directive_id')
          .where((e2) => inScopes(e2, 't.node_path', q.scopes)),
      );
      return q.box === 'issued' ? issued : q.box === 'received' ? received : eb.or([issued, received]);
    });
    if (q.commandId) b = b.where('d.command_id', '=', q.commandId);
    return b;
  };
  const [items, total] = await Promise.all([
    base().orderBy('d.id', 'desc').limit(q.limit).offset(q.offset).execute(),
    base()
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n)),
  ]);
  return { items, total };
}

/** The relay of a directive from a node, if any; and all of a directive's relays. */
export function relayOf(x: Executor, parentId: number, issuerNodeId: number) {
  return x
    .selectFrom('directives')
    .select(['id'])
    .where('parent_id', '=', parentId)
    .where('issuer_node_id', '=', issuerNodeId)
    .executeTakeFirst();
}
export function relaysOf(x: Executor, parentId: number) {
  return x
    .selectFrom('directives')
    .select(['id', 'issuer_node_id'])
    .where('parent_id', '=', parentId)
    .execute();
}

/** Nodes a target spec names: active nodes, inside the issuer's subtree, below the issuer. */
export function nodesInSubtrees(x: Executor, roots: readonly string[], level: string | null) {
  let q = x
    .selectFrom('nodes')
    .select(['id', 'path', 'level', 'name'])
    .where('retired_at', 'is', null)
    .where((eb) => inScopes(eb, 'path', roots));
  if (level) q = q.where('level', '=', level);
  return q.orderBy('path').execute();
}
export function nodesByIds(x: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('nodes')
    .select(['id', 'path', 'level', 'name', 'retired_at'])
    .where('id', 'in', ids)
    .execute();
}
export function namesOfPaths(x: Executor, paths: readonly string[]) {
  if (paths.length === 0) return Promise.resolve([]);
  return x.selectFrom('nodes').select(['id', 'path', 'level', 'name']).where('path', 'in', paths).execute();
}

export async function insertTargets(x: Executor, rows: Insertable<DirectiveTargetsTable>[]) {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 500)
    for (const r of await x
      .insertInto('directive_targets')
      .values(rows.slice(i, i + 500))
      .returning('id')
      .execute())
      ids.push(r.id);
  return ids;
}
const targetSelect = (x: Executor) =>
  x
    .selectFrom('directive_targets as t')
    .innerJoin('nodes as n', 'n.id', 't.node_id')
    .leftJoin('users as us', 'us.id', 't.signed_by_user_id')
    .leftJoin('users as ur', 'ur.id', 't.reported_by_user_id')
    .selectAll('t')
    .select(['n.name as node_name', 'us.display_name as signed_by', 'ur.display_name as reported_by']);
export function findTarget(x: Executor, id: number): Promise<TargetRow | undefined> {
  return targetSelect(x).where('t.id', '=', id).executeTakeFirst();
}
/** Whether a directive has a target inside the scopes or at one of the nodes. */
export async function hasTargetIn(
  x: Executor,
  directiveId: number,
  scopes: readonly string[],
  nodeIds: readonly number[],
) {
  const row = await x
    .selectFrom('directive_targets')
    .select('id')
    .where('directive_id', '=', directiveId)
    .where((eb) =>
      eb.or([
        inScopes(eb, 'node_path', scopes),
        ...(nodeIds.length > 0 ? [eb('node_id', 'in', nodeIds)] : []),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
/** Targets per directive and state, with how many are late now; inside the scopes when given. */
export function targetCounts(
  x: Executor,
  directiveIds: readonly number[],
  at: string,
  scopes: readonly string[] | null,
) {
  let q = x
    .selectFrom('directive_targets')
    .select([
      'directive_id',
      'state',
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<number>`sum(case when (state = 'pending' and sign_due_at < ${at}) or (state <> 'reported' and report_due_at < ${at}) then 1 else 0 end)`.as(
        'overdue',
      ),
    ])
    .where('directive_id', 'in', directiveIds);
  if (scopes) q = q.where((eb) => inScopes(eb, 'node_path', scopes));
  return q.groupBy(['directive_id', 'state']).execute();
}
/** Targets of a cascade below a node (path range), optionally of some directives only. */
export function targetsUnder(
  x: Executor,
  rootId: number,
  path: string,
  directiveIds?: readonly number[],
): Promise<TargetRow[]> {
  const [lo, hi] = subtreeRange(path);
  let q = targetSelect(x)
    .where('t.root_id', '=', rootId)
    .where('t.node_path', '>=', lo)
    .where('t.node_path', '<', hi);
  if (directiveIds) q = q.where('t.directive_id', 'in', directiveIds.length > 0 ? directiveIds : [0]);
  return q.execute();
}
/** Targets at the given nodes (the caller's own), not yet reported, with their directive. */
export function openTargetsAtNodes(x: Executor, nodeIds: readonly number[]) {
  if (nodeIds.length === 0) return Promise.resolve([]);
  return targetSelect(x)
    .where('t.node_id', 'in', nodeIds)
    .where('t.state', '<>', 'reported')
    .orderBy('t.report_due_at')
    .limit(200)
    .execute();
}
export function targetsOfDirectiveAtNodes(x: Executor, directiveId: number, nodeIds: readonly number[]) {
  if (nodeIds.length === 0) return Promise.resolve([]);
  return targetSelect(x)
    .where('t.directive_id', '=', directiveId)
    .where('t.node_id', 'in', nodeIds)
    .execute();
}
/**
 * Changes a target only if it is still as it was read (state, overdue flag, no relay yet): two people
 * acting on one target at once on PostgreSQL must not both pass, or the counters would count twice.
 * False when someone else changed it first.
 */
export async function updateTarget(
  x: Executor,
  id: number,
  set: Partial<Selectable<DirectiveTargetsTable>>,
  seen: {
    state: string;
    overdue: number;
    relay_id: number | null;
    sign_escalated_at?: string | null;
    report_escalated_at?: string | null;
  },
) {
  let q = x
    .updateTable('directive_targets')
    .set(set)
    .where('id', '=', id)
    .where('state', '=', seen.state)
    .where('overdue', '=', seen.overdue);
  q = seen.relay_id === null ? q.where('relay_id', 'is', null) : q.where('relay_id', '=', seen.relay_id);
  // The sweep escalates a deadline once, even when run by hand beside the scheduled run.
  if (seen.sign_escalated_at === null && set.sign_escalated_at) q = q.where('sign_escalated_at', 'is', null);
  if (seen.report_escalated_at === null && set.report_escalated_at)
    q = q.where('report_escalated_at', 'is', null);
  const [r] = await q.execute();
  return Number(r?.numUpdatedRows ?? 0) === 1;
}
/** Targets whose sign-for or report-back deadline passed without an escalation for it yet. */
export async function pastDueTargets(x: Executor, at: string, limit: number) {
  // Each matches its partial index (open targets not yet escalated), not every target ever done.
  // The states are written as literals: SQLite uses a partial index only when the query's terms match its own, parameters do not.
  const sign = await x
    .selectFrom('directive_targets')
    .select(['id'])
    .where(sql<boolean>`state = 'pending'`)
    .where('sign_escalated_at', 'is', null)
    .where('sign_due_at', '<', at)
    .limit(limit)
    .execute();
  const report = await x
    .selectFrom('directive_targets')
    .select(['id'])
    .where(sql<boolean>`state <> 'reported'`)
    .where('report_escalated_at', 'is', null)
    .where('report_due_at', '<', at)
    .limit(limit)
    .execute();
  return [...new Set([...sign, ...report].map((r) => r.id))];
}

export function addHistory(
  x: Executor,
  v: {
    directive_id: number;
    target_id: number | null;
    root_id: number;
    node_path: string;
    action: string;
    at: string;
    actor_user_id: number | null;
    actor_label: string;
    text: string | null;
  },
) {
  return x.insertInto('directive_history').values(v).execute();
}
export function historyOf(x: Executor, directiveId: number) {
  return x
    .selectFrom('directive_history as h')
    .innerJoin('nodes as n', 'n.path', 'h.node_path')
    .select(['h.id', 'h.at', 'h.action', 'h.actor_label', 'h.text', 'h.node_path', 'n.name as node_name'])
    .where('h.directive_id', '=', directiveId)
    .orderBy('h.id')
    .limit(500)
    .execute();
}

/** Users assigned exactly at the nodes whose role holds the permission: who answers for a target. */
export async function usersAtNodes(x: Executor, nodeIds: readonly number[], permission: string) {
  if (nodeIds.length === 0) return [];
  const rows = await x
    .selectFrom('role_assignments as a')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.user_id', 'a.node_id', 'r.permissions'])
    .where('a.node_id', 'in', nodeIds)
    .where('u.disabled', '=', 0)
    .execute();
  return rows
    .filter((r) => (JSON.parse(r.permissions) as string[]).includes(permission))
    .map((r) => ({ userId: r.user_id, nodeId: r.node_id }));
}

// ------------------------------------------------------------------ cockpit
/** The cockpit's counters of some paths in one read: cases for all commands, the rest for the chosen one (0 = all). */
export function cockpitCounters(
  x: Executor,
  commandId: number,
  paths: readonly string[],
  commandMetrics: readonly string[],
  /** Metrics read over all commands whichever is chosen (open events, home observation). */
  allCommandMetrics: readonly string[],
) {
  if (paths.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('live_counters')
    .select(['node_path', 'metric', 'value'])
    .where('node_path', 'in', paths)
    .where((eb) =>
      eb.or([
        eb.and([eb('command_id', '=', 0), eb('metric', 'in', allCommandMetrics)]),
        eb.and([eb('command_id', '=', commandId), eb('metric', 'in', commandMetrics)]),
      ]),
    )
    .execute();
}
/** One metric over a subtree's nodes of a level (the map's grids). */
export function counterUnder(x: Executor, commandId: number, path: string, metrics: readonly string[]) {
  const [lo, hi] = subtreeRange(path);
  return x
    .selectFrom('live_counters')
    .select(['node_path', 'metric', 'value'])
    .where('command_id', '=', commandId)
    .where('metric', 'in', metrics)
    .where('node_path', '>=', lo)
    .where('node_path', '<', hi)
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
export function gridsUnder(x: Executor, path: string) {
  const [lo, hi] = subtreeRange(path);
  return x
    .selectFrom('nodes')
    .select(['id', 'path'])
    .where('level', '=', 'grid')
    .where('retired_at', 'is', null)
    .where('path', '>=', lo)
    .where('path', '<', hi)
    .execute();
}
/**
 * The newest escalations of events and of directive targets in a subtree since a time. Read newest
 * first by (action, id); the time bounds what a quiet grid's feed walks through to find none.
 */
export async function latestEscalations(x: Executor, path: string, limit: number, since: string) {
  const [lo, hi] = subtreeRange(path);
  const events = await x
    .selectFrom('event_history as h')
    .innerJoin('events as e', 'e.id', 'h.event_id')
    .innerJoin('nodes as n', 'n.id', 'e.node_id')
    .select(['h.id as hid', 'e.id', 'e.title', 'n.name as node', 'h.at', 'h.reason as text'])
    .where('h.action', '=', 'escalate')
    .where('h.at', '>=', since)
    .where('h.node_path', '>=', lo)
    .where('h.node_path', '<', hi)
    .orderBy('h.id', 'desc')
    .limit(limit)
    .execute();
  const directives = await x
    .selectFrom('directive_history as h')
    .innerJoin('directives as d', 'd.id', 'h.directive_id')
    .innerJoin('nodes as n', 'n.path', 'h.node_path')
    .select(['h.id as hid', 'd.id', 'd.title', 'n.name as node', 'h.at', 'h.text'])
    .where('h.action', '=', 'escalate')
    .where('h.at', '>=', since)
    .where('h.node_path', '>=', lo)
    .where('h.node_path', '<', hi)
    .orderBy('h.id', 'desc')
    .limit(limit)
    .execute();
  return { events, directives };
}
export async function lastLiveId(x: Executor) {
  const r = await x
    .selectFrom('live_events')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  return Number(r?.m ?? 0);
}
