// Group commit: writes that arrive while a transaction is running wait and then share the next one,
// so that a burst of N reports costs one flush to disk instead of N (SQLite with synchronous=FULL and
// PostgreSQL both flush on every commit). Each write runs in its own savepoint: one that fails is
// undone and answered with its error, and the others still commit. A write is answered only after
// the commit that holds it, so nothing answered is ever lost. One write alone runs at once, as before.
// Under load a write waits one turn of the event loop for others: on SQLite the writers' own reads
// (the session, the place) queue behind the running transaction on the one connection, so without
// the wait they would reach the queue one at a time and never share a commit. (A 2 ms timer instead
// gathered no more and left the core idle: 240 against 272 reports/s in the same bench.)
import type { ControlledTransaction } from 'kysely';
import type { Database } from './schema.js';
import type { DB, Executor } from './index.js';

interface Job {
  run: (trx: Executor) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface GroupCommit {
  run<T>(write: (trx: Executor) => Promise<T>): Promise<T>;
  /** Transactions and writes so far: writes ÷ transactions is the batching achieved. */
  stats(): { transactions: number; writes: number };
}

export function createGroupCommit(db: DB, opts: { maxBatch?: number; busyWindowMs?: number } = {}): GroupCommit {
  const maxBatch = opts.maxBatch ?? 64;
  // A write within this long of the last commit means a burst: worth waiting for company.
  const busyWindowMs = opts.busyWindowMs ?? 25;
  let lastCommitAt = 0;
  const queue: Job[] = [];
  let running = false;
  let transactions = 0;
  let writes = 0;

  async function runBatch(batch: Job[]) {
    let trx: ControlledTransaction<Database>;
    try {
      trx = await db.startTransaction().execute();
    } catch (e) {
      for (const j of batch) j.reject(e);
      return;
    }
    const done: { job: Job; value: unknown }[] = [];
    let next = 0;
    try {
      for (; next < batch.length; next++) {
        const job = batch[next]!;
        if (batch.length === 1) {
          done.push({ job, value: await job.run(trx) });
          continue;
        }
        const sp = await trx.savepoint('write').execute();
        try {
          const value = await job.run(sp);
          await sp.releaseSavepoint('write').execute();
          done.push({ job, value });
        } catch (e) {
          await sp.rollbackToSavepoint('write').execute();
          job.reject(e);
        }
      }
      await trx.commit().execute();
    } catch (e) {
      // The transaction is lost: every write in it, done or not yet run, is answered with the error.
      await trx.rollback().execute().catch(() => undefined);
      for (const d of done) d.job.reject(e);
      for (const job of batch.slice(next)) job.reject(e);
      return;
    }
    transactions++;
    writes += done.length;
    for (const d of done) d.job.resolve(d.value);
  }

  async function drain() {
    try {
      while (queue.length > 0) await runBatch(queue.splice(0, maxBatch));
    } finally {
      running = false;
      lastCommitAt = performance.now();
    }
  }

  return {
    run<T>(write: (trx: Executor) => Promise<T>) {
      return new Promise<T>((resolve, reject) => {
        queue.push({ run: write, resolve: resolve as (v: unknown) => void, reject });
        if (running) return;
        running = true;
        if (performance.now() - lastCommitAt < busyWindowMs) setImmediate(() => void drain());
        else void drain();
      });
    },
    stats: () => ({ transactions, writes }),
  };
}
