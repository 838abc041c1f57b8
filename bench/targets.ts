// The databases a workload runs against: a temporary SQLite data directory, and a throwaway schema
// on PostgreSQL when one is reachable. Shared by the workloads, with query-plan helpers.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CompiledQuery, sql, type KyselyPlugin } from 'kysely';
import { loadConfig, type AppConfig } from '../server/config.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../server/db/index.js';
import { seedDemo } from '../server/demo/index.js';
import { ensureBuiltinRoles } from '../server/modules/accounts/index.js';
import { createPiiCipher } from '../server/platform/pii.js';
import { auditKeyring, createAuditKey } from '../server/platform/audit-key.js';
import { useAuditKeyring } from '../server/platform/audit.js';
import { pgAdmin, postgresReachable, rssMb, sample, summarize, UsageError, type Summary } from './lib.js';

// The audit chain's key for this run: in the config (so buildApp takes it, writing no key file) and
// installed now for the seeds, which write audit rows before any app is built.
// BENCH_AUDIT_KEY gives it, for a run on a database kept by an earlier one (BENCH_KEEP_SCHEMA=1).
export const AUDIT_KEY = process.env.BENCH_AUDIT_KEY ?? crypto.randomBytes(32).toString('base64');
useAuditKeyring(auditKeyring(createAuditKey(Buffer.from(AUDIT_KEY, 'base64'))));

export type DialectName = 'sqlite' | 'postgres';
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface Opened {
  database: DatabaseHandle;
  config: AppConfig;
  where: string;
  /** PostgreSQL: the schema the bench made for itself. */
  schema?: string;
  cleanup: () => Promise<void>;
}

const configFor = (dataDir: string, databaseUrl?: string) =>
  loadConfig(
    {
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      WEB_DIR: '/nonexistent',
      AUDIT_KEY,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    {
      host: '127.0.0.1',
      port: 0,
    },
  );

/** A temporary data directory; `from`, a directory an earlier run kept, is copied into it first. */
export function openSqlite(from?: string): Promise<Opened> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-'));
  if (from) for (const f of fs.readdirSync(from)) fs.copyFileSync(path.join(from, f), path.join(dir, f));
  const database = openDatabase({ dataDir: dir });
  return Promise.resolve({
    database,
    config: configFor(dir),
    where: dir,
    cleanup: async () => {
      await database.close();
      // BENCH_KEEP_SCHEMA=1 leaves the loaded database behind, for sqlite3 or a later run to start from.
      if (process.env.BENCH_KEEP_SCHEMA === '1')
        console.error(`kept SQLite data directory ${dir} (BENCH_AUDIT_KEY=${AUDIT_KEY})`);
      else fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}

export async function openPostgres(url: string): Promise<Opened> {
  const schema = `bench_${crypto.randomBytes(5).toString('hex')}`;
  await pgAdmin(url, `create schema ${schema}`);
  const database = openDatabase({ databaseUrl: url, schema });
  // The app's config still names a data directory; nothing is written there on PostgreSQL.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-pg-'));
  return {
    database,
    config: configFor(dir, url),
    schema,
    where: `${new URL(url).host}${new URL(url).pathname} schema ${schema}`,
    cleanup: async () => {
      await database.close();
      // BENCH_KEEP_SCHEMA=1 leaves the loaded schema behind, to study its plans with psql afterwards.
      if (process.env.BENCH_KEEP_SCHEMA === '1') console.error(`kept PostgreSQL schema ${schema}`);
      else await pgAdmin(url, `drop schema ${schema} cascade`);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `[--pg | --no-pg]` (and BENCH_PG=1/0, BENCH_PG_URL): whether to run on PostgreSQL too, and why
 * not when it is skipped. Throws a UsageError on other arguments.
 */
export async function choosePostgres(
  workload: string,
  args: string[],
): Promise<{ pgUrl: string; withPg: boolean; skipped: string | null }> {
  const unknown = args.filter((a) => a !== '--pg' && a !== '--no-pg' && a !== '--no-sqlite');
  if (unknown.length > 0) throw new UsageError(`unknown argument(s) for ${workload}: ${unknown.join(' ')}`);
  const pgUrl = process.env.BENCH_PG_URL ?? DEFAULT_PG_URL;
  const forced = args.includes('--pg') || process.env.BENCH_PG === '1';
  const refused = args.includes('--no-pg') || process.env.BENCH_PG === '0';
  if (refused) return { pgUrl, withPg: false, skipped: 'skipped (--no-pg)' };
  if (await postgresReachable(pgUrl)) return { pgUrl, withPg: true, skipped: null };
  if (forced) throw new Error(`PostgreSQL is not reachable at ${pgUrl}`);
  return { pgUrl, withPg: false, skipped: `skipped: PostgreSQL not reachable at ${new URL(pgUrl).host}` };
}

/** The query plan, flattened to one line, to show which index (if any) a statement uses. */
export async function explain(database: DatabaseHandle, query: ReturnType<typeof sql>): Promise<string> {
  const prefix = database.dialect === 'postgres' ? sql`explain ` : sql`explain query plan `;
  // SQLite answers rows with a `detail` column, PostgreSQL rows with a `QUERY PLAN` column.
  const { rows } = await sql<{ detail?: string; 'QUERY PLAN'?: string }>`${prefix}${query}`.execute(
    database.db,
  );
  return rows
    .map((r) => (r.detail ?? r['QUERY PLAN'] ?? JSON.stringify(r)).trim())
    .join('; ')
    .replace(/\s+/g, ' ');
}

/** SQLite: SEARCH = an index range, SCAN = every row (of the table or of an index). PostgreSQL: an Index Cond is a range. */
export function planKind(plan: string): string {
  if (/(^|; )SEARCH [^;]*INDEX/.test(plan) || /Index Cond/.test(plan)) return 'index range';
  if (/(^|; )SCAN [^;]*INDEX/.test(plan)) return 'full index scan';
  return 'full table scan';
}

export const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;

/**
 * Runs a workload's measurement on SQLite, then on PostgreSQL when chosen, and lays the results out
 * side by side: the JSON for machines and the table for people.
 */
export async function runSideBySide<R>(
  workload: string,
  args: string[],
  log: (s: string) => void,
  measure: (open: () => Promise<Opened>, log: (s: string) => void) => Promise<R>,
  rows: [string, (r: R) => string][],
  iterations: Record<string, number>,
  /** `sqliteFrom`: a data directory kept by an earlier run, copied for SQLite (workloads that can start from one). */
  opts: { sqliteFrom?: string | undefined } = {},
) {
  const { pgUrl, withPg, skipped } = await choosePostgres(workload, args);
  const started = performance.now();
  const rssStart = rssMb();
  const results: Partial<Record<DialectName, R>> = {};
  // `--no-sqlite`: PostgreSQL alone, when only its figures are in question (a 5M run takes a while).
  if (args.includes('--no-sqlite')) {
    if (!withPg) throw new UsageError(`--no-sqlite leaves nothing to run: PostgreSQL is ${skipped}`);
  } else {
    log('sqlite:');
    results.sqlite = await measure(() => openSqlite(opts.sqliteFrom), log);
  }
  if (withPg) {
    log('postgres:');
    results.postgres = await measure(() => openPostgres(pgUrl), log);
  }
  const cols: DialectName[] = ['sqlite', 'postgres'];
  const json = {
    workload,
    at: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    iterations,
    totalSeconds: Math.round((performance.now() - started) / 100) / 10,
    rssMb: { start: rssStart, end: rssMb() },
    postgres: skipped,
    results,
  };
  const table = [
    ['metric', ...cols],
    ...rows.map(([label, f]) => [
      label,
      ...cols.map((c) => (results[c] ? f(results[c]) : c === 'postgres' && skipped ? 'skipped' : '—')),
    ]),
  ];
  return { json, table };
}

/** Migrates a fresh database and seeds the district-scale demo (tree, accounts, 700k residents). */
export async function seedDistrict(db: DatabaseHandle['db'], schema: string | undefined, password: string) {
  await migrateToLatest(db, schema);
  await ensureBuiltinRoles(db);
  const piiKey = crypto.randomBytes(32);
  const pii = createPiiCipher(piiKey);
  const t0 = performance.now();
  // Events are left out: these workloads measure the tree and the registry (the events workload seeds its own).
  await seedDemo(db, { scale: 'district', password, pii, events: false });
  return { pii, piiKey: piiKey.toString('base64'), seedMs: performance.now() - t0 };
}

/**
 * Listens on 127.0.0.1 on a free port and answers the base URL. Keep-alive is long: a pause between
 * two parts of a workload would otherwise let fetch reuse a socket the server has just closed.
 */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  app.server.keepAliveTimeout = 600_000;
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}

/** A statement a service call sent, timed on its own and planned. */
export interface StatementFigures {
  label: string;
  sql: string;
  ms: Summary;
  plan: string;
  kind: string;
}

/** Records the statements a service call sends, compiled, without changing them. */
function recorder(db: DatabaseHandle['db']) {
  const seen: CompiledQuery[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      seen.push(db.getExecutor().compileQuery(args.node, args.queryId));
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  };
  return { db: db.withPlugin(plugin), seen };
}

/**
 * Each statement a service call sends, run on its own `samples` times (its p50 is where the call's
 * time goes) and planned: SQLite's `explain query plan`, PostgreSQL's `explain (analyze, buffers)`
 * with the values given (a custom plan). The timed runs go through the pool as the service's do, so
 * on PostgreSQL they may meet the generic plan of a named statement (ADR 0017) that the plan shown is
 * not. `label` names a statement, or null to leave it out.
 */
export async function explainCall(
  database: Opened['database'],
  call: (db: DatabaseHandle['db']) => Promise<unknown>,
  label: (sql: string) => string | null,
  log: (s: string) => void,
  samples: number,
): Promise<StatementFigures[]> {
  const { db, dialect } = database;
  const rec = recorder(db);
  await call(rec.db);
  const out: StatementFigures[] = [];
  // A subquery is compiled on its own too when the statement around it is built: only what was sent.
  const sent = rec.seen.filter(
    (c, i) => !rec.seen.some((d, j) => j !== i && d.sql.length > c.sql.length && d.sql.includes(c.sql)),
  );
  for (const c of sent) {
    const name = label(c.sql);
    if (name === null) continue;
    const ms = summarize(await sample(samples, 3, () => db.executeQuery(c)));
    const prefix = dialect === 'postgres' ? 'explain (analyze, buffers) ' : 'explain query plan ';
    const { rows } = await db.executeQuery<{ detail?: string; 'QUERY PLAN'?: string }>(
      CompiledQuery.raw(prefix + c.sql, [...c.parameters]),
    );
    const lines = rows.map((x) => x.detail ?? x['QUERY PLAN'] ?? JSON.stringify(x));
    log(`    ${name}: p50 ${ms.p50} ms, p95 ${ms.p95} ms\n      ${lines.join('\n      ')}`);
    const plan = lines
      .map((l) => l.trim())
      .join('; ')
      .replace(/\s+/g, ' ');
    out.push({ label: name, sql: c.sql.replace(/\s+/g, ' '), ms, plan, kind: planKind(plan) });
  }
  return out;
}
