// `npm run demo -- [--scale small|district] [--reset]`: builds the demo district (tree, accounts and
// residents, their ID numbers and phones encrypted with the deployment's personal-data key) in the
// configured database (DATA_DIR for SQLite, or DATABASE_URL), writes DATA_DIR/demo-logins.json and prints the logins.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { bootDatabase, demoLoginsFileName, writeDemoLogins } from '../server/boot.js';
import { loadConfig, type AppConfig } from '../server/config.js';
import { seedDemo, type DemoLogin, type DemoScale } from '../server/demo/index.js';

const USAGE = 'usage: npm run demo -- [--scale small|district] [--reset]   (scale defaults to small)';

function usageError(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: string[]): { scale: DemoScale; reset: boolean } {
  let scale: DemoScale = 'small';
  let reset = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--reset') reset = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--scale' || arg.startsWith('--scale=')) {
      const value = arg === '--scale' ? argv[++i] : arg.slice('--scale='.length);
      if (value !== 'small' && value !== 'district') usageError(`unknown scale: ${value ?? '(missing)'}`);
      scale = value;
    } else usageError(`unknown argument: ${arg}`);
  }
  return { scale, reset };
}

/** Refuses to pull the database out from under a running server (boot.ts writes this pid file). */
function assertNoServer(dataDir: string): void {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(path.join(dataDir, 'linli.pid'), 'utf8'), 10);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (!pid || pid === process.pid) return;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return; // a stale file from a process that is gone
    throw e;
  }
  console.error(`A Linli process (pid ${pid}) is using ${dataDir}. Stop it before --reset.`);
  process.exit(1);
}

async function resetPostgres(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Every table of the current schema (the app's, and Kysely's migration bookkeeping), then the
    // trigger function the audit table's append-only guard uses. Grants on the schema are kept.
    const { rows } = await client.query<{ name: string }>(
      `select quote_ident(schemaname) || '.' || quote_ident(tablename) as name from pg_tables where schemaname = current_schema()`,
    );
    await client.query('begin');
    if (rows.length > 0) await client.query(`drop table ${rows.map((r) => r.name).join(', ')} cascade`);
    await client.query('drop function if exists audit_log_append_only() cascade');
    await client.query('commit');
    return rows.length;
  } finally {
    await client.end();
  }
}

function resetSqlite(dataDir: string): string[] {
  assertNoServer(dataDir);
  const removed: string[] = [];
  for (const f of ['linli.sqlite', 'linli.sqlite-wal', 'linli.sqlite-shm', demoLoginsFileName(undefined)]) {
    const file = path.join(dataDir, f);
    if (fs.existsSync(file)) {
      fs.rmSync(file);
      removed.push(f);
    }
  }
  return removed;
}

/** Terminal columns of a string: CJK characters take two. */
const widthOf = (s: string) =>
  [...s].reduce(
    (w, ch) =>
      w +
      (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1),
    0,
  );
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - widthOf(s)));

function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(widthOf(h), ...rows.map((r) => widthOf(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function where(config: AppConfig): string {
  if (!config.databaseUrl) return `SQLite in ${config.dataDir}`;
  const u = new URL(config.databaseUrl);
  return `PostgreSQL at ${u.host}${u.pathname}`; // no password in the output
}

async function main(): Promise<void> {
  const { scale, reset } = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  console.log(`Demo district (${scale}) → ${where(config)}`);

  if (reset) {
    if (config.databaseUrl)
      console.log(
        `--reset: dropped ${await resetPostgres(config.databaseUrl)} table(s) of the current schema`,
      );
    else
      console.log(
        `--reset: removed ${resetSqlite(config.dataDir).join(', ') || 'nothing (no database yet)'}`,
      ); // The anchor log names rows of the chain just dropped: kept aside as its record, not checked against the new one.
    const anchors = path.join(config.auditAnchorDir, 'anchors.jsonl');
    if (fs.existsSync(anchors)) {
      const aside = path.join(
        config.auditAnchorDir,
        `anchors-before-reset-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`,
      );
      fs.renameSync(anchors, aside);
      console.log(`--reset: the old chain's anchor log moved to ${aside}`);
    }
  }

  const t0 = performance.now();
  const boot = await bootDatabase(config, { seedDemoWhenEmpty: false });
  let logins: DemoLogin[];
  let seedMs: number;
  const counts = new Map<string, number>();
  try {
    const { db } = boot.database;
    const has = await db
      .selectFrom('nodes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(has.n) > 0) {
      console.error(
        `The database already has ${has.n} node(s); the demo district is only built into an empty database.\n` +
          'Run again with --reset to DELETE everything in it and start over.',
      );
      process.exitCode = 1;
      return;
    }
    if (scale === 'district') console.log('Seeding 700,000 residents: this takes about half a minute…');
    const t1 = performance.now();
    logins = await seedDemo(db, {
      scale,
      password: config.demoPassword,
      pii: boot.pii,
      open311Key: config.demoOpen311Key,
    });
    seedMs = performance.now() - t1;
    const rows = await db
      .selectFrom('nodes')
      .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('level')
      .execute();
    for (const r of rows) counts.set(r.level, Number(r.n));
    const people = await db
      .selectFrom('persons')
      .select(['residence_type', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('residence_type')
      .execute();
    for (const r of people) counts.set(r.residence_type, Number(r.n));
    const households = await db
      .selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts.set('households', Number(households.n));
  } finally {
    await boot.close();
  }

  // Exactly as boot.ts writes it, so `npm start` shows the same logins.
  const loginsFile = path.join(config.dataDir, demoLoginsFileName(config.databaseUrl));
  writeDemoLogins(loginsFile, logins);

  console.log('\nDemo logins 演示账号:');
  printTable(
    ['username', 'password', 'role', 'node'],
    logins.map((l) => [l.username, l.password, l.role, l.node]),
  );
  const n = (level: string) => counts.get(level) ?? 0;
  console.log(
    `\n${n('district')} district, ${n('town')} towns/streets, ${n('village')} villages/communities, ${n('grid')} grids, ${logins.length} accounts`,
  );
  const people = n('registered') + n('floating') + n('returnee');
  console.log(
    `${people.toLocaleString('en')} residents in ${n('households').toLocaleString('en')} households: ` +
      `${n('registered').toLocaleString('en')} registered, ${n('floating').toLocaleString('en')} floating, ${n('returnee').toLocaleString('en')} returnees`,
  );
  console.log(
    `Seeded in ${(seedMs / 1000).toFixed(2)} s (${((performance.now() - t0) / 1000).toFixed(2)} s with opening and migrating).`,
  );
  console.log(`Logins written to ${loginsFile} (mode 0600).`);
}

try {
  await main();
} catch (e) {
  // A running server holding the data directory, an unreachable database, a failed migration: say it plainly.
  console.error(`npm run demo failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
