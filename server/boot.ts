// Opens the configured database, migrates it, makes sure the built-in roles exist, and seeds the
// demo district when the database is empty. Used by main.ts and the admin scripts.
import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from './config.js';
import { sha256 } from './platform/crypto.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './db/index.js';
import { ensureBuiltinRoles } from './modules/accounts/index.js';
import { ensureShippedScales } from './modules/care/index.js';
import { markInterruptedImports } from './modules/people/index.js';
import { loadPiiCipher, type PiiCipher } from './platform/pii.js';
import { loadAuditKeyring, type AuditKeyring } from './platform/audit-key.js';
import { openAnchorLog } from './platform/audit-anchors.js';
import { sealAuditChain, useAuditKeyring } from './platform/audit.js';
import { seedDemo, type DemoLogin, type DemoScale } from './demo/index.js';

export interface Booted {
  database: DatabaseHandle;
  pii: PiiCipher;
  /** The audit chain's key, loaded (and installed for recordAudit) before anything writes the chain. */
  auditKeyring: AuditKeyring;
  demoLogins: DemoLogin[] | null;
  demoNote: string | null;
  close(): Promise<void>;
}

/** One process per SQLite data directory: a second one would run the scheduled sweeps twice. */
function takeDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = path.join(dataDir, 'linli.pid');
  try {
    const pid = Number(fs.readFileSync(lock, 'utf8'));
    if (pid && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        throw new Error(
          `Another Linli process (pid ${pid}) is using ${dataDir}. Stop it first, or set DATA_DIR.`,
        );
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.writeFileSync(lock, String(process.pid));
  return () => fs.rmSync(lock, { force: true });
}

export function demoLoginsFileName(databaseUrl: string | undefined): string {
  return databaseUrl ? `demo-logins-pg-${sha256(databaseUrl).slice(0, 8)}.json` : 'demo-logins.json';
}

export function writeDemoLogins(file: string, logins: DemoLogin[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(logins, null, 1), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

export async function bootDatabase(
  config: AppConfig,
  opts: { seedDemoWhenEmpty: boolean; scale?: DemoScale },
): Promise<Booted> {
  const release = config.databaseUrl ? () => undefined : takeDataDirLock(config.dataDir);
  // The server's SQLite file is checkpointed on a thread of its own (ADR 0017).
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    backgroundCheckpoints: true,
  });
  await migrateToLatest(database.db);
  const auditKeyring = loadAuditKeyring({ auditKey: config.auditKey, dataDir: config.dataDir }, (m) =>
    console.log(m),
  );
  useAuditKeyring(auditKeyring);
  try {
    // Plain SHA-256 rows from before the key are verified and sealed before anything continues them.
    const seal = await sealAuditChain(database.db, openAnchorLog(config.auditAnchorDir));
    if (seal.state === 'sealed')
      console.log(
        `Audit chain: ${seal.legacyRows} rows from before the audit key verified and sealed at row ${seal.lastLegacyId}.`,
      );
  } catch (e) {
    await database.close();
    release();
    throw e;
  }
  await ensureBuiltinRoles(database.db);
  await ensureShippedScales(database.db);
  await markInterruptedImports(database.db);
  const pii = loadPiiCipher({ piiKey: config.piiKey, dataDir: config.dataDir }, (m) => console.log(m));
  // Logins are kept per database, so a PostgreSQL server never prints a SQLite demo's accounts.
  const loginsFile = path.join(config.dataDir, demoLoginsFileName(config.databaseUrl));
  let demoLogins: DemoLogin[] | null = null;
  let demoNote: string | null = null;
  const empty = !(await database.db.selectFrom('nodes').select('id').limit(1).executeTakeFirst());
  if (empty && opts.seedDemoWhenEmpty) {
    // The residents' ID numbers and phones are encrypted with this deployment's key, loaded above.
    demoLogins = await seedDemo(database.db, {
      scale: opts.scale ?? 'small',
      password: config.demoPassword,
      pii,
      open311Key: config.demoOpen311Key,
    });
    fs.mkdirSync(config.dataDir, { recursive: true });
    writeDemoLogins(loginsFile, demoLogins);
  } else if (fs.existsSync(loginsFile)) {
    demoLogins = JSON.parse(fs.readFileSync(loginsFile, 'utf8')) as DemoLogin[];
  } else if (empty) {
    demoNote = 'The database is empty and no demo was seeded: run `npm run demo` to build the demo district.';
  }
  return {
    database,
    pii,
    auditKeyring,
    demoLogins,
    demoNote,
    async close() {
      await database.close();
      release();
    },
  };
}
