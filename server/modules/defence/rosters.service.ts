// Checkpoints (卡口) and their duty rosters (值班): set up in the caller's jurisdiction, opened and
// closed in bulk under an incident command, shifts generated from a pattern by roster.ts, people
// assigned, check-in and check-out within the window, and coverage (uncovered and understaffed
// ahead, no-shows now) of a checkpoint or a subtree. Every change is audited in its transaction.
import type {
  CheckpointStatus,
  CheckpointType,
  MyShift,
  MyShiftsResponse,
  ShiftRole,
  SwapRequestBody,
  SwapStatus,
  SwapView,
} from '../../../common/contracts/defence.js';
import { msg } from '../../../common/messages/index.js';
import { isRealDate } from '../../../common/validators.js';
import type { DB, Executor } from '../../db/index.js';
import { isUniqueViolation, nowIso } from '../../db/index.js';
import {
  actorOf,
  can,
  holdsAnywhere,
  scopesFor,
  type Actor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit, recordAuditMany } from '../../platform/audit.js';
import { bumpCounters, bumpCountersMany } from '../../platform/live.js';
import { notify } from '../notifications/index.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { findNode, listNode } from '../nodes/index.js';
import * as repo from './defence.repository.js';
import {
  CHECK_IN_WINDOW_MINUTES,
  ROSTER_MAX_DAYS,
  checkInAllowed,
  checkPattern,
  checkSwap,
  coverage as rosterCoverage,
  generateShifts as rosterShifts,
  type CoverageStatus,
  type Shift,
  type ShiftPattern,
  type SwapReason,
} from './roster.js';

export interface CheckpointInput {
  name: string;
  type: CheckpointType;
  nodeId: number;
  lat?: number | null;
  lng?: number | null;
  commandId?: number | null;
  status?: CheckpointStatus;
  staffPerShift: number;
  leadUserId?: number | null;
}
export interface Checkpoint {
  id: number;
  name: string;
  type: CheckpointType;
  lat: number | null;
  lng: number | null;
  node: { id: number; name: string };
  commandId: number | null;
  status: CheckpointStatus;
  statusFrom: string;
  staffPerShift: number;
  lead: { id: number; name: string } | null;
  abilities: { update: boolean; roster: boolean };
}
export interface ShiftView {
  id: number;
  checkpointId: number;
  checkpointName: string;
  day: string;
  slot: number;
  startsAt: string;
  endsAt: string;
  required: number;
  assigned: number;
  status: CoverageStatus;
  /** People assigned who did not check in within the window, once it has closed. */
  noShows: number[];
  people: {
    userId: number;
    name: string;
    role: string;
    checkedInAt: string | null;
    checkedOutAt: string | null;
  }[];
}
export interface CoverageView {
  items: ShiftView[];
  /** Shifts not yet started that nobody / not enough people are on. */
  uncoveredAhead: number;
  understaffedAhead: number;
  /** People missing from shifts running now. */
  noShowsNow: number;
}

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;
const LIST_LIMIT = 2000;
const SWAP_LIST_LIMIT = 200;
/** "My shift" looks this far ahead for upcoming shifts. */
const UPCOMING_DAYS = 7;
/** A shift checked in to and not out stays the current one this long after it ended, to check out. */
const CHECK_OUT_GRACE_MS = 2 * 3_600_000;
/** The cockpit's counter of people checked in and not out (ADR 0015). */
export const STAFFED_METRIC = 'defence.staffed';

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** A swap request that roster.ts (or the hand-over rules) refuses: 409 with the reason as the issue. */
function swapInvalid(reason: SwapReason): AppError {
  return new AppError(409, 'swap.invalid', msg('swap.invalid'), {
    issues: [{ path: 'body', message: { code: reason }, code: reason }],
  });
}

export function createRostersService(deps: { db: DB; now?: () => string }) {
  const { db } = deps;
  const now = deps.now ?? nowIso;

  function out(actor: Actor, c: repo.CheckpointRow): Checkpoint {
    return {
      id: c.id,
      name: c.name,
      type: c.type,
      lat: c.lat,
      lng: c.lng,
      node: { id: c.node_id, name: c.node_name },
      commandId: c.command_id,
      status: c.status,
      statusFrom: c.status_from,
      staffPerShift: c.staff_per_shift,
      lead: c.lead_user_id === null ? null : { id: c.lead_user_id, name: c.lead_name ?? '' },
      abilities: {
        update: can(actor, 'checkpoints.manage', c.node_path),
        roster: can(actor, 'rosters.manage', c.node_path),
      },
    };
  }

  /** The node, command and lead of a checkpoint, checked; answers the node's path. */
  async function placed(
    x: Parameters<typeof findNode>[0],
    actor: Actor,
    b: { nodeId: number; commandId?: number | null | undefined; leadUserId?: number | null | undefined },
  ) {
    const node = await findNode(x, b.nodeId);
    if (!node || node.retired_at)
      throw badRequest('checkpoint.node', {}, [
        { path: 'body.nodeId', message: msg('issue.unknown_or_retired_node'), code: 'unknown' },
      ]);
    if (!can(actor, 'checkpoints.manage', node.path)) throw forbidden();
    if (b.commandId !== undefined && b.commandId !== null) {
      const command = await repo.findCommand(x, b.commandId);
      // The command must be open and over the checkpoint's place.
      if (!command || command.closed_at !== null || !node.path.startsWith(command.node_path))
        throw badRequest('checkpoint.command');
    }
    if (b.leadUserId !== undefined && b.leadUserId !== null && !(await repo.activeUser(x, b.leadUserId)))
      throw badRequest('checkpoint.lead', {}, [
        { path: 'body.leadUserId', message: msg('issue.unknown_or_disabled_user'), code: 'unknown' },
      ]);
    return node.path;
  }

  async function readable(actor: Actor, id: number) {
    const c = await repo.findCheckpoint(db, id);
    if (!c) throw notFound('checkpoint');
    if (!can(actor, 'checkpoints.read', c.node_path)) throw forbidden();
    return c;
  }

  function shiftOf(r: repo.ShiftRow): Shift {
    return {
      key: String(r.id),
      checkpointId: r.checkpoint_id,
      day: r.day,
      slot: r.slot,
      start: r.starts_at,
      end: r.ends_at,
      required: r.required,
    };
  }

  /** A shift the caller may roster: 404 if none, 403 outside the caller's scope. */
  async function rosterable(x: Parameters<typeof repo.findShift>[0], actor: Actor, shiftId: number) {
    const s = await repo.findShift(x, shiftId);
    if (!s) throw notFound('shift');
    if (!can(actor, 'rosters.manage', s.node_path)) throw forbidden();
    return s;
  }

  function mayDecide(actor: Actor, w: repo.SwapRow): boolean {
    return w.lead_user_id === actor.userId || can(actor, 'rosters.manage', w.node_path);
  }

  function swapOut(actor: Actor, w: repo.SwapRow): SwapView {
    return {
      id: w.id,
      status: w.status === 'cancelled' ? 'refused' : w.status,
      checkpoint: { id: w.checkpoint_id, name: w.checkpoint_name },
      shift: { id: w.shift_id, startsAt: w.starts_at, endsAt: w.ends_at },
      from: { id: w.from_user_id, name: w.from_name },
      to: w.to_user_id === null ? null : { id: w.to_user_id, name: w.to_name ?? '' },
      toShift:
        w.to_shift_id === null
          ? null
          : { id: w.to_shift_id, startsAt: w.to_starts_at ?? '', endsAt: w.to_ends_at ?? '' },
      reason: w.reason,
      requestedAt: w.requested_at,
      decidedAt: w.decided_at,
      decidedBy:
        w.decided_by_user_id === null ? null : { id: w.decided_by_user_id, name: w.decided_by_name ?? '' },
      note: w.note,
      abilities: { decide: w.status === 'pending' && mayDecide(actor, w) },
    };
  }

  /**
   * Whether `from` may hand their place on shift `s` to `to` now (or trade it for `to`'s shift
   * `toShiftId`, by roster.ts's checkSwap over both people's shifts around them, or open it up).
   */
  async function checkSwapNow(
    x: Parameters<typeof repo.findShift>[0],
    s: repo.ShiftRow,
    from: number,
    to: number | null,
    toShiftId: number | null,
    at: string,
  ) {
    if (s.starts_at <= at) throw swapInvalid('shift.swap_started');
    if (to === null) return;
    if (to === from) throw swapInvalid('shift.swap_same_person');
    if (toShiftId === null) {
      // A hand-over: the other person takes the place, if free then and not on it already.
      if (await repo.overlappingShiftOf(x, to, s.starts_at, s.ends_at)) throw swapInvalid('shift.swap_busy');
      return;
    }
    const other = await repo.findShift(x, toShiftId);
    if (!other) throw swapInvalid('shift.swap_not_assigned');
    const lo = plus(s.starts_at < other.starts_at ? s.starts_at : other.starts_at, -MS_PER_DAY);
    const hi = plus(s.ends_at > other.ends_at ? s.ends_at : other.ends_at, MS_PER_DAY);
    const shifts = new Map<string, Shift>();
    const assignments: { shiftKey: string; personId: number }[] = [];
    for (const person of [from, to])
      for (const r of await repo.shiftsOfUser(x, person, lo, hi)) {
        shifts.set(String(r.id), {
          key: String(r.id),
          checkpointId: r.checkpoint_id,
          day: r.day,
          slot: r.slot,
          start: r.starts_at,
          end: r.ends_at,
          required: r.required,
        });
        assignments.push({ shiftKey: String(r.id), personId: person });
      }
    for (const r of [s, other]) if (!shifts.has(String(r.id))) shifts.set(String(r.id), shiftOf(r));
    const checked = checkSwap(
      { shifts: [...shifts.values()], assignments, now: at },
      { personId: from, shiftKey: String(s.id) },
      { personId: to, shiftKey: String(other.id) },
    );
    if (!checked.ok) throw swapInvalid(checked.reason);
  }

  return {
    async getCheckpoint(ctx: RequestContext, id: number): Promise<Checkpoint> {
      const actor = actorOf(ctx);
      return out(actor, await readable(actor, id));
    },

    /** Checkpoints in the caller's jurisdiction; `nodeId` narrows (403 outside it, 404 unknown). */
    async listCheckpoints(
      ctx: RequestContext,
      q: { nodeId?: number; commandId?: number; status?: CheckpointStatus } = {},
    ): Promise<{ items: Checkpoint[] }> {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'checkpoints.read');
      const node = q.nodeId === undefined ? undefined : await listNode(db, scopes, q.nodeId);
      const rows = await repo.listCheckpoints(db, scopes, {
        ...(node ? { path: node.path } : {}),
        ...(q.commandId !== undefined ? { commandId: q.commandId } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        limit: LIST_LIMIT,
      });
      return { items: rows.map((r) => out(actor, r)) };
    },

    async createCheckpoint(ctx: RequestContext, b: CheckpointInput): Promise<Checkpoint> {
      const actor = actorOf(ctx);
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const path = await placed(trx, actor, b);
        const status = b.status ?? 'open';
        const id = await repo.insertCheckpoint(trx, {
          name: b.name,
          type: b.type,
          lat: b.lat ?? null,
          lng: b.lng ?? null,
          node_id: b.nodeId,
          node_path: path,
          command_id: b.commandId ?? null,
          status,
          status_from: at,
          staff_per_shift: b.staffPerShift,
          lead_user_id: b.leadUserId ?? null,
          created_by_user_id: actor.userId,
          created_at: at,
          updated_at: at,
        });
        await recordAudit(trx, ctx, {
          action: 'checkpoint.create',
          entityType: 'checkpoint',
          entityId: id,
          nodePath: path,
          after: {
            name: b.name,
            type: b.type,
            status,
            staffPerShift: b.staffPerShift,
            commandId: b.commandId ?? null,
          },
        });
        return id;
      });
      return this.getCheckpoint(ctx, id);
    },

    async updateCheckpoint(
      ctx: RequestContext,
      id: number,
      b: Partial<CheckpointInput>,
    ): Promise<Checkpoint> {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const c = await repo.findCheckpoint(trx, id);
        if (!c) throw notFound('checkpoint');
        if (!can(actor, 'checkpoints.manage', c.node_path)) throw forbidden();
        const path = await placed(trx, actor, {
          nodeId: b.nodeId ?? c.node_id,
          // The command it stays under must cover the new place too.
          commandId: b.commandId !== undefined ? b.commandId : c.command_id,
          ...(b.leadUserId !== undefined ? { leadUserId: b.leadUserId } : {}),
        });
        const set = {
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.type !== undefined ? { type: b.type } : {}),
          ...(b.lat !== undefined ? { lat: b.lat } : {}),
          ...(b.lng !== undefined ? { lng: b.lng } : {}),
          ...(b.nodeId !== undefined ? { node_id: b.nodeId, node_path: path } : {}),
          ...(b.commandId !== undefined ? { command_id: b.commandId } : {}),
          ...(b.status !== undefined && b.status !== c.status ? { status: b.status, status_from: at } : {}),
          ...(b.staffPerShift !== undefined ? { staff_per_shift: b.staffPerShift } : {}),
          ...(b.leadUserId !== undefined ? { lead_user_id: b.leadUserId } : {}),
        };
        await repo.updateCheckpoint(trx, id, { ...set, updated_at: at });
        if (b.nodeId !== undefined && path !== c.node_path) await repo.moveShifts(trx, id, path);
        await recordAudit(trx, ctx, {
          action: 'checkpoint.update',
          entityType: 'checkpoint',
          entityId: id,
          nodePath: path,
          before: {
            name: c.name,
            type: c.type,
            status: c.status,
            nodeId: c.node_id,
            commandId: c.command_id,
            staffPerShift: c.staff_per_shift,
            leadUserId: c.lead_user_id,
          },
          after: b,
          detail: { fields: Object.keys(set) },
        });
      });
      return this.getCheckpoint(ctx, id);
    },

    /**
     * Opens, suspends or closes checkpoints of an incident command at once ("open these 40 village
     * entrances from 18:00"): the ones named, or all of the command's. Every one must be in the
     * caller's jurisdiction, or none changes.
     */
    async setStatusUnderCommand(
      ctx: RequestContext,
      commandId: number,
      b: { status: CheckpointStatus; from?: string; checkpointIds?: number[] },
    ): Promise<{ items: Checkpoint[] }> {
      const actor = actorOf(ctx);
      const at = now();
      const from = b.from ?? at;
      const ids = await db.transaction().execute(async (trx) => {
        const command = await repo.findCommand(trx, commandId);
        if (!command) throw notFound('command');
        const wanted = b.checkpointIds ? [...new Set(b.checkpointIds)] : undefined;
        const rows = await repo.checkpointsOfCommand(trx, commandId, wanted);
        if (wanted && rows.length !== wanted.length) throw notFound('checkpoint');
        if (rows.some((c) => !can(actor, 'checkpoints.manage', c.node_path))) throw forbidden();
        if (command.closed_at !== null && b.status !== 'closed') throw conflict('command.closed');
        const ids = rows.map((c) => c.id);
        await repo.setStatus(trx, ids, b.status, from, at);
        await recordAuditMany(
          trx,
          rows.map((c) => ({
            ctx,
            input: {
              action: 'checkpoint.status',
              entityType: 'checkpoint',
              entityId: c.id,
              nodePath: c.node_path,
              before: { status: c.status },
              after: { status: b.status, from },
              detail: { commandId },
            },
          })),
        );
        return ids;
      });
      const rows = await Promise.all(ids.map((id) => repo.findCheckpoint(db, id)));
      return { items: rows.filter((r) => r !== undefined).map((r) => out(actor, r)) };
    },

    /** Sets a checkpoint's shift pattern (3 × 8 h, 2 × 12 h or custom). */
    async setPattern(ctx: RequestContext, checkpointId: number, pattern: ShiftPattern): Promise<void> {
      const actor = actorOf(ctx);
      await db.transaction().execute(async (trx) => {
        const c = await repo.findCheckpoint(trx, checkpointId);
        if (!c) throw notFound('checkpoint');
        if (!can(actor, 'rosters.manage', c.node_path)) throw forbidden();
        const checked = checkPattern(pattern);
        if (!checked.ok)
          throw badRequest('shift.pattern', {}, [
            {
              path: 'body.pattern',
              message: {
                code: checked.reason,
                ...(checked.params ? { params: checked.params } : {}),
              },
              code: checked.reason,
            },
          ]);
        await repo.savePattern(trx, {
          checkpoint_id: checkpointId,
          kind: pattern.kind,
          pattern: JSON.stringify(pattern),
          updated_by_user_id: actor.userId,
          updated_at: now(),
        });
        await recordAudit(trx, ctx, {
          action: 'roster.pattern',
          entityType: 'checkpoint',
          entityId: checkpointId,
          nodePath: c.node_path,
          after: pattern,
        });
      });
    },

    /**
     * The checkpoint's shifts for the duty days `from`..`to` (local dates) from its pattern; shifts
     * already there are kept with their people. Answers how many were added.
     */
    async generateShifts(
      ctx: RequestContext,
      checkpointId: number,
      b: { from: string; to: string },
    ): Promise<{ added: number; total: number }> {
      const actor = actorOf(ctx);
      const at = now();
      return db.transaction().execute(async (trx) => {
        const c = await repo.findCheckpoint(trx, checkpointId);
        if (!c) throw notFound('checkpoint');
        if (!can(actor, 'rosters.manage', c.node_path)) throw forbidden();
        if (c.status === 'closed') throw conflict('checkpoint.closed');
        const saved = await repo.findPattern(trx, checkpointId);
        if (!saved)
          throw badRequest('shift.pattern', {}, [
            { path: 'body.pattern', message: msg('shift.pattern_empty'), code: 'shift.pattern_empty' },
          ]);
        const days = (Date.parse(`${b.to}T00:00:00Z`) - Date.parse(`${b.from}T00:00:00Z`)) / MS_PER_DAY + 1;
        if (!isRealDate(b.from) || !isRealDate(b.to) || !(days >= 1 && days <= ROSTER_MAX_DAYS))
          throw badRequest('shift.range', { max: ROSTER_MAX_DAYS });
        const shifts = rosterShifts({
          checkpointId,
          pattern: JSON.parse(saved.pattern) as ShiftPattern,
          from: b.from,
          to: b.to,
          required: c.staff_per_shift,
        });
        // A pattern changed since (another first start) must not lay new shifts across kept ones:
        // nobody could tell which of two overlapping shifts of one post to stand.
        if (shifts.length > 0) {
          const kept = await repo.shiftsOfCheckpoint(
            trx,
            checkpointId,
            plus(shifts[0]!.start, -MS_PER_DAY),
            plus(shifts[shifts.length - 1]!.end, MS_PER_DAY),
          );
          const starts = new Set(kept.map((k) => k.starts_at));
          const clash = shifts.find(
            (n) => !starts.has(n.start) && kept.some((k) => k.starts_at < n.end && n.start < k.ends_at),
          );
          if (clash)
            throw conflict('shift.pattern_clash', {
              start: new Date(Date.parse(clash.start) + 8 * 3_600_000)
                .toISOString()
                .slice(0, 16)
                .replace('T', ' '),
            });
        }
        const added = await repo.insertShifts(
          trx,
          shifts.map((s) => ({
            checkpoint_id: checkpointId,
            node_path: c.node_path,
            day: s.day,
            slot: s.slot,
            starts_at: s.start,
            ends_at: s.end,
            required: s.required,
            created_at: at,
          })),
        );
        await recordAudit(trx, ctx, {
          action: 'roster.generate',
          entityType: 'checkpoint',
          entityId: checkpointId,
          nodePath: c.node_path,
          detail: { from: b.from, to: b.to, added, total: shifts.length },
        });
        return { added, total: shifts.length };
      });
    },

    /** Puts a person on a shift that has not ended. */
    async assign(
      ctx: RequestContext,
      shiftId: number,
      b: { userId: number; role: ShiftRole },
    ): Promise<void> {
      const actor = actorOf(ctx);
      const at = now();
      try {
        await db.transaction().execute(async (trx) => {
          const s = await rosterable(trx, actor, shiftId);
          if (s.ends_at <= at) throw conflict('shift.ended');
          if (!(await repo.activeUser(trx, b.userId)))
            throw badRequest('shift.user', {}, [
              { path: 'body.userId', message: msg('issue.unknown_or_disabled_user'), code: 'unknown' },
            ]);
          if (s.checkpoint_status === 'closed') throw conflict('checkpoint.closed');
          if (await repo.findAssignment(trx, shiftId, b.userId)) throw conflict('shift.already_assigned');
          // Nobody stands at two posts at once (as a swap may not make them, roster.ts's checkSwap).
          // The clash may be this very shift, assigned by another manager who committed in between
          // (read committed on PostgreSQL): that is the same assignment, not an overlap.
          const clash = await repo.overlappingShiftOf(trx, b.userId, s.starts_at, s.ends_at);
          if (clash) throw conflict(clash.id === shiftId ? 'shift.already_assigned' : 'shift.overlap');
          const id = await repo.insertAssignment(trx, {
            shift_id: shiftId,
            user_id: b.userId,
            role: b.role,
            assigned_by_user_id: actor.userId,
            assigned_at: at,
          });
          await recordAudit(trx, ctx, {
            action: 'shift.assign',
            entityType: 'shift_assignment',
            entityId: id,
            nodePath: s.node_path,
            detail: { shiftId, userId: b.userId, role: b.role, startsAt: s.starts_at },
          });
        });
      } catch (e) {
        // Two managers adding the same person at once: the second meets the unique pair.
        if (isUniqueViolation(e)) throw conflict('shift.already_assigned');
        throw e;
      }
    },

    /** Takes a person off a shift that has not ended and that they have not checked in to. */
    async unassign(ctx: RequestContext, shiftId: number, userId: number): Promise<void> {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const s = await rosterable(trx, actor, shiftId);
        const a = await repo.findAssignment(trx, shiftId, userId);
        if (!a) throw notFound('shift_assignment');
        if (s.ends_at <= at) throw conflict('shift.ended');
        if (a.check_in_id !== null) throw conflict('shift.checked_in');
        await repo.deleteAssignment(trx, a.id);
        await recordAudit(trx, ctx, {
          action: 'shift.unassign',
          entityType: 'shift_assignment',
          entityId: a.id,
          nodePath: s.node_path,
          detail: { shiftId, userId, role: a.role, startsAt: s.starts_at },
        });
      });
    },

    /**
     * The caller checks in to their shift, with the place: refused outside the window around the
     * shift's start (roster.ts's `checkInAllowed`) with the reason and the local times.
     */
    async checkIn(
      ctx: RequestContext,
      shiftId: number,
      b: { lat?: number | null; lng?: number | null } = {},
    ) {
      const actor = actorOf(ctx);
      if (!holdsAnywhere(actor, 'shifts.check_in')) throw forbidden();
      const at = now();
      const run = db.transaction().execute(async (trx) => {
        const s = await repo.findShift(trx, shiftId);
        if (!s) throw notFound('shift');
        const a = await repo.findAssignment(trx, shiftId, actor.userId);
        if (!a) throw notFound('shift_assignment');
        if (a.check_in_id !== null) throw conflict('shift.checked_in');
        const allowed = checkInAllowed(shiftOf(s), at);
        if (!allowed.ok)
          throw new AppError(409, 'shift.check_in_window', msg('shift.check_in_window'), {
            issues: [
              {
                path: 'checkedInAt',
                message: { code: allowed.reason, params: allowed.params ?? {} },
                code: allowed.reason,
              },
            ],
          });
        await repo.insertCheckIn(trx, {
          assignment_id: a.id,
          checked_in_at: at,
          lat: b.lat ?? null,
          lng: b.lng ?? null,
        });
        // On duty now, on the cockpit, in the same transaction (the sweep takes it off if never checked out).
        await bumpCounters(trx, s.node_path, { [STAFFED_METRIC]: 1 }, s.command_id);
        await recordAudit(trx, ctx, {
          action: 'shift.check_in',
          entityType: 'shift_assignment',
          entityId: a.id,
          nodePath: s.node_path,
          detail: { shiftId, minutesFromStart: allowed.value.minutesFromStart },
        });
        return { checkedInAt: at, minutesFromStart: allowed.value.minutesFromStart };
      });
      // A retry on a bad connection that crossed the first: one check-in per assignment.
      return run.catch((e: unknown) => {
        if (isUniqueViolation(e)) throw conflict('shift.checked_in');
        throw e;
      });
    },

    /** The caller checks out of a shift they checked in to, with the place. */
    async checkOut(
      ctx: RequestContext,
      shiftId: number,
      b: { lat?: number | null; lng?: number | null } = {},
    ) {
      const actor = actorOf(ctx);
      if (!holdsAnywhere(actor, 'shifts.check_in')) throw forbidden();
      const at = now();
      return db.transaction().execute(async (trx) => {
        const s = await repo.findShift(trx, shiftId);
        if (!s) throw notFound('shift');
        const a = await repo.findAssignment(trx, shiftId, actor.userId);
        if (!a) throw notFound('shift_assignment');
        if (a.check_in_id === null) throw conflict('shift.not_checked_in');
        const swept = await repo.checkInUncounted(trx, a.check_in_id);
        if ((await repo.checkOut(trx, a.check_in_id, at, b.lat ?? null, b.lng ?? null)) === 0)
          throw conflict('shift.checked_out');
        if (!swept) await bumpCounters(trx, s.node_path, { [STAFFED_METRIC]: -1 }, s.command_id);
        await recordAudit(trx, ctx, {
          action: 'shift.check_out',
          entityType: 'shift_assignment',
          entityId: a.id,
          nodePath: s.node_path,
          detail: { shiftId },
        });
        return { checkedOutAt: at };
      });
    },

    /**
     * The caller's shift now (running, or its check-in window open, or checked in and not yet out)
     * with whether they may check in or out now and why not, and their shifts of the next 7 days.
     */
    async mine(ctx: RequestContext): Promise<MyShiftsResponse> {
      const actor = actorOf(ctx);
      if (!holdsAnywhere(actor, 'shifts.check_in')) throw forbidden();
      const at = now();
      const rows = await repo.shiftsOfUser(
        db,
        actor.userId,
        plus(at, -CHECK_OUT_GRACE_MS),
        plus(at, UPCOMING_DAYS * MS_PER_DAY),
      );
      const pending = await repo.pendingSwapsOf(
        db,
        actor.userId,
        rows.map((r) => r.id),
      );
      const view = (r: (typeof rows)[number]): MyShift => {
        const shift: Shift = {
          key: String(r.id),
          checkpointId: r.checkpoint_id,
          day: r.day,
          slot: r.slot,
          start: r.starts_at,
          end: r.ends_at,
          required: r.required,
        };
        const allowed = checkInAllowed(shift, at);
        const refusal: MyShift['checkInRefusal'] =
          r.checked_in_at !== null
            ? { code: 'shift.checked_in', params: {} }
            : allowed.ok
              ? null
              : { code: allowed.reason, params: allowed.params ?? {} };
        return {
          id: r.id,
          checkpoint: {
            id: r.checkpoint_id,
            name: r.checkpoint_name,
            type: r.checkpoint_type,
            status: r.checkpoint_status,
            lat: r.lat,
            lng: r.lng,
            node: { id: r.node_id, name: r.node_name },
          },
          day: r.day,
          slot: r.slot,
          startsAt: r.starts_at,
          endsAt: r.ends_at,
          role: r.role as ShiftRole,
          checkedInAt: r.checked_in_at,
          checkedOutAt: r.checked_out_at,
          checkInOpensAt: plus(r.starts_at, -CHECK_IN_WINDOW_MINUTES * MS_PER_MINUTE),
          checkInClosesAt: plus(r.starts_at, CHECK_IN_WINDOW_MINUTES * MS_PER_MINUTE),
          canCheckIn: refusal === null,
          checkInRefusal: refusal,
          canCheckOut: r.checked_in_at !== null && r.checked_out_at === null,
          pendingSwapId: pending.get(r.id) ?? null,
        };
      };
      const windowOpen = plus(at, CHECK_IN_WINDOW_MINUTES * MS_PER_MINUTE);
      const current = rows.find(
        (r) =>
          r.starts_at <= windowOpen &&
          (r.ends_at > at || (r.checked_in_at !== null && r.checked_out_at === null)),
      );
      return {
        current: current ? view(current) : null,
        upcoming: rows.filter((r) => r !== current && r.starts_at > at).map(view),
        windowMinutes: CHECK_IN_WINDOW_MINUTES,
      };
    },

    /**
     * The caller asks to hand their place on a shift to another account, to trade it for that
     * account's shift at the same checkpoint, or to open it up; the checkpoint's lead (or a roster
     * manager over it) decides. Checked now as it will be again at the decision.
     */
    async requestSwap(ctx: RequestContext, shiftId: number, b: SwapRequestBody): Promise<SwapView> {
      const actor = actorOf(ctx);
      if (!holdsAnywhere(actor, 'shifts.check_in')) throw forbidden();
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const s = await repo.findShift(trx, shiftId);
        if (!s) throw notFound('shift');
        if (!(await repo.findAssignment(trx, shiftId, actor.userId))) throw notFound('shift_assignment');
        if ((await repo.pendingSwapsOf(trx, actor.userId, [shiftId])).size > 0)
          throw conflict('swap.pending');
        if (b.toShiftId !== undefined && b.toUserId === null) throw swapInvalid('shift.swap_not_assigned');
        if (b.toUserId !== null && !(await repo.activeUser(trx, b.toUserId)))
          throw badRequest('shift.user', {}, [
            { path: 'body.toUserId', message: msg('issue.unknown_or_disabled_user'), code: 'unknown' },
          ]);
        await checkSwapNow(trx, s, actor.userId, b.toUserId, b.toShiftId ?? null, at);
        const id = await repo.insertSwap(trx, {
          shift_id: shiftId,
          checkpoint_id: s.checkpoint_id,
          node_path: s.node_path,
          from_user_id: actor.userId,
          to_user_id: b.toUserId,
          to_shift_id: b.toShiftId ?? null,
          reason: b.reason ?? null,
          status: 'pending',
          requested_at: at,
          decided_by_user_id: null,
          decided_at: null,
          note: null,
        });
        await recordAudit(trx, ctx, {
          action: 'swap.request',
          entityType: 'shift_swap',
          entityId: id,
          nodePath: s.node_path,
          detail: { shiftId, toUserId: b.toUserId, toShiftId: b.toShiftId ?? null },
        });
        const told = [s.lead_user_id, b.toUserId].filter(
          (u): u is number => u !== null && u !== actor.userId,
        );
        await notify(trx, [...new Set(told)], {
          at,
          kind: 'swap.requested',
          message: {
            code: 'notification.swap.requested',
            params: { checkpoint: s.checkpoint_name, name: actor.displayName ?? '' },
          },
          // It leads to the checkpoint's roster, where the lead decides.
          entityType: 'checkpoint',
          entityId: s.checkpoint_id,
        });
        return id;
      });
      return swapOut(actor, (await repo.findSwap(db, id))!);
    },

    /** Swap requests: one checkpoint's, a subtree's, the caller's own (`mine`), or all in the caller's reach. */
    async listSwaps(
      ctx: RequestContext,
      q: { checkpointId?: number; nodeId?: number; mine?: boolean; status?: SwapStatus },
    ): Promise<{ items: SwapView[] }> {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'checkpoints.read');
      if (q.mine) {
        if (!holdsAnywhere(actor, 'shifts.check_in') && scopes.length === 0) throw forbidden();
      } else if (scopes.length === 0) throw forbidden();
      if (q.checkpointId !== undefined) await readable(actor, q.checkpointId);
      const node = q.nodeId === undefined ? undefined : await listNode(db, scopes, q.nodeId);
      const rows = await repo.listSwaps(db, {
        scopes,
        leadUserId: actor.userId,
        ...(q.checkpointId !== undefined ? { checkpointId: q.checkpointId } : {}),
        ...(node ? { path: node.path } : {}),
        ...(q.mine ? { mineUserId: actor.userId } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        limit: SWAP_LIST_LIMIT,
      });
      return { items: rows.map((r) => swapOut(actor, r)) };
    },

    /**
     * The checkpoint's lead or a roster manager over it approves or refuses a pending request. An
     * approval is checked again (shifts may have started or people moved since) and applied in the
     * same transaction; the people concerned are told.
     */
    async decideSwap(
      ctx: RequestContext,
      id: number,
      b: { decision: 'approve' | 'refuse'; note?: string | undefined },
    ): Promise<SwapView> {
      const actor = actorOf(ctx);
      const at = now();
      await db.transaction().execute(async (trx) => {
        const w = await repo.findSwap(trx, id);
        if (!w) throw notFound('swap');
        if (!mayDecide(actor, w)) throw forbidden();
        if (w.status !== 'pending') throw conflict('swap.decided');
        if (b.decision === 'approve') {
          const s = await repo.findShift(trx, w.shift_id);
          const mine = await repo.findAssignment(trx, w.shift_id, w.from_user_id);
          if (!s || !mine) throw swapInvalid('shift.swap_not_assigned');
          await checkSwapNow(trx, s, w.from_user_id, w.to_user_id, w.to_shift_id, at);
          if (w.to_user_id === null) await repo.deleteAssignment(trx, mine.id);
          else {
            if (w.to_shift_id !== null) {
              const theirs = await repo.findAssignment(trx, w.to_shift_id, w.to_user_id);
              if (!theirs) throw swapInvalid('shift.swap_not_assigned');
              await repo.moveAssignment(trx, theirs.id, w.from_user_id, actor.userId, at);
            }
            await repo.moveAssignment(trx, mine.id, w.to_user_id, actor.userId, at);
          }
        }
        const status = b.decision === 'approve' ? 'approved' : 'refused';
        if (
          (await repo.decideSwap(trx, id, {
            status,
            decided_by_user_id: actor.userId,
            decided_at: at,
            note: b.note ?? null,
          })) === 0
        )
          throw conflict('swap.decided');
        await recordAudit(trx, ctx, {
          action: 'swap.decide',
          entityType: 'shift_swap',
          entityId: id,
          nodePath: w.node_path,
          before: { status: 'pending' },
          after: { status },
          detail: { shiftId: w.shift_id, fromUserId: w.from_user_id, toUserId: w.to_user_id },
        });
        const told = [
          w.from_user_id,
          ...(status === 'approved' && w.to_user_id !== null ? [w.to_user_id] : []),
        ];
        await notify(
          trx,
          told.filter((u) => u !== actor.userId),
          {
            at,
            kind: `swap.${status}`,
            message: { code: `notification.swap.${status}`, params: { checkpoint: w.checkpoint_name } },
            entityType: 'shift_swap',
            entityId: id,
          },
        );
      });
      return swapOut(actor, (await repo.findSwap(db, id))!);
    },

    /**
     * The roster grid of one checkpoint or of a node's subtree over [from, to): each shift with its
     * people and coverage, and the counts a lead acts on — uncovered and understaffed shifts ahead,
     * no-shows on shifts running now.
     */
    async coverage(
      ctx: RequestContext,
      q: { checkpointId?: number; nodeId?: number; from: string; to: string },
    ): Promise<CoverageView> {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'checkpoints.read');
      const fromMs = Date.parse(q.from);
      const toMs = Date.parse(q.to);
      if (!(toMs > fromMs) || toMs - fromMs > ROSTER_MAX_DAYS * MS_PER_DAY)
        throw badRequest('shift.range', { max: ROSTER_MAX_DAYS });
      let path: string | undefined;
      if (q.checkpointId !== undefined) await readable(actor, q.checkpointId);
      if (q.nodeId !== undefined) path = (await listNode(db, scopes, q.nodeId)).path;
      const from = new Date(fromMs).toISOString();
      const rows = await repo.shiftsIn(db, scopes, {
        ...(q.checkpointId !== undefined ? { checkpointId: q.checkpointId } : {}),
        ...(path !== undefined ? { path } : {}),
        from,
        to: new Date(toMs).toISOString(),
        // No shift is longer than a day (roster.ts's SHIFT_MINUTES).
        earliestStart: new Date(fromMs - MS_PER_DAY).toISOString(),
      });
      const people = await repo.assignmentsOf(
        db,
        rows.map((r) => r.id),
      );
      const at = now();
      const covered = rosterCoverage(
        rows.map(shiftOf),
        people.map((p) => ({
          shiftKey: String(p.shift_id),
          personId: p.user_id,
          checkedInAt: p.checked_in_at,
        })),
        at,
      );
      const byShift = new Map<number, ShiftView['people']>();
      for (const p of people) {
        const list = byShift.get(p.shift_id) ?? [];
        list.push({
          userId: p.user_id,
          name: p.name,
          role: p.role,
          checkedInAt: p.checked_in_at,
          checkedOutAt: p.checked_out_at,
        });
        byShift.set(p.shift_id, list);
      }
      const items = covered.map((cv, i) => {
        const r = rows[i]!;
        return {
          id: r.id,
          checkpointId: r.checkpoint_id,
          checkpointName: r.checkpoint_name,
          day: r.day,
          slot: r.slot,
          startsAt: r.starts_at,
          endsAt: r.ends_at,
          required: r.required,
          assigned: cv.assigned,
          status: cv.status,
          noShows: cv.noShows,
          people: byShift.get(r.id) ?? [],
        };
      });
      const ahead = items.filter((s) => s.startsAt > at);
      return {
        items,
        uncoveredAhead: ahead.filter((s) => s.status === 'uncovered').length,
        understaffedAhead: ahead.filter((s) => s.status === 'understaffed').length,
        noShowsNow: items
          .filter((s) => s.startsAt <= at && s.endsAt > at)
          .reduce((n, s) => n + s.noShows.length, 0),
      };
    },
  };
}

export type RostersService = ReturnType<typeof createRostersService>;

/**
 * Reminds each person assigned to a shift starting within `leadMinutes` (default an hour), once:
 * the reminder is recorded with the notification in one transaction, so a restart or a second app
 * node does not send it again. Answers how many were sent.
 */
export async function sendShiftReminders(
  db: DB,
  at: string = nowIso(),
  leadMinutes = 60,
): Promise<{ sent: number }> {
  const due = await repo.remindersDue(db, at, plus(at, leadMinutes * MS_PER_MINUTE), 1000);
  if (due.length === 0) return { sent: 0 };
  return db.transaction().execute(async (trx) => {
    const fresh = new Set(
      await repo.recordReminders(
        trx,
        due.map((d) => d.id),
        at,
      ),
    );
    let sent = 0;
    for (const d of due) {
      if (!fresh.has(d.id)) continue;
      await notify(trx, [d.user_id], {
        at,
        kind: 'shift.reminder',
        message: {
          code: 'notification.shift.reminder',
          params: {
            checkpoint: d.checkpoint_name,
            start: new Date(Date.parse(d.starts_at) + 8 * 3_600_000).toISOString().slice(11, 16),
          },
        },
        entityType: 'shift',
        entityId: d.shift_id,
      });
      sent++;
    }
    return { sent };
  });
}

/**
 * Takes off the staffed-now counter the check-ins whose shift ended without a check-out (a later
 * check-out then leaves the counter alone). Answers how many.
 */
export async function sweepStaffed(db: DB, at: string = nowIso()): Promise<{ uncounted: number }> {
  const stale = await repo.staleCheckIns(db, at, 2000);
  if (stale.length === 0) return { uncounted: 0 };
  return db.transaction().execute(async (trx) => {
    const byCommand = new Map<number | null, { nodePath: string; deltas: Record<string, number> }[]>();
    let uncounted = 0;
    for (const k of stale) {
      // One by one, so a check-out that crossed the sweep is never taken off twice.
      if ((await repo.markUncounted(trx, [k.id], at)) === 0) continue;
      uncounted++;
      const list = byCommand.get(k.command_id) ?? [];
      list.push({ nodePath: k.node_path, deltas: { [STAFFED_METRIC]: -1 } });
      byCommand.set(k.command_id, list);
    }
    for (const [commandId, changes] of byCommand) await bumpCountersMany(trx, changes, commandId);
    return { uncounted };
  });
}

/**
 * Uncovered and understaffed shifts starting in the next 24 hours under a node and each of some of
 * its descendants (the cockpit's figure): a bounded indexed query, not a counter (ADR 0015).
 */
export async function rosterGapsUnder(
  x: Executor,
  q: { nodePath: string; childPaths: readonly string[]; at: string; hours?: number; commandId?: number },
): Promise<Map<string, { uncovered: number; understaffed: number }>> {
  const rows = await repo.shiftStaffingUnder(
    x,
    q.nodePath,
    q.at,
    plus(q.at, (q.hours ?? 24) * 3_600_000),
    q.commandId,
  );
  const out = new Map<string, { uncovered: number; understaffed: number }>(
    [q.nodePath, ...q.childPaths].map((p) => [p, { uncovered: 0, understaffed: 0 }]),
  );
  for (const r of rows) {
    const assigned = Number(r.assigned);
    if (assigned >= r.required) continue;
    for (const p of [q.nodePath, ...q.childPaths])
      if (r.node_path.startsWith(p)) {
        const o = out.get(p)!;
        if (assigned === 0) o.uncovered++;
        else o.understaffed++;
      }
  }
  return out;
}
