// SQLite's checkpoints on a thread of their own (ADR 0017). In WAL mode a commit appends the pages it
// changed to the log; a checkpoint copies them back into the database file and syncs it. Left to
// SQLite, the commit that takes the log past `wal_autocheckpoint` pages runs the checkpoint itself,
// on the one thread that answers every request, and on a large registry each commit's pages are
// scattered over the random-keyed indexes, so that copy is a good part of every write. Here a worker
// thread, with a connection of its own, runs a PASSIVE checkpoint whenever the log has grown: it
// takes no lock a writer or reader waits for, and the copying and syncing happen on the other core.
// The writer keeps a high `wal_autocheckpoint` as a backstop, should the worker fall behind or stop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface Checkpointer {
  /** Checkpoints run so far that copied something and the frames they copied; the log's length and
   * how much of it was copied at the last look (for tests and benches). */
  stats(): Promise<CheckpointStats>;
  stop(): Promise<void>;
}

export interface CheckpointStats {
  runs: number;
  frames: number;
  log: number;
  checkpointed: number;
  /** The last error the worker met, if any (the writer's backstop checkpoints meanwhile). */
  failure: string | null;
}

export interface CheckpointerOptions {
  /** How often the worker checkpoints, ms: longer copies a page written by several commits once. */
  everyMs?: number;
}

// Plain JavaScript run as the worker's script, so that it needs no TypeScript loader in any runner.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = FULL');
// The worker never writes; its own automatic checkpoints would only repeat this loop's.
db.pragma('wal_autocheckpoint = 0');
let runs = 0, frames = 0, last = { log: 0, checkpointed: 0 }, timer = null, stopped = false;
const tick = () => {
  if (stopped) return;
  try {
    // PASSIVE copies what no reader still needs and waits for nobody; the rest goes on a later tick.
    // It answers the log's length and how much of it is copied, counted from the log's start.
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    const since = r.log < last.log ? 0 : last.checkpointed; // the writer restarted the log
    if (r.checkpointed > since) { runs++; frames += r.checkpointed - since; }
    last = r;
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String((e && e.message) || e) });
  }
  timer = setTimeout(tick, workerData.everyMs);
};
parentPort.on('message', (m) => {
  if (m === 'stats') parentPort.postMessage({ type: 'stats', runs, frames, log: last.log, checkpointed: last.checkpointed });
  else if (m === 'stop') {
    stopped = true;
    if (timer) clearTimeout(timer);
    db.close();
    parentPort.postMessage({ type: 'stopped' });
  }
});
timer = setTimeout(tick, workerData.everyMs);
`;

export function startCheckpointer(file: string, opts: CheckpointerOptions = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  let stopping: Promise<void> | undefined;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, everyMs: opts.everyMs ?? 250 },
  });
  // The process may end without stopping it (a test's early exit); the database is left consistent.
  worker.unref();
  // A worker that fails (the file cannot be opened, a checkpoint throws) is noted, never thrown at
  // the server: the writer's backstop checkpoints in its place.
  let failure: string | null = null;
  let exited = false;
  worker.on('error', (e) => (failure = e instanceof Error ? e.message : String(e)));
  worker.on('exit', () => (exited = true));
  worker.on('message', (m: { type: string; message?: string }) => {
    if (m.type === 'error') failure = m.message ?? 'unknown error';
  });
  const gone = () => new Error(`the checkpoint worker has stopped${failure ? `: ${failure}` : ''}`);
  const ask = <T>(msg: string, type: string) =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(gone());
      const onExit = () => {
        worker.off('message', onMessage);
        reject(gone());
      };
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return;
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        resolve(m as T);
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.postMessage(msg);
    });
  return {
    async stats() {
      const { runs, frames, log, checkpointed } = await ask<CheckpointStats>('stats', 'stats');
      return { runs, frames, log, checkpointed, failure };
    },
    stop() {
      stopping ??= (async () => {
        // Closed by its own hand when it can, so its connection ends cleanly; a dead worker is just let go.
        await ask('stop', 'stopped').catch(() => undefined);
        await worker.terminate();
      })();
      return stopping;
    },
  };
}
