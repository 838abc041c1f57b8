// The demo's notice on both databases: published to the district, about half delivered unevenly
// (some grids done, some untouched), with progress rows and the cockpit's counters equal to direct counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoticeDetail } from '../../../common/contracts/notices.js';
import { subtreeRange } from '../../db/dialect.js';
import type { DB } from '../../db/index.js';
import { seedDemoNotice } from '../../demo/notices-seed.js';
import { buildTestApp, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, type Tree } from '../../test/factories.js';
import { insertHousehold, scratchChild } from '../../test/routes.js';

let t: TestApp;
let db: DB;
let tree: Tree;

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  // 40 grids of 20 households: enough grids for every share to come up.
  for (const v of tree.villages)
    for (let g = 0; g < 3; g++) {
      const grid = await scratchChild(db, v, 'grid');
      for (let h = 0; h < 20; h++) await insertHousehold(db, grid, `演示路${h}号`);
    }
  for (const g of tree.grids) for (let h = 0; h < 20; h++) await insertHousehold(db, g, `演示巷${h}号`);
});
afterAll(async () => t.close());

const count = async (table: 'households' | 'notice_deliveries', path: string) => {
  const [lo, hi] = subtreeRange(path);
  return Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('node_path', '>=', lo)
        .where('node_path', '<', hi)
        .executeTakeFirstOrThrow()
    ).n,
  );
};

describe('the demo notice', () => {
  it('is about half delivered, unevenly, in the past days, with progress and counters that match', async () => {
    const now = Date.parse('2026-02-10T04:00:00.000Z');
    const out = (await seedDemoNotice(db, { commandId: null, now }))!;
    expect(out.households).toBe(await count('households', tree.district.path));
    expect(out.delivered / out.households).toBeGreaterThan(0.3);
    expect(out.delivered / out.households).toBeLessThan(0.7);
    const n = await db
      .selectFrom('notices')
      .selectAll()
      .where('id', '=', out.noticeId)
      .executeTakeFirstOrThrow();
    expect(n.published_at).toBe('2026-02-05T04:00:00.000Z');
    const deliveries = await db
      .selectFrom('notice_deliveries')
      .select(['delivered_at', 'method'])
      .where('notice_id', '=', out.noticeId)
      .execute();
    for (const d of deliveries) {
      expect(
        d.delivered_at > n.published_at && d.delivered_at < '2026-02-10T04:00:00.000Z',
        d.delivered_at,
      ).toBe(true);
      expect(['door', 'phone', 'wechat', 'loudspeaker']).toContain(d.method);
    }
    // Uneven: some grids complete, some untouched.
    const grids = await db.selectFrom('nodes').select(['path']).where('level', '=', 'grid').execute();
    const shares = await Promise.all(
      grids.map(
        async (g) => (await count('notice_deliveries', g.path)) / (await count('households', g.path)),
      ),
    );
    expect(shares.filter((s) => s === 1).length).toBeGreaterThan(0);
    expect(shares.filter((s) => s === 0).length).toBeGreaterThan(0);
    // The grid worker's grid is partly done, by them.
    const gw = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'gridworker')
      .executeTakeFirstOrThrow();
    const mine = await db
      .selectFrom('notice_deliveries')
      .select('delivered_by_user_id')
      .where('node_path', '=', tree.grids[0]!.path)
      .execute();
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(20);
    expect(mine.every((m) => m.delivered_by_user_id === gw.id)).toBe(true);
    // Progress rows and counters equal direct counts at every node, read through the API too.
    const commander = await t.login('commander');
    for (const node of [tree.district, ...tree.towns, ...tree.villages, ...tree.grids]) {
      const direct = await count('notice_deliveries', node.path);
      const p = await db
        .selectFrom('notice_progress')
        .select(['households', 'delivered'])
        .where('notice_id', '=', out.noticeId)
        .where('node_path', '=', node.path)
        .executeTakeFirstOrThrow();
      expect({ at: node.name, households: Number(p.households), delivered: Number(p.delivered) }).toEqual({
        at: node.name,
        households: await count('households', node.path),
        delivered: direct,
      });
      const c = await db
        .selectFrom('live_counters')
        .select('value')
        .where('command_id', '=', 0)
        .where('metric', '=', 'notices.delivered')
        .where('node_path', '=', node.path)
        .executeTakeFirst();
      expect(Number(c?.value ?? 0)).toBe(direct);
      const res = await commander.get<NoticeDetail>(`/api/notices/${out.noticeId}?node=${node.id}`);
      expect(res.body.progress.delivered).toBe(direct);
    }
  });
});
