// The differences between SQLite and PostgreSQL that queries and schema share. The few others stay
// with the one piece of code that needs them: docs/ARCHITECTURE.md, "Where the two databases differ".
import {
  PostgresAdapter,
  sql,
  type ColumnDefinitionBuilder,
  type Expression,
  type Kysely,
  type RawBuilder,
} from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run on an untyped Kysely
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** An auto-generated integer primary key. */
export function idColumn(dialect: DialectName) {
  return (col: ColumnDefinitionBuilder) =>
    dialect === 'postgres'
      ? col.generatedByDefaultAsIdentity().primaryKey()
      : col.primaryKey().autoIncrement();
}

/** Materialized paths compare byte-wise so that subtree ranges hold on both databases. */
export function pathType(dialect: DialectName): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
}

/** Raw bytes (photos). */
export function blobType(dialect: DialectName): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`bytea` : sql`blob`;
}

/**
 * `from <table>` naming the index SQLite must use. SQLite plans without statistics and prefers an
 * index that yields GROUP BY's order even when it means reading the whole table; PostgreSQL keeps
 * statistics and chooses for itself.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fromIndexed(db: Kysely<any>, table: string, index: string): RawBuilder<unknown> {
  return dialectOf(db) === 'sqlite' ? sql.raw(`${table} indexed by ${index}`) : sql.raw(table);
}

/** Serialises writers of the audit chain. SQLite's single writer already does; PostgreSQL needs a lock. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function lockAuditChain(trx: Kysely<any>): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(7160001)`.execute(trx);
}

/** Blocks UPDATE and DELETE on the audit table at the database level. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function makeAppendOnly(db: Kysely<any>, table: string): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql
      .raw(
        `create or replace function ${table}_append_only() returns trigger language plpgsql as $$
         begin raise exception '${table} is append-only'; end $$;
         create trigger ${table}_no_update before update or delete on ${table}
         for each row execute function ${table}_append_only();`,
      )
      .execute(db);
  } else {
    await sql
      .raw(
        `create trigger ${table}_no_update before update on ${table} begin select raise(abort, '${table} is append-only'); end;`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${table}_no_delete before delete on ${table} begin select raise(abort, '${table} is append-only'); end;`,
      )
      .execute(db);
  }
}

/** Removes the append-only guard: only for tests that tamper with the chain on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function dropAppendOnly(db: Kysely<any>, table: string): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql.raw(`drop trigger if exists ${table}_no_update on ${table}`).execute(db);
  } else {
    await sql.raw(`drop trigger if exists ${table}_no_update`).execute(db);
    await sql.raw(`drop trigger if exists ${table}_no_delete`).execute(db);
  }
}

/** The half-open range that holds a path and all of its descendants: [prefix, prefix with '/' → '0'). */
export function subtreeRange(path: string): [string, string] {
  return [path, path.slice(0, -1) + '0'];
}

/** `column LIKE '%text%'` with the user's % and _ taken literally, on both databases. */
export function likeContains(
  column: string,
  text: string,
  mode: 'contains' | 'prefix' = 'contains',
): RawBuilder<boolean> {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  const pattern = mode === 'contains' ? `%${escaped}%` : `${escaped}%`;
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

/**
 * Runs `fn` only where no other app process runs it at the same time: on PostgreSQL under a
 * transaction-scoped advisory lock (skipped when another node holds it); SQLite has one process.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function withLease(db: Kysely<any>, key: number, fn: () => Promise<void>): Promise<boolean> {
  if (dialectOf(db) !== 'postgres') {
    await fn();
    return true;
  }
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${key}) as ok`.execute(trx);
    if (!rows[0]?.ok) return false;
    await fn();
    return true;
  });
}

/** The WAL's size, in pages, past which a bulk write checkpoints after all: 1 GiB at 4 KiB pages. */
const BULK_WAL_PAGES = 262_144;
/** Bulk writes running per SQLite database, so that the last one to finish restores the setting. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const bulkWriters = new WeakMap<Kysely<any>, BulkWriters>();
interface BulkWriters {
  running: number;
  /** The setting found before the first raised it: known once `ready` has settled. */
  autocheckpoint?: number;
  /** Reading the setting and raising it; every writer waits on the same one. */
  ready: Promise<void>;
}

/**
 * Runs a long series of write transactions (an import's batches) with SQLite's automatic checkpoints
 * put off. By default every commit that leaves more than 1,000 pages in the write-ahead log copies
 * them into the database file then and there; an import batch dirties thousands of random pages of
 * the blind-index and name indexes, so every batch copied again the pages the one before had
 * copied (ADR 0009: half of an import's time). Put off, a page is copied once however many batches
 * touched it, by one checkpoint at the end (or when the log passes 1 GiB). Every commit is still
 * durable in the log (synchronous = FULL) and readers see it as before. Nothing to do on PostgreSQL.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function withBulkWrites<T>(db: Kysely<any>, fn: () => Promise<T>): Promise<T> {
  if (dialectOf(db) !== 'sqlite') return fn();
  // The state is registered before anything is awaited: two imports starting at the same moment
  // share it, so the second never reads the raised setting as the one to give back.
  let state = bulkWriters.get(db);
  if (!state) {
    const created: BulkWriters = { running: 0, ready: Promise.resolve() };
    created.ready = (async () => {
      const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
      created.autocheckpoint = Number(rows[0]?.wal_autocheckpoint ?? 1000);
      await sql.raw(`pragma wal_autocheckpoint = ${BULK_WAL_PAGES}`).execute(db);
    })();
    state = created;
    bulkWriters.set(db, state);
  }
  state.running++;
  try {
    await state.ready;
    return await fn();
  } finally {
    if (--state.running === 0) {
      bulkWriters.delete(db);
      await state.ready.catch(() => undefined);
      if (state.autocheckpoint !== undefined)
        await sql.raw(`pragma wal_autocheckpoint = ${state.autocheckpoint}`).execute(db);
      // Copies what the batches wrote, each page once, and empties the log; a reader still on an
      // older snapshot only makes it stop short (the next automatic checkpoint finishes the job).
      await sql`pragma wal_checkpoint(truncate)`.execute(db);
    }
  }
}

/** Days (with the fraction) from one ISO date-time text column to another. */
export function daysBetweenSql(
  dialect: DialectName,
  from: Expression<unknown>,
  to: Expression<unknown>,
): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`extract(epoch from (${to}::timestamptz - ${from}::timestamptz)) / 86400.0`
    : sql<number>`(julianday(${to}) - julianday(${from}))`;
}
