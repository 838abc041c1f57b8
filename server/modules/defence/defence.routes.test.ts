// The checkpoints and duty rosters over HTTP, on both databases: a town commander sets up a
// checkpoint, lists it by node, generates a day of shifts and puts a member of staff on one; the
// staff member checks in inside the window and is refused outside it (409, the reason in zh-CN and
// in English); another town's commander is refused; bad input is a 400 listing each issue and
// writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let clock = '2026-12-07T00:00:00.000Z'; // 08:00 on 7 December in Shanghai
let towncmd: Client, towncmdB: Client, staff: Client;
let staffId: number;
let checkpointId: number;
let shifts: { id: number; startsAt: string }[] = [];

interface Problem {
  code: string;
  title: string;
  issues?: { path: string; code: string; message: string }[];
}
const count = async (table: 'checkpoints' | 'audit_log' | 'shifts' | 'shift_assignments') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const isProblem = (res: { headers: Record<string, unknown> }) =>
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => clock });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  await makeUser(db, 'towncmdB', [{ role: 'town_commander', node: tree.towns[1]! }]);
  staffId = await makeUser(db, 'staff1', [{ role: 'checkpoint_staff', node: tree.villages[0]! }]);
  towncmd = await t.login('towncmd');
  towncmdB = await t.login('towncmdB');
  staff = await t.login('staff1');
});
afterAll(async () => t.close());

describe('checkpoints and duty rosters over HTTP', () => {
  it('a town commander sets up a checkpoint (201) and lists it by node', async () => {
    const res = await towncmd.post<{ id: number }>('/api/checkpoints', {
      name: '一村村口',
      type: 'village_entrance',
      nodeId: tree.villages[0]!.id,
      lat: 30.21,
      lng: 119.71,
      staffPerShift: 1,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      name: '一村村口',
      type: 'village_entrance',
      status: 'open',
      node: { id: tree.villages[0]!.id },
      staffPerShift: 1,
      abilities: { update: true, roster: true },
    });
    checkpointId = res.body.id;
    const list = await towncmd.get<{ items: { id: number; name: string; type: string; status: string }[] }>(
      `/api/checkpoints?node=${tree.villages[0]!.id}`,
    );
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: checkpointId,
        name: '一村村口',
        type: 'village_entrance',
        status: 'open',
      }),
    ]);
    // Another village of the town has none; another town is not theirs to narrow to.
    const other = await towncmd.get<{ items: unknown[] }>(`/api/checkpoints?node=${tree.villages[1]!.id}`);
    expect(other.body.items).toEqual([]);
    const away = await towncmd.get(`/api/checkpoints?node=${tree.towns[1]!.id}`);
    expect(away.status).toBe(403);
    isProblem(away);
  });

  it('generates a day of shifts from a 3 × 8 h pattern and shows them uncovered', async () => {
    const pattern = await towncmd.put(`/api/checkpoints/${checkpointId}/pattern`, {
      pattern: { kind: 'three_by_eight' },
    });
    expect(pattern.status, JSON.stringify(pattern.body)).toBe(200);
    const gen = await towncmd.post(`/api/checkpoints/${checkpointId}/shifts/generate`, {
      from: '2026-12-08',
      to: '2026-12-08',
    });
    expect(gen.status, JSON.stringify(gen.body)).toBe(200);
    expect(gen.body).toEqual({ added: 3, total: 3 });
    // Again: the shifts already there are kept.
    const again = await towncmd.post(`/api/checkpoints/${checkpointId}/shifts/generate`, {
      from: '2026-12-08',
      to: '2026-12-08',
    });
    expect(again.body).toEqual({ added: 0, total: 3 });
    const cov = await towncmd.get<{
      items: { id: number; startsAt: string; status: string }[];
      uncoveredAhead: number;
    }>(
      `/api/rosters/coverage?checkpointId=${checkpointId}&from=2026-12-07T16:00:00Z&to=2026-12-08T16:00:00Z`,
    );
    expect(cov.status, JSON.stringify(cov.body)).toBe(200);
    expect(cov.body.items.map((s) => [s.startsAt, s.status])).toEqual([
      ['2026-12-07T16:00:00.000Z', 'uncovered'],
      ['2026-12-08T00:00:00.000Z', 'uncovered'],
      ['2026-12-08T08:00:00.000Z', 'uncovered'],
    ]);
    expect(cov.body.uncoveredAhead).toBe(3);
    shifts = cov.body.items;
  });

  it('assigns checkpoint staff (201); the shift is covered, the others still not', async () => {
    const res = await towncmd.post(`/api/shifts/${shifts[0]!.id}/assignments`, {
      userId: staffId,
      role: 'volunteer',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ shiftId: shifts[0]!.id, userId: staffId, role: 'volunteer' });
    const twice = await towncmd.post<Problem>(`/api/shifts/${shifts[0]!.id}/assignments`, {
      userId: staffId,
      role: 'volunteer',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('shift.already_assigned');
    const cov = await towncmd.get<{ items: { status: string }[]; uncoveredAhead: number }>(
      `/api/rosters/coverage?node=${tree.towns[0]!.id}&from=2026-12-07T16:00:00Z&to=2026-12-08T16:00:00Z`,
    );
    expect(cov.body.items.map((s) => s.status)).toEqual(['covered', 'uncovered', 'uncovered']);
    expect(cov.body.uncoveredAhead).toBe(2);
  });

  it('checks in outside the window: 409 shift.check_in_window with its issue, in zh-CN and in English', async () => {
    clock = '2026-12-07T15:15:00.000Z'; // 23:15, the shift starts at midnight
    const url = `/api/shifts/${shifts[0]!.id}/check-in`;
    const zh = await staff.request<Problem>({
      method: 'POST',
      url,
      payload: { lat: 30.21, lng: 119.71 },
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(zh.status).toBe(409);
    isProblem(zh);
    expect(zh.body).toMatchObject({ code: 'shift.check_in_window', title: '不在签到时间内' });
    expect(zh.body.issues).toEqual([
      {
        path: 'checkedInAt',
        code: 'shift.too_early',
        message: '还未到签到时间：本班 2026-12-08 00:00 开始，2026-12-07 23:30 起可签到',
      },
    ]);
    const en = await staff.request<Problem>({
      method: 'POST',
      url,
      payload: {},
      headers: { 'accept-language': 'en' },
    });
    expect(en.status).toBe(409);
    expect(en.body).toMatchObject({ code: 'shift.check_in_window', title: 'Not within the check-in window' });
    expect(en.body.issues).toEqual([
      {
        path: 'checkedInAt',
        code: 'shift.too_early',
        message:
          'too early to check in: the shift starts at 2026-12-08 00:00; check-in opens at 2026-12-07 23:30',
      },
    ]);
    // Long after the start: too late, and nothing was recorded by either refusal.
    clock = '2026-12-07T17:00:00.000Z';
    const late = await staff.post<Problem>(url, {});
    expect(late.status).toBe(409);
    expect(late.body.issues?.[0]?.code).toBe('shift.too_late');
    const rows = await db.selectFrom('shift_check_ins').select('id').execute();
    expect(rows).toEqual([]);
  });

  it('checks in inside the window (200) with the place, and out again', async () => {
    clock = '2026-12-07T16:10:00.000Z'; // ten minutes into the shift
    const url = `/api/shifts/${shifts[0]!.id}/check-in`;
    const res = await staff.post(url, { lat: 30.21, lng: 119.71 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ checkedInAt: clock, minutesFromStart: 10 });
    const again = await staff.post<Problem>(url, {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('shift.checked_in');
    // Someone not on the shift has nothing to check in to.
    const cadre = await t.login('cadre');
    expect((await cadre.post(url, {})).status).toBe(404);
    clock = '2026-12-08T00:05:00.000Z';
    const out = await staff.post(`/api/shifts/${shifts[0]!.id}/check-out`, {});
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(out.body).toEqual({ checkedOutAt: clock });
    const row = await db
      .selectFrom('shift_check_ins')
      .select(['lat', 'lng', 'checked_out_at'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ lat: 30.21, lng: 119.71, checked_out_at: clock });
  });

  it("another town's commander gets 403 from the checkpoint, its roster and its shifts", async () => {
    clock = '2026-12-08T01:00:00.000Z';
    const before = await count('audit_log');
    const calls = [
      towncmdB.get(`/api/checkpoints/${checkpointId}`),
      towncmdB.patch(`/api/checkpoints/${checkpointId}`, { name: '改名' }),
      towncmdB.put(`/api/checkpoints/${checkpointId}/pattern`, { pattern: { kind: 'two_by_twelve' } }),
      towncmdB.post(`/api/checkpoints/${checkpointId}/shifts/generate`, {
        from: '2026-12-09',
        to: '2026-12-09',
      }),
      towncmdB.get(
        `/api/rosters/coverage?checkpointId=${checkpointId}&from=2026-12-07T16:00:00Z&to=2026-12-08T16:00:00Z`,
      ),
      towncmdB.post(`/api/shifts/${shifts[2]!.id}/assignments`, { userId: staffId, role: 'volunteer' }),
      towncmdB.delete(`/api/shifts/${shifts[0]!.id}/assignments/${staffId}`),
      towncmdB.post('/api/checkpoints', {
        name: '越界卡口',
        type: 'road',
        nodeId: tree.villages[0]!.id,
        staffPerShift: 1,
      }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      isProblem(res);
    }
    expect(await count('audit_log')).toBe(before);
    const cp = await towncmd.get<{ name: string }>(`/api/checkpoints/${checkpointId}`);
    expect(cp.body.name).toBe('一村村口');
    // Their own list leaves it out.
    const list = await towncmdB.get<{ items: unknown[] }>('/api/checkpoints');
    expect(list.body.items).toEqual([]);
  });

  it('bad input gets 400 problem+json listing each issue, and writes nothing', async () => {
    const before = await Promise.all(
      (['checkpoints', 'audit_log', 'shifts', 'shift_assignments'] as const).map(count),
    );
    const res = await towncmd.post<Problem>('/api/checkpoints', {
      name: '',
      type: 'motorway',
      nodeId: tree.villages[0]!.id,
      lat: 123,
      staffPerShift: 0,
      colour: 'red',
    });
    expect(res.status).toBe(400);
    isProblem(res);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.issues!.map((i) => i.path).sort()).toEqual(
      ['body.colour', 'body.lat', 'body.name', 'body.staffPerShift', 'body.type'].sort(),
    );
    for (const i of res.body.issues!) expect(i.message.length).toBeGreaterThan(0);
    const nothing = await towncmd.request<Problem>({
      method: 'PATCH',
      url: `/api/checkpoints/${checkpointId}`,
      payload: {},
      headers: { 'accept-language': 'en' },
    });
    expect(nothing.status).toBe(400);
    expect(nothing.body.issues).toEqual([expect.objectContaining({ message: 'nothing to change' })]);
    const pattern = await towncmd.put<Problem>(`/api/checkpoints/${checkpointId}/pattern`, {
      pattern: { kind: 'custom', slots: [{ start: '25:00', minutes: 0 }] },
    });
    expect(pattern.status).toBe(400);
    expect(pattern.body.issues!.map((i) => i.path).sort()).toEqual([
      'body.pattern.slots.0.minutes',
      'body.pattern.slots.0.start',
    ]);
    const range = await towncmd.post<Problem>(`/api/checkpoints/${checkpointId}/shifts/generate`, {
      from: '2026-12-10',
      to: '2026-12-09',
    });
    expect(range.status).toBe(400);
    expect(range.body.code).toBe('shift.range');
    const user = await towncmd.post<Problem>(`/api/shifts/${shifts[2]!.id}/assignments`, {
      userId: 999_999,
      role: 'volunteer',
    });
    expect(user.status).toBe(400);
    expect(user.body.issues).toEqual([expect.objectContaining({ path: 'body.userId', code: 'unknown' })]);
    expect(
      await Promise.all((['checkpoints', 'audit_log', 'shifts', 'shift_assignments'] as const).map(count)),
    ).toEqual(before);
  });
});
