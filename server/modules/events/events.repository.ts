// SQL for joint handling: categories, departments and members, events, their history, the work
// calendar's exceptions and notifications.
import { sql } from 'kysely';
import type { Message } from '../../../common/messages/index.js';
import { KPI_COUNTERS, type KpiCounter } from '../../../common/contracts/events.js';
import type { Executor } from '../../db/index.js';
import { fixedQuery } from '../../db/fixed-query.js';
import { insertRows } from '../../db/insert-rows.js';
import type {
  EventCategoriesTable,
  EventCategoryRow,
  EventHistoryTable,
  EventRow,
  NewEvent,
} from '../../db/schema.js';
import { fromIndexed, subtreeRange } from '../../db/dialect.js';
import { inScopes } from '../../platform/actor.js';
import { ancestorPaths } from '../../../common/tree.js';
import { OPEN_STATES } from './events.workflow.js';

// ---- categories

export function listCategories(db: Executor) {
  return db.selectFrom('event_categories').selectAll().orderBy('sort').orderBy('id').execute();
}
export function findCategory(db: Executor, id: number) {
  return db.selectFrom('event_categories').selectAll().where('id', '=', id).executeTakeFirst();
}
export function findCategoryByCode(db: Executor, code: string) {
  return db.selectFrom('event_categories').selectAll().where('code', '=', code).executeTakeFirst();
}
export async function insertCategory(db: Executor, values: Omit<EventCategoriesTable, 'id'>) {
  const r = await db.insertInto('event_categories').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
export function updateCategory(db: Executor, id: number, set: Partial<EventCategoryRow>) {
  return db.updateTable('event_categories').set(set).where('id', '=', id).execute();
}

// ---- departments

export function listDepartments(
  db: Executor,
  f: {
    scopes: readonly string[];
    under?: string | undefined;
    onPathOf?: string | undefined;
    kind?: string | undefined;
  },
) {
  let q = db
    .selectFrom('departments as d')
    .innerJoin('nodes as n', 'n.id', 'd.node_id')
    .select(['d.id', 'd.node_id', 'd.node_path', 'd.kind', 'd.name', 'd.retired_at', 'n.name as node_name'])
    .where((eb) => inScopes(eb, 'd.node_path', f.scopes));
  if (f.under) {
    const [lo, hi] = subtreeRange(f.under);
    q = q.where('d.node_path', '>=', lo).where('d.node_path', '<', hi);
  }
  // Departments that serve a place: attached to the place or to one of its ancestors.
  if (f.onPathOf) q = q.where('d.node_path', 'in', ancestorPaths(f.onPathOf));
  if (f.kind) q = q.where('d.kind', '=', f.kind);
  return q.orderBy('d.node_path').orderBy('d.kind').orderBy('d.id').limit(1000).execute();
}
export type DepartmentListRow = Awaited<ReturnType<typeof listDepartments>>[number];

export function findDepartment(db: Executor, id: number) {
  return db
    .selectFrom('departments as d')
    .innerJoin('nodes as n', 'n.id', 'd.node_id')
    .select(['d.id', 'd.node_id', 'd.node_path', 'd.kind', 'd.name', 'd.retired_at', 'n.name as node_name'])
    .where('d.id', '=', id)
    .executeTakeFirst();
}
export async function insertDepartment(
  db: Executor,
  v: { node_id: number; node_path: string; kind: string; name: string; now: string },
) {
  const r = await db
    .insertInto('departments')
    .values({
      node_id: v.node_id,
      node_path: v.node_path,
      kind: v.kind,
      name: v.name,
      retired_at: null,
      created_at: v.now,
      updated_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
export function updateDepartment(
  db: Executor,
  id: number,
  set: { name?: string; retired_at?: string | null; updated_at: string },
) {
  return db.updateTable('departments').set(set).where('id', '=', id).execute();
}
export function membersOf(db: Executor, departmentIds: readonly number[]) {
  if (departmentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('department_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.department_id', 'u.id', 'u.username', 'u.display_name'])
    .where('m.department_id', 'in', departmentIds)
    .orderBy('u.username')
    .execute();
}
export async function addMember(db: Executor, departmentId: number, userId: number, now: string) {
  await db
    .insertInto('department_members')
    .values({ department_id: departmentId, user_id: userId, created_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
export async function removeMember(db: Executor, departmentId: number, userId: number) {
  const r = await db
    .deleteFrom('department_members')
    .where('department_id', '=', departmentId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
export async function departmentIdsOfUser(db: Executor, userId: number) {
  const rows = await db
    .selectFrom('department_members as m')
    .innerJoin('departments as d', 'd.id', 'm.department_id')
    .select('m.department_id')
    .where('m.user_id', '=', userId)
    .where('d.retired_at', 'is', null)
    .execute();
  return rows.map((r) => r.department_id);
}

// ---- events

/** Several new events in one statement; the ids come back keyed by tracking code (RETURNING has no set order). */
const insertEventRows = insertRows('events', ['id', 'tracking_code']);
export async function insertEvents(db: Executor, values: readonly NewEvent[]) {
  const rows = await insertEventRows(db, values);
  return new Map(rows.map((r) => [r.tracking_code, r.id]));
}
export function updateEvent(db: Executor, id: number, set: Partial<EventRow>) {
  return db.updateTable('events').set(set).where('id', '=', id).execute();
}
/**
 * A workflow step's update, only if the event is still as it was read (state and last change): two
 * steps on one event at once on PostgreSQL must not both pass, or the open count would move twice.
 */
export async function updateEventFrom(
  db: Executor,
  seen: { id: number; state: string; updated_at: string },
  set: Partial<EventRow>,
) {
  const [r] = await db
    .updateTable('events')
    .set(set)
    .where('id', '=', seen.id)
    .where('state', '=', seen.state)
    .where('updated_at', '=', seen.updated_at)
    .execute();
  return Number(r?.numUpdatedRows ?? 0) === 1;
}

const summaryColumns = [
  'e.id',
  'e.tracking_code',
  'e.title',
  'e.state',
  'e.channel',
  'e.node_id',
  'e.node_path',
  'e.owner_level',
  'e.owner_path',
  'e.lead_department_id',
  'e.due_at',
  'e.created_at',
  'e.updated_at',
  'e.category_id',
  'c.code as category_code',
  'c.name_zh as category_name_zh',
  'c.name_en as category_name_en',
  'n.name as node_name',
  'd.name as lead_department_name',
] as const;

function withJoins(db: Executor) {
  return db
    .selectFrom('events as e')
    .innerJoin('event_categories as c', 'c.id', 'e.category_id')
    .innerJoin('nodes as n', 'n.id', 'e.node_id')
    .leftJoin('departments as d', 'd.id', 'e.lead_department_id');
}

export function findEvent(db: Executor, id: number) {
  return withJoins(db).selectAll('e').select(summaryColumns).where('e.id', '=', id).executeTakeFirst();
}
export type EventWithJoins = NonNullable<Awaited<ReturnType<typeof findEvent>>>;

export function findEventByTrackingCode(db: Executor, code: string) {
  return withJoins(db)
    .selectAll('e')
    .select(summaryColumns)
    .where('e.tracking_code', '=', code)
    .executeTakeFirst();
}

export interface EventFilter {
  /** Where the caller may read every event (events.read scopes). */
  readScopes: readonly string[];
  /** Departments whose dispatched events the caller may read as well. */
  departmentIds: readonly number[];
  under?: string | undefined;
  states?: readonly string[] | undefined;
  categoryId?: number | undefined;
  level?: string | undefined;
  channel?: string | undefined;
  overdueAt?: string | undefined;
  notOverdueAt?: string | undefined;
  text?: string | undefined;
  /** Only events owned within these paths (the triage task list). */
  ownedWithin?: readonly string[] | undefined;
}

export function filtered(db: Executor, f: EventFilter) {
  let q = withJoins(db).where((eb) => {
    const ors = [inScopes(eb, 'e.node_path', f.readScopes)];
    if (f.departmentIds.length > 0) {
      ors.push(
        eb.exists(
          eb
            .selectFrom('event_departments as ed')
            .select('ed.event_id')
            .whereRef('ed.event_id', '=', 'e.id')
            .where('ed.department_id', 'in', f.departmentIds),
        ),
      );
    }
    return eb.or(ors);
  });
  if (f.under) {
    const [lo, hi] = subtreeRange(f.under);
    q = q.where('e.node_path', '>=', lo).where('e.node_path', '<', hi);
  }
  if (f.ownedWithin) {
    const scopes = f.ownedWithin;
    q = q.where((eb) => inScopes(eb, 'e.owner_path', scopes));
  }
  if (f.states && f.states.length > 0) q = q.where('e.state', 'in', f.states);
  if (f.categoryId)
    q = q.where((eb) =>
      eb.or([eb('e.category_id', '=', f.categoryId!), eb('c.parent_id', '=', f.categoryId!)]),
    );
  if (f.level) q = q.where('e.owner_level', '=', f.level);
  if (f.channel) q = q.where('e.channel', '=', f.channel);
  if (f.overdueAt) q = q.where('e.due_at', '<', f.overdueAt);
  if (f.notOverdueAt)
    q = q.where((eb) => eb.or([eb('e.due_at', 'is', null), eb('e.due_at', '>=', f.notOverdueAt!)]));
  if (f.text)
    q = q.where((eb) =>
      eb.or([
        eb('e.tracking_code', '=', f.text!.toUpperCase()),
        eb('e.title', 'like', `%${f.text!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
      ]),
    );
  return q;
}

export async function countEvents(db: Executor, f: EventFilter) {
  const r = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Overdue first (earliest deadline first), then the newest. */
export function listEvents(db: Executor, f: EventFilter, limit: number, offset: number) {
  return filtered(db, f)
    .select(summaryColumns)
    .orderBy((eb) => eb.case().when('e.due_at', 'is', null).then(1).else(0).end())
    .orderBy('e.due_at')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}
export type EventListRow = Awaited<ReturnType<typeof listEvents>>[number];

export function eventDepartments(db: Executor, eventId: number) {
  return db
    .selectFrom('event_departments as ed')
    .innerJoin('departments as d', 'd.id', 'ed.department_id')
    .select(['d.id', 'd.name', 'd.node_path', 'ed.role'])
    .where('ed.event_id', '=', eventId)
    .orderBy('ed.role', 'desc')
    .orderBy('d.id')
    .execute();
}
export async function setEventDepartments(
  db: Executor,
  eventId: number,
  lead: number,
  assisting: readonly number[],
) {
  await db.deleteFrom('event_departments').where('event_id', '=', eventId).execute();
  await db
    .insertInto('event_departments')
    .values([
      { event_id: eventId, department_id: lead, role: 'lead' },
      ...assisting
        .filter((a) => a !== lead)
        .map((a) => ({ event_id: eventId, department_id: a, role: 'assist' })),
    ])
    .execute();
}

export type NewHistory = Omit<EventHistoryTable, 'id'>;
export function addHistory(db: Executor, row: NewHistory) {
  return db
    .insertInto('event_history')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow()
    .then((r) => r.id);
}
/** First history rows of several new events in one statement: ids keyed by event (one row each). */
const insertHistoryRows = insertRows('event_history', ['id', 'event_id']);
export async function addFirstHistories(db: Executor, rows: readonly NewHistory[]) {
  const out = await insertHistoryRows(db, rows);
  return new Map(out.map((r) => [r.event_id, r.id]));
}
export type HistoryRow = Awaited<ReturnType<typeof historyOf>>[number];
export function historyOf(db: Executor, eventId: number) {
  return db.selectFrom('event_history').selectAll().where('event_id', '=', eventId).orderBy('id').execute();
}
/** The last request for more time: its hours are what an approval grants. */
export function lastHistoryOf(db: Executor, eventId: number, action: string) {
  return db
    .selectFrom('event_history')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Open events of a sub-category in a lat/lng box since a time: candidates for "possible duplicate". */
/**
 * `state in ('reported', …)` as literals: the partial index events_open_near (migration 0013) applies
 * only to this very term. A change to OPEN_STATES needs a migration that rebuilds the index with it.
 */
const openStatesTerm = sql<boolean>`${sql.ref('state')} in (${sql.join(OPEN_STATES.map((s) => sql.lit(s)))})`;
export const openEventsNearQuery = fixedQuery(
  (db, categoryId: number, since: string, latFrom: number, latTo: number, lngFrom: number, lngTo: number) =>
    db
      .selectFrom('events')
      .select(['id', 'tracking_code', 'title', 'state', 'lat', 'lng', 'created_at', 'node_path'])
      .where('category_id', '=', categoryId)
      .where(openStatesTerm)
      .where('created_at', '>=', since)
      .where('lat', '>=', latFrom)
      .where('lat', '<=', latTo)
      .where('lng', '>=', lngFrom)
      .where('lng', '<=', lngTo)
      .limit(sql.lit(50)),
);
/** Open events of a sub-category in a box since a time: the possible duplicates of every report (compiled once). */
export function openEventsNear(
  db: Executor,
  v: { categoryId: number; since: string; lat: [number, number]; lng: [number, number] },
) {
  return openEventsNearQuery(db, v.categoryId, v.since, v.lat[0], v.lat[1], v.lng[0], v.lng[1]);
}

/** Events below the district whose running clock has passed, oldest deadline first. At the district
 * the ladder ends: such events keep their deadline and stay overdue, but the sweep leaves them. */
export const pastDue = fixedQuery((db, now: string, limit: number) =>
  db
    .selectFrom('events')
    .selectAll()
    .where('due_at', '<', now)
    .where('owner_level', '!=', sql.lit('district'))
    .orderBy('due_at')
    .limit(limit),
);

// ---- grids for locating a point

export function gridPolygons(db: Executor) {
  return db
    .selectFrom('nodes')
    .select(['id', 'path', 'name', 'level', 'polygon'])
    .where('level', '=', 'grid')
    .where('retired_at', 'is', null)
    .where('polygon', 'is not', null)
    .execute();
}

// ---- calendar

export function calendarDays(db: Executor) {
  return db.selectFrom('work_calendar_days').selectAll().orderBy('day').execute();
}
export async function putCalendarDay(
  db: Executor,
  v: { day: string; kind: string; name: string; now: string },
) {
  await db.deleteFrom('work_calendar_days').where('day', '=', v.day).execute();
  await db
    .insertInto('work_calendar_days')
    .values({ day: v.day, kind: v.kind, name: v.name, created_at: v.now })
    .execute();
}
export async function deleteCalendarDay(db: Executor, day: string) {
  const r = await db.deleteFrom('work_calendar_days').where('day', '=', day).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// ---- notifications

/** Users with a role assignment exactly at one of these nodes (by path) whose role grants the permission. */
export async function usersAssignedAt(db: Executor, paths: readonly string[], permission: string) {
  if (paths.length === 0) return [];
  const rows = await db
    .selectFrom('role_assignments as a')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.user_id', 'r.permissions'])
    .where('n.path', 'in', paths)
    .where('u.disabled', '=', 0)
    .execute();
  return [
    ...new Set(
      rows.filter((r) => (JSON.parse(r.permissions) as string[]).includes(permission)).map((r) => r.user_id),
    ),
  ];
}
export async function usersOfDepartments(db: Executor, departmentIds: readonly number[]) {
  if (departmentIds.length === 0) return [];
  const rows = await db
    .selectFrom('department_members')
    .select('user_id')
    .where('department_id', 'in', departmentIds)
    .execute();
  return [...new Set(rows.map((r) => r.user_id))];
}
export async function notify(
  db: Executor,
  userIds: readonly number[],
  n: { at: string; kind: string; message: Message; entityType: string; entityId: number },
) {
  if (userIds.length === 0) return;
  await db
    .insertInto('notifications')
    .values(
      userIds.map((u) => ({
        user_id: u,
        at: n.at,
        kind: n.kind,
        text_zh: '',
        text_en: '',
        message_code: n.message.code,
        message_params: n.message.params ? JSON.stringify(n.message.params) : null,
        entity_type: n.entityType,
        entity_id: n.entityId,
        read_at: null,
      })),
    )
    .execute();
}
export function notificationsOf(db: Executor, userId: number, limit: number) {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
/** All of the user's unread notifications, or only those up to `upToId` (the newest the user has seen). */
export function markNotificationsRead(db: Executor, userId: number, now: string, upToId?: number) {
  return db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .$if(upToId !== undefined, (q) => q.where('id', '<=', upToId!))
    .execute();
}

// ---- nodes for the KPI drill-down

export function nodeByPath(db: Executor, path: string) {
  return db
    .selectFrom('nodes')
    .select(['id', 'name', 'level', 'path'])
    .where('path', '=', path)
    .executeTakeFirst();
}
export function childNodes(db: Executor, parentId: number) {
  return db
    .selectFrom('nodes')
    .select(['id', 'name', 'level', 'path'])
    .where('parent_id', '=', parentId)
    .where('retired_at', 'is', null)
    .orderBy('code')
    .execute();
}

// ---- KPI rollup

export type KpiDelta = Partial<Record<KpiCounter | 'handling_hours', number>>;

/** Adds to the day's counters of the event's node and of every ancestor, in the caller's transaction. */
export function bumpKpi(db: Executor, nodePath: string, day: string, delta: KpiDelta) {
  return bumpKpiMany(db, [{ nodePath, day, delta }]);
}

/**
 * bumpKpi for several changes at once (a batch of reports): summed per node and day first, since one
 * upsert may not touch a row twice (PostgreSQL refuses it), then written in one statement.
 */
export async function bumpKpiMany(
  db: Executor,
  changes: readonly { nodePath: string; day: string; delta: KpiDelta }[],
) {
  type Counters = Record<KpiCounter | 'handling_hours', number>;
  const zero = () => Object.fromEntries([...KPI_COUNTERS, 'handling_hours'].map((k) => [k, 0])) as Counters;
  const sums = new Map<string, { node_path: string; day: string } & Counters>();
  const touched = new Set<KpiCounter | 'handling_hours'>();
  for (const { nodePath, day, delta } of changes) {
    const changed = Object.entries(delta).filter(([, v]) => v !== 0 && v !== undefined) as [
      KpiCounter | 'handling_hours',
      number,
    ][];
    if (changed.length === 0) continue;
    for (const p of ancestorPaths(nodePath)) {
      const key = `${p}|${day}`;
      let row = sums.get(key);
      if (!row) sums.set(key, (row = { ...zero(), node_path: p, day }));
      for (const [k, v] of changed) {
        row[k] += v;
        touched.add(k);
      }
    }
  }
  if (sums.size === 0) return;
  const rows = [...sums.values()];
  // 19 columns a row: 1,500 rows stay under SQLite's 32,766 bound parameters.
  for (let i = 0; i < rows.length; i += 1500)
    await db
      .insertInto('event_kpi_daily')
      .values(rows.slice(i, i + 1500))
      .onConflict((oc) =>
        oc
          .columns(['node_path', 'day'])
          .doUpdateSet(
            Object.fromEntries(
              [...touched].map((k) => [
                k,
                sql<number>`event_kpi_daily.${sql.ref(k)} + excluded.${sql.ref(k)}`,
              ]),
            ),
          ),
      )
      .execute();
}

/** The counters of each node summed over a period of days (inclusive). */
export function sumKpi(db: Executor, paths: readonly string[], from: string, to: string) {
  if (paths.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('event_kpi_daily')
    .select((eb) => [
      'node_path',
      ...[...KPI_COUNTERS, 'handling_hours' as const].map((k) =>
        eb.fn.coalesce(eb.fn.sum<number>(k), sql<number>`0`).as(k),
      ),
    ])
    .where('node_path', 'in', paths)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .groupBy('node_path')
    .execute();
}

/** One node's counters day by day, for the chart. */
export function kpiDays(db: Executor, path: string, from: string, to: string) {
  return db
    .selectFrom('event_kpi_daily')
    .select(['day', 'received', 'closed', 'due'])
    .where('node_path', '=', path)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('day')
    .execute();
}

/** Open events under each path whose running deadline has passed. One read of the overdue events
 * by the deadline index (a small set: a path condition here lets the planner walk the whole subtree
 * instead), counted into each path by prefix. */
export async function overdueUnder(db: Executor, paths: readonly string[], now: string) {
  const out = new Map<string, number>(paths.map((p) => [p, 0]));
  if (paths.length === 0) return out;
  // paths[0] holds the others (a node and its children): count within its subtree, one row per place.
  const [lo, hi] = subtreeRange(paths[0]!);
  // By the deadline index: the overdue are few, the subtree may be the whole district.
  const { rows } = await sql<{ node_path: string; n: number }>`
    select node_path, count(*) as n from ${fromIndexed(db, 'events', 'events_due')}
    where due_at < ${now} and node_path >= ${lo} and node_path < ${hi}
    group by node_path`.execute(db);
  for (const r of rows)
    for (const p of paths) if (r.node_path.startsWith(p)) out.set(p, out.get(p)! + Number(r.n));
  return out;
}
