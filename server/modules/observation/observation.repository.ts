// SQL of home observation: orders, their carers and household members, the daily follow-ups.
// No rules here: observation.service.ts decides.
import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../db/index.js';
import { subtreeRange } from '../../db/dialect.js';
import type { ObservationFollowUpsTable, ObservationOrdersTable } from '../../db/schema.js';
import { insertRows } from '../../db/insert-rows.js';
import { addDays } from '../../../common/worktime.js';
import { inScopes } from '../../platform/actor.js';

type FollowUpStatus = ObservationFollowUpsTable['status'];
type OrderStatus = ObservationOrdersTable['status'];

// ------------------------------------------------------------------ people and users
/** The person an order is for (or a member observed with them), with their place. */
export function findPeople(x: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('persons as p')
    .innerJoin('nodes as n', 'n.id', 'p.node_id')
    .select([
      'p.id',
      'p.name',
      'p.node_id',
      'p.node_path',
      'p.id_number_masked',
      'p.phone_masked',
      'p.merged_into_id',
      'n.name as node_name',
    ])
    .where('p.id', 'in', ids)
    .execute();
}

/**
 * Accounts with a role at one of these exact paths or under `under` whose role grants `permission`
 * (the roles' grants are JSON text: matched in SQL, so the limit counts only those that qualify):
 * the carers a person's order may name, those with a role in `first` (the person's village) first.
 * With `ids`, only those accounts.
 */
export function usersNear(
  x: Executor,
  exactPaths: readonly string[],
  under: string,
  first: string,
  permission: string,
  limit: number,
  ids?: readonly number[],
) {
  const [lo, hi] = subtreeRange(under);
  const [flo, fhi] = subtreeRange(first);
  let q = x
    .selectFrom('role_assignments as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .select(['u.id', 'u.display_name', 'r.code as role', 'n.id as node_id', 'n.name as node_name'])
    .where('u.disabled', '=', 0)
    .where('r.permissions', 'like', `%${JSON.stringify(permission)}%`)
    .where((eb) =>
      eb.or([eb('n.path', 'in', exactPaths), eb.and([eb('n.path', '>=', lo), eb('n.path', '<', hi)])]),
    );
  if (ids !== undefined) {
    if (ids.length === 0) return Promise.resolve([]);
    q = q.where('u.id', 'in', ids);
  }
  return q
    .orderBy(sql`case when n.path >= ${flo} and n.path < ${fhi} then 0 else 1 end`)
    .orderBy('n.path')
    .orderBy('u.id')
    .limit(Math.max(1, limit) * 4)
    .execute();
}

// ------------------------------------------------------------------ orders
export function activeOrderOf(x: Executor, personId: number) {
  return x
    .selectFrom('observation_orders')
    .select(['id', 'end_date'])
    .where('person_id', '=', personId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function insertOrder(x: Executor, row: Insertable<ObservationOrdersTable>): Promise<number> {
  const r = await x.insertInto('observation_orders').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

const insertOrderRows = insertRows('observation_orders', ['id']);
/** Many orders in multi-row statements: their ids in the order of the rows. */
export async function insertOrders(x: Executor, rows: readonly Insertable<ObservationOrdersTable>[]) {
  // The ids are drawn in the order of the rows; RETURNING promises no order, ascending restores it.
  return (await insertOrderRows(x, rows)).map((r) => r.id).sort((a, b) => a - b);
}

/** People of these ids already in observation. */
export async function activeAmong(x: Executor, personIds: readonly number[]) {
  if (personIds.length === 0) return new Set<number>();
  const rows = await x
    .selectFrom('observation_orders')
    .select('person_id')
    .where('person_id', 'in', personIds)
    .where('status', '=', 'active')
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

export async function insertCarers(
  x: Executor,
  rows: readonly { order_id: number; user_id: number; kind: 'party_member' | 'grid_worker' | 'doctor' }[],
) {
  if (rows.length > 0)
    await x
      .insertInto('observation_carers')
      .values([...rows])
      .execute();
}

export async function insertMembers(x: Executor, rows: readonly { order_id: number; person_id: number }[]) {
  if (rows.length > 0)
    await x
      .insertInto('observation_members')
      .values([...rows])
      .execute();
}

const insertFollowUpRows = insertRows('observation_follow_ups');
/** One due follow-up a day, in multi-row statements (a bulk of orders at once). */
export async function insertFollowUps(
  x: Executor,
  rows: readonly { order_id: number; node_path: string; date: string }[],
) {
  await insertFollowUpRows(
    x,
    rows.map((r) => ({
      order_id: r.order_id,
      node_path: r.node_path,
      date: r.date,
      status: 'due' as const,
      detail_enc: null,
      recorded_by_user_id: null,
      recorded_at: null,
    })),
  );
}

const orderColumns = [
  'o.id',
  'o.person_id',
  'o.node_id',
  'o.node_path',
  'o.command_id',
  'o.reason_enc',
  'o.place',
  'o.start_date',
  'o.end_date',
  'o.days',
  'o.status',
  'o.transfer_to',
  'o.created_at',
  'o.closed_at',
  'n.name as node_name',
  'p.name as person_name',
  'p.id_number_masked',
  'p.phone_masked',
] as const;

export function findOrder(x: Executor, id: number) {
  return x
    .selectFrom('observation_orders as o')
    .innerJoin('nodes as n', 'n.id', 'o.node_id')
    .innerJoin('persons as p', 'p.id', 'o.person_id')
    .select(orderColumns)
    .where('o.id', '=', id)
    .executeTakeFirst();
}
export type OrderRow = NonNullable<Awaited<ReturnType<typeof findOrder>>>;

export function carersOf(x: Executor, orderIds: readonly number[]) {
  if (orderIds.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('observation_carers as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.order_id', 'c.user_id', 'c.kind', 'u.display_name'])
    .where('c.order_id', 'in', orderIds)
    .orderBy('c.order_id')
    .orderBy('c.user_id')
    .execute();
}

export function membersOf(x: Executor, orderId: number) {
  return x
    .selectFrom('observation_members as m')
    .innerJoin('persons as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.name'])
    .where('m.order_id', '=', orderId)
    .orderBy('p.id')
    .execute();
}

export function isCarer(x: Executor, orderId: number, userId: number) {
  return x
    .selectFrom('observation_carers')
    .select('order_id')
    .where('order_id', '=', orderId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
    .then((r) => r !== undefined);
}

/** Moves an order on from the status it was read in; false when another request moved it first. */
export async function setOrder(
  x: Executor,
  id: number,
  from: OrderStatus,
  /** The end date as read: an extension in between makes the step start over. */
  endDate: string,
  patch: Partial<
    Pick<ObservationOrdersTable, 'status' | 'transfer_to' | 'end_date' | 'days' | 'updated_at' | 'closed_at'>
  >,
): Promise<boolean> {
  const r = await x
    .updateTable('observation_orders')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', from)
    .where('end_date', '=', endDate)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The caller's orders: in one of their scopes, or naming them as carer; newest first. */
export async function listOrders(
  x: Executor,
  scopes: readonly string[],
  /** Orders naming this user carer are theirs too; null: only the scopes. */
  carerUserId: number | null,
  f: { under?: string; status?: OrderStatus },
  limit: number,
  offset: number,
) {
  const base = () => {
    let q = x
      .selectFrom('observation_orders as o')
      .where((eb) =>
        carerUserId === null
          ? inScopes(eb, 'o.node_path', scopes)
          : eb.or([
              inScopes(eb, 'o.node_path', scopes),
              eb.exists(
                eb
                  .selectFrom('observation_carers as c')
                  .select('c.order_id')
                  .whereRef('c.order_id', '=', 'o.id')
                  .where('c.user_id', '=', carerUserId),
              ),
            ]),
      );
    if (f.under !== undefined) {
      const [lo, hi] = subtreeRange(f.under);
      q = q.where('o.node_path', '>=', lo).where('o.node_path', '<', hi);
    }
    if (f.status !== undefined) q = q.where('o.status', '=', f.status);
    return q;
  };
  const [{ n }, rows] = await Promise.all([
    base()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    base()
      .innerJoin('nodes as n', 'n.id', 'o.node_id')
      .innerJoin('persons as p', 'p.id', 'o.person_id')
      .select(orderColumns)
      .orderBy('o.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
  ]);
  return { total: Number(n), rows };
}

// ------------------------------------------------------------------ follow-ups
export function followUpsOf(x: Executor, orderId: number) {
  return x
    .selectFrom('observation_follow_ups as f')
    .leftJoin('users as u', 'u.id', 'f.recorded_by_user_id')
    .select([
      'f.id',
      'f.date',
      'f.status',
      'f.detail_enc',
      'f.recorded_by_user_id',
      'f.recorded_at',
      'f.handled_at',
      'u.display_name as recorded_by_name',
    ])
    .where('f.order_id', '=', orderId)
    .orderBy('f.date')
    .execute();
}

/** Per order: today's follow-up status and how many days were missed. */
export async function dayFacts(x: Executor, orderIds: readonly number[], today: string) {
  if (orderIds.length === 0) return new Map<number, { today: FollowUpStatus | null; missed: number }>();
  const rows = await x
    .selectFrom('observation_follow_ups')
    .select([
      'order_id',
      sql<string | null>`max(case when date = ${today} then status end)`.as('today'),
      sql<number>`sum(case when status = 'missed' then 1 else 0 end)`.as('missed'),
    ])
    .where('order_id', 'in', orderIds)
    .groupBy('order_id')
    .execute();
  return new Map(
    rows.map((r) => [
      r.order_id,
      { today: (r.today ?? null) as FollowUpStatus | null, missed: Number(r.missed) },
    ]),
  );
}

export function findFollowUp(x: Executor, orderId: number, date: string) {
  return x
    .selectFrom('observation_follow_ups')
    .select(['id', 'status', 'date', 'handled_at'])
    .where('order_id', '=', orderId)
    .where('date', '=', date)
    .executeTakeFirst();
}

/** Records a day's follow-up if it is still as read; false when another request got there first. */
export async function setFollowUp(
  x: Executor,
  id: number,
  from: FollowUpStatus,
  patch: Pick<ObservationFollowUpsTable, 'status' | 'detail_enc' | 'recorded_by_user_id' | 'recorded_at'>,
): Promise<boolean> {
  const r = await x
    .updateTable('observation_follow_ups')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Deletes an order's follow-ups still due from a date on (the order ended): the dates deleted. */
export async function deleteDueFrom(x: Executor, orderId: number, from: string): Promise<string[]> {
  const rows = await x
    .deleteFrom('observation_follow_ups')
    .where('order_id', '=', orderId)
    .where('status', '=', 'due')
    .where('date', '>=', from)
    .returning('date')
    .execute();
  return rows.map((r) => r.date);
}

/**
 * A caller's tasks among the days of orders: those in their scopes, or whose carer they are (only as
 * the doctor, with `doctorOnly`), with what a task card shows. The callers add which days.
 */
function dayTasks(x: Executor, scopes: readonly string[], userId: number, doctorOnly: boolean) {
  return x
    .selectFrom('observation_follow_ups as f')
    .innerJoin('observation_orders as o', 'o.id', 'f.order_id')
    .innerJoin('persons as p', 'p.id', 'o.person_id')
    .innerJoin('nodes as n', 'n.id', 'o.node_id')
    .leftJoin('observation_carers as c', (j) => {
      const on = j.onRef('c.order_id', '=', 'o.id').on('c.user_id', '=', userId);
      return doctorOnly ? on.on('c.kind', '=', 'doctor') : on;
    })
    .select([
      'o.id as order_id',
      'o.end_date',
      'o.person_id',
      'p.name as person_name',
      'o.node_id',
      'n.name as node_name',
      'f.date',
      'f.status',
      'c.user_id as carer',
    ])
    .where((eb) => eb.or([inScopes(eb, 'f.node_path', scopes), eb('c.user_id', '=', userId)]));
}

/**
 * Follow-ups still due up to today (yesterday's not yet flagged) of orders in observation, in the
 * caller's scopes or naming them carer: their tasks, oldest first.
 */
export function dueFollowUps(
  x: Executor,
  scopes: readonly string[],
  userId: number,
  today: string,
  limit: number,
) {
  return (
    dayTasks(x, scopes, userId, false)
      .where('f.status', '=', 'due')
      // Today's; and the first day of an order starting tomorrow, so its carers know it is coming.
      .where((eb) =>
        eb.or([
          eb('f.date', '<=', today),
          eb.and([eb('f.date', '=', addDays(today, 1)), eb('o.start_date', '=', addDays(today, 1))]),
        ]),
      )
      // Yesterday's until the sweep flags it; an older one is the sweep's (or was never the carers').
      .where('f.date', '>=', addDays(today, -1))
      .where('o.status', '=', 'active')
      .orderBy('f.date')
      .orderBy('o.id')
      .limit(limit)
      .execute()
  );
}

/**
 * Days that found a person unwell, not yet handled, of orders in the caller's scopes or whose doctor
 * they are: the alerts at the top of their tasks, newest first.
 */
export function openAlerts(x: Executor, scopes: readonly string[], userId: number, limit: number) {
  return dayTasks(x, scopes, userId, true)
    .where('f.status', '=', 'unwell')
    .where('f.handled_at', 'is', null)
    .orderBy('f.date', 'desc')
    .orderBy('o.id')
    .limit(limit)
    .execute();
}

/** Marks an unwell day's alert handled, if still open; false when another request got there first. */
export async function setHandled(x: Executor, id: number, userId: number, at: string): Promise<boolean> {
  const r = await x
    .updateTable('observation_follow_ups')
    .set({ handled_at: at, handled_by_user_id: userId })
    .where('id', '=', id)
    .where('status', '=', 'unwell')
    .where('handled_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Whether the user is one of the order's doctors (the health contact). */
export function isDoctor(x: Executor, orderId: number, userId: number) {
  return x
    .selectFrom('observation_carers')
    .select('order_id')
    .where('order_id', '=', orderId)
    .where('user_id', '=', userId)
    .where('kind', '=', 'doctor')
    .executeTakeFirst()
    .then((r) => r !== undefined);
}

/** Follow-ups of days before `before` still due: the morning sweep's work. */
export function pastDue(x: Executor, before: string, limit: number) {
  return (
    x
      .selectFrom('observation_follow_ups as f')
      .innerJoin('observation_orders as o', 'o.id', 'f.order_id')
      .innerJoin('persons as p', 'p.id', 'o.person_id')
      .innerJoin('nodes as n', 'n.id', 'o.node_id')
      .select([
        'f.id',
        'f.date',
        'o.id as order_id',
        'o.node_path',
        'o.command_id',
        'p.name',
        'n.name as node_name',
      ])
      .where('f.status', '=', 'due')
      .where('f.date', '<', before)
      // A day before the order was made (it started yesterday) was never the carers' to miss.
      .whereRef('f.date', '>=', 'o.created_on')
      .orderBy('f.date')
      .limit(limit)
      .execute()
  );
}

/** Carers of an order who are doctors (the health contact), for an unwell alert. */
export function doctorsOf(x: Executor, orderId: number) {
  return x
    .selectFrom('observation_carers')
    .select('user_id')
    .where('order_id', '=', orderId)
    .where('kind', '=', 'doctor')
    .execute()
    .then((rows) => rows.map((r) => r.user_id));
}

/** An incident command's place and whether it closed: the commands an order may serve. */
export function findCommandBrief(x: Executor, id: number) {
  return x
    .selectFrom('incident_commands')
    .select(['node_path', 'closed_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The node at a path (the caller's widest place: it exists, a role is assigned there). */
export function nodeAtPath(x: Executor, path: string) {
  return x
    .selectFrom('nodes')
    .select(['id', 'name', 'path', 'level'])
    .where('path', '=', path)
    .executeTakeFirstOrThrow();
}

/** A node's children still in use, in code order: the rows of a place's figures. */
export function liveChildren(x: Executor, parentId: number) {
  return x
    .selectFrom('nodes')
    .select(['id', 'name', 'path', 'level'])
    .where('parent_id', '=', parentId)
    .where('retired_at', 'is', null)
    .orderBy('code')
    .execute();
}

/** Counter values of some metrics at exact paths (a node and its children), for command 0. */
export function countersAt(x: Executor, paths: readonly string[], metrics: readonly string[]) {
  if (paths.length === 0 || metrics.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('live_counters')
    .select(['node_path', 'metric', 'value'])
    .where('command_id', '=', 0)
    .where('node_path', 'in', paths)
    .where('metric', 'in', metrics)
    .execute();
}

// ------------------------------------------------------------------ retention
/** Closed commands (closed before `closedBefore`) that still have home observations. */
export function commandsPastRetention(x: Executor, closedBefore: string) {
  return x
    .selectFrom('incident_commands as ic')
    .select(['ic.id', 'ic.node_path', 'ic.closed_at'])
    .where('ic.closed_at', 'is not', null)
    .where('ic.closed_at', '<', closedBefore)
    .where((eb) =>
      eb.exists(
        eb.selectFrom('observation_orders as o').select('o.id').whereRef('o.command_id', '=', 'ic.id'),
      ),
    )
    .execute();
}

/** A command's orders, and the days still due of those in observation (their counters go with them). */
export async function ordersOfCommand(x: Executor, commandId: number) {
  const orders = await x
    .selectFrom('observation_orders')
    .select(['id', 'node_path', 'status'])
    .where('command_id', '=', commandId)
    .execute();
  const active = orders.filter((o) => o.status === 'active').map((o) => o.id);
  const due =
    active.length === 0
      ? []
      : await x
          .selectFrom('observation_follow_ups')
          .select(['node_path', 'date'])
          .where('order_id', 'in', active)
          .where('status', '=', 'due')
          .execute();
  return { orders, due };
}

/** Deletes a command's orders with their days, carers and members; answers how many orders. */
export async function deleteOrdersOfCommand(x: Executor, commandId: number): Promise<number> {
  const ids = x.selectFrom('observation_orders').select('id').where('command_id', '=', commandId);
  await x.deleteFrom('observation_follow_ups').where('order_id', 'in', ids).execute();
  await x.deleteFrom('observation_carers').where('order_id', 'in', ids).execute();
  await x.deleteFrom('observation_members').where('order_id', 'in', ids).execute();
  const r = await x.deleteFrom('observation_orders').where('command_id', '=', commandId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
