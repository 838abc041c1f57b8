// SQL for reading the filtered event list whole, not a page of it: the workbook's rows, the map's
// points and the open events per place. Visibility and filters are the list's (`filtered`).
import type { Executor } from '../../db/index.js';
import { filtered, type EventFilter } from './events.repository.js';

/** The list's rows, in the list's order, with what a workbook adds: the parent category, the place's code, the closing. */
export function exportRows(db: Executor, f: EventFilter, limit: number) {
  return filtered(db, f)
    .leftJoin('event_categories as pc', 'pc.id', 'c.parent_id')
    .select([
      'e.id',
      'e.tracking_code',
      'e.title',
      'e.state',
      'e.channel',
      'e.node_path',
      'e.owner_level',
      'e.due_at',
      'e.created_at',
      'e.closed_at',
      'e.close_reason',
      'c.name_zh as category_name_zh',
      'c.name_en as category_name_en',
      'pc.name_zh as parent_category_name_zh',
      'pc.name_en as parent_category_name_en',
      'n.name as node_name',
      'n.full_code as node_full_code',
      'd.name as lead_department_name',
    ])
    .orderBy((eb) => eb.case().when('e.due_at', 'is', null).then(1).else(0).end())
    .orderBy('e.due_at')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
}

/** Names of nodes by id (the places' ancestors, for their full names). */
export async function nodeNames(db: Executor, ids: readonly number[]) {
  const out = new Map<number, string>();
  // Chunks keep the bound parameters well under either database's limit.
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('nodes')
      .select(['id', 'name'])
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.set(r.id, r.name);
  }
  return out;
}

/** Open events with a map point, overdue first. */
export function openPoints(db: Executor, f: EventFilter, limit: number) {
  return filtered(db, f)
    .select([
      'e.id',
      'e.tracking_code',
      'e.title',
      'e.state',
      'e.due_at',
      'e.lat',
      'e.lng',
      'c.name_zh as category_name_zh',
      'c.name_en as category_name_en',
    ])
    .where('e.lat', 'is not', null)
    .where('e.lng', 'is not', null)
    .orderBy((eb) => eb.case().when('e.due_at', 'is', null).then(1).else(0).end())
    .orderBy('e.due_at')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
}

/** Matching events per place (node path), and how many of them are past their deadline at `now`. */
export async function countsByPlace(db: Executor, f: EventFilter, now: string) {
  const rows = await filtered(db, f)
    .select((eb) => [
      'e.node_path',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>(eb.case().when('e.due_at', '<', now).then(1).else(0).end()).as('overdue'),
    ])
    .groupBy('e.node_path')
    .execute();
  return rows.map((r) => ({ path: r.node_path, n: Number(r.n), overdue: Number(r.overdue ?? 0) }));
}
