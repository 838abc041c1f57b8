// Named statements on PostgreSQL (ADR 0017): a statement with parameters run a few times is prepared
// once per connection under a name; statements without parameters and texts past the bound stay
// unnamed; a schema change through the pool starts new names, so a statement prepared before
// `alter table` reads the new shape instead of failing.
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DB, TEST_PG_URL } from '../test/harness.js';
import { namePreparedStatements } from './pg-prepared.js';

const pgRun = TEST_DB === 'postgres';
const schema = `t_prep_${crypto.randomBytes(5).toString('hex')}`;
let pool: pg.Pool;
/** One connection: what it prepared is what pg_prepared_statements shows. */
beforeAll(async () => {
  if (!pgRun) return;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  pool = new pg.Pool({ connectionString: TEST_PG_URL, max: 1, options: `-c search_path=${schema}` });
  namePreparedStatements(pool, { after: 3, max: 3 });
  await pool.query('create table things (id integer primary key, label text not null)');
  await pool.query("insert into things values (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four')");
});
afterAll(async () => {
  if (!pgRun) return;
  await pool.end();
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
});

const prepared = async () =>
  (
    await pool.query<{ name: string; statement: string }>(
      'select name, statement from pg_prepared_statements',
    )
  ).rows;
const byId = 'select * from things where id = $1';
/** The name byId had before the schema changed. */
let before = '';

describe.runIf(pgRun)('named statements (postgres)', () => {
  it('names a statement with parameters from its third run, and answers the same rows', async () => {
    const labels: string[] = [];
    for (let i = 1; i <= 4; i++) {
      labels.push((await pool.query<{ label: string }>(byId, [i])).rows[0]!.label);
      if (i === 2) expect((await prepared()).some((p) => p.statement === byId)).toBe(false);
    }
    expect(labels).toEqual(['one', 'two', 'three', 'four']);
    const mine = (await prepared()).filter((p) => p.statement === byId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.name).toMatch(/^l\d+_/);
    before = mine[0]!.name;
  });

  it('leaves statements without parameters unnamed', async () => {
    for (let i = 0; i < 4; i++) await pool.query('select count(*) from things');
    expect((await prepared()).some((p) => p.statement.startsWith('select count(*)'))).toBe(false);
  });

  it('names no more texts than its bound', async () => {
    for (const n of [1, 2, 3, 4])
      for (let i = 0; i < 3; i++)
        await pool.query(`select label from things where id = $1 and ${n} = ${n}`, [1]);
    // The bound is 3 and byId holds one name: two more texts got names, the others none.
    expect((await prepared()).length).toBe(3);
  });

  it('after a schema change, a statement prepared before reads the new shape', async () => {
    await pool.query('alter table things add column note text');
    await pool.query("update things set note = 'n' where id = $1", [1]);
    for (let i = 0; i < 4; i++) {
      const row = (await pool.query<{ label: string; note: string | null }>(byId, [1])).rows[0]!;
      expect(row).toEqual({ id: 1, label: 'one', note: 'n' });
    }
    const names = (await prepared()).filter((p) => p.statement === byId).map((p) => p.name);
    expect(names).toContain(before);
    expect(names.filter((n) => n !== before)).toHaveLength(1);
  });

  it('a column added by another connection fails one prepared statement, and the next are prepared afresh', async () => {
    for (let i = 0; i < 3; i++) await pool.query(byId, [3]);
    const other = new pg.Client({ connectionString: TEST_PG_URL, options: `-c search_path=${schema}` });
    await other.connect();
    try {
      await other.query('alter table things add column size integer');
    } finally {
      await other.end();
    }
    await expect(pool.query(byId, [3])).rejects.toThrow(/cached plan must not change result type/);
    for (let i = 0; i < 4; i++)
      expect((await pool.query(byId, [3])).rows[0]).toEqual({
        id: 3,
        label: 'three',
        note: null,
        size: null,
      });
  });

  it('a statement that fails to parse is reported and the connection goes on', async () => {
    for (let i = 0; i < 3; i++)
      await expect(pool.query('select nope from things where id = $1', [1])).rejects.toThrow(/nope/);
    expect((await pool.query<{ label: string }>(byId, [2])).rows[0]!.label).toBe('two');
  });
});
