// Live updates, the reading side: the bus reads the `live_events` outbox after commit and fans each
// row out to the SSE subscribers whose jurisdiction holds one of its paths. On SQLite the writers are
// in this process and poke the bus after commit; on PostgreSQL the bus also LISTENs on LIVE_CHANNEL,
// so a change committed by any app process on the database reaches this process's clients.
import pg from 'pg';
import { LIVE_RESET } from '../../common/contracts/live.js';
import { ancestorPaths } from '../../common/tree.js';
import type { DatabaseHandle, DB } from '../db/index.js';
import { LIVE_CHANNEL, type LivePoke } from './live.js';

/** One update as a subscriber receives it. */
export interface LiveMessage {
  id: number;
  kind: string;
  commandId: number | null;
  payload: unknown;
  at: string;
}

export type LiveSend = (u: LiveMessage) => void;

export interface LiveBus extends LivePoke {
  /**
   * Sends every later update whose paths lie in one of the scopes. With a lastEventId, first replays
   * what came after it (or a `reset` when some of that was pruned or never existed), then goes live:
   * no gap, no duplicate. Returns the unsubscribe function.
   */
  subscribe(scopes: readonly string[], lastEventId: number | null, send: LiveSend): () => void;
  /** The last outbox id this bus has fanned out. */
  lastId(): number;
  /** Resolves once the bus knows where the outbox stands (and, on PostgreSQL, listens). */
  ready(): Promise<void>;
  /** How many subscribers are attached (for tests and the bench). */
  size(): number;
  /** PostgreSQL: the backend pid of the LISTEN connection, null while reconnecting (for tests). */
  listenerPid(): number | null;
  close(): Promise<void>;
}

export interface LiveBusOptions {
  /** Rows read per query. */
  batchRows?: number;
  /** PostgreSQL: the first and the longest wait before reconnecting a lost LISTEN connection. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  onError?: (err: unknown, where: string) => void;
}

interface OutboxRow {
  id: number;
  at: string;
  kind: string;
  command_id: number | null;
  paths: string;
  payload: string;
}

interface Subscriber {
  scopes: readonly string[];
  send: LiveSend;
  /** Rows with ids up to here were sent (or are not owed): live rows at or below are skipped. */
  after: number;
  /** While the replay is read, live updates wait here, in order. */
  pending: LiveMessage[] | null;
  closed: boolean;
}

export function createLiveBus(handle: DatabaseHandle, opts: LiveBusOptions = {}): LiveBus {
  const { db } = handle;
  const batchRows = opts.batchRows ?? 500;
  const onError = opts.onError ?? (() => {});
  // Subscribers by scope path: a row finds its subscribers by its paths' ancestors, never by scanning all.
  const byScope = new Map<string, Set<Subscriber>>();
  let count = 0;
  let lastSeen = 0;
  let reading: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let listener: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectDelay = opts.reconnectMinMs ?? 250;
  const reconnectMax = opts.reconnectMaxMs ?? 10_000;

  const started = (async () => {
    lastSeen = await maxId(db);
    if (handle.dialect === 'postgres') await listen();
  })();

  function deliver(sub: Subscriber, message: LiveMessage) {
    if (sub.closed || message.id <= sub.after) return;
    sub.after = message.id;
    try {
      sub.send(message);
    } catch (err) {
      onError(err, 'send');
    }
  }

  /**
   * Sends one row to every subscriber whose scope holds one of its paths; synchronous, in id order.
   * Every subscriber gets the same message object (parsed once, never to be changed), so the stream
   * can encode it once for all of them.
   */
  function fanOut(row: OutboxRow) {
    const held = new Set<string>();
    for (const p of parsePaths(row.paths)) for (const a of ancestorPaths(p)) held.add(a);
    // A subscriber with nested or several scopes could match twice: send once.
    const sent = new Set<Subscriber>();
    let message: LiveMessage | null = null;
    for (const a of held) {
      const subs = byScope.get(a);
      if (!subs) continue;
      for (const sub of subs) {
        if (sent.has(sub)) continue;
        sent.add(sub);
        message ??= toMessage(row);
        if (sub.pending) sub.pending.push(message);
        else deliver(sub, message);
      }
    }
    lastSeen = row.id;
  }

  async function readAll() {
    do {
      again = false;
      for (;;) {
        const rows = await readAfter(db, lastSeen, batchRows);
        if (closed) return;
        for (const row of rows) fanOut(row);
        if (rows.length < batchRows) break;
      }
    } while (again && !closed);
  }

  function poke() {
    if (closed) return;
    if (reading) {
      // One read at a time: a poke during a read means read once more after it.
      again = true;
      return;
    }
    reading = (async () => {
      try {
        await started;
        await readAll();
      } catch (err) {
        onError(err, 'read');
        // What could not be read now is still in the outbox: try again shortly.
        setTimeout(poke, 1000).unref();
      } finally {
        reading = null;
        // A poke between the last read and here found `reading` still set: honour it.
        if (again) {
          again = false;
          poke();
        }
      }
    })();
  }

  async function listen() {
    const conn = handle.connection;
    if (!conn)
      throw new Error('the PostgreSQL handle does not say where it connects: the live bus cannot LISTEN');
    const client = new pg.Client({
      connectionString: conn.url,
      application_name: 'linli-live',
      ...(conn.schema ? { options: `-c search_path=${conn.schema}` } : {}),
    });
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      if (err) onError(err, 'listen');
      if (listener === client) listener = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => {});
      scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (msg) => {
      if (msg.channel === LIVE_CHANNEL) poke();
    });
    try {
      await client.connect();
      await client.query(`listen ${LIVE_CHANNEL}`);
    } catch (err) {
      onLost(err);
      return;
    }
    if (closed) {
      lost = true;
      await client.end().catch(() => {});
      return;
    }
    listener = client;
    reconnectDelay = opts.reconnectMinMs ?? 250;
  }

  function scheduleReconnect() {
    if (closed || reconnectTimer) return;
    const wait = reconnectDelay;
    reconnectDelay = Math.min(reconnectDelay * 2, reconnectMax);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      // Whatever was committed while we were deaf is in the outbox: read it once listening again.
      void listen().then(() => poke());
    }, wait);
    reconnectTimer.unref();
  }

  function attach(sub: Subscriber) {
    for (const s of sub.scopes) {
      let set = byScope.get(s);
      if (!set) byScope.set(s, (set = new Set()));
      set.add(sub);
    }
    count++;
  }
  function detach(sub: Subscriber) {
    if (sub.closed) return;
    sub.closed = true;
    count--;
    for (const s of sub.scopes) {
      const set = byScope.get(s);
      set?.delete(sub);
      if (set && set.size === 0) byScope.delete(s);
    }
  }

  async function replay(sub: Subscriber, from: number, upTo: number) {
    try {
      await started;
      const { min, max } = await idRange(db);
      // Rows after `from` were pruned (or the id is from another database): the client starts afresh.
      const gone = min === null ? from < upTo : from < min - 1;
      if (gone || from > Math.max(max ?? 0, upTo)) {
        sub.send({ id: upTo, kind: LIVE_RESET, commandId: null, payload: {}, at: new Date().toISOString() });
        sub.after = upTo;
      } else {
        let cursor = from;
        while (cursor < upTo && !sub.closed) {
          const rows = await readAfter(db, cursor, batchRows, upTo);
          if (rows.length === 0) break;
          for (const row of rows) if (holds(sub.scopes, row)) deliver(sub, toMessage(row));
          cursor = rows[rows.length - 1]!.id;
        }
        // Rows in the range the scope does not hold are not owed either.
        sub.after = Math.max(sub.after, upTo);
      }
    } catch (err) {
      onError(err, 'replay');
      sub.after = Math.max(sub.after, upTo);
    }
    // Then what arrived during the replay, then live.
    const waiting = sub.pending ?? [];
    sub.pending = null;
    for (const message of waiting) deliver(sub, message);
  }

  return {
    poke,
    subscribe(scopes, lastEventId, send) {
      const sub: Subscriber = {
        scopes: [...new Set(scopes)],
        send,
        after: lastSeen,
        pending: null,
        closed: false,
      };
      attach(sub);
      if (lastEventId !== null && lastEventId !== lastSeen) {
        // Rows up to lastSeen were fanned out before this subscriber existed: read those from the
        // outbox; rows after it reach this subscriber live and wait in `pending` meanwhile.
        sub.pending = [];
        sub.after = lastEventId;
        void replay(sub, lastEventId, lastSeen);
      }
      return () => detach(sub);
    },
    lastId: () => lastSeen,
    ready: () => started,
    size: () => count,
    listenerPid: () => {
      // pg sets processID on connect; its typings leave it out.
      const pid: unknown = listener ? Reflect.get(listener, 'processID') : null;
      return typeof pid === 'number' ? pid : null;
    },
    async close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const l = listener;
      listener = null;
      await started.catch(() => {});
      if (l) {
        l.removeAllListeners();
        l.on('error', () => {});
        await l.end().catch(() => {});
      }
      await reading;
      for (const set of byScope.values()) for (const sub of set) sub.closed = true;
      byScope.clear();
      count = 0;
    },
  };
}

/** Deletes updates older than the retention; a client away longer gets a reset and refetches. */
export async function pruneLiveEvents(
  db: DB,
  opts: { now?: string; keepHours?: number } = {},
): Promise<{ deleted: number }> {
  const now = Date.parse(opts.now ?? new Date().toISOString());
  const cutoff = new Date(now - (opts.keepHours ?? 24) * 3_600_000).toISOString();
  const res = await db.deleteFrom('live_events').where('at', '<', cutoff).executeTakeFirst();
  return { deleted: Number(res.numDeletedRows) };
}

function holds(scopes: readonly string[], row: OutboxRow): boolean {
  return parsePaths(row.paths).some((p) => scopes.some((s) => p.startsWith(s)));
}

function parsePaths(text: string): string[] {
  const v: unknown = JSON.parse(text);
  return Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string') : [];
}

function toMessage(row: OutboxRow): LiveMessage {
  return Object.freeze({
    id: row.id,
    kind: row.kind,
    commandId: row.command_id,
    payload: JSON.parse(row.payload) as unknown,
    at: row.at,
  });
}

async function readAfter(db: DB, after: number, limit: number, upTo?: number): Promise<OutboxRow[]> {
  let q = db
    .selectFrom('live_events')
    .select(['id', 'at', 'kind', 'command_id', 'paths', 'payload'])
    .where('id', '>', after);
  if (upTo !== undefined) q = q.where('id', '<=', upTo);
  return q.orderBy('id').limit(limit).execute();
}

async function maxId(db: DB): Promise<number> {
  const r = await db
    .selectFrom('live_events')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  return Number(r?.m ?? 0);
}

async function idRange(db: DB): Promise<{ min: number | null; max: number | null }> {
  const r = await db
    .selectFrom('live_events')
    .select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max')])
    .executeTakeFirst();
  return { min: r?.min == null ? null : Number(r.min), max: r?.max == null ? null : Number(r.max) };
}
