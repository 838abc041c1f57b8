// The people bench's server, in a process of its own: the app as `npm start` runs it (tsx), on the
// database the bench has seeded, so that the memory it reports is the server's alone and not the
// bench's seeder, its generated residents or its CSV (ADR 0009). Started by bench/people.ts with an
// IPC channel and `--expose-gc`; the target comes in BENCH_SERVER as JSON
// { dataDir, databaseUrl?, schema?, piiKey, auditKey } (the keys the bench seeded with, base64).
//
// Messages: it sends { type: 'listening', base } once it serves; it answers { type: 'memory' } with
// { type: 'memory', rss, heapUsed } in MB; { type: 'import', file, userId, batchRows } runs the
// people importer on the CSV in `file` (read here, as an upload would be held) and answers
// { type: 'imported', ... } with its figures; { type: 'close' } closes the app and exits.
//
// The import goes through `createPeopleImporter(...).run()` rather than the upload route so that it
// can be timed phase by phase (the importer's `phases`) and its cipher calls counted; the importer
// is the route's own code on the app's own database handle.
import fs from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/index.js';
import { createPeopleImporter, type ImportPhases } from '../server/modules/people/index.js';
import { loadActor } from '../server/platform/auth.js';
import { boundHeapGrowth } from '../server/platform/heap.js';
import { createPiiCipher, type PiiCipher } from '../server/platform/pii.js';
import { listenOnLoopback } from './targets.js';

interface Target {
  dataDir: string;
  databaseUrl?: string;
  schema?: string;
  piiKey: string;
  auditKey: string;
}

/** What the server answers after an import. Times in ms, memory in MB. */
export interface ServerImport {
  type: 'imported';
  imported: number;
  errors: unknown[];
  ms: number;
  phases: ImportPhases;
  crypto: { encryptMs: number; encrypts: number; blindIndexMs: number; blindIndexes: number };
  gcMs: number;
  rss: { before: number; peak: number; after: number };
  heapUsedPeak: number;
}

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
// As server/main.ts does at start.
boundHeapGrowth();
const send = (msg: object) => process.send?.(msg);
const target = JSON.parse(process.env.BENCH_SERVER ?? '{}') as Target;
const database = openDatabase(
  target.databaseUrl
    ? { databaseUrl: target.databaseUrl, schema: target.schema }
    : { dataDir: target.dataDir },
);
const config = loadConfig(
  {
    LOG_LEVEL: 'silent',
    DATA_DIR: target.dataDir,
    WEB_DIR: '/nonexistent',
    AUDIT_KEY: target.auditKey,
    ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
  },
  { host: '127.0.0.1', port: 0 },
);
const pii = createPiiCipher(Buffer.from(target.piiKey, 'base64'));
const app = await buildApp(config, {
  database,
  pii,
  loginRateLimit: 1_000_000,
  publicRateLimit: 1_000_000,
});
const base = await listenOnLoopback(app);

/** The cipher with a stopwatch: how much of an import is encryption and blind indexing. */
function timedCipher(inner: PiiCipher) {
  const spent = { encryptMs: 0, encrypts: 0, blindIndexMs: 0, blindIndexes: 0 };
  const cipher: PiiCipher = {
    encrypt(plain) {
      const t = performance.now();
      const out = inner.encrypt(plain);
      spent.encryptMs += performance.now() - t;
      spent.encrypts++;
      return out;
    },
    decrypt: (stored) => inner.decrypt(stored),
    blindIndex(kind, normalized) {
      const t = performance.now();
      const out = inner.blindIndex(kind, normalized);
      spent.blindIndexMs += performance.now() - t;
      spent.blindIndexes++;
      return out;
    },
  };
  return { cipher, spent };
}

async function runImport(file: string, userId: number, batchRows: number): Promise<ServerImport> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the bench server needs --expose-gc');
  gc();
  const rssBefore = mb(process.memoryUsage.rss());
  // The upload as the route would hold it: the whole file in one Buffer.
  const data = fs.readFileSync(file);
  const phases: ImportPhases = {};
  const { cipher, spent } = timedCipher(pii);
  const importer = createPeopleImporter({ db: database.db, pii: cipher, batchRows, phases });
  const ctx = { actor: await loadActor(database.db, userId, 'session'), requestId: 'bench-people-import' };
  let gcMs = 0;
  const gcWatch = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  gcWatch.observe({ entryTypes: ['gc'] });
  let peak = mb(process.memoryUsage.rss());
  let heapUsedPeak = 0;
  const sampleMemory = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, mb(m.rss));
    heapUsedPeak = Math.max(heapUsedPeak, mb(m.heapUsed));
  };
  // Every 100 ms; the importer yields to the event loop between batches, so the timer runs.
  const watch = setInterval(sampleMemory, 100);
  const t0 = performance.now();
  try {
    const report = await importer.run(ctx, { filename: 'bench.csv', data }, 'all-or-nothing', null);
    const ms = performance.now() - t0;
    sampleMemory();
    return {
      type: 'imported',
      imported: report.imported,
      errors: report.errors.slice(0, 3),
      ms,
      phases,
      crypto: spent,
      gcMs,
      rss: { before: rssBefore, peak, after: mb(process.memoryUsage.rss()) },
      heapUsedPeak,
    };
  } finally {
    clearInterval(watch);
    gcWatch.disconnect();
  }
}

process.on('message', (msg: { type?: string; file?: string; userId?: number; batchRows?: number }) => {
  if (msg.type === 'memory') {
    const m = process.memoryUsage();
    send({ type: 'memory', rss: mb(m.rss), heapUsed: mb(m.heapUsed) });
  } else if (msg.type === 'import') {
    runImport(msg.file!, msg.userId!, msg.batchRows!).then(send, (e: unknown) =>
      send({ type: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    );
  } else if (msg.type === 'close') {
    void app
      .close()
      .then(() => database.close())
      .finally(() => process.exit(0));
  }
});
// The bench going away (a crash, ^C) takes its server with it.
process.on('disconnect', () => process.exit(0));
send({ type: 'listening', base });
