// SQL of joint defence's checkpoints and duty rosters. No rules here: the services decide.
import type { Insertable, Updateable } from 'kysely';
import type { CheckpointStatus } from '../../../common/contracts/defence.js';
import type { Executor } from '../../db/index.js';
import type { CheckpointsTable, ShiftSwapsTable, ShiftsTable } from '../../db/schema.js';
import { inScopes } from '../../platform/actor.js';
import { subtreeRange } from '../../db/dialect.js';

// ------------------------------------------------------------------ checkpoints
const checkpointColumns = [
  'c.id',
  'c.name',
  'c.type',
  'c.lat',
  'c.lng',
  'c.node_id',
  'c.node_path',
  'c.command_id',
  'c.status',
  'c.status_from',
  'c.staff_per_shift',
  'c.lead_user_id',
  'n.name as node_name',
  'u.display_name as lead_name',
] as const;
const checkpointSelect = (x: Executor) =>
  x
    .selectFrom('checkpoints as c')
    .innerJoin('nodes as n', 'n.id', 'c.node_id')
    .leftJoin('users as u', 'u.id', 'c.lead_user_id')
    .select(checkpointColumns);

export function insertCheckpoint(x: Executor, v: Insertable<CheckpointsTable>) {
  return x
    .insertInto('checkpoints')
    .values(v)
    .returning('id')
    .executeTakeFirstOrThrow()
    .then((r) => r.id);
}
export function updateCheckpoint(x: Executor, id: number, v: Updateable<CheckpointsTable>) {
  return x.updateTable('checkpoints').set(v).where('id', '=', id).execute();
}
/** A checkpoint moved to another node: its shifts carry its path (the roster's scope and index). */
export function moveShifts(x: Executor, checkpointId: number, nodePath: string) {
  return x
    .updateTable('shifts')
    .set({ node_path: nodePath })
    .where('checkpoint_id', '=', checkpointId)
    .execute();
}

export function findCheckpoint(x: Executor, id: number) {
  return checkpointSelect(x).where('c.id', '=', id).executeTakeFirst();
}
export type CheckpointRow = NonNullable<Awaited<ReturnType<typeof findCheckpoint>>>;

/** Checkpoints in the scopes, optionally narrowed to a subtree, a command or a status. */
export function listCheckpoints(
  x: Executor,
  scopes: readonly string[],
  f: { path?: string; commandId?: number; status?: CheckpointStatus; limit: number },
) {
  let q = checkpointSelect(x).where((eb) => inScopes(eb, 'c.node_path', scopes));
  if (f.path !== undefined) {
    const [lo, hi] = subtreeRange(f.path);
    q = q.where('c.node_path', '>=', lo).where('c.node_path', '<', hi);
  }
  if (f.commandId !== undefined) q = q.where('c.command_id', '=', f.commandId);
  if (f.status !== undefined) q = q.where('c.status', '=', f.status);
  return q.orderBy('c.node_path').orderBy('c.id').limit(f.limit).execute();
}
export function checkpointsOfCommand(x: Executor, commandId: number, ids?: readonly number[]) {
  let q = checkpointSelect(x).where('c.command_id', '=', commandId);
  if (ids) q = ids.length === 0 ? q.where('c.id', '=', -1) : q.where('c.id', 'in', ids);
  return q.orderBy('c.id').execute();
}
export function setStatus(
  x: Executor,
  ids: readonly number[],
  status: CheckpointStatus,
  from: string,
  at: string,
) {
  if (ids.length === 0) return Promise.resolve([]);
  return x
    .updateTable('checkpoints')
    .set({ status, status_from: from, updated_at: at })
    .where('id', 'in', ids)
    .execute();
}

export function findCommand(x: Executor, id: number) {
  return x
    .selectFrom('incident_commands')
    .select(['id', 'node_path', 'closed_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}
export function activeUser(x: Executor, id: number) {
  return x
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', '=', id)
    .where('disabled', '=', 0)
    .executeTakeFirst();
}

// ------------------------------------------------------------------ patterns and shifts
export async function savePattern(
  x: Executor,
  v: { checkpoint_id: number; kind: string; pattern: string; updated_by_user_id: number; updated_at: string },
) {
  await x
    .insertInto('roster_patterns')
    .values(v)
    .onConflict((oc) =>
      oc.column('checkpoint_id').doUpdateSet({
        kind: v.kind,
        pattern: v.pattern,
        updated_by_user_id: v.updated_by_user_id,
        updated_at: v.updated_at,
      }),
    )
    .execute();
}
export function findPattern(x: Executor, checkpointId: number) {
  return x
    .selectFrom('roster_patterns')
    .select(['kind', 'pattern'])
    .where('checkpoint_id', '=', checkpointId)
    .executeTakeFirst();
}

const SHIFT_BATCH = 500;
/** Inserts the shifts not there yet (same checkpoint and start); answers how many were new. */
export async function insertShifts(x: Executor, rows: readonly Insertable<ShiftsTable>[]) {
  let added = 0;
  for (let i = 0; i < rows.length; i += SHIFT_BATCH) {
    const r = await x
      .insertInto('shifts')
      .values(rows.slice(i, i + SHIFT_BATCH))
      .onConflict((oc) => oc.columns(['checkpoint_id', 'starts_at']).doNothing())
      .returning('id')
      .execute();
    added += r.length;
  }
  return added;
}

const shiftColumns = [
  's.id',
  's.checkpoint_id',
  's.node_path',
  's.day',
  's.slot',
  's.starts_at',
  's.ends_at',
  's.required',
  'c.name as checkpoint_name',
  'c.lead_user_id',
  'c.status as checkpoint_status',
  'c.command_id',
] as const;
export function findShift(x: Executor, id: number) {
  return x
    .selectFrom('shifts as s')
    .innerJoin('checkpoints as c', 'c.id', 's.checkpoint_id')
    .select(shiftColumns)
    .where('s.id', '=', id)
    .executeTakeFirst();
}
export type ShiftRow = NonNullable<Awaited<ReturnType<typeof findShift>>>;

/** A checkpoint's shifts starting in [from, to), by the (checkpoint, start) index. */
export function shiftsOfCheckpoint(x: Executor, checkpointId: number, from: string, to: string) {
  return x
    .selectFrom('shifts')
    .select(['starts_at', 'ends_at'])
    .where('checkpoint_id', '=', checkpointId)
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .execute();
}

/** A shift of the person's, at any checkpoint, that overlaps [startsAt, endsAt). */
export function overlappingShiftOf(x: Executor, userId: number, startsAt: string, endsAt: string) {
  return x
    .selectFrom('shift_assignments as a')
    .innerJoin('shifts as s', 's.id', 'a.shift_id')
    .select(['s.id', 's.starts_at', 's.ends_at'])
    .where('a.user_id', '=', userId)
    .where('s.starts_at', '<', endsAt)
    .where('s.ends_at', '>', startsAt)
    .executeTakeFirst();
}

/**
 * Shifts overlapping [from, to) of one checkpoint or of a subtree, within the scopes. Overlap is
 * read as "starts before `to` and starts after `from` less a day", so that the index on the start
 * serves it (no shift is longer than a day), and then trimmed exactly.
 */
export function shiftsIn(
  x: Executor,
  scopes: readonly string[],
  f: { checkpointId?: number; path?: string; from: string; to: string; earliestStart: string },
) {
  let q = x
    .selectFrom('shifts as s')
    .innerJoin('checkpoints as c', 'c.id', 's.checkpoint_id')
    .select(shiftColumns)
    .where((eb) => inScopes(eb, 's.node_path', scopes))
    .where('s.starts_at', '>=', f.earliestStart)
    .where('s.starts_at', '<', f.to)
    .where('s.ends_at', '>', f.from);
  if (f.checkpointId !== undefined) q = q.where('s.checkpoint_id', '=', f.checkpointId);
  if (f.path !== undefined) {
    const [lo, hi] = subtreeRange(f.path);
    q = q.where('s.node_path', '>=', lo).where('s.node_path', '<', hi);
  }
  return q.orderBy('s.starts_at').orderBy('s.checkpoint_id').execute();
}

// ------------------------------------------------------------------ assignments and check-ins
export function insertAssignment(
  x: Executor,
  v: { shift_id: number; user_id: number; role: string; assigned_by_user_id: number; assigned_at: string },
) {
  return x
    .insertInto('shift_assignments')
    .values(v)
    .returning('id')
    .executeTakeFirstOrThrow()
    .then((r) => r.id);
}
export function findAssignment(x: Executor, shiftId: number, userId: number) {
  return x
    .selectFrom('shift_assignments as a')
    .leftJoin('shift_check_ins as k', 'k.assignment_id', 'a.id')
    .select(['a.id', 'a.role', 'k.id as check_in_id', 'k.checked_in_at', 'k.checked_out_at'])
    .where('a.shift_id', '=', shiftId)
    .where('a.user_id', '=', userId)
    .executeTakeFirst();
}
export async function deleteAssignment(x: Executor, id: number) {
  await x.deleteFrom('shift_reminders').where('assignment_id', '=', id).execute();
  await x.deleteFrom('shift_assignments').where('id', '=', id).execute();
}
/** The place on a shift passes to another person (a swap); a reminder sent to the first is theirs. */
export async function moveAssignment(x: Executor, id: number, userId: number, by: number, at: string) {
  await x.deleteFrom('shift_reminders').where('assignment_id', '=', id).execute();
  await x
    .updateTable('shift_assignments')
    .set({ user_id: userId, assigned_by_user_id: by, assigned_at: at })
    .where('id', '=', id)
    .execute();
}
/** The people on the shifts, with their check-ins. */
export function assignmentsOf(x: Executor, shiftIds: readonly number[]) {
  if (shiftIds.length === 0) return Promise.resolve([]);
  return x
    .selectFrom('shift_assignments as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .leftJoin('shift_check_ins as k', 'k.assignment_id', 'a.id')
    .select([
      'a.shift_id',
      'a.user_id',
      'a.role',
      'u.display_name as name',
      'k.checked_in_at',
      'k.checked_out_at',
    ])
    .where('a.shift_id', 'in', shiftIds)
    .orderBy('a.shift_id')
    .orderBy('a.id')
    .execute();
}
export function insertCheckIn(
  x: Executor,
  v: { assignment_id: number; checked_in_at: string; lat: number | null; lng: number | null },
) {
  return x
    .insertInto('shift_check_ins')
    .values({ ...v, checked_out_at: null, out_lat: null, out_lng: null })
    .execute();
}
export function checkOut(x: Executor, checkInId: number, at: string, lat: number | null, lng: number | null) {
  return x
    .updateTable('shift_check_ins')
    .set({ checked_out_at: at, out_lat: lat, out_lng: lng })
    .where('id', '=', checkInId)
    .where('checked_out_at', 'is', null)
    .executeTakeFirst()
    .then((r) => Number(r.numUpdatedRows));
}
/** Whether the sweep already took this check-in off the staffed-now counter. */
export function checkInUncounted(x: Executor, checkInId: number) {
  return x
    .selectFrom('shift_check_ins')
    .select('uncounted_at')
    .where('id', '=', checkInId)
    .executeTakeFirst()
    .then((r) => r?.uncounted_at != null);
}

// ------------------------------------------------------------------ my shifts
/** The person's shifts overlapping [from, to), with checkpoint, node and check-in, in order of start. */
export function shiftsOfUser(x: Executor, userId: number, from: string, to: string) {
  return x
    .selectFrom('shift_assignments as a')
    .innerJoin('shifts as s', 's.id', 'a.shift_id')
    .innerJoin('checkpoints as c', 'c.id', 's.checkpoint_id')
    .innerJoin('nodes as n', 'n.id', 'c.node_id')
    .leftJoin('shift_check_ins as k', 'k.assignment_id', 'a.id')
    .select([
      's.id',
      's.day',
      's.slot',
      's.starts_at',
      's.ends_at',
      's.required',
      's.checkpoint_id',
      'a.role',
      'c.name as checkpoint_name',
      'c.type as checkpoint_type',
      'c.status as checkpoint_status',
      'c.lat',
      'c.lng',
      'c.node_id',
      'n.name as node_name',
      'k.checked_in_at',
      'k.checked_out_at',
    ])
    .where('a.user_id', '=', userId)
    .where('s.starts_at', '<', to)
    .where('s.ends_at', '>', from)
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .limit(200)
    .execute();
}

// ------------------------------------------------------------------ swap requests
export function insertSwap(x: Executor, v: Insertable<ShiftSwapsTable>) {
  return x
    .insertInto('shift_swaps')
    .values(v)
    .returning('id')
    .executeTakeFirstOrThrow()
    .then((r) => r.id);
}
const swapSelect = (x: Executor) =>
  x
    .selectFrom('shift_swaps as w')
    .innerJoin('shifts as s', 's.id', 'w.shift_id')
    .innerJoin('checkpoints as c', 'c.id', 'w.checkpoint_id')
    .innerJoin('users as uf', 'uf.id', 'w.from_user_id')
    .leftJoin('users as ut', 'ut.id', 'w.to_user_id')
    .leftJoin('users as ud', 'ud.id', 'w.decided_by_user_id')
    .leftJoin('shifts as s2', 's2.id', 'w.to_shift_id')
    .select([
      'w.id',
      'w.shift_id',
      'w.checkpoint_id',
      'w.node_path',
      'w.from_user_id',
      'w.to_user_id',
      'w.to_shift_id',
      'w.reason',
      'w.status',
      'w.requested_at',
      'w.decided_by_user_id',
      'w.decided_at',
      'w.note',
      's.starts_at',
      's.ends_at',
      's2.starts_at as to_starts_at',
      's2.ends_at as to_ends_at',
      'c.name as checkpoint_name',
      'c.lead_user_id',
      'uf.display_name as from_name',
      'ut.display_name as to_name',
      'ud.display_name as decided_by_name',
    ]);
export function findSwap(x: Executor, id: number) {
  return swapSelect(x).where('w.id', '=', id).executeTakeFirst();
}
export type SwapRow = NonNullable<Awaited<ReturnType<typeof findSwap>>>;
/**
 * Swap requests, newest first: of one checkpoint, of a subtree, or the person's own (asked or
 * offered); otherwise those in the scopes or at checkpoints the person leads.
 */
export function listSwaps(
  x: Executor,
  f: {
    scopes: readonly string[];
    leadUserId: number;
    checkpointId?: number;
    path?: string;
    mineUserId?: number;
    status?: string;
    limit: number;
  },
) {
  let q = swapSelect(x);
  if (f.mineUserId !== undefined) {
    const me = f.mineUserId;
    q = q.where((eb) => eb.or([eb('w.from_user_id', '=', me), eb('w.to_user_id', '=', me)]));
  } else {
    q = q.where((eb) =>
      eb.or([inScopes(eb, 'w.node_path', f.scopes), eb('c.lead_user_id', '=', f.leadUserId)]),
    );
  }
  if (f.checkpointId !== undefined) q = q.where('w.checkpoint_id', '=', f.checkpointId);
  if (f.path !== undefined) {
    const [lo, hi] = subtreeRange(f.path);
    q = q.where('w.node_path', '>=', lo).where('w.node_path', '<', hi);
  }
  if (f.status !== undefined) q = q.where('w.status', '=', f.status as ShiftSwapsTable['status']);
  return q.orderBy('w.id', 'desc').limit(f.limit).execute();
}
/** The person's pending requests for these shifts: shift id → request id. */
export async function pendingSwapsOf(x: Executor, userId: number, shiftIds: readonly number[]) {
  if (shiftIds.length === 0) return new Map<number, number>();
  const rows = await x
    .selectFrom('shift_swaps')
    .select(['id', 'shift_id'])
    .where('from_user_id', '=', userId)
    .where('status', '=', 'pending')
    .where('shift_id', 'in', shiftIds)
    .execute();
  return new Map(rows.map((r) => [r.shift_id, r.id]));
}
/** Decides a pending request; answers 0 when someone decided it first. */
export function decideSwap(
  x: Executor,
  id: number,
  v: { status: 'approved' | 'refused'; decided_by_user_id: number; decided_at: string; note: string | null },
) {
  return x
    .updateTable('shift_swaps')
    .set(v)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst()
    .then((r) => Number(r.numUpdatedRows));
}

// ------------------------------------------------------------------ reminders and the staffed-now sweep
/** Assignments whose shift starts in (from, to] and who were not reminded yet. */
export function remindersDue(x: Executor, from: string, to: string, limit: number) {
  return x
    .selectFrom('shift_assignments as a')
    .innerJoin('shifts as s', 's.id', 'a.shift_id')
    .innerJoin('checkpoints as c', 'c.id', 's.checkpoint_id')
    .leftJoin('shift_reminders as r', 'r.assignment_id', 'a.id')
    .select(['a.id', 'a.user_id', 's.id as shift_id', 's.starts_at', 'c.name as checkpoint_name'])
    .where('s.starts_at', '>', from)
    .where('s.starts_at', '<=', to)
    .where('c.status', '!=', 'closed')
    .where('r.assignment_id', 'is', null)
    .orderBy('s.starts_at')
    .limit(limit)
    .execute();
}
/** Records the reminders; answers the assignments newly recorded (another node may have sent some). */
export async function recordReminders(x: Executor, ids: readonly number[], at: string) {
  if (ids.length === 0) return [];
  const rows = await x
    .insertInto('shift_reminders')
    .values(ids.map((assignment_id) => ({ assignment_id, sent_at: at })))
    .onConflict((oc) => oc.column('assignment_id').doNothing())
    .returning('assignment_id')
    .execute();
  return rows.map((r) => r.assignment_id);
}
/** Check-ins still counted as on duty whose shift ended before `at`. */
export function staleCheckIns(x: Executor, at: string, limit: number) {
  return x
    .selectFrom('shift_check_ins as k')
    .innerJoin('shift_assignments as a', 'a.id', 'k.assignment_id')
    .innerJoin('shifts as s', 's.id', 'a.shift_id')
    .innerJoin('checkpoints as c', 'c.id', 's.checkpoint_id')
    .select(['k.id', 's.node_path', 'c.command_id'])
    .where('k.checked_out_at', 'is', null)
    .where('k.uncounted_at', 'is', null)
    .where('s.ends_at', '<', at)
    .limit(limit)
    .execute();
}
export async function markUncounted(x: Executor, ids: readonly number[], at: string) {
  if (ids.length === 0) return 0;
  const r = await x
    .updateTable('shift_check_ins')
    .set({ uncounted_at: at })
    .where('id', 'in', ids)
    .where('uncounted_at', 'is', null)
    .where('checked_out_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ------------------------------------------------------------------ the cockpit's uncovered-next-24h
/**
 * Shifts of a subtree starting in [from, to) at checkpoints not closed, with how many people are on
 * each: bounded by the window (a day of a district's shifts) and served by shifts_path_start.
 */
export function shiftStaffingUnder(x: Executor, path: string, from: string, to: string, commandId?: number) {
  const [lo, hi] = subtreeRange(path);
  let q = x
    .selectFrom('shifts as s')
    .innerJoin('checkpoints as c', 'c.id', 's.checkpoint_id')
    .leftJoin('shift_assignments as a', 'a.shift_id', 's.id')
    .select((eb) => ['s.id', 's.node_path', 's.required', eb.fn.count<number>('a.id').as('assigned')])
    .where('s.node_path', '>=', lo)
    .where('s.node_path', '<', hi)
    .where('s.starts_at', '>=', from)
    .where('s.starts_at', '<', to)
    .where('c.status', '!=', 'closed');
  if (commandId !== undefined) q = q.where('c.command_id', '=', commandId);
  return q.groupBy(['s.id', 's.node_path', 's.required']).execute();
}
