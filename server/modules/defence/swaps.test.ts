// "My shift", swap requests, reminders and the cockpit's roster figures through the service and the
// database, on both databases: the caller's current shift with whether and why not they may check
// in; a hand-over, a trade (roster.ts's checkSwap) and an opening-up decided by the checkpoint's lead,
// refused to others and never twice; a reminder an hour before a shift sent once however often the
// job runs; the staffed-now counter bumped at check-in and check-out and taken off by the sweep for a
// shift that ended without a check-out; uncovered and understaffed shifts of the next 24 hours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle, DB } from '../../db/index.js';
import { loadActor } from '../../platform/auth.js';
import type { RequestContext } from '../../platform/actor.js';
import { createTestDatabase } from '../../test/harness.js';
import { makeTree, makeUser, type Tree } from '../../test/factories.js';
import {
  STAFFED_METRIC,
  createRostersService,
  rosterGapsUnder,
  sendShiftReminders,
  sweepStaffed,
  type RostersService,
} from './index.js';

let database: DatabaseHandle;
let db: DB;
let tree: Tree;
let svc: RostersService;
// 2026-12-07 08:00 in Shanghai: the morning shift of a 3 × 8 h day from 00:00 is running.
let clock = '2026-12-07T00:00:00.000Z';
const ctxs: Record<string, RequestContext> = {};
const ids: Record<string, number> = {};
let checkpoint: number;
let otherCheckpoint: number;
/** Shift ids by 'day/slot' of `checkpoint`. */
const shifts = new Map<string, number>();

const rejected = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as { status: number; code: string; extra: { issues?: { code: string }[] } };
  }
  throw new Error('expected a refusal');
};
const counter = async (path: string, commandId = 0) =>
  Number(
    (
      await db
        .selectFrom('live_counters')
        .select('value')
        .where('metric', '=', STAFFED_METRIC)
        .where('node_path', '=', path)
        .where('command_id', '=', commandId)
        .executeTakeFirst()
    )?.value ?? 0,
  );
const notificationsOf = (userId: number, kind: string) =>
  db
    .selectFrom('notifications')
    .select(['message_code', 'message_params', 'entity_id'])
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .execute();
const usersOn = async (shiftId: number) =>
  (await db.selectFrom('shift_assignments').select('user_id').where('shift_id', '=', shiftId).execute())
    .map((r) => r.user_id)
    .sort((a, b) => a - b);

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  tree = await makeTree(db);
  const [townA, townB] = tree.towns;
  const [villageA] = tree.villages;
  const users: [string, string, (typeof tree.towns)[number]][] = [
    ['towncmd', 'town_commander', townA!],
    ['towncmdB', 'town_commander', townB!],
    ['lead', 'checkpoint_staff', villageA!],
    ['staff1', 'checkpoint_staff', villageA!],
    ['staff2', 'checkpoint_staff', villageA!],
    ['staff3', 'checkpoint_staff', villageA!],
    ['volunteer', 'volunteer', villageA!],
  ];
  for (const [name, role, node] of users) {
    ids[name] = await makeUser(db, name, [{ role, node }]);
    ctxs[name] = { actor: await loadActor(db, ids[name], 'session'), requestId: `test-${name}` };
  }
  svc = createRostersService({ db, now: () => clock });
  const make = async (name: string, lead: number | null) => {
    const c = await svc.createCheckpoint(ctxs.towncmd!, {
      name,
      type: 'village_entrance',
      nodeId: villageA!.id,
      staffPerShift: 2,
      leadUserId: lead,
    });
    await svc.setPattern(ctxs.towncmd!, c.id, { kind: 'three_by_eight' });
    await svc.generateShifts(ctxs.towncmd!, c.id, { from: '2026-12-07', to: '2026-12-09' });
    return c.id;
  };
  checkpoint = await make('村口东', ids.lead!);
  otherCheckpoint = await make('村口西', null);
  for (const r of await db
    .selectFrom('shifts')
    .select(['id', 'day', 'slot'])
    .where('checkpoint_id', '=', checkpoint)
    .execute())
    shifts.set(`${r.day}/${r.slot}`, r.id);
});
afterAll(async () => {
  await database?.close();
});

describe('my shift', () => {
  it('shows the running shift with check-in allowed, and the next ones of the week', async () => {
    clock = '2026-12-06T20:00:00.000Z'; // 04:00 local: before the day's shifts, so people can be put on
    for (const key of ['2026-12-07/1', '2026-12-07/2', '2026-12-08/1', '2026-12-09/1'])
      await svc.assign(ctxs.towncmd!, shifts.get(key)!, { userId: ids.staff1!, role: 'volunteer' });
    clock = '2026-12-07T00:10:00.000Z'; // 08:10 local: the 08:00 shift's window is open
    const mine = await svc.mine(ctxs.staff1!);
    expect(mine.current).toMatchObject({
      id: shifts.get('2026-12-07/1'),
      checkpoint: { id: checkpoint, name: '村口东', node: { id: tree.villages[0]!.id } },
      startsAt: '2026-12-07T00:00:00.000Z',
      canCheckIn: true,
      checkInRefusal: null,
      canCheckOut: false,
      checkInOpensAt: '2026-12-06T23:30:00.000Z',
      checkInClosesAt: '2026-12-07T00:30:00.000Z',
    });
    expect(mine.upcoming.map((s) => s.id)).toEqual(
      ['2026-12-07/2', '2026-12-08/1', '2026-12-09/1'].map((k) => shifts.get(k)),
    );
    expect(mine.upcoming[0]).toMatchObject({
      canCheckIn: false,
      checkInRefusal: { code: 'shift.too_early' },
    });
    expect(mine.windowMinutes).toBe(30);
  });

  it('says why not once the window closed, and after checking in offers the check-out', async () => {
    clock = '2026-12-07T00:45:00.000Z';
    expect((await svc.mine(ctxs.staff1!)).current).toMatchObject({
      canCheckIn: false,
      checkInRefusal: {
        code: 'shift.too_late',
        params: { start: '2026-12-07 08:00', closes: '2026-12-07 08:30' },
      },
    });
    clock = '2026-12-07T00:20:00.000Z';
    await svc.checkIn(ctxs.staff1!, shifts.get('2026-12-07/1')!, { lat: 30.2, lng: 119.7 });
    expect((await svc.mine(ctxs.staff1!)).current).toMatchObject({
      canCheckIn: false,
      checkInRefusal: { code: 'shift.checked_in' },
      canCheckOut: true,
    });
  });

  it('is nothing for someone with no shifts, and refused without shifts.check_in', async () => {
    expect(await svc.mine(ctxs.staff2!)).toEqual({ current: null, upcoming: [], windowMinutes: 30 });
    expect(await rejected(svc.mine(ctxs.towncmd!))).toMatchObject({ status: 403 });
  });
});

describe('the staffed-now counter', () => {
  it('counts the check-in at the village and every ancestor, and the check-out takes it off', async () => {
    const village = tree.villages[0]!.path;
    expect(await counter(village)).toBe(1);
    expect(await counter(tree.district.path)).toBe(1);
    clock = '2026-12-07T07:00:00.000Z';
    await svc.checkOut(ctxs.staff1!, shifts.get('2026-12-07/1')!, {});
    expect(await counter(village)).toBe(0);
    expect(await counter(tree.district.path)).toBe(0);
  });

  it('the sweep takes off a shift that ended without a check-out, once; a late check-out leaves it', async () => {
    clock = '2026-12-07T07:50:00.000Z'; // 15:50 local: the 16:00 shift's window
    await svc.checkIn(ctxs.staff1!, shifts.get('2026-12-07/2')!, {});
    const village = tree.villages[0]!.path;
    expect(await counter(village)).toBe(1);
    expect(await sweepStaffed(db, '2026-12-07T15:00:00.000Z')).toEqual({ uncounted: 0 });
    expect(await counter(village)).toBe(1);
    expect(await sweepStaffed(db, '2026-12-07T16:00:01.000Z')).toEqual({ uncounted: 1 });
    expect(await sweepStaffed(db, '2026-12-07T16:05:00.000Z')).toEqual({ uncounted: 0 });
    expect(await counter(village)).toBe(0);
    clock = '2026-12-07T16:10:00.000Z';
    await svc.checkOut(ctxs.staff1!, shifts.get('2026-12-07/2')!, {});
    expect(await counter(village)).toBe(0);
  });
});

describe('swap requests', () => {
  it('a hand-over: the lead is told, approves, and the other person is on the shift', async () => {
    clock = '2026-12-07T17:00:00.000Z';
    const shift = shifts.get('2026-12-08/1')!;
    const w = await svc.requestSwap(ctxs.staff1!, shift, { toUserId: ids.staff2!, reason: '家中有事' });
    expect(w).toMatchObject({
      status: 'pending',
      checkpoint: { id: checkpoint, name: '村口东' },
      shift: { id: shift },
      from: { id: ids.staff1 },
      to: { id: ids.staff2 },
      toShift: null,
      reason: '家中有事',
      abilities: { decide: false },
    });
    expect(await notificationsOf(ids.lead!, 'swap.requested')).toEqual([
      expect.objectContaining({ message_code: 'notification.swap.requested', entity_id: checkpoint }),
    ]);
    // Asked twice: one waits already.
    expect(await rejected(svc.requestSwap(ctxs.staff1!, shift, { toUserId: null }))).toMatchObject({
      status: 409,
      code: 'swap.pending',
    });
    // The lead sees it in the checkpoint's queue and may decide; the person's own list has it too.
    const queue = await svc.listSwaps(ctxs.lead!, { checkpointId: checkpoint });
    expect(queue.items.map((s) => [s.id, s.abilities.decide])).toEqual([[w.id, true]]);
    expect((await svc.listSwaps(ctxs.staff2!, { mine: true })).items.map((s) => s.id)).toEqual([w.id]);
    expect((await svc.listSwaps(ctxs.staff3!, { mine: true })).items).toEqual([]);
    // Someone else at the village may not decide; a commander of another town cannot even see it.
    expect(await rejected(svc.decideSwap(ctxs.staff3!, w.id, { decision: 'approve' }))).toMatchObject({
      status: 403,
    });
    expect(await rejected(svc.decideSwap(ctxs.towncmdB!, w.id, { decision: 'approve' }))).toMatchObject({
      status: 403,
    });
    expect((await svc.listSwaps(ctxs.towncmdB!, {})).items).toEqual([]);
    const done = await svc.decideSwap(ctxs.lead!, w.id, { decision: 'approve', note: '同意' });
    expect(done).toMatchObject({ status: 'approved', decidedBy: { id: ids.lead }, note: '同意' });
    expect(await usersOn(shift)).toEqual([ids.staff2]);
    expect(await notificationsOf(ids.staff1!, 'swap.approved')).toHaveLength(1);
    expect(await notificationsOf(ids.staff2!, 'swap.approved')).toHaveLength(1);
    expect(await rejected(svc.decideSwap(ctxs.lead!, w.id, { decision: 'refuse' }))).toMatchObject({
      status: 409,
      code: 'swap.decided',
    });
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'shift_swap')
      .where('entity_id', '=', String(w.id))
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['swap.decide', 'swap.request']);
  });

  it('a trade is checked by checkSwap: not with an overlapping shift, not a started one; a valid one swaps both', async () => {
    const mineShift = shifts.get('2026-12-09/1')!; // staff1's
    const theirs = shifts.get('2026-12-09/2')!;
    await svc.assign(ctxs.towncmd!, theirs, { userId: ids.staff3!, role: 'volunteer' });
    // staff3 is not on the 00:00 shift, so nothing to trade.
    expect(
      await rejected(
        svc.requestSwap(ctxs.staff1!, mineShift, {
          toUserId: ids.staff3!,
          toShiftId: shifts.get('2026-12-09/0')!,
        }),
      ),
    ).toMatchObject({
      status: 409,
      code: 'swap.invalid',
      extra: { issues: [{ code: 'shift.swap_not_assigned' }] },
    });
    // A shift that has started cannot be handed on.
    expect(
      await rejected(svc.requestSwap(ctxs.staff1!, shifts.get('2026-12-07/2')!, { toUserId: ids.staff3! })),
    ).toMatchObject({ status: 409, extra: { issues: [{ code: 'shift.swap_started' }] } });
    const w = await svc.requestSwap(ctxs.staff1!, mineShift, { toUserId: ids.staff3!, toShiftId: theirs });
    await svc.decideSwap(ctxs.towncmd!, w.id, { decision: 'approve' });
    expect(await usersOn(mineShift)).toEqual([ids.staff3]);
    expect(await usersOn(theirs)).toEqual([ids.staff1]);
  });

  it('opening a shift up takes the person off once approved; a refusal changes nothing', async () => {
    const shift = shifts.get('2026-12-09/2')!; // staff1's since the trade
    const refused = await svc.requestSwap(ctxs.staff1!, shift, { toUserId: null });
    expect(await svc.decideSwap(ctxs.lead!, refused.id, { decision: 'refuse' })).toMatchObject({
      status: 'refused',
    });
    expect(await usersOn(shift)).toEqual([ids.staff1]);
    expect(await notificationsOf(ids.staff1!, 'swap.refused')).toHaveLength(1);
    const open = await svc.requestSwap(ctxs.staff1!, shift, { toUserId: null });
    await svc.decideSwap(ctxs.lead!, open.id, { decision: 'approve' });
    expect(await usersOn(shift)).toEqual([]);
  });

  it('refuses a hand-over to someone busy then, to oneself, and on a shift one is not on', async () => {
    const shift = shifts.get('2026-12-09/1')!; // staff3's since the trade
    const other = (
      await db
        .selectFrom('shifts')
        .select('id')
        .where('checkpoint_id', '=', otherCheckpoint)
        .where('day', '=', '2026-12-09')
        .where('slot', '=', 1)
        .executeTakeFirstOrThrow()
    ).id;
    await svc.assign(ctxs.towncmd!, other, { userId: ids.staff2!, role: 'volunteer' });
    expect(await rejected(svc.requestSwap(ctxs.staff3!, shift, { toUserId: ids.staff2! }))).toMatchObject({
      status: 409,
      extra: { issues: [{ code: 'shift.swap_busy' }] },
    });
    expect(await rejected(svc.requestSwap(ctxs.staff3!, shift, { toUserId: ids.staff3! }))).toMatchObject({
      extra: { issues: [{ code: 'shift.swap_same_person' }] },
    });
    expect(await rejected(svc.requestSwap(ctxs.staff2!, shift, { toUserId: null }))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect(await rejected(svc.requestSwap(ctxs.staff3!, 999_999, { toUserId: null }))).toMatchObject({
      status: 404,
    });
  });
});

describe('reminders before a shift', () => {
  it('each person on a shift starting within the hour is told once, however often the job runs', async () => {
    const shift = shifts.get('2026-12-08/0')!; // 2026-12-08 00:00 local = 12-07 16:00Z
    await svc.assign(ctxs.towncmd!, shift, { userId: ids.staff3!, role: 'volunteer' });
    await svc.assign(ctxs.towncmd!, shift, { userId: ids.volunteer!, role: 'volunteer' });
    expect(await sendShiftReminders(db, '2026-12-07T14:30:00.000Z', 60)).toEqual({ sent: 0 });
    const first = await sendShiftReminders(db, '2026-12-07T15:10:00.000Z', 60);
    expect(first.sent).toBeGreaterThanOrEqual(2);
    expect(await sendShiftReminders(db, '2026-12-07T15:20:00.000Z', 60)).toEqual({ sent: 0 });
    const told = await notificationsOf(ids.volunteer!, 'shift.reminder');
    expect(told).toEqual([
      {
        message_code: 'notification.shift.reminder',
        message_params: JSON.stringify({ checkpoint: '村口东', start: '00:00' }),
        entity_id: shift,
      },
    ]);
    expect(await notificationsOf(ids.staff3!, 'shift.reminder')).toHaveLength(1);
  });
});

describe('uncovered next 24 hours', () => {
  it('counts the shifts nobody or too few are on, under the node and each child, closed checkpoints aside', async () => {
    const at = '2026-12-07T16:00:00.000Z'; // 2026-12-08 00:00 local: the next 24 h is 12-08's three shifts
    const [townA, townB] = tree.towns;
    const gaps = await rosterGapsUnder(db, {
      nodePath: tree.district.path,
      childPaths: [townA!.path, townB!.path],
      at,
    });
    // 村口东 on 12-08: slot 0 has two (covered), slot 1 staff2 (understaffed), slot 2 nobody;
    // 村口西 on 12-08: all three nobody.
    expect(gaps.get(tree.district.path)).toEqual({ uncovered: 4, understaffed: 1 });
    expect(gaps.get(townA!.path)).toEqual({ uncovered: 4, understaffed: 1 });
    expect(gaps.get(townB!.path)).toEqual({ uncovered: 0, understaffed: 0 });
    await svc.updateCheckpoint(ctxs.towncmd!, otherCheckpoint, { status: 'closed' });
    expect(
      (await rosterGapsUnder(db, { nodePath: tree.district.path, childPaths: [], at })).get(
        tree.district.path,
      ),
    ).toEqual({ uncovered: 1, understaffed: 1 });
  });
});

describe('generating shifts again', () => {
  it('refuses a changed pattern whose shifts would overlap the kept ones, and adds none', async () => {
    clock = '2026-12-06T00:00:00.000Z';
    const before = await db
      .selectFrom('shifts')
      .select('id')
      .where('checkpoint_id', '=', checkpoint)
      .execute();
    // Same pattern again: nothing new, nothing refused.
    expect(
      await svc.generateShifts(ctxs.towncmd!, checkpoint, { from: '2026-12-07', to: '2026-12-09' }),
    ).toEqual({
      added: 0,
      total: 9,
    });
    await svc.setPattern(ctxs.towncmd!, checkpoint, { kind: 'three_by_eight', firstStart: '06:00' });
    expect(
      await rejected(svc.generateShifts(ctxs.towncmd!, checkpoint, { from: '2026-12-08', to: '2026-12-08' })),
    ).toMatchObject({ status: 409, code: 'shift.pattern_clash' });
    // Days with no shifts yet take the new pattern.
    expect(
      await svc.generateShifts(ctxs.towncmd!, checkpoint, { from: '2026-12-11', to: '2026-12-11' }),
    ).toEqual({
      added: 3,
      total: 3,
    });
    const after = await db
      .selectFrom('shifts')
      .select('id')
      .where('checkpoint_id', '=', checkpoint)
      .execute();
    expect(after.length).toBe(before.length + 3);
  });
});
