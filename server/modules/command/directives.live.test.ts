// Directives over live updates, through the real routes: the district's tracking board hears every
// grid's sign-for and report-back within a second; a grid worker's stream never carries another
// grid's; a client that reconnects with Last-Event-ID receives what it missed; and, on PostgreSQL,
// a grid worker signing through app process A reaches a commander connected to process B.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectiveDetail } from '../../../common/contracts/command.js';
import type { DB } from '../../db/index.js';
import { buildSecondTestApp, buildTestApp, TEST_DB, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';
import { openSse, type SseConnection, type SseEvent } from '../../test/sse.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let commander: Client;
const gw: Client[] = [];
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  for (const [i, g] of tree.grids.entries()) {
    await makeUser(db, `gw${i}`, [{ role: 'grid_worker', node: g }]);
    gw.push(await t.login(`gw${i}`));
  }
  for (const [i, n] of tree.towns.entries())
    await makeUser(db, `tc${i}`, [{ role: 'town_commander', node: n }]);
  for (const [i, n] of tree.villages.entries())
    await makeUser(db, `vc${i}`, [{ role: 'village_cadre', node: n }]);
  commander = await t.login('commander');
});
afterAll(async () => t.close());

async function issueToGrids(c: Client = commander) {
  const res = await c.post<DirectiveDetail>('/api/directives', {
    issuerNodeId: tree.district.id,
    title: '排查',
    body: '各网格排查',
    targets: { kind: 'level', level: 'grid', within: [tree.district.id] },
    signDueAt: inHours(2),
    reportDueAt: inHours(24),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const targets = await db
    .selectFrom('directive_targets')
    .select(['id', 'node_id'])
    .where('directive_id', '=', res.body.id)
    .execute();
  const at = (i: number) => targets.find((x) => x.node_id === tree.grids[i]!.id)!.id;
  return { id: res.body.id, at };
}
const about = (kind: string, targetId: number) => (e: SseEvent) =>
  e.json?.kind === kind && e.json.payload.targetId === targetId;

describe('live directive updates', () => {
  it('every grid’s sign-for and report-back reaches the district within a second; a grid worker hears only their own grid', async () => {
    const d = await issueToGrids();
    const district = await openSse(t.app, { client: commander });
    const streams: SseConnection[] = [];
    for (const c of gw) streams.push(await openSse(t.app, { client: c }));
    try {
      for (const [i, c] of gw.entries()) {
        let at = Date.now();
        expect((await c.post(`/api/directive-targets/${d.at(i)}/sign`, {})).status).toBe(200);
        await district.waitFor(about('directive.signed', d.at(i)), 1000);
        expect(Date.now() - at).toBeLessThan(1000);
        at = Date.now();
        expect((await c.post(`/api/directive-targets/${d.at(i)}/report`, { text: '完成' })).status).toBe(200);
        await district.waitFor(about('directive.reported', d.at(i)), 1000);
        expect(Date.now() - at).toBeLessThan(1000);
      }
      for (const [i, s] of streams.entries()) {
        // Its own grid's steps arrive; then nothing of any other grid's target has come through.
        await s.waitFor(about('directive.reported', d.at(i)), 1000);
        const others = s.events.filter(
          (e) => e.json && e.json.payload.targetId !== undefined && e.json.payload.targetId !== d.at(i),
        );
        expect(others, `gw${i}`).toEqual([]);
      }
      // The board the district watches shows it all.
      const board = await commander.get<{ levels: { level: string; reported: number }[] }>(
        `/api/directives/${d.id}/board`,
      );
      expect(board.body.levels).toEqual([
        expect.objectContaining({ level: 'grid', reported: tree.grids.length }),
      ]);
    } finally {
      district.close();
      for (const s of streams) s.close();
    }
  });

  it('at every level of a cascade (towns, then the villages a town relays to), each step reaches the district’s board within a second', async () => {
    const district = await openSse(t.app, { client: commander });
    try {
      const res = await commander.post<DirectiveDetail>('/api/directives', {
        issuerNodeId: tree.district.id,
        title: '层层落实',
        body: '各镇街落实',
        targets: { kind: 'level', level: 'town', within: [tree.district.id] },
        signDueAt: inHours(2),
        reportDueAt: inHours(24),
      });
      expect(res.status).toBe(201);
      const towns = await db
        .selectFrom('directive_targets')
        .select(['id', 'node_id'])
        .where('directive_id', '=', res.body.id)
        .execute();
      const step = async (c: Client, url: string, body: object, kind: string, targetId: number) => {
        const at = Date.now();
        expect((await c.post(url, body)).status).toBe(200);
        await district.waitFor(about(kind, targetId), 1000);
        expect(Date.now() - at).toBeLessThan(1000);
      };
      for (const [i, town] of tree.towns.entries()) {
        const tc = await t.login(`tc${i}`);
        const target = towns.find((x) => x.node_id === town.id)!.id;
        await step(tc, `/api/directive-targets/${target}/sign`, {}, 'directive.signed', target);
        // The town passes it to its villages; each village cadre signs and reports back.
        const relay = await tc.post<DirectiveDetail>(`/api/directives/${res.body.id}/relay`, {
          nodeId: town.id,
          instructions: '各村落实',
          targets: { kind: 'level', level: 'village', within: [town.id] },
          signDueAt: inHours(1),
          reportDueAt: inHours(20),
        });
        expect(relay.status, JSON.stringify(relay.body)).toBe(201);
        const villages = await db
          .selectFrom('directive_targets')
          .select(['id', 'node_id'])
          .where('directive_id', '=', relay.body.id)
          .execute();
        for (const v of villages) {
          const vc = await t.login(`vc${tree.villages.findIndex((x) => x.id === v.node_id)}`);
          await step(vc, `/api/directive-targets/${v.id}/sign`, {}, 'directive.signed', v.id);
          await step(
            vc,
            `/api/directive-targets/${v.id}/report`,
            { text: '已落实' },
            'directive.reported',
            v.id,
          );
        }
        await step(
          tc,
          `/api/directive-targets/${target}/report`,
          { text: '全镇已落实' },
          'directive.reported',
          target,
        );
      }
      const board = await commander.get<{
        levels: { level: string; total: number; reported: number }[];
        cascade: unknown[];
      }>(`/api/directives/${res.body.id}/board`);
      expect(board.body.levels.map((l) => [l.level, l.total, l.reported])).toEqual([
        ['town', tree.towns.length, tree.towns.length],
        ['village', tree.villages.length, tree.villages.length],
      ]);
      expect(board.body.cascade).toHaveLength(tree.towns.length);
    } finally {
      district.close();
    }
  });

  it('a client that reconnects with Last-Event-ID receives what it missed, in order', async () => {
    const d = await issueToGrids();
    const first = await openSse(t.app, { client: commander });
    expect((await gw[0]!.post(`/api/directive-targets/${d.at(0)}/sign`, {})).status).toBe(200);
    const seen = await first.waitFor(about('directive.signed', d.at(0)), 1000);
    first.close();
    await first.ended;
    // While away: three more grids sign.
    for (const i of [1, 2, 3])
      expect((await gw[i]!.post(`/api/directive-targets/${d.at(i)}/sign`, {})).status).toBe(200);
    const again = await openSse(t.app, { client: commander, lastEventId: seen.id! });
    try {
      await again.waitFor(about('directive.signed', d.at(3)), 1000);
      const missed = again.events
        .filter((e) => e.json?.kind === 'directive.signed')
        .map((e) => e.json!.payload.targetId);
      expect(missed).toEqual([d.at(1), d.at(2), d.at(3)]);
    } finally {
      again.close();
    }
  });
});

describe('two app processes on one PostgreSQL', () => {
  it.skipIf(TEST_DB !== 'postgres')(
    'a grid worker signs through process A; a commander connected to process B receives it (on SQLite one process owns the database)',
    async () => {
      const b = await buildSecondTestApp(t);
      try {
        const d = await issueToGrids();
        const onB = await openSse(b.app, { client: await b.login('commander') });
        const at = Date.now();
        expect((await gw[5]!.post(`/api/directive-targets/${d.at(5)}/sign`, {})).status).toBe(200);
        const got = await onB.waitFor(about('directive.signed', d.at(5)), 1000);
        expect(Date.now() - at).toBeLessThan(1000);
        expect(got.json?.payload).toMatchObject({ id: d.id, state: 'signed' });
        // Process B's board shows it too.
        const board = await (
          await b.login('commander')
        ).get<{ levels: { signed: number }[] }>(`/api/directives/${d.id}/board`);
        expect(board.body.levels[0]!.signed).toBe(1);
        onB.close();
      } finally {
        await b.close();
      }
    },
  );
});
