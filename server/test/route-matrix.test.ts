// Every route declares its access, and every node-scoped route keeps each caller inside their
// jurisdiction. Driven by app.linliRoutes: a new route without a case here fails this suite.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSION_CODES } from '../../common/permissions.js';
import { subtreeRange } from '../db/dialect.js';
import type { DB } from '../db/index.js';
import { recordLive } from '../platform/live.js';
import { buildTestApp, type Client, type TestApp, type TestResponse } from './harness.js';
import { openSse } from './sse.js';
import { insertNotification, makeCast, makeTree, makeUser, type Tree, type TreeNode } from './factories.js';
import {
  cellText,
  freeCode,
  importPeople,
  insertHousehold,
  insertPerson,
  isWithin,
  multipart,
  nthIdNumber,
  nthPhone,
  PEOPLE_HEAD,
  roleIdOf,
  routeKey,
  scratchChild,
  subtreeIds,
  toCsv,
  userIdOf,
  withinAny,
  type PeopleImportReport,
  type RouteRow,
} from './routes.js';

/** A 1×1 PNG: the smallest real photo. */
const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
let t: TestApp;
let tree: Tree;
let db: DB;
let apiRoutes: RouteRow[];

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  apiRoutes = t.app.linliRoutes.filter((r) => r.url.startsWith('/api') && r.method !== 'HEAD');
  // People and households in every grid, so that the lists have something to leak.
  for (const g of tree.grids) {
    await personAt(g);
    await householdAt(g);
  }
  // Events in every grid and at every village, departments at every town and village, so that the
  // events lists have something to leak too.
  adminClient = await t.login('admin');
  for (const c of await db.selectFrom('event_categories').select(['id', 'code']).execute())
    cats.set(c.code, c.id);
  districtDept = await departmentAt(tree.district);
  for (const n of [...tree.towns, ...tree.villages]) await departmentAt(n);
  const handlerId = await makeUser(db, 'matrixhandler', [
    { role: 'department_handler', node: tree.district },
  ]);
  expect(
    (await adminClient.post(`/api/departments/${districtDept}/members`, { userId: handlerId })).status,
  ).toBe(200);
  handler = await t.login('matrixhandler');
  for (const g of tree.grids) await eventAt(g);
  for (const v of tree.villages) await eventAt(v, 'dispute.neighbour');
  // One event in each town waits for verification: the verifiers' tasks.
  await handledEventAt(tree.grids[0]!);
  await handledEventAt(tree.grids[4]!);
});
afterAll(async () => t.close());

// ---------------------------------------------------------------------------------------------
// People placed in the tree for the people routes.

let personSeq = 0;
const personPhones = new Map<number, string>();
/** The last person a call made: the inside check of the reveal case compares its phone. */
let lastPersonId = 0;
/** A grid in the target's subtree and in no deeper scope: the target itself, or a fresh grid straight under it. */
async function gridAt(n: TreeNode): Promise<TreeNode> {
  return n.level === 'grid' ? n : scratchChild(db, n, 'grid');
}
async function personAt(n: TreeNode): Promise<number> {
  const seq = ++personSeq;
  const phone = nthPhone(seq, '158');
  const id = await insertPerson(db, await gridAt(n), {
    name: `矩阵${seq}`,
    idNumber: nthIdNumber(seq, '330110'),
    phone,
    tags: ['key_care'],
  });
  personPhones.set(id, `+86${phone}`);
  lastPersonId = id;
  return id;
}
async function householdAt(n: TreeNode): Promise<number> {
  const grid = await gridAt(n);
  const h = await insertHousehold(db, grid, `矩阵户${++personSeq}`);
  await insertPerson(db, grid, {
    name: `户主${personSeq}`,
    idNumber: nthIdNumber(personSeq, '330110'),
    householdId: h,
  });
  return h;
}
/** Persons (not merged away), households or events placed under a path, straight from the database. */
async function countUnder(table: 'persons' | 'households' | 'events', p: string): Promise<number> {
  let q = db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('node_path', '>=', p)
    .where('node_path', '<', p.slice(0, -1) + '0');
  if (table === 'persons') q = q.where('merged_into_id', 'is', null);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
/** The grid codes (网格编码 column) of an exported workbook, with their node paths. */
async function exportedPaths(res: Res): Promise<string[]> {
  expect(res.status, String(res.body).slice(0, 200)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  expect((ws.getRow(1).values as unknown[])[8]).toBe('网格编码');
  const codes: string[] = [];
  ws.eachRow((r, i) => {
    if (i > 1) codes.push(cellText(r.getCell(8).value));
  });
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('nodes')
    .select(['full_code', 'path'])
    .where('full_code', 'in', [...new Set(codes)])
    .execute();
  const byCode = new Map(rows.map((r) => [r.full_code, r.path]));
  return codes.map((c) => byCode.get(c) ?? `unknown code ${c}`);
}
let importSeq = 0;
/** A one-row people import placing someone in a grid. */
function importInto(c: Client, grid: TreeNode, opts: { ref?: string; badRow?: boolean } = {}) {
  const seq = ++importSeq;
  const rows = [
    [...PEOPLE_HEAD],
    [`导入${seq}`, nthIdNumber(seq, '330111'), '', '', grid.fullCode, '户籍人口', '', '', ''],
  ];
  if (opts.badRow) rows.push([`坏行${seq}`, '123', '', '', grid.fullCode, '户籍人口', '', '', '']);
  return importPeople(
    c,
    { name: 'm.csv', data: toCsv(rows) },
    { mode: 'valid-rows', ...(opts.ref ? { ref: opts.ref } : {}) },
  );
}
const holdsPermission = async (c: Client, permission: string) =>
  (await c.get<{ abilities: string[] }>('/api/auth/me')).body.abilities.includes(permission);

// ---------------------------------------------------------------------------------------------
// Events and departments placed in the tree for the events routes.

let adminClient: Client;
/** The seeded sub-categories by code (the migration's taxonomy). */
const cats = new Map<string, number>();
/** The district's own department: it serves every place, so any event can be dispatched to it. */
let districtDept: number;
/** The one handler of the district's department. */
let handler: Client;
let eventSeq = 0;
/** The last event a call made: the inside check of the detail case compares its id. */
let lastEventId = 0;
function categoryId(code: string): number {
  const id = cats.get(code);
  if (id === undefined) throw new Error(`no seeded category ${code}`);
  return id;
}
/** An event the district admin reports at a node. By nodeId: the test grids share one polygon, so a map point names no grid. */
async function eventAt(n: TreeNode, category = 'environment.garbage'): Promise<number> {
  const res = await adminClient.post<{ event: { id: number } }>('/api/events', {
    categoryId: categoryId(category),
    title: `矩阵事件${++eventSeq}`,
    description: '矩阵测试',
    nodeId: n.id,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  lastEventId = res.body.event.id;
  return lastEventId;
}
/** An event taken to 'handled' through the API: filed, dispatched to the district's team, signed and fed back. */
async function handledEventAt(n: TreeNode): Promise<number> {
  const id = await eventAt(n);
  const steps: [Client, Record<string, unknown>][] = [
    [adminClient, { action: 'accept' }],
    [adminClient, { action: 'dispatch', departmentId: districtDept }],
    [handler, { action: 'sign' }],
    [handler, { action: 'feed_back', note: '已处置' }],
  ];
  for (const [c, body] of steps) {
    const res = await c.post(`/api/events/${id}/actions`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return id;
}
/** The phone each hotline event was reported with (national number), by event id. */
const eventPhones = new Map<number, string>();
/** A hotline event at a node whose caller left a phone: the reveal case's target. */
async function eventWithPhoneAt(n: TreeNode): Promise<number> {
  const phone = nthPhone(++eventSeq, '137');
  const res = await adminClient.post<{ event: { id: number } }>('/api/events', {
    categoryId: categoryId('environment.garbage'),
    title: `矩阵来电${eventSeq}`,
    description: '矩阵测试',
    channel: 'hotline',
    nodeId: n.id,
    reporterName: '来电群众',
    reporterPhone: phone,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  eventPhones.set(res.body.event.id, phone);
  return res.body.event.id;
}
/** Reveal audit rows of an event, and what a reveal call aimed at. */
const revealAudits = async (id: number) =>
  (
    await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'event.reveal_reporter_phone')
      .where('entity_id', '=', String(id))
      .execute()
  ).length;
const revealedOn = new WeakMap<object, { id: number; audits: number }>();
let departmentSeq = 0;
async function departmentAt(n: TreeNode, kind = 'urban'): Promise<number> {
  const res = await adminClient.post<{ id: number }>('/api/departments', {
    nodeId: n.id,
    kind,
    name: `矩阵部门${++departmentSeq}`,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id;
}
/** A department at the node with one handler placed there, straight in the database. */
async function departmentWithMember(n: TreeNode) {
  const id = await departmentAt(n);
  const user = await probeUser(n, 'department_handler');
  await db
    .insertInto('department_members')
    .values({ department_id: id, user_id: user.id, created_at: new Date().toISOString() })
    .execute();
  return { id, userId: user.id };
}
const membersOf = async (departmentId: number) =>
  (
    await db
      .selectFrom('department_members')
      .select('user_id')
      .where('department_id', '=', departmentId)
      .execute()
  ).map((r) => r.user_id);
const eventRow = (id: number) =>
  db
    .selectFrom('events')
    .select(['state', 'node_path', 'owner_path'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const historyLength = async (id: number) =>
  (await db.selectFrom('event_history').select('id').where('event_id', '=', id).execute()).length;
/** What a workflow call aimed at: the event as it was, the permission the action needs and where it must reach. */
interface Aim {
  id: number;
  from: string;
  history: number;
  permission: string;
  at: 'owner_path' | 'node_path';
  to: string;
}
const actedOn = new WeakMap<object, Aim>();
/** Which department and user a membership call aimed at. */
const addedTo = new WeakMap<object, { departmentId: number; userId: number }>();
/** The triage task list's states (events.service tasks). */
const TRIAGE_STATES = ['reported', 'accepted', 'returned', 'extension_requested', 'reopened'];
/** Notifications straight in the database, for the caller and for someone else. */
const notifyDirect = (userId: number, text: string) => insertNotification(db, userId, text, 'matrix');
let daySeq = 0;
/** A day far from any test's deadlines, fresh each call. */
const freshDay = () => {
  const n = daySeq++;
  return `2031-${String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
};
/** A KPI period holding today wherever the day is counted (Asia/Shanghai). */
const kpiWindow = () =>
  `from=${new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)}`;
interface KpiBody {
  node: { id: number };
  figures: { received: number };
  children: { node: { id: number }; figures: { received: number } }[];
}
/** Only an administrator at the tree root changes the district-wide lists. */
const isDistrictAdmin = (a: Actor) => a.name === 'admin';
/** The open states (events.workflow OPEN_STATES): what the map shows. */
const OPEN_STATES = [
  'reported',
  'accepted',
  'dispatched',
  'returned',
  'in_progress',
  'extension_requested',
  'parked',
  'handled',
  'reopened',
];
/** Where a caller aimed at a node sees events: the deeper of the two subtrees when one holds the other, else nowhere. */
const overlapOf = (scope: string, target: string) =>
  isWithin(target, scope) ? target : isWithin(scope, target) ? scope : null;
/** The node paths of the events an exported workbook lists, by their tracking codes (column 1). */
async function exportedEventPaths(res: Res): Promise<string[]> {
  expect(res.status, String(res.body).slice(0, 200)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  expect(cellText(ws.getRow(1).getCell(1).value)).toBe('受理编号 Tracking code');
  const codes: string[] = [];
  ws.eachRow((r, i) => {
    if (i > 1) codes.push(cellText(r.getCell(1).value));
  });
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .select(['tracking_code', 'node_path'])
    .where('tracking_code', 'in', codes)
    .execute();
  const byCode = new Map(rows.map((r) => [r.tracking_code, r.node_path]));
  return codes.map((c) => byCode.get(c) ?? `unknown code ${c}`);
}
/** The export holds exactly the events under `within` (none when null). */
async function checkEventExport(res: Res, within: string | null) {
  const paths = await exportedEventPaths(res);
  for (const p of paths) expect(within !== null && isWithin(p, within), p).toBe(true);
  expect(paths.length).toBe(within ? await countUnder('events', within) : 0);
}
/** An event with a map point at the node, so that the map has a marker to leak. */
async function pointAt(n: TreeNode) {
  await db
    .updateTable('events')
    .set({ lat: 30.205, lng: 119.705 })
    .where('id', '=', await eventAt(n))
    .execute();
}
/** The map holds exactly the open events with a point under `within`, and counts every open event there. */
async function checkEventPoints(res: Res, within: string | null, placedOne = false) {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const b = res.body as {
    items: { id: number }[];
    totals: { open: number };
    grids: { nodeId: number; open: number }[];
    outsideGrids: number;
  };
  const open = within
    ? await db
        .selectFrom('events')
        .select(['id', 'lat'])
        .where('node_path', '>=', within)
        .where('node_path', '<', within.slice(0, -1) + '0')
        .where('state', 'in', OPEN_STATES)
        .execute()
    : [];
  expect(b.items.map((i) => i.id).sort(byNumber)).toEqual(
    open
      .filter((e) => e.lat !== null)
      .map((e) => e.id)
      .sort(byNumber),
  );
  if (placedOne) expect(b.items.length).toBeGreaterThan(0);
  for (const p of await pathsOfIds(b.grids.map((g) => g.nodeId)))
    expect(within !== null && isWithin(p, within), p).toBe(true);
  expect(b.grids.reduce((sum, g) => sum + g.open, 0) + b.outsideGrids).toBe(open.length);
  expect(b.totals.open).toBe(open.length);
}

// ---------------------------------------------------------------------------------------------
// Notices: a district-wide one for the views, and fresh ones per call for delivery.

let districtNoticeId: Promise<number> | undefined;
/** A notice to the whole district, published once by the admin. */
const districtNotice = () =>
  (districtNoticeId ??= adminClient
    .post<{ id: number }>('/api/notices', { nodeId: tree.district.id, title: '矩阵告知书', body: '矩阵' })
    .then((r) => {
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.id;
    }));
let noticeSeq = 0;
/** A household in the node's subtree and a fresh notice to the node that covers it. */
async function noticeWithHouseholdAt(n: TreeNode) {
  const householdId = await householdAt(n);
  const res = await adminClient.post<{ id: number }>('/api/notices', {
    nodeId: n.id,
    title: `矩阵告知${++noticeSeq}`,
    body: '矩阵',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { noticeId: res.body.id, householdId };
}
const noticeRow = (id: number) =>
  db
    .selectFrom('notices')
    .select(['node_path', 'last_household_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
/** Households a notice went to under a path: those registered there by its publication. */
async function noticeHouseholdsUnder(noticeId: number, p: string) {
  const n = await noticeRow(noticeId);
  const [lo, hi] = subtreeRange(p);
  return Number(
    (
      await db
        .selectFrom('households')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('node_path', '>=', lo)
        .where('node_path', '<', hi)
        .where('id', '<=', n.last_household_id)
        .executeTakeFirstOrThrow()
    ).n,
  );
}
const deliveryOf = (noticeId: number, householdId: number) =>
  db
    .selectFrom('notice_deliveries')
    .select('id')
    .where('notice_id', '=', noticeId)
    .where('household_id', '=', householdId)
    .executeTakeFirst();
/** What a delivery call aimed at. */
const deliveredTo = new WeakMap<object, { noticeId: number; householdId: number }>();
/** A notice overlaps a scope when one holds the other. */
const overlaps = (noticePath: string, scope: string) =>
  isWithin(noticePath, scope) || isWithin(scope, noticePath);

// ---------------------------------------------------------------------------------------------
// Daily reports placed in the tree for the reports routes.

/** A daily report template at a node, straight in the database (one required whole-number field). */
async function reportTemplateAt(n: TreeNode, targetLevel: string): Promise<number> {
  const r = await db
    .insertInto('report_templates')
    .values({
      command_id: null,
      node_id: n.id,
      node_path: n.path,
      target_level: targetLevel,
      title: '矩阵日报',
      fields: JSON.stringify([
        {
          code: 'n',
          labelZh: '人数',
          labelEn: 'People',
          type: 'integer',
          aggregation: 'sum',
          required: true,
        },
      ]),
      due_time: '17:00',
      start_day: '2020-01-01',
      end_day: null,
      created_by_user_id: null,
      created_at: new Date().toISOString(),
      retired_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
/** A template read at the node: reported by the grids below it (a grid's own: by itself). */
const readableTemplateAt = (n: TreeNode) => reportTemplateAt(n, 'grid');
/** Today in Asia/Shanghai, the day a report can be filled for. */
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
/** Paths of the report templates a list answered. */
const templatePaths = async (res: Res) =>
  pathsOfIds((items(res) as { node: { id: number } }[]).map((i) => i.node.id));
/** A template whose node is an ancestor of the caller's scope is read for the caller's part of it. */
const readsAncestor = (actor: Actor, n: TreeNode) => isWithin(actor.scope().path, n.path);

// ---------------------------------------------------------------------------------------------
// Part 1: every route declares access.

describe('every route declares access', () => {
  it('each /api route has public, authenticated or a registered permission', () => {
    const allowed = new Set<string>(['public', 'authenticated', ...PERMISSION_CODES]);
    const bad = t.app.linliRoutes
      .filter((r) => r.url.startsWith('/api'))
      .filter((r) => r.access === undefined || !allowed.has(r.access))
      .map((r) => `${routeKey(r)} → ${String(r.access)}`);
    expect(bad, `routes without a valid access rule:\n${bad.join('\n')}`).toEqual([]);
  });

  it('the public set is exactly login, logout, health, config, openapi.json, the API docs and the resident’s event pages', () => {
    const expected = [
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'GET /api/health',
      'HEAD /api/health',
      'GET /api/config',
      'HEAD /api/config',
      'GET /api/openapi.json',
      'HEAD /api/openapi.json',
      // The resident's side of joint handling: report form, its categories, tracking and rating by code.
      'GET /api/public/event-categories',
      'HEAD /api/public/event-categories',
      'POST /api/public/events',
      'POST /api/public/event-photos',
      'GET /api/public/events/:code',
      'HEAD /api/public/events/:code',
      'POST /api/public/events/:code/evaluation',
    ];
    const pub = t.app.linliRoutes.filter((r) => r.url.startsWith('/api') && r.access === 'public');
    const docs = pub.filter((r) => r.url === '/api/docs' || r.url.startsWith('/api/docs/'));
    expect(docs.length).toBeGreaterThan(0);
    expect(
      pub
        .filter((r) => !docs.includes(r))
        .map(routeKey)
        .sort(),
    ).toEqual([...expected].sort());
  });

  it('an anonymous caller gets 401 problem+json from every non-public route', async () => {
    const anon = t.anon();
    const wrong: string[] = [];
    for (const r of apiRoutes.filter((x) => x.access !== 'public')) {
      const url = r.url.replace(/:[A-Za-z]+/g, '1');
      const res = await anon.request({
        method: r.method,
        url,
        ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} }),
      });
      if (res.status !== 401 || !String(res.headers['content-type']).startsWith('application/problem+json'))
        wrong.push(`${routeKey(r)} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('a caller without a route’s permission gets 403 from it, whatever the target', async () => {
    const clients = {
      gridworker: await t.login('gridworker'),
      towncmd: await t.login('towncmd'),
      commander: await t.login('commander'),
    };
    const abilities: Record<string, string[]> = {};
    for (const [n, c] of Object.entries(clients))
      abilities[n] = (await c.get<{ abilities: string[] }>('/api/auth/me')).body.abilities;
    const wrong: string[] = [];
    let checked = 0;
    for (const r of apiRoutes.filter((x) => x.access !== 'public' && x.access !== 'authenticated')) {
      for (const [n, c] of Object.entries(clients)) {
        if (abilities[n]!.includes(r.access!)) continue;
        const url = r.url.replace(/:[A-Za-z]+/g, String(tree.district.id));
        const res = await c.request({
          method: r.method,
          url,
          ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} }),
        });
        checked++;
        if (res.status !== 403) wrong.push(`${n} ${routeKey(r)} → ${res.status}`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Part 2: the scope matrix.

type Res = TestResponse<unknown>;
interface Actor {
  name: 'gridworker' | 'towncmd' | 'townadmin' | 'cadre' | 'commander' | 'admin';
  /** The root of the caller's jurisdiction. */
  scope: () => TreeNode;
  inside: () => TreeNode[];
  outside: () => TreeNode[];
}
const ACTORS: Actor[] = [
  {
    name: 'gridworker',
    scope: () => tree.grids[0]!,
    inside: () => [tree.grids[0]!],
    outside: () => [tree.grids[1]!, tree.villages[0]!, tree.towns[0]!, tree.grids[4]!, tree.district],
  },
  {
    name: 'towncmd',
    scope: () => tree.towns[0]!,
    inside: () => [tree.towns[0]!, tree.villages[0]!, tree.grids[0]!],
    outside: () => [tree.district, tree.towns[1]!, tree.villages[2]!, tree.grids[4]!],
  },
  {
    name: 'townadmin',
    scope: () => tree.towns[0]!,
    inside: () => [tree.towns[0]!, tree.villages[0]!, tree.grids[0]!],
    outside: () => [tree.district, tree.towns[1]!, tree.villages[2]!, tree.grids[4]!],
  },
];
/** The rest of the cast: they run the cases marked wholeCast (the events routes), not the older ones. */
const MORE_CAST: Actor[] = [
  {
    name: 'cadre',
    scope: () => tree.villages[0]!,
    inside: () => [tree.villages[0]!, tree.grids[0]!, tree.grids[1]!],
    outside: () => [tree.grids[2]!, tree.villages[1]!, tree.towns[0]!, tree.grids[4]!, tree.district],
  },
  {
    name: 'commander',
    scope: () => tree.district,
    inside: () => [tree.district, tree.towns[1]!, tree.villages[2]!, tree.grids[4]!],
    outside: () => [],
  },
  {
    name: 'admin',
    scope: () => tree.district,
    inside: () => [tree.district, tree.towns[1]!, tree.villages[2]!, tree.grids[4]!],
    outside: () => [],
  },
];

const BELOW: Record<string, string> = {
  district: 'town',
  town: 'village',
  village: 'grid',
  grid: 'microgrid',
};
/** A node of the given level inside the actor's scope, if the scope reaches that level. */
function insideAtLevel(a: Actor, level: string): TreeNode | undefined {
  return a.inside().find((n) => n.level === level);
}

let probeSeq = 0;
/** A fresh user with one assignment at the node, so user routes can be aimed at a place in the tree. */
async function probeUser(node: TreeNode, role = 'village_cadre') {
  const username = `probe${++probeSeq}`;
  const id = await makeUser(db, username, [{ role, node }]);
  const a = await db
    .selectFrom('role_assignments')
    .select('id')
    .where('user_id', '=', id)
    .executeTakeFirstOrThrow();
  return { id, username, assignmentId: a.id };
}

const items = (res: Res) => (res.body as { items: unknown[] }).items;
const byNumber = (a: number, b: number) => a - b;
const pathsOfIds = async (ids: number[]) =>
  ids.length
    ? (await db.selectFrom('nodes').select(['id', 'path']).where('id', 'in', ids).execute()).map(
        (r) => r.path,
      )
    : [];

interface Ctx {
  actor: Actor;
  c: Client;
}
interface NodeCase {
  /** Calls the route aimed at a node; every response is judged. */
  call: (x: Ctx, target: TreeNode, where: 'inside' | 'outside') => Promise<Res[]>;
  /** What a caller holding the permission gets inside their scope. */
  inside: (res: Res, x: Ctx, target: TreeNode) => Promise<void> | void;
  /** Outside their scope: 403 unless the route reports the refusal another way. */
  outside?: (res: Res, x: Ctx, target: TreeNode) => Promise<void> | void;
}
interface ListCase {
  /** A list without a node parameter: every item must lie in the caller's scope. */
  call: (x: Ctx) => Promise<Res>;
  check: (res: Res, x: Ctx) => Promise<void> | void;
}
interface Case {
  node?: NodeCase;
  list?: ListCase;
  /** Not aimed at a place in the tree; says why. */
  unscoped?: string;
  /** Extra per-actor checks for an unscoped route. */
  check?: (x: Ctx) => Promise<void>;
  /** Run for the whole cast (cadre, district commander and district admin too), not only the three actors above. */
  wholeCast?: true;
}

const CASES: Record<string, Case> = {
  // ------------------------------ platform
  'GET /api/health': { unscoped: 'public liveness probe' },
  'GET /api/config': { unscoped: 'public client configuration' },
  'GET /api/openapi.json': { unscoped: 'public API description' },
  // ------------------------------ nodes
  'GET /api/nodes': {
    list: {
      call: ({ c }) => c.get('/api/nodes'),
      check: (res, { actor }) => {
        expect(res.status).toBe(200);
        expect(items(res).map((n) => (n as { id: number }).id)).toEqual([actor.scope().id]);
      },
    },
    node: {
      call: async ({ c }, n) => [
        await c.get(`/api/nodes?parent=${n.id}`),
        await c.get(`/api/nodes?parent=${n.id}&includeRetired=true`),
      ],
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { id: number; parentId: number; path: string }[];
        for (const i of list) {
          expect(i.parentId).toBe(n.id);
          expect(withinAny(i.path, [actor.scope().path])).toBe(true);
        }
        const children = await db
          .selectFrom('nodes')
          .select('id')
          .where('parent_id', '=', n.id)
          .where('retired_at', 'is', null)
          .execute();
        expect(list.length).toBeGreaterThanOrEqual(children.length);
      },
    },
  },
  'GET /api/nodes/search': {
    list: {
      call: ({ c }) => c.get(`/api/nodes/search?q=${encodeURIComponent('网格')}&limit=50`),
      check: async (res, { actor, c }) => {
        expect(res.status).toBe(200);
        const list = items(res) as { path: string }[];
        expect(list.length).toBeGreaterThan(0);
        for (const i of list) expect(withinAny(i.path, [actor.scope().path]), i.path).toBe(true);
        // A code prefix from the other town finds nothing outside the scope either.
        const r2 = await c.get<{ items: { path: string }[] }>(
          `/api/nodes/search?q=${tree.towns[1]!.fullCode}`,
        );
        expect(r2.status).toBe(200);
        expect(r2.body.items).toEqual([]);
      },
    },
  },
  'GET /api/nodes/import/template': { unscoped: 'a blank template; nodes.manage anywhere is enough' },
  'GET /api/nodes/:id': {
    node: {
      call: async ({ c }, n) => [await c.get(`/api/nodes/${n.id}`)],
      inside: (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const b = res.body as { id: number; path: string };
        expect(b.id).toBe(n.id);
        expect(withinAny(b.path, [actor.scope().path])).toBe(true);
      },
    },
  },
  'GET /api/nodes/:id/counts': {
    node: {
      call: async ({ c }, n) => [await c.get(`/api/nodes/${n.id}/counts`)],
      inside: async (res, _ctx, n) => {
        expect(res.status).toBe(200);
        const b = res.body as { id: number; byLevel: Record<string, number> };
        expect(b.id).toBe(n.id);
        const [lo, hi] = subtreeRange(n.path);
        const rows = await db
          .selectFrom('nodes')
          .select('level')
          .where('path', '>=', lo)
          .where('path', '<', hi)
          .execute();
        expect(b.byLevel.grid ?? 0).toBe(rows.filter((r) => r.level === 'grid').length);
        expect(Object.values(b.byLevel).reduce((s, x) => s + x, 0)).toBe(rows.length);
      },
    },
  },
  'GET /api/nodes/:id/polygons': {
    node: {
      call: async ({ c }, n) => [
        await c.get(`/api/nodes/${n.id}/polygons`),
        await c.get(`/api/nodes/${n.id}/polygons?level=grid`),
      ],
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const ids = (res.body as { features: { id: number }[] }).features.map((f) => f.id);
        for (const p of await pathsOfIds(ids)) {
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
          expect(p.startsWith(n.path)).toBe(true);
        }
      },
    },
  },
  'POST /api/nodes': {
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/nodes', {
          parentId: n.id,
          code: await freeCode(db, n.fullCode),
          name: 'matrix-new',
        }),
      ],
      inside: (res, { actor }) => {
        expect(res.status).toBe(201);
        expect(withinAny((res.body as { path: string }).path, [actor.scope().path])).toBe(true);
      },
    },
  },
  'PATCH /api/nodes/:id': {
    node: {
      call: async ({ c }, n) => [await c.patch(`/api/nodes/${n.id}`, { responsibleName: 'matrix' })],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { responsibleName: string }).responsibleName).toBe('matrix');
      },
    },
  },
  'POST /api/nodes/:id/move': {
    node: {
      call: async ({ c, actor }, n, where) => {
        // Move a fresh child of the target to a new code under the same target…
        const child = await scratchChild(db, n, BELOW[n.level]!);
        const out = [
          await c.post(`/api/nodes/${child.id}/move`, {
            newParentId: n.id,
            code: await freeCode(db, n.fullCode),
          }),
        ];
        // …and, outside, also try to pull one of the caller's own nodes under the foreign target.
        const own = where === 'outside' ? insideAtLevel(actor, n.level) : undefined;
        if (own) {
          const mine = await scratchChild(db, own, BELOW[own.level]!);
          out.push(await c.post(`/api/nodes/${mine.id}/move`, { newParentId: n.id }));
        }
        return out;
      },
      inside: (res, { actor }) => {
        expect(res.status).toBe(200);
        expect(withinAny((res.body as { path: string }).path, [actor.scope().path])).toBe(true);
      },
    },
  },
  'POST /api/nodes/:id/retire': {
    node: {
      call: async ({ c }, n) => [
        await c.post(`/api/nodes/${(await scratchChild(db, n, BELOW[n.level]!)).id}/retire`),
      ],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { retired: boolean }).retired).toBe(true);
      },
    },
  },
  'POST /api/nodes/import': {
    node: {
      call: async ({ c }, n) => {
        const csv = toCsv([
          ['上级编码', '编码', '名称'],
          [n.fullCode, await freeCode(db, n.fullCode), 'matrix-import'],
        ]);
        const body = multipart([{ name: 'file', filename: 'm.csv', contentType: 'text/csv', data: csv }]);
        return [
          await c.request({
            method: 'POST',
            url: '/api/nodes/import',
            payload: body.payload,
            headers: body.headers,
          }),
        ];
      },
      inside: (res) => {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ total: 1, imported: 1, rejected: 0, errors: [] });
      },
      // The parent is named in the file: a foreign parent is a row error, and nothing is written.
      outside: (res) => {
        expect(res.status).toBe(200);
        const b = res.body as { imported: number; errors: { row: number; column: string }[] };
        expect(b.imported).toBe(0);
        expect(b.errors).toEqual([expect.objectContaining({ row: 2, column: '上级编码' })]);
      },
    },
  },
  // ------------------------------ accounts
  'POST /api/auth/login': { unscoped: 'public sign-in' },
  'POST /api/auth/logout': { unscoped: 'public sign-out of the caller’s own session' },
  'GET /api/auth/me': { unscoped: 'the caller themself' },
  'POST /api/auth/password': { unscoped: 'the caller’s own password' },
  'POST /api/auth/totp/setup': { unscoped: 'the caller’s own second factor' },
  'POST /api/auth/totp/enable': { unscoped: 'the caller’s own second factor' },
  'POST /api/auth/totp/disable': { unscoped: 'the caller’s own second factor' },
  'GET /api/auth/api-keys': { unscoped: 'the caller’s own API keys' },
  'POST /api/auth/api-keys': { unscoped: 'the caller’s own API keys' },
  'DELETE /api/auth/api-keys/:id': {
    unscoped: 'the caller’s own API keys',
    check: async ({ c }) => {
      // Someone else's key is not found, and stays live.
      const other = await t.login('admin');
      const key = await other.post<{ id: number; key: string }>('/api/auth/api-keys', { name: 'not yours' });
      expect((await c.delete(`/api/auth/api-keys/${key.body.id}`)).status).toBe(404);
      expect((await t.withApiKey(key.body.key).get('/api/auth/me')).status).toBe(200);
    },
  },
  'GET /api/users': {
    list: {
      call: ({ c }) => c.get('/api/users?pageSize=200'),
      check: (res, { actor }) => {
        if (actor.name === 'gridworker') return expect(res.status).toBe(403);
        expect(res.status).toBe(200);
        const list = items(res) as { username: string; assignments: { node: { path: string } }[] }[];
        expect(list.length).toBeGreaterThan(0);
        for (const u of list)
          expect(
            u.assignments.some((a) => withinAny(a.node.path, [actor.scope().path])),
            u.username,
          ).toBe(true);
      },
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/users?node=${n.id}&pageSize=200`)],
      inside: async (res, _x, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { id: number; assignments: { node: { path: string } }[] }[];
        for (const u of list) expect(u.assignments.some((a) => a.node.path.startsWith(n.path))).toBe(true);
        const expected = await db
          .selectFrom('role_assignments as a')
          .innerJoin('nodes as nd', 'nd.id', 'a.node_id')
          .select('a.user_id')
          .distinct()
          .where('nd.path', '>=', n.path)
          .where('nd.path', '<', n.path.slice(0, -1) + '0')
          .execute();
        expect(list.map((u) => u.id).sort((a, b) => a - b)).toEqual(
          expected
            .map((e) => e.user_id)
            .sort((a, b) => a - b)
            .slice(0, 200),
        );
      },
    },
  },
  'GET /api/users/:id': {
    node: {
      call: async ({ c }, n) => [await c.get(`/api/users/${(await probeUser(n)).id}`)],
      inside: (res, _x, n) => {
        expect(res.status).toBe(200);
        expect(
          (res.body as { assignments: { node: { id: number } }[] }).assignments.map((a) => a.node.id),
        ).toEqual([n.id]);
      },
    },
  },
  'POST /api/users': {
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/users', {
          username: `made${++probeSeq}`,
          displayName: 'matrix',
          password: 'long-enough-password',
          assignments: [{ roleId: await roleIdOf(db, 'village_cadre'), nodeId: n.id }],
        }),
      ],
      inside: (res, _x, n) => {
        expect(res.status).toBe(201);
        expect((res.body as { assignments: { node: { id: number } }[] }).assignments[0]!.node.id).toBe(n.id);
      },
    },
  },
  'PATCH /api/users/:id': {
    node: {
      call: async ({ c }, n) => [
        await c.patch(`/api/users/${(await probeUser(n)).id}`, { displayName: 'renamed by matrix' }),
      ],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { displayName: string }).displayName).toBe('renamed by matrix');
      },
    },
  },
  'POST /api/users/:id/password': {
    node: {
      call: async ({ c }, n) => [
        await c.post(`/api/users/${(await probeUser(n)).id}/password`, {
          newPassword: 'another-long-password',
        }),
      ],
      inside: (res) => expect(res.status).toBe(200),
    },
  },
  'POST /api/users/:id/assignments': {
    node: {
      call: async ({ c, actor }, n, where) => {
        const roleId = await roleIdOf(db, 'volunteer');
        const out = [
          await c.post(`/api/users/${(await probeUser(n)).id}/assignments`, { roleId, nodeId: n.id }),
        ];
        // Outside: also grant one of the caller's own users a role at the foreign node.
        if (where === 'outside')
          out.push(
            await c.post(`/api/users/${(await probeUser(actor.scope())).id}/assignments`, {
              roleId,
              nodeId: n.id,
            }),
          );
        return out;
      },
      inside: (res) => {
        expect(res.status).toBe(201);
        expect((res.body as { assignments: unknown[] }).assignments).toHaveLength(2);
      },
    },
  },
  'DELETE /api/users/:id/assignments/:assignmentId': {
    node: {
      call: async ({ c }, n) => {
        const p = await probeUser(n);
        // A second assignment keeps the probe visible after the first is removed.
        await db
          .insertInto('role_assignments')
          .values({
            user_id: p.id,
            role_id: await roleIdOf(db, 'volunteer'),
            node_id: n.id,
            created_at: new Date().toISOString(),
          })
          .execute();
        return [await c.delete(`/api/users/${p.id}/assignments/${p.assignmentId}`)];
      },
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { assignments: unknown[] }).assignments).toHaveLength(1);
      },
    },
  },
  'GET /api/roles': { unscoped: 'roles are district-wide definitions' },
  'GET /api/permissions': { unscoped: 'the static permissions registry' },
  'POST /api/roles': {
    unscoped: 'roles are district-wide; only a district-root administrator edits them',
    check: async ({ c }) => {
      expect(
        (
          await c.post('/api/roles', {
            code: `r${++probeSeq}`,
            nameZh: '角色',
            nameEn: 'Role',
            permissions: ['nodes.read'],
          })
        ).status,
      ).toBe(403);
    },
  },
  'PATCH /api/roles/:id': {
    unscoped: 'roles are district-wide; only a district-root administrator edits them',
    check: async ({ c }) => {
      expect(
        (await c.patch(`/api/roles/${await roleIdOf(db, 'grid_worker')}`, { nameEn: 'Hijacked' })).status,
      ).toBe(403);
    },
  },
  // ------------------------------ audit
  'GET /api/audit': {
    list: {
      call: ({ c }) => c.get('/api/audit?pageSize=200'),
      check: (res, { actor }) => {
        if (actor.name !== 'townadmin') return expect(res.status).toBe(403);
        expect(res.status).toBe(200);
        const list = items(res) as { nodePath: string | null }[];
        expect(list.length).toBeGreaterThan(0);
        for (const i of list)
          expect(i.nodePath !== null && withinAny(i.nodePath, [actor.scope().path]), String(i.nodePath)).toBe(
            true,
          );
      },
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/audit?node=${n.id}&pageSize=200`)],
      inside: (res, _x, n) => {
        expect(res.status).toBe(200);
        for (const i of items(res) as { nodePath: string | null }[])
          expect(i.nodePath?.startsWith(n.path), String(i.nodePath)).toBe(true);
      },
    },
  },
  'GET /api/audit/verify': {
    unscoped: 'the whole chain; only an auditor at a tree root',
    check: async ({ c }) => expect((await c.get('/api/audit/verify')).status).toBe(403),
  },
  'GET /api/audit/anchors': {
    unscoped: 'the whole chain’s anchors; only an auditor at a tree root',
    check: async ({ c }) => expect((await c.get('/api/audit/anchors')).status).toBe(403),
  },
  'POST /api/audit/anchors': {
    unscoped: 'anchors the whole chain; only an auditor at a tree root',
    check: async ({ c }) => expect((await c.post('/api/audit/anchors')).status).toBe(403),
  },
  // ------------------------------ people
  'GET /api/people': {
    list: {
      call: ({ c }) => c.get('/api/people?pageSize=200'),
      check: async (res, { actor }) => {
        expect(res.status).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        expect(list.length).toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
        expect((res.body as { total: number }).total).toBe(await countUnder('persons', actor.scope().path));
      },
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/people?node=${n.id}&pageSize=200`)],
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        for (const p of await pathsOfIds(list.map((i) => i.node.id))) {
          expect(p.startsWith(n.path), p).toBe(true);
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
        }
        expect((res.body as { total: number }).total).toBe(await countUnder('persons', n.path));
      },
    },
  },
  'GET /api/people/:id': {
    node: {
      call: async ({ c }, n) => [await c.get(`/api/people/${await personAt(n)}`)],
      inside: (res) => {
        expect(res.status).toBe(200);
        const b = res.body as { id: number; idNumber: string; phone: string };
        expect(b.id).toBe(lastPersonId);
        expect(b.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
        expect(b.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
      },
    },
  },
  'POST /api/people': {
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/people', {
          name: '矩阵登记',
          noIdReason: 'child',
          nodeId: (await gridAt(n)).id,
          residenceType: 'registered',
        }),
      ],
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(201);
        const [p] = await pathsOfIds([(res.body as { node: { id: number } }).node.id]);
        expect(p!.startsWith(n.path)).toBe(true);
        expect(withinAny(p!, [actor.scope().path])).toBe(true);
      },
    },
  },
  'PATCH /api/people/:id': {
    node: {
      call: async ({ c, actor }, n, where) => {
        const out = [await c.patch(`/api/people/${await personAt(n)}`, { notes: 'matrix' })];
        // Outside: also try to move one of the caller's own people into the foreign grid.
        if (where === 'outside')
          out.push(
            await c.patch(`/api/people/${await personAt(actor.scope())}`, { nodeId: (await gridAt(n)).id }),
          );
        return out;
      },
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { notes: string }).notes).toBe('matrix');
      },
    },
  },
  'POST /api/people/:id/reveal': {
    node: {
      call: async ({ c }, n) => [
        await c.post(`/api/people/${await personAt(n)}/reveal`, { field: 'phone', reason: '矩阵核查' }),
      ],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ field: 'phone', value: personPhones.get(lastPersonId) });
      },
    },
  },
  'POST /api/people/:id/merge': {
    node: {
      call: async ({ c, actor }, n, where) => {
        const a = await personAt(n);
        const b = await personAt(n);
        const out = [await c.post(`/api/people/${a}/merge`, { otherId: b, reason: '矩阵合并' })];
        // Outside: also across the boundary, either way round.
        if (where === 'outside') {
          const own = await personAt(actor.scope());
          out.push(
            await c.post(`/api/people/${own}/merge`, { otherId: await personAt(n), reason: '矩阵合并' }),
          );
          out.push(
            await c.post(`/api/people/${await personAt(n)}/merge`, { otherId: own, reason: '矩阵合并' }),
          );
        }
        return out;
      },
      inside: async (res) => {
        expect(res.status).toBe(200);
        const survivor = (res.body as { id: number }).id;
        const merged = await db
          .selectFrom('persons')
          .select('id')
          .where('merged_into_id', '=', survivor)
          .execute();
        expect(merged).toHaveLength(1);
      },
    },
  },
  'POST /api/people/export': {
    list: {
      call: ({ c }) => c.post('/api/people/export', {}),
      check: async (res, { actor }) => {
        const paths = await exportedPaths(res);
        expect(paths.length).toBe(await countUnder('persons', actor.scope().path));
        for (const p of paths) expect(withinAny(p, [actor.scope().path]), p).toBe(true);
      },
    },
    node: {
      call: async ({ c }, n) => [await c.post('/api/people/export', { node: n.id })],
      inside: async (res, _x, n) => {
        const paths = await exportedPaths(res);
        expect(paths.length).toBe(await countUnder('persons', n.path));
        for (const p of paths) expect(p.startsWith(n.path), p).toBe(true);
      },
    },
  },
  'GET /api/people/import/template': { unscoped: 'a blank template; people.import anywhere is enough' },
  'POST /api/people/import': {
    node: {
      call: async ({ c }, n) => [await importInto(c, await gridAt(n))],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 'done', total: 1, imported: 1, rejected: 0, errors: [] });
      },
      // The grid is named in the file: a foreign grid is a row error, and nothing is written.
      outside: (res) => {
        expect(res.status).toBe(200);
        const b = res.body as PeopleImportReport;
        expect(b.imported).toBe(0);
        expect(b.errors).toEqual([expect.objectContaining({ row: 2, column: '所属网格' })]);
      },
    },
  },
  'GET /api/people/imports/by-ref/:ref': {
    unscoped: 'the caller’s own imports, by the ref they gave',
    check: async ({ c, actor }) => {
      const admin = await t.login('admin');
      const ref = `matrix-${++importSeq}`;
      expect((await importInto(admin, tree.grids[0]!, { ref })).status).toBe(200);
      const theirs = await c.get(`/api/people/imports/by-ref/${ref}`);
      if (!(await holdsPermission(c, 'people.import'))) return expect(theirs.status).toBe(403);
      expect(theirs.status).toBe(404);
      const own = `matrix-own-${++importSeq}`;
      expect((await importInto(c, await gridAt(actor.scope()), { ref: own })).status).toBe(200);
      expect((await c.get(`/api/people/imports/by-ref/${own}`)).status).toBe(200);
    },
  },
  'GET /api/people/imports/:id/errors.xlsx': {
    unscoped: 'only the importer’s own job',
    check: async ({ c }) => {
      const admin = await t.login('admin');
      const job = await importInto(admin, tree.grids[0]!, { badRow: true });
      expect(job.body.errorWorkbook).not.toBeNull();
      expect((await admin.get(job.body.errorWorkbook!)).status).toBe(200);
      expect((await c.get(job.body.errorWorkbook!)).status).toBe(
        (await holdsPermission(c, 'people.import')) ? 404 : 403,
      );
    },
  },
  'GET /api/households': {
    list: {
      call: ({ c }) => c.get('/api/households?pageSize=200'),
      check: async (res, { actor }) => {
        expect(res.status).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        expect(list.length).toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
        expect((res.body as { total: number }).total).toBe(
          await countUnder('households', actor.scope().path),
        );
      },
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/households?node=${n.id}&pageSize=200`)],
      inside: async (res, _x, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(p.startsWith(n.path), p).toBe(true);
        expect((res.body as { total: number }).total).toBe(await countUnder('households', n.path));
      },
    },
  },
  'GET /api/households/:id': {
    node: {
      call: async ({ c }, n) => [await c.get(`/api/households/${await householdAt(n)}`)],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { memberCount: number }).memberCount).toBe(1);
      },
    },
  },
  'GET /api/tags': { unscoped: 'the district-wide tag list' },
  'POST /api/tags': {
    unscoped: 'tags are district-wide; only a district-root administrator edits them',
    check: async ({ c }) => {
      const code = `t${++probeSeq}x`;
      expect((await c.post('/api/tags', { code, nameZh: '标签', nameEn: 'Tag' })).status).toBe(403);
      expect(
        await db.selectFrom('tags').select('code').where('code', '=', code).executeTakeFirst(),
      ).toBeUndefined();
    },
  },
  'PATCH /api/tags/:code': {
    unscoped: 'tags are district-wide; only a district-root administrator edits them',
    check: async ({ c }) => {
      expect((await c.patch('/api/tags/key_care', { nameEn: 'Hijacked' })).status).toBe(403);
      expect((await c.patch('/api/tags/key_care', { retired: true })).status).toBe(403);
      const tag = await db
        .selectFrom('tags')
        .selectAll()
        .where('code', '=', 'key_care')
        .executeTakeFirstOrThrow();
      expect(tag).toMatchObject({ name_en: 'Key care', retired_at: null });
    },
  },
  // ------------------------------ events (joint handling)
  // These run for the whole cast. Events are reported by the district admin at the target node.
  'POST /api/events': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/events', {
          categoryId: categoryId('environment.garbage'),
          title: `矩阵上报${++eventSeq}`,
          description: '矩阵测试',
          nodeId: n.id,
        }),
      ],
      inside: async (res, { actor }, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const e = (res.body as { event: { id: number; node: { id: number }; state: string } }).event;
        expect(e).toMatchObject({ node: { id: n.id }, state: 'reported' });
        expect(withinAny((await eventRow(e.id)).node_path, [actor.scope().path])).toBe(true);
      },
      // Refused, and nothing was written.
      outside: async (res) => {
        expect(res.status).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        const title = `矩阵上报${eventSeq}`;
        expect(
          await db.selectFrom('events').select('id').where('title', '=', title).executeTakeFirst(),
        ).toBeUndefined();
      },
    },
  },
  'GET /api/events': {
    wholeCast: true,
    list: {
      call: ({ c }) => c.get('/api/events?pageSize=200'),
      check: async (res, { actor }) => {
        expect(res.status).toBe(200);
        const list = items(res) as { id: number; node: { id: number } }[];
        expect(list.length).toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
        const total = (res.body as { total: number }).total;
        expect(total).toBe(await countUnder('events', actor.scope().path));
        const [lo, hi] = subtreeRange(actor.scope().path);
        const ids = await db
          .selectFrom('events')
          .select('id')
          .where('node_path', '>=', lo)
          .where('node_path', '<', hi)
          .execute();
        if (total <= 200)
          expect(list.map((i) => i.id).sort(byNumber)).toEqual(ids.map((r) => r.id).sort(byNumber));
      },
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/events?node=${n.id}&pageSize=200`)],
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        for (const p of await pathsOfIds(list.map((i) => i.node.id))) {
          expect(p.startsWith(n.path), p).toBe(true);
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
        }
        expect((res.body as { total: number }).total).toBe(await countUnder('events', n.path));
      },
      // A list filters rather than refuses: aimed outside, it holds only what also lies inside the scope.
      outside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        for (const p of await pathsOfIds(list.map((i) => i.node.id))) {
          expect(p.startsWith(n.path), p).toBe(true);
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
        }
        const overlap = isWithin(actor.scope().path, n.path) ? actor.scope().path : null;
        expect((res.body as { total: number }).total).toBe(overlap ? await countUnder('events', overlap) : 0);
      },
    },
  },
  'GET /api/events/tasks': {
    wholeCast: true,
    list: {
      call: ({ c }) => c.get('/api/events/tasks'),
      // Exactly: triage where the caller owns, verification in their grids (no cast member is in a department).
      check: async (res, { actor, c }) => {
        expect(res.status).toBe(200);
        const got = (items(res) as { id: number }[]).map((i) => i.id).sort(byNumber);
        const triage = await holdsPermission(c, 'events.triage');
        const verify = await holdsPermission(c, 'events.verify');
        const scope = actor.scope().path;
        const rows = await db
          .selectFrom('events')
          .select(['id', 'node_path', 'owner_path', 'state'])
          .execute();
        const expected = rows
          .filter(
            (e) =>
              isWithin(e.node_path, scope) &&
              ((triage && isWithin(e.owner_path, scope) && TRIAGE_STATES.includes(e.state)) ||
                (verify && e.state === 'handled')),
          )
          .map((e) => e.id)
          .sort(byNumber);
        if (expected.length < 200) expect(got).toEqual(expected);
        else for (const id of got) expect(expected).toContain(id);
        if (triage || verify) expect(got.length).toBeGreaterThan(0);
      },
    },
  },
  'GET /api/events/kpis': {
    wholeCast: true,
    // Without ?node= the KPIs are of the caller's own root; every event under it was received today.
    list: {
      call: ({ c }) => c.get(`/api/events/kpis?${kpiWindow()}`),
      check: async (res, { actor }) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const b = res.body as KpiBody;
        expect(b.node.id).toBe(actor.scope().id);
        expect(b.figures.received).toBe(await countUnder('events', actor.scope().path));
      },
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/events/kpis?node=${n.id}&${kpiWindow()}`)],
      inside: async (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const b = res.body as KpiBody;
        expect(b.node.id).toBe(n.id);
        expect(b.figures.received).toBe(await countUnder('events', n.path));
        // The drill-down is n's own children, each counting only its subtree.
        const children = await db
          .selectFrom('nodes')
          .select(['id', 'path'])
          .where('parent_id', '=', n.id)
          .where('retired_at', 'is', null)
          .execute();
        expect(b.children.map((x) => x.node.id).sort(byNumber)).toEqual(
          children.map((x) => x.id).sort(byNumber),
        );
        for (const child of children)
          expect(b.children.find((x) => x.node.id === child.id)!.figures.received).toBe(
            await countUnder('events', child.path),
          );
      },
    },
  },
  'POST /api/events/export': {
    wholeCast: true,
    list: {
      call: ({ c }) => c.post('/api/events/export', {}),
      check: (res, { actor }) => checkEventExport(res, actor.scope().path),
    },
    node: {
      call: async ({ c }, n) => [await c.post('/api/events/export', { node: n.id })],
      inside: (res, _x, n) => checkEventExport(res, n.path),
      // Like the list it exports: aimed outside, it holds only what also lies inside the scope.
      outside: (res, { actor }, n) => checkEventExport(res, overlapOf(actor.scope().path, n.path)),
    },
  },
  'GET /api/events/points': {
    wholeCast: true,
    list: {
      call: async ({ c, actor }) => {
        await pointAt(actor.scope());
        return c.get('/api/events/points');
      },
      check: (res, { actor }) => checkEventPoints(res, actor.scope().path, true),
    },
    node: {
      call: async ({ c }, n) => {
        await pointAt(n);
        return [await c.get(`/api/events/points?node=${n.id}`)];
      },
      inside: (res, _x, n) => checkEventPoints(res, n.path, true),
      outside: (res, { actor }, n) => checkEventPoints(res, overlapOf(actor.scope().path, n.path)),
    },
  },
  'GET /api/events/:id': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [await c.get(`/api/events/${await eventAt(n)}`)],
      inside: async (res, { c }, n) => {
        expect(res.status).toBe(200);
        const b = res.body as { id: number; node: { id: number }; actions: string[] };
        expect(b).toMatchObject({ id: lastEventId, node: { id: n.id } });
        // The actions offered follow the caller's roles: filing only for who triages (the event is owned at n).
        expect(b.actions.includes('accept')).toBe(await holdsPermission(c, 'events.triage'));
      },
    },
  },
  'POST /api/events/:id/reveal-reporter-phone': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const id = await eventWithPhoneAt(n);
        const audits = await revealAudits(id);
        const res = await c.post(`/api/events/${id}/reveal-reporter-phone`, { reason: '矩阵回访' });
        revealedOn.set(res, { id, audits });
        return [res];
      },
      // Inside: the clear phone and one audit row for who holds events.reveal (the grid worker does not).
      inside: async (res, { c }) => {
        const aim = revealedOn.get(res)!;
        if (await holdsPermission(c, 'events.reveal')) {
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(res.body).toEqual({ phone: `+86${eventPhones.get(aim.id)}` });
          expect(await revealAudits(aim.id)).toBe(aim.audits + 1);
        } else {
          expect(res.status, JSON.stringify(res.body)).toBe(403);
          expect(await revealAudits(aim.id)).toBe(aim.audits);
        }
      },
      outside: async (res) => {
        const aim = revealedOn.get(res)!;
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        // The request id is a random UUID: four digits of a phone can turn up in it by chance.
        const { requestId: _requestId, ...problemBody } = res.body as { requestId?: string };
        expect(JSON.stringify(problemBody)).not.toContain(eventPhones.get(aim.id)!.slice(-4));
        expect(await revealAudits(aim.id)).toBe(aim.audits);
      },
    },
  },
  'POST /api/event-photos': {
    unscoped: 'holds an upload for the caller; claiming it is scoped by the report or step that uses it',
    wholeCast: true,
    check: async ({ c }) => {
      const res = await c.request<{ token: string }>({
        method: 'POST',
        url: '/api/event-photos',
        ...multipart([{ name: 'file', filename: 'p.png', data: TINY_PNG, contentType: 'image/png' }]),
      });
      const mayUpload = (
        await Promise.all(
          ['events.report', 'events.handle', 'events.verify'].map((p) => holdsPermission(c, p)),
        )
      ).some(Boolean);
      if (!mayUpload) return expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    },
  },
  'GET /api/events/:id/photos/:photoId': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const up = await adminClient.request<{ token: string }>({
          method: 'POST',
          url: '/api/event-photos',
          ...multipart([{ name: 'file', filename: 'p.png', data: TINY_PNG, contentType: 'image/png' }]),
        });
        const res = await adminClient.post<{
          event: { id: number; history: { photos: { id: number }[] }[] };
        }>('/api/events', {
          categoryId: categoryId('environment.garbage'),
          title: `矩阵照片${++eventSeq}`,
          description: '矩阵测试',
          nodeId: n.id,
          photos: [up.body.token],
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const photoId = res.body.event.history[0]!.photos[0]!.id;
        return [await c.get(`/api/events/${res.body.event.id}/photos/${photoId}`)];
      },
      inside: (res) => {
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('image/png');
        expect(res.raw.rawPayload.equals(TINY_PNG)).toBe(true);
      },
      outside: (res) => {
        expect(res.status).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      },
    },
  },
  'POST /api/events/:id/actions': {
    wholeCast: true,
    node: {
      call: async ({ c }, n, where) => {
        const out: Res[] = [];
        const send = async (
          id: number,
          body: Record<string, unknown>,
          need: Pick<Aim, 'permission' | 'at' | 'to'>,
        ) => {
          const from = (await eventRow(id)).state;
          const history = await historyLength(id);
          const res = await c.post(`/api/events/${id}/actions`, body);
          actedOn.set(res, { id, from, history, ...need });
          out.push(res);
        };
        // Filing is triage where the event is owned: a grid-level category is owned at n, a town-level
        // one by the town above n (out of a village cadre's hands even inside the village).
        for (const category of ['environment.garbage', 'environment.sewage']) {
          const id = await eventAt(n, category);
          const triage = { permission: 'events.triage', at: 'owner_path', to: 'accepted' } as const;
          await send(id, { action: 'accept' }, triage);
          // Outside: closing it is refused as well.
          if (where === 'outside')
            await send(
              id,
              { action: 'close', closeReason: 'cancelled', reason: '矩阵' },
              { ...triage, to: 'closed' },
            );
        }
        // Verification is for whoever verifies where the event lies.
        const handled = await handledEventAt(n);
        await send(
          handled,
          { action: 'verify_pass' },
          { permission: 'events.verify', at: 'node_path', to: 'closed' },
        );
        return out;
      },
      inside: async (res, { actor, c }) => {
        const aim = actedOn.get(res)!;
        const e = await eventRow(aim.id);
        if ((await holdsPermission(c, aim.permission)) && isWithin(e[aim.at], actor.scope().path)) {
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect((res.body as { state: string }).state).toBe(aim.to);
          expect(e.state).toBe(aim.to);
          expect(await historyLength(aim.id)).toBe(aim.history + 1);
        } else {
          expect(res.status, JSON.stringify(res.body)).toBe(403);
          expect(e.state).toBe(aim.from);
          expect(await historyLength(aim.id)).toBe(aim.history);
        }
      },
      // Refused whatever the action, and the event is as it was.
      outside: async (res) => {
        const aim = actedOn.get(res)!;
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        expect((await eventRow(aim.id)).state).toBe(aim.from);
        expect(await historyLength(aim.id)).toBe(aim.history);
      },
    },
  },
  'POST /api/events/sweep': {
    unscoped: 'escalates past-due events district-wide; only a district-root administrator runs it',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const res = await c.post<{ escalated: number }>('/api/events/sweep');
      if (!isDistrictAdmin(actor)) return expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.status).toBe(200);
      expect(res.body.escalated).toBeGreaterThanOrEqual(0);
    },
  },
  'GET /api/public/event-categories': {
    unscoped: 'public: the categories a resident may report',
    check: async () => {
      const res = await t.anon().get('/api/public/event-categories');
      expect(res.status).toBe(200);
      const list = items(res) as {
        code: string;
        isPublic: boolean;
        retired: boolean;
        parentId: number | null;
      }[];
      expect(list.map((x) => x.code)).toContain('environment.garbage');
      // Police leads and other staff-only sub-categories are not offered.
      expect(list.map((x) => x.code)).not.toContain('security.suspicious');
      for (const x of list) {
        expect(x.retired, x.code).toBe(false);
        if (x.parentId !== null) expect(x.isPublic, x.code).toBe(true);
      }
    },
  },
  'POST /api/public/events': {
    unscoped: 'public: the resident’s report form',
    check: async ({ actor }) => {
      const anon = t.anon();
      const ok = await anon.post<{ trackingCode: string }>('/api/public/events', {
        categoryId: categoryId('environment.garbage'),
        description: '矩阵群众上报',
        nodeId: actor.scope().id,
        name: '王先生',
        phone: '13812345678',
      });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      // A tracking code and nothing else: no id, no owner, no name.
      expect(Object.keys(ok.body)).toEqual(['trackingCode']);
      const bad = await anon.post('/api/public/events', {
        categoryId: categoryId('security.suspicious'),
        description: '非公开类别',
        nodeId: actor.scope().id,
      });
      expect(bad.status).toBe(400);
    },
  },
  'POST /api/public/event-photos': {
    unscoped: 'public: a photo for the resident’s report form, claimable only by a report without login',
    check: async () => {
      const anon = t.anon();
      const ok = await anon.request<{ token: string }>({
        method: 'POST',
        url: '/api/public/event-photos',
        ...multipart([{ name: 'file', filename: 'p.png', data: TINY_PNG, contentType: 'image/png' }]),
      });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      const bad = await anon.request({
        method: 'POST',
        url: '/api/public/event-photos',
        ...multipart([
          {
            name: 'file',
            filename: 'p.png',
            data: Buffer.from('<script>alert(1)</script>'),
            contentType: 'image/png',
          },
        ]),
      });
      expect(bad.status).toBe(400);
    },
  },
  'GET /api/public/events/:code': {
    unscoped: 'public: tracking by code, without personal data',
    check: async ({ actor }) => {
      const anon = t.anon();
      const pub = await anon.post<{ trackingCode: string }>('/api/public/events', {
        categoryId: categoryId('environment.garbage'),
        description: '矩阵跟踪',
        nodeId: actor.scope().id,
        name: '李女士',
        phone: '13912345678',
      });
      const res = await anon.get(`/api/public/events/${pub.body.trackingCode}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ trackingCode: pub.body.trackingCode, state: 'reported' });
      for (const secret of ['李女士', '5678', actor.scope().name])
        expect(JSON.stringify(res.body)).not.toContain(secret);
      expect((await anon.get('/api/public/events/LAZZZZZZZZZZ')).status).toBe(404);
    },
  },
  'POST /api/public/events/:code/evaluation': {
    unscoped: 'public: the resident rates a closed report by its code',
    check: async ({ actor }) => {
      const anon = t.anon();
      expect(
        (await anon.post('/api/public/events/LAZZZZZZZZZZ/evaluation', { satisfied: true })).status,
      ).toBe(404);
      const pub = await anon.post<{ trackingCode: string }>('/api/public/events', {
        categoryId: categoryId('environment.garbage'),
        description: '矩阵评价',
        nodeId: actor.scope().id,
      });
      const code = pub.body.trackingCode;
      const url = `/api/public/events/${code}/evaluation`;
      // Not closed yet: nothing to rate.
      expect((await anon.post(url, { satisfied: true })).status).toBe(409);
      const { id } = await db
        .selectFrom('events')
        .select('id')
        .where('tracking_code', '=', code)
        .executeTakeFirstOrThrow();
      const closed = await adminClient.post(`/api/events/${id}/actions`, {
        action: 'close',
        closeReason: 'cancelled',
        reason: '矩阵',
      });
      expect(closed.status).toBe(200);
      const rated = await anon.post(url, { satisfied: true });
      expect(rated.status).toBe(200);
      expect(rated.body).toMatchObject({ state: 'evaluated', canEvaluate: false });
      // A staff report is not rated from the public page.
      const staff = await db
        .selectFrom('events')
        .select('tracking_code')
        .where('id', '=', await eventAt(actor.scope()))
        .executeTakeFirstOrThrow();
      expect(
        (await anon.post(`/api/public/events/${staff.tracking_code}/evaluation`, { satisfied: true })).status,
      ).toBe(409);
    },
  },
  'GET /api/event-categories': { unscoped: 'the district-wide category taxonomy' },
  'POST /api/event-categories': {
    unscoped: 'categories are district-wide; only a district-root administrator adds them',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const code = `matrix${++probeSeq}`;
      const res = await c.post('/api/event-categories', {
        parentId: null,
        code,
        nameZh: '矩阵',
        nameEn: 'Matrix',
      });
      const row = await db
        .selectFrom('event_categories')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirst();
      if (!isDistrictAdmin(actor)) {
        expect(res.status).toBe(403);
        return expect(row).toBeUndefined();
      }
      expect(res.status).toBe(200);
      expect(row).toBeDefined();
    },
  },
  'PATCH /api/event-categories/:id': {
    unscoped: 'categories are district-wide; only a district-root administrator edits them',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const id = categoryId('environment.garbage');
      const before = await db
        .selectFrom('event_categories')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      if (!isDistrictAdmin(actor)) {
        expect((await c.patch(`/api/event-categories/${id}`, { nameEn: 'Hijacked' })).status).toBe(403);
        expect((await c.patch(`/api/event-categories/${id}`, { retired: true })).status).toBe(403);
        expect((await c.patch(`/api/event-categories/${id}`, { handleHours: 1 })).status).toBe(403);
        const after = await db
          .selectFrom('event_categories')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return expect(after).toEqual(before);
      }
      // The admin edits a category of their own, not one the other cases report with.
      const made = await c.post<{ id: number }>('/api/event-categories', {
        parentId: null,
        code: `matrix${++probeSeq}`,
        nameZh: '矩阵',
        nameEn: 'Matrix',
      });
      const res = await c.patch(`/api/event-categories/${made.body.id}`, { nameEn: 'Edited' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: made.body.id, nameEn: 'Edited' });
    },
  },
  'GET /api/departments': {
    wholeCast: true,
    // Whoever dispatches (events.triage) or manages departments sees those in their jurisdiction; others none.
    list: {
      call: ({ c }) => c.get('/api/departments'),
      check: async (res, { actor, c }) => {
        expect(res.status).toBe(200);
        const sees =
          (await holdsPermission(c, 'events.triage')) || (await holdsPermission(c, 'departments.manage'));
        const rows = await db.selectFrom('departments').select(['id', 'node_path']).execute();
        const expected = sees
          ? rows.filter((d) => isWithin(d.node_path, actor.scope().path)).map((d) => d.id)
          : [];
        expect((items(res) as { id: number }[]).map((d) => d.id).sort(byNumber)).toEqual(
          expected.sort(byNumber),
        );
      },
    },
    // With ?node=: the departments serving the place (at it or above it, wherever) and those below it.
    node: {
      call: async ({ c }, n) => [await c.get(`/api/departments?node=${n.id}`)],
      inside: async (res, { c }, n) => {
        if (!(await holdsPermission(c, 'events.triage')) && !(await holdsPermission(c, 'departments.manage')))
          return expect(res.body).toMatchObject({ status: 400, code: 'department.scope' });
        expect(res.status).toBe(200);
        const rows = await db.selectFrom('departments').select(['id', 'node_path']).execute();
        const expected = rows
          .filter((d) => isWithin(n.path, d.node_path) || isWithin(d.node_path, n.path))
          .map((d) => d.id);
        expect((items(res) as { id: number }[]).map((d) => d.id).sort(byNumber)).toEqual(
          expected.sort(byNumber),
        );
      },
      // Refused as a bad filter (400 department.scope), not listed.
      outside: (res) => {
        expect(res.body).toMatchObject({ status: 400, code: 'department.scope' });
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      },
    },
  },
  'POST /api/departments': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/departments', {
          nodeId: n.id,
          kind: 'police',
          name: `矩阵新部门${++departmentSeq}`,
        }),
      ],
      inside: (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ node: { id: n.id }, kind: 'police', members: [] });
      },
      outside: async (res) => {
        expect(res.status).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        const name = `矩阵新部门${departmentSeq}`;
        expect(
          await db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirst(),
        ).toBeUndefined();
      },
    },
  },
  'PATCH /api/departments/:id': {
    wholeCast: true,
    node: {
      call: async ({ c }, n, where) => {
        const id = await departmentAt(n);
        const name = `矩阵部门${departmentSeq}`;
        const out = [await c.patch(`/api/departments/${id}`, { name: 'renamed by matrix' })];
        if (where === 'inside') return out;
        // Outside: retiring it is refused as well, and the department is as it was.
        out.push(await c.patch(`/api/departments/${id}`, { retired: true }));
        const row = await db
          .selectFrom('departments')
          .select(['name', 'retired_at'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        expect(row).toEqual({ name, retired_at: null });
        return out;
      },
      inside: (res) => {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ name: 'renamed by matrix', retired: false });
      },
    },
  },
  'POST /api/departments/:id/members': {
    wholeCast: true,
    node: {
      call: async ({ c, actor }, n, where) => {
        const id = await departmentAt(n);
        const user = await probeUser(n, 'department_handler');
        const res = await c.post(`/api/departments/${id}/members`, { userId: user.id });
        addedTo.set(res, { departmentId: id, userId: user.id });
        if (where === 'inside') return [res];
        // Outside: also pull the foreign user into a department of the caller's own.
        const own = await departmentAt(actor.scope());
        const pulled = await c.post(`/api/departments/${own}/members`, { userId: user.id });
        addedTo.set(pulled, { departmentId: own, userId: user.id });
        return [res, pulled];
      },
      inside: async (res) => {
        expect(res.status).toBe(200);
        const { departmentId, userId } = addedTo.get(res)!;
        expect((res.body as { members: { id: number }[] }).members.map((m) => m.id)).toEqual([userId]);
        expect(await membersOf(departmentId)).toEqual([userId]);
      },
      // Refused: 403, or 400 as for an unknown user (the answer must not name someone the caller
      // cannot see); and nobody was added.
      outside: async (res) => {
        expect([400, 403], JSON.stringify(res.body)).toContain(res.status);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        const { departmentId, userId } = addedTo.get(res)!;
        expect(await membersOf(departmentId)).not.toContain(userId);
      },
    },
  },
  'DELETE /api/departments/:id/members/:userId': {
    wholeCast: true,
    node: {
      call: async ({ c }, n, where) => {
        const d = await departmentWithMember(n);
        const out = [await c.delete(`/api/departments/${d.id}/members/${d.userId}`)];
        if (where === 'outside') expect(await membersOf(d.id)).toEqual([d.userId]);
        return out;
      },
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { members: unknown[] }).members).toEqual([]);
      },
    },
  },
  'GET /api/work-calendar': { unscoped: 'the district-wide work calendar' },
  'PUT /api/work-calendar/:day': {
    unscoped: 'the work calendar is district-wide; only a district-root administrator edits it',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const day = freshDay();
      const res = await c.put(`/api/work-calendar/${day}`, { kind: 'holiday', name: '矩阵假日' });
      const row = await db
        .selectFrom('work_calendar_days')
        .select('day')
        .where('day', '=', day)
        .executeTakeFirst();
      if (!isDistrictAdmin(actor)) {
        expect(res.status).toBe(403);
        return expect(row).toBeUndefined();
      }
      expect(res.status).toBe(200);
      expect(row).toBeDefined();
    },
  },
  'DELETE /api/work-calendar/:day': {
    unscoped: 'the work calendar is district-wide; only a district-root administrator edits it',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const day = freshDay();
      await db
        .insertInto('work_calendar_days')
        .values({ day, kind: 'workday', name: '矩阵调休', created_at: new Date().toISOString() })
        .execute();
      const res = await c.delete(`/api/work-calendar/${day}`);
      const row = await db
        .selectFrom('work_calendar_days')
        .select('day')
        .where('day', '=', day)
        .executeTakeFirst();
      if (!isDistrictAdmin(actor)) {
        expect(res.status).toBe(403);
        return expect(row).toBeDefined();
      }
      expect(res.status).toBe(200);
      expect(row).toBeUndefined();
    },
  },
  // Open311 keys: district-wide; only a district-root administrator sees, issues or revokes them.
  'GET /api/open311-keys': {
    unscoped: 'Open311 keys are district-wide; only a district-root administrator lists them',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const res = await c.get('/api/open311-keys');
      if (!isDistrictAdmin(actor)) return expect(res.status).toBe(403);
      expect(res.status).toBe(200);
      const count = Number(
        (
          await db
            .selectFrom('open311_keys')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(items(res)).toHaveLength(count);
      // Hashes and keys never leave the server.
      for (const k of items(res))
        expect(Object.keys(k as object).sort()).toEqual([
          'createdAt',
          'createdBy',
          'id',
          'lastUsedAt',
          'name',
          'prefix',
          'revokedAt',
        ]);
    },
  },
  'POST /api/open311-keys': {
    unscoped: 'Open311 keys are district-wide; only a district-root administrator issues them',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const name = `matrix key ${++probeSeq}`;
      const res = await c.post<{ key?: string }>('/api/open311-keys', { name });
      const row = await db
        .selectFrom('open311_keys')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirst();
      if (!isDistrictAdmin(actor)) {
        expect(res.status).toBe(403);
        return expect(row).toBeUndefined();
      }
      expect(res.status).toBe(201);
      expect(res.body.key).toMatch(/\S{16,}/);
      expect(row).toBeDefined();
    },
  },
  'DELETE /api/open311-keys/:id': {
    unscoped: 'Open311 keys are district-wide; only a district-root administrator revokes them',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const made = await adminClient.post<{ id: number }>('/api/open311-keys', {
        name: `matrix revoke ${++probeSeq}`,
      });
      expect(made.status).toBe(201);
      const res = await c.delete(`/api/open311-keys/${made.body.id}`);
      const row = await db
        .selectFrom('open311_keys')
        .select('revoked_at')
        .where('id', '=', made.body.id)
        .executeTakeFirstOrThrow();
      if (!isDistrictAdmin(actor)) {
        expect(res.status).toBe(403);
        return expect(row.revoked_at).toBeNull();
      }
      expect(res.status).toBe(200);
      expect(row.revoked_at).not.toBeNull();
    },
  },
  'GET /api/notifications': {
    unscoped: 'the caller’s own notifications',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const me = await userIdOf(db, actor.name);
      const mine = await notifyDirect(me, '矩阵通知');
      const theirs = await notifyDirect(
        await userIdOf(db, actor.name === 'admin' ? 'commander' : 'admin'),
        '别人的通知',
      );
      const res = await c.get('/api/notifications');
      expect(res.status).toBe(200);
      const ids = (items(res) as { id: number }[]).map((n) => n.id);
      expect(ids).toContain(mine);
      expect(ids).not.toContain(theirs);
      const owners = await db.selectFrom('notifications').select('user_id').where('id', 'in', ids).execute();
      expect(owners.every((o) => o.user_id === me)).toBe(true);
    },
  },
  // ------------------------------ live updates
  'GET /api/stream': {
    unscoped: 'the caller’s own stream, scoped to their jurisdiction',
    wholeCast: true,
    check: async ({ c, actor }) => {
      // A real SSE connection: updates at every node inside and outside the caller's scope, then a
      // marker at the scope root; once the marker is in, everything before it was fanned out.
      const stream = await openSse(t.app, { client: c });
      try {
        expect(stream.status).toBe(200);
        const label = (n: TreeNode, where: string) => `${actor.name} ${where} ${n.name}`;
        const say = async (n: TreeNode, text: string) => {
          await db
            .transaction()
            .execute((trx) =>
              recordLive(trx, { kind: 'matrix.update', paths: [n.path], payload: { label: text } }),
            );
          t.app.linliLive.poke();
        };
        for (const n of actor.outside()) await say(n, label(n, 'outside'));
        for (const n of actor.inside()) await say(n, label(n, 'inside'));
        const marker = `${actor.name} marker`;
        await say(actor.scope(), marker);
        await stream.waitFor((e) => e.json?.payload.label === marker);
        expect(stream.events.map((e) => e.json?.payload.label)).toEqual([
          ...actor.inside().map((n) => label(n, 'inside')),
          marker,
        ]);
      } finally {
        stream.close();
      }
    },
  },
  'POST /api/notifications/read': {
    unscoped: 'marks the caller’s own notifications read',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const mine = await notifyDirect(await userIdOf(db, actor.name), '矩阵通知');
      const theirs = await notifyDirect(
        await userIdOf(db, actor.name === 'admin' ? 'commander' : 'admin'),
        '别人的通知',
      );
      expect((await c.post('/api/notifications/read')).status).toBe(200);
      const readAt = async (id: number) =>
        (
          await db
            .selectFrom('notifications')
            .select('read_at')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).read_at;
      expect(await readAt(mine)).not.toBeNull();
      expect(await readAt(theirs)).toBeNull();
    },
  },
  // ------------------------------ daily reports
  'POST /api/report-templates': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/report-templates', {
          title: '矩阵日报',
          nodeId: n.id,
          targetLevel: n.level === 'grid' ? 'grid' : BELOW[n.level],
          dueTime: '17:00',
          startDay: '2026-01-01',
          fields: [{ code: 'n', labelZh: '人数', labelEn: 'People', type: 'integer', aggregation: 'sum' }],
        }),
      ],
      inside: (res, _x, n) => {
        // A grid has no level below it that reports.
        if (n.level === 'grid') {
          expect(res.status).toBe(400);
          expect((res.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
            'body.targetLevel',
          ]);
          return;
        }
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({
          node: { id: n.id },
          targetLevel: BELOW[n.level],
          abilities: { manage: true },
        });
      },
    },
  },
  'GET /api/report-templates': {
    wholeCast: true,
    list: {
      call: async ({ c, actor }) => {
        await readableTemplateAt(actor.scope());
        return c.get('/api/report-templates');
      },
      check: async (res, { actor }) => {
        expect(res.status).toBe(200);
        const paths = await templatePaths(res);
        expect(paths.length).toBeGreaterThan(0);
        for (const p of paths)
          expect(isWithin(p, actor.scope().path) || isWithin(actor.scope().path, p), p).toBe(true);
      },
    },
    node: {
      call: async ({ c }, n) => {
        await readableTemplateAt(n);
        return [await c.get(`/api/report-templates?node=${n.id}`)];
      },
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const paths = await templatePaths(res);
        expect(paths).toContain(n.path);
        for (const p of paths) {
          expect(isWithin(p, n.path) || isWithin(n.path, p), p).toBe(true);
          expect(isWithin(p, actor.scope().path) || isWithin(actor.scope().path, p), p).toBe(true);
        }
      },
    },
  },
  'GET /api/report-templates/:id': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [await c.get(`/api/report-templates/${await readableTemplateAt(n)}`)],
      inside: (res, _x, n) => {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ node: { id: n.id }, abilities: { view: true } });
      },
      // A template above the caller is read for their part of it; one beside them is not.
      outside: (res, { actor }, n) => {
        if (readsAncestor(actor, n)) expect(res.status).toBe(200);
        else expect(res.status).toBe(403);
      },
    },
  },
  'PATCH /api/report-templates/:id': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.patch(`/api/report-templates/${await readableTemplateAt(n)}`, { retired: true }),
      ],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { retiredAt: string | null }).retiredAt).not.toBeNull();
      },
    },
  },
  'GET /api/report-templates/:id/forms': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [await c.get(`/api/report-templates/${await readableTemplateAt(n)}/forms`)],
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        // The forms are the caller's own grids under the template's node.
        const ids = (res.body as { items: { node: { id: number } }[] }).items.map((f) => f.node.id);
        for (const p of await pathsOfIds(ids)) {
          expect(isWithin(p, n.path)).toBe(true);
          expect(isWithin(p, actor.scope().path)).toBe(true);
        }
      },
      outside: (res, { actor }, n) => {
        if (readsAncestor(actor, n)) expect(res.status).toBe(200);
        else expect(res.status).toBe(403);
      },
    },
  },
  'PUT /api/report-templates/:id/submissions': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        // The reporter: the node itself, below a template at its parent (the district reports as a town of its own).
        const reporter = n.level === 'district' ? tree.towns[1]! : n;
        const parentPath = reporter.path.slice(
          0,
          reporter.path.lastIndexOf('/', reporter.path.length - 2) + 1,
        );
        const parent = await db
          .selectFrom('nodes')
          .select(['id', 'path', 'name', 'level', 'full_code'])
          .where('path', '=', parentPath)
          .executeTakeFirstOrThrow();
        const id = await reportTemplateAt(
          {
            id: parent.id,
            path: parent.path,
            name: parent.name,
            level: parent.level,
            fullCode: parent.full_code,
          },
          reporter.level,
        );
        return [
          await c.put(`/api/report-templates/${id}/submissions`, {
            nodeId: reporter.id,
            day: shanghaiToday(),
            values: { n: 3 },
          }),
        ];
      },
      inside: (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({
          node: { id: n.level === 'district' ? tree.towns[1]!.id : n.id },
          values: { n: 3 },
        });
      },
    },
  },
  'GET /api/report-templates/:id/summary': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.get(`/api/report-templates/${await readableTemplateAt(n)}/summary?node=${n.id}`),
      ],
      inside: async (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const b = res.body as { node: { id: number }; expected: number; missing: { id: number }[] };
        expect(b.node.id).toBe(n.id);
        const [lo, hi] = subtreeRange(n.path);
        const grids = await db
          .selectFrom('nodes')
          .select('id')
          .where('path', '>=', lo)
          .where('path', '<', hi)
          .where('level', '=', 'grid')
          .where('retired_at', 'is', null)
          .execute();
        expect(b.expected).toBe(grids.length);
        for (const p of await pathsOfIds(b.missing.map((m) => m.id))) expect(isWithin(p, n.path)).toBe(true);
      },
    },
  },
  'GET /api/report-templates/:id/history': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.get(
          `/api/report-templates/${await readableTemplateAt(n)}/history?node=${n.id}&from=2026-01-01&to=2026-01-31`,
        ),
      ],
      inside: (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ node: { id: n.id } });
        expect((res.body as { days: unknown[] }).days).toHaveLength(31);
      },
    },
  },
  'POST /api/report-templates/:id/export': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.post(`/api/report-templates/${await readableTemplateAt(n)}/export`, {
          node: n.id,
          from: '2026-01-01',
          to: '2026-01-02',
        }),
      ],
      inside: async (res, _x, n) => {
        expect(res.status, String(res.body).slice(0, 200)).toBe(200);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
        expect(wb.worksheets.map((w) => w.name)).toEqual(['填报明细 Submissions', '每日汇总 Daily totals']);
        // The reporters listed are the grids under the node (missing on both days).
        const names = new Set<string>();
        wb.worksheets[0]!.eachRow((r, i) => {
          if (i > 1) names.add(cellText(r.getCell(3).value));
        });
        const [lo, hi] = subtreeRange(n.path);
        const grids = await db
          .selectFrom('nodes')
          .select('name')
          .where('path', '>=', lo)
          .where('path', '<', hi)
          .where('level', '=', 'grid')
          .where('retired_at', 'is', null)
          .execute();
        expect([...names].sort()).toEqual(grids.map((g) => g.name).sort());
      },
    },
  },

  // ------------------------------ notices
  // Views take command.read or notices.deliver scopes; the cast all hold command.read.
  'POST /api/notices': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/notices', { nodeId: n.id, title: `矩阵发布${++noticeSeq}`, body: '矩阵' }),
      ],
      inside: async (res, { actor }, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const b = res.body as { id: number; node: { id: number }; households: number };
        expect(b.node.id).toBe(n.id);
        expect(withinAny((await noticeRow(b.id)).node_path, [actor.scope().path])).toBe(true);
        expect(b.households).toBe(await noticeHouseholdsUnder(b.id, n.path));
      },
      outside: async (res) => {
        expect(res.status).toBe(403);
        expect(
          await db
            .selectFrom('notices')
            .select('id')
            .where('title', '=', `矩阵发布${noticeSeq}`)
            .executeTakeFirst(),
        ).toBeUndefined();
      },
    },
  },
  'GET /api/notices': {
    wholeCast: true,
    list: {
      call: async ({ c }) => {
        await districtNotice();
        return c.get('/api/notices?pageSize=200');
      },
      // Exactly the notices overlapping the scope, each with progress at a node inside the scope.
      check: async (res, { actor }) => {
        expect(res.status).toBe(200);
        const list = items(res) as { id: number; progress: { node: { id: number } } }[];
        const all = await db.selectFrom('notices').select(['id', 'node_path']).execute();
        const want = all.filter((n) => overlaps(n.node_path, actor.scope().path)).map((n) => n.id);
        expect(want.length).toBeGreaterThan(0);
        expect(list.map((i) => i.id).sort(byNumber)).toEqual(want.sort(byNumber));
        for (const p of await pathsOfIds(list.map((i) => i.progress.node.id)))
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
      },
    },
    node: {
      call: async ({ c }, n) => {
        await districtNotice();
        return [await c.get(`/api/notices?node=${n.id}&pageSize=200`)];
      },
      inside: async (res, _x, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { id: number; progress: { node: { id: number } } }[];
        const all = await db.selectFrom('notices').select(['id', 'node_path']).execute();
        expect(list.map((i) => i.id).sort(byNumber)).toEqual(
          all
            .filter((x) => overlaps(x.node_path, n.path))
            .map((x) => x.id)
            .sort(byNumber),
        );
        for (const p of await pathsOfIds(list.map((i) => i.progress.node.id)))
          expect(isWithin(p, n.path), p).toBe(true);
      },
    },
  },
  'GET /api/notices/:id': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [await c.get(`/api/notices/${await districtNotice()}?node=${n.id}`)],
      inside: async (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const b = res.body as {
          progress: { node: { id: number }; households: number };
          children: { node: { id: number } }[];
        };
        expect(b.progress.node.id).toBe(n.id);
        expect(b.progress.households).toBe(await noticeHouseholdsUnder(await districtNotice(), n.path));
        for (const ch of await db
          .selectFrom('nodes')
          .select(['id', 'parent_id'])
          .where('id', 'in', [0, ...b.children.map((x) => x.node.id)])
          .execute())
          expect(ch.parent_id).toBe(n.id);
      },
    },
  },
  'GET /api/notices/:id/households': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.get(`/api/notices/${await districtNotice()}/households?node=${n.id}&pageSize=200`),
      ],
      inside: async (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(isWithin(p, n.path), p).toBe(true);
        expect((res.body as { total: number }).total).toBe(
          await noticeHouseholdsUnder(await districtNotice(), n.path),
        );
      },
    },
  },
  'POST /api/notices/:id/deliveries': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const aim = await noticeWithHouseholdAt(n);
        const res = await c.post(`/api/notices/${aim.noticeId}/deliveries`, {
          householdIds: [aim.householdId],
          method: 'door',
        });
        deliveredTo.set(res, aim);
        return [res];
      },
      inside: async (res, { c }) => {
        const aim = deliveredTo.get(res)!;
        if (await holdsPermission(c, 'notices.deliver')) {
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(res.body).toEqual({ delivered: [aim.householdId], skipped: [] });
          expect(await deliveryOf(aim.noticeId, aim.householdId)).toBeDefined();
        } else {
          expect(res.status).toBe(403);
          expect(await deliveryOf(aim.noticeId, aim.householdId)).toBeUndefined();
        }
      },
      outside: async (res) => {
        const aim = deliveredTo.get(res)!;
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(await deliveryOf(aim.noticeId, aim.householdId)).toBeUndefined();
      },
    },
  },
  'DELETE /api/notices/:id/deliveries/:householdId': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const aim = await noticeWithHouseholdAt(n);
        const given = await adminClient.post(`/api/notices/${aim.noticeId}/deliveries`, {
          householdIds: [aim.householdId],
          method: 'door',
        });
        expect(given.status, JSON.stringify(given.body)).toBe(200);
        const res = await c.delete(`/api/notices/${aim.noticeId}/deliveries/${aim.householdId}`);
        deliveredTo.set(res, aim);
        return [res];
      },
      inside: async (res, { c }) => {
        const aim = deliveredTo.get(res)!;
        if (await holdsPermission(c, 'notices.deliver')) {
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(await deliveryOf(aim.noticeId, aim.householdId)).toBeUndefined();
        } else {
          expect(res.status).toBe(403);
          expect(await deliveryOf(aim.noticeId, aim.householdId)).toBeDefined();
        }
      },
      outside: async (res) => {
        const aim = deliveredTo.get(res)!;
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(await deliveryOf(aim.noticeId, aim.householdId)).toBeDefined();
      },
    },
  },
  // ------------------------------ command system: incident commands, directives, the cockpit
  // Directives and commands are made by the admin (system_admin at the district) in each call, so
  // that every call aims at a fresh one placed at the target node.
  ...((): Record<string, Case> => {
    const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    let seq = 0;
    const overlaps = (a: string, b: string) => isWithin(a, b) || isWithin(b, a);
    // Every level a target can be at: a directive to named nodes or a subtree can reach micro-grids too.
    const LEVEL_NAMES = ['town', 'village', 'grid', 'microgrid'] as const;
    type Expect = 'ok' | 'forbidden' | 'fromBelow' | 'badTargets';
    /** What a call aimed at, for the judge of its response. */
    const aims = new WeakMap<
      object,
      { directive?: number; target?: number; command?: number; title?: string; expect?: Expect }
    >();
    const aim = (
      res: Res,
      a: { directive?: number; target?: number; command?: number; title?: string; expect?: Expect },
    ) => {
      aims.set(res, a);
      return res;
    };
    const aimOf = (res: Res) => aims.get(res)!;
    const nodeOf = (r: {
      id: number;
      path: string;
      name: string;
      level: string;
      full_code: string;
    }): TreeNode => ({ id: r.id, path: r.path, name: r.name, level: r.level, fullCode: r.full_code });
    const nodeColumns = ['id', 'path', 'name', 'level', 'full_code'] as const;
    /** An active child of n, none of whose subtree touches `away` (the caller's place) when given; a scratch one when there is none. */
    async function childOf(n: TreeNode, away?: string): Promise<TreeNode> {
      const rows = await db
        .selectFrom('nodes')
        .select(nodeColumns)
        .where('parent_id', '=', n.id)
        .where('retired_at', 'is', null)
        .orderBy('path')
        .execute();
      const c = rows.find((r) => away === undefined || !overlaps(r.path, away));
      return c ? nodeOf(c) : scratchChild(db, n, BELOW[n.level]!);
    }
    async function parentOf(n: TreeNode): Promise<TreeNode | undefined> {
      const row = await db
        .selectFrom('nodes as c')
        .innerJoin('nodes as p', 'p.id', 'c.parent_id')
        .select(['p.id', 'p.path', 'p.name', 'p.level', 'p.full_code'])
        .where('c.id', '=', n.id)
        .executeTakeFirst();
      return row ? nodeOf(row) : undefined;
    }
    /** A directive the admin issues from n to the given nodes, with its targets' ids in the same order. */
    async function directiveAt(n: TreeNode, to: TreeNode[]): Promise<{ id: number; targets: number[] }> {
      const res = await adminClient.post<{ id: number }>('/api/directives', {
        issuerNodeId: n.id,
        title: `矩阵指令${++seq}`,
        body: '矩阵测试',
        targets: { kind: 'nodes', nodeIds: to.map((x) => x.id) },
        signDueAt: inHours(2),
        reportDueAt: inHours(24),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const rows = await db
        .selectFrom('directive_targets')
        .select(['id', 'node_id'])
        .where('directive_id', '=', res.body.id)
        .execute();
      return { id: res.body.id, targets: to.map((x) => rows.find((r) => r.node_id === x.id)!.id) };
    }
    /** A pending target at n, sent by the admin from the node above; none at the district, which is never a target. */
    async function targetAt(n: TreeNode): Promise<{ directive: number; target: number } | undefined> {
      const up = await parentOf(n);
      if (!up) return undefined;
      const d = await directiveAt(up, [n]);
      return { directive: d.id, target: d.targets[0]! };
    }
    const responders = new Map<number, Client>();
    /** Someone who answers for n (a village cadre's role placed at n): signs targets there for the report case. */
    async function responderAt(n: TreeNode): Promise<Client> {
      let c = responders.get(n.id);
      if (!c) {
        c = await t.login((await probeUser(n, 'village_cadre')).username);
        responders.set(n.id, c);
      }
      return c;
    }
    async function commandAt(n: TreeNode): Promise<number> {
      const res = await adminClient.post<{ id: number }>('/api/commands', {
        name: `矩阵指挥部${++seq}`,
        responseLevel: 'III',
        nodeId: n.id,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.id;
    }
    const targetRow = (id: number) =>
      db.selectFrom('directive_targets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    /** The caller answers for n: assigned at that very node with the permission. */
    const answersAt = async (x: Ctx, n: TreeNode, permission: string) =>
      x.actor.scope().id === n.id && (await holdsPermission(x.c, permission));
    const problem = (res: Res, status: number, label = '') => {
      expect(res.status, `${label} ${JSON.stringify(res.body)}`).toBe(status);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    };
    const inRange = (path: string, under: string) => isWithin(path, under);
    /** Per directive, the state counts a caller at `scope` may see: every target when issued inside it, else the targets inside it. */
    async function visibleDirectives(scope: string) {
      const ds = await db.selectFrom('directives').select(['id', 'issuer_node_path']).execute();
      const ts = await db
        .selectFrom('directive_targets')
        .select(['directive_id', 'node_path', 'state'])
        .execute();
      const byDirective = new Map<number, typeof ts>();
      for (const x of ts)
        (byDirective.get(x.directive_id) ?? byDirective.set(x.directive_id, []).get(x.directive_id)!).push(x);
      const out = new Map<
        number,
        {
          issued: boolean;
          received: boolean;
          counts: { total: number; pending: number; signed: number; reported: number };
        }
      >();
      for (const d of ds) {
        const all = byDirective.get(d.id) ?? [];
        const inside = all.filter((x) => isWithin(x.node_path, scope));
        const issued = isWithin(d.issuer_node_path, scope);
        if (!issued && inside.length === 0) continue;
        const seen = issued ? all : inside;
        const by = (s: string) => seen.filter((x) => x.state === s).length;
        out.set(d.id, {
          issued,
          received: inside.length > 0,
          counts: {
            total: seen.length,
            pending: by('pending'),
            signed: by('signed'),
            reported: by('reported'),
          },
        });
      }
      return out;
    }
    /** The cockpit's figures for n and its children, against direct counts of open events and of directive targets. */
    async function checkCockpit(res: Res, x: Ctx, n: TreeNode) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      type Figures = {
        eventsOpen: number;
        directivesUnsigned: Record<string, number>;
        directivesUnreported: Record<string, number>;
        directivesOverdue: Record<string, number>;
      };
      const b = res.body as {
        node: { id: number; path: string };
        figures: Figures;
        children: { node: { id: number }; figures: Figures }[];
        map: { metric: string; grids: { id: number; value: number }[] };
      };
      expect(b.node.id).toBe(n.id);
      const kids = await db
        .selectFrom('nodes')
        .select(['id', 'path'])
        .where('parent_id', '=', n.id)
        .where('retired_at', 'is', null)
        .execute();
      expect(b.children.map((c) => c.node.id).sort(byNumber)).toEqual(kids.map((k) => k.id).sort(byNumber));
      const [lo, hi] = subtreeRange(n.path);
      const open = await db
        .selectFrom('events')
        .select('node_path')
        .where('node_path', '>=', lo)
        .where('node_path', '<', hi)
        .where('state', 'in', OPEN_STATES)
        .execute();
      const targets = await db
        .selectFrom('directive_targets')
        .select(['node_path', 'node_level', 'state', 'overdue'])
        .where('node_path', '>=', lo)
        .where('node_path', '<', hi)
        .execute();
      const judge = (path: string, f: Figures) => {
        expect(f.eventsOpen, `events open under ${path}`).toBe(
          open.filter((e) => inRange(e.node_path, path)).length,
        );
        for (const level of LEVEL_NAMES) {
          const here = targets.filter((tg) => tg.node_level === level && inRange(tg.node_path, path));
          expect(f.directivesUnsigned[level], `unsigned ${level} under ${path}`).toBe(
            here.filter((tg) => tg.state === 'pending').length,
          );
          expect(f.directivesUnreported[level], `unreported ${level} under ${path}`).toBe(
            here.filter((tg) => tg.state === 'signed').length,
          );
          expect(f.directivesOverdue[level], `overdue ${level} under ${path}`).toBe(
            here.filter((tg) => Number(tg.overdue) === 1).length,
          );
        }
      };
      judge(n.path, b.figures);
      for (const c of b.children) judge(kids.find((k) => k.id === c.node.id)!.path, c.figures);
      // The map: exactly the active grids of the subtree, each with its open events or its targets not reported back.
      const mapValue = (path: string) =>
        b.map.metric === 'eventsOpen'
          ? open.filter((e) => inRange(e.node_path, path)).length
          : targets.filter(
              (tg) =>
                (LEVEL_NAMES as readonly string[]).includes(tg.node_level) &&
                tg.state !== 'reported' &&
                inRange(tg.node_path, path),
            ).length;
      expect(['eventsOpen', 'directivesPending']).toContain(b.map.metric);
      const grids = await db
        .selectFrom('nodes')
        .select(['id', 'path'])
        .where('level', '=', 'grid')
        .where('retired_at', 'is', null)
        .where('path', '>=', lo)
        .where('path', '<', hi)
        .execute();
      expect(b.map.grids.map((g) => g.id).sort(byNumber)).toEqual(grids.map((g) => g.id).sort(byNumber));
      for (const g of b.map.grids) {
        const path = grids.find((x2) => x2.id === g.id)!.path;
        expect(withinAny(path, [x.actor.scope().path]), path).toBe(true);
        expect(g.value, `${b.map.metric} on the map at ${path}`).toBe(mapValue(path));
      }
    }

    return {
      'GET /api/commands': {
        wholeCast: true,
        list: {
          call: async ({ actor, c }) => {
            // One at the caller's place, one above it (it covers them) and one elsewhere.
            const scope = actor.scope();
            await commandAt(scope);
            const up = await parentOf(scope);
            if (up) {
              await commandAt(up);
              await commandAt(await childOf(up, scope.path));
            }
            return c.get('/api/commands');
          },
          check: async (res, { actor, c }) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            const scope = actor.scope().path;
            const all = await db
              .selectFrom('incident_commands')
              .select(['id', 'node_path', 'closed_at'])
              .execute();
            const want = all.filter((x) => overlaps(x.node_path, scope));
            expect((items(res) as { id: number }[]).map((x) => x.id).sort(byNumber)).toEqual(
              want.map((x) => x.id).sort(byNumber),
            );
            const open = await c.get<{ items: { id: number; closedAt: string | null }[] }>(
              '/api/commands?open=true',
            );
            expect(open.status).toBe(200);
            expect(open.body.items.map((x) => x.id).sort(byNumber)).toEqual(
              want
                .filter((x) => x.closed_at === null)
                .map((x) => x.id)
                .sort(byNumber),
            );
          },
        },
      },
      'POST /api/commands': {
        wholeCast: true,
        node: {
          call: async ({ c }, n) => {
            const title = `矩阵新指挥部${++seq}`;
            return [
              aim(await c.post('/api/commands', { name: title, responseLevel: 'II', nodeId: n.id }), {
                title,
              }),
            ];
          },
          inside: (res, _x, n) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body).toMatchObject({
              name: aimOf(res).title,
              node: { id: n.id },
              closedAt: null,
              abilities: { close: true },
            });
          },
          outside: async (res) => {
            problem(res, 403);
            expect(
              await db
                .selectFrom('incident_commands')
                .select('id')
                .where('name', '=', aimOf(res).title!)
                .executeTakeFirst(),
            ).toBeUndefined();
          },
        },
      },
      'GET /api/commands/:id': {
        wholeCast: true,
        node: {
          call: async ({ c }, n) => {
            const id = await commandAt(n);
            return [aim(await c.get(`/api/commands/${id}`), { command: id })];
          },
          inside: (res, _x, n) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body).toMatchObject({ id: aimOf(res).command, node: { id: n.id } });
          },
          // A command over a place above the caller covers them: readable, not closable. Elsewhere: 403.
          outside: (res, { actor }, n) => {
            if (!isWithin(actor.scope().path, n.path)) return problem(res, 403);
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body).toMatchObject({
              id: aimOf(res).command,
              node: { id: n.id },
              abilities: { close: false },
            });
          },
        },
      },
      'POST /api/commands/:id/close': {
        wholeCast: true,
        node: {
          call: async ({ c }, n) => {
            const id = await commandAt(n);
            return [aim(await c.post(`/api/commands/${id}/close`, { summary: '矩阵总结' }), { command: id })];
          },
          inside: async (res) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect((res.body as { closedAt: string | null }).closedAt).not.toBeNull();
            const row = await db
              .selectFrom('incident_commands')
              .select(['closed_at', 'summary'])
              .where('id', '=', aimOf(res).command!)
              .executeTakeFirstOrThrow();
            expect(row.summary).toBe('矩阵总结');
          },
          outside: async (res) => {
            problem(res, 403);
            const row = await db
              .selectFrom('incident_commands')
              .select(['closed_at', 'summary'])
              .where('id', '=', aimOf(res).command!)
              .executeTakeFirstOrThrow();
            expect(row).toEqual({ closed_at: null, summary: null });
          },
        },
      },
      'GET /api/directives': {
        wholeCast: true,
        list: {
          call: async ({ actor, c }) => {
            // Issued at the caller's place, sent to it from above, and sent from above elsewhere.
            const scope = actor.scope();
            await directiveAt(scope, [await childOf(scope)]);
            const up = await parentOf(scope);
            if (up) {
              await directiveAt(up, [scope]);
              await directiveAt(up, [await childOf(up, scope.path)]);
            }
            return c.get('/api/directives?pageSize=200');
          },
          check: async (res, { actor, c }) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            const want = await visibleDirectives(actor.scope().path);
            const body = res.body as {
              items: {
                id: number;
                counts: { total: number; pending: number; signed: number; reported: number };
              }[];
              total: number;
            };
            expect(body.total).toBe(want.size);
            const ids = [...want.keys()].sort((a, b) => b - a).slice(0, 200);
            expect(body.items.map((d) => d.id)).toEqual(ids);
            for (const d of body.items)
              expect(d.counts, `counts of directive ${d.id}`).toMatchObject(want.get(d.id)!.counts);
            for (const box of ['issued', 'received'] as const) {
              const r = await c.get<{ items: { id: number }[]; total: number }>(
                `/api/directives?box=${box}&pageSize=200`,
              );
              expect(r.status).toBe(200);
              const boxed = [...want].filter(([, v]) => v[box]).map(([id]) => id);
              expect(r.body.total, box).toBe(boxed.length);
              expect(
                r.body.items.map((d) => d.id),
                box,
              ).toEqual(boxed.sort((a, b) => b - a).slice(0, 200));
            }
          },
        },
      },
      'POST /api/directives': {
        wholeCast: true,
        node: {
          call: async ({ c, actor }, n, where) => {
            const send = async (issuer: TreeNode, to: TreeNode, expect: Expect) => {
              const title = `矩阵下达${++seq}`;
              const res = await c.post('/api/directives', {
                issuerNodeId: issuer.id,
                title,
                body: '矩阵测试',
                targets: { kind: 'nodes', nodeIds: [to.id] },
                signDueAt: inHours(2),
                reportDueAt: inHours(24),
              });
              return aim(res, { title, expect });
            };
            if (where === 'inside') return [await send(n, await childOf(n), 'ok')];
            // Outside: issued from the foreign node, or from the caller's own node down to the foreign one.
            return [
              await send(n, await childOf(n, actor.scope().path), 'forbidden'),
              await send(actor.scope(), n, 'badTargets'),
            ];
          },
          inside: (res, _x, n) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body).toMatchObject({
              title: aimOf(res).title,
              issuer: { id: n.id },
              counts: { total: 1, pending: 1 },
            });
          },
          outside: async (res) => {
            const a = aimOf(res);
            if (a.expect === 'forbidden') problem(res, 403);
            else {
              problem(res, 400);
              expect((res.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
                'body.targets.nodeIds.0',
              ]);
            }
            expect(
              await db.selectFrom('directives').select('id').where('title', '=', a.title!).executeTakeFirst(),
            ).toBeUndefined();
          },
        },
      },
      'GET /api/directives/tasks': {
        unscoped: 'the caller’s own tasks: targets at the very nodes they are assigned to',
        wholeCast: true,
        check: async ({ c, actor }) => {
          const scope = actor.scope();
          const mine = await targetAt(scope);
          const up = await parentOf(scope);
          const theirs = up ? (await directiveAt(up, [await childOf(up, scope.path)])).targets[0] : undefined;
          const res = await c.get<{ items: { id: number; node: { id: number }; actions: string[] }[] }>(
            '/api/directives/tasks',
          );
          expect(res.status).toBe(200);
          const respond = await holdsPermission(c, 'directives.respond');
          const issue = await holdsPermission(c, 'directives.issue');
          const open = await db
            .selectFrom('directive_targets')
            .selectAll()
            .where('node_id', '=', scope.id)
            .where('state', '<>', 'reported')
            .execute();
          const want = open.filter(
            (x) =>
              (respond && (x.state === 'pending' || x.state === 'signed')) ||
              (issue && x.relay_id === null && x.node_level !== 'grid' && x.node_level !== 'microgrid'),
          );
          expect(res.body.items.map((x) => x.id).sort(byNumber)).toEqual(
            want.map((x) => x.id).sort(byNumber),
          );
          for (const x of res.body.items) expect(x.node.id).toBe(scope.id);
          if (mine) expect(res.body.items.map((x) => x.id)).toContain(mine.target);
          if (theirs) expect(res.body.items.map((x) => x.id)).not.toContain(theirs);
        },
      },
      'POST /api/directives/sweep': {
        unscoped: 'the sweep touches every directive: only a district-root holder of command.manage runs it',
        wholeCast: true,
        check: async ({ c, actor }) => {
          const late = (await targetAt(tree.grids[7]!))!.target;
          await db
            .updateTable('directive_targets')
            .set({ sign_due_at: new Date(Date.now() - 3_600_000).toISOString() })
            .where('id', '=', late)
            .execute();
          const res = await c.post<{ escalated: number }>('/api/directives/sweep');
          const row = await targetRow(late);
          if (actor.scope().level === 'district' && (await holdsPermission(c, 'command.manage'))) {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body.escalated).toBeGreaterThanOrEqual(1);
            expect(row.sign_escalated_at).not.toBeNull();
            expect(Number(row.overdue)).toBe(1);
            return;
          }
          problem(res, 403);
          expect(row.sign_escalated_at).toBeNull();
          expect(Number(row.overdue)).toBe(0);
          // Put it past reach of later sweeps' counts: the district sweeps it in its own turn.
        },
      },
      'GET /api/directives/:id': {
        wholeCast: true,
        node: {
          call: async ({ c, actor }, n, where) => {
            if (where === 'inside') {
              const d = await directiveAt(n, [await childOf(n)]);
              return [aim(await c.get(`/api/directives/${d.id}`), { directive: d.id })];
            }
            const scope = actor.scope();
            const d = await directiveAt(n, [await childOf(n, scope.path)]);
            const out = [
              aim(await c.get(`/api/directives/${d.id}`), { directive: d.id, expect: 'forbidden' }),
            ];
            // From above to the caller's place and elsewhere: readable, counting the caller's target only.
            if (isWithin(scope.path, n.path) && scope.id !== n.id) {
              const r = await directiveAt(n, [scope, await childOf(n, scope.path)]);
              out.push(aim(await c.get(`/api/directives/${r.id}`), { directive: r.id, expect: 'fromBelow' }));
            }
            return out;
          },
          inside: (res, _x, n) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body).toMatchObject({
              id: aimOf(res).directive,
              issuer: { id: n.id },
              counts: { total: 1 },
            });
          },
          outside: (res) => {
            const a = aimOf(res);
            if (a.expect === 'forbidden') return problem(res, 403, `directive ${a.directive}`);
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body).toMatchObject({ id: a.directive, counts: { total: 1 } });
          },
        },
      },
      'GET /api/directives/:id/board': {
        wholeCast: true,
        node: {
          call: async ({ c, actor }, n, where) => {
            if (where === 'inside') {
              const d = await directiveAt(n, [await childOf(n)]);
              return [aim(await c.get(`/api/directives/${d.id}/board`), { directive: d.id })];
            }
            const scope = actor.scope();
            const d = await directiveAt(n, [await childOf(n, scope.path)]);
            const out = [
              aim(await c.get(`/api/directives/${d.id}/board`), { directive: d.id, expect: 'forbidden' }),
            ];
            // The caller's own directive, seen from the foreign node: refused.
            const own = await directiveAt(scope, [await childOf(scope)]);
            out.push(
              aim(await c.get(`/api/directives/${own.id}/board?node=${n.id}`), {
                directive: own.id,
                expect: 'forbidden',
              }),
            );
            // From above to the caller's place and elsewhere: the board from the caller's place, their target only.
            if (isWithin(scope.path, n.path) && scope.id !== n.id) {
              const r = await directiveAt(n, [scope, await childOf(n, scope.path)]);
              out.push(
                aim(await c.get(`/api/directives/${r.id}/board`), { directive: r.id, expect: 'fromBelow' }),
              );
            }
            return out;
          },
          inside: async (res, { actor }, n) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            const b = res.body as {
              directive: { id: number };
              node: { id: number };
              levels: { total: number }[];
              targets: { node: { id: number } }[];
              children: { node: { id: number } }[];
            };
            expect(b.directive.id).toBe(aimOf(res).directive);
            expect(b.node.id).toBe(n.id);
            expect(b.targets).toHaveLength(1);
            expect(b.levels.reduce((s, l) => s + l.total, 0)).toBe(1);
            for (const p of await pathsOfIds([...b.targets, ...b.children].map((x) => x.node.id)))
              expect(withinAny(p, [actor.scope().path]), p).toBe(true);
          },
          outside: async (res, { actor }) => {
            const a = aimOf(res);
            if (a.expect === 'forbidden') return problem(res, 403, `board of directive ${a.directive}`);
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            const b = res.body as {
              directive: { id: number; counts: { total: number } };
              node: { id: number };
              levels: { total: number }[];
              targets: { node: { id: number } }[];
              children: { node: { id: number } }[];
            };
            expect(b.directive).toMatchObject({ id: a.directive, counts: { total: 1 } });
            expect(b.node.id).toBe(actor.scope().id);
            expect(b.targets.map((x) => x.node.id)).toEqual([actor.scope().id]);
            expect(b.levels.reduce((s, l) => s + l.total, 0)).toBe(1);
            for (const p of await pathsOfIds([...b.targets, ...b.children].map((x) => x.node.id)))
              expect(withinAny(p, [actor.scope().path]), p).toBe(true);
          },
        },
      },
      'POST /api/directives/:id/remind': {
        wholeCast: true,
        node: {
          call: async ({ c, actor }, n, where) => {
            const d = await directiveAt(n, [
              await childOf(n, where === 'outside' ? actor.scope().path : undefined),
            ]);
            return [
              aim(await c.post(`/api/directives/${d.id}/remind`, {}), {
                directive: d.id,
                target: d.targets[0]!,
              }),
            ];
          },
          inside: async (res) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect((res.body as { reminded: number }).reminded).toBe(1);
            expect((await targetRow(aimOf(res).target!)).reminded_at).not.toBeNull();
          },
          outside: async (res) => {
            problem(res, 403);
            expect((await targetRow(aimOf(res).target!)).reminded_at).toBeNull();
          },
        },
      },
      // Signing for, reporting on and relaying a target: only who is assigned at its very node.
      'POST /api/directive-targets/:id/sign': {
        wholeCast: true,
        node: {
          call: async ({ c }, n) => {
            const tg = await targetAt(n);
            return tg
              ? [
                  aim(await c.post(`/api/directive-targets/${tg.target}/sign`, { note: '矩阵签收' }), {
                    target: tg.target,
                  }),
                ]
              : [];
          },
          inside: async (res, x, n) => {
            const row = await targetRow(aimOf(res).target!);
            if (!(await answersAt(x, n, 'directives.respond'))) {
              problem(res, 403);
              return expect([row.state, row.signed_at]).toEqual(['pending', null]);
            }
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect([row.state, row.signed_by_user_id]).toEqual(['signed', await userIdOf(db, x.actor.name)]);
          },
          outside: async (res) => {
            problem(res, 403);
            const row = await targetRow(aimOf(res).target!);
            expect([row.state, row.signed_at]).toEqual(['pending', null]);
          },
        },
      },
      'POST /api/directive-targets/:id/report': {
        wholeCast: true,
        node: {
          call: async ({ c }, n) => {
            const tg = await targetAt(n);
            if (!tg) return [];
            expect(
              (await (await responderAt(n)).post(`/api/directive-targets/${tg.target}/sign`, {})).status,
            ).toBe(200);
            return [
              aim(
                await c.post(`/api/directive-targets/${tg.target}/report`, {
                  text: '矩阵反馈',
                  figures: { 户数: 3 },
                }),
                { target: tg.target },
              ),
            ];
          },
          inside: async (res, x, n) => {
            const row = await targetRow(aimOf(res).target!);
            if (!(await answersAt(x, n, 'directives.respond'))) {
              problem(res, 403);
              return expect([row.state, row.reported_at, row.report_text]).toEqual(['signed', null, null]);
            }
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect([row.state, row.report_text, JSON.parse(row.report_figures!)]).toEqual([
              'reported',
              '矩阵反馈',
              { 户数: 3 },
            ]);
          },
          outside: async (res) => {
            problem(res, 403);
            const row = await targetRow(aimOf(res).target!);
            expect([row.state, row.reported_at, row.report_text]).toEqual(['signed', null, null]);
          },
        },
      },
      // Relaying from a target's node: only who commands at its very node.
      'POST /api/directives/:id/relay': {
        wholeCast: true,
        node: {
          call: async ({ c }, n) => {
            const tg = await targetAt(n);
            if (!tg) return [];
            const res = await c.post(`/api/directives/${tg.directive}/relay`, {
              nodeId: n.id,
              instructions: '矩阵转发',
              targets: { kind: 'nodes', nodeIds: [(await childOf(n)).id] },
              signDueAt: inHours(1),
              reportDueAt: inHours(20),
            });
            return [aim(res, { directive: tg.directive, target: tg.target })];
          },
          inside: async (res, x, n) => {
            const a = aimOf(res);
            const row = await targetRow(a.target!);
            const relays = await db
              .selectFrom('directives')
              .select('id')
              .where('parent_id', '=', a.directive!)
              .execute();
            if (!(await answersAt(x, n, 'directives.issue'))) {
              problem(res, 403);
              expect(relays).toEqual([]);
              return expect([row.state, row.relay_id]).toEqual(['pending', null]);
            }
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            const b = res.body as { id: number; parentId: number; issuer: { id: number } };
            expect(b).toMatchObject({ parentId: a.directive, issuer: { id: n.id } });
            expect(relays.map((r) => r.id)).toEqual([b.id]);
            expect([row.state, row.relay_id]).toEqual(['signed', b.id]);
          },
          outside: async (res) => {
            problem(res, 403);
            const a = aimOf(res);
            expect(
              await db.selectFrom('directives').select('id').where('parent_id', '=', a.directive!).execute(),
            ).toEqual([]);
            const row = await targetRow(a.target!);
            expect([row.state, row.relay_id]).toEqual(['pending', null]);
          },
        },
      },
      'GET /api/cockpit': {
        wholeCast: true,
        list: {
          call: ({ c }) => c.get('/api/cockpit'),
          // Without ?node= the cockpit shows the caller's own place.
          check: (res, x) => checkCockpit(res, x, x.actor.scope()),
        },
        node: {
          call: async ({ c }, n) => {
            // Something to count below the node: a directive to one of its children.
            await directiveAt(n, [await childOf(n)]);
            return [
              await c.get(`/api/cockpit?node=${n.id}`),
              await c.get(`/api/cockpit?node=${n.id}&metric=directivesPending`),
            ];
          },
          inside: (res, x, n) => checkCockpit(res, x, n),
        },
      },
      // Attachments: uploaded by anyone who issues or answers directives; downloaded through a directive
      // the caller may read, a report-back's only by whose jurisdiction holds its node (or the issuer).
      'POST /api/directive-files': {
        unscoped:
          'holds an upload for the caller; claiming it is scoped by the directive or report-back that uses it',
        wholeCast: true,
        check: async ({ c }) => {
          const res = await c.request<{ token: string; name: string; mime: string }>({
            method: 'POST',
            url: '/api/directive-files',
            ...multipart([
              { name: 'file', filename: '../矩阵.pdf', data: TINY_PDF, contentType: 'application/pdf' },
            ]),
          });
          const mayUpload =
            (await holdsPermission(c, 'directives.issue')) ||
            (await holdsPermission(c, 'directives.respond'));
          if (!mayUpload) return problem(res, 403);
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(res.body).toMatchObject({ name: '矩阵.pdf', mime: 'application/pdf' });
          expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        },
      },
      'GET /api/directives/:id/files/:fileId': {
        wholeCast: true,
        node: {
          call: async ({ c, actor }, n, where) => {
            const scope = actor.scope();
            const uploadBy = async (u: Client) => {
              const up = await u.request<{ token: string }>({
                method: 'POST',
                url: '/api/directive-files',
                ...multipart([
                  { name: 'file', filename: '矩阵附件.pdf', data: TINY_PDF, contentType: 'application/pdf' },
                ]),
              });
              expect(up.status, JSON.stringify(up.body)).toBe(200);
              return up.body.token;
            };
            /** A report-back with a file at the target, by who answers for its node. */
            const reportFile = async (target: number, at: TreeNode) => {
              const r = await responderAt(at);
              expect((await r.post(`/api/directive-targets/${target}/sign`, {})).status).toBe(200);
              const rep = await r.post<{ myTargets: { id: number; files: { id: number }[] }[] }>(
                `/api/directive-targets/${target}/report`,
                { text: '矩阵反馈', files: [await uploadBy(r)] },
              );
              expect(rep.status, JSON.stringify(rep.body)).toBe(200);
              return rep.body.myTargets.find((x) => x.id === target)!.files[0]!.id;
            };
            // The directive's own attachment, issued at n.
            const d = await adminClient.post<{ id: number; files: { id: number }[] }>('/api/directives', {
              issuerNodeId: n.id,
              title: `矩阵附件${++seq}`,
              body: '矩阵测试',
              targets: {
                kind: 'nodes',
                nodeIds: [(await childOf(n, where === 'outside' ? scope.path : undefined)).id],
              },
              signDueAt: inHours(2),
              reportDueAt: inHours(24),
              files: [await uploadBy(adminClient)],
            });
            expect(d.status, JSON.stringify(d.body)).toBe(200);
            const out = [
              aim(await c.get(`/api/directives/${d.body.id}/files/${d.body.files[0]!.id}`), {
                directive: d.body.id,
              }),
            ];
            // A report-back's attachment at n, sent from the node above.
            const tg = await targetAt(n);
            if (tg)
              out.push(
                aim(await c.get(`/api/directives/${tg.directive}/files/${await reportFile(tg.target, n)}`), {
                  directive: tg.directive,
                }),
              );
            // The same directive went to the caller's place too: readable, but another place's report-back is not.
            const up = await parentOf(n);
            if (where === 'outside' && up && scope.id !== up.id && isWithin(scope.path, up.path)) {
              const both = await directiveAt(up, [n, scope]);
              out.push(
                aim(
                  await c.get(`/api/directives/${both.id}/files/${await reportFile(both.targets[0]!, n)}`),
                  { directive: both.id, expect: 'fromBelow' },
                ),
              );
            }
            return out;
          },
          inside: (res) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.headers['content-type']).toBe('application/pdf');
            expect(res.headers['content-disposition']).toContain(
              `filename*=UTF-8''${encodeURIComponent('矩阵附件.pdf')}`,
            );
            expect(res.raw.rawPayload.equals(TINY_PDF)).toBe(true);
          },
          outside: (res) =>
            problem(
              res,
              403,
              `file of directive ${aimOf(res).directive} (${aimOf(res).expect ?? 'outside'})`,
            ),
        },
      },
    };
  })(),
};

describe('scope matrix', () => {
  it('has a case for every registered /api route (docs excepted), and no stale cases', () => {
    const registered = apiRoutes.filter((r) => !r.url.startsWith('/api/docs')).map(routeKey);
    const missing = registered.filter((k) => !CASES[k]);
    expect(
      missing,
      `routes with no scope-matrix case: add one to CASES in server/test/route-matrix.test.ts`,
    ).toEqual([]);
    expect(Object.keys(CASES).filter((k) => !registered.includes(k))).toEqual([]);
  });

  it('every GET route under /api/nodes/:id, every route with a :id node parameter and every placed record has a node case', () => {
    const needNode = apiRoutes.filter(
      (r) => r.url.startsWith('/api/nodes/:id') || (r.method !== 'GET' && r.url.startsWith('/api/nodes')),
    );
    expect(needNode.length).toBeGreaterThan(0);
    expect(needNode.filter((r) => !CASES[routeKey(r)]?.node).map(routeKey)).toEqual([]);
    // The node-scoped list routes take ?node=.
    for (const k of [
      'GET /api/users',
      'GET /api/audit',
      'GET /api/people',
      'GET /api/households',
      'POST /api/people/export',
    ])
      expect(CASES[k]?.node, k).toBeDefined();
    // Every people route aimed at a record placed in the tree has a node case too.
    const placed = apiRoutes.filter((r) => /^\/api\/(people|households)\/:id/.test(r.url));
    expect(placed.length).toBeGreaterThanOrEqual(5);
    expect(placed.filter((r) => !CASES[routeKey(r)]?.node).map(routeKey)).toEqual([]);
    // So does every events route aimed at an event or a department, and the events lists taking ?node=;
    // and the events cases run for the whole cast.
    const events = apiRoutes.filter((r) => /^\/api\/(events|departments)\/:id/.test(r.url));
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect(events.filter((r) => !CASES[routeKey(r)]?.node).map(routeKey)).toEqual([]);
    for (const k of [
      'GET /api/events',
      'POST /api/events/export',
      'GET /api/events/points',
      'GET /api/events/kpis',
      'GET /api/departments',
      'POST /api/events',
      'POST /api/departments',
    ])
      expect(CASES[k]?.node, k).toBeDefined();
    const eventsRoutes = apiRoutes.filter((r) =>
      /^\/api\/(events|departments|event-categories|work-calendar|notifications)(\/|$)/.test(r.url),
    );
    const runsSomething = (v: Case | undefined) => Boolean(v && (v.node || v.list || v.check));
    expect(
      eventsRoutes
        .filter((r) => runsSomething(CASES[routeKey(r)]) && !CASES[routeKey(r)]!.wholeCast)
        .map(routeKey),
    ).toEqual([]);
  });

  const access = (key: string) => {
    const r = apiRoutes.find((x) => routeKey(x) === key);
    if (!r) throw new Error(`route ${key} is not registered`);
    return r.access!;
  };

  describe.each([...ACTORS, ...MORE_CAST])('as $name', (actor) => {
    // The three matrix actors run every case; the rest of the cast only those marked wholeCast.
    const runs = (v: Case) => ACTORS.includes(actor) || v.wholeCast === true;
    let c: Client;
    let abilities: string[];
    beforeAll(async () => {
      c = await t.login(actor.name);
      abilities = (await c.get<{ abilities: string[] }>('/api/auth/me')).body.abilities;
    });
    const holds = (key: string) => {
      const a = access(key);
      return a === 'public' || a === 'authenticated' || abilities.includes(a);
    };

    const nodeKeys = Object.entries(CASES)
      .filter(([, v]) => v.node && runs(v))
      .map(([k]) => k);
    it.each(nodeKeys)('%s: 403 outside, in-scope results inside', async (key) => {
      const nc = CASES[key]!.node!;
      const x = { actor, c };
      for (const target of actor.outside()) {
        for (const res of await nc.call(x, target, 'outside')) {
          const label = `${key} → ${target.name} (outside)`;
          if (holds(key) && nc.outside) await nc.outside(res, x, target);
          else {
            expect(res.status, label).toBe(403);
            expect(String(res.headers['content-type']), label).toMatch(/^application\/problem\+json/);
          }
        }
      }
      for (const target of actor.inside()) {
        for (const res of await nc.call(x, target, 'inside')) {
          if (!holds(key)) expect(res.status, `${key} → ${target.name} (no permission)`).toBe(403);
          else await nc.inside(res, x, target);
        }
      }
    });

    const listKeys = Object.entries(CASES)
      .filter(([, v]) => v.list && runs(v))
      .map(([k]) => k);
    it.each(listKeys)('%s without a node: only items inside the scope', async (key) => {
      const lc = CASES[key]!.list!;
      const res = await lc.call({ actor, c });
      if (!holds(key)) expect(res.status).toBe(403);
      else await lc.check(res, { actor, c });
    });

    const checkKeys = Object.entries(CASES)
      .filter(([, v]) => v.check && runs(v))
      .map(([k]) => k);
    it.each(checkKeys)('%s (unscoped) refuses what is not the caller’s', async (key) => {
      await CASES[key]!.check!({ actor, c });
    });
  });

  it('a town commander cannot list the district’s children, and walking down from /api/nodes reaches exactly town A’s subtree', async () => {
    const c = await t.login('towncmd');
    expect((await c.get(`/api/nodes?parent=${tree.district.id}`)).status).toBe(403);
    expect((await c.get(`/api/nodes?parent=${tree.towns[1]!.id}`)).status).toBe(403);
    const seen = await walk(c);
    expect(seen).toEqual(await subtreeIds(db, tree.towns[0]!.path));
  });

  it('walking down as the grid worker reaches exactly grid A’s subtree', async () => {
    const c = await t.login('gridworker');
    expect(await walk(c)).toEqual(await subtreeIds(db, tree.grids[0]!.path));
  });

  it('walking down as the district commander reaches the whole tree', async () => {
    const c = await t.login('commander');
    expect(await walk(c)).toEqual(await subtreeIds(db, tree.district.path));
  });
});

/** Breadth-first from the caller's roots through ?parent=, every node id reached, sorted. */
async function walk(c: Client): Promise<number[]> {
  const roots = await c.get<{ items: { id: number }[] }>('/api/nodes');
  expect(roots.status).toBe(200);
  const seen = new Set<number>();
  const queue = roots.body.items.map((n) => n.id);
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const kids = await c.get<{ items: { id: number }[] }>(`/api/nodes?parent=${id}`);
    expect(kids.status, `children of ${id}`).toBe(200);
    queue.push(...kids.body.items.map((n) => n.id));
  }
  return [...seen].sort((a, b) => a - b);
}
