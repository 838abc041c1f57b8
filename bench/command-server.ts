// The command bench's server, in a process of its own: the app as `npm start` runs it (tsx), on the
// database the bench has loaded, so the memory it reports is the server's alone and not what the
// bench's bulk loader left in its own heap, allocator and SQLite page cache. Started by
// bench/command.ts with an IPC channel and `--expose-gc`; the target comes in BENCH_SERVER as JSON
// { dataDir, databaseUrl?, schema? }.
//
// Messages: it sends { type: 'listening', base } once it serves; it answers { type: 'memory' } with
// { type: 'memory', raw, live, streams }: `raw` is process.memoryUsage() as it stands (what the
// operating system sees), `live` the same right after a full garbage collection (what is still
// referenced), `streams` the live bus's subscribers; { type: 'close' } closes the app and exits.
import crypto from 'node:crypto';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/index.js';
import { boundHeapGrowth } from '../server/platform/heap.js';
import { createPiiCipher } from '../server/platform/pii.js';
import { listenOnLoopback } from './targets.js';

interface Target {
  dataDir: string;
  databaseUrl?: string;
  schema?: string;
}

export interface ServerMemory {
  raw: NodeJS.MemoryUsage;
  live: NodeJS.MemoryUsage;
  streams: number;
}

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
    ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
  },
  { host: '127.0.0.1', port: 0 },
);
const app = await buildApp(config, {
  database,
  pii: createPiiCipher(crypto.randomBytes(32)),
  loginRateLimit: 1_000_000,
  publicRateLimit: 1_000_000,
});
const base = await listenOnLoopback(app);

process.on('message', (msg: { type?: string }) => {
  if (msg.type === 'memory') {
    const raw = process.memoryUsage();
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('the bench server needs --expose-gc');
    gc();
    send({ type: 'memory', raw, live: process.memoryUsage(), streams: app.linliLive.size() });
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
