// In-process background work: each task runs every interval, never twice at once, and on
// PostgreSQL on one app node at a time (an advisory-lock lease). Failures are logged, not fatal.
import type { FastifyBaseLogger } from 'fastify';
import { withLease } from '../db/dialect.js';
import type { DB } from '../db/index.js';

export interface ScheduledTask {
  name: string;
  /** A stable number: the lease key on PostgreSQL. */
  leaseKey: number;
  everyMs: number;
  run: () => Promise<unknown>;
}

export function startScheduler(db: DB, log: FastifyBaseLogger, tasks: readonly ScheduledTask[]) {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<string>();
  for (const task of tasks) {
    const tick = async () => {
      if (running.has(task.name)) return;
      running.add(task.name);
      try {
        await withLease(db, task.leaseKey, async () => {
          const result = await task.run();
          log.debug({ task: task.name, result }, 'scheduled task ran');
        });
      } catch (err) {
        log.error({ err, task: task.name }, 'scheduled task failed');
      } finally {
        running.delete(task.name);
      }
    };
    const t = setInterval(() => void tick(), task.everyMs);
    t.unref();
    timers.push(t);
  }
  return { stop: () => timers.forEach((t) => clearInterval(t)) };
}
