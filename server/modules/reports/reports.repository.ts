// SQL for daily reports: templates, submissions, the reporters (target-level nodes) of a subtree.
// Every read of submissions or nodes is a path range on an index; nothing reads a whole table.
import { sql, type SqlBool } from 'kysely';
import { ancestorPaths } from '../../../common/tree.js';
import { subtreeRange } from '../../db/dialect.js';
import type { Executor } from '../../db/index.js';
import type { ReportSubmissionsTable, ReportTemplatesTable } from '../../db/schema.js';
import type { Insertable, Selectable } from 'kysely';

export type TemplateRow = Selectable<ReportTemplatesTable> & { node_name: string; node_level: string };
export type SubmissionRow = Selectable<ReportSubmissionsTable>;

const inRange = (column: string, path: string) => {
  const [lo, hi] = subtreeRange(path);
  return sql<SqlBool>`(${sql.ref(column)} >= ${lo} and ${sql.ref(column)} < ${hi})`;
};

function templates(x: Executor) {
  return x
    .selectFrom('report_templates as t')
    .innerJoin('nodes as n', 'n.id', 't.node_id')
    .selectAll('t')
    .select(['n.name as node_name', 'n.level as node_level']);
}

export function findTemplate(x: Executor, id: number): Promise<TemplateRow | undefined> {
  return templates(x).where('t.id', '=', id).executeTakeFirst();
}

/**
 * Templates whose node lies in one of `within` (subtree ranges), or is exactly one of `at` paths
 * with its target level among the given levels (the ancestors a caller reads or fills below).
 */
export function listTemplates(
  x: Executor,
  q: {
    within: readonly string[];
    at: readonly { path: string; levels: readonly string[] }[];
    commandId?: number | undefined;
    overlapping?: string | undefined;
  },
): Promise<TemplateRow[]> {
  let query = templates(x).where((eb) => {
    const ors = [
      ...q.within.map((p) => inRange('t.node_path', p)),
      ...q.at
        .filter((a) => a.levels.length > 0)
        .map((a) => eb.and([eb('t.node_path', '=', a.path), eb('t.target_level', 'in', a.levels)])),
    ];
    return ors.length ? eb.or(ors) : sql<SqlBool>`1 = 0`;
  });
  if (q.commandId !== undefined) query = query.where('t.command_id', '=', q.commandId);
  if (q.overlapping) {
    const p = q.overlapping;
    query = query.where((eb) =>
      eb.or([inRange('t.node_path', p), eb('t.node_path', 'in', ancestorPaths(p))]),
    );
  }
  return query.orderBy('t.retired_at', 'desc').orderBy('t.id', 'desc').limit(500).execute();
}

export async function insertTemplate(x: Executor, row: Insertable<ReportTemplatesTable>): Promise<number> {
  const r = await x.insertInto('report_templates').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function retireTemplate(x: Executor, id: number, at: string): Promise<void> {
  await x.updateTable('report_templates').set({ retired_at: at }).where('id', '=', id).execute();
}

/** An open incident command, with the subtree it covers. */
export function findOpenCommand(x: Executor, id: number) {
  return x
    .selectFrom('incident_commands')
    .select(['id', 'node_path'])
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
}

export interface Reporter {
  id: number;
  name: string;
  level: string;
  path: string;
  parent_name: string | null;
}

/** Live nodes of a level under a path (the reporters a template expects there), with their parent's name. */
export function reportersUnder(x: Executor, path: string, level: string): Promise<Reporter[]> {
  return x
    .selectFrom('nodes as n')
    .leftJoin('nodes as p', 'p.id', 'n.parent_id')
    .select(['n.id', 'n.name', 'n.level', 'n.path', 'p.name as parent_name'])
    .where(inRange('n.path', path))
    .where('n.level', '=', level)
    .where('n.retired_at', 'is', null)
    .orderBy('n.full_code')
    .execute();
}

/** A day's submissions of a template under a path (index: template, day, path). */
export function submissionsOn(
  x: Executor,
  templateId: number,
  day: string,
  path: string,
): Promise<SubmissionRow[]> {
  return x
    .selectFrom('report_submissions')
    .selectAll()
    .where('template_id', '=', templateId)
    .where('day', '=', day)
    .where(inRange('node_path', path))
    .execute();
}

/** Submissions of a template under a path over a period, in day order. */
export function submissionsBetween(
  x: Executor,
  templateId: number,
  from: string,
  to: string,
  path: string,
): Promise<SubmissionRow[]> {
  return x
    .selectFrom('report_submissions')
    .selectAll()
    .where('template_id', '=', templateId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where(inRange('node_path', path))
    .orderBy('day')
    .orderBy('node_path')
    .execute();
}

export function findSubmission(x: Executor, templateId: number, day: string, nodeId: number) {
  return x
    .selectFrom('report_submissions')
    .selectAll()
    .where('template_id', '=', templateId)
    .where('day', '=', day)
    .where('node_id', '=', nodeId)
    .executeTakeFirst();
}

export async function insertSubmission(x: Executor, row: Insertable<ReportSubmissionsTable>): Promise<void> {
  await x.insertInto('report_submissions').values(row).execute();
}

export async function updateSubmission(
  x: Executor,
  id: number,
  set: { values: string; updated_at: string; submitted_by_user_id: number | null },
): Promise<void> {
  await x.updateTable('report_submissions').set(set).where('id', '=', id).execute();
}

export function nodesByIds(x: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('nodes')
    .select(['id', 'name', 'level', 'path', 'parent_id', 'retired_at'])
    .where('id', 'in', ids)
    .execute();
}

export function childrenOf(x: Executor, nodeId: number) {
  return x
    .selectFrom('nodes')
    .select(['id', 'name', 'level', 'path'])
    .where('parent_id', '=', nodeId)
    .where('retired_at', 'is', null)
    .orderBy('full_code')
    .execute();
}

// ------------------------------------------------------------------ the cockpit's completion figures

/** Templates running on a day whose subtree overlaps a path (an ancestor's, the node's own, or one below). */
export function activeTemplatesOverlapping(x: Executor, path: string, day: string, commandId: number | null) {
  let q = x
    .selectFrom('report_templates')
    .select(['id', 'node_path', 'target_level'])
    .where('retired_at', 'is', null)
    .where('start_day', '<=', day)
    .where((eb) => eb.or([eb('end_day', 'is', null), eb('end_day', '>=', day)]))
    .where((eb) => eb.or([inRange('node_path', path), eb('node_path', 'in', ancestorPaths(path))]));
  if (commandId !== null) q = q.where('command_id', '=', commandId);
  return q.execute();
}

/** A CASE naming, for a path column, which of the child ranges holds it (null: none, e.g. the node itself). */
function bucketOf(column: string, buckets: readonly string[]) {
  if (buckets.length === 0) return sql<string | null>`null`;
  const ref = sql.ref(column);
  const whens = buckets.map((b) => {
    const [lo, hi] = subtreeRange(b);
    return sql`when ${ref} >= ${lo} and ${ref} < ${hi} then ${b}`;
  });
  return sql<string | null>`case ${sql.join(whens, sql` `)} else null end`;
}

function tally(rows: readonly { bucket: string | null; n: number | string | bigint }[]) {
  const by = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    total += Number(r.n);
    if (r.bucket !== null) by.set(r.bucket, (by.get(r.bucket) ?? 0) + Number(r.n));
  }
  return { total, by };
}

/** Live nodes of a level under a path, in total and per child range: one indexed statement. */
export async function countReporters(x: Executor, path: string, level: string, buckets: readonly string[]) {
  const rows = await x
    .selectFrom('nodes')
    .select([bucketOf('path', buckets).as('bucket'), (eb) => eb.fn.countAll<number>().as('n')])
    .where(inRange('path', path))
    .where('level', '=', level)
    .where('retired_at', 'is', null)
    .groupBy(sql`1`)
    .execute();
  return tally(rows);
}

/** A day's submissions of a template under a path (from live nodes), in total and per child range. */
export async function countSubmissions(
  x: Executor,
  templateId: number,
  day: string,
  path: string,
  buckets: readonly string[],
) {
  const rows = await x
    .selectFrom('report_submissions as s')
    .innerJoin('nodes as n', 'n.id', 's.node_id')
    .select([bucketOf('s.node_path', buckets).as('bucket'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('s.template_id', '=', templateId)
    .where('s.day', '=', day)
    .where(inRange('s.node_path', path))
    .where('n.retired_at', 'is', null)
    .groupBy(sql`1`)
    .execute();
  return tally(rows);
}
