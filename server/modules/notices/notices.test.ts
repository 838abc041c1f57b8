// Notices through the API, on both databases: publishing counts households per node; grid workers
// deliver in their own grid only; progress at every level adds up and equals a direct count of the
// deliveries; the cockpit's counters follow; undo puts everything back; bad input is listed, not written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DeliverResponse,
  NoticeDetail,
  NoticeHousehold,
  NoticeSummary,
} from '../../../common/contracts/notices.js';
import { subtreeRange } from '../../db/dialect.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree, type TreeNode } from '../../test/factories.js';
import { insertHousehold, insertPerson, nthIdNumber, scratchChild } from '../../test/routes.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let commander: Client, cadre: Client, gridworker: Client, gridworker2: Client, admin: Client, towncmd: Client;
/** Households per grid, in tree.grids order. */
const byGrid = new Map<number, number[]>();
let seq = 0;

type Paged<T> = { items: T[]; total: number; page: number; pageSize: number };

async function household(g: TreeNode) {
  const id = await insertHousehold(db, g, `通知路${++seq}号`);
  const head = await insertPerson(db, g, {
    name: `户主${seq}`,
    idNumber: nthIdNumber(seq, '330112'),
    householdId: id,
  });
  await db.updateTable('households').set({ head_person_id: head }).where('id', '=', id).execute();
  return id;
}
const range = (p: string) => subtreeRange(p);
/** Households under a path; for a notice, those registered by its publication. */
async function householdsUnder(p: string, noticeId?: number) {
  const [lo, hi] = range(p);
  let q = db
    .selectFrom('households')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('node_path', '>=', lo)
    .where('node_path', '<', hi);
  if (noticeId !== undefined)
    q = q.where(
      'id',
      '<=',
      (
        await db
          .selectFrom('notices')
          .select('last_household_id')
          .where('id', '=', noticeId)
          .executeTakeFirstOrThrow()
      ).last_household_id,
    );
  return Number((await q.executeTakeFirstOrThrow()).n);
}
async function deliveredUnder(noticeId: number, p: string) {
  const [lo, hi] = range(p);
  return Number(
    (
      await db
        .selectFrom('notice_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('notice_id', '=', noticeId)
        .where('node_path', '>=', lo)
        .where('node_path', '<', hi)
        .executeTakeFirstOrThrow()
    ).n,
  );
}
async function counter(metric: string, p: string, commandId = 0) {
  const r = await db
    .selectFrom('live_counters')
    .select('value')
    .where('command_id', '=', commandId)
    .where('metric', '=', metric)
    .where('node_path', '=', p)
    .executeTakeFirst();
  return Number(r?.value ?? 0);
}
const deliveryCount = async () =>
  Number(
    (
      await db
        .selectFrom('notice_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const allNodes = () => [tree.district, ...tree.towns, ...tree.villages, ...tree.grids];

async function publish(c: Client, node: TreeNode, extra: Record<string, unknown> = {}) {
  const res = await c.post<NoticeDetail>('/api/notices', {
    nodeId: node.id,
    title: '疫情防控告知书',
    body: '请居家配合排查。',
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
async function openCommand(node: TreeNode, closed = false) {
  const now = nowIso();
  const r = await db
    .insertInto('incident_commands')
    .values({
      name: '疫情防控指挥部',
      response_level: 'II',
      node_id: node.id,
      node_path: node.path,
      started_at: now,
      closed_at: closed ? now : null,
      summary: closed ? '结束' : null,
      created_by_user_id: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  await makeUser(db, 'gridworker2', [{ role: 'grid_worker', node: tree.grids[1]! }]);
  // Grid i holds i + 1 households (36 in all), so that every level's sum is distinct.
  for (const [i, g] of tree.grids.entries()) {
    const ids: number[] = [];
    for (let k = 0; k <= i; k++) ids.push(await household(g));
    byGrid.set(i, ids);
  }
  commander = await t.login('commander');
  cadre = await t.login('cadre');
  gridworker = await t.login('gridworker');
  gridworker2 = await t.login('gridworker2');
  admin = await t.login('admin');
  towncmd = await t.login('towncmd');
});
afterAll(async () => t.close());

describe('publishing', () => {
  it('counts the households of every node of the subtree and bumps the cockpit counters', async () => {
    const before = new Map(
      await Promise.all(
        allNodes().map(async (n) => [n.path, await counter('notices.households', n.path)] as const),
      ),
    );
    const n = await publish(commander, tree.district);
    expect(n.households).toBe(36);
    expect(n.progress).toMatchObject({
      node: { id: tree.district.id },
      households: 36,
      delivered: 0,
      percent: 0,
    });
    expect(n.children.map((c) => [c.node.id, c.households])).toEqual(
      tree.towns.map((tw) => [tw.id, 0]).map(([id], i) => [id, i === 0 ? 1 + 2 + 3 + 4 : 5 + 6 + 7 + 8]),
    );
    const rows = await db.selectFrom('notice_progress').selectAll().where('notice_id', '=', n.id).execute();
    // One row per node of the subtree that has households (every node here).
    expect(rows.length).toBe(allNodes().length);
    for (const node of allNodes()) {
      const row = rows.find((r) => r.node_path === node.path)!;
      expect({
        node: node.name,
        households: Number(row.households),
        delivered: Number(row.delivered),
      }).toEqual({ node: node.name, households: await householdsUnder(node.path), delivered: 0 });
      expect(await counter('notices.households', node.path)).toBe(
        before.get(node.path)! + (await householdsUnder(node.path)),
      );
    }
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'node_path'])
      .where('entity_type', '=', 'notice')
      .where('entity_id', '=', String(n.id))
      .execute();
    expect(audit).toEqual([{ action: 'notice.publish', node_path: tree.district.path }]);
    const live = await db
      .selectFrom('live_events')
      .select(['kind', 'paths'])
      .where('kind', '=', 'notice.published')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(live.paths)).toEqual([tree.district.path]);
  });

  it('a village notice has rows for its grids and itself only, and counts for its command too', async () => {
    const cmd = await openCommand(tree.district);
    const n = await publish(cadre, tree.villages[0]!, { commandId: cmd });
    expect(n.commandId).toBe(cmd);
    expect(n.households).toBe(1 + 2);
    const rows = await db
      .selectFrom('notice_progress')
      .select(['node_path', 'households'])
      .where('notice_id', '=', n.id)
      .orderBy('node_path')
      .execute();
    expect(rows.map((r) => [r.node_path, Number(r.households)]).sort()).toEqual(
      [
        [tree.villages[0]!.path, 3],
        [tree.grids[0]!.path, 1],
        [tree.grids[1]!.path, 2],
      ].sort(),
    );
    // The command's counters hold this notice only; the district's for the command too.
    expect(await counter('notices.households', tree.district.path, cmd)).toBe(3);
    expect(await counter('notices.households', tree.grids[1]!.path, cmd)).toBe(2);
  });

  it('refuses a subtree with no households, a bad command and bad input with each issue, writing nothing', async () => {
    const empty = await scratchChild(db, tree.villages[3]!, 'grid');
    const closed = await openCommand(tree.district, true);
    const elsewhere = await openCommand(tree.towns[1]!);
    const count = async () => (await db.selectFrom('notices').select('id').execute()).length;
    const before = await count();
    const none = await admin.post<{ code: string; issues: { path: string; code: string }[] }>(
      '/api/notices',
      { nodeId: empty.id, title: '告知书', body: '内容' },
    );
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({
      code: 'notice.no_households',
      issues: [{ path: 'body.nodeId', code: 'no_households' }],
    });
    for (const [commandId, code] of [
      [closed, 'closed'],
      [elsewhere, 'outside_command'],
      [999_999, 'unknown'],
    ] as const) {
      const res = await admin.post<{ issues: { path: string; code: string }[] }>('/api/notices', {
        nodeId: tree.villages[0]!.id,
        title: '告知书',
        body: '内容',
        commandId,
      });
      expect(res.status, String(commandId)).toBe(400);
      expect(res.body.issues).toEqual([expect.objectContaining({ path: 'body.commandId', code })]);
    }
    const bad = await admin.post<{ issues: { path: string }[] }>('/api/notices', {
      nodeId: 0,
      title: '',
      body: 'x'.repeat(5001),
      colour: 'red',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.path).sort()).toEqual(
      ['body.body', 'body.colour', 'body.nodeId', 'body.title'].sort(),
    );
    expect(await count()).toBe(before);
  });

  it('only who holds notices.publish at the node publishes', async () => {
    expect(
      (await gridworker.post('/api/notices', { nodeId: tree.grids[0]!.id, title: '告知书', body: '内容' }))
        .status,
    ).toBe(403);
    expect(
      (await cadre.post('/api/notices', { nodeId: tree.villages[1]!.id, title: '告知书', body: '内容' }))
        .status,
    ).toBe(403);
  });
});

describe('delivery', () => {
  let notice: NoticeDetail;
  beforeAll(async () => {
    notice = await publish(commander, tree.district);
  });

  it('the grid worker sees the notice at their grid and its checklist with heads’ names', async () => {
    const list = await gridworker.get<Paged<NoticeSummary>>('/api/notices');
    expect(list.status).toBe(200);
    const mine = list.body.items.find((i) => i.id === notice.id)!;
    expect(mine.progress).toMatchObject({ node: { id: tree.grids[0]!.id }, households: 1, delivered: 0 });
    const detail = await gridworker.get<NoticeDetail>(`/api/notices/${notice.id}`);
    expect(detail.body).toMatchObject({
      progress: { node: { id: tree.grids[0]!.id } },
      abilities: { checklist: true, deliver: true },
    });
    expect(detail.body.trail.map((n) => n.id)).toEqual([
      tree.district.id,
      tree.towns[0]!.id,
      tree.villages[0]!.id,
      tree.grids[0]!.id,
    ]);
    const cl = await gridworker.get<Paged<NoticeHousehold>>(`/api/notices/${notice.id}/households`);
    expect(cl.status).toBe(200);
    expect(cl.body.items.map((h) => h.id)).toEqual(byGrid.get(0));
    expect(cl.body.items[0]).toMatchObject({ delivered: false, abilities: { deliver: true } });
    expect(cl.body.items[0]!.headName).toMatch(/^户主/);
    expect(cl.body.items[0]!.address).toMatch(/^通知路/);
    // Another grid is outside: detail and checklist refused.
    expect((await gridworker.get(`/api/notices/${notice.id}?node=${tree.grids[1]!.id}`)).status).toBe(403);
    expect(
      (await gridworker.get(`/api/notices/${notice.id}/households?node=${tree.grids[1]!.id}`)).status,
    ).toBe(403);
  });

  it('a grid worker delivers in their grid only: another grid’s household is refused and nothing is written', async () => {
    const before = await deliveryCount();
    const [mine] = byGrid.get(0)!;
    const [theirs] = byGrid.get(1)!;
    const res = await gridworker.post<{ issues: { path: string; code: string }[] }>(
      `/api/notices/${notice.id}/deliveries`,
      { householdIds: [mine, theirs], method: 'door' },
    );
    expect(res.status).toBe(403);
    expect(res.body.issues).toEqual([
      expect.objectContaining({ path: 'body.householdIds.1', code: 'forbidden' }),
    ]);
    expect(await deliveryCount()).toBe(before);
    const ok = await gridworker.post<DeliverResponse>(`/api/notices/${notice.id}/deliveries`, {
      householdIds: [mine],
      method: 'door',
      note: '本人签收',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toEqual({ delivered: [mine], skipped: [] });
    const row = await db
      .selectFrom('notice_deliveries')
      .selectAll()
      .where('notice_id', '=', notice.id)
      .where('household_id', '=', mine!)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ node_path: tree.grids[0]!.path, method: 'door', note: '本人签收' });
    const live = await db
      .selectFrom('live_events')
      .select(['kind', 'paths'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect({ kind: live.kind, paths: JSON.parse(live.paths) as unknown }).toEqual({
      kind: 'notice.delivered',
      paths: [tree.grids[0]!.path],
    });
  });

  it('already delivered households are skipped and reported back', async () => {
    const ids = byGrid.get(1)!;
    const first = await gridworker2.post<DeliverResponse>(`/api/notices/${notice.id}/deliveries`, {
      householdIds: [ids[0]],
      method: 'phone',
    });
    expect(first.body).toEqual({ delivered: [ids[0]], skipped: [] });
    const audits = (
      await db.selectFrom('audit_log').select('id').where('action', '=', 'notice.deliver').execute()
    ).length;
    const again = await gridworker2.post<DeliverResponse>(`/api/notices/${notice.id}/deliveries`, {
      householdIds: [ids[0], ids[1]],
      method: 'wechat',
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ delivered: [ids[1]], skipped: [ids[0]] });
    // The first delivery keeps its method; one audit row with the count.
    const first0 = await db
      .selectFrom('notice_deliveries')
      .select('method')
      .where('notice_id', '=', notice.id)
      .where('household_id', '=', ids[0]!)
      .executeTakeFirstOrThrow();
    expect(first0.method).toBe('phone');
    const rows = await db
      .selectFrom('audit_log')
      .select(['detail'])
      .where('action', '=', 'notice.deliver')
      .orderBy('id')
      .execute();
    expect(rows.length).toBe(audits + 1);
    expect(JSON.parse(rows[rows.length - 1]!.detail!)).toMatchObject({
      count: 1,
      skipped: 1,
      method: 'wechat',
    });
    // All skipped: nothing is written.
    const n = await deliveryCount();
    const all = await gridworker2.post<DeliverResponse>(`/api/notices/${notice.id}/deliveries`, {
      householdIds: ids,
      method: 'door',
    });
    expect(all.body).toEqual({ delivered: [], skipped: ids });
    expect(await deliveryCount()).toBe(n);
  });

  it('lists each bad household: unknown, twice, not covered by the notice; and refuses a bad method', async () => {
    const villageNotice = await publish(cadre, tree.villages[0]!);
    const late = await household(tree.grids[0]!);
    const before = await deliveryCount();
    const [a] = byGrid.get(0)!;
    const otherVillage = byGrid.get(2)![0]!;
    const res = await admin.post<{ code: string; issues: { path: string; code: string }[] }>(
      `/api/notices/${villageNotice.id}/deliveries`,
      { householdIds: [a, 2_000_000, a, otherVillage, late], method: 'door' },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('notice.households');
    expect(res.body.issues.map((i) => [i.path, i.code])).toEqual([
      ['body.householdIds.1', 'unknown'],
      ['body.householdIds.2', 'duplicate'],
      ['body.householdIds.3', 'outside_notice'],
      ['body.householdIds.4', 'outside_notice'],
    ]);
    const method = await admin.post<{ issues: { path: string }[] }>(
      `/api/notices/${villageNotice.id}/deliveries`,
      { householdIds: [a], method: 'pigeon' },
    );
    expect(method.status).toBe(400);
    expect(method.body.issues.map((i) => i.path)).toEqual(['body.method']);
    const empty = await admin.post<{ issues: { path: string }[] }>(
      `/api/notices/${villageNotice.id}/deliveries`,
      { householdIds: [], method: 'door' },
    );
    expect(empty.status).toBe(400);
    const tooMany = await admin.post(`/api/notices/${villageNotice.id}/deliveries`, {
      householdIds: Array.from({ length: 201 }, (_, i) => i + 1),
      method: 'door',
    });
    expect(tooMany.status).toBe(400);
    expect(
      (await admin.post(`/api/notices/999999/deliveries`, { householdIds: [a], method: 'door' })).status,
    ).toBe(404);
    expect(await deliveryCount()).toBe(before);
    // The household registered after publication is not on the checklist either.
    const cl = await admin.get<Paged<NoticeHousehold>>(
      `/api/notices/${villageNotice.id}/households?node=${tree.grids[0]!.id}`,
    );
    expect(cl.body.items.map((h) => h.id)).not.toContain(late);
  });

  it('progress at every grid, village, town and the district adds up and equals a direct count; so do the counters', async () => {
    // Town A's village 0 by its cadre, town B by the admin, unevenly.
    const give = async (c: Client, grid: number, k: number, method = 'door') => {
      const res = await c.post<DeliverResponse>(`/api/notices/${notice.id}/deliveries`, {
        householdIds: byGrid.get(grid)!.slice(0, k),
        method,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    await give(cadre, 1, 2);
    await give(admin, 4, 5, 'loudspeaker');
    await give(admin, 6, 3);
    await give(admin, 7, 8);
    for (const node of allNodes()) {
      const res = await commander.get<NoticeDetail>(`/api/notices/${notice.id}?node=${node.id}`);
      expect(res.status).toBe(200);
      const direct = await deliveredUnder(notice.id, node.path);
      const households = await householdsUnder(node.path, notice.id);
      expect({ at: node.name, ...res.body.progress }).toEqual({
        at: node.name,
        node: { id: node.id, name: node.name, level: node.level },
        households,
        delivered: direct,
        percent: Math.floor((direct * 100) / households),
      });
      if (res.body.children.length > 0) {
        expect(res.body.children.reduce((s, c) => s + c.delivered, 0)).toBe(direct);
        expect(res.body.children.reduce((s, c) => s + c.households, 0)).toBe(households);
      }
    }
    expect((await commander.get<NoticeDetail>(`/api/notices/${notice.id}`)).body.progress.delivered).toBe(
      1 + 2 + 5 + 3 + 8,
    );
    // Counters for all commands: deliveries of every notice under the node.
    for (const node of allNodes()) {
      const [lo, hi] = range(node.path);
      const all = Number(
        (
          await db
            .selectFrom('notice_deliveries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('node_path', '>=', lo)
            .where('node_path', '<', hi)
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect({ node: node.name, v: await counter('notices.delivered', node.path) }).toEqual({
        node: node.name,
        v: all,
      });
    }
  });

  it('a delivery is taken back by who may deliver there, with progress and counters back', async () => {
    const [h] = byGrid.get(4)!;
    const grid = tree.grids[4]!;
    expect((await gridworker.delete(`/api/notices/${notice.id}/deliveries/${h}`)).status).toBe(403);
    const before = {
      progress: await deliveredUnder(notice.id, tree.district.path),
      counter: await counter('notices.delivered', grid.path),
    };
    const res = await admin.delete(`/api/notices/${notice.id}/deliveries/${h}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await deliveredUnder(notice.id, tree.district.path)).toBe(before.progress - 1);
    expect(await counter('notices.delivered', grid.path)).toBe(before.counter - 1);
    for (const node of [grid, tree.villages[2]!, tree.towns[1]!, tree.district]) {
      const p = await db
        .selectFrom('notice_progress')
        .select('delivered')
        .where('notice_id', '=', notice.id)
        .where('node_path', '=', node.path)
        .executeTakeFirstOrThrow();
      expect(Number(p.delivered)).toBe(await deliveredUnder(notice.id, node.path));
    }
    expect((await admin.delete(`/api/notices/${notice.id}/deliveries/${h}`)).status).toBe(404);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'node_path'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'notice.undeliver', node_path: grid.path });
    // Delivered again, it counts again.
    const again = await admin.post<DeliverResponse>(`/api/notices/${notice.id}/deliveries`, {
      householdIds: [h],
      method: 'door',
    });
    expect(again.body.delivered).toEqual([h]);
  });

  it('the checklist filters by status, pages, and hides the registry’s fields from who cannot read people', async () => {
    const village = tree.villages[3]!;
    const q = (s: string) =>
      commander.get<Paged<NoticeHousehold>>(`/api/notices/${notice.id}/households?node=${village.id}&${s}`);
    const all = await q('status=all&pageSize=200');
    const done = await q('status=delivered&pageSize=200');
    const open = await q('status=undelivered&pageSize=200');
    expect(all.body.total).toBe(await householdsUnder(village.path, notice.id));
    expect(done.body.total).toBe(await deliveredUnder(notice.id, village.path));
    expect(done.body.total + open.body.total).toBe(all.body.total);
    expect(done.body.items.every((h) => h.delivered && h.method !== null && h.deliveredAt !== null)).toBe(
      true,
    );
    expect(open.body.items.every((h) => !h.delivered && h.method === null)).toBe(true);
    expect(new Set([...done.body.items, ...open.body.items].map((h) => h.id))).toEqual(
      new Set(all.body.items.map((h) => h.id)),
    );
    const p1 = await q('pageSize=5&page=1');
    const p2 = await q('pageSize=5&page=2');
    expect([...p1.body.items, ...p2.body.items].map((h) => h.id)).toEqual(
      all.body.items.slice(0, 10).map((h) => h.id),
    );
    // The district commander holds people.read; the admin's delivering user is named.
    expect(done.body.items[0]!.deliveredBy).toBe('admin');
    // A reader of commands without people.read sees delivery, not the registry's fields.
    await makeUser(db, 'watcher', [{ role: 'grid_worker', node: village }]);
    await db
      .updateTable('roles')
      .set({ permissions: JSON.stringify(['command.read']) })
      .where('code', '=', 'volunteer')
      .execute();
    await makeUser(db, 'onlycmd', [{ role: 'volunteer', node: village }]);
    const onlycmd = await t.login('onlycmd');
    const masked = await onlycmd.get<Paged<NoticeHousehold>>(
      `/api/notices/${notice.id}/households?status=delivered`,
    );
    expect(masked.status).toBe(200);
    expect(masked.body.total).toBe(done.body.total);
    expect(
      masked.body.items.every((h) => h.address === null && h.headName === null && !h.abilities.deliver),
    ).toBe(true);
  });

  it('lists show notices overlapping the scope only, with progress at the caller’s level', async () => {
    const villageB = await publish(admin, tree.villages[1]!);
    const gridList = (await gridworker.get<Paged<NoticeSummary>>('/api/notices?pageSize=200')).body.items;
    expect(gridList.map((i) => i.id)).not.toContain(villageB.id);
    for (const i of gridList) expect(i.progress.node.id).toBe(tree.grids[0]!.id);
    expect((await gridworker.get(`/api/notices/${villageB.id}`)).status).toBe(403);
    const cmdList = await commander.get<Paged<NoticeSummary>>('/api/notices?pageSize=200');
    const total = (await db.selectFrom('notices').select('id').execute()).length;
    expect(cmdList.body.total).toBe(total);
    // Aimed at a node: notices overlapping it, with progress at the deeper of the two.
    const atVillage = await towncmd.get<Paged<NoticeSummary>>(
      `/api/notices?node=${tree.villages[1]!.id}&pageSize=200`,
    );
    expect(atVillage.status).toBe(200);
    const v = atVillage.body.items.find((i) => i.id === villageB.id)!;
    expect(v.progress.node.id).toBe(tree.villages[1]!.id);
    const d = atVillage.body.items.find((i) => i.id === notice.id)!;
    expect(d.progress).toMatchObject({
      node: { id: tree.villages[1]!.id },
      households: 3 + 4,
      delivered: await deliveredUnder(notice.id, tree.villages[1]!.path),
    });
    expect((await towncmd.get(`/api/notices?node=${tree.villages[2]!.id}`)).status).toBe(403);
    // Filtered by command.
    const cmd = await openCommand(tree.district);
    const withCmd = await publish(commander, tree.towns[1]!, { commandId: cmd });
    const byCmd = await commander.get<Paged<NoticeSummary>>(`/api/notices?command=${cmd}`);
    expect(byCmd.body.items.map((i) => i.id)).toEqual([withCmd.id]);
  });
});
