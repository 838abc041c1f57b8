// The event list whole: the XLSX export and the map's points, on both databases. Each holds exactly
// what the caller may list (their grid, their department's events), the export no personal data.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPoints } from '../../../common/contracts/event-views.js';
import type { EventDetail, EventSummary } from '../../../common/contracts/events.js';
import type { DB } from '../../db/index.js';
import { loadActor } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { buildTestApp, type Client, type TestApp, type TestResponse } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';
import { cellText } from '../../test/routes.js';
import { createEventsExportService, EVENT_EXPORT_COLUMNS } from './events.export.js';
import { createEventsMapService } from './events.map.js';
import { OPEN_STATES } from './events.workflow.js';

// Friday 2026-09-25 16:00 in Shanghai.
let clock = '2026-09-25T08:00:00.000Z';
let t: TestApp;
let db: DB;
let tree: Tree;
let admin: Client,
  gridworker: Client,
  otherGridworker: Client,
  handler: Client,
  otherHandler: Client,
  volunteer: Client;
let departmentId: number;
const cats = new Map<string, number>();
/** The events made below, by what the tests say of them. */
const ev = {} as Record<
  'hotline' | 'closed' | 'otherGrid' | 'dispatched' | 'dispatchedElsewhere' | 'atVillage',
  EventDetail
>;

/** The square of grid i: 0.01° wide, side by side, so a point finds exactly one grid. */
const square = (i: number) => [
  [119.7 + i * 0.01, 30.2],
  [119.71 + i * 0.01, 30.2],
  [119.71 + i * 0.01, 30.21],
  [119.7 + i * 0.01, 30.21],
  [119.7 + i * 0.01, 30.2],
];
const inGrid = (i: number, dx = 0) => ({ lng: 119.705 + i * 0.01 + dx, lat: 30.205 });

async function report(c: Client, body: Record<string, unknown>) {
  const res = await c.post<{ event: EventDetail }>('/api/events', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.event;
}
async function act(c: Client, id: number, body: Record<string, unknown>) {
  const res = await c.post<EventDetail>(`/api/events/${id}/actions`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The headers as officials read them, in each language (written out, not rendered by the code under test). */
const HEADERS_ZH = [
  '受理编号',
  '标题',
  '大类',
  '小类',
  '状态',
  '来源渠道',
  '发生地点',
  '地点全称',
  '地点编码',
  '责任层级',
  '主办部门',
  '上报时间（北京时间）',
  '时限（北京时间）',
  '是否超时',
  '结案时间（北京时间）',
  '结案原因',
];
const HEADERS_EN = [
  'Tracking code',
  'Title',
  'Category',
  'Sub-category',
  'State',
  'Channel',
  'Place',
  'Place (full name)',
  'Place code',
  'Owner level',
  'Lead department',
  'Reported at (UTC+8)',
  'Due at (UTC+8)',
  'Overdue',
  'Closed at (UTC+8)',
  'Close reason',
];

/** The workbook's sheet name. */
async function sheetName(res: TestResponse) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
  return wb.worksheets[0]!.name;
}

/** The workbook's rows as text, the header row first. */
async function sheet(res: TestResponse): Promise<string[][]> {
  expect(res.status, String(res.body).slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((r) => {
    const cells: string[] = [];
    for (let c = 1; c <= EVENT_EXPORT_COLUMNS.length; c++) cells.push(cellText(r.getCell(c).value));
    rows.push(cells);
  });
  return rows;
}
/** A column's index by its code's last part ('tracking_code'). */
type Column = (typeof EVENT_EXPORT_COLUMNS)[number] extends `export.event.${infer N}` ? N : never;
const col = (name: Column) => EVENT_EXPORT_COLUMNS.indexOf(`export.event.${name}`);
const codesOf = (rows: string[][]) =>
  rows
    .slice(1)
    .map((r) => r[col('tracking_code')]!)
    .sort();
/** A row as {column: cell}, by the columns' codes' last parts. */
const rowOf = (rows: string[][], e: EventDetail) => {
  const r = rows.find((x) => x[col('tracking_code')] === e.trackingCode);
  expect(r, e.trackingCode).toBeDefined();
  return Object.fromEntries(EVENT_EXPORT_COLUMNS.map((c, i) => [c.replace('export.event.', ''), r![i]]));
};
/** What the list answers for the same caller and filters: the export must hold exactly these. */
async function listedCodes(c: Client, query = '') {
  const res = await c.get<{ items: EventSummary[]; total: number }>(`/api/events?pageSize=200${query}`);
  expect(res.status).toBe(200);
  expect(res.body.total).toBeLessThanOrEqual(200);
  return res.body.items.map((e) => e.trackingCode).sort();
}
const idsUnder = async (path: string, states?: readonly string[]) => {
  let q = db
    .selectFrom('events')
    .select('id')
    .where('node_path', '>=', path)
    .where('node_path', '<', path.slice(0, -1) + '0');
  if (states) q = q.where('state', 'in', states);
  return (await q.execute()).map((r) => r.id).sort((a, b) => a - b);
};
const idsOfDepartment = async (id: number, states?: readonly string[]) => {
  let q = db
    .selectFrom('event_departments as ed')
    .innerJoin('events as e', 'e.id', 'ed.event_id')
    .select('e.id')
    .where('ed.department_id', '=', id);
  if (states) q = q.where('e.state', 'in', states);
  return (await q.execute()).map((r) => r.id).sort((a, b) => a - b);
};
const exportAudits = () =>
  db.selectFrom('audit_log').selectAll().where('action', '=', 'event.export').orderBy('id').execute();

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
  await makeUser(db, 'volunteer', [{ role: 'volunteer', node: tree.towns[0]! }]);
  admin = await t.login('admin');
  gridworker = await t.login('gridworker');
  otherGridworker = await t.login('gridworker2');
  handler = await t.login('handler');
  otherHandler = await t.login('handler2');
  volunteer = await t.login('volunteer');
  for (const c of await db.selectFrom('event_categories').select(['id', 'code']).execute())
    cats.set(c.code, c.id);
  // The town's urban-management team with one handler; a second team (the police) with the other.
  const dept = await admin.post<{ id: number }>('/api/departments', {
    nodeId: tree.towns[0]!.id,
    kind: 'urban',
    name: '镇1综合执法队',
  });
  expect(dept.status, JSON.stringify(dept.body)).toBe(201);
  departmentId = dept.body.id;
  const userId = async (u: string) =>
    (await db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id;
  expect(
    (await admin.post(`/api/departments/${departmentId}/members`, { userId: await userId('handler') }))
      .status,
  ).toBe(201);
  const police = await admin.post<{ id: number }>('/api/departments', {
    nodeId: tree.towns[0]!.id,
    kind: 'police',
    name: '镇1派出所',
  });
  expect(
    (await admin.post(`/api/departments/${police.body.id}/members`, { userId: await userId('handler2') }))
      .status,
  ).toBe(201);

  const garbage = cats.get('environment.garbage');
  // A hotline call in grid A, with the caller's name and phone: neither may reach the workbook.
  ev.hotline = await report(admin, {
    categoryId: garbage,
    channel: 'hotline',
    title: '热线：路边垃圾',
    description: '来电反映',
    ...inGrid(0),
    reporterName: '李来电',
    reporterPhone: '13812345678',
  });
  ev.closed = await report(gridworker, {
    categoryId: garbage,
    title: '已撤销的垃圾',
    description: 'x',
    ...inGrid(0, 0.002),
  });
  await act(admin, ev.closed.id, { action: 'close', closeReason: 'cancelled', reason: '误报' });
  ev.otherGrid = await report(otherGridworker, {
    categoryId: garbage,
    title: '网格B的垃圾',
    description: 'x',
    ...inGrid(1),
  });
  // Dispatched to the handler's team: one in grid A, one in another village of the town.
  ev.dispatched = await report(gridworker, {
    categoryId: garbage,
    title: '派给执法队',
    description: 'x',
    ...inGrid(0, -0.002),
  });
  ev.dispatchedElsewhere = await report(admin, {
    categoryId: garbage,
    title: '另一村派给执法队',
    description: 'x',
    ...inGrid(2),
  });
  for (const e of [ev.dispatched, ev.dispatchedElsewhere]) {
    await act(admin, e.id, { action: 'accept' });
    await act(admin, e.id, { action: 'dispatch', departmentId });
  }
  // Reported at the village itself, without a map point: no marker, on no grid's count.
  ev.atVillage = await report(admin, {
    categoryId: cats.get('dispute.neighbour'),
    title: '村里的纠纷',
    description: 'x',
    nodeId: tree.villages[0]!.id,
  });
  // Monday 12:00 in Shanghai: the two dispatched events (4 working hours to sign for) are overdue.
  clock = '2026-09-28T04:00:00.000Z';
});
afterAll(async () => t.close());

describe(`the workbook (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('as the district admin: every event, headers and labels in Chinese by default, no personal data, one audit row', async () => {
    const before = (await exportAudits()).length;
    const res = await admin.post('/api/events/export', {});
    const rows = await sheet(res);
    expect(await sheetName(res)).toBe('事件');
    expect(rows[0]).toEqual(HEADERS_ZH);
    expect(codesOf(rows)).toEqual(await listedCodes(admin));
    expect(rows).toHaveLength(1 + (await idsUnder(tree.district.path)).length);

    const row = (e: EventDetail) => rowOf(rows, e);
    expect(row(ev.hotline)).toEqual({
      tracking_code: ev.hotline.trackingCode,
      title: '热线：路边垃圾',
      category: '环境卫生',
      subcategory: '垃圾堆放',
      state: '待受理',
      channel: '热线受理',
      place: '镇1村1网格1',
      place_full: '镇1 / 镇1村1 / 镇1村1网格1',
      place_code: tree.grids[0]!.fullCode,
      owner_level: '网格',
      lead_department: '',
      reported_at: '2026-09-25 16:00',
      due_at: '',
      overdue: '否',
      closed_at: '',
      close_reason: '',
    });
    expect(row(ev.closed)).toMatchObject({
      state: '已结案',
      closed_at: '2026-09-25 16:00',
      close_reason: '已撤销',
    });
    expect(row(ev.dispatched)).toMatchObject({
      state: '待签收',
      lead_department: '镇1综合执法队',
      due_at: '2026-09-28 10:30',
      overdue: '是',
    });
    expect(row(ev.atVillage)).toMatchObject({
      place: '镇1村1',
      place_full: '镇1 / 镇1村1',
      owner_level: '村社',
    });
    // The caller's name and phone are nowhere in the file, not even masked.
    const text = JSON.stringify(rows);
    for (const secret of ['李来电', '13812345678', '5678', '138****']) expect(text).not.toContain(secret);

    const audits = await exportAudits();
    expect(audits).toHaveLength(before + 1);
    expect(audits.at(-1)).toMatchObject({
      actor_label: 'admin',
      entity_type: 'event',
      node_path: tree.district.path,
    });
    expect(JSON.parse(audits.at(-1)!.detail!)).toMatchObject({ rows: rows.length - 1 });
  });

  it('in English when English is asked: sheet, headers, labels and category names, no Chinese but data', async () => {
    const zh = await admin.request({
      method: 'POST',
      url: '/api/events/export',
      payload: {},
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    expect((await sheet(zh))[0]).toEqual(HEADERS_ZH);
    const res = await admin.request({
      method: 'POST',
      url: '/api/events/export',
      payload: {},
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    const rows = await sheet(res);
    expect(await sheetName(res)).toBe('Events');
    expect(rows[0]).toEqual(HEADERS_EN);
    expect(rowOf(rows, ev.hotline)).toMatchObject({
      title: '热线：路边垃圾',
      category: 'Environment and sanitation',
      subcategory: 'Rubbish dumped',
      state: 'reported',
      channel: 'Hotline',
      owner_level: 'grid',
      overdue: 'No',
    });
    expect(rowOf(rows, ev.closed)).toMatchObject({ state: 'closed', close_reason: 'Cancelled' });
    expect(rowOf(rows, ev.dispatched)).toMatchObject({ state: 'dispatched', overdue: 'Yes' });
    // Only data (titles, places, departments) may be Chinese: every label column is not.
    const labels: Column[] = [
      'category',
      'subcategory',
      'state',
      'channel',
      'owner_level',
      'overdue',
      'close_reason',
    ];
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows.slice(1))
      for (const l of labels) expect(r[col(l)], `${l} of ${r[0]}`).not.toMatch(/[\u3400-\u9fff]/);
  });

  it('a grid worker gets exactly their grid’s events, the list’s order and content', async () => {
    const rows = await sheet(await gridworker.post('/api/events/export', {}));
    const expected = await db
      .selectFrom('events')
      .select('tracking_code')
      .where('id', 'in', await idsUnder(tree.grids[0]!.path))
      .execute();
    expect(codesOf(rows)).toEqual(expected.map((e) => e.tracking_code).sort());
    expect(codesOf(rows)).toEqual(await listedCodes(gridworker));
    expect(codesOf(rows)).not.toContain(ev.otherGrid.trackingCode);
    for (const r of rows.slice(1)) expect(r[col('place_code')]).toBe(tree.grids[0]!.fullCode);
    // Aimed at the neighbouring grid, it is refused (403, as every list) rather than reaching over.
    const before = (await exportAudits()).length;
    expect((await gridworker.post('/api/events/export', { node: tree.grids[1]!.id })).status).toBe(403);
    expect(await exportAudits()).toHaveLength(before);
    // Placed in the grid worker's own jurisdiction in the audit.
    expect((await exportAudits()).at(-1)).toMatchObject({
      actor_label: 'gridworker',
      node_path: tree.grids[0]!.path,
    });
  });

  it('a handler gets exactly their department’s events, wherever they lie; another department’s handler none of them', async () => {
    const rows = await sheet(await handler.post('/api/events/export', {}));
    const expected = await db
      .selectFrom('events')
      .select('tracking_code')
      .where('id', 'in', await idsOfDepartment(departmentId))
      .execute();
    expect(codesOf(rows)).toEqual(expected.map((e) => e.tracking_code).sort());
    expect(codesOf(rows)).toEqual([ev.dispatched.trackingCode, ev.dispatchedElsewhere.trackingCode].sort());
    expect(codesOf(await sheet(await otherHandler.post('/api/events/export', {})))).toEqual([]);
    // Someone who reads no events and handles for no department may not export at all.
    const refused = await volunteer.post('/api/events/export', {});
    expect(refused.status).toBe(403);
    expect(String(refused.headers['content-type'])).toMatch(/^application\/problem\+json/);
  });

  it('takes the list’s filters: states, place, overdue, text', async () => {
    const cases = [
      { body: { state: ['closed'] }, query: '&state=closed' },
      { body: { state: 'dispatched', overdue: 'true' }, query: '&state=dispatched&overdue=true' },
      {
        body: { node: tree.villages[0]!.id, overdue: 'false' },
        query: `&node=${tree.villages[0]!.id}&overdue=false`,
      },
      { body: { q: ev.hotline.trackingCode }, query: `&q=${ev.hotline.trackingCode}` },
      {
        body: { category: cats.get('environment'), channel: 'hotline' },
        query: `&category=${cats.get('environment')}&channel=hotline`,
      },
    ];
    for (const c of cases) {
      const codes = codesOf(await sheet(await admin.post('/api/events/export', c.body)));
      expect(codes, JSON.stringify(c.body)).toEqual(await listedCodes(admin, c.query));
      expect(codes.length, JSON.stringify(c.body)).toBeGreaterThan(0);
    }
    expect(codesOf(await sheet(await admin.post('/api/events/export', { state: ['closed'] })))).toEqual([
      ev.closed.trackingCode,
    ]);
  });

  it('refuses bad filters with every issue listed, and paging; writes no audit row', async () => {
    const before = (await exportAudits()).length;
    const res = await admin.post<{ code: string; issues: { path: string }[] }>('/api/events/export', {
      state: 'nope',
      overdue: 'maybe',
      page: 2,
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.issues.map((i) => i.path).sort()).toEqual(['body.overdue', 'body.page', 'body.state']);
    expect((await admin.post('/api/events/export', { node: 2147483647 })).status).toBe(404);
    expect(await exportAudits()).toHaveLength(before);
  });

  it('over the row cap: 400 asking to narrow the filters, with the count; nothing audited', async () => {
    const before = (await exportAudits()).length;
    const small = createEventsExportService({ db, now: () => clock, maxRows: 2 });
    const actor = (await loadActor(
      db,
      (await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow())
        .id,
      'session',
    ))!;
    const ctx = { actor, requestId: 'test-cap' };
    const err = await small.workbook(ctx, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    const total = (await idsUnder(tree.district.path)).length;
    expect([e.status, e.code, e.extra]).toEqual([
      400,
      'event.export_too_large',
      {
        issues: [
          {
            path: 'body',
            message: { code: 'issue.export_rows', params: { total, max: 2 } },
            code: 'too_many',
          },
        ],
      },
    ]);
    expect(e.title).toEqual({ code: 'event.export_too_large', params: { max: 2, total } });
    // Narrowed to two events, the same service answers.
    expect((await small.workbook(ctx, { state: 'dispatched' })).length).toBeGreaterThan(0);
    expect(await exportAudits()).toHaveLength(before + 1);
  });
});

describe(`the map's points (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  const points = async (c: Client, query = '') => {
    const res = await c.get<EventPoints>(`/api/events/points${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const idsOf = (p: EventPoints) => p.items.map((i) => i.id).sort((a, b) => a - b);

  it('as the district admin: open events with a point only, overdue marked, counts per grid', async () => {
    const p = await points(admin);
    const open = await idsUnder(tree.district.path, OPEN_STATES);
    const withPoint = (
      await db
        .selectFrom('events')
        .select('id')
        .where('id', 'in', open)
        .where('lat', 'is not', null)
        .execute()
    )
      .map((r) => r.id)
      .sort((a, b) => a - b);
    expect(idsOf(p)).toEqual(withPoint);
    expect(idsOf(p)).not.toContain(ev.closed.id);
    expect(idsOf(p)).not.toContain(ev.atVillage.id);
    for (const i of p.items) expect(OPEN_STATES).toContain(i.state);
    expect(p.truncated).toBe(false);
    const hotline = p.items.find((i) => i.id === ev.hotline.id)!;
    expect(hotline).toEqual({
      id: ev.hotline.id,
      trackingCode: ev.hotline.trackingCode,
      title: '热线：路边垃圾',
      state: 'reported',
      overdue: false,
      lat: 30.205,
      lng: 119.705,
      categoryNameZh: '垃圾堆放',
      categoryNameEn: 'Rubbish dumped',
    });
    expect(p.items.find((i) => i.id === ev.dispatched.id)!.overdue).toBe(true);
    // Overdue first, as in the list.
    expect(
      p.items
        .slice(0, 2)
        .map((i) => i.id)
        .sort((a, b) => a - b),
    ).toEqual([ev.dispatched.id, ev.dispatchedElsewhere.id].sort((a, b) => a - b));
    // Each grid's open events, with or without a point; the village's own event on no grid.
    for (const [i, g] of tree.grids.entries()) {
      const n = (await idsUnder(g.path, OPEN_STATES)).length;
      expect(p.grids.find((x) => x.nodeId === g.id)?.open ?? 0, `grid ${i}`).toBe(n);
    }
    expect(p.grids.find((x) => x.nodeId === tree.grids[0]!.id)).toEqual({
      nodeId: tree.grids[0]!.id,
      open: 2,
      overdue: 1,
    });
    expect(p.outsideGrids).toBe(1);
    const overdue = await db
      .selectFrom('events')
      .select('id')
      .where('id', 'in', open)
      .where('due_at', '<', clock)
      .execute();
    expect(p.totals).toEqual({ open: open.length, overdue: overdue.length });
    expect(p.totals.overdue).toBe(2);
  });

  it('a grid worker sees only their grid’s open events; a handler only their department’s', async () => {
    const mine = await points(gridworker);
    expect(idsOf(mine)).toEqual(await idsUnder(tree.grids[0]!.path, OPEN_STATES));
    expect(mine.grids.map((g) => g.nodeId)).toEqual([tree.grids[0]!.id]);
    expect(mine.outsideGrids).toBe(0);
    // A node outside the caller's jurisdiction is refused, as on every list, not answered empty.
    expect((await gridworker.get(`/api/events/points?node=${tree.grids[1]!.id}`)).status).toBe(403);

    const theirs = await points(handler);
    expect(idsOf(theirs)).toEqual(await idsOfDepartment(departmentId, OPEN_STATES));
    expect(idsOf(theirs)).toEqual([ev.dispatched.id, ev.dispatchedElsewhere.id].sort((a, b) => a - b));
    expect(theirs.grids).toEqual(
      [
        { nodeId: tree.grids[0]!.id, open: 1, overdue: 1 },
        { nodeId: tree.grids[2]!.id, open: 1, overdue: 1 },
      ].sort((a, b) => a.nodeId - b.nodeId),
    );
    expect((await points(otherHandler)).items).toEqual([]);
    expect(await points(volunteer)).toEqual({
      items: [],
      truncated: false,
      totals: { open: 0, overdue: 0 },
      grids: [],
      outsideGrids: 0,
    });
  });

  it('filters by place, category and overdue; refuses a state filter and bad values', async () => {
    expect(idsOf(await points(admin, `?node=${tree.villages[1]!.id}`))).toEqual([ev.dispatchedElsewhere.id]);
    expect(idsOf(await points(admin, '?overdue=true'))).toEqual(
      [ev.dispatched.id, ev.dispatchedElsewhere.id].sort((a, b) => a - b),
    );
    expect(idsOf(await points(admin, `?category=${cats.get('dispute')}`))).toEqual([]);
    const bad = await admin.get<{ issues: { path: string }[] }>(
      '/api/events/points?state=closed&overdue=1&node=0',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.path).sort()).toEqual([
      'querystring.node',
      'querystring.overdue',
      'querystring.state',
    ]);
  });

  it('caps the points and says so', async () => {
    const actor = (await loadActor(
      db,
      (await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow())
        .id,
      'session',
    ))!;
    const p = await createEventsMapService({ db, now: () => clock, maxPoints: 1 }).points(
      { actor, requestId: 'test-cap' },
      {},
    );
    expect(p.items).toHaveLength(1);
    expect(p.truncated).toBe(true);
    // The counts are not capped.
    expect(p.grids.reduce((s, g) => s + g.open, 0) + p.outsideGrids).toBe(
      (await idsUnder(tree.district.path, OPEN_STATES)).length,
    );
    expect(p.totals.open).toBe((await idsUnder(tree.district.path, OPEN_STATES)).length);
  });
});
