// Group commit: writes that arrive while a transaction is running wait and then share the next one,
// so that a burst of N reports costs one flush to disk instead of N (SQLite with synchronous=FULL and
// PostgreSQL both flush on every commit). A write is answered only after the commit that holds it,
// so nothing answered is ever lost. One write alone runs at once, as before.
//
// A batch is written one of two ways. With `writeMany`, the whole batch goes at once (one multi-row
// statement a table instead of one statement a write: ADR 0005); if that fails anywhere, it is undone
// and the batch is written again the second way. The second way runs each write in its own savepoint:
// one that fails is undone and answered with its error, and the others still commit.
//
// Under load a write waits one turn of the event loop for others: on SQLite the writers' own reads
// (the session, the place) queue behind the running transaction on the one connection, so without
// the wait they would reach the queue one at a time and never share a commit. (A 2 ms timer instead
// gathered no more and left the core idle: 240 against 272 reports/s in the same bench.)
import type { ControlledTransaction } from 'kysely';
import type { Database } from './schema.js';
import type { DB, Executor } from './index.js';

interface Job<P> {
  plan: P;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface BatchWriterStats {
  transactions: number;
  writes: number;
  /** Batches of more than one write that went in one piece, and those written again one by one. */
  wholeBatches: number;
  splitBatches: number;
}

export interface BatchWriter<P, R> {
  write(plan: P): Promise<R>;
  /** Transactions and writes so far: writes ÷ transactions is the batching achieved. */
  stats(): BatchWriterStats;
}

export interface BatchWriterOptions<P, R> {
  /** Writes one plan; runs in its own savepoint when it shares the transaction. */
  writeOne: (trx: Executor, plan: P) => Promise<R>;
  /** Writes every plan of a batch at once and answers in the same order; any error undoes it all. */
  writeMany?: (trx: Executor, plans: readonly P[]) => Promise<R[]>;
  maxBatch?: number;
  /** A write within this long of the last commit means a burst: worth waiting for company. */
  busyWindowMs?: number;
}

export function createBatchWriter<P, R>(db: DB, opts: BatchWriterOptions<P, R>): BatchWriter<P, R> {
  const maxBatch = opts.maxBatch ?? 64;
  const busyWindowMs = opts.busyWindowMs ?? 25;
  let lastCommitAt = 0;
  const queue: Job<P>[] = [];
  let running = false;
  const stats: BatchWriterStats = { transactions: 0, writes: 0, wholeBatches: 0, splitBatches: 0 };

  /** The whole batch in one piece, or null when it failed and was undone. */
  async function tryWhole(trx: ControlledTransaction<Database>, batch: Job<P>[]): Promise<R[] | null> {
    if (!opts.writeMany || batch.length < 2) return null;
    const sp = await trx.savepoint('batch').execute();
    try {
      const values = await opts.writeMany(
        sp,
        batch.map((j) => j.plan),
      );
      await sp.releaseSavepoint('batch').execute();
      return values;
    } catch {
      // Some write in it is refused (a photo token, a clash): each is tried alone below and answered.
      await sp.rollbackToSavepoint('batch').execute();
      return null;
    }
  }

  async function runBatch(batch: Job<P>[]) {
    let trx: ControlledTransaction<Database>;
    try {
      trx = await db.startTransaction().execute();
    } catch (e) {
      for (const j of batch) j.reject(e);
      return;
    }
    const done: { job: Job<P>; value: unknown }[] = [];
    let next = 0;
    try {
      const whole = await tryWhole(trx, batch);
      if (whole) {
        batch.forEach((job, i) => done.push({ job, value: whole[i] }));
        next = batch.length;
        stats.wholeBatches++;
      } else if (opts.writeMany && batch.length > 1) stats.splitBatches++;
      for (; next < batch.length; next++) {
        const job = batch[next]!;
        if (batch.length === 1) {
          done.push({ job, value: await opts.writeOne(trx, job.plan) });
          continue;
        }
        const sp = await trx.savepoint('write').execute();
        try {
          const value = await opts.writeOne(sp, job.plan);
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
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      for (const d of done) d.job.reject(e);
      for (const job of batch.slice(next)) job.reject(e);
      return;
    }
    stats.transactions++;
    stats.writes += done.length;
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
    write(plan: P) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ plan, resolve: resolve as (v: unknown) => void, reject });
        if (running) return;
        running = true;
        if (performance.now() - lastCommitAt < busyWindowMs) setImmediate(() => void drain());
        else void drain();
      });
    },
    stats: () => ({ ...stats }),
  };
}

export interface GroupCommit {
  run<T>(write: (trx: Executor) => Promise<T>): Promise<T>;
  stats(): BatchWriterStats;
}

/** Group commit of arbitrary writes, each in its own savepoint. */
export function createGroupCommit(
  db: DB,
  opts: { maxBatch?: number; busyWindowMs?: number } = {},
): GroupCommit {
  const writer = createBatchWriter<(trx: Executor) => Promise<unknown>, unknown>(db, {
    ...opts,
    writeOne: (trx, write) => write(trx),
  });
  return {
    run: <T>(write: (trx: Executor) => Promise<T>) => writer.write(write) as Promise<T>,
    stats: () => writer.stats(),
  };
}
