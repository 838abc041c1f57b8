// Notifications through the API, on both databases: a dispatch tells the department's handler and
// points at the event; each user reads and marks only their own; marking read can stop at the newest
// one the user has seen, so one that arrived since stays unread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../../common/contracts/events.js';
import type { Notification } from '../../../common/contracts/notifications.js';
import type { DB } from '../../db/index.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { insertNotification, makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let cadre: Client, towncmd: Client, gridworker: Client, handler: Client;
let handlerId: number;
let gridworkerId: number;
let departmentId: number;

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  handlerId = await makeUser(db, 'handler', [{ role: 'department_handler', node: tree.towns[0]! }]);
  gridworkerId = (
    await db.selectFrom('users').select('id').where('username', '=', 'gridworker').executeTakeFirstOrThrow()
  ).id;
  cadre = await t.login('cadre');
  towncmd = await t.login('towncmd');
  gridworker = await t.login('gridworker');
  handler = await t.login('handler');
  const dept = await towncmd.post<{ id: number }>('/api/departments', {
    nodeId: tree.towns[0]!.id,
    kind: 'urban',
    name: '镇1综合执法队',
  });
  expect(dept.status, JSON.stringify(dept.body)).toBe(201);
  departmentId = dept.body.id;
  expect((await towncmd.post(`/api/departments/${departmentId}/members`, { userId: handlerId })).status).toBe(
    201,
  );
});
afterAll(async () => t?.close());

const notifyDirect = (userId: number, text: string) => insertNotification(db, userId, text, 'test');
async function list(c: Client) {
  const res = await c.get<{ items: Notification[] }>('/api/notifications');
  expect(res.status).toBe(200);
  return res.body.items;
}
const unread = (items: Notification[]) => items.filter((n) => !n.read).map((n) => n.id);

describe(`notifications (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('a dispatch tells the department’s handler, newest first, pointing at the event', async () => {
    const category = await db
      .selectFrom('event_categories')
      .select('id')
      .where('code', '=', 'environment.garbage')
      .executeTakeFirstOrThrow();
    const reported = await gridworker.post<{ event: EventDetail }>('/api/events', {
      categoryId: category.id,
      title: '路边垃圾',
      description: '堆了三天',
      nodeId: tree.grids[0]!.id,
    });
    expect(reported.status, JSON.stringify(reported.body)).toBe(201);
    const id = reported.body.event.id;
    for (const body of [{ action: 'accept' }, { action: 'dispatch', departmentId }]) {
      const res = await cadre.post(`/api/events/${id}/actions`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const items = await list(handler);
    expect(items[0]).toMatchObject({
      kind: 'event.dispatch',
      entityType: 'event',
      entityId: id,
      read: false,
    });
    // Stored as a code with the title, read in the language asked.
    expect(items[0]!.text).toMatch(/^新派遣事件：.*路边垃圾/);
    const en = await handler.request<{ items: Notification[] }>({
      method: 'GET',
      url: '/api/notifications',
      headers: { 'accept-language': 'en' },
    });
    expect(en.body.items[0]!.text).toMatch(/^New event dispatched: .*路边垃圾/);
    // The grid worker who reported it was not told of the dispatch.
    expect((await list(gridworker)).some((n) => n.kind === 'event.dispatch' && n.entityId === id)).toBe(
      false,
    );
  });

  it('marks all of the caller’s notifications read, and no one else’s', async () => {
    const mine = [await notifyDirect(handlerId, '一'), await notifyDirect(handlerId, '二')];
    const theirs = await notifyDirect(gridworkerId, '别人的');
    const before = await list(handler);
    expect(before.map((n) => n.id)).not.toContain(theirs);
    expect(before.map((n) => n.id).slice(0, 2)).toEqual([mine[1], mine[0]]);
    expect((await handler.post('/api/notifications/read')).status).toBe(200);
    expect(unread(await list(handler))).toEqual([]);
    expect(unread(await list(gridworker))).toContain(theirs);
  });

  it('with upToId marks only those up to the newest the caller has seen; a later one stays unread', async () => {
    const seen = await notifyDirect(handlerId, '看到了');
    const newer = await notifyDirect(handlerId, '后来的');
    const theirs = await notifyDirect(gridworkerId, '别人的');
    // An id of someone else's does not reach their notifications either.
    const res = await handler.post('/api/notifications/read', { upToId: theirs });
    expect(res.status).toBe(200);
    expect(unread(await list(gridworker))).toContain(theirs);
    // theirs > newer > seen: everything of the handler's up to it is read.
    expect(unread(await list(handler))).toEqual([]);

    const a = await notifyDirect(handlerId, '三');
    const b = await notifyDirect(handlerId, '四');
    expect((await handler.post('/api/notifications/read', { upToId: a })).status).toBe(200);
    const after = await list(handler);
    expect(unread(after)).toEqual([b]);
    expect(after.find((n) => n.id === a)!.read).toBe(true);
    expect([seen, newer].every((id) => after.find((n) => n.id === id)!.read)).toBe(true);
  });

  it('refuses a malformed body', async () => {
    for (const body of [{ upToId: 'x' }, { upToId: 0 }, { upToId: 1, other: true }]) {
      const res = await handler.post<{ code: string }>('/api/notifications/read', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await handler.post('/api/notifications/read', {})).status).toBe(200);
  });

  it('needs a signed-in user', async () => {
    expect((await t.anon().get('/api/notifications')).status).toBe(401);
    expect((await t.anon().post('/api/notifications/read')).status).toBe(401);
  });
});
