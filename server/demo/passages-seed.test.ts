// The demo's passages seed, on both databases: given checkpoints set up first, a few days of
// passages are registered through the service; the risky ones become hand-offs in the grid worker's
// grid (the older ones visited, the rest in the worker's tasks), counted hour by hour and on the cockpit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle, DB } from '../db/index.js';
import { createPassagesService, createRostersService } from '../modules/defence/index.js';
import { loadActor } from '../platform/auth.js';
import { TEST_PII, createTestDatabase } from '../test/harness.js';
import { makeCast, makeTree, type Tree } from '../test/factories.js';
import { seedPassages } from './passages-seed.js';

let database: DatabaseHandle;
let db: DB;
let tree: Tree;
const userId = async (username: string) =>
  (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
});
afterAll(async () => database?.close());

describe('seedPassages', () => {
  it('registers the days asked at the checkpoints given and hands the risky travellers to the grid', async () => {
    const admin = (await loadActor(db, await userId('admin'), 'session'))!;
    const ctx = { actor: admin, requestId: 'test' };
    const rosters = createRostersService({ db });
    const checkpointIds: number[] = [];
    for (const [i, v] of tree.villages.slice(0, 2).entries())
      checkpointIds.push(
        (
          await rosters.createCheckpoint(ctx, {
            name: `村口${i}`,
            type: 'village_entrance',
            nodeId: v.id,
            staffPerShift: 1,
          })
        ).id,
      );
    const now = '2026-12-06T04:00:00.000Z';
    const out = await seedPassages(db, {
      pii: TEST_PII,
      checkpointIds,
      registeredByUserId: admin.userId,
      destinationGridId: tree.grids[0]!.id,
      gridWorkerUserId: await userId('gridworker'),
      now,
      days: 3,
      perCheckpointPerDay: 5,
      riskyEvery: 4,
    });
    const passages = await db.selectFrom('passages').select(['id', 'registered_at', 'risky']).execute();
    expect(passages.length).toBe(out.passages);
    expect(out.passages).toBeGreaterThan(20);
    expect(
      passages.every((p) => p.registered_at < now && p.registered_at >= '2026-12-03T04:00:00.000Z'),
    ).toBe(true);
    expect(out.risky).toBe(passages.filter((p) => p.risky === 1).length);
    expect(out.risky).toBeGreaterThan(0);
    const handoffs = await db.selectFrom('handoffs').select(['state', 'node_id']).execute();
    expect(handoffs.length).toBe(out.handoffs);
    expect(handoffs.every((h) => h.node_id === tree.grids[0]!.id)).toBe(true);
    expect(handoffs.filter((h) => h.state === 'visited').length).toBe(out.visited);
    // The open ones are in the grid worker's tasks.
    const worker = (await loadActor(db, await userId('gridworker'), 'session'))!;
    const tasks = await createPassagesService({ db, pii: TEST_PII, now: () => now }).tasks({
      actor: worker,
      requestId: 'test',
    });
    expect(tasks.items.length).toBe(out.handoffs - out.visited);
    expect(tasks.items.length).toBeGreaterThan(0);
    // Hour by hour and on the cockpit.
    const hourly = await db
      .selectFrom('passage_hourly')
      .select((eb) => [eb.fn.sum<number>('in_count').as('i'), eb.fn.sum<number>('out_count').as('o')])
      .executeTakeFirstOrThrow();
    expect(Number(hourly.i) + Number(hourly.o)).toBe(out.passages);
    const counter = await db
      .selectFrom('live_counters')
      .select('value')
      .where('metric', '=', 'defence.passages')
      .where('node_path', '=', tree.district.path)
      .where('command_id', '=', 0)
      .executeTakeFirstOrThrow();
    expect(Number(counter.value)).toBe(out.passages);
  });
});
