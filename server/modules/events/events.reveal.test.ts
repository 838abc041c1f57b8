// Calling the reporter back: the audited reveal of an event reporter's phone, on both databases.
// Who may (events.reveal where it happened, or the lead department's handlers), what it leaves
// (one audit row with the reason), and where the phone never shows (the detail, the tracking page).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../../common/contracts/events.js';
import type { DB } from '../../db/index.js';
import { up as grantReveal } from '../../db/migrations/20261128_0010_events_reveal.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';

const PHONE = '13812345678';
const ACTION = 'event.reveal_reporter_phone';
let t: TestApp;
let db: DB;
let tree: Tree;
let admin: Client,
  cadre: Client,
  towncmd: Client,
  commander: Client,
  gridworker: Client,
  otherGridworker: Client,
  handler: Client,
  otherHandler: Client;
let leadDept: number, otherDept: number;
const cats = new Map<string, number>();

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  // Grid 2 lies in village 1 of town 1 as well, but not in the grid worker's grid 1.
  await makeUser(db, 'gridworker2', [{ role: 'grid_worker', node: tree.grids[1]! }]);
  const handlerId = await makeUser(db, 'handler', [{ role: 'department_handler', node: tree.towns[0]! }]);
  const handler2Id = await makeUser(db, 'handler2', [{ role: 'department_handler', node: tree.towns[0]! }]);
  admin = await t.login('admin');
  cadre = await t.login('cadre');
  towncmd = await t.login('towncmd');
  commander = await t.login('commander');
  gridworker = await t.login('gridworker');
  otherGridworker = await t.login('gridworker2');
  handler = await t.login('handler');
  otherHandler = await t.login('handler2');
  for (const c of await db.selectFrom('event_categories').select(['id', 'code']).execute())
    cats.set(c.code, c.id);
  const dept = async (kind: string, name: string, member: number) => {
    const res = await towncmd.post<{ id: number }>('/api/departments', {
      nodeId: tree.towns[0]!.id,
      kind,
      name,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await towncmd.post(`/api/departments/${res.body.id}/members`, { userId: member })).status).toBe(
      201,
    );
    return res.body.id;
  };
  leadDept = await dept('urban', '镇1综合执法队', handlerId);
  otherDept = await dept('police', '镇1派出所', handler2Id);
});
afterAll(async () => t.close());

/** A resident's report in the grid worker's grid, with a phone unless told otherwise. */
async function residentReport(phone: string | null = PHONE) {
  const res = await t.anon().post<{ trackingCode: string }>('/api/public/events', {
    categoryId: cats.get('environment.garbage'),
    description: '楼下垃圾没人清',
    nodeId: tree.grids[0]!.id,
    name: '王先生',
    ...(phone ? { phone } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const row = await db
    .selectFrom('events')
    .select('id')
    .where('tracking_code', '=', res.body.trackingCode)
    .executeTakeFirstOrThrow();
  return { id: row.id, code: res.body.trackingCode };
}
const reveal = (c: Client, id: number, body: unknown = { reason: '回访群众核实情况' }) =>
  c.post<{ phone?: string; code?: string; issues?: { path: string }[] }>(
    `/api/events/${id}/reveal-reporter-phone`,
    body,
  );
const revealsOf = (id: number) =>
  db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', ACTION)
    .where('entity_id', '=', String(id))
    .orderBy('id')
    .execute();
const detailOf = async (c: Client, id: number) => {
  const res = await c.get<EventDetail>(`/api/events/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe(`revealing the reporter's phone (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('the village cadre gets the clear phone once, and exactly one audit row with the reason, placed at the event', async () => {
    const { id } = await residentReport();
    const before = await detailOf(cadre, id);
    expect(before.reporter).toEqual({ name: '王先生', phone: '138****5678' });
    expect(before.abilities.revealPhone).toBe(true);
    const res = await reveal(cadre, id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ phone: `+86${PHONE}` });
    const rows = await revealsOf(id);
    expect(rows).toHaveLength(1);
    const event = await db
      .selectFrom('events')
      .select('node_path')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(rows[0]).toMatchObject({ entity_type: 'event', node_path: event.node_path, actor_label: 'cadre' });
    expect(JSON.parse(rows[0]!.detail!)).toEqual({ reason: '回访群众核实情况' });
    // The audit keeps the reason, never the number.
    expect(rows[0]!.detail).not.toContain('5678');
    // The detail still shows the masked phone only.
    expect(JSON.stringify(await detailOf(cadre, id))).not.toContain(PHONE);
  });

  it('the town and district commanders reveal too (events.reveal where the event happened)', async () => {
    const { id } = await residentReport();
    for (const c of [towncmd, commander]) {
      expect((await detailOf(c, id)).abilities.revealPhone).toBe(true);
      const res = await reveal(c, id);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.phone).toBe(`+86${PHONE}`);
    }
    expect(await revealsOf(id)).toHaveLength(2);
  });

  it('the grid worker of another grid gets 403 and leaves no audit row; the grid’s own worker, without events.reveal, 403 too', async () => {
    const { id } = await residentReport();
    const other = await reveal(otherGridworker, id);
    expect(other.status).toBe(403);
    expect(String(other.headers['content-type'])).toMatch(/^application\/problem\+json/);
    // The grid worker sees the event in their grid, but is offered no reveal and gets none.
    expect((await detailOf(gridworker, id)).abilities.revealPhone).toBe(false);
    const own = await reveal(gridworker, id);
    expect(own.status).toBe(403);
    // The answer, its random request id left out (a UUID may hold those four digits), has no number.
    expect(JSON.stringify({ ...own.body, requestId: undefined })).not.toContain('5678');
    expect(await revealsOf(id)).toEqual([]);
  });

  it('a missing or empty reason is 400 listing body.reason; unknown fields too; nothing is written', async () => {
    const { id } = await residentReport();
    for (const body of [
      {},
      { reason: '' },
      { reason: '   ' },
      { reason: 'x' },
      { reason: 'x'.repeat(501) },
    ]) {
      const res = await reveal(cadre, id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.issues!.map((i) => i.path)).toEqual(['body.reason']);
    }
    const extra = await reveal(cadre, id, { reason: '回访', field: 'phone' });
    expect(extra.status).toBe(400);
    expect(await revealsOf(id)).toEqual([]);
  });

  it('the lead department’s handler may reveal once it is dispatched to them; an assisting department’s may not', async () => {
    const { id } = await residentReport();
    // Not yet dispatched: the handler cannot even see it.
    expect((await reveal(handler, id)).status).toBe(403);
    expect((await admin.post(`/api/events/${id}/actions`, { action: 'accept' })).status).toBe(200);
    const dispatched = await admin.post(`/api/events/${id}/actions`, {
      action: 'dispatch',
      departmentId: leadDept,
      assistingDepartmentIds: [otherDept],
    });
    expect(dispatched.status, JSON.stringify(dispatched.body)).toBe(200);
    expect((await detailOf(handler, id)).abilities.revealPhone).toBe(true);
    const res = await reveal(handler, id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.phone).toBe(`+86${PHONE}`);
    // The assisting team sees the event but does not call the reporter.
    expect((await detailOf(otherHandler, id)).abilities.revealPhone).toBe(false);
    expect((await reveal(otherHandler, id)).status).toBe(403);
    const rows = await revealsOf(id);
    expect(rows.map((r) => r.actor_label)).toEqual(['handler']);
  });

  it('an event without a phone is 409 and offers no reveal; an unknown event is 404', async () => {
    const { id } = await residentReport(null);
    expect((await detailOf(cadre, id)).abilities.revealPhone).toBe(false);
    const res = await reveal(cadre, id);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('event.no_phone');
    // Who may not reveal learns nothing more: still 403.
    expect((await reveal(otherGridworker, id)).status).toBe(403);
    expect((await reveal(cadre, 999_999)).status).toBe(404);
    expect(await revealsOf(id)).toEqual([]);
  });

  it('the public tracking page shows no phone, masked or clear, even after a reveal', async () => {
    const { id, code } = await residentReport();
    expect((await reveal(cadre, id)).status).toBe(200);
    const res = await t.anon().get(`/api/public/events/${code}`);
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    for (const s of [PHONE, '5678', '王先生']) expect(text).not.toContain(s);
  });

  it('an existing installation’s triaging roles gain events.reveal by migration; the grid worker does not', async () => {
    const perms = async (code: string) =>
      JSON.parse(
        (
          await db
            .selectFrom('roles')
            .select('permissions')
            .where('code', '=', code)
            .executeTakeFirstOrThrow()
        ).permissions,
      ) as string[];
    // As an installation from before this permission existed.
    for (const code of ['district_commander', 'town_commander', 'village_cadre'])
      await db
        .updateTable('roles')
        .set({ permissions: JSON.stringify((await perms(code)).filter((p) => p !== 'events.reveal')) })
        .where('code', '=', code)
        .execute();
    await grantReveal(db);
    for (const code of ['district_commander', 'town_commander', 'village_cadre'])
      expect(await perms(code), code).toContain('events.reveal');
    expect(await perms('grid_worker')).not.toContain('events.reveal');
    expect(await perms('department_handler')).not.toContain('events.reveal');
  });
});
