// SQL for the jurisdiction tree. Every function takes the executor (db or transaction) first.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Executor } from '../../db/index.js';
import type { NewNode, NodeRow } from '../../db/schema.js';
import { likeContains, subtreeRange } from '../../db/dialect.js';
import { inScopes } from '../../platform/actor.js';

export type NodeWithCount = NodeRow & { child_count: number };

const childCount = (eb: ExpressionBuilder<Database, 'nodes'>) =>
  eb
    .selectFrom('nodes as c')
    .select((e) => e.fn.countAll<number>().as('n'))
    .whereRef('c.parent_id', '=', 'nodes.id')
    .where('c.retired_at', 'is', null)
    .as('child_count');

export function findNode(db: Executor, id: number) {
  return db
    .selectFrom('nodes')
    .selectAll('nodes')
    .select(childCount)
    .where('id', '=', id)
    .executeTakeFirst() as Promise<NodeWithCount | undefined>;
}

export function findNodesByIds(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([] as NodeWithCount[]);
  return db
    .selectFrom('nodes')
    .selectAll('nodes')
    .select(childCount)
    .where('id', 'in', ids)
    .orderBy('path')
    .execute() as Promise<NodeWithCount[]>;
}

export function findByFullCodes(db: Executor, codes: readonly string[]) {
  if (codes.length === 0) return Promise.resolve([] as NodeRow[]);
  return db.selectFrom('nodes').selectAll().where('full_code', 'in', codes).execute();
}

export function listChildren(db: Executor, parentId: number, includeRetired: boolean) {
  let q = db.selectFrom('nodes').selectAll('nodes').select(childCount).where('parent_id', '=', parentId);
  if (!includeRetired) q = q.where('retired_at', 'is', null);
  return q.orderBy('code').execute() as Promise<NodeWithCount[]>;
}

export function searchNodes(db: Executor, q: string, scopes: readonly string[], limit: number) {
  return db
    .selectFrom('nodes')
    .selectAll('nodes')
    .select(childCount)
    .where((eb) => inScopes(eb, 'nodes.path', scopes))
    .where('retired_at', 'is', null)
    .where((eb) => eb.or([likeContains('nodes.name', q), likeContains('nodes.full_code', q, 'prefix')]))
    .orderBy('depth')
    .orderBy('path')
    .limit(limit)
    .execute() as Promise<NodeWithCount[]>;
}

export async function insertNode(db: Executor, values: Omit<NewNode, 'path'>, parentPath: string | null) {
  // The path holds the node's own id, so it is set right after the id is known.
  const { id } = await db
    .insertInto('nodes')
    .values({ ...values, path: `/pending-${values.full_code}/` } as NewNode)
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = `${parentPath ?? '/'}${id}/`;
  await db.updateTable('nodes').set({ path }).where('id', '=', id).execute();
  return { id, path };
}

export function updateNode(db: Executor, id: number, values: Partial<NodeRow>) {
  return db.updateTable('nodes').set(values).where('id', '=', id).execute();
}

export function countActiveChildren(db: Executor, id: number) {
  return db
    .selectFrom('nodes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_id', '=', id)
    .where('retired_at', 'is', null)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

/** Rewrites path, depth and full code of a node and all its descendants in one statement. */
/**
 * Records that copy the path of the node they belong to. People, households and departments are
 * plain copies: a move rewrites them with the tree. Cases, commands, directives, daily reports and
 * notices also feed rollups and histories kept per ancestor: a subtree holding any of them stays put.
 */
const MOVES_WITH_TREE: readonly (readonly [string, string])[] = [
  ['persons', 'node_path'],
  ['households', 'node_path'],
  ['departments', 'node_path'],
];
const KEEPS_TREE_IN_PLACE: readonly (readonly [string, string])[] = [
  ['events', 'node_path'],
  ['incident_commands', 'node_path'],
  ['directives', 'issuer_node_path'],
  ['directive_targets', 'node_path'],
  ['report_templates', 'node_path'],
  ['report_submissions', 'node_path'],
  ['notices', 'node_path'],
  ['notice_deliveries', 'node_path'],
];
/** The kinds of records inside a subtree that keep it from moving (the tables that hold some). */
export async function recordsUnder(db: Executor, path: string): Promise<string[]> {
  const [lo, hi] = subtreeRange(path);
  const out: string[] = [];
  for (const [table, column] of KEEPS_TREE_IN_PLACE) {
    const { rows } = await sql<{
      one: number;
    }>`select 1 as one from ${sql.table(table)} where ${sql.ref(column)} >= ${lo} and ${sql.ref(column)} < ${hi} limit 1`.execute(
      db,
    );
    if (rows.length > 0) out.push(table);
  }
  return out;
}

export async function moveSubtree(
  db: Executor,
  node: { id: number; path: string; full_code: string; depth: number },
  to: { parentId: number; path: string; fullCode: string; depth: number; code: string; now: string },
) {
  const [lo, hi] = subtreeRange(node.path);
  const newPath = `${to.path}${node.id}/`;
  const newFull = `${to.fullCode}${to.code}`;
  const depthDelta = to.depth + 1 - node.depth;
  await db
    .updateTable('nodes')
    .set({
      path: sql`${newPath} || substr(path, ${node.path.length + 1})`,
      full_code: sql`${newFull} || substr(full_code, ${node.full_code.length + 1})`,
      depth: sql`depth + ${depthDelta}`,
      updated_at: to.now,
    })
    .where('path', '>=', lo)
    .where('path', '<', hi)
    .execute();
  await db
    .updateTable('nodes')
    .set({ parent_id: to.parentId, code: to.code })
    .where('id', '=', node.id)
    .execute();
  // The people, households and departments of the subtree go with it, in the same transaction.
  for (const [table, column] of MOVES_WITH_TREE)
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${newPath} || substr(${sql.ref(column)}, ${node.path.length + 1}) where ${sql.ref(column)} >= ${lo} and ${sql.ref(column)} < ${hi}`.execute(
      db,
    );
  return newPath;
}

export function subtreePolygons(db: Executor, path: string, level: string | null, parentId: number) {
  const [lo, hi] = subtreeRange(path);
  let q = db
    .selectFrom('nodes')
    .select(['id', 'name', 'level', 'full_code', 'polygon'])
    .where('polygon', 'is not', null)
    .where('retired_at', 'is', null);
  q = level
    ? q.where('level', '=', level).where('path', '>=', lo).where('path', '<', hi)
    : q.where('parent_id', '=', parentId);
  return q.orderBy('path').execute();
}

/** Live nodes below a path, by level, in one range scan (the node itself included). */
export async function countSubtreeByLevel(db: Executor, path: string) {
  const [lo, hi] = subtreeRange(path);
  const rows = await db
    .selectFrom('nodes')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .where('path', '>=', lo)
    .where('path', '<', hi)
    .where('retired_at', 'is', null)
    .groupBy('level')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.level, Number(r.n)])) as Record<string, number>;
}
