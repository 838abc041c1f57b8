// The route matrix's driver: the tree, the cast, records placed in it, and the case types. The cases
// live one file per module beside it (<module>.cases.ts); route-matrix.test.ts runs them.
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { type DB } from '../../db/index.js';
import { buildTestApp, type Client, type TestApp, type TestResponse } from '../harness.js';
import { insertNotification, makeCast, makeTree, makeUser, type Tree, type TreeNode } from '../factories.js';
import {
  cellText,
  importPeople,
  insertHousehold,
  insertPerson,
  isWithin,
  multipart,
  nthIdNumber,
  nthPhone,
  PEOPLE_HEAD,
  scratchChild,
  toCsv,
  type RouteRow,
} from '../routes.js';
/** The smallest PDF a sniffer accepts. */
export const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
/** A 1×1 PNG: the smallest real photo. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
/** Counters that keep names, codes and days of the records the cases place unique. */
export const seq = { person: 0, import: 0, event: 0, department: 0, day: 0, notice: 0, probe: 0 };
export let t: TestApp;
export let tree: Tree;
export let db: DB;
export let apiRoutes: RouteRow[];

export type Res = TestResponse<unknown>;

/** Builds the app and the tree and places the records every case relies on: the test file's beforeAll. */
export async function setUp(): Promise<void> {
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
  ).toBe(201);
  handler = await t.login('matrixhandler');
  for (const g of tree.grids) await eventAt(g);
  for (const v of tree.villages) await eventAt(v, 'dispute.neighbour');
  // One event in each town waits for verification: the verifiers' tasks.
  await handledEventAt(tree.grids[0]!);
  await handledEventAt(tree.grids[4]!);
}
export const tearDown = () => t.close();

// ---------------------------------------------------------------------------------------------
// People placed in the tree for the people routes.

export const personPhones = new Map<number, string>();
/** The last person a call made: the inside check of the reveal case compares its phone. */
export let lastPersonId = 0;
/** A grid in the target's subtree and in no deeper scope: the target itself, or a fresh grid straight under it. */
export async function gridAt(n: TreeNode): Promise<TreeNode> {
  return n.level === 'grid' ? n : scratchChild(db, n, 'grid');
}
export async function personAt(n: TreeNode): Promise<number> {
  const k = ++seq.person;
  const phone = nthPhone(k, '158');
  const id = await insertPerson(db, await gridAt(n), {
    name: `矩阵${k}`,
    idNumber: nthIdNumber(k, '330110'),
    phone,
    tags: ['key_care'],
  });
  personPhones.set(id, `+86${phone}`);
  lastPersonId = id;
  return id;
}
export async function householdAt(n: TreeNode): Promise<number> {
  const grid = await gridAt(n);
  const h = await insertHousehold(db, grid, `矩阵户${++seq.person}`);
  await insertPerson(db, grid, {
    name: `户主${seq.person}`,
    idNumber: nthIdNumber(seq.person, '330110'),
    householdId: h,
  });
  return h;
}
/** Persons (not merged away), households or events placed under a path, straight from the database. */
export async function countUnder(table: 'persons' | 'households' | 'events', p: string): Promise<number> {
  let q = db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('node_path', 'like', `${p}%`);
  if (table === 'persons') q = q.where('merged_into_id', 'is', null);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
/** The grid codes (网格编码 column) of an exported workbook, with their node paths. */
export async function exportedPaths(res: Res): Promise<string[]> {
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
/** A one-row people import placing someone in a grid. */
export function importInto(c: Client, grid: TreeNode, opts: { ref?: string; badRow?: boolean } = {}) {
  const k = ++seq.import;
  const rows = [
    [...PEOPLE_HEAD],
    [`导入${k}`, nthIdNumber(k, '330111'), '', '', grid.fullCode, '户籍人口', '', '', ''],
  ];
  if (opts.badRow) rows.push([`坏行${k}`, '123', '', '', grid.fullCode, '户籍人口', '', '', '']);
  return importPeople(
    c,
    { name: 'm.csv', data: toCsv(rows) },
    { mode: 'valid-rows', ...(opts.ref ? { ref: opts.ref } : {}) },
  );
}
export const holdsPermission = async (c: Client, permission: string) =>
  (await c.get<{ abilities: Record<string, boolean> }>('/api/auth/me')).body.abilities[permission] === true;

// ---------------------------------------------------------------------------------------------
// Events and departments placed in the tree for the events routes.

export let adminClient: Client;
/** The seeded sub-categories by code (the migration's taxonomy). */
export const cats = new Map<string, number>();
/** The district's own department: it serves every place, so any event can be dispatched to it. */
export let districtDept: number;
/** The one handler of the district's department. */
export let handler: Client;
/** The last event a call made: the inside check of the detail case compares its id. */
export let lastEventId = 0;
export function categoryId(code: string): number {
  const id = cats.get(code);
  if (id === undefined) throw new Error(`no seeded category ${code}`);
  return id;
}
/** An event the district admin reports at a node. By nodeId: the test grids share one polygon, so a map point names no grid. */
export async function eventAt(n: TreeNode, category = 'environment.garbage'): Promise<number> {
  const res = await adminClient.post<{ event: { id: number } }>('/api/events', {
    categoryId: categoryId(category),
    title: `矩阵事件${++seq.event}`,
    description: '矩阵测试',
    nodeId: n.id,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  lastEventId = res.body.event.id;
  return lastEventId;
}
/** An event taken to 'handled' through the API: filed, dispatched to the district's team, signed and fed back. */
export async function handledEventAt(n: TreeNode): Promise<number> {
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
export const eventPhones = new Map<number, string>();
/** A hotline event at a node whose caller left a phone: the reveal case's target. */
export async function eventWithPhoneAt(n: TreeNode): Promise<number> {
  const phone = nthPhone(++seq.event, '137');
  const res = await adminClient.post<{ event: { id: number } }>('/api/events', {
    categoryId: categoryId('environment.garbage'),
    title: `矩阵来电${seq.event}`,
    description: '矩阵测试',
    channel: 'hotline',
    nodeId: n.id,
    reporterName: '来电群众',
    reporterPhone: phone,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  eventPhones.set(res.body.event.id, phone);
  return res.body.event.id;
}
/** Reveal audit rows of an event, and what a reveal call aimed at. */
export const revealAudits = async (id: number) =>
  (
    await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'event.reveal_reporter_phone')
      .where('entity_id', '=', String(id))
      .execute()
  ).length;
export const revealedOn = new WeakMap<object, { id: number; audits: number }>();
export async function departmentAt(n: TreeNode, kind = 'urban'): Promise<number> {
  const res = await adminClient.post<{ id: number }>('/api/departments', {
    nodeId: n.id,
    kind,
    name: `矩阵部门${++seq.department}`,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}
/** A department at the node with one handler placed there, straight in the database. */
export async function departmentWithMember(n: TreeNode) {
  const id = await departmentAt(n);
  const user = await probeUser(n, 'department_handler');
  await db
    .insertInto('department_members')
    .values({ department_id: id, user_id: user.id, created_at: new Date().toISOString() })
    .execute();
  return { id, userId: user.id };
}
export const membersOf = async (departmentId: number) =>
  (
    await db
      .selectFrom('department_members')
      .select('user_id')
      .where('department_id', '=', departmentId)
      .execute()
  ).map((r) => r.user_id);
export const eventRow = (id: number) =>
  db
    .selectFrom('events')
    .select(['state', 'node_path', 'owner_path'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
export const historyLength = async (id: number) =>
  (await db.selectFrom('event_history').select('id').where('event_id', '=', id).execute()).length;
/** What a workflow call aimed at: the event as it was, the permission the action needs and where it must reach. */
export interface Aim {
  id: number;
  from: string;
  history: number;
  permission: string;
  at: 'owner_path' | 'node_path';
  to: string;
}
export const actedOn = new WeakMap<object, Aim>();
/** Which department and user a membership call aimed at. */
export const addedTo = new WeakMap<object, { departmentId: number; userId: number }>();
/** The triage task list's states (events.service tasks). */
export const TRIAGE_STATES = ['reported', 'accepted', 'returned', 'extension_requested', 'reopened'];
/** Notifications straight in the database, for the caller and for someone else. */
export const notifyDirect = (userId: number, text: string) => insertNotification(db, userId, text, 'matrix');
/** A day far from any test's deadlines, fresh each call. */
export const freshDay = () => {
  const n = seq.day++;
  return `2031-${String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
};
/** A KPI period holding today wherever the day is counted (Asia/Shanghai). */
export const kpiWindow = () =>
  `from=${new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)}`;
export interface KpiBody {
  node: { id: number };
  figures: { received: number };
  children: { node: { id: number }; figures: { received: number } }[];
}
/** Only an administrator at the tree root changes the district-wide lists. */
export const isDistrictAdmin = (a: Actor) => a.name === 'admin';
/** The open states (events.workflow OPEN_STATES): what the map shows. */
export const OPEN_STATES = [
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
/** The node paths of the events an exported workbook lists, by their tracking codes (column 1). */
export async function exportedEventPaths(res: Res): Promise<string[]> {
  expect(res.status, String(res.body).slice(0, 200)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  expect(cellText(ws.getRow(1).getCell(1).value)).toBe('受理编号');
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
/** The export holds exactly the events under `within`. */
export async function checkEventExport(res: Res, within: string) {
  const paths = await exportedEventPaths(res);
  for (const p of paths) expect(isWithin(p, within), p).toBe(true);
  expect(paths.length).toBe(await countUnder('events', within));
}
/** An event with a map point at the node, so that the map has a marker to leak. */
export async function pointAt(n: TreeNode) {
  await db
    .updateTable('events')
    .set({ lat: 30.205, lng: 119.705 })
    .where('id', '=', await eventAt(n))
    .execute();
}
/** The map holds exactly the open events with a point under `within` (one was placed there), and counts every open event there. */
export async function checkEventPoints(res: Res, within: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const b = res.body as {
    items: { id: number }[];
    totals: { open: number };
    grids: { nodeId: number; open: number }[];
    outsideGrids: number;
  };
  const open = await db
    .selectFrom('events')
    .select(['id', 'lat'])
    .where('node_path', 'like', `${within}%`)
    .where('state', 'in', OPEN_STATES)
    .execute();
  expect(b.items.map((i) => i.id).sort(byNumber)).toEqual(
    open
      .filter((e) => e.lat !== null)
      .map((e) => e.id)
      .sort(byNumber),
  );
  expect(b.items.length).toBeGreaterThan(0);
  for (const p of await pathsOfIds(b.grids.map((g) => g.nodeId))) expect(isWithin(p, within), p).toBe(true);
  expect(b.grids.reduce((sum, g) => sum + g.open, 0) + b.outsideGrids).toBe(open.length);
  expect(b.totals.open).toBe(open.length);
}

// ---------------------------------------------------------------------------------------------
// Notices: a district-wide one for the views, and fresh ones per call for delivery.

export let districtNoticeId: Promise<number> | undefined;
/** A notice to the whole district, published once by the admin. */
export const districtNotice = () =>
  (districtNoticeId ??= adminClient
    .post<{ id: number }>('/api/notices', { nodeId: tree.district.id, title: '矩阵告知书', body: '矩阵' })
    .then((r) => {
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id;
    }));
/** A household in the node's subtree and a fresh notice to the node that covers it. */
export async function noticeWithHouseholdAt(n: TreeNode) {
  const householdId = await householdAt(n);
  const res = await adminClient.post<{ id: number }>('/api/notices', {
    nodeId: n.id,
    title: `矩阵告知${++seq.notice}`,
    body: '矩阵',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { noticeId: res.body.id, householdId };
}
export const noticeRow = (id: number) =>
  db
    .selectFrom('notices')
    .select(['node_path', 'last_household_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
/** Households a notice went to under a path: those registered there by its publication. */
export async function noticeHouseholdsUnder(noticeId: number, p: string) {
  const n = await noticeRow(noticeId);
  // Paths below, by prefix: independent of the production range (dialect.subtreeRange).
  const under = p;
  return Number(
    (
      await db
        .selectFrom('households')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('node_path', 'like', `${under}%`)
        .where('id', '<=', n.last_household_id)
        .executeTakeFirstOrThrow()
    ).n,
  );
}
export const deliveryOf = (noticeId: number, householdId: number) =>
  db
    .selectFrom('notice_deliveries')
    .select('id')
    .where('notice_id', '=', noticeId)
    .where('household_id', '=', householdId)
    .executeTakeFirst();
/** What a delivery call aimed at. */
export const deliveredTo = new WeakMap<object, { noticeId: number; householdId: number }>();
/** A notice overlaps a scope when one holds the other. */
export const overlaps = (noticePath: string, scope: string) =>
  isWithin(noticePath, scope) || isWithin(scope, noticePath);

// ---------------------------------------------------------------------------------------------
// Daily reports placed in the tree for the reports routes.

/** A daily report template at a node, straight in the database (one required whole-number field). */
export async function reportTemplateAt(n: TreeNode, targetLevel: string): Promise<number> {
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
export const readableTemplateAt = (n: TreeNode) => reportTemplateAt(n, 'grid');
/** Today in Asia/Shanghai, the day a report can be filled for. */
export const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
/** Paths of the report templates a list answered. */
export const templatePaths = async (res: Res) =>
  pathsOfIds((items(res) as { node: { id: number } }[]).map((i) => i.node.id));
/** A template whose node is an ancestor of the caller's scope is read for the caller's part of it. */
export const readsAncestor = (actor: Actor, n: TreeNode) => isWithin(actor.scope().path, n.path);

// ---------------------------------------------------------------------------------------------
// Part 1: every route declares access.
export interface Actor {
  name: 'gridworker' | 'towncmd' | 'townadmin' | 'cadre' | 'commander' | 'admin';
  /** The root of the caller's jurisdiction. */
  scope: () => TreeNode;
  inside: () => TreeNode[];
  outside: () => TreeNode[];
}
export const ACTORS: Actor[] = [
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
export const MORE_CAST: Actor[] = [
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

export const BELOW: Record<string, string> = {
  district: 'town',
  town: 'village',
  village: 'grid',
  grid: 'microgrid',
};
/** A node of the given level inside the actor's scope, if the scope reaches that level. */
export function insideAtLevel(a: Actor, level: string): TreeNode | undefined {
  return a.inside().find((n) => n.level === level);
}

/** A fresh user with one assignment at the node, so user routes can be aimed at a place in the tree. */
export async function probeUser(node: TreeNode, role = 'village_cadre') {
  const username = `probe${++seq.probe}`;
  const id = await makeUser(db, username, [{ role, node }]);
  const a = await db
    .selectFrom('role_assignments')
    .select('id')
    .where('user_id', '=', id)
    .executeTakeFirstOrThrow();
  return { id, username, assignmentId: a.id };
}

export const items = (res: Res) => (res.body as { items: unknown[] }).items;
export const byNumber = (a: number, b: number) => a - b;
export const pathsOfIds = async (ids: number[]) =>
  ids.length
    ? (await db.selectFrom('nodes').select(['id', 'path']).where('id', 'in', ids).execute()).map(
        (r) => r.path,
      )
    : [];

export interface Ctx {
  actor: Actor;
  c: Client;
}
export interface NodeCase {
  /** Calls the route aimed at a node; every response is judged. */
  call: (x: Ctx, target: TreeNode, where: 'inside' | 'outside') => Promise<Res[]>;
  /** What a caller holding the permission gets inside their scope. */
  inside: (res: Res, x: Ctx, target: TreeNode) => Promise<void> | void;
  /** Outside their scope: 403 unless the route reports the refusal another way. */
  outside?: (res: Res, x: Ctx, target: TreeNode) => Promise<void> | void;
}
export interface ListCase {
  /** A list without a node parameter: every item must lie in the caller's scope. */
  call: (x: Ctx) => Promise<Res>;
  check: (res: Res, x: Ctx) => Promise<void> | void;
}
export interface Case {
  node?: NodeCase;
  list?: ListCase;
  /** Not aimed at a place in the tree; says why. */
  unscoped?: string;
  /** Extra per-actor checks for an unscoped route. */
  check?: (x: Ctx) => Promise<void>;
  /** Run for the whole cast (cadre, district commander and district admin too), not only the three actors above. */
  wholeCast?: true;
  /**
   * Scope before state, for a route aimed at a record: the record placed at a node outside the
   * caller's scope in two or more states, and the route called on each. Every state must answer
   * alike (status and problem code): a stranger learns nothing of the record's state. Run by every
   * actor with an outside, for every outside node.
   */
  states?: (x: Ctx, target: TreeNode) => Promise<Record<string, Res>>;
  /** A route with a path parameter that names no record placed in the tree or owned by someone: says why. */
  stateless?: string;
}

// ---------------------------------------------------------------------------------------------
// What the cases judge answers with, and the node case on a record placed at the target.

/** The answer has the status given (200 unless told), its body in the message when it has not. */
export const ok = (res: { status: number; body: unknown }, status = 200) =>
  expect(res.status, JSON.stringify(res.body)).toBe(status);
/** A refusal: the status given (403 unless told), as problem+json. */
export const refused = (res: Res, status = 403) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
};
/** The body of an answer that has the status given (200 unless told). */
export async function answer<T>(p: Promise<TestResponse<T>>, status = 200): Promise<T> {
  const res = await p;
  ok(res, status);
  return res.body;
}
const abilitiesOf = new WeakMap<Client, Promise<Record<string, boolean>>>();
/**
 * Whether the caller holds a permission (at the root of their scope, so anywhere inside it): as
 * holdsPermission, asked once per client, for the cast whose grants no case changes.
 */
export function may(c: Client, permission: string): Promise<boolean> {
  let a = abilitiesOf.get(c);
  if (!a) {
    a = c.get<{ abilities: Record<string, boolean> }>('/api/auth/me').then((r) => r.body.abilities);
    abilitiesOf.set(c, a);
  }
  return a.then((x) => x[permission] === true);
}
/** A cases file's stock: each promise made once per key (per node and state), for that file alone. */
export function stockOnce() {
  const cache = new Map<string, Promise<unknown>>();
  return function once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = cache.get(key) as Promise<T> | undefined;
    if (!p) cache.set(key, (p = make()));
    return p;
  };
}
/** The places a list is read at: the caller's own and every one outside them. */
export const everywhere = (x: Ctx) => [x.actor.scope(), ...x.actor.outside()];

export interface Aimed<P> {
  p: P;
  before: unknown;
  /** The cross-boundary probe: the caller's own record with a part of the outside one. */
  cross?: true;
}
/** What each answer's call aimed at, for the judge of that answer. */
export const aims = new WeakMap<object, Aimed<unknown>>();
export function aimed<P>(res: Res): Aimed<P> {
  const a = aims.get(res);
  if (!a) throw new Error('no record was aimed at for this answer');
  return a as Aimed<P>;
}
export interface OnRecord<P> {
  /** Whether a call at a place inside the caller's scope goes through (beyond the route's own permission). */
  goes: (x: Ctx) => Promise<boolean>;
  /** A record of its own, for a call that goes through (it changes it). */
  fresh: (n: TreeNode) => Promise<P>;
  /** The node's stock, for a call that must be refused (it changes nothing). */
  stock: (n: TreeNode) => Promise<P>;
  snap: (p: P) => Promise<unknown>;
  call: (c: Client, p: P, n: TreeNode) => Promise<Res>;
  /** What a caller who goes through gets. */
  done: (res: Res, p: P, n: TreeNode, x: Ctx) => Promise<void> | void;
  /**
   * Outside only, for a route naming a part of a record (a party, a session, a piece of evidence): the
   * caller's own record with the outside record's part. 404 to whoever may act on their own, else 403.
   */
  cross?: (c: Client, own: P, foreign: P) => Promise<Res>;
}
/**
 * A node case on a record placed at the target: a call that goes through gets a record of its own, a
 * call that must be refused is aimed at the node's stock and is shown to have changed nothing.
 */
export function onRecord<P>(o: OnRecord<P>): NonNullable<Case['node']> {
  return {
    call: async (x, n, where) => {
      const through = where === 'inside' && (await o.goes(x));
      const p = through ? await o.fresh(n) : await o.stock(n);
      const before = await o.snap(p);
      const res = await o.call(x.c, p, n);
      aims.set(res, { p, before });
      const out = [res];
      if (where === 'outside' && o.cross) {
        const own = await o.stock(x.actor.scope());
        const ownBefore = await o.snap(own);
        const probe = await o.cross(x.c, own, p);
        aims.set(probe, { p: own, before: ownBefore, cross: true });
        out.push(probe);
      }
      return out;
    },
    inside: async (res, x, n) => {
      const { p, before } = aimed<P>(res);
      if (await o.goes(x)) return o.done(res, p, n, x);
      refused(res);
      expect(await o.snap(p)).toEqual(before);
    },
    outside: async (res, x) => {
      const { p, before, cross } = aimed<P>(res);
      refused(res, cross && (await o.goes(x)) ? 404 : 403);
      expect(await o.snap(p)).toEqual(before);
    },
  };
}

/** Calls the route on each state's record, in order. */
export async function inEachState<T>(
  records: Record<string, T>,
  call: (record: T) => Promise<Res>,
): Promise<Record<string, Res>> {
  const out: Record<string, Res> = {};
  for (const [state, r] of Object.entries(records)) out[state] = await call(r);
  return out;
}
/** Two fresh nodes below n, one active and one retired. */
export async function nodeStates(n: TreeNode): Promise<{ active: TreeNode; retired: TreeNode }> {
  const active = await scratchChild(db, n, BELOW[n.level]!);
  const retired = await scratchChild(db, n, BELOW[n.level]!);
  await db
    .updateTable('nodes')
    .set({ retired_at: new Date().toISOString() })
    .where('id', '=', retired.id)
    .execute();
  return { active, retired };
}
/** Two users placed at n, one active and one disabled. */
export async function userStates(n: TreeNode) {
  const active = await probeUser(n);
  const disabled = await probeUser(n);
  await db.updateTable('users').set({ disabled: 1 }).where('id', '=', disabled.id).execute();
  return { active, disabled };
}
/** Two people in a grid at n: one as registered, one merged away into the first. */
export async function personStates(n: TreeNode): Promise<{ registered: number; merged: number }> {
  const registered = await personAt(n);
  const merged = await personAt(n);
  await db.updateTable('persons').set({ merged_into_id: registered }).where('id', '=', merged).execute();
  return { registered, merged };
}
/** Two events at n: one just reported, one taken to handled. */
export async function eventStates(n: TreeNode): Promise<{ reported: number; handled: number }> {
  return { reported: await eventAt(n), handled: await handledEventAt(n) };
}
/** An event at n reported with one photo, and that photo's id. */
export async function eventWithPhotoAt(n: TreeNode): Promise<{ id: number; photoId: number }> {
  const up = await adminClient.request<{ token: string }>({
    method: 'POST',
    url: '/api/event-photos',
    ...multipart([{ name: 'file', filename: 'p.png', data: TINY_PNG, contentType: 'image/png' }]),
  });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const res = await adminClient.post<{ event: { id: number; history: { photos: { id: number }[] }[] } }>(
    '/api/events',
    {
      categoryId: categoryId('environment.garbage'),
      title: `矩阵照片${++seq.event}`,
      description: '矩阵测试',
      nodeId: n.id,
      photos: [up.body.token],
    },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.event.id, photoId: res.body.event.history[0]!.photos[0]!.id };
}
/** Two departments at n (at its village for a grid): one serving, one retired. */
export async function departmentStates(n: TreeNode): Promise<{ serving: number; retired: number }> {
  const at = await aboveGrid(n);
  const serving = await departmentAt(at);
  const retired = await departmentAt(at);
  expect((await adminClient.patch(`/api/departments/${retired}`, { retired: true })).status).toBe(200);
  return { serving, retired };
}
/** Two report templates read at n: one running, one retired. */
export async function templateStates(n: TreeNode): Promise<{ running: number; retired: number }> {
  const running = await readableTemplateAt(n);
  const retired = await readableTemplateAt(n);
  await db
    .updateTable('report_templates')
    .set({ retired_at: new Date().toISOString() })
    .where('id', '=', retired)
    .execute();
  return { running, retired };
}
const noticeStatesAt = new Map<number, ReturnType<typeof placeNoticeStates>>();
/**
 * Two notices to n, each with a household below n: one household delivered, one not. Placed once per
 * node (an out-of-scope call changes nothing), so that the notice lists stay within one page.
 */
export function noticeStates(n: TreeNode) {
  let s = noticeStatesAt.get(n.id);
  if (!s) noticeStatesAt.set(n.id, (s = placeNoticeStates(n)));
  return s;
}
async function placeNoticeStates(n: TreeNode) {
  const undelivered = await noticeWithHouseholdAt(n);
  const delivered = await noticeWithHouseholdAt(n);
  const res = await adminClient.post(`/api/notices/${delivered.noticeId}/deliveries`, {
    householdIds: [delivered.householdId],
    method: 'door',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { undelivered, delivered };
}
/** The node itself, or its parent for a grid: where departments and directives to a child can be placed. */
export async function aboveGrid(n: TreeNode): Promise<TreeNode> {
  if (n.level !== 'grid') return n;
  const p = await db
    .selectFrom('nodes as c')
    .innerJoin('nodes as p', 'p.id', 'c.parent_id')
    .select(['p.id', 'p.path', 'p.name', 'p.level', 'p.full_code'])
    .where('c.id', '=', n.id)
    .executeTakeFirstOrThrow();
  return { id: p.id, path: p.path, name: p.name, level: p.level, fullCode: p.full_code };
}

/** The client with headers added to every request it sends (e.g. Accept-Language). */
export function withHeaders(c: Client, headers: Record<string, string>): Client {
  const proxy: Client = new Proxy(c, {
    get(target, prop) {
      if (prop === 'request')
        return (opts: Parameters<Client['request']>[0]) =>
          target.request({ ...opts, headers: { ...headers, ...(opts.headers as Record<string, string>) } });
      const v: unknown = Reflect.get(target, prop, target);
      // get/post/… call this.request: bound to the proxy, they go through the override above.
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(proxy) : v;
    },
  });
  return proxy;
}

/**
 * Sends every case's requests as each actor (node calls inside and outside, list calls, and the
 * scope-before-state calls) and hands each response to `visit`. Judges nothing itself: for sweeps
 * over the matrix's answers, such as the language of every text. Call after setUp().
 */
export async function sweepResponses(
  cases: Record<string, Case>,
  visit: (key: string, actor: Actor, res: Res) => void | Promise<void>,
  opts: { actors?: Actor[]; headers?: Record<string, string> } = {},
): Promise<number> {
  let sent = 0;
  for (const actor of opts.actors ?? [...ACTORS, ...MORE_CAST]) {
    const signedIn = await t.login(actor.name);
    const c = opts.headers ? withHeaders(signedIn, opts.headers) : signedIn;
    const x = { actor, c };
    for (const [key, v] of Object.entries(cases)) {
      const out: Res[] = [];
      if (v.node) {
        for (const n of actor.outside()) out.push(...(await v.node.call(x, n, 'outside')));
        for (const n of actor.inside()) out.push(...(await v.node.call(x, n, 'inside')));
      }
      if (v.list) out.push(await v.list.call(x));
      if (v.states) for (const n of actor.outside()) out.push(...Object.values(await v.states(x, n)));
      for (const res of out) await visit(key, actor, res);
      sent += out.length;
    }
  }
  return sent;
}
