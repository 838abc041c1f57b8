// withBulkWrites: SQLite's automatic checkpoints put off while an import's batches are written, the
// setting given back by the last of several at once, and the log emptied at the end; every commit
// made inside still readable. On PostgreSQL it only runs the function.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import { withBulkWrites } from './dialect.js';
import type { DatabaseHandle } from './index.js';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDatabase();
});
afterAll(async () => h.close());

const autocheckpoint = async () =>
  Number(
    (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(h.db)).rows[0]!
      .wal_autocheckpoint,
  );
const tagRow = (code: string) => ({
  code,
  name_zh: code,
  name_en: code,
  builtin: 0,
  retired_at: null,
  created_at: new Date().toISOString(),
});

describe(`bulk writes (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('answers what the function answers, and its commits are read by others', async () => {
    const out = await withBulkWrites(h.db, async () => {
      for (let i = 0; i < 3; i++)
        await h.db.transaction().execute((trx) =>
          trx
            .insertInto('tags')
            .values(tagRow(`bw-${i}`))
            .execute(),
        );
      return 'done';
    });
    expect(out).toBe('done');
    const n = await h.reader
      .selectFrom('tags')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('code', 'like', 'bw-%')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(3);
  });

  it('on SQLite puts checkpoints off until the last of several ends, then empties the log', async () => {
    if (h.dialect !== 'sqlite') return;
    const before = await autocheckpoint();
    let release!: () => void;
    const first = withBulkWrites(h.db, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    expect(await autocheckpoint()).toBe(262_144);
    await withBulkWrites(h.db, async () => {
      await h.db.insertInto('tags').values(tagRow('bw-nested')).execute();
      expect(await autocheckpoint()).toBe(262_144);
    });
    // The first is still writing: the second ending gives nothing back yet.
    expect(await autocheckpoint()).toBe(262_144);
    release();
    await first;
    expect(await autocheckpoint()).toBe(before);
    const { rows } = await sql<{ log: number }>`pragma wal_checkpoint(passive)`.execute(h.db);
    expect(rows[0]!.log).toBe(0);
  });

  it('on SQLite gives the original setting back when two start at the same moment', async () => {
    if (h.dialect !== 'sqlite') return;
    const before = await autocheckpoint();
    expect(before).not.toBe(262_144);
    let releaseA!: () => void;
    let releaseB!: () => void;
    const both = Promise.all([
      withBulkWrites(h.db, () => new Promise<void>((r) => (releaseA = r))),
      withBulkWrites(h.db, () => new Promise<void>((r) => (releaseB = r))),
    ]);
    await expect.poll(() => autocheckpoint()).toBe(262_144);
    await expect.poll(() => releaseA !== undefined && releaseB !== undefined).toBe(true);
    releaseA();
    // One is still writing: nothing given back yet.
    await new Promise((r) => setTimeout(r, 20));
    expect(await autocheckpoint()).toBe(262_144);
    releaseB();
    await both;
    expect(await autocheckpoint()).toBe(before);
  });

  it('gives the setting back when the function fails', async () => {
    if (h.dialect !== 'sqlite') return;
    const before = await autocheckpoint();
    await expect(withBulkWrites(h.db, () => Promise.reject(new Error('a batch failed')))).rejects.toThrow(
      'a batch failed',
    );
    expect(await autocheckpoint()).toBe(before);
  });
});
