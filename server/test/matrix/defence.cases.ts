// Route-matrix cases: joint defence: checkpoints, their shift patterns, generated shifts, the
// people on them, coverage, and check-in and check-out. Records are placed by the admin (system_admin
// at the district) through the API, a fresh one per call at the target node.
import { expect } from 'vitest';
import { type TreeNode } from '../factories.js';
import { isWithin, userIdOf } from '../routes.js';
import {
  adminClient,
  byNumber,
  db,
  holdsPermission,
  inEachState,
  items,
  ok,
  pathsOfIds,
  probeUser,
  refused,
  shanghaiToday,
  type Case,
  type Res,
} from './driver.js';

/** A duty day far ahead: its shifts have not started, so people can be put on and taken off. */
const DAY = '2030-06-01';
/** An instant window holding the whole duty day (it begins at 00:00 in Shanghai, 16:00 UTC before). */
const WINDOW = 'from=2030-05-31T00:00:00Z&to=2030-06-02T00:00:00Z';
let seq = 0;
/** What a call aimed at, for the judge of its response. */
const aims = new WeakMap<object, { checkpoint?: number; shift?: number; userId?: number; name?: string }>();
const aim = (res: Res, a: { checkpoint?: number; shift?: number; userId?: number; name?: string }) => {
  aims.set(res, a);
  return res;
};
const aimOf = (res: Res) => aims.get(res)!;

async function commandAt(n: TreeNode): Promise<number> {
  const res = await adminClient.post<{ id: number }>('/api/commands', {
    name: `矩阵联防指挥部${++seq}`,
    responseLevel: 'III',
    nodeId: n.id,
  });
  ok(res, 201);
  return res.body.id;
}
async function checkpointAt(n: TreeNode, extra: Record<string, unknown> = {}): Promise<number> {
  const res = await adminClient.post<{ id: number }>('/api/checkpoints', {
    name: `矩阵卡口${++seq}`,
    type: 'village_entrance',
    nodeId: n.id,
    staffPerShift: 2,
    ...extra,
  });
  ok(res, 201);
  return res.body.id;
}
const commandsAt = new Map<number, Promise<{ open: number; closed: number }>>();
/**
 * Two incident commands at n, each with a checkpoint under it: one open, one closed since. Placed
 * once per node (the commands lists of other cases are read whole, up to their limit).
 */
function commandStatesAt(n: TreeNode) {
  let s = commandsAt.get(n.id);
  if (!s)
    commandsAt.set(
      n.id,
      (s = (async () => {
        const open = await commandAt(n);
        await checkpointAt(n, { commandId: open });
        const closed = await commandAt(n);
        await checkpointAt(n, { commandId: closed });
        ok(await adminClient.post(`/api/commands/${closed}/close`, { summary: '矩阵总结' }));
        return { open, closed };
      })()),
    );
  return s;
}
/** Two checkpoints at n: one open, one closed. */
async function checkpointStates(n: TreeNode) {
  const open = await checkpointAt(n);
  const closed = await checkpointAt(n, { status: 'closed' });
  return { open, closed };
}
/** A checkpoint at n with a 3 × 8 h pattern and the three shifts of DAY; answers the first shift. */
async function shiftAt(n: TreeNode): Promise<number> {
  const id = await checkpointAt(n);
  ok(await adminClient.put(`/api/checkpoints/${id}/pattern`, { pattern: { kind: 'three_by_eight' } }));
  ok(await adminClient.post(`/api/checkpoints/${id}/shifts/generate`, { from: DAY, to: DAY }));
  const s = await db
    .selectFrom('shifts')
    .select('id')
    .where('checkpoint_id', '=', id)
    .orderBy('slot')
    .executeTakeFirstOrThrow();
  return s.id;
}
async function assign(shift: number, userId: number) {
  ok(await adminClient.post(`/api/shifts/${shift}/assignments`, { userId, role: 'volunteer' }), 201);
}
/** Two shifts at n: one nobody is on, one with someone on it. */
async function shiftStates(n: TreeNode) {
  const empty = await shiftAt(n);
  const staffed = await shiftAt(n);
  await assign(staffed, (await probeUser(n, 'checkpoint_staff')).id);
  return { empty, staffed };
}
const checkpointRow = (id: number) =>
  db
    .selectFrom('checkpoints')
    .select(['name', 'status', 'node_path'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const assignmentsOf = async (shift: number) =>
  (await db.selectFrom('shift_assignments').select('user_id').where('shift_id', '=', shift).execute()).map(
    (r) => r.user_id,
  );
/** The Shanghai wall clock now, 'HH:MM': a custom shift starting now is inside its check-in window. */
const shanghaiNow = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(11, 16);

/** A swap request at n by someone on one of its shifts: pending, or refused already. */
async function swapAt(n: TreeNode, status: 'pending' | 'refused' = 'pending'): Promise<number> {
  const shift = await shiftAt(n);
  const from = (await probeUser(n, 'checkpoint_staff')).id;
  await assign(shift, from);
  const s = await db
    .selectFrom('shifts')
    .select(['checkpoint_id', 'node_path'])
    .where('id', '=', shift)
    .executeTakeFirstOrThrow();
  const at = new Date().toISOString();
  const row = await db
    .insertInto('shift_swaps')
    .values({
      shift_id: shift,
      checkpoint_id: s.checkpoint_id,
      node_path: s.node_path,
      from_user_id: from,
      to_user_id: null,
      to_shift_id: null,
      reason: null,
      status,
      requested_at: at,
      decided_by_user_id: null,
      decided_at: status === 'pending' ? null : at,
      note: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
const swapStatus = async (id: number) =>
  (await db.selectFrom('shift_swaps').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
/** A shift of a fresh checkpoint at n starting at this minute `days` days from today (Shanghai). */
async function shiftInDays(n: TreeNode, days: number): Promise<number> {
  const id = await checkpointAt(n);
  ok(
    await adminClient.put(`/api/checkpoints/${id}/pattern`, {
      pattern: { kind: 'custom', slots: [{ start: shanghaiNow(), minutes: 60 }] },
    }),
  );
  const day = new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
  ok(await adminClient.post(`/api/checkpoints/${id}/shifts/generate`, { from: day, to: day }));
  return (
    await db.selectFrom('shifts').select('id').where('checkpoint_id', '=', id).executeTakeFirstOrThrow()
  ).id;
}

export const defenceCases: Record<string, Case> = {
  'GET /api/checkpoints': {
    node: {
      call: async ({ c }, n) => {
        await checkpointAt(n);
        return [await c.get(`/api/checkpoints?node=${n.id}`)];
      },
      inside: async (res, _x, n) => {
        ok(res);
        const got = items(res) as { id: number; node: { id: number } }[];
        for (const p of await pathsOfIds(got.map((i) => i.node.id)))
          expect(isWithin(p, n.path), p).toBe(true);
        const want = await db
          .selectFrom('checkpoints')
          .select('id')
          .where('node_path', 'like', `${n.path}%`)
          .execute();
        expect(got.map((i) => i.id).sort(byNumber)).toEqual(want.map((r) => r.id).sort(byNumber));
        expect(got.length).toBeGreaterThan(0);
      },
    },
    list: {
      call: async ({ actor, c }) => {
        await checkpointAt(actor.scope());
        return c.get('/api/checkpoints');
      },
      check: async (res, { actor }) => {
        ok(res);
        const scope = actor.scope().path;
        const got = items(res) as { id: number }[];
        const want = await db
          .selectFrom('checkpoints')
          .select('id')
          .where('node_path', 'like', `${scope}%`)
          .execute();
        expect(got.map((i) => i.id).sort(byNumber)).toEqual(want.map((r) => r.id).sort(byNumber));
      },
    },
  },
  'POST /api/checkpoints': {
    node: {
      call: async ({ c }, n) => {
        const name = `矩阵新卡口${++seq}`;
        return [
          aim(await c.post('/api/checkpoints', { name, type: 'road', nodeId: n.id, staffPerShift: 1 }), {
            name,
          }),
        ];
      },
      inside: (res, _x, n) => {
        ok(res, 201);
        expect(res.body).toMatchObject({ name: aimOf(res).name, node: { id: n.id }, status: 'open' });
      },
      outside: async (res) => {
        refused(res, 403);
        const row = await db
          .selectFrom('checkpoints')
          .select('id')
          .where('name', '=', aimOf(res).name!)
          .executeTakeFirst();
        expect(row).toBeUndefined();
      },
    },
  },
  'GET /api/checkpoints/:id': {
    states: async ({ c }, n) =>
      inEachState(await checkpointStates(n), (id) => c.get(`/api/checkpoints/${id}`)),
    node: {
      call: async ({ c }, n) => {
        const id = await checkpointAt(n);
        return [aim(await c.get(`/api/checkpoints/${id}`), { checkpoint: id })];
      },
      inside: (res, _x, n) => {
        ok(res);
        expect(res.body).toMatchObject({ id: aimOf(res).checkpoint, node: { id: n.id } });
      },
    },
  },
  'PATCH /api/checkpoints/:id': {
    states: async ({ c }, n) =>
      inEachState(await checkpointStates(n), (id) => c.patch(`/api/checkpoints/${id}`, { name: '矩阵改名' })),
    node: {
      call: async ({ c }, n) => {
        const id = await checkpointAt(n);
        const name = `矩阵改名${++seq}`;
        return [aim(await c.patch(`/api/checkpoints/${id}`, { name }), { checkpoint: id, name })];
      },
      inside: async (res) => {
        ok(res);
        expect((await checkpointRow(aimOf(res).checkpoint!)).name).toBe(aimOf(res).name);
      },
      outside: async (res) => {
        refused(res, 403);
        expect((await checkpointRow(aimOf(res).checkpoint!)).name).not.toBe(aimOf(res).name);
      },
    },
  },
  'POST /api/commands/:id/checkpoints/status': {
    // The command at n with a checkpoint under it: open, or closed since.
    states: async ({ c }, n) =>
      inEachState(await commandStatesAt(n), (id) =>
        c.post(`/api/commands/${id}/checkpoints/status`, { status: 'suspended' }),
      ),
    node: {
      call: async ({ c }, n) => {
        const command = (await commandStatesAt(n)).open;
        const id = await checkpointAt(n, { commandId: command });
        const body = { status: 'suspended', checkpointIds: [id] };
        return [aim(await c.post(`/api/commands/${command}/checkpoints/status`, body), { checkpoint: id })];
      },
      inside: async (res) => {
        ok(res);
        expect(items(res)).toMatchObject([{ id: aimOf(res).checkpoint, status: 'suspended' }]);
        expect((await checkpointRow(aimOf(res).checkpoint!)).status).toBe('suspended');
      },
      outside: async (res) => {
        refused(res, 403);
        expect((await checkpointRow(aimOf(res).checkpoint!)).status).toBe('open');
      },
    },
  },
  'PUT /api/checkpoints/:id/pattern': {
    states: async ({ c }, n) =>
      inEachState(await checkpointStates(n), (id) =>
        c.put(`/api/checkpoints/${id}/pattern`, { pattern: { kind: 'two_by_twelve' } }),
      ),
    node: {
      call: async ({ c }, n) => {
        const id = await checkpointAt(n);
        return [
          aim(await c.put(`/api/checkpoints/${id}/pattern`, { pattern: { kind: 'two_by_twelve' } }), {
            checkpoint: id,
          }),
        ];
      },
      inside: async (res) => {
        ok(res);
        const row = await db
          .selectFrom('roster_patterns')
          .select('kind')
          .where('checkpoint_id', '=', aimOf(res).checkpoint!)
          .executeTakeFirst();
        expect(row?.kind).toBe('two_by_twelve');
      },
      outside: async (res) => {
        refused(res, 403);
        const row = await db
          .selectFrom('roster_patterns')
          .select('kind')
          .where('checkpoint_id', '=', aimOf(res).checkpoint!)
          .executeTakeFirst();
        expect(row).toBeUndefined();
      },
    },
  },
  'POST /api/checkpoints/:id/shifts/generate': {
    // An open and a suspended checkpoint, each with a pattern.
    states: async ({ c }, n) => {
      const open = await checkpointAt(n);
      const suspended = await checkpointAt(n, { status: 'suspended' });
      for (const id of [open, suspended])
        ok(await adminClient.put(`/api/checkpoints/${id}/pattern`, { pattern: { kind: 'three_by_eight' } }));
      return inEachState({ open, suspended }, (id) =>
        c.post(`/api/checkpoints/${id}/shifts/generate`, { from: DAY, to: DAY }),
      );
    },
    node: {
      call: async ({ c }, n) => {
        const id = await checkpointAt(n);
        ok(await adminClient.put(`/api/checkpoints/${id}/pattern`, { pattern: { kind: 'three_by_eight' } }));
        return [
          aim(await c.post(`/api/checkpoints/${id}/shifts/generate`, { from: DAY, to: DAY }), {
            checkpoint: id,
          }),
        ];
      },
      inside: async (res) => {
        ok(res);
        expect(res.body).toEqual({ added: 3, total: 3 });
        const rows = await db
          .selectFrom('shifts')
          .select('day')
          .where('checkpoint_id', '=', aimOf(res).checkpoint!)
          .execute();
        expect(rows.map((r) => r.day)).toEqual([DAY, DAY, DAY]);
      },
      outside: async (res) => {
        refused(res, 403);
        const rows = await db
          .selectFrom('shifts')
          .select('id')
          .where('checkpoint_id', '=', aimOf(res).checkpoint!)
          .execute();
        expect(rows).toEqual([]);
      },
    },
  },
  'GET /api/rosters/coverage': {
    node: {
      call: async ({ c }, n) => {
        await shiftAt(n);
        return [await c.get(`/api/rosters/coverage?node=${n.id}&${WINDOW}`)];
      },
      inside: async (res, _x, n) => {
        ok(res);
        const got = items(res) as { id: number }[];
        const want = await db
          .selectFrom('shifts')
          .select('id')
          .where('node_path', 'like', `${n.path}%`)
          .where('day', '=', DAY)
          .execute();
        expect(got.map((s) => s.id).sort(byNumber)).toEqual(want.map((r) => r.id).sort(byNumber));
        expect(got.length).toBeGreaterThan(0);
      },
    },
    list: {
      call: async ({ actor, c }) => {
        await shiftAt(actor.scope());
        return c.get(`/api/rosters/coverage?${WINDOW}`);
      },
      check: async (res, { actor }) => {
        ok(res);
        const got = items(res) as { id: number }[];
        const want = await db
          .selectFrom('shifts')
          .select('id')
          .where('node_path', 'like', `${actor.scope().path}%`)
          .where('day', '=', DAY)
          .execute();
        expect(got.map((s) => s.id).sort(byNumber)).toEqual(want.map((r) => r.id).sort(byNumber));
      },
    },
  },
  'POST /api/shifts/:id/assignments': {
    states: async ({ c }, n) => {
      const userId = (await probeUser(n, 'checkpoint_staff')).id;
      return inEachState(await shiftStates(n), (id) =>
        c.post(`/api/shifts/${id}/assignments`, { userId, role: 'grid_worker' }),
      );
    },
    node: {
      call: async ({ c }, n) => {
        const shift = await shiftAt(n);
        const userId = (await probeUser(n, 'checkpoint_staff')).id;
        return [
          aim(await c.post(`/api/shifts/${shift}/assignments`, { userId, role: 'grid_worker' }), {
            shift,
            userId,
          }),
        ];
      },
      inside: async (res) => {
        ok(res, 201);
        expect(await assignmentsOf(aimOf(res).shift!)).toEqual([aimOf(res).userId]);
      },
      outside: async (res) => {
        refused(res, 403);
        expect(await assignmentsOf(aimOf(res).shift!)).toEqual([]);
      },
    },
  },
  'DELETE /api/shifts/:id/assignments/:userId': {
    // The person on the shift, or a shift they are not on.
    states: async ({ c }, n) => {
      const userId = (await probeUser(n, 'checkpoint_staff')).id;
      const on = await shiftAt(n);
      await assign(on, userId);
      const off = await shiftAt(n);
      return inEachState({ on, off }, (id) => c.delete(`/api/shifts/${id}/assignments/${userId}`));
    },
    node: {
      call: async ({ c }, n) => {
        const shift = await shiftAt(n);
        const userId = (await probeUser(n, 'checkpoint_staff')).id;
        await assign(shift, userId);
        return [aim(await c.delete(`/api/shifts/${shift}/assignments/${userId}`), { shift, userId })];
      },
      inside: async (res) => {
        ok(res);
        expect(await assignmentsOf(aimOf(res).shift!)).toEqual([]);
      },
      outside: async (res) => {
        refused(res, 403);
        expect(await assignmentsOf(aimOf(res).shift!)).toEqual([aimOf(res).userId]);
      },
    },
  },
  'POST /api/shifts/:id/check-in': {
    unscoped: 'the caller checks in to their own place on a shift, wherever it is',
    // Someone else's shift outside, empty or staffed: the caller is on neither (404 alike).
    states: async ({ c }, n) =>
      inEachState(await shiftStates(n), (id) => c.post(`/api/shifts/${id}/check-in`, {})),
    check: async ({ actor, c }) => {
      const res = await c.post(`/api/shifts/${await shiftAt(actor.scope())}/check-in`, {});
      if (!(await holdsPermission(c, 'shifts.check_in'))) return refused(res, 403);
      // Not on the shift: nothing to check in to.
      refused(res, 404);
      // On a shift starting now at the caller's place: checked in, and then out.
      const id = await checkpointAt(actor.scope());
      ok(
        await adminClient.put(`/api/checkpoints/${id}/pattern`, {
          pattern: { kind: 'custom', slots: [{ start: shanghaiNow(), minutes: 60 }] },
        }),
      );
      const day = shanghaiToday();
      ok(await adminClient.post(`/api/checkpoints/${id}/shifts/generate`, { from: day, to: day }));
      const shift = await db
        .selectFrom('shifts')
        .select('id')
        .where('checkpoint_id', '=', id)
        .executeTakeFirstOrThrow();
      await assign(shift.id, await userIdOf(db, actor.name));
      ok(await c.post(`/api/shifts/${shift.id}/check-in`, { lat: 30.2, lng: 119.7 }));
      refused(await c.post(`/api/shifts/${shift.id}/check-in`, {}), 409);
      ok(await c.post(`/api/shifts/${shift.id}/check-out`, {}));
    },
  },
  'POST /api/shifts/:id/check-out': {
    unscoped: 'the caller checks out of their own place on a shift, wherever it is',
    states: async ({ c }, n) =>
      inEachState(await shiftStates(n), (id) => c.post(`/api/shifts/${id}/check-out`, {})),
    check: async ({ actor, c }) => {
      const res = await c.post(`/api/shifts/${await shiftAt(actor.scope())}/check-out`, {});
      if (!(await holdsPermission(c, 'shifts.check_in'))) return refused(res, 403);
      refused(res, 404);
    },
  },
  'GET /api/shifts/mine': {
    unscoped: 'the caller’s own shifts, wherever they are',
    check: async ({ actor, c }) => {
      const res = await c.get('/api/shifts/mine');
      if (!(await holdsPermission(c, 'shifts.check_in'))) return refused(res, 403);
      ok(res);
      // Put on a shift tomorrow at this hour: it is among the caller's upcoming shifts, and no one else's.
      const shift = await shiftInDays(actor.scope(), 1);
      await assign(shift, await userIdOf(db, actor.name));
      const after = await c.get<{ upcoming: { id: number }[] }>('/api/shifts/mine');
      ok(after);
      expect(after.body.upcoming.map((s) => s.id)).toContain(shift);
      const other = (await probeUser(actor.scope(), 'checkpoint_staff')).id;
      const rows = await db
        .selectFrom('shift_assignments')
        .select('shift_id')
        .where('user_id', '=', other)
        .execute();
      expect(rows).toEqual([]);
    },
  },
  'POST /api/shifts/:id/swaps': {
    unscoped: 'the caller asks about their own place on a shift, wherever it is',
    // Someone else's shift outside, empty or staffed: the caller is on neither (404 alike).
    states: async ({ c }, n) =>
      inEachState(await shiftStates(n), (id) => c.post(`/api/shifts/${id}/swaps`, { toUserId: null })),
    check: async ({ actor, c }) => {
      const shift = await shiftInDays(actor.scope(), 2);
      const res = await c.post(`/api/shifts/${shift}/swaps`, { toUserId: null });
      if (!(await holdsPermission(c, 'shifts.check_in'))) return refused(res, 403);
      // Not on the shift: nothing to hand on.
      refused(res, 404);
      const me = await userIdOf(db, actor.name);
      await assign(shift, me);
      const asked = await c.post<{ id: number; from: { id: number } }>(`/api/shifts/${shift}/swaps`, {
        toUserId: null,
        reason: '矩阵换班',
      });
      ok(asked, 201);
      expect(asked.body.from.id).toBe(me);
      expect(await swapStatus(asked.body.id)).toBe('pending');
      refused(await c.post(`/api/shifts/${shift}/swaps`, { toUserId: null }), 409);
    },
  },
  'GET /api/swaps': {
    node: {
      call: async ({ c }, n) => {
        await swapAt(n);
        return [await c.get(`/api/swaps?node=${n.id}`)];
      },
      inside: async (res, { c }, n) => {
        if (!(await holdsPermission(c, 'checkpoints.read'))) return refused(res, 403);
        ok(res);
        const got = items(res) as { id: number }[];
        const want = await db
          .selectFrom('shift_swaps')
          .select('id')
          .where('node_path', 'like', `${n.path}%`)
          .execute();
        expect(got.map((i) => i.id).sort(byNumber)).toEqual(want.map((r) => r.id).sort(byNumber));
        expect(got.length).toBeGreaterThan(0);
      },
    },
    list: {
      call: async ({ actor, c }) => {
        await swapAt(actor.scope());
        return c.get('/api/swaps');
      },
      check: async (res, { actor, c }) => {
        if (!(await holdsPermission(c, 'checkpoints.read'))) return refused(res, 403);
        ok(res);
        const got = items(res) as { id: number }[];
        const want = await db
          .selectFrom('shift_swaps')
          .select('id')
          .where('node_path', 'like', `${actor.scope().path}%`)
          .orderBy('id', 'desc')
          .limit(200)
          .execute();
        expect(got.map((i) => i.id).sort(byNumber)).toEqual(want.map((r) => r.id).sort(byNumber));
      },
    },
  },
  'POST /api/swaps/:id/decision': {
    // A request outside, waiting or refused already: refused alike before its state is read.
    states: async ({ c }, n) =>
      inEachState({ pending: await swapAt(n), refused: await swapAt(n, 'refused') }, (id) =>
        c.post(`/api/swaps/${id}/decision`, { decision: 'refuse' }),
      ),
    node: {
      call: async ({ c }, n) => {
        const id = await swapAt(n);
        return [aim(await c.post(`/api/swaps/${id}/decision`, { decision: 'refuse' }), { shift: id })];
      },
      inside: async (res, { c }) => {
        // The checkpoint's lead or a roster manager over it decides; others are refused.
        if (!(await holdsPermission(c, 'rosters.manage'))) {
          refused(res, 403);
          expect(await swapStatus(aimOf(res).shift!)).toBe('pending');
          return;
        }
        ok(res);
        expect(res.body).toMatchObject({ id: aimOf(res).shift, status: 'refused' });
        expect(await swapStatus(aimOf(res).shift!)).toBe('refused');
      },
      outside: async (res) => {
        refused(res, 403);
        expect(await swapStatus(aimOf(res).shift!)).toBe('pending');
      },
    },
  },
};
