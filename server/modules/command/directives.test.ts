// Directives through the API, on both databases: issued to every grid, signed for and reported on
// at every grid, relayed by a town to its villages, tracked on the board, escalated when late, and
// counted in the cockpit's counters exactly as the targets say.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BoardResponse,
  DirectiveDetail,
  DirectiveTask,
  IncidentCommand,
} from '../../../common/contracts/command.js';
import type { DB } from '../../db/index.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let clockMs = Date.parse('2026-03-02T02:00:00.000Z');
const clock = () => new Date(clockMs).toISOString();
const inHours = (h: number) => new Date(clockMs + h * 3_600_000).toISOString();
let commander: Client, towncmd: Client, cadre: Client;
const gridWorkers: Client[] = [];
const townCmds: Client[] = [];
const cadres: Client[] = [];

beforeAll(async () => {
  t = await buildTestApp({}, { clock });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  // One grid worker per grid, a commander per town and a cadre per village.
  for (const [i, g] of tree.grids.entries()) {
    await makeUser(db, `gw${i}`, [{ role: 'grid_worker', node: g }]);
    gridWorkers.push(await t.login(`gw${i}`));
  }
  for (const [i, n] of tree.towns.entries()) {
    await makeUser(db, `tc${i}`, [{ role: 'town_commander', node: n }]);
    townCmds.push(await t.login(`tc${i}`));
  }
  for (const [i, n] of tree.villages.entries()) {
    await makeUser(db, `vc${i}`, [{ role: 'village_cadre', node: n }]);
    cadres.push(await t.login(`vc${i}`));
  }
  commander = await t.login('commander');
  towncmd = await t.login('towncmd');
  cadre = await t.login('cadre');
});
afterAll(async () => t.close());

const issue = (c: Client, body: Record<string, unknown>) =>
  c.post<DirectiveDetail>('/api/directives', {
    title: '全面排查返乡人员',
    body: '请各网格于今日内完成排查并反馈人数。',
    signDueAt: inHours(2),
    reportDueAt: inHours(24),
    ...body,
  });
const board = async (c: Client, id: number, query = '') => {
  const res = await c.get<BoardResponse>(`/api/directives/${id}/board${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const taskOf = async (c: Client, directiveId: number) => {
  const res = await c.get<{ items: DirectiveTask[] }>('/api/directives/tasks');
  expect(res.status).toBe(200);
  return res.body.items.find((x) => x.directiveId === directiveId);
};
/** The cockpit's counter for a node, all commands. */
const counter = async (path: string, metric: string) =>
  Number(
    (
      await db
        .selectFrom('live_counters')
        .select('value')
        .where('command_id', '=', 0)
        .where('node_path', '=', path)
        .where('metric', '=', metric)
        .executeTakeFirst()
    )?.value ?? 0,
  );
/** The same figure counted from the targets themselves. */
const direct = async (path: string, level: string, state: string) =>
  Number(
    (
      await db
        .selectFrom('directive_targets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('node_path', 'like', `${path}%`)
        .where('node_level', '=', level)
        .where('state', '=', state)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('a directive from the district to every grid', () => {
  let id: number;
  it('creates one target per grid, and each grid worker sees it in their tasks', async () => {
    const res = await issue(commander, {
      issuerNodeId: tree.district.id,
      targets: { kind: 'level', level: 'grid', within: [tree.district.id] },
      priority: 'urgent',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.id;
    expect(res.body.counts).toEqual({
      total: tree.grids.length,
      pending: tree.grids.length,
      signed: 0,
      reported: 0,
      overdue: 0,
    });
    const rows = await db
      .selectFrom('directive_targets')
      .select(['node_id'])
      .where('directive_id', '=', id)
      .execute();
    expect(rows.map((r) => r.node_id).sort((a, b) => a - b)).toEqual(
      tree.grids.map((g) => g.id).sort((a, b) => a - b),
    );
    for (const [i, c] of gridWorkers.entries()) {
      const task = await taskOf(c, id);
      expect(task?.node.id).toBe(tree.grids[i]!.id);
      expect(task?.actions).toEqual(['sign']);
    }
    expect(await counter(tree.district.path, 'directives.unsigned.grid')).toBe(tree.grids.length);
  });

  it('signing and reporting at every grid shows on the district board', async () => {
    for (const [i, c] of gridWorkers.entries()) {
      const task = (await taskOf(c, id))!;
      // Another grid's target is not theirs to sign.
      const other = await db
        .selectFrom('directive_targets')
        .select('id')
        .where('directive_id', '=', id)
        .where('node_id', '=', tree.grids[(i + 1) % tree.grids.length]!.id)
        .executeTakeFirstOrThrow();
      expect((await c.post(`/api/directive-targets/${other.id}/sign`, {})).status).toBe(403);
      expect((await c.post(`/api/directive-targets/${task.id}/report`, { text: '已排查' })).status).toBe(409);
      const signed = await c.post<DirectiveDetail>(`/api/directive-targets/${task.id}/sign`, {
        note: '收到',
      });
      expect(signed.status, JSON.stringify(signed.body)).toBe(200);
      expect(signed.body.myTargets[0]!.state).toBe('signed');
      if (i % 2 === 0) {
        const rep = await c.post<DirectiveDetail>(`/api/directive-targets/${task.id}/report`, {
          text: `排查完毕 ${i}`,
          figures: { 排查户数: 10 + i },
        });
        expect(rep.status, JSON.stringify(rep.body)).toBe(200);
      }
    }
    const b = await board(commander, id);
    const n = tree.grids.length;
    expect(b.levels).toEqual([
      { level: 'grid', total: n, pending: 0, signed: n / 2, reported: n / 2, overdue: 0 },
    ]);
    expect(b.node.id).toBe(tree.district.id);
    expect(b.children.map((c) => c.node.id).sort()).toEqual(tree.towns.map((x) => x.id).sort());
    for (const c of b.children) expect(c).toMatchObject({ total: n / 2, signed: n / 4, reported: n / 4 });
    // Drill down into a town, then a village.
    const town = await board(commander, id, `?node=${tree.towns[0]!.id}`);
    expect(town.children.map((c) => c.node.id).sort()).toEqual(
      tree.villages
        .slice(0, 2)
        .map((x) => x.id)
        .sort(),
    );
    const reported = await board(commander, id, `?node=${tree.villages[0]!.id}&status=reported`);
    expect(reported.targets.map((x) => x.node.id)).toEqual([tree.grids[0]!.id]);
    expect(reported.targets[0]!.reportFigures).toEqual({ 排查户数: 10 });
    // Counters follow the targets exactly.
    for (const p of [tree.district.path, ...tree.towns.map((x) => x.path)]) {
      expect(await counter(p, 'directives.unsigned.grid')).toBe(await direct(p, 'grid', 'pending'));
      expect(await counter(p, 'directives.unreported.grid')).toBe(await direct(p, 'grid', 'signed'));
    }
    expect(await counter(tree.district.path, 'directives.unreported.grid')).toBe(n / 2);
  });

  it('a grid worker sees only their own grid of it', async () => {
    const list = await gridWorkers[1]!.get<{ items: { id: number; counts: { total: number } }[] }>(
      '/api/directives',
    );
    expect(list.status).toBe(200);
    expect(list.body.items.find((d) => d.id === id)?.counts.total).toBe(1);
    const b = await board(gridWorkers[1]!, id);
    expect(b.node.id).toBe(tree.grids[1]!.id);
    expect(b.targets.map((x) => x.node.id)).toEqual([tree.grids[1]!.id]);
    expect((await gridWorkers[1]!.get(`/api/directives/${id}/board?node=${tree.grids[2]!.id}`)).status).toBe(
      403,
    );
    const detail = await gridWorkers[1]!.get<DirectiveDetail>(`/api/directives/${id}`);
    expect(detail.body.history.every((h) => h.action === 'issue' || h.node === tree.grids[1]!.name)).toBe(
      true,
    );
  });
});

describe('a relay from a town', () => {
  let rootId: number;
  it('appears as a child of the directive, and the board shows the whole cascade', async () => {
    const res = await issue(commander, {
      issuerNodeId: tree.district.id,
      targets: { kind: 'level', level: 'town', within: [tree.district.id] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    rootId = res.body.id;
    const task = (await taskOf(townCmds[0]!, rootId))!;
    expect(task.actions).toEqual(['sign', 'relay']);
    // Relaying outside the town is refused, each bad target named.
    const bad = await townCmds[0]!.post(`/api/directives/${rootId}/relay`, {
      nodeId: tree.towns[0]!.id,
      instructions: '加派人手',
      targets: { kind: 'nodes', nodeIds: [tree.villages[2]!.id, tree.villages[0]!.id] },
      signDueAt: inHours(1),
      reportDueAt: inHours(20),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('body.targets.nodeIds.0');
    expect(JSON.stringify(bad.body)).not.toContain('body.targets.nodeIds.1');
    const relay = await townCmds[0]!.post<DirectiveDetail>(`/api/directives/${rootId}/relay`, {
      nodeId: tree.towns[0]!.id,
      instructions: '各村今日18时前反馈',
      targets: { kind: 'level', level: 'village', within: [tree.towns[0]!.id] },
      signDueAt: inHours(1),
      reportDueAt: inHours(20),
    });
    expect(relay.status, JSON.stringify(relay.body)).toBe(201);
    expect(relay.body).toMatchObject({
      parentId: rootId,
      rootId,
      depth: 1,
      issuer: { id: tree.towns[0]!.id },
    });
    expect(relay.body.lineage.map((l) => l.id)).toEqual([rootId, relay.body.id]);
    // Relaying signed the town's target; a second relay is refused.
    expect(
      (
        await townCmds[0]!.post(`/api/directives/${rootId}/relay`, {
          nodeId: tree.towns[0]!.id,
          instructions: '再转',
          targets: { kind: 'level', level: 'village', within: [tree.towns[0]!.id] },
          signDueAt: inHours(1),
          reportDueAt: inHours(20),
        })
      ).status,
    ).toBe(409);
    // The village cadre signs and reports on the relay.
    const vt = (await taskOf(cadres[0]!, relay.body.id))!;
    expect((await cadres[0]!.post(`/api/directive-targets/${vt.id}/sign`, {})).status).toBe(200);
    expect(
      (
        await cadres[0]!.post(`/api/directive-targets/${vt.id}/report`, {
          text: '已落实',
          figures: { 人员: 3 },
        })
      ).status,
    ).toBe(200);

    const b = await board(commander, rootId);
    expect(b.cascade.map((c) => [c.id, c.parentId, c.depth, c.issuer.id])).toEqual([
      [relay.body.id, rootId, 1, tree.towns[0]!.id],
    ]);
    expect(b.levels).toEqual([
      { level: 'town', total: 2, pending: 1, signed: 1, reported: 0, overdue: 0 },
      { level: 'village', total: 2, pending: 1, signed: 0, reported: 1, overdue: 0 },
    ]);
    // The town commander sees it from the town, the other town not at all.
    const fromTown = await board(townCmds[0]!, rootId);
    expect(fromTown.node.id).toBe(tree.towns[0]!.id);
    expect(
      fromTown.targets.every(
        (x) => x.node.id === tree.towns[0]!.id || tree.villages.slice(0, 2).some((v) => v.id === x.node.id),
      ),
    ).toBe(true);
    expect((await townCmds[0]!.get(`/api/directives/${rootId}/board?node=${tree.towns[1]!.id}`)).status).toBe(
      403,
    );
  });

  it('a town passes a directive to its villages on to their grids, with its own instructions', async () => {
    const res = await issue(commander, {
      issuerNodeId: tree.district.id,
      targets: { kind: 'level', level: 'village', within: tree.towns.map((x) => x.id) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // Not a target, but its villages are: the town commander may relay from the town.
    const seen = await townCmds[0]!.get<DirectiveDetail>(`/api/directives/${res.body.id}`);
    expect(seen.body.relayFrom.map((n) => n.id)).toEqual([tree.towns[0]!.id]);
    expect(seen.body.myTargets).toEqual([]);
    // Not from a town it does not command, nor from the issuer itself.
    expect(
      (
        await townCmds[0]!.post(`/api/directives/${res.body.id}/relay`, {
          nodeId: tree.towns[1]!.id,
          instructions: '越权',
          targets: { kind: 'level', level: 'grid', within: [tree.towns[1]!.id] },
          signDueAt: inHours(1),
          reportDueAt: inHours(20),
        })
      ).status,
    ).toBe(403);
    const relay = await townCmds[0]!.post<DirectiveDetail>(`/api/directives/${res.body.id}/relay`, {
      nodeId: tree.towns[0]!.id,
      instructions: '各网格配合村社落实',
      targets: { kind: 'level', level: 'grid', within: [tree.towns[0]!.id] },
      signDueAt: inHours(1),
      reportDueAt: inHours(20),
    });
    expect(relay.status, JSON.stringify(relay.body)).toBe(201);
    expect(relay.body).toMatchObject({ parentId: res.body.id, depth: 1, counts: { total: 4 } });
    expect(
      (await townCmds[0]!.get<DirectiveDetail>(`/api/directives/${res.body.id}`)).body.relayFrom,
    ).toEqual([]);
    const b = await board(commander, res.body.id);
    expect(b.levels.map((l) => [l.level, l.total])).toEqual([
      ['village', 4],
      ['grid', 4],
    ]);
    expect(b.cascade.map((c) => c.issuer.id)).toEqual([tree.towns[0]!.id]);
  });

  it('reminds the laggards below a node', async () => {
    const before = Number(
      (
        await db
          .selectFrom('notifications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '=', 'directive.reminded')
          .executeTakeFirstOrThrow()
      ).n,
    );
    const res = await commander.post<{ reminded: number; users: number }>(
      `/api/directives/${rootId}/remind`,
      {},
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // Town 2 (not signed), town 1 (signed, not reported) and village 2 of town 1 (not signed).
    expect(res.body.reminded).toBe(3);
    const after = Number(
      (
        await db
          .selectFrom('notifications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '=', 'directive.reminded')
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(after - before).toBe(res.body.users);
    expect(res.body.users).toBeGreaterThanOrEqual(3);
    expect((await cadre.post(`/api/directives/${rootId}/remind`, {})).status).toBe(403);
  });
});

describe('late targets', () => {
  it('an unsigned target past its deadline is escalated to the node above and listed as overdue', async () => {
    const res = await issue(commander, {
      issuerNodeId: tree.district.id,
      targets: { kind: 'nodes', nodeIds: [tree.grids[0]!.id, tree.grids[1]!.id] },
      signDueAt: inHours(1),
      reportDueAt: inHours(5),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.id;
    const task = (await taskOf(gridWorkers[0]!, id))!;
    await gridWorkers[0]!.post(`/api/directive-targets/${task.id}/sign`, {});
    const cadreId = (
      await db.selectFrom('users').select('id').where('username', '=', 'vc0').executeTakeFirstOrThrow()
    ).id;
    const notesBefore = await db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', cadreId)
      .where('kind', '=', 'directive.escalated')
      .where('entity_id', '=', id)
      .execute();
    clockMs += 2 * 3_600_000;
    const sweep = await commander.post<{ escalated: number }>('/api/directives/sweep');
    expect(sweep.status, JSON.stringify(sweep.body)).toBe(200);
    expect(sweep.body.escalated).toBeGreaterThanOrEqual(1);
    const b = await board(commander, id, '?status=overdue');
    expect(b.targets.map((x) => x.node.id)).toEqual([tree.grids[1]!.id]);
    expect(b.targets[0]).toMatchObject({ overdue: true, escalated: true, state: 'pending' });
    const history = (await commander.get<DirectiveDetail>(`/api/directives/${id}`)).body.history;
    expect(history.filter((h) => h.action === 'escalate').map((h) => h.node)).toEqual([tree.grids[1]!.name]);
    // The village above the late grid hears of it.
    const notesAfter = await db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', cadreId)
      .where('kind', '=', 'directive.escalated')
      .where('entity_id', '=', id)
      .execute();
    expect(notesAfter.length).toBe(notesBefore.length + 1);
    // A second sweep does not escalate the same deadline again.
    expect((await commander.post<{ escalated: number }>('/api/directives/sweep')).body.escalated).toBe(0);
    // Overdue is counted for the cockpit, and cleared when the late step is done.
    const overdueFlags = async (p: string) =>
      Number(
        (
          await db
            .selectFrom('directive_targets')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('node_path', 'like', `${p}%`)
            .where('node_level', '=', 'grid')
            .where('overdue', '=', 1)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await counter(tree.villages[0]!.path, 'directives.overdue.grid')).toBe(
      await overdueFlags(tree.villages[0]!.path),
    );
    const late = (await taskOf(gridWorkers[1]!, id))!;
    expect(late.overdue).toBe(true);
    await gridWorkers[1]!.post(`/api/directive-targets/${late.id}/sign`, {});
    expect(await counter(tree.villages[0]!.path, 'directives.overdue.grid')).toBe(
      await overdueFlags(tree.villages[0]!.path),
    );
    // Past the report-back deadline both escalate again, for that deadline.
    clockMs += 5 * 3_600_000;
    expect(
      (await commander.post<{ escalated: number }>('/api/directives/sweep')).body.escalated,
    ).toBeGreaterThanOrEqual(2);
    expect((await board(commander, id)).directive.counts.overdue).toBe(2);
    expect(await counter(tree.district.path, 'directives.overdue.grid')).toBe(
      await overdueFlags(tree.district.path),
    );
    expect((await towncmd.post('/api/directives/sweep')).status).toBe(403);
  });
});

describe('two people at once', () => {
  it('one sign-for and one relay get through; the other is told, and the counters count once', async () => {
    const second = await makeUser(db, 'gw0b', [{ role: 'grid_worker', node: tree.grids[0]! }]);
    await makeUser(db, 'tc0b', [{ role: 'town_commander', node: tree.towns[0]! }]);
    expect(second).toBeGreaterThan(0);
    const [a, b, ta, tb] = await Promise.all([
      t.login('gw0'),
      t.login('gw0b'),
      t.login('tc0'),
      t.login('tc0b'),
    ]);
    const res = await issue(commander, {
      issuerNodeId: tree.district.id,
      targets: { kind: 'nodes', nodeIds: [tree.grids[0]!.id, tree.towns[0]!.id] },
    });
    expect(res.status).toBe(201);
    const target = (
      await db
        .selectFrom('directive_targets')
        .select('id')
        .where('directive_id', '=', res.body.id)
        .where('node_id', '=', tree.grids[0]!.id)
        .executeTakeFirstOrThrow()
    ).id;
    const before = await counter(tree.district.path, 'directives.unsigned.grid');
    const signs = await Promise.all([
      a.post(`/api/directive-targets/${target}/sign`, {}),
      b.post(`/api/directive-targets/${target}/sign`, {}),
    ]);
    expect(signs.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await counter(tree.district.path, 'directives.unsigned.grid')).toBe(before - 1);
    expect(await counter(tree.district.path, 'directives.unsigned.grid')).toBe(
      await direct(tree.district.path, 'grid', 'pending'),
    );
    const relay = {
      nodeId: tree.towns[0]!.id,
      instructions: '转发',
      targets: { kind: 'level', level: 'village', within: [tree.towns[0]!.id] },
      signDueAt: inHours(1),
      reportDueAt: inHours(20),
    };
    const relays = await Promise.all([
      ta.post(`/api/directives/${res.body.id}/relay`, relay),
      tb.post(`/api/directives/${res.body.id}/relay`, relay),
    ]);
    expect(relays.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(
      await db.selectFrom('directives').select('id').where('parent_id', '=', res.body.id).execute(),
    ).toHaveLength(1);
    expect(await counter(tree.district.path, 'directives.unsigned.village')).toBe(
      await direct(tree.district.path, 'village', 'pending'),
    );
  });
});

describe('bad input and permissions', () => {
  const count = async () =>
    Number(
      (
        await db
          .selectFrom('directives')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  it('lists each problem and writes nothing', async () => {
    const n = await count();
    const res = await issue(towncmd, {
      issuerNodeId: tree.towns[0]!.id,
      targets: { kind: 'level', level: 'village', within: [tree.towns[1]!.id, 999999] },
      signDueAt: inHours(-1),
    });
    expect(res.status).toBe(400);
    const text = JSON.stringify(res.body);
    for (const p of ['body.targets.within.0', 'body.targets.within.1']) expect(text).toContain(p);
    const past = await issue(towncmd, {
      issuerNodeId: tree.towns[0]!.id,
      targets: { kind: 'level', level: 'village', within: [tree.towns[0]!.id] },
      signDueAt: inHours(-1),
    });
    expect(past.status).toBe(400);
    expect(JSON.stringify(past.body)).toContain('body.signDueAt');
    const order = await issue(towncmd, {
      issuerNodeId: tree.towns[0]!.id,
      targets: { kind: 'level', level: 'village', within: [tree.towns[0]!.id] },
      signDueAt: inHours(5),
      reportDueAt: inHours(1),
    });
    expect(order.status).toBe(400);
    expect(JSON.stringify(order.body)).toContain('reportDueAt');
    const upward = await issue(towncmd, {
      issuerNodeId: tree.towns[0]!.id,
      targets: { kind: 'level', level: 'town', within: [tree.towns[0]!.id] },
    });
    expect(upward.status).toBe(400);
    expect(await count()).toBe(n);
  });
  it('issues only from a node in the caller’s jurisdiction', async () => {
    expect(
      (
        await issue(cadre, {
          issuerNodeId: tree.towns[0]!.id,
          targets: { kind: 'level', level: 'village', within: [tree.towns[0]!.id] },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await issue(towncmd, {
          issuerNodeId: tree.towns[1]!.id,
          targets: { kind: 'level', level: 'village', within: [tree.towns[1]!.id] },
        })
      ).status,
    ).toBe(403);
    expect((await gridWorkers[0]!.post('/api/directives', {})).status).toBe(403);
  });
});

describe('incident commands', () => {
  it('opens a command with duty officers, files directives under it, and closes it', async () => {
    const officer = (
      await db.selectFrom('users').select('id').where('username', '=', 'tc0').executeTakeFirstOrThrow()
    ).id;
    const bad = await commander.post('/api/commands', {
      name: '疫情防控指挥部',
      responseLevel: 'I',
      nodeId: tree.district.id,
      officerUserIds: [officer, 999999],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('body.officerUserIds.1');
    const res = await commander.post<IncidentCommand>('/api/commands', {
      name: '疫情防控指挥部',
      responseLevel: 'I',
      nodeId: tree.district.id,
      officerUserIds: [officer],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      name: '疫情防控指挥部',
      responseLevel: 'I',
      closedAt: null,
      officers: [{ id: officer }],
      abilities: { close: true },
    });
    const cmd = res.body.id;
    const d = await issue(commander, {
      commandId: cmd,
      issuerNodeId: tree.district.id,
      targets: { kind: 'nodes', nodeIds: [tree.towns[1]!.id] },
    });
    expect(d.status).toBe(201);
    expect(d.body.commandId).toBe(cmd);
    // Filtered by command; counted per command for the cockpit.
    const list = await commander.get<{ items: { id: number }[] }>(`/api/directives?command=${cmd}`);
    expect(list.body.items.map((x) => x.id)).toEqual([d.body.id]);
    const perCommand = await db
      .selectFrom('live_counters')
      .select('value')
      .where('command_id', '=', cmd)
      .where('node_path', '=', tree.district.path)
      .where('metric', '=', 'directives.unsigned.town')
      .executeTakeFirst();
    expect(perCommand?.value).toBe(1);
    // A village cadre sees the district's command (it covers them); a town cannot close it.
    const seen = await cadre.get<{ items: IncidentCommand[] }>('/api/commands');
    expect(seen.body.items.find((c) => c.id === cmd)).toMatchObject({
      directives: 1,
      abilities: { close: false },
    });
    expect((await towncmd.post(`/api/commands/${cmd}/close`, { summary: '结束' })).status).toBe(403);
    const closed = await commander.post<IncidentCommand>(`/api/commands/${cmd}/close`, {
      summary: '疫情平稳，解除响应。',
    });
    expect(closed.status).toBe(200);
    expect(closed.body.closedAt).not.toBeNull();
    expect((await commander.post(`/api/commands/${cmd}/close`, { summary: 'again' })).status).toBe(409);
    expect(
      (
        await issue(commander, {
          commandId: cmd,
          issuerNodeId: tree.district.id,
          targets: { kind: 'nodes', nodeIds: [tree.towns[1]!.id] },
        })
      ).status,
    ).toBe(409);
  });
});
