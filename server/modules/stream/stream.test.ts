// The live stream end to end: scoped delivery over real SSE connections, resuming after
// Last-Event-ID (replay, then live, no gap and no duplicate; a reset when rows were pruned), bad
// input, two app processes on one PostgreSQL database, and the outbox's retention.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { recordLive } from '../../platform/live.js';
import { createLiveBus, pruneLiveEvents, type LiveMessage } from '../../platform/live-bus.js';
import { buildSecondTestApp, buildTestApp, TEST_DB, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, type Tree, type TreeNode } from '../../test/factories.js';
import { openSse, type SseConnection, type SseEvent } from '../../test/sse.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let gridworker: Client;
let cadre: Client;
let commander: Client;
const open: SseConnection[] = [];

beforeAll(async () => {
  t = await buildTestApp({}, { liveSessionCheckMs: 100 });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  gridworker = await t.login('gridworker');
  cadre = await t.login('cadre');
  commander = await t.login('commander');
});
afterAll(async () => {
  for (const c of open) c.close();
  await t.close();
});

let seq = 0;
/** Records one live update concerning the nodes, as a service would in its transaction, then pokes. */
async function record(
  app: TestApp,
  label: string,
  nodes: TreeNode[],
  commandId: number | null = null,
): Promise<number> {
  const n = ++seq;
  await app.database.db.transaction().execute((trx) =>
    recordLive(trx, {
      kind: 'test.update',
      paths: nodes.map((x) => x.path),
      commandId,
      payload: { label, n },
    }),
  );
  app.app.linliLive.poke();
  const row = await app.database.db
    .selectFrom('live_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
async function sse(opts: Parameters<typeof openSse>[1], app: TestApp = t): Promise<SseConnection> {
  const c = await openSse(app.app, opts);
  open.push(c);
  return c;
}
const labels = (c: SseConnection) =>
  c.events.filter((e) => e.kind === 'test.update').map((e) => e.json!.payload.label);
const isLabel = (label: string) => (e: SseEvent) => e.json?.payload.label === label;
/** Waits until the bus has fanned out everything recorded so far, so that absences can be checked. */
async function settled(app: TestApp = t) {
  const { id } = await app.database.db
    .selectFrom('live_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirstOrThrow();
  const deadline = Date.now() + 2000;
  while (app.app.linliLive.lastId() < Number(id ?? 0)) {
    if (Date.now() > deadline) throw new Error('the bus did not catch up');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('GET /api/stream', () => {
  it('sends each caller exactly the updates their jurisdiction holds', async () => {
    const [g0, g1, g2, g4] = [tree.grids[0]!, tree.grids[1]!, tree.grids[2]!, tree.grids[4]!];
    const gw = await sse({ client: gridworker });
    const vc = await sse({ client: cadre });
    const dc = await sse({ client: commander });
    expect(gw.status).toBe(200);
    expect(gw.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(gw.headers['cache-control']).toBe('no-cache, no-transform');
    expect(gw.headers['x-accel-buffering']).toBe('no');
    // Helmet's headers survive the hijack.
    expect(gw.headers['x-content-type-options']).toBe('nosniff');

    await record(t, 'grid A', [g0], 7);
    await record(t, 'grid A2 (same village)', [g1]);
    await record(t, 'grid in town B', [g4]);
    await record(t, 'village A', [tree.villages[0]!]);
    await record(t, 'village B', [tree.villages[1]!]);
    await record(t, 'district', [tree.district]);
    await record(t, 'grids A and C', [g2, g0]);
    await record(t, 'end', [g0]);
    for (const c of [gw, vc, dc]) await c.waitFor(isLabel('end'));
    expect(gw.retry).toBe(3000);

    expect(labels(gw)).toEqual(['grid A', 'grids A and C', 'end']);
    expect(labels(vc)).toEqual(['grid A', 'grid A2 (same village)', 'village A', 'grids A and C', 'end']);
    expect(labels(dc)).toEqual([
      'grid A',
      'grid A2 (same village)',
      'grid in town B',
      'village A',
      'village B',
      'district',
      'grids A and C',
      'end',
    ]);
    // Each frame: the outbox id and the JSON data, unnamed so that EventSource's onmessage gets it.
    const first = gw.events.find(isLabel('grid A'))!;
    expect(first.event).toBe('message');
    expect(first.json).toEqual({
      kind: 'test.update',
      commandId: 7,
      payload: { label: 'grid A', n: expect.any(Number) as number },
      at: expect.any(String) as string,
    });
    const ids = dc.events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of [gw, vc, dc]) c.close();
  });

  it('resumes after Last-Event-ID with exactly what was missed, in order and scoped, then goes live', async () => {
    const g0 = tree.grids[0]!;
    const first = await sse({ client: gridworker });
    await record(t, 'seen', [g0]);
    const seen = await first.waitFor(isLabel('seen'));
    first.close();

    await record(t, 'missed 1', [g0]);
    await record(t, 'not mine', [tree.grids[1]!]);
    await record(t, 'missed 2', [g0, tree.grids[5]!]);
    await settled();

    const again = await sse({ client: gridworker, lastEventId: seen.id! });
    await again.waitFor(isLabel('missed 2'));
    await record(t, 'live', [g0]);
    await again.waitFor(isLabel('live'));
    await record(t, 'end', [g0]);
    await again.waitFor(isLabel('end'));
    expect(labels(again)).toEqual(['missed 1', 'missed 2', 'live', 'end']);

    // The query parameter does the same for a page's first connection; the header wins over it.
    const byQuery = await sse({ client: gridworker, query: `lastEventId=${seen.id}` });
    await byQuery.waitFor(isLabel('end'));
    expect(labels(byQuery)).toEqual(['missed 1', 'missed 2', 'live', 'end']);
    const both = await sse({ client: gridworker, query: `lastEventId=0`, lastEventId: seen.id! });
    await both.waitFor(isLabel('end'));
    expect(labels(both)).toEqual(['missed 1', 'missed 2', 'live', 'end']);
    for (const c of [again, byQuery, both]) c.close();
  });

  it('refuses an anonymous caller (401) and a Last-Event-ID that is not an id (400), before any stream', async () => {
    const anon = await t.anon().get('/api/stream');
    expect(anon.status).toBe(401);
    expect(String(anon.headers['content-type'])).toMatch(/^application\/problem\+json/);
    for (const bad of ['abc', '-1', '1.5', '99999999999', '0x10']) {
      const res = await gridworker.request({
        method: 'GET',
        url: '/api/stream',
        headers: { 'last-event-id': bad },
      });
      expect(res.status, bad).toBe(400);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        code: 'validation_failed',
        issues: [expect.objectContaining({ path: 'headers.last-event-id' })],
      });
    }
    const query = await gridworker.get('/api/stream?lastEventId=abc');
    expect(query.status).toBe(400);
    expect(query.body).toMatchObject({
      issues: [expect.objectContaining({ path: 'querystring.lastEventId' })],
    });
    expect((await gridworker.get('/api/stream?since=1')).status).toBe(400);
    // The same over a real connection: a problem, not a stream.
    const real = await sse({ client: gridworker, lastEventId: 'x1' });
    expect(real.status).toBe(400);
    expect(real.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(real.body)).toMatchObject({ code: 'validation_failed' });
    const noCookie = await sse({});
    expect(noCookie.status).toBe(401);
  });

  it('sends a reset when what followed Last-Event-ID was pruned, or the id never existed', async () => {
    const g0 = tree.grids[0]!;
    const old = await record(t, 'old', [g0]);
    await record(t, 'old 2', [g0]);
    await settled();
    // Both rows age past the retention; the client last saw the first.
    const longAgo = new Date(Date.now() - 25 * 3_600_000).toISOString();
    await db
      .updateTable('live_events')
      .set({ at: longAgo })
      .where('id', '<=', old + 1)
      .execute();
    expect((await pruneLiveEvents(db)).deleted).toBeGreaterThanOrEqual(2);
    const back = await sse({ client: gridworker, lastEventId: old });
    const reset = await back.waitFor((e) => e.event === 'reset');
    expect(back.events[0]).toBe(reset);
    expect(Number(reset.id)).toBe(t.app.linliLive.lastId());
    await record(t, 'after reset', [g0]);
    await back.waitFor(isLabel('after reset'));
    expect(labels(back)).toEqual(['after reset']);

    const future = await sse({ client: gridworker, lastEventId: 2_000_000_000 });
    await future.waitFor((e) => e.event === 'reset');
    await record(t, 'after future', [g0]);
    await future.waitFor(isLabel('after future'));
    for (const c of [back, future]) c.close();
  });

  it('signing out ends the streams opened with that session, and only those', async () => {
    const mine = await t.login('cadre');
    const other = await sse({ client: cadre });
    const stream = await sse({ client: mine });
    expect(stream.status).toBe(200);
    expect((await mine.post('/api/auth/logout')).status).toBe(200);
    const at = Date.now();
    await stream.ended;
    expect(Date.now() - at).toBeLessThan(2000);
    // The other session's stream goes on.
    await record(t, 'still here', [tree.villages[0]!]);
    await other.waitFor(isLabel('still here'));
    // Reconnecting with the signed-out cookie is refused.
    expect((await sse({ client: mine })).status).toBe(401);
    other.close();
  });

  it('one heartbeat timer pings every open stream, and a closed stream leaves the rest pinged', async () => {
    const other = await buildTestApp({}, { liveHeartbeatMs: 40 });
    try {
      const otherTree = await makeTree(other.database.db);
      await makeCast(other.database.db, otherTree);
      const streams = await Promise.all(
        ['gridworker', 'cadre', 'commander'].map(async (u) =>
          openSse(other.app, { client: await other.login(u) }),
        ),
      );
      const pinged = async (cs: typeof streams, atLeast: number) => {
        const deadline = Date.now() + 3000;
        while (cs.some((c) => c.comments < atLeast)) {
          if (Date.now() > deadline) throw new Error(`pings: ${cs.map((c) => c.comments).join(', ')}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await pinged(streams, 3);
      expect(other.app.linliLive.size()).toBe(3);
      const [closed, ...rest] = streams as [SseConnection, ...SseConnection[]];
      closed.close();
      const deadline = Date.now() + 2000;
      while (other.app.linliLive.size() > 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(other.app.linliLive.size()).toBe(2);
      const before = rest.map((c) => c.comments);
      await pinged(rest, Math.max(...before) + 3);
      // Pings are comments: no event reached anyone.
      for (const c of streams) expect(c.events).toEqual([]);
      for (const c of rest) c.close();
    } finally {
      await other.close();
    }
  });

  it('closing the app ends the open streams instead of waiting for them', async () => {
    const other = await buildTestApp();
    try {
      await makeCast(other.database.db, await makeTree(other.database.db));
      const c = await openSse(other.app, { client: await other.login('commander') });
      expect(c.status).toBe(200);
      const started = Date.now();
      await other.close();
      expect(Date.now() - started).toBeLessThan(3000);
      expect(other.app.linliLive.size()).toBe(0);
    } catch (e) {
      await other.close().catch(() => {});
      throw e;
    }
  });
});

describe('the live bus', () => {
  it('a subscriber resuming while updates keep arriving gets every one in its scope once, in order', async () => {
    const bus = createLiveBus(t.database, { batchRows: 3 });
    await bus.ready();
    try {
      const g0 = tree.grids[0]!;
      const start = await record(t, 'before', [g0]);
      for (let i = 0; i < 10; i++) await record(t, `backlog ${i}`, [i % 2 ? g0 : tree.grids[4]!]);
      bus.poke();
      const got: LiveMessage[] = [];
      const stop = bus.subscribe([g0.path], start, (u) => got.push(u));
      // Rows committed during the replay's read: the bus reads them live while the replay is still reading.
      const during: Promise<number>[] = [];
      for (let i = 0; i < 10; i++) {
        during.push(
          record(t, `during ${i}`, [g0]).then((id) => {
            bus.poke();
            return id;
          }),
        );
      }
      await Promise.all(during);
      const last = await record(t, 'last', [g0]);
      bus.poke();
      const deadline = Date.now() + 3000;
      while (!got.some((u) => u.id === last) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      stop();
      const expected = await db
        .selectFrom('live_events')
        .select(['id', 'paths'])
        .where('id', '>', start)
        .where('id', '<=', last)
        .orderBy('id')
        .execute();
      expect(got.map((u) => u.id)).toEqual(
        expected
          .filter((r) => (JSON.parse(r.paths) as string[]).some((p) => p.startsWith(g0.path)))
          .map((r) => r.id),
      );
    } finally {
      await bus.close();
    }
  });

  it('matches by ancestor: a town scope holds its grids, a sibling prefix does not', async () => {
    const bus = createLiveBus(t.database);
    await bus.ready();
    try {
      const got: string[] = [];
      bus.subscribe([tree.towns[0]!.path, tree.villages[0]!.path], null, (u) =>
        got.push((u.payload as { label: string }).label),
      );
      await record(t, 'in town A', [tree.grids[3]!]);
      await record(t, 'in village A (also town A)', [tree.grids[0]!]);
      await record(t, 'in town B', [tree.grids[6]!]);
      await record(t, 'marker', [tree.towns[0]!]);
      bus.poke();
      const deadline = Date.now() + 2000;
      while (!got.includes('marker') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(got).toEqual(['in town A', 'in village A (also town A)', 'marker']);
      expect(bus.size()).toBe(1);
    } finally {
      await bus.close();
    }
    expect(bus.size()).toBe(0);
  });
});

describe('two app processes on one database', () => {
  it.skipIf(TEST_DB !== 'postgres')(
    'a change through process A reaches a client of process B by LISTEN/NOTIFY within a second (PostgreSQL; on SQLite one process owns the file, so the in-process bus is all there is)',
    async () => {
      const b = await buildSecondTestApp(t);
      try {
        const onB = await openSse(b.app, { client: await b.login('commander') });
        expect(onB.status).toBe(200);
        const otherGrid = await openSse(b.app, { client: await b.login('gridworker') });
        const at = Date.now();
        // Recorded through A's database and A's bus only: B hears of it from PostgreSQL.
        await record(t, 'from A', [tree.grids[4]!]);
        const got = await onB.waitFor(isLabel('from A'), 1000);
        expect(Date.now() - at).toBeLessThan(1000);
        expect(got.json?.payload.label).toBe('from A');
        // B's grid worker in another town: nothing.
        await record(t, 'end A', [tree.grids[0]!]);
        await otherGrid.waitFor(isLabel('end A'), 1000);
        expect(labels(otherGrid)).toEqual(['end A']);
        onB.close();
        otherGrid.close();
      } finally {
        await b.close();
      }
    },
  );
});

describe('the LISTEN connection', () => {
  it.skipIf(TEST_DB !== 'postgres')(
    'reconnects after losing its connection and reads what was committed meanwhile (PostgreSQL only: SQLite has no LISTEN)',
    async () => {
      const bus = createLiveBus(t.database, { reconnectMinMs: 50 });
      await bus.ready();
      try {
        const got: string[] = [];
        bus.subscribe([tree.district.path], null, (u) => got.push((u.payload as { label: string }).label));
        const pid = bus.listenerPid();
        expect(pid).not.toBeNull();
        await sql`select pg_terminate_backend(${pid})`.execute(db);
        // Committed by "another process" (no poke of this bus) while its listener is down or coming back.
        await db.transaction().execute((trx) =>
          recordLive(trx, {
            kind: 'test.update',
            paths: [tree.grids[7]!.path],
            payload: { label: 'while deaf' },
          }),
        );
        const deadline = Date.now() + 5000;
        while (!got.includes('while deaf') && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        expect(got).toContain('while deaf');
        while (bus.listenerPid() === null && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        expect(bus.listenerPid()).not.toBe(pid);
        // And it listens again.
        await db.transaction().execute((trx) =>
          recordLive(trx, {
            kind: 'test.update',
            paths: [tree.grids[7]!.path],
            payload: { label: 'heard again' },
          }),
        );
        while (!got.includes('heard again') && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        expect(got).toEqual(['while deaf', 'heard again']);
      } finally {
        await bus.close();
      }
    },
  );
});

describe('retention', () => {
  it('the prune deletes updates older than a day and keeps the rest', async () => {
    const now = '2031-06-01T12:00:00.000Z';
    const rows = [
      { at: '2031-05-30T12:00:00.000Z', label: 'two days' },
      { at: '2031-05-31T11:59:59.000Z', label: 'a day and a second' },
      { at: '2031-05-31T12:00:01.000Z', label: 'just under a day' },
      { at: '2031-06-01T11:00:00.000Z', label: 'an hour' },
    ];
    await db.deleteFrom('live_events').execute();
    for (const r of rows)
      await db
        .insertInto('live_events')
        .values({
          at: r.at,
          kind: 'test.update',
          command_id: null,
          paths: JSON.stringify([tree.district.path]),
          payload: JSON.stringify({ label: r.label }),
        })
        .execute();
    expect(await pruneLiveEvents(db, { now })).toEqual({ deleted: 2 });
    const left = await db.selectFrom('live_events').select('payload').orderBy('id').execute();
    expect(left.map((r) => (JSON.parse(r.payload) as { label: string }).label)).toEqual([
      'just under a day',
      'an hour',
    ]);
    expect(await pruneLiveEvents(db, { now })).toEqual({ deleted: 0 });
    expect(await pruneLiveEvents(db, { now, keepHours: 0.5 })).toEqual({ deleted: 2 });
    expect(await db.selectFrom('live_events').select('id').execute()).toEqual([]);
  });
});
