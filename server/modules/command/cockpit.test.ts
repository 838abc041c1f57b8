// The cockpit through the API, on both databases: every figure of the district and of its children
// equals a direct count of the records it stands for (open and overdue cases, directive targets by
// state and level, today's daily reports, notices delivered), per command too; the map's grids and
// the escalations feed; nothing outside the caller's jurisdiction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CockpitResponse, DirectiveDetail } from '../../../common/contracts/command.js';
import { localDate } from '../../../common/worktime.js';
import type { DB } from '../../db/index.js';
import { subtreeRange } from '../../db/dialect.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree, type TreeNode } from '../../test/factories.js';
import { insertHousehold, userIdOf } from '../../test/routes.js';
import { bumpCounters } from '../../platform/live.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let clockMs = Date.now();
const clock = () => new Date(clockMs).toISOString();
const inHours = (h: number) => new Date(clockMs + h * 3_600_000).toISOString();
let admin: Client, commander: Client, towncmd: Client;
let commandId: number;

const OPEN = [
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
const count = async (q: Promise<{ n: number | string | bigint } | undefined>) => Number((await q)?.n ?? 0);
const range = (p: string) => subtreeRange(p);

/** The figures of a node counted straight from the records. */
async function direct(n: TreeNode, command?: number) {
  const [lo, hi] = range(n.path);
  const targets = await db
    .selectFrom('directive_targets')
    .select(['state', 'node_level', 'overdue', 'command_id'])
    .where('node_path', '>=', lo)
    .where('node_path', '<', hi)
    .execute();
  const mine = targets.filter((x) => !command || x.command_id === command);
  const byLevel = (pred: (x: (typeof mine)[number]) => boolean) =>
    Object.fromEntries(
      ['town', 'village', 'grid'].map((l) => [l, mine.filter((x) => x.node_level === l && pred(x)).length]),
    );
  const notices = await db
    .selectFrom('notice_deliveries as d')
    .innerJoin('notices as n', 'n.id', 'd.notice_id')
    .select(['n.command_id'])
    .where('d.node_path', '>=', lo)
    .where('d.node_path', '<', hi)
    .execute();
  return {
    eventsOpen: await count(
      db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('node_path', '>=', lo)
        .where('node_path', '<', hi)
        .where('state', 'in', OPEN)
        .executeTakeFirst(),
    ),
    eventsOverdue: await count(
      db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('node_path', '>=', lo)
        .where('node_path', '<', hi)
        .where('due_at', '<', clock())
        .executeTakeFirst(),
    ),
    directivesUnsigned: byLevel((x) => x.state === 'pending'),
    directivesUnreported: byLevel((x) => x.state === 'signed'),
    directivesOverdue: byLevel((x) => x.overdue === 1),
    reportsSubmitted: await count(
      db
        .selectFrom('report_submissions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('node_path', '>=', lo)
        .where('node_path', '<', hi)
        .where('day', '=', localDate(clock()))
        .executeTakeFirst(),
    ),
    noticesDelivered: notices.filter((x) => !command || x.command_id === command).length,
  };
}

const cockpit = async (c: Client, query = '') => {
  const res = await c.get<CockpitResponse>(`/api/cockpit${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

beforeAll(async () => {
  t = await buildTestApp({}, { clock });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  for (const [i, g] of tree.grids.entries()) await makeUser(db, `gw${i}`, [{ role: 'grid_worker', node: g }]);
  for (const [i, v] of tree.villages.entries())
    await makeUser(db, `vc${i}`, [{ role: 'village_cadre', node: v }]);
  admin = await t.login('admin');
  commander = await t.login('commander');
  towncmd = await t.login('towncmd');

  const cmd = await commander.post<{ id: number }>('/api/commands', {
    name: '防汛防台指挥部',
    responseLevel: 'III',
    nodeId: tree.district.id,
  });
  expect(cmd.status).toBe(201);
  commandId = cmd.body.id;

  // Cases: reported in several grids; one rejected (closed), one accepted (its clock runs).
  const garbage = (
    await db
      .selectFrom('event_categories')
      .select('id')
      .where('code', '=', 'environment.garbage')
      .executeTakeFirstOrThrow()
  ).id;
  const ids: number[] = [];
  for (const [i, g] of tree.grids.entries()) {
    for (let k = 0; k <= i % 3; k++) {
      const r = await admin.post<{ event: { id: number } }>('/api/events', {
        categoryId: garbage,
        title: `驾驶舱事件${i}-${k}`,
        description: '测试',
        nodeId: g.id,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids.push(r.body.event.id);
    }
  }
  expect(
    (await admin.post(`/api/events/${ids[0]}/actions`, { action: 'reject', reason: '重复' })).status,
  ).toBe(200);
  expect((await admin.post(`/api/events/${ids[1]}/actions`, { action: 'accept' })).status).toBe(200);

  // Directives: one under the command to every grid, half signed and a quarter reported; one to the towns outside it.
  const d = await commander.post<DirectiveDetail>('/api/directives', {
    commandId,
    issuerNodeId: tree.district.id,
    title: '巡查河道',
    body: '各网格巡查',
    targets: { kind: 'level', level: 'grid', within: [tree.district.id] },
    signDueAt: inHours(1),
    reportDueAt: inHours(30),
  });
  expect(d.status, JSON.stringify(d.body)).toBe(201);
  const targets = await db
    .selectFrom('directive_targets')
    .select(['id', 'node_id'])
    .where('directive_id', '=', d.body.id)
    .orderBy('node_id')
    .execute();
  for (const [i, x] of targets.entries()) {
    if (i % 2 === 1) continue;
    const gw = await t.login(`gw${tree.grids.findIndex((g) => g.id === x.node_id)}`);
    expect((await gw.post(`/api/directive-targets/${x.id}/sign`, {})).status).toBe(200);
    if (i % 4 === 0)
      expect((await gw.post(`/api/directive-targets/${x.id}/report`, { text: '已巡查' })).status).toBe(200);
  }
  expect(
    (
      await commander.post('/api/directives', {
        issuerNodeId: tree.district.id,
        title: '安全检查',
        body: '各镇街',
        targets: { kind: 'level', level: 'town', within: [tree.district.id] },
        signDueAt: inHours(1),
        reportDueAt: inHours(30),
      })
    ).status,
  ).toBe(201);

  // A daily report for every village, filled today by one of them.
  const today = localDate(clock());
  const tpl = await commander.post<{ id: number }>('/api/report-templates', {
    commandId,
    title: '汛情日报',
    nodeId: tree.district.id,
    targetLevel: 'village',
    dueTime: '17:00',
    startDay: today,
    fields: [
      {
        code: 'n',
        labelZh: '转移人数',
        labelEn: 'Evacuated',
        type: 'integer',
        aggregation: 'sum',
        required: true,
      },
    ],
  });
  expect(tpl.status, JSON.stringify(tpl.body)).toBe(201);
  const vc0 = await t.login('vc0');
  expect(
    (
      await vc0.put(`/api/report-templates/${tpl.body.id}/submissions`, {
        nodeId: tree.villages[0]!.id,
        day: today,
        values: { n: 3 },
      })
    ).status,
  ).toBe(200);

  // A notice to the whole district under the command; two households of the first grid told.
  const households = [];
  for (const g of tree.grids)
    households.push(
      await insertHousehold(db, g, `${g.name}1号`),
      await insertHousehold(db, g, `${g.name}2号`),
    );
  const notice = await commander.post<{ id: number }>('/api/notices', {
    commandId,
    nodeId: tree.district.id,
    title: '防汛告知书',
    body: '请做好防汛准备',
  });
  expect(notice.status, JSON.stringify(notice.body)).toBe(201);
  const gw0 = await t.login('gw0');
  expect(
    (
      await gw0.post(`/api/notices/${notice.body.id}/deliveries`, {
        householdIds: households.slice(0, 2),
        method: 'door',
      })
    ).status,
  ).toBe(200);

  // Two hours on: the grid targets nobody signed are past their deadline; the sweep escalates them.
  clockMs += 2 * 3_600_000;
  expect((await commander.post('/api/directives/sweep')).status).toBe(200);
});
afterAll(async () => t.close());

describe('the cockpit', () => {
  it('gives the district’s figures and its children’s, each equal to a direct count', async () => {
    const c = await cockpit(commander);
    expect(c.node.id).toBe(tree.district.id);
    const want = await direct(tree.district);
    expect(c.figures).toMatchObject(want);
    expect(c.figures.reportsExpected).toBe(tree.villages.length);
    expect(c.figures.noticesHouseholds).toBe(tree.grids.length * 2);
    expect(c.figures.directivesOverdue.grid).toBeGreaterThan(0);
    expect(c.children.map((x) => x.node.id)).toEqual(tree.towns.map((x) => x.id));
    for (const [i, town] of tree.towns.entries())
      expect(c.children[i]!.figures).toMatchObject(await direct(town));
    // The children add up to the district.
    expect(c.children.reduce((a, x) => a + x.figures.eventsOpen, 0)).toBe(c.figures.eventsOpen);
    expect(c.asOf).toBeGreaterThan(0);
  });

  it('filters directives, reports and notices by command (cases are not filed under commands)', async () => {
    const c = await cockpit(commander, `?command=${commandId}`);
    expect(c.commandId).toBe(commandId);
    expect(c.figures).toMatchObject({
      ...(await direct(tree.district, commandId)),
      eventsOpen: (await direct(tree.district)).eventsOpen,
    });
    expect(c.figures.directivesUnsigned.town).toBe(0);
  });

  it('colours the grids by the chosen figure', async () => {
    const c = await cockpit(commander, '?metric=directivesPending');
    expect(c.map.grids.map((g) => g.id).sort()).toEqual(tree.grids.map((g) => g.id).sort());
    for (const g of tree.grids) {
      const d = await direct(g);
      expect(c.map.grids.find((x) => x.id === g.id)!.value, g.name).toBe(
        d.directivesUnsigned.grid! + d.directivesUnreported.grid!,
      );
    }
    const open = await cockpit(commander, '?metric=eventsOpen');
    for (const g of tree.grids)
      expect(open.map.grids.find((x) => x.id === g.id)!.value).toBe((await direct(g)).eventsOpen);
    const missing = await cockpit(commander, `?metric=reportsMissing&node=${tree.villages[0]!.id}`);
    expect(missing.map.grids.map((g) => g.id).sort()).toEqual(
      tree.grids
        .slice(0, 2)
        .map((g) => g.id)
        .sort(),
    );
  });

  it('lists the latest escalations, newest first', async () => {
    const c = await cockpit(commander);
    expect(c.escalations.length).toBeGreaterThan(0);
    // The grids that never signed the river patrol, and the towns that never signed the safety check.
    expect(new Set(c.escalations.map((e) => `${e.kind} ${e.title}`))).toEqual(
      new Set(['directive 巡查河道', 'directive 安全检查']),
    );
    expect([...c.escalations.map((e) => e.at)].sort().reverse()).toEqual(c.escalations.map((e) => e.at));
  });

  it('two people rejecting one case at the same moment: one is told, and the open count moves once', async () => {
    const garbage = (
      await db
        .selectFrom('event_categories')
        .select('id')
        .where('code', '=', 'environment.garbage')
        .executeTakeFirstOrThrow()
    ).id;
    const r = await admin.post<{ event: { id: number } }>('/api/events', {
      categoryId: garbage,
      title: '并发事件',
      description: '测试',
      nodeId: tree.grids[0]!.id,
    });
    expect(r.status).toBe(201);
    const before = (await cockpit(commander)).figures.eventsOpen;
    const both = await Promise.all(
      [admin, commander].map((c) =>
        c.post(`/api/events/${r.body.event.id}/actions`, { action: 'reject', reason: '不属实' }),
      ),
    );
    expect(both.map((x) => x.status).sort()).toEqual([200, 409]);
    const after = await cockpit(commander);
    expect(after.figures.eventsOpen).toBe(before - 1);
    expect(after.figures.eventsOpen).toBe((await direct(tree.district)).eventsOpen);
  });

  it('keeps a town commander to their town', async () => {
    const c = await cockpit(towncmd);
    expect(c.node.id).toBe(tree.towns[0]!.id);
    expect(c.figures).toMatchObject(await direct(tree.towns[0]!));
    expect(c.children.map((x) => x.node.id)).toEqual(tree.villages.slice(0, 2).map((x) => x.id));
    const inTown = new Set(
      [tree.towns[0]!, ...tree.villages.slice(0, 2), ...tree.grids.slice(0, 4)].map((n) => n.name),
    );
    expect(c.escalations.length).toBeGreaterThan(0);
    expect(c.escalations.every((e) => inTown.has(e.node))).toBe(true);
    const outside = await towncmd.get(`/api/cockpit?node=${tree.towns[1]!.id}`);
    expect(outside.status).toBe(403);
    expect((await towncmd.get(`/api/cockpit?node=${tree.district.id}`)).status).toBe(403);
  });

  it('joint defence: on duty now, uncovered and understaffed in the next 24 hours, passages and hand-offs', async () => {
    const before = await cockpit(commander);
    const town = (c: CockpitResponse) => c.children.find((x) => x.node.id === tree.towns[0]!.id)!.figures;
    const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString();
    const cp = await commander.post<{ id: number }>('/api/checkpoints', {
      name: '驾驶舱卡口',
      type: 'road',
      nodeId: tree.villages[0]!.id,
      staffPerShift: 2,
    });
    expect(cp.status, JSON.stringify(cp.body)).toBe(201);
    expect(
      (await commander.put(`/api/checkpoints/${cp.body.id}/pattern`, { pattern: { kind: 'three_by_eight' } }))
        .status,
    ).toBe(200);
    const gen = await commander.post(`/api/checkpoints/${cp.body.id}/shifts/generate`, {
      from: local(clockMs - 86_400_000).slice(0, 10),
      to: local(clockMs + 2 * 86_400_000).slice(0, 10),
    });
    expect(gen.status, JSON.stringify(gen.body)).toBe(200);
    // Any 24 hours hold three 8-hour shifts' starts: all uncovered.
    const three = await cockpit(commander);
    expect(three.figures.uncoveredNext24h - before.figures.uncoveredNext24h).toBe(3);
    expect(town(three).uncoveredNext24h - town(before).uncoveredNext24h).toBe(3);
    const next = await db
      .selectFrom('shifts')
      .select('id')
      .where('checkpoint_id', '=', cp.body.id)
      .where('starts_at', '>', clock())
      .orderBy('starts_at')
      .executeTakeFirstOrThrow();
    const on = await commander.post(`/api/shifts/${next.id}/assignments`, {
      userId: await userIdOf(db, 'gridworker'),
      role: 'grid_worker',
    });
    expect(on.status, JSON.stringify(on.body)).toBe(201);
    const one = await cockpit(commander);
    expect(one.figures.uncoveredNext24h - before.figures.uncoveredNext24h).toBe(2);
    expect(one.figures.understaffedNext24h - before.figures.understaffedNext24h).toBe(1);

    // A shift starting now: the grid worker checks in and is on duty now, up the tree.
    const now = await commander.post<{ id: number }>('/api/checkpoints', {
      name: '驾驶舱卡口二',
      type: 'road',
      nodeId: tree.villages[0]!.id,
      staffPerShift: 1,
    });
    const hhmm = local(clockMs).slice(11, 16);
    await commander.put(`/api/checkpoints/${now.body.id}/pattern`, {
      pattern: { kind: 'custom', slots: [{ start: hhmm, minutes: 60 }] },
    });
    const today = local(clockMs).slice(0, 10);
    await commander.post(`/api/checkpoints/${now.body.id}/shifts/generate`, { from: today, to: today });
    const shift = await db
      .selectFrom('shifts')
      .select('id')
      .where('checkpoint_id', '=', now.body.id)
      .executeTakeFirstOrThrow();
    // The village's cadre stands it: the grid worker is already on the first post's next 8-hour shift,
    // which this hour-long one overlaps when the clock is within an hour of 00:00, 08:00 or 16:00.
    const onDuty = await t.login('cadre');
    expect(
      (
        await commander.post(`/api/shifts/${shift.id}/assignments`, {
          userId: await userIdOf(db, 'cadre'),
          role: 'cadre',
        })
      ).status,
    ).toBe(201);
    const inn = await onDuty.post(`/api/shifts/${shift.id}/check-in`, { lat: 30.2, lng: 119.7 });
    expect(inn.status, JSON.stringify(inn.body)).toBe(200);
    const staffed = await cockpit(commander);
    expect(staffed.figures.staffedNow - before.figures.staffedNow).toBe(1);
    expect(town(staffed).staffedNow - town(before).staffedNow).toBe(1);

    // The passages' counters, bumped by the passages module in a passage's transaction, are read as they are.
    await bumpCounters(db, tree.grids[0]!.path, {
      'defence.passages': 3,
      'defence.passages.risky': 1,
      'defence.handoffs.open': 1,
    });
    const passed = await cockpit(commander);
    expect({
      passages: passed.figures.passages - before.figures.passages,
      passagesRisky: passed.figures.passagesRisky - before.figures.passagesRisky,
      handoffsOpen: passed.figures.handoffsOpen - before.figures.handoffsOpen,
    }).toEqual({ passages: 3, passagesRisky: 1, handoffsOpen: 1 });
    expect(town(passed).passages - town(before).passages).toBe(3);
  });
});
