// A bench's server in a process of its own, both ends: the bench starts it with `startBenchServer`
// and talks to it over an IPC channel; the server script boots the app with `serveBench` (as
// `npm start` runs it, under tsx), so the memory it reports is the server's alone and not what the
// bench's loader, its generated rows or its files left in the bench's own heap (ADR 0009, ADR 0011).
//
// Protocol: the server sends { type: 'listening', base } once it serves; the bench sends a request
// { type, ... } and waits for the answer types it names, or { type: 'failed', error }; { type:
// 'close' } closes the app and exits; the bench going away (a crash, ^C) takes its server with it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDatabase, type DatabaseHandle } from '../server/db/index.js';
import { boundHeapGrowth } from '../server/platform/heap.js';
import type { PiiCipher } from '../server/platform/pii.js';
import { listenOnLoopback } from './targets.js';

/** Where the server's database is, as the bench opened it. */
export interface BenchTarget {
  dataDir: string;
  databaseUrl?: string;
  schema?: string;
}

type Message = { type?: string; error?: string } & Record<string, unknown>;

/** Starts `script` (a bench/*-server.ts) with the target and extra settings in BENCH_SERVER. */
export async function startBenchServer(script: string, settings: BenchTarget & Record<string, unknown>) {
  const child = spawn(
    process.execPath,
    [
      // BENCH_SERVER_FLAGS: extra flags for the server's node, e.g. --trace-gc to see its heap.
      ...(process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []),
      '--expose-gc',
      '--import',
      'tsx',
      path.resolve(script),
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_SERVER: JSON.stringify(settings) },
    },
  );
  /** The next message of one of `types`; a `failed` message or the server's exit rejects. */
  const reply = <T>(...types: string[]) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (msg: Message) => {
        if (!msg.type || (msg.type !== 'failed' && !types.includes(msg.type))) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (msg.type === 'failed') reject(new Error(`the bench server failed: ${msg.error}`));
        else resolve(msg as T);
      };
      const onExit = (code: number | null) => reject(new Error(`the bench server exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { base } = await reply<{ base: string }>('listening');
  return {
    base,
    /** Sends a request and waits for its answer (one of `answers`). */
    ask: <T>(request: Message, ...answers: string[]) => {
      const answer = reply<T>(...answers);
      child.send(request);
      return answer;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' });
      await exited;
    },
  };
}

/**
 * The server's end: boots the app on the target in BENCH_SERVER, answers `close`, hands every other
 * request to `handle` (its answer is sent back; a throw answers `failed`) and announces itself.
 */
export async function serveBench<S extends BenchTarget>(setup: {
  /** Extra environment for loadConfig (AUDIT_KEY…), from the settings. */
  env?: (settings: S) => Record<string, string>;
  pii: (settings: S) => PiiCipher;
  handle: (
    request: Message,
    ctx: { settings: S; database: DatabaseHandle; app: Awaited<ReturnType<typeof buildApp>> },
  ) => Promise<object> | object;
}) {
  // As server/main.ts does at start.
  boundHeapGrowth();
  const send = (msg: object) => process.send?.(msg);
  const settings = JSON.parse(process.env.BENCH_SERVER ?? '{}') as S;
  const database = openDatabase(
    settings.databaseUrl
      ? { databaseUrl: settings.databaseUrl, schema: settings.schema }
      : // BENCH_SQLITE_CHECKPOINTS=inline: SQLite's own checkpoints, to measure the worker's (ADR 0017) in pairs.
        {
          dataDir: settings.dataDir,
          backgroundCheckpoints: process.env.BENCH_SQLITE_CHECKPOINTS !== 'inline',
        },
  );
  const config = loadConfig(
    {
      LOG_LEVEL: 'silent',
      DATA_DIR: settings.dataDir,
      WEB_DIR: '/nonexistent',
      ...(setup.env?.(settings) ?? {}),
      ...(settings.databaseUrl ? { DATABASE_URL: settings.databaseUrl } : {}),
    },
    { host: '127.0.0.1', port: 0 },
  );
  const app = await buildApp(config, {
    database,
    pii: setup.pii(settings),
    loginRateLimit: 1_000_000,
    publicRateLimit: 1_000_000,
  });
  const base = await listenOnLoopback(app);
  process.on('message', (msg: Message) => {
    if (msg.type === 'close') {
      void app
        .close()
        .then(() => database.close())
        .finally(() => process.exit(0));
      return;
    }
    Promise.resolve()
      .then(() => setup.handle(msg, { settings, database, app }))
      .then(send, (e: unknown) =>
        send({ type: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'listening', base });
}

/** A full garbage collection (the servers run with --expose-gc). */
export function collectGarbage() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the bench server needs --expose-gc');
  gc();
}
