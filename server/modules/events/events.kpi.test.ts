// The KPI fixture: a hand-worked week of events in two grids of one town and one grid of the other,
// driven through the API with a controlled clock; every figure below is worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, KpiResponse } from '../../../common/contracts/events.js';
import type { DB } from '../../db/index.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';

// T0: Monday 2026-10-12 09:00 in Shanghai.
let clock = '2026-10-12T01:00:00.000Z';
let t: TestApp;
let db: DB;
let tree: Tree;
let admin: Client, cadre: Client, towncmd: Client, gridworker: Client, handler: Client;
let garbage: number;
let departmentId: number;

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => clock });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  await makeUser(db, 'handler', [{ role: 'department_handler', node: tree.towns[0]! }]);
  admin = await t.login('admin');
  cadre = await t.login('cadre');
  towncmd = await t.login('towncmd');
  gridworker = await t.login('gridworker');
  handler = await t.login('handler');
  garbage = (
    await db
      .selectFrom('event_categories')
      .select('id')
      .where('code', '=', 'environment.garbage')
      .executeTakeFirstOrThrow()
  ).id;
  departmentId = (
    await towncmd.post<{ id: number }>('/api/departments', {
      nodeId: tree.towns[0]!.id,
      kind: 'urban',
      name: '镇1综合执法队',
    })
  ).body.id;
  const handlerId = (
    await db.selectFrom('users').select('id').where('username', '=', 'handler').executeTakeFirstOrThrow()
  ).id;
  await towncmd.post(`/api/departments/${departmentId}/members`, { userId: handlerId });
});
afterAll(async () => t.close());

async function report(c: Client, gridIndex: number, title: string) {
  const res = await c.post<{ event: EventDetail }>('/api/events', {
    categoryId: garbage,
    title,
    description: title,
    nodeId: tree.grids[gridIndex]!.id,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.event.id;
}
async function act(c: Client, id: number, action: string, extra: Record<string, unknown> = {}) {
  const res = await c.post<EventDetail>(`/api/events/${id}/actions`, { action, ...extra });
  expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}
async function kpis(c: Client, node: number) {
  const res = await c.get<KpiResponse>(`/api/events/kpis?node=${node}&from=2026-10-01&to=2026-10-31`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe(`KPIs from the daily rollup (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('come out as worked by hand for a grid, a town and the district', async () => {
    // T0. Grid A (grids[0]): E1–E4 filed, R rejected. Grid B (grids[2], same town): F1, F2. Town B (grids[4]): G1.
    const [e1, e2, e3, e4, r] = [
      await report(gridworker, 0, 'E1'),
      await report(gridworker, 0, 'E2'),
      await report(gridworker, 0, 'E3'),
      await report(gridworker, 0, 'E4'),
      await report(gridworker, 0, 'R'),
    ];
    const [f1, f2] = [await report(towncmd, 2, 'F1'), await report(towncmd, 2, 'F2')];
    const g1 = await report(admin, 4, 'G1');
    await act(cadre, r, 'reject', { reason: '不属实' });
    for (const id of [e1, e2, e3, e4]) {
      await act(cadre, id, 'accept');
      await act(cadre, id, 'dispatch', { departmentId });
      // Signed at once: on time. Handling limit 16 working hours from Mon 09:00 → Wed 09:00.
      const signed = await act(handler, id, 'sign');
      expect(signed.handleDueAt).toBe('2026-10-14T01:00:00.000Z');
    }
    for (const id of [f1, f2]) {
      await act(towncmd, id, 'accept');
      // Sign-for limit 4 working hours from Mon 09:00 → 14:30.
      expect((await act(towncmd, id, 'dispatch', { departmentId })).signDueAt).toBe(
        '2026-10-12T06:30:00.000Z',
      );
    }
    await act(handler, e1, 'feed_back', { note: '清完' });
    await act(gridworker, e1, 'verify_pass');
    await act(handler, e2, 'feed_back', { note: '清了' });
    await act(gridworker, e2, 'verify_fail', { reason: '没清完' });
    await act(handler, e2, 'feed_back', { note: '清完' });
    await act(gridworker, e2, 'verify_pass');
    await act(admin, g1, 'escalate', { reason: '村里处理不了' });

    // T1: Monday 16:00, past F1 and F2's sign-for limit: signed late; handled and closed at once (on time).
    clock = '2026-10-12T08:00:00.000Z';
    for (const id of [f1, f2]) {
      await act(handler, id, 'sign');
      await act(handler, id, 'feed_back', { note: '清完' });
      await act(admin, id, 'verify_pass');
    }

    // T2: Thursday 10:00, past Wednesday 09:00: E3 handled late (25 working hours after signing:
    // Mon 7.5 + Tue 8 + Wed 8 + Thu 1.5). E4 never handled: overdue now. E1 rated satisfied, E2 not.
    clock = '2026-10-15T02:00:00.000Z';
    await act(handler, e3, 'feed_back', { note: '清完' });
    await act(gridworker, e3, 'verify_pass');
    await act(gridworker, e1, 'evaluate_satisfied');
    await act(gridworker, e2, 'evaluate_dissatisfied', { reason: '又有了' });

    // Grid A: received 5, filed 4, rejected 1 → 80.00; due 4, closed 3 (E1 E2 E3), on time 2 (E1 E2)
    // → 75.00 / 50.00; sign-for due 4, on time 4 → 100.00; verified 4 (E1, E2 fail and pass, E3),
    // reworked 1 → 25.00; 4 feedbacks, 0+0+0+25 hours → 6.25; rated 2, satisfied 1 → 50.00; E4 overdue.
    const grid = await kpis(cadre, tree.grids[0]!.id);
    expect(grid.figures).toEqual({
      received: 5,
      accepted: 4,
      rejected: 1,
      filingRate: 80,
      due: 4,
      closed: 3,
      closedOnTime: 2,
      closingRate: 75,
      onTimeClosingRate: 50,
      signDue: 4,
      signedOnTime: 4,
      onTimeSigningRate: 100,
      verified: 4,
      reworked: 1,
      reworkRate: 25,
      meanHandlingHours: 6.25,
      evaluated: 2,
      satisfied: 1,
      satisfactionRate: 50,
      escalations: { village: 0, town: 0, district: 0 },
      overdueNow: 1,
    });

    // Town A adds grid B: received 7, filed 6 → 6/7 = 85.71; due 6, closed 5, on time 4 → 83.33 / 66.67;
    // sign-for 6, on time 4 → 66.67; verified 6, reworked 1 → 16.67; 6 feedbacks, 25 hours → 4.17.
    const town = await kpis(towncmd, tree.towns[0]!.id);
    expect(town.figures).toMatchObject({
      received: 7,
      filingRate: 85.71,
      due: 6,
      closed: 5,
      closedOnTime: 4,
      closingRate: 83.33,
      onTimeClosingRate: 66.67,
      onTimeSigningRate: 66.67,
      reworkRate: 16.67,
      meanHandlingHours: 4.17,
      satisfactionRate: 50,
      escalations: { village: 0, town: 0, district: 0 },
      overdueNow: 1,
    });
    // Its villages, for drill-down: village A1 holds grid A, village A2 holds grid B.
    expect(town.children.map((c) => [c.node.id, c.figures.due, c.figures.closedOnTime])).toEqual([
      [tree.villages[0]!.id, 4, 2],
      [tree.villages[1]!.id, 2, 2],
    ]);

    // The district adds G1 in town B: received 8, one escalation to the village; the rest as town A.
    const district = await kpis(admin, tree.district.id);
    expect(district.figures).toMatchObject({
      received: 8,
      filingRate: 85.71,
      due: 6,
      closingRate: 83.33,
      onTimeClosingRate: 66.67,
      escalations: { village: 1, town: 0, district: 0 },
    });
    expect(
      district.children.map((c) => [c.node.name, c.figures.received, c.figures.escalations.village]),
    ).toEqual([
      [tree.towns[0]!.name, 7, 0],
      [tree.towns[1]!.name, 1, 1],
    ]);
    expect(district.days.find((d) => d.day === '2026-10-12')).toMatchObject({ received: 8 });
    // Nothing counted outside the period.
    const september = await admin.get<KpiResponse>(
      `/api/events/kpis?node=${tree.district.id}&from=2026-09-01&to=2026-09-30`,
    );
    expect(september.body.figures).toMatchObject({ received: 0, due: 0, closingRate: null });
  });

  it('keeps each caller inside their jurisdiction and checks the period', async () => {
    expect(
      (await gridworker.get(`/api/events/kpis?node=${tree.towns[0]!.id}&from=2026-10-01&to=2026-10-31`))
        .status,
    ).toBe(403);
    const own = await gridworker.get<KpiResponse>('/api/events/kpis?from=2026-10-01&to=2026-10-31');
    expect(own.status).toBe(200);
    expect(own.body.node.id).toBe(tree.grids[0]!.id);
    const bad = await admin.get<{ issues: { path: string }[] }>(
      '/api/events/kpis?from=2026-10-31&to=2026-10-01',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.path)).toEqual(['querystring.to']);
    expect((await handler.get('/api/events/kpis?from=2026-10-01&to=2026-10-31')).status).toBe(403);
  });
});
