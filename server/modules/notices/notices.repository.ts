// SQL for notices, their deliveries and the per-node progress rows.
import type { Executor } from '../../db/index.js';
import { subtreeRange } from '../../db/dialect.js';
import { inScopes } from '../../platform/actor.js';

const CHUNK = 500;

export function findNotice(db: Executor, id: number) {
  return db
    .selectFrom('notices as n')
    .innerJoin('nodes as nd', 'nd.id', 'n.node_id')
    .leftJoin('users as u', 'u.id', 'n.published_by_user_id')
    .selectAll('n')
    .select(['nd.name as node_name', 'nd.level as node_level', 'u.display_name as published_by'])
    .where('n.id', '=', id)
    .executeTakeFirst();
}
export type NoticeRow = NonNullable<Awaited<ReturnType<typeof findNotice>>>;

/** The open incident command, read here rather than through the commands module (it only needs the row). */
export function findCommand(db: Executor, id: number) {
  return db
    .selectFrom('incident_commands')
    .select(['id', 'node_path', 'closed_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The newest household: a notice goes to those registered up to it. */
export async function lastHouseholdId(db: Executor) {
  const r = await db
    .selectFrom('households')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  return Number(r?.m ?? 0);
}

/** Households of a subtree registered up to an id, counted per household node. */
export async function countHouseholdsByNode(db: Executor, path: string, lastId: number) {
  const [lo, hi] = subtreeRange(path);
  const rows = await db
    .selectFrom('households')
    .select(['node_path', (eb) => eb.fn.countAll<number>().as('n')])
    .where('node_path', '>=', lo)
    .where('node_path', '<', hi)
    .where('id', '<=', lastId)
    .groupBy('node_path')
    .execute();
  return rows.map((r) => ({ nodePath: r.node_path, households: Number(r.n) }));
}

export async function insertNotice(
  db: Executor,
  row: {
    command_id: number | null;
    node_id: number;
    node_path: string;
    title: string;
    body: string;
    households: number;
    last_household_id: number;
    published_at: string;
    published_by_user_id: number | null;
  },
) {
  return (await db.insertInto('notices').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertProgress(
  db: Executor,
  noticeId: number,
  rows: { nodePath: string; households: number }[],
) {
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('notice_progress')
      .values(
        rows.slice(i, i + CHUNK).map((r) => ({
          notice_id: noticeId,
          node_path: r.nodePath,
          households: r.households,
          delivered: 0,
        })),
      )
      .execute();
}

/** Adds to the delivered count of several progress rows of one notice. */
export function addDelivered(db: Executor, noticeId: number, paths: string[], n: number) {
  return db
    .updateTable('notice_progress')
    .set((eb) => ({ delivered: eb('delivered', '+', n) }))
    .where('notice_id', '=', noticeId)
    .where('node_path', 'in', paths)
    .execute();
}

/** Notices whose subtree overlaps one of the scopes: the notice lies inside a scope, or holds one. */
export function listNotices(
  db: Executor,
  f: {
    scopes: readonly string[];
    ancestors: readonly string[];
    commandId?: number | undefined;
    under?: { path: string; ancestors: string[] } | undefined;
  },
  limit: number,
  offset: number,
) {
  let q = db
    .selectFrom('notices as n')
    .where((eb) =>
      eb.or([
        inScopes(eb, 'n.node_path', f.scopes),
        ...(f.ancestors.length ? [eb('n.node_path', 'in', f.ancestors)] : []),
      ]),
    );
  if (f.commandId !== undefined) q = q.where('n.command_id', '=', f.commandId);
  if (f.under) {
    const under = f.under;
    q = q.where((eb) =>
      eb.or([inScopes(eb, 'n.node_path', [under.path]), eb('n.node_path', 'in', under.ancestors)]),
    );
  }
  const count = q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const items = q
    .innerJoin('nodes as nd', 'nd.id', 'n.node_id')
    .leftJoin('users as u', 'u.id', 'n.published_by_user_id')
    .selectAll('n')
    .select(['nd.name as node_name', 'nd.level as node_level', 'u.display_name as published_by'])
    .orderBy('n.published_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return Promise.all([count, items]).then(([c, rows]) => ({ total: Number(c.n), rows }));
}

/** Progress rows of several (notice, node path) pairs at once. */
export async function progressOf(db: Executor, pairs: { noticeId: number; path: string }[]) {
  if (pairs.length === 0) return [];
  return db
    .selectFrom('notice_progress')
    .selectAll()
    .where((eb) =>
      eb.or(pairs.map((p) => eb.and([eb('notice_id', '=', p.noticeId), eb('node_path', '=', p.path)]))),
    )
    .execute();
}

/** Progress of the children of a node that have households. */
export function childProgress(db: Executor, noticeId: number, parentId: number) {
  return db
    .selectFrom('notice_progress as p')
    .innerJoin('nodes as nd', 'nd.path', 'p.node_path')
    .select(['nd.id', 'nd.name', 'nd.level', 'p.households', 'p.delivered'])
    .where('p.notice_id', '=', noticeId)
    .where('nd.parent_id', '=', parentId)
    .orderBy('nd.code')
    .orderBy('nd.id')
    .execute();
}

export function nodesByPaths(db: Executor, paths: string[]) {
  if (paths.length === 0) return Promise.resolve([]);
  return db.selectFrom('nodes').select(['id', 'name', 'level', 'path']).where('path', 'in', paths).execute();
}

/** Households of a subtree the notice goes to (registered by its publication), with their delivery. */
export function listChecklist(
  db: Executor,
  f: { noticeId: number; path: string; lastHouseholdId: number; status: 'all' | 'delivered' | 'undelivered' },
  limit: number,
  offset: number,
) {
  const [lo, hi] = subtreeRange(f.path);
  let q = db
    .selectFrom('households as h')
    .leftJoin('notice_deliveries as d', (j) =>
      j.onRef('d.household_id', '=', 'h.id').on('d.notice_id', '=', f.noticeId),
    )
    .where('h.node_path', '>=', lo)
    .where('h.node_path', '<', hi)
    .where('h.id', '<=', f.lastHouseholdId);
  if (f.status === 'delivered') q = q.where('d.id', 'is not', null);
  if (f.status === 'undelivered') q = q.where('d.id', 'is', null);
  const count = q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const items = q
    .innerJoin('nodes as nd', 'nd.id', 'h.node_id')
    .leftJoin('persons as head', 'head.id', 'h.head_person_id')
    .leftJoin('users as u', 'u.id', 'd.delivered_by_user_id')
    .select([
      'h.id',
      'h.address',
      'h.node_id',
      'h.node_path',
      'nd.name as node_name',
      'head.name as head_name',
      'd.id as delivery_id',
      'd.method',
      'd.note',
      'd.delivered_at',
      'u.display_name as delivered_by',
    ])
    .orderBy('h.node_path')
    .orderBy('h.id')
    .limit(limit)
    .offset(offset)
    .execute();
  return Promise.all([count, items]).then(([c, rows]) => ({ total: Number(c.n), rows }));
}

export function householdsByIds(db: Executor, ids: readonly number[]) {
  return db.selectFrom('households').select(['id', 'node_path']).where('id', 'in', ids).execute();
}

/** Inserts deliveries, leaving households already delivered as they are; answers those written. */
export function insertDeliveries(
  db: Executor,
  rows: {
    notice_id: number;
    household_id: number;
    node_path: string;
    method: string;
    note: string | null;
    delivered_at: string;
    delivered_by_user_id: number | null;
  }[],
) {
  return db
    .insertInto('notice_deliveries')
    .values(rows)
    .onConflict((oc) => oc.columns(['notice_id', 'household_id']).doNothing())
    .returning(['household_id', 'node_path'])
    .execute();
}

export function findDelivery(db: Executor, noticeId: number, householdId: number) {
  return db
    .selectFrom('notice_deliveries')
    .selectAll()
    .where('notice_id', '=', noticeId)
    .where('household_id', '=', householdId)
    .executeTakeFirst();
}

export function deleteDelivery(db: Executor, id: number) {
  return db.deleteFrom('notice_deliveries').where('id', '=', id).executeTakeFirst();
}
