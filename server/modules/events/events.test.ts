import { CompiledQuery, sql } from 'kysely';
// Joint handling end to end through the API, on both databases: intake, the closed loop, scopes,
// the ladder's sweep on the work calendar, and the resident's tracking page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, EventSummary, TrackingView } from '../../../common/contracts/events.js';
import type { DB } from '../../db/index.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';

// Friday 2026-09-25 16:00 in Shanghai.
let clock = '2026-09-25T08:00:00.000Z';
let t: TestApp;
let db: DB;
let tree: Tree;
let admin: Client,
  cadre: Client,
  towncmd: Client,
  gridworker: Client,
  otherGridworker: Client,
  handler: Client,
  otherHandler: Client;
let departmentId: number;
const cats = new Map<string, number>();

/** The square of grid i: 0.01° wide, side by side, so a point finds exactly one grid. */
const square = (i: number) => [
  [119.7 + i * 0.01, 30.2],
  [119.71 + i * 0.01, 30.2],
  [119.71 + i * 0.01, 30.21],
  [119.7 + i * 0.01, 30.21],
  [119.7 + i * 0.01, 30.2],
];
const inGrid = (i: number, dx = 0) => ({ lng: 119.705 + i * 0.01 + dx, lat: 30.205 });

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => clock });
  db = t.database.db;
  tree = await makeTree(db);
  for (const [i, g] of tree.grids.entries())
    await db
      .updateTable('nodes')
      .set({ polygon: JSON.stringify({ type: 'Polygon', coordinates: [square(i)] }) })
      .where('id', '=', g.id)
      .execute();
  await makeCast(db, tree);
  await makeUser(db, 'gridworker2', [{ role: 'grid_worker', node: tree.grids[1]! }]);
  await makeUser(db, 'handler', [{ role: 'department_handler', node: tree.towns[0]! }]);
  await makeUser(db, 'handler2', [{ role: 'department_handler', node: tree.towns[0]! }]);
  admin = await t.login('admin');
  cadre = await t.login('cadre');
  towncmd = await t.login('towncmd');
  gridworker = await t.login('gridworker');
  otherGridworker = await t.login('gridworker2');
  handler = await t.login('handler');
  otherHandler = await t.login('handler2');
  for (const c of await db.selectFrom('event_categories').select(['id', 'code']).execute())
    cats.set(c.code, c.id);
  // The town's urban-management team, with one handler; a second team holds the other handler.
  const dept = await towncmd.post<{ id: number }>('/api/departments', {
    nodeId: tree.towns[0]!.id,
    kind: 'urban',
    name: '镇1综合执法队',
  });
  expect(dept.status, JSON.stringify(dept.body)).toBe(201);
  departmentId = dept.body.id;
  const handlerId = (
    await db.selectFrom('users').select('id').where('username', '=', 'handler').executeTakeFirstOrThrow()
  ).id;
  expect((await towncmd.post(`/api/departments/${departmentId}/members`, { userId: handlerId })).status).toBe(
    201,
  );
  const other = await towncmd.post<{ id: number }>('/api/departments', {
    nodeId: tree.towns[0]!.id,
    kind: 'police',
    name: '镇1派出所',
  });
  const handler2Id = (
    await db.selectFrom('users').select('id').where('username', '=', 'handler2').executeTakeFirstOrThrow()
  ).id;
  await towncmd.post(`/api/departments/${other.body.id}/members`, { userId: handler2Id });
});
afterAll(async () => t.close());

async function report(c: Client, body: Record<string, unknown>) {
  const res = await c.post<{ event: EventDetail; possibleDuplicates: { id: number; distanceM: number }[] }>(
    '/api/events',
    body,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
async function act(c: Client, id: number, body: Record<string, unknown>, status = 200) {
  const res = await c.post<EventDetail & { allowed?: string[]; issues?: { path: string }[] }>(
    `/api/events/${id}/actions`,
    body,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

describe(`intake (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('places a patrol report by its map point, owned at the category level, and offers duplicates within 50 m', async () => {
    const first = await report(gridworker, {
      categoryId: cats.get('environment.garbage'),
      title: '河边垃圾',
      description: '河边堆了很多垃圾',
      ...inGrid(0),
    });
    expect(first.event.node.id).toBe(tree.grids[0]!.id);
    expect(first.event.ownerLevel).toBe('grid');
    expect(first.event.state).toBe('reported');
    expect(first.event.trackingCode).toMatch(/^LA[A-Z0-9]{10}$/);
    expect(first.possibleDuplicates).toEqual([]);
    // 0.0003° of longitude at 30.2°N is about 29 m: the same pile, seen again.
    const again = await report(gridworker, {
      categoryId: cats.get('environment.garbage'),
      title: '又见垃圾',
      description: '同一处',
      ...inGrid(0, 0.0003),
    });
    expect(again.possibleDuplicates.map((d) => d.id)).toEqual([first.event.id]);
    expect(again.possibleDuplicates[0]!.distanceM).toBeGreaterThan(20);
    expect(again.possibleDuplicates[0]!.distanceM).toBeLessThan(40);
    // About 96 m away, or another category: not offered.
    expect(
      (
        await report(gridworker, {
          categoryId: cats.get('environment.garbage'),
          title: '远处',
          description: '另一处',
          ...inGrid(0, 0.001),
        })
      ).possibleDuplicates,
    ).toEqual([]);
    expect(
      (
        await report(gridworker, {
          categoryId: cats.get('environment.burning'),
          title: '焚烧',
          description: '有人烧秸秆',
          ...inGrid(0, 0.0003),
        })
      ).possibleDuplicates,
    ).toEqual([]);
    // Staff close the second as a duplicate of the first.
    const closed = await act(cadre, again.event.id, {
      action: 'close',
      closeReason: 'duplicate',
      duplicateOfId: first.event.id,
      reason: '重复上报',
    });
    expect(closed).toMatchObject({
      state: 'closed',
      closeReason: 'duplicate',
      duplicateOfId: first.event.id,
    });
  });

  it('a village-level category is owned by the village even when reported in a grid', async () => {
    const r = await report(gridworker, {
      categoryId: cats.get('dispute.neighbour'),
      title: '邻里纠纷',
      description: '两户因漏水争吵',
      ...inGrid(0),
    });
    expect(r.event.ownerLevel).toBe('village');
  });

  it('refuses bad input with every issue listed and writes nothing', async () => {
    const before = Number(
      (
        await db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const res = await gridworker.post<{ issues: { path: string }[] }>('/api/events', {
      categoryId: cats.get('environment'),
      title: '',
      description: 'x',
      lat: 30.2,
    });
    expect(res.status).toBe(400);
    const paths = res.body.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.title', 'body.lng']));
    // A top-level category, a point outside every grid, an unknown extra field: each a 400.
    const top = await gridworker.post<{ issues: { path: string }[] }>('/api/events', {
      categoryId: cats.get('environment'),
      title: 'a',
      description: 'b',
      ...inGrid(0),
    });
    expect(top.status).toBe(400);
    expect(top.body.issues[0]!.path).toBe('body.categoryId');
    expect(
      (
        await gridworker.post('/api/events', {
          categoryId: cats.get('environment.garbage'),
          title: 'a',
          description: 'b',
          lat: 10,
          lng: 10,
        })
      ).status,
    ).toBe(400);
    const fields = await gridworker.post<{ issues: { path: string }[] }>('/api/events', {
      categoryId: cats.get('safety.fire_hazard'),
      title: 'a',
      description: 'b',
      ...inGrid(0),
      attributes: { nope: 1 },
    });
    expect(fields.status).toBe(400);
    expect(fields.body.issues.map((i) => i.path).sort()).toEqual([
      'body.attributes.building_type',
      'body.attributes.nope',
    ]);
    expect(
      Number(
        (
          await db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(before);
  });

  it('a grid worker reports only in their own grid', async () => {
    expect(
      (
        await gridworker.post('/api/events', {
          categoryId: cats.get('environment.garbage'),
          title: 'a',
          description: 'b',
          ...inGrid(1),
        })
      ).status,
    ).toBe(403);
  });
});

describe('the closed loop', () => {
  let code: string;
  let id: number;

  it('resident reports → cadre files and dispatches → handler signs and feeds back → grid worker verifies → resident rates', async () => {
    const pub = await t.anon().post<{ trackingCode: string }>('/api/public/events', {
      categoryId: cats.get('environment.garbage'),
      description: '小区门口垃圾没人清',
      ...inGrid(0, -0.002),
      name: '王先生',
      phone: '13812345678',
    });
    expect(pub.status, JSON.stringify(pub.body)).toBe(201);
    code = pub.body.trackingCode;
    id = (
      await db.selectFrom('events').select('id').where('tracking_code', '=', code).executeTakeFirstOrThrow()
    ).id;

    let e = (await cadre.get<EventDetail>(`/api/events/${id}`)).body;
    expect(e).toMatchObject({
      state: 'reported',
      channel: 'public',
      reporter: { name: '王先生', phone: '138****5678' },
    });
    expect(e.actions).toEqual(expect.arrayContaining(['accept', 'reject', 'close', 'escalate']));
    expect((await act(cadre, id, { action: 'accept' })).state).toBe('accepted');
    // A department that does not serve this place is refused.
    const far = await towncmd.post<{ id: number }>('/api/departments', {
      nodeId: tree.towns[1]!.id,
      kind: 'urban',
      name: '镇2综合执法队',
    });
    expect(far.status).toBe(403);
    e = await act(cadre, id, { action: 'dispatch', departmentId });
    expect(e.state).toBe('dispatched');
    // Friday 16:00 + 4 working hours: 2 h on Friday, then Monday 08:30 + 2 h = 10:30 Shanghai.
    expect(e.signDueAt).toBe('2026-09-28T02:30:00.000Z');
    expect(e.departments).toEqual([{ id: departmentId, name: '镇1综合执法队', role: 'lead' }]);

    // The handler sees it now, in the list and in the tasks; the other department's handler does not.
    expect(
      (await handler.get<{ items: EventSummary[] }>('/api/events/tasks')).body.items.map((x) => x.id),
    ).toContain(id);
    expect((await otherHandler.get(`/api/events/${id}`)).status).toBe(403);
    expect((await otherHandler.get<{ total: number }>('/api/events')).body.total).toBe(0);
    await act(otherHandler, id, { action: 'sign' }, 403);

    clock = '2026-09-28T01:00:00.000Z';
    e = await act(handler, id, { action: 'sign' });
    expect(e.state).toBe('in_progress');
    e = await act(handler, id, { action: 'feed_back', note: '已清理完毕' });
    expect(e.state).toBe('handled');
    await act(handler, id, { action: 'verify_pass' }, 403);
    e = await act(gridworker, id, { action: 'verify_pass' });
    expect(e).toMatchObject({ state: 'closed', closeReason: 'resolved' });
    expect(e.history.map((h) => h.action)).toEqual([
      'report',
      'accept',
      'dispatch',
      'sign',
      'feed_back',
      'verify_pass',
    ]);
    expect(
      (await db.selectFrom('events').select('closed_on_time').where('id', '=', id).executeTakeFirstOrThrow())
        .closed_on_time,
    ).toBe(1);

    const track = await t.anon().get<TrackingView>(`/api/public/events/${code}`);
    expect(track.status).toBe(200);
    expect(track.body).toMatchObject({ state: 'closed', abilities: { evaluate: true } });
    expect(track.body.updates.map((u) => u.state)).toEqual([
      'reported',
      'accepted',
      'dispatched',
      'in_progress',
      'handled',
      'closed',
    ]);
    expect(track.body.updates.find((u) => u.state === 'handled')!.note).toBe('已清理完毕');
    // No personal data on the public page: not the name, not the phone, not who handled it.
    const raw = JSON.stringify(track.body);
    for (const secret of ['王先生', '5678', 'handler', 'gridworker', 'cadre', '综合执法'])
      expect(raw).not.toContain(secret);

    const rated = await t
      .anon()
      .post<TrackingView>(`/api/public/events/${code}/evaluation`, { satisfied: true });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ state: 'evaluated', abilities: { evaluate: false } });
    expect((await t.anon().post(`/api/public/events/${code}/evaluation`, { satisfied: false })).status).toBe(
      409,
    );
  });

  it('an invalid action is 409 with the allowed ones; a missing reason is 400; the wrong role is 403', async () => {
    const { event } = await report(gridworker, {
      categoryId: cats.get('environment.garbage'),
      title: '垃圾',
      description: '又有垃圾',
      ...inGrid(0, 0.003),
    });
    const bad = await act(cadre, event.id, { action: 'sign' }, 409);
    expect([...bad.allowed!].sort()).toEqual(['accept', 'close', 'escalate', 'reject']);
    const noReason = await act(cadre, event.id, { action: 'reject' }, 400);
    expect(noReason.issues!.map((i) => i.path)).toEqual(['body.reason']);
    await act(gridworker, event.id, { action: 'accept' }, 403);
    const dispatchWithout = await act(cadre, event.id, { action: 'dispatch' }, 400);
    expect(dispatchWithout.issues!.map((i) => i.path)).toEqual(['body.departmentId']);
    // Nothing of these refusals changed the event.
    expect((await cadre.get<EventDetail>(`/api/events/${event.id}`)).body.history).toHaveLength(1);
  });

  it('return, extension, rework and reopening each leave their mark', async () => {
    const { event } = await report(gridworker, {
      categoryId: cats.get('environment.garbage'),
      title: '垃圾',
      description: '第三处',
      ...inGrid(0, -0.003),
    });
    const id2 = event.id;
    await act(cadre, id2, { action: 'accept' });
    await act(cadre, id2, { action: 'dispatch', departmentId });
    expect((await act(handler, id2, { action: 'return', reason: '不属于本队职责' })).state).toBe('returned');
    await act(cadre, id2, { action: 'dispatch', departmentId });
    await act(handler, id2, { action: 'sign' });
    const before = (await handler.get<EventDetail>(`/api/events/${id2}`)).body.handleDueAt!;
    await act(handler, id2, { action: 'request_extension', hours: 8, reason: '需要调车' });
    const approved = await act(cadre, id2, { action: 'approve_extension' });
    expect(Date.parse(approved.handleDueAt!)).toBeGreaterThan(Date.parse(before));
    await act(handler, id2, { action: 'feed_back', note: '清了一半' });
    const rework = await act(gridworker, id2, { action: 'verify_fail', reason: '还有一半' });
    expect(rework).toMatchObject({ state: 'in_progress', reworkCount: 1 });
    await act(handler, id2, { action: 'feed_back', note: '全部清完' });
    await act(gridworker, id2, { action: 'verify_pass' });
    // The grid worker reported it, so the grid worker rates it.
    const reopened = await act(gridworker, id2, { action: 'evaluate_dissatisfied', reason: '又堆回来了' });
    expect(reopened).toMatchObject({ state: 'reopened', reopenCount: 1, closeReason: null });
  });
});

describe('scopes', () => {
  it('a grid worker sees only their grid; a handler only what was dispatched to the department', async () => {
    const mine = await report(gridworker, {
      categoryId: cats.get('environment.garbage'),
      title: 'A',
      description: 'a',
      ...inGrid(0, 0.004),
    });
    const theirs = await report(otherGridworker, {
      categoryId: cats.get('environment.garbage'),
      title: 'B',
      description: 'b',
      ...inGrid(1),
    });
    const list = await gridworker.get<{ items: EventSummary[]; total: number }>('/api/events?pageSize=200');
    expect(list.body.items.map((e) => e.id)).toContain(mine.event.id);
    expect(list.body.items.every((e) => e.node.id === tree.grids[0]!.id)).toBe(true);
    expect((await gridworker.get(`/api/events/${theirs.event.id}`)).status).toBe(403);
    expect((await handler.get(`/api/events/${theirs.event.id}`)).status).toBe(403);
    const handlerList = await handler.get<{ items: EventSummary[] }>('/api/events?pageSize=200');
    expect(handlerList.body.items.length).toBeGreaterThan(0);
    expect(handlerList.body.items.every((e) => e.leadDepartment?.id === departmentId)).toBe(true);
  });
});

describe('the ladder', () => {
  it('escalates an unsigned event grid → village → town as time limits pass, skipping a holiday, with history and notifications', async () => {
    clock = '2026-10-16T08:00:00.000Z'; // Friday 16:00 in Shanghai
    // Monday 2026-10-19 is a holiday in this district.
    expect(
      (await admin.put('/api/work-calendar/2026-10-19', { kind: 'holiday', name: '测试假日' })).status,
    ).toBe(200);
    const { event } = await report(gridworker, {
      categoryId: cats.get('environment.garbage'),
      title: '无人签收',
      description: '派出去没人管',
      ...inGrid(0, 0.0045),
    });
    await act(cadre, event.id, { action: 'accept' });
    const d = await act(cadre, event.id, { action: 'dispatch', departmentId });
    // Friday 16:00 + 4 h: 2 h Friday, Monday is a holiday, so Tuesday 08:30 + 2 h = 10:30 Shanghai.
    expect(d.signDueAt).toBe('2026-10-20T02:30:00.000Z');

    clock = '2026-10-20T02:00:00.000Z';
    expect((await admin.post<{ escalated: number }>('/api/events/sweep')).body.escalated).toBe(0);
    clock = '2026-10-20T03:00:00.000Z'; // 11:00, past the limit
    expect((await admin.post<{ escalated: number }>('/api/events/sweep')).body.escalated).toBe(1);
    let e = (await cadre.get<EventDetail>(`/api/events/${event.id}`)).body;
    expect(e).toMatchObject({ ownerLevel: 'village', state: 'dispatched', escalationCount: 1 });
    // The clock restarted: 11:00 + 4 h = 1 h before lunch + 3 h after = 16:30 Shanghai.
    expect(e.dueAt).toBe('2026-10-20T08:30:00.000Z');
    const last = e.history.at(-1)!;
    expect(last).toMatchObject({
      action: 'escalate',
      actor: '系统',
      reason: '超过签收时限',
      ownerLevel: 'village',
    });
    // Stored as a code, read in the language asked.
    const inEnglish = await cadre.request<EventDetail>({
      method: 'GET',
      url: `/api/events/${event.id}`,
      headers: { 'accept-language': 'en' },
    });
    expect(inEnglish.body.history.at(-1)).toMatchObject({
      actor: 'system',
      reason: 'Sign-for time limit passed',
    });
    // The old owner (the grid's worker) and the new one (the village cadre) were told.
    for (const c of [gridworker, cadre]) {
      const n = await c.get<{ items: { kind: string; entityId: number }[] }>('/api/notifications');
      expect(n.body.items.some((x) => x.kind === 'event.escalate' && x.entityId === event.id)).toBe(true);
    }
    // Run again at once: nothing more (idempotent).
    expect((await admin.post<{ escalated: number }>('/api/events/sweep')).body.escalated).toBe(0);

    clock = '2026-10-20T09:00:00.000Z';
    expect((await admin.post<{ escalated: number }>('/api/events/sweep')).body.escalated).toBe(1);
    e = (await towncmd.get<EventDetail>(`/api/events/${event.id}`)).body;
    expect(e.ownerLevel).toBe('town');
    // The village cadre no longer triages it; the town commander does.
    expect((await cadre.get<EventDetail>(`/api/events/${event.id}`)).body.actions).not.toContain('escalate');
    expect(e.actions).toContain('escalate');
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'event')
      .where('entity_id', '=', String(event.id))
      .where('action', '=', 'event.escalate')
      .execute();
    expect(audit).toHaveLength(2);
  });
});

describe(`the intake answer (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('is built without reading back, and equals what a read of the new event returns', async () => {
    for (const c of [gridworker, cadre]) {
      const made = await report(c, {
        categoryId: cats.get('environment.garbage'),
        title: '对照',
        description: '答复与读取一致',
        ...inGrid(0, 0.002),
        attributes: {},
        reporterName: '赵先生',
        reporterPhone: '13700001111',
      });
      const read = await c.get<EventDetail>(`/api/events/${made.event.id}`);
      expect(read.status).toBe(200);
      expect(made.event).toEqual(read.body);
    }
  });

  it('a clash of tracking codes is recognised on this database, so the report is tried again', async () => {
    const { isUniqueViolation } = await import('../../db/index.js');
    const e = await db.selectFrom('events').selectAll().limit(1).executeTakeFirstOrThrow();
    const { id: _id, ...copy } = e;
    const err = await db
      .insertInto('events')
      .values(copy)
      .execute()
      .then(
        () => null,
        (x: unknown) => x,
      );
    expect(err).not.toBeNull();
    expect(isUniqueViolation(err, 'tracking_code')).toBe(true);
    expect(isUniqueViolation(err, 'username')).toBe(false);
    expect(isUniqueViolation(new Error('tracking_code'))).toBe(false);
  });
});

describe(`a burst of reports (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('shares commits; a bad report among them is refused alone; the audit chain holds', async () => {
    const { verifyAuditChain } = await import('../../platform/audit.js');
    const before = t.app.linliEvents.intakeStats();
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const events = await count();
    const bodies = Array.from({ length: 30 }, (_, i) => ({
      categoryId: cats.get('environment.garbage'),
      title: `突发${i}`,
      description: '暴雨后多处积水',
      ...inGrid(0, -0.004 + i * 0.0002),
    }));
    // One of them names a photo that is nobody's upload: refused, and only it.
    (bodies[17] as Record<string, unknown>).photos = ['A'.repeat(43)];
    const answers = await Promise.all(
      bodies.map((b) =>
        gridworker.post<{ event?: EventDetail; issues?: { path: string }[] }>('/api/events', b),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(bodies.map((_b, i) => (i === 17 ? 400 : 201)));
    expect(answers[17]!.body.issues!.map((x) => x.path)).toEqual(['body.photos.0']);
    expect(await count()).toBe(events + 29);
    // Every answered report is there, under the code it was answered with.
    const codes = answers.filter((a) => a.status === 201).map((a) => a.body.event!.trackingCode);
    expect(
      (await db.selectFrom('events').select('id').where('tracking_code', 'in', codes).execute()).length,
    ).toBe(29);
    const after = t.app.linliEvents.intakeStats();
    expect(after.writes - before.writes).toBe(29);
    expect(after.transactions - before.transactions).toBeLessThan(29);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});

describe(`a burst written in one piece (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('leaves exactly what the reports one by one would: events, history, rollup, counters, live updates, audit chain; answers equal reads', async () => {
    const { verifyAuditChain } = await import('../../platform/audit.js');
    const grid = tree.grids[0]!;
    const day = clock.slice(0, 10); // 08:00Z is 16:00 in Asia/Shanghai: the same calendar day
    const figures = async () => {
      const kpi = await db
        .selectFrom('event_kpi_daily')
        .select(['node_path', 'received'])
        .where('day', '=', day)
        .where('node_path', 'in', [grid.path, tree.district.path])
        .execute();
      const open = await db
        .selectFrom('live_counters')
        .select(['node_path', 'value'])
        .where('command_id', '=', 0)
        .where('metric', '=', 'events.open')
        .where('node_path', 'in', [grid.path, tree.district.path])
        .execute();
      const of = (rows: { node_path: string }[], k: 'received' | 'value', p: string) =>
        Number((rows.find((r) => r.node_path === p) as Record<string, unknown> | undefined)?.[k] ?? 0);
      const count = async (table: 'events' | 'event_history' | 'live_events' | 'audit_log') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        gridReceived: of(kpi, 'received', grid.path),
        districtReceived: of(kpi, 'received', tree.district.path),
        gridOpen: of(open, 'value', grid.path),
        districtOpen: of(open, 'value', tree.district.path),
        events: await count('events'),
        history: await count('event_history'),
        live: await count('live_events'),
        audit: await count('audit_log'),
      };
    };
    const before = await figures();
    const stats = t.app.linliEvents.intakeStats();
    const bodies = Array.from({ length: 24 }, (_, i) => ({
      categoryId: cats.get('environment.garbage'),
      title: `整批${i}`,
      description: '台风过境，多处垃圾',
      ...inGrid(0, -0.0045 + i * 0.0001),
      ...(i % 3 === 0 ? { reporterName: '钱女士', reporterPhone: '13900002222' } : {}),
    }));
    const answers = await Promise.all(
      bodies.map((b) => gridworker.post<{ event: EventDetail }>('/api/events', b)),
    );
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 201));
    const after = t.app.linliEvents.intakeStats();
    // The first report runs alone; the others queued behind it go in one piece.
    expect(after.wholeBatches - stats.wholeBatches).toBeGreaterThanOrEqual(1);
    expect(after.splitBatches - stats.splitBatches).toBe(0);
    expect(after.writes - stats.writes).toBe(24);
    expect(await figures()).toEqual({
      gridReceived: before.gridReceived + 24,
      districtReceived: before.districtReceived + 24,
      gridOpen: before.gridOpen + 24,
      districtOpen: before.districtOpen + 24,
      events: before.events + 24,
      history: before.history + 24,
      live: before.live + 24,
      audit: before.audit + 24,
    });
    // Each answer is its own event (ids matched to tracking codes) and equals a read of it.
    for (const [i, a] of answers.entries()) {
      expect(a.body.event.title).toBe(`整批${i}`);
      const read = await gridworker.get<EventDetail>(`/api/events/${a.body.event.id}`);
      expect(a.body.event).toEqual(read.body);
    }
    // One audit row per report, on its own event, chained in order.
    const audit = await db
      .selectFrom('audit_log')
      .select(['entity_id', 'request_id'])
      .where('action', '=', 'event.report')
      .orderBy('id', 'desc')
      .limit(24)
      .execute();
    expect(new Set(audit.map((r) => r.entity_id))).toEqual(
      new Set(answers.map((a) => String(a.body.event.id))),
    );
    expect(new Set(audit.map((r) => r.request_id)).size).toBe(24);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});

// The indexes of a table as each database states them, and a query's plan (PostgreSQL's with sequential
// scans priced out, so that an index appears whenever the query's terms allow it).
const indexesOf = async (table: string) =>
  t.database.dialect === 'sqlite'
    ? (
        await sql<{
          name: string;
          sql: string | null;
        }>`select name, sql from sqlite_master where type = 'index' and tbl_name = ${table}`.execute(db)
      ).rows.map((r) => ({ name: r.name, definition: r.sql ?? '' }))
    : (
        await sql<{
          name: string;
          definition: string;
        }>`select indexname as name, indexdef as definition from pg_indexes where tablename = ${table} and schemaname = current_schema()`.execute(
          db,
        )
      ).rows;
const planOf = async (q: CompiledQuery) => {
  if (t.database.dialect === 'sqlite')
    return (
      await db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]),
      )
    ).rows
      .map((r) => r.detail)
      .join(' ');
  return db.connection().execute(async (c) => {
    await sql`set enable_seqscan = off`.execute(c);
    const plan = await sql
      .raw<{ 'QUERY PLAN': string }>(
        `explain ${q.sql.replace(/\$(\d+)/g, (_m, i: string) => `'${String(q.parameters[Number(i) - 1])}'`)}`,
      )
      .execute(c);
    await sql`reset enable_seqscan`.execute(c);
    return plan.rows.map((r) => r['QUERY PLAN']).join(' ');
  });
};

describe(`the duplicate check's index (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('holds exactly the open states, and the check itself reads through it', async () => {
    const { openEventsNearQuery } = await import('./events.repository.js');
    const { OPEN_STATES } = await import('./events.workflow.js');
    // The index's predicate lists the states the workflow calls open, in its order.
    const definition = (await indexesOf('events')).find((i) => i.name === 'events_open_near')?.definition;
    expect(definition).toBeDefined();
    const listed = [...definition!.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect(listed).toEqual([...OPEN_STATES]);
    // The very query each report runs is planned through it.
    const q = openEventsNearQuery.compiled(db, 1, '2026-09-18T00:00:00.000Z', 30.2, 30.21, 119.7, 119.71);
    // With sequential scans priced out, PostgreSQL can use the index only if the query's term implies its predicate.
    expect(await planOf(q)).toContain(
      t.database.dialect === 'sqlite' ? 'USING INDEX events_open_near' : 'events_open_near',
    );
  });
});

describe(`the indexes every report writes (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('keeps no history index by place and time, and holds only running clocks and marked duplicates', async () => {
    expect((await indexesOf('event_history')).map((i) => i.name)).not.toContain('event_history_path_time');
    const events = await indexesOf('events');
    expect(events.find((i) => i.name === 'events_due')?.definition.toLowerCase()).toMatch(
      /where \(?due_at is not null\)?/,
    );
    expect(events.find((i) => i.name === 'events_duplicate_of')?.definition.toLowerCase()).toMatch(
      /where \(?duplicate_of_id is not null\)?/,
    );
  });

  it('the sweep still reads past-due events through the deadline index, and deleting an event finds its duplicates through theirs', async () => {
    const { pastDue } = await import('./events.repository.js');
    expect(await planOf(pastDue.compiled(db, '2026-11-29T00:00:00.000Z', 100))).toContain('events_due');
    // The foreign key's check when an event is deleted looks for `duplicate_of_id = ?`: a marked
    // duplicate is found through the partial index, not by reading every event.
    const original = await report(gridworker, {
      categoryId: cats.get('environment.garbage'),
      title: '原件',
      description: '重复标记的原件',
      ...inGrid(0, 0.002),
    });
    const copy = await report(gridworker, {
      categoryId: cats.get('environment.garbage'),
      title: '重复件',
      description: '标记为重复',
      ...inGrid(0, 0.002),
    });
    await db
      .updateTable('events')
      .set({ duplicate_of_id: original.event.id })
      .where('id', '=', copy.event.id)
      .execute();
    const marked = db.selectFrom('events').select('id').where('duplicate_of_id', '=', original.event.id);
    expect(await planOf(marked.compile())).toContain('events_duplicate_of');
    expect(await marked.execute()).toEqual([{ id: copy.event.id }]);
  });
});

describe(`cold caches (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('a step and the sweep load the categories through their own transaction (no wait on the held connection)', async () => {
    const made = await report(gridworker, {
      categoryId: cats.get('environment.garbage'),
      title: '冷缓存',
      description: '重启后第一步',
      ...inGrid(0, 0.001),
    });
    t.app.linliEvents.invalidateCaches();
    const step = await Promise.race([
      act(cadre, made.event.id, { action: 'accept' }),
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5_000)),
    ]);
    expect(step).not.toBe('hung');
    expect((step as EventDetail).state).toBe('accepted');
    t.app.linliEvents.invalidateCaches();
    const admin = await t.login('admin');
    const swept = await Promise.race([
      admin.post('/api/events/sweep'),
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5_000)),
    ]);
    expect(swept).not.toBe('hung');
    expect((swept as { status: number }).status).toBe(200);
  });
});
