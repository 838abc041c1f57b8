// insertRows: the multi-row insert whose SQL is written once per shape. Rows land as Kysely's own
// insert would put them (values, nulls, numbers, order of ids), across statements when there are
// more values than one statement may bind, and a row missing a column is refused with nothing written,
// even when the rows would have taken several statements.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import type { DatabaseHandle } from './index.js';
import { insertRows } from './insert-rows.js';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDatabase();
});
afterAll(async () => h.close());

const insertLive = insertRows('live_events', ['id', 'kind']);
const insertTags = insertRows('tags');
const liveRow = (i: number) => ({
  at: `2026-11-29T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
  kind: `ir.${i}`,
  command_id: i % 2 === 0 ? null : i,
  paths: JSON.stringify([`/1/${i}/`]),
  payload: JSON.stringify({ i, x: i / 3 }),
});

describe(`insertRows (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('writes the rows as Kysely would and returns what was asked, ids in the order of the rows', async () => {
    const rows = [liveRow(1), liveRow(2), liveRow(3)];
    const returned = await insertLive(h.db, rows);
    expect(returned.map((r) => r.kind)).toEqual(['ir.1', 'ir.2', 'ir.3']);
    expect(returned[0]!.id).toBeLessThan(returned[1]!.id);
    expect(returned[1]!.id).toBeLessThan(returned[2]!.id);
    const [viaKysely] = await h.db.insertInto('live_events').values(liveRow(4)).returning('id').execute();
    const read = await h.db
      .selectFrom('live_events')
      .selectAll()
      .where('id', 'in', [...returned.map((r) => r.id), viaKysely!.id])
      .orderBy('id')
      .execute();
    expect(read.map(({ id: _id, ...rest }) => rest)).toEqual([
      liveRow(1),
      liveRow(2),
      liveRow(3),
      liveRow(4),
    ]);
  });

  it('splits rows over several statements when one could not bind all their values', async () => {
    // Counts the statements run: a plugin sees each query's result.
    let statements = 0;
    const counted = h.db.withPlugin({
      transformQuery: (a) => a.node,
      transformResult: (a) => (statements++, Promise.resolve(a.result)),
    });
    // Six columns a row and at most 12 values a statement: two rows each, so five rows take three.
    const insertTwoAtATime = insertRows('tags', [], { maxParameters: 12 });
    const rows = Array.from({ length: 5 }, (_, i) => ({
      code: `ir-split-${i}`,
      name_zh: `标签${i}`,
      name_en: `tag ${i}`,
      builtin: 0,
      retired_at: null,
      created_at: '2026-11-29T00:00:00.000Z',
    }));
    expect(await insertTwoAtATime(counted, rows)).toEqual([]);
    expect(statements).toBe(3);
    expect(
      await h.db.selectFrom('tags').selectAll().where('code', 'like', 'ir-split-%').orderBy('code').execute(),
    ).toEqual(rows);
    // The default bound: 6,001 rows of six columns is 36,006 values, more than the 30,000 a statement binds.
    statements = 0;
    const many = Array.from({ length: 6_001 }, (_, i) => ({ ...rows[0]!, code: `ir-many-${i}` }));
    await insertTags(counted, many);
    expect(statements).toBe(2);
    const n = await h.db
      .selectFrom('tags')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('code', 'like', 'ir-many-%')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(6_001);
  });

  it('refuses a row without a column of the first, and writes none of the rows', async () => {
    const before = await h.db
      .selectFrom('live_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const { command_id: _left, ...short } = liveRow(6);
    await expect(insertLive(h.db, [liveRow(5), short as ReturnType<typeof liveRow>])).rejects.toThrow(
      /has no command_id/,
    );
    // Undefined is refused too: Kysely would have left the column to its default, not written null.
    await expect(insertLive(h.db, [liveRow(9), { ...liveRow(10), command_id: undefined }])).rejects.toThrow(
      /has no command_id/,
    );
    // A bad row in a later statement's share leaves the earlier statements unrun.
    const insertLiveOneAtATime = insertRows('live_events', [], { maxParameters: 5 });
    await expect(
      insertLiveOneAtATime(h.db, [liveRow(11), liveRow(12), short as ReturnType<typeof liveRow>]),
    ).rejects.toThrow(/has no command_id/);
    await expect(
      insertLive(h.db, [liveRow(7), { ...liveRow(8), extra: 1 } as ReturnType<typeof liveRow>]),
    ).rejects.toThrow(/different columns/);
    const after = await h.db
      .selectFrom('live_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(await insertLive(h.db, [])).toEqual([]);
  });
});
