// The registration page's outbox: entries that could not be sent yet, kept on the phone (localStorage,
// so they survive a reload or a flat battery's restart) and sent in order when the connection returns.
//
// Each entry is made once, with its own `Idempotency-Key` and the time it was registered, and is sent
// with that same key and the same body on every try, so a retry after an answer lost on a bad
// connection is registered once by the server. What the server refuses (4xx: the person must fix it)
// is marked rejected and kept for the person to correct or discard, never retried on its own; what
// fails on the way (no network, 5xx, 408/429, a session to renew) waits and is tried again.
//
// Pure: the store, the clock, the sender and the "online?" question are handed in, so the unit test
// runs it on a real store (web/features/defence/outbox.unit.test.ts).
import { isApiError, type ProblemIssue } from '../../api/client.js';

/** The part of the Web Storage API the outbox uses (localStorage in the browser). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A Web Storage kept in memory: where localStorage is blocked (private mode), for this page's life. */
export class MemoryStorage implements KeyValueStore {
  readonly #items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  get length(): number {
    return this.#items.size;
  }
}

/** What the server said when it refused an entry, kept with it to show. */
export interface RejectedProblem {
  status: number;
  code: string;
  title: string;
  issues: ProblemIssue[];
}

export interface OutboxEntry<B> {
  /** The `Idempotency-Key`, made once for this entry. */
  key: string;
  /** The body as it is sent, every time (its `registeredAt` included). */
  body: B;
  /** When the entry was made (the passage's time). */
  registeredAt: string;
  /** How many sends were tried. */
  attempts: number;
  /** `waiting` is sent when possible; `rejected` waits for the person. */
  state: 'waiting' | 'rejected';
  lastTriedAt?: string;
  problem?: RejectedProblem;
  /** Kept with the entry for the page (the form as filled in, to correct it), never sent. */
  meta?: unknown;
}

export type Outcome<R> =
  | { kind: 'sent'; result: R }
  | { kind: 'waiting'; error: unknown }
  | { kind: 'rejected'; problem: RejectedProblem };

export interface FlushReport<R> {
  /** What became of each entry tried, by key. */
  outcomes: Map<string, Outcome<R>>;
  sent: number;
  rejected: number;
  /** Entries still waiting after this run. */
  waiting: number;
  /** Not tried at all: offline. */
  skipped: boolean;
}

/** Problem codes of a 409 that mean "try the same again later" (the same key still in flight). */
const RETRY_CONFLICT = /idempotency|in_progress|in_flight/i;

/**
 * Whether a failed send should wait and be tried again (true) or be shown to the person (false).
 * Network failures (no answer, `ApiError` status 0, or anything not an `ApiError`), 5xx, 408, 425,
 * 429, 401 (the session to renew: the entry waits for the sign-in) and a 409 about the idempotency
 * key being in use wait; every other 4xx is the person's to fix.
 */
export function shouldRetry(err: unknown): boolean {
  if (!isApiError(err)) return true;
  const s = err.status;
  if (s === 0 || s >= 500 || s === 408 || s === 425 || s === 429 || s === 401) return true;
  if (s === 409) return RETRY_CONFLICT.test(err.code);
  return false;
}

function problemOf(err: unknown): RejectedProblem {
  if (isApiError(err)) return { status: err.status, code: err.code, title: err.title, issues: err.issues };
  return { status: 0, code: 'unknown', title: err instanceof Error ? err.message : String(err), issues: [] };
}

/** Makes a new entry: its key and time are fixed here, once. */
export function newEntry<B extends object>(
  body: B,
  opts: { key: string; now: Date; meta?: unknown },
): OutboxEntry<B & { registeredAt: string }> {
  const registeredAt = opts.now.toISOString();
  return {
    key: opts.key,
    body: { ...body, registeredAt },
    registeredAt,
    attempts: 0,
    state: 'waiting',
    ...(opts.meta === undefined ? {} : { meta: opts.meta }),
  };
}

/**
 * A new `Idempotency-Key`: a random UUID. `crypto.randomUUID` exists only in secure contexts (https,
 * localhost); a page served over plain http on a LAN builds the same from `crypto.getRandomValues`.
 */
export function newKey(c: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = crypto): string {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const OUTBOX_STORAGE_KEY = 'linli.passages.outbox';

/** The browser's localStorage, or memory where it cannot be written (private modes, full quota). */
export function browserStore(): KeyValueStore {
  try {
    const probe = '__linli_probe__';
    localStorage.setItem(probe, '1');
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    return new MemoryStorage();
  }
}

/** The passage outbox of one account on this device (PassageNewPage keeps one per account). */
export const outboxKeyOf = (userId: number) => `${OUTBOX_STORAGE_KEY}.${userId}`;

/**
 * What an account leaves on this device when it signs out: its outbox's entries, waiting or refused,
 * each holding travellers' whole ID and phone numbers. Signing out forgets them (after asking), so a
 * shared phone keeps no one's numbers for the next person.
 */
export function unsentOf(store: KeyValueStore, userId: number): number {
  return new Outbox(store, { storageKey: outboxKeyOf(userId) }).entries().length;
}
export function forgetOutbox(store: KeyValueStore, userId: number): void {
  store.removeItem(outboxKeyOf(userId));
  store.removeItem(`${outboxKeyOf(userId)}.unreadable`);
}

export interface OutboxOptions {
  storageKey?: string;
  now?: () => Date;
  /** Whether a send is worth trying (navigator.onLine); when false a flush tries nothing. */
  online?: () => boolean;
}

/**
 * The outbox over one store. Every read goes to the store, so two instances (two tabs, or the page
 * before and after a reload) see the same entries.
 */
export class Outbox<B> {
  readonly #store: KeyValueStore;
  readonly #storageKey: string;
  readonly #now: () => Date;
  readonly #online: () => boolean;
  readonly #listeners = new Set<() => void>();
  #flushing: Promise<FlushReport<unknown>> | null = null;

  constructor(store: KeyValueStore, opts: OutboxOptions = {}) {
    this.#store = store;
    this.#storageKey = opts.storageKey ?? OUTBOX_STORAGE_KEY;
    this.#now = opts.now ?? (() => new Date());
    this.#online = opts.online ?? (() => true);
  }

  /** All entries, oldest first. A store that cannot be read as a list holds none (and is kept aside). */
  entries(): OutboxEntry<B>[] {
    const raw = this.#store.getItem(this.#storageKey);
    if (raw === null) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!Array.isArray(parsed)) throw new Error('not a list');
      return (parsed as OutboxEntry<B>[]).filter(
        (e) => typeof e === 'object' && e !== null && typeof e.key === 'string',
      );
    } catch {
      this.#store.setItem(`${this.#storageKey}.unreadable`, raw);
      this.#store.removeItem(this.#storageKey);
      return [];
    }
  }

  /** Entries waiting to be sent. */
  waiting(): OutboxEntry<B>[] {
    return this.entries().filter((e) => e.state === 'waiting');
  }

  /** Entries the server refused, for the person to correct or discard. */
  rejected(): OutboxEntry<B>[] {
    return this.entries().filter((e) => e.state === 'rejected');
  }

  /** Adds an entry (at the end), or replaces the one with its key where it stands. */
  put(entry: OutboxEntry<B>): void {
    const list = this.entries();
    const i = list.findIndex((e) => e.key === entry.key);
    if (i >= 0) list[i] = entry;
    else list.push(entry);
    this.#write(list);
  }

  remove(key: string): void {
    const list = this.entries();
    const next = list.filter((e) => e.key !== key);
    if (next.length !== list.length) this.#write(next);
  }

  /** Called after every change of the entries (here; another tab's changes come as 'storage' events). */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Sends the waiting entries in order, oldest first, each with its own key and body, and those added
   * while it runs. Stops at the first that must wait (so none overtakes an older one); one refused is
   * marked and the next is tried. Runs one at a time: a flush asked for during another joins it and
   * answers its report. Offline, it tries nothing (`skipped`).
   */
  async flush<R>(send: (entry: OutboxEntry<B>) => Promise<R>): Promise<FlushReport<R>> {
    if (this.#flushing) return (await this.#flushing) as FlushReport<R>;
    if (!this.#online())
      return { outcomes: new Map(), sent: 0, rejected: 0, waiting: this.waiting().length, skipped: true };
    const run = this.#run(send);
    this.#flushing = run;
    try {
      return await run;
    } finally {
      this.#flushing = null;
    }
  }

  async #run<R>(send: (entry: OutboxEntry<B>) => Promise<R>): Promise<FlushReport<R>> {
    const report: FlushReport<R> = { outcomes: new Map(), sent: 0, rejected: 0, waiting: 0, skipped: false };
    // Read again before each send: another tab may have sent or removed one, and new ones may have come.
    for (;;) {
      const entry = this.waiting().find((e) => !report.outcomes.has(e.key));
      if (!entry) break;
      const tried = { ...entry, attempts: entry.attempts + 1, lastTriedAt: this.#now().toISOString() };
      try {
        const result = await send(entry);
        this.remove(entry.key);
        report.outcomes.set(entry.key, { kind: 'sent', result });
        report.sent++;
      } catch (err) {
        if (shouldRetry(err)) {
          this.#update(tried);
          report.outcomes.set(entry.key, { kind: 'waiting', error: err });
          break;
        }
        const problem = problemOf(err);
        this.#update({ ...tried, state: 'rejected', problem });
        report.outcomes.set(entry.key, { kind: 'rejected', problem });
        report.rejected++;
      }
    }
    report.waiting = this.waiting().length;
    return report;
  }

  /** Replaces an entry that is still there (not one removed meanwhile). */
  #update(entry: OutboxEntry<B>): void {
    const list = this.entries();
    const i = list.findIndex((e) => e.key === entry.key);
    if (i < 0) return;
    list[i] = entry;
    this.#write(list);
  }

  #write(list: OutboxEntry<B>[]): void {
    if (list.length === 0) this.#store.removeItem(this.#storageKey);
    else this.#store.setItem(this.#storageKey, JSON.stringify(list));
    for (const l of this.#listeners) l();
  }
}

/**
 * Flushes when the connection returns (`online` on `target`, the window) and every `intervalMs` while
 * the page is open; answers the function that stops both.
 */
export function retryWhenOnline(
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>,
  flush: () => void,
  intervalMs: number,
): () => void {
  const onOnline = () => flush();
  target.addEventListener('online', onOnline);
  const timer = setInterval(flush, intervalMs);
  return () => {
    target.removeEventListener('online', onOnline);
    clearInterval(timer);
  };
}
