// Live updates, the writing side: a change appends to the `live_events` outbox inside its own
// transaction, so an update exists exactly when the change committed. The bus (live-bus.ts) reads
// the outbox after commit and pushes to SSE clients whose jurisdiction holds one of the paths.
import { sql } from 'kysely';
import { ancestorPaths } from '../../common/tree.js';
import { dialectOf, lockAuditChain } from '../db/dialect.js';
import type { Executor } from '../db/index.js';
import { insertRows } from '../db/insert-rows.js';
import { nowIso } from '../db/index.js';

/** The PostgreSQL channel every app process listens on. */
export const LIVE_CHANNEL = 'linli_live';

export interface LiveUpdate {
  /** What happened, e.g. `directive.signed`; clients decide what to refresh by it. */
  kind: string;
  /** The node paths the change concerns: a client receives it when one lies in its jurisdiction. */
  paths: readonly string[];
  commandId?: number | null;
  /** Ids and states only: a client reads the details through the API, which checks access. */
  payload: Record<string, unknown>;
}

export function recordLive(trx: Executor, u: LiveUpdate): Promise<void> {
  return recordLiveMany(trx, [u]);
}

const insertLiveRows = insertRows('live_events');
/** Several live updates in one insert (a batch of reports sharing a commit), and one wake-up. */
export async function recordLiveMany(trx: Executor, updates: readonly LiveUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await lockAuditChain(trx);
  const rows = updates.map((u) => ({
    at: nowIso(),
    kind: u.kind,
    command_id: u.commandId ?? null,
    paths: JSON.stringify([...new Set(u.paths)]),
    payload: JSON.stringify(u.payload),
  }));
  await insertLiveRows(trx, rows);
  if (dialectOf(trx) === 'postgres') await sql`select pg_notify(${LIVE_CHANNEL}, '')`.execute(trx);
}

/**
 * Adds to the cockpit's counters of a node and every ancestor, for all commands (0) and, when
 * given, for one command. Runs in the transaction of the change it counts.
 */
export async function bumpCounters(
  trx: Executor,
  nodePath: string,
  deltas: Record<string, number>,
  commandId?: number | null,
): Promise<void> {
  await bumpCountersMany(trx, [{ nodePath, deltas }], commandId);
}

/** bumpCounters for many places at once (a directive to a thousand grids): summed first, then written in batches. */
export async function bumpCountersMany(
  trx: Executor,
  changes: readonly { nodePath: string; deltas: Record<string, number> }[],
  commandId?: number | null,
): Promise<void> {
  const sums = new Map<string, { command_id: number; node_path: string; metric: string; value: number }>();
  const commands = commandId ? [0, commandId] : [0];
  for (const { nodePath, deltas } of changes)
    for (const [metric, value] of Object.entries(deltas)) {
      if (value === 0) continue;
      for (const p of ancestorPaths(nodePath))
        for (const c of commands) {
          const k = `${c} ${metric} ${p}`;
          const row = sums.get(k);
          if (row) row.value += value;
          else sums.set(k, { command_id: c, node_path: p, metric, value });
        }
    }
  const rows = [...sums.values()].filter((r) => r.value !== 0);
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto('live_counters')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['command_id', 'metric', 'node_path']).doUpdateSet((eb) => ({
          value: sql<number>`${eb.ref('live_counters.value')} + ${eb.ref('excluded.value')}`,
        })),
      )
      .execute();
}

/** What a service calls after its transaction committed, so this process's bus reads the outbox now. */
export interface LivePoke {
  poke(): void;
}
