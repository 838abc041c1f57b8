// Kysely for both databases: SQLite (embedded default) or PostgreSQL when DATABASE_URL is set.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Transaction,
} from 'kysely';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { migrations } from './migrations/index.js';
import { namePreparedStatements } from './pg-prepared.js';
import type { Database } from './schema.js';
import type { DialectName } from './dialect.js';

export type { Database } from './schema.js';
export type DB = Kysely<Database>;
export type Executor = Kysely<Database> | Transaction<Database>;

// pg returns int8 (count(*), sums) as strings; SQLite returns numbers. Normalise here, once.
pg.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v: string) => Number.parseFloat(v));

export interface DatabaseHandle {
  db: DB;
  /**
   * For hot reads outside any transaction (who is calling, nearby open cases) that must not queue
   * behind a running write. On a SQLite file: a second, read-only connection, which WAL lets read the
   * last commit while the one writer's transaction is open (ADR 0005). Elsewhere: `db` itself
   * (PostgreSQL's pool already reads beside a write; an in-memory database has one connection).
   */
  reader: DB;
  dialect: DialectName;
  /** For PostgreSQL: the pool, for LISTEN/NOTIFY and tests. */
  pool?: pg.Pool;
  /** For PostgreSQL: where the pool connects, so the live bus can open its own LISTEN connection. */
  connection?: { url: string; schema?: string | undefined };
  /** For a SQLite file opened with background checkpoints: the worker that runs them. */
  checkpointer?: Checkpointer;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** A directory for the SQLite file, or ':memory:' for a private in-memory database. */
  dataDir?: string;
  /** PostgreSQL only: the schema to use (tests give each file its own). */
  schema?: string;
  poolSize?: number;
  /**
   * SQLite file only: checkpoint the log on a worker thread of its own rather than in the commit
   * that fills it (ADR 0017). The server and the benches' servers ask for it.
   */
  backgroundCheckpoints?: boolean;
}

/** With background checkpoints, the writer checkpoints itself only past this many log pages (32 MiB). */
export const BACKSTOP_WAL_PAGES = 8192;

export function openDatabase(opts: OpenOptions): DatabaseHandle {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    namePreparedStatements(pool);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      reader: db,
      dialect: 'postgres',
      pool,
      connection: { url: opts.databaseUrl, schema: opts.schema },
      close: () => db.destroy(),
    };
  }
  const dataDir = opts.dataDir ?? './data';
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    fs.mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, 'linli.sqlite');
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit that returned is on disk, even after a power cut.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 64 MiB of page cache instead of 2: an import batch dirties thousands of index pages, and a cache
  // smaller than that spills them to the WAL mid-transaction, writing each page more than once.
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  if (file === ':memory:') return { db, reader: db, dialect: 'sqlite', close: () => db.destroy() };
  let reader: DB;
  let checkpointer: Checkpointer | undefined;
  try {
    const readOnly = new SQLite(file, { readonly: true });
    readOnly.pragma('busy_timeout = 5000');
    readOnly.pragma('cache_size = -16384');
    reader = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(readOnly) }) });
    if (opts.backgroundCheckpoints) {
      checkpointer = startCheckpointer(file);
      sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_WAL_PAGES}`);
    }
  } catch (e) {
    sqlite.close();
    throw e;
  }
  return {
    db,
    reader,
    dialect: 'sqlite',
    ...(checkpointer ? { checkpointer } : {}),
    close: async () => {
      try {
        await checkpointer?.stop();
        await reader.destroy();
      } finally {
        await db.destroy();
      }
    },
  };
}

/**
 * Kysely prepares every statement anew; preparing costs about as much as running a point query. The
 * app runs the same few hundred statements over and over, so keep the most recent ones prepared
 * (Kysely runs each to completion synchronously on the one connection, so sharing them is safe).
 */
function withStatementCache(sqlite: SQLite.Database, size = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        // Most recently used last, so the first key is the one to drop.
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/**
 * Migrates. On PostgreSQL the migration bookkeeping lives in the schema being migrated (the one given,
 * or the connection's current schema): otherwise Kysely looks for its tables in every schema and is
 * fooled by another schema's.
 */
export async function migrateToLatest(db: DB, schemaName?: string): Promise<string[]> {
  let schema = schemaName;
  if (!schema && db.getExecutor().adapter instanceof PostgresAdapter) {
    schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s;
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** ISO-8601 UTC, the one time format stored everywhere. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** A unique index refused a row, on either database; `column` narrows it to one column's index. */
export function isUniqueViolation(e: unknown, column?: string): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { code?: unknown; message?: unknown; detail?: unknown; constraint?: unknown };
  const unique = err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === '23505';
  if (!unique || column === undefined) return unique;
  return [err.message, err.detail, err.constraint].some((t) => typeof t === 'string' && t.includes(column));
}
