// The people bench's server, in a process of its own (bench/child-server.ts): the app on the
// database the bench has seeded, so that the memory it reports is the server's alone and not the
// bench's seeder, its generated residents or its CSV (ADR 0009). Its settings add { piiKey, auditKey }
// (the keys the bench seeded with, base64).
//
// It answers { type: 'memory' } with { type: 'memory', rss, heapUsed } in MB; { type: 'import',
// file, userId, batchRows } runs the people importer on the CSV in `file` (read here, as an upload
// would be held) and answers { type: 'imported', ... } with its figures.
//
// The import goes through `createPeopleImporter(...).run()` rather than the upload route so that it
// can be timed phase by phase (the importer's `phases`) and its cipher calls counted; the importer
// is the route's own code on the app's own database handle.
import fs from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import type { DB } from '../server/db/index.js';
import { createPeopleImporter, type ImportPhases } from '../server/modules/people/index.js';
import { loadActor } from '../server/platform/auth.js';
import { createPiiCipher, type PiiCipher } from '../server/platform/pii.js';
import { collectGarbage, serveBench, type BenchTarget } from './child-server.js';

interface Settings extends BenchTarget {
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

async function runImport(
  db: DB,
  pii: PiiCipher,
  file: string,
  userId: number,
  batchRows: number,
): Promise<ServerImport> {
  collectGarbage();
  const rssBefore = mb(process.memoryUsage.rss());
  // The upload as the route would hold it: the whole file in one Buffer.
  const data = fs.readFileSync(file);
  const phases: ImportPhases = {};
  const { cipher, spent } = timedCipher(pii);
  const importer = createPeopleImporter({ db, pii: cipher, batchRows, phases });
  const ctx = { actor: await loadActor(db, userId, 'session'), requestId: 'bench-people-import' };
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

let pii: PiiCipher | undefined;
await serveBench<Settings>({
  env: (s) => ({ AUDIT_KEY: s.auditKey }),
  pii: (s) => (pii = createPiiCipher(Buffer.from(s.piiKey, 'base64'))),
  handle(msg, { database }) {
    if (msg.type === 'memory') {
      const m = process.memoryUsage();
      return { type: 'memory', rss: mb(m.rss), heapUsed: mb(m.heapUsed) };
    }
    if (msg.type === 'import')
      return runImport(database.db, pii!, msg.file as string, msg.userId as number, msg.batchRows as number);
    throw new Error(`unknown request ${msg.type}`);
  },
});
