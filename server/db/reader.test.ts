// The reader: on a SQLite file a second, read-only connection that reads the last commit while a
// write is open, instead of queueing behind it; on PostgreSQL the pool does the same. And fixedQuery:
// compiled once, then the same rows for new parameters; a builder that misplaces them is refused.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/harness.js';
import { fixedQuery } from './fixed-query.js';
import type { DatabaseHandle } from './index.js';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDatabase();
});
afterAll(async () => h.close());

const tagRow = (code: string) => ({
  code,
  name_zh: code,
  name_en: code,
  builtin: 0,
  retired_at: null,
  created_at: new Date().toISOString(),
});
const countTags = async (prefix: string) =>
  Number(
    (
      await h.reader
        .selectFrom('tags')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('code', 'like', `${prefix}%`)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe(`the reader (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('reads the last commit while a write transaction is open, without waiting for it', async () => {
    await h.db.insertInto('tags').values(tagRow('rd-committed')).execute();
    const trx = await h.db.startTransaction().execute();
    try {
      await trx.insertInto('tags').values(tagRow('rd-open')).execute();
      const read = await Promise.race([
        countTags('rd-'),
        new Promise<'waited'>((r) => setTimeout(() => r('waited'), 2_000)),
      ]);
      expect(read).toBe(1);
      await trx.commit().execute();
    } catch (e) {
      await trx.rollback().execute();
      throw e;
    }
    expect(await countTags('rd-')).toBe(2);
  });

  it('on a SQLite file it is a separate, read-only connection', async () => {
    if (h.dialect !== 'sqlite') {
      expect(h.reader).toBe(h.db);
      return;
    }
    expect(h.reader).not.toBe(h.db);
    await expect(h.reader.insertInto('tags').values(tagRow('rd-refused')).execute()).rejects.toThrow(
      /readonly/i,
    );
    expect(await countTags('rd-refused')).toBe(0);
  });
});

describe(`fixedQuery (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('gives the rows the builder would, for each new set of parameters', async () => {
    await h.db.insertInto('tags').values(['fq-a', 'fq-b', 'fq-c'].map(tagRow)).execute();
    const byCodes = fixedQuery((db, prefix: string, codes: readonly string[]) =>
      db
        .selectFrom('tags')
        .select('code')
        .where('code', 'like', prefix)
        .where('code', 'in', codes)
        .orderBy('code'),
    );
    expect((await byCodes(h.db, 'fq-%', ['fq-a', 'fq-c'])).map((r) => r.code)).toEqual(['fq-a', 'fq-c']);
    expect((await byCodes(h.db, 'fq-%', ['fq-b', 'nope'])).map((r) => r.code)).toEqual(['fq-b']);
    expect((await byCodes(h.reader, 'fq-c%', ['fq-a', 'fq-c'])).map((r) => r.code)).toEqual(['fq-c']);
  });

  it('refuses a builder whose parameters are not its arguments in order, even when the first call’s values are equal', async () => {
    const swappedEqual = fixedQuery((db, a: string, b: string) =>
      db.selectFrom('tags').select('code').where('name_en', '=', b).where('code', '=', a),
    );
    await expect(swappedEqual(h.db, 'same', 'same')).rejects.toThrow(/not its arguments in order/);
    await expect(swappedEqual(h.db, 'x', 'y')).rejects.toThrow(/not its arguments in order/);
    const hidden = fixedQuery((db, a: string) =>
      db
        .selectFrom('tags')
        .select('code')
        .where('code', '=', a)
        .where('name_en', '=', sql<string>`${'constant'}`),
    );
    await expect(hidden(h.db, 'x')).rejects.toThrow(/not its arguments in order/);
  });
});
