// Background checkpoints (ADR 0017): on a SQLite file opened with them, a worker thread copies the
// log into the database while the writer goes on, the writer's own automatic checkpoints wait for the
// backstop, every commit stays readable (also after reopening), and closing stops the worker. On
// PostgreSQL there is nothing to checkpoint: the option is SQLite's alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer.js';
import { BACKSTOP_WAL_PAGES, migrateToLatest, openDatabase, type DatabaseHandle } from './index.js';

const sqliteRun = (process.env.LINLI_TEST_DB ?? 'sqlite') === 'sqlite';
let dir: string;
let h: DatabaseHandle;
beforeAll(async () => {
  if (!sqliteRun) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-ckpt-'));
  h = openDatabase({ dataDir: dir, backgroundCheckpoints: true });
  await migrateToLatest(h.db);
});
afterAll(async () => {
  if (!sqliteRun) return;
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const tagRow = (code: string) => ({
  code,
  name_zh: `标签${code}`.padEnd(200, '签'),
  name_en: code.padEnd(200, 'x'),
  builtin: 0,
  retired_at: null,
  created_at: new Date().toISOString(),
});
/** Tags this file wrote, read through the given connection. */
const taggedCk = async (db: DatabaseHandle['db']) =>
  Number(
    (
      await db
        .selectFrom('tags')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('code', 'like', 'ck-%')
        .executeTakeFirstOrThrow()
    ).n,
  );
const until = async (check: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
};

describe.runIf(sqliteRun)('background checkpoints (sqlite)', () => {
  it('the writer checkpoints itself only past the backstop', async () => {
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(h.db);
    expect(rows[0]!.wal_autocheckpoint).toBe(BACKSTOP_WAL_PAGES);
  });

  it('copies what commits wrote while the writer goes on, and every commit is read back', async () => {
    const before = await h.checkpointer!.stats();
    // Many small commits: more log pages than SQLite's default threshold (1,000), fewer than the backstop.
    for (let i = 0; i < 600; i++)
      await h.db.transaction().execute((trx) =>
        trx
          .insertInto('tags')
          .values([0, 1, 2, 3].map((k) => tagRow(`ck-${i}-${k}`)))
          .execute(),
      );
    // The worker catches up on its own: nothing here checkpoints.
    // Waited for in full: a tick in the middle of the writes may have copied only part of them.
    const copied = async () => (await h.checkpointer!.stats()).frames - before.frames;
    await until(async () => (await copied()) > 1000, 5000);
    const after = await h.checkpointer!.stats();
    expect(after.runs).toBeGreaterThan(before.runs);
    expect(after.frames - before.frames).toBeGreaterThan(1000);
    expect(await taggedCk(h.reader)).toBe(2400);
  });

  it('leaves the log copied once writes stop, so the writer can start it over', async () => {
    await h.db.insertInto('tags').values(tagRow('ck-last')).execute();
    expect(
      await until(async () => {
        const r = await h.checkpointer!.stats();
        return r.log > 0 && r.log === r.checkpointed;
      }, 5000),
    ).toBe(true);
  });

  it('stops with the database, and what was written is there after reopening', async () => {
    await h.close();
    const again = openDatabase({ dataDir: dir });
    try {
      expect(await taggedCk(again.db)).toBe(2401);
    } finally {
      await again.close();
    }
    h = openDatabase({ dataDir: dir, backgroundCheckpoints: true });
    expect((await h.checkpointer!.stats()).runs).toBe(0);
  });

  it('a worker that cannot open its file stops on its own: nothing is thrown at the server, and stopping does not wait', async () => {
    const lost = startCheckpointer(path.join(dir, 'missing', 'no.sqlite'), { everyMs: 10 });
    await new Promise((r) => setTimeout(r, 300));
    await expect(lost.stats()).rejects.toThrow(/checkpoint worker has stopped: .*(directory|open)/i);
    await lost.stop();
  });
});
