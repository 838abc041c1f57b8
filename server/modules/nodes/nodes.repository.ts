// SQL for the jurisdiction tree. Every function takes the executor (db or transaction) first.
import { sql, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Executor } from '../../db/index.js';
import type { NewNode, NodeRow } from '../../db/schema.js';
import { subtreeRange } from '../../db/dialect.js';
import { inScopes } from '../../platform/actor.js';
import { spellingKey, spellName } from '../../platform/spelling.js';

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

/** The top of the tree (the district). */
export function rootNode(db: Executor) {
  return db
    .selectFrom('nodes')
    .select(['id', 'path'])
    .where('parent_id', 'is', null)
    .where('retired_at', 'is', null)
    .orderBy('id')
    .executeTakeFirst();
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

/** A found node, with the ids above it from its path. */
export type NodeHitRow = Pick<
  NodeRow,
  'id' | 'parent_id' | 'name' | 'level' | 'full_code' | 'path' | 'depth'
>;

/**
 * Live nodes within `scopes` (and at `levels`, when given) whose name holds `q`, whose full pinyin or
 * initials hold it as typed without spaces or tones, or whose full code starts with it. Exact matches
 * first, then names that start with it, then the rest; shallower levels first within each.
 */
export function searchNodes(
  db: Executor,
  q: string,
  scopes: readonly string[],
  limit: number,
  levels?: readonly string[],
): Promise<NodeHitRow[]> {
  // Spellings are compared only for what is typed in Latin letters (with digits, spaces or an
  // apostrophe: xi'an); a query with Chinese in it is a name.
  const key = /[a-z]/i.test(q) && /^[a-zü0-9\s'’·-]+$/i.test(q) ? spellingKey(q) : '';
  const esc = (t: string) => t.replace(/[\\%_]/g, (c) => `\\${c}`);
  const like = (expr: RawBuilder<unknown>, pattern: string) =>
    sql<SqlBool>`${expr} like ${pattern} escape '\\'`;
  const name = sql.ref('name');
  const code = sql.ref('full_code');
  // The spellings are kept space-separated: padded, each one is found whole or by its start.
  const spellings = [sql`' ' || name_pinyin || ' '`, sql`' ' || name_initials || ' '`];
  const bySpelling = (pattern: string) => (key ? spellings.map((col) => like(col, pattern)) : []);
  const any = (xs: RawBuilder<SqlBool>[]) => sql<SqlBool>`(${sql.join(xs, sql` or `)})`;
  const exact = any([
    sql<SqlBool>`${name} = ${q}`,
    sql<SqlBool>`${code} = ${q}`,
    ...bySpelling(`% ${esc(key)} %`),
  ]);
  const prefix = any([like(name, `${esc(q)}%`), like(code, `${esc(q)}%`), ...bySpelling(`% ${esc(key)}%`)]);
  const contains = any([like(name, `%${esc(q)}%`), like(code, `${esc(q)}%`), ...bySpelling(`%${esc(key)}%`)]);
  let query = db
    .selectFrom('nodes')
    .select(['id', 'parent_id', 'name', 'level', 'full_code', 'path', 'depth'])
    .where((eb) => inScopes(eb, 'nodes.path', scopes))
    .where('retired_at', 'is', null)
    .where(contains);
  if (levels) query = query.where('level', 'in', levels);
  return query
    .orderBy(sql`case when ${exact} then 0 when ${prefix} then 1 else 2 end`)
    .orderBy('depth')
    .orderBy('full_code')
    .limit(limit)
    .execute();
}

/** The names of nodes by id, for the places above search hits. */
export async function namesByIds(db: Executor, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('nodes').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** What a new node is given; its path and its name's spellings are worked out here. */
export type NodeInsert = Omit<NewNode, 'path' | 'name_pinyin' | 'name_initials'>;

export async function insertNode(db: Executor, values: NodeInsert, parentPath: string | null) {
  // The path holds the node's own id, so it is set right after the id is known.
  const { id } = await db
    .insertInto('nodes')
    .values({ ...values, ...spellName(values.name), path: `/pending-${values.full_code}/` } as NewNode)
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = `${parentPath ?? '/'}${id}/`;
  await db.updateTable('nodes').set({ path }).where('id', '=', id).execute();
  return { id, path };
}

/** A rename spells the new name too. */
export function updateNode(
  db: Executor,
  id: number,
  values: Partial<Omit<NodeRow, 'name_pinyin' | 'name_initials'>>,
) {
  const set = values.name === undefined ? values : { ...values, ...spellName(values.name) };
  return db.updateTable('nodes').set(set).where('id', '=', id).execute();
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
