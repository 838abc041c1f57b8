// Group commit on both databases: a burst shares transactions, a failing write is undone alone,
// a lost transaction answers every write in it with the error, and what was answered is there.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import { createBatchWriter, createGroupCommit } from './group-commit.js';
import type { DatabaseHandle, Executor } from './index.js';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDatabase();
});
afterAll(async () => h.close());

const tagCount = async (prefix: string) =>
  Number(
    (
      await h.db
        .selectFrom('tags')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('code', 'like', `${prefix}%`)
        .executeTakeFirstOrThrow()
    ).n,
  );
const addTag = (code: string) => (trx: Executor) =>
  trx
    .insertInto('tags')
    .values({
      code,
      name_zh: code,
      name_en: code,
      builtin: 0,
      retired_at: null,
      created_at: new Date().toISOString(),
    })
    .execute()
    .then(() => code);

describe(`group commit (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('a burst of writes shares a few transactions, each write answered with its own result', async () => {
    const g = createGroupCommit(h.db);
    const codes = Array.from({ length: 40 }, (_, i) => `burst${i}`);
    const answers = await Promise.all(codes.map((c) => g.run(addTag(c))));
    expect(answers).toEqual(codes);
    expect(await tagCount('burst')).toBe(40);
    const { transactions, writes } = g.stats();
    expect(writes).toBe(40);
    // The first runs alone; the 39 that queued behind it share the next.
    expect(transactions).toBe(2);
  });

  it('a failing write is undone alone and gets its error; the others in its batch commit', async () => {
    const g = createGroupCommit(h.db);
    const results = await Promise.allSettled([
      g.run(addTag('mixed0')),
      g.run(addTag('mixed1')),
      g.run(async (trx) => {
        await addTag('mixed2')(trx);
        throw new Error('refused');
      }),
      // A duplicate key: the database refuses it inside the savepoint.
      g.run(addTag('mixed1')),
      g.run(addTag('mixed3')),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect((results[2] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    const left = await h.db
      .selectFrom('tags')
      .select('code')
      .where('code', 'like', 'mixed%')
      .orderBy('code')
      .execute();
    expect(left.map((r) => r.code)).toEqual(['mixed0', 'mixed1', 'mixed3']);
  });

  it('a lone failing write leaves nothing', async () => {
    const g = createGroupCommit(h.db);
    await expect(
      g.run(async (trx) => {
        await addTag('lone0')(trx);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await tagCount('lone')).toBe(0);
  });

  it('when the transaction itself is lost, every write in it is answered with the error and none is kept', async () => {
    const g = createGroupCommit(h.db);
    // The third write breaks the transaction (not only its savepoint): nothing of the batch survives.
    const breakIt = async (trx: Executor) => {
      await sql`rollback`.execute(trx);
      return 'broken';
    };
    const first = g.run(addTag('lost0'));
    const rest = Promise.allSettled([g.run(addTag('lost1')), g.run(breakIt), g.run(addTag('lost2'))]);
    await first;
    const settled = await rest;
    expect(settled.every((r) => r.status === 'rejected')).toBe(true);
    expect(await tagCount('lost')).toBe(1); // only the first, committed alone before the burst
  });
});

describe(`batch writer with a whole-batch path (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  const tag = (code: string) => ({
    code,
    name_zh: code,
    name_en: code,
    builtin: 0,
    retired_at: null,
    created_at: new Date().toISOString(),
  });
  const writer = () =>
    createBatchWriter<string, string>(h.db, {
      writeOne: (trx, code) =>
        trx
          .insertInto('tags')
          .values(tag(code))
          .execute()
          .then(() => `one:${code}`),
      writeMany: (trx, codes) =>
        trx
          .insertInto('tags')
          .values(codes.map(tag))
          .execute()
          .then(() => codes.map((c) => `many:${c}`)),
    });

  it('a burst goes in one piece, each write answered in its place', async () => {
    const w = writer();
    const codes = Array.from({ length: 20 }, (_, i) => `whole${i}`);
    const answers = await Promise.all(codes.map((c) => w.write(c)));
    // The first runs alone (one by one); the 19 that queued behind it go in one statement.
    expect(answers).toEqual(codes.map((c, i) => (i === 0 ? `one:${c}` : `many:${c}`)));
    expect(w.stats()).toEqual({ transactions: 2, writes: 20, wholeBatches: 1, splitBatches: 0 });
    expect(await tagCount('whole')).toBe(20);
  });

  it('a refused write undoes the whole piece; the batch goes again one by one and only that write fails', async () => {
    const w = writer();
    await w.write('splitdup');
    const first = w.write('split0');
    const rest = Promise.allSettled(['split1', 'splitdup', 'split2'].map((c) => w.write(c)));
    expect(await first).toBe('one:split0');
    const settled = await rest;
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled.map((r) => (r.status === 'fulfilled' ? r.value : null))).toEqual([
      'one:split1',
      null,
      'one:split2',
    ]);
    expect(w.stats()).toMatchObject({ wholeBatches: 0, splitBatches: 1 });
    const left = await h.db
      .selectFrom('tags')
      .select('code')
      .where('code', 'like', 'split%')
      .orderBy('code')
      .execute();
    expect(left.map((r) => r.code)).toEqual(['split0', 'split1', 'split2', 'splitdup']);
  });
});
