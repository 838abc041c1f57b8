// The registration outbox on a real Web Storage implementation: entries kept across a reload, sent in
// order with the key they were made with, refused ones kept for the person, never sent twice.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.js';
import { IDEMPOTENCY_KEY } from '../../../common/contracts/passages.js';
import {
  forgetOutbox,
  MemoryStorage,
  Outbox,
  outboxKeyOf,
  newEntry,
  newKey,
  retryWhenOnline,
  shouldRetry,
  type OutboxEntry,
  unsentOf,
} from './outbox.js';

interface Body {
  plate: string;
  registeredAt?: string;
}

const at = (min: number) => new Date(Date.UTC(2026, 11, 6, 8, min));
const entry = (plate: string, key: string, min = 0) => newEntry<Body>({ plate }, { key, now: at(min) });
const offline = () => new ApiError(0, { title: 'Network error', code: 'network' });
const status = (s: number, code = `http.${s}`, issues: ApiError['issues'] = []) =>
  new ApiError(s, { title: `HTTP ${s}`, code, issues });

/**
 * A server that registers a key once, as POST /api/passages promises: a repeated key answers the first
 * registration. `lose` answers lost on the way back (registered, but the phone hears a network error).
 */
function server(
  opts: { failWith?: (e: OutboxEntry<Body>, n: number) => Error | undefined; lose?: number } = {},
) {
  const registered = new Map<string, { id: number; body: Body }>();
  const calls: { key: string; body: Body }[] = [];
  let lose = opts.lose ?? 0;
  const send = (e: OutboxEntry<Body>): Promise<{ id: number }> => {
    calls.push({ key: e.key, body: e.body });
    const fail = opts.failWith?.(e, calls.length);
    if (fail) return Promise.reject(fail);
    let row = registered.get(e.key);
    if (!row) {
      row = { id: registered.size + 1, body: e.body };
      registered.set(e.key, row);
    }
    if (lose > 0) {
      lose--;
      return Promise.reject(offline());
    }
    return Promise.resolve({ id: row.id });
  };
  return { registered, calls, send };
}

describe('newEntry', () => {
  it('fixes the key and the registration time once, inside the body that is sent', () => {
    const e = entry('浙A12345', 'key-aaaaaaaa', 5);
    expect(e).toEqual({
      key: 'key-aaaaaaaa',
      body: { plate: '浙A12345', registeredAt: '2026-12-06T08:05:00.000Z' },
      registeredAt: '2026-12-06T08:05:00.000Z',
      attempts: 0,
      state: 'waiting',
    });
  });
});

describe('newKey', () => {
  it('makes keys the server takes, with or without crypto.randomUUID (plain http has none)', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const withUuid = newKey();
    const without = newKey({ getRandomValues: (a) => crypto.getRandomValues(a) });
    for (const k of [withUuid, without]) {
      expect(k).toMatch(uuid);
      expect(IDEMPOTENCY_KEY.test(k)).toBe(true);
    }
    expect(newKey({ getRandomValues: (a) => crypto.getRandomValues(a) })).not.toBe(without);
  });
});

describe('shouldRetry', () => {
  it.each([
    ['no answer', offline(), true],
    ['a thrown TypeError (fetch failed)', new TypeError('Failed to fetch'), true],
    ['500', status(500), true],
    ['503', status(503), true],
    ['408', status(408), true],
    ['429', status(429), true],
    ['401 (sign in again)', status(401), true],
    ['409 with the key in flight', status(409, 'idempotency.in_progress'), true],
    ['400 validation', status(400, 'validation_failed'), false],
    ['403', status(403, 'forbidden'), false],
    ['404', status(404, 'not_found'), false],
    ['409 of another kind', status(409, 'checkpoint.closed'), false],
    ['422', status(422), false],
  ])('%s → %s', (_name, err, retry) => {
    expect(shouldRetry(err)).toBe(retry);
  });
});

describe('Outbox', () => {
  it('keeps its entries across a reload (a new outbox over the same store)', () => {
    const store = new MemoryStorage();
    const before = new Outbox<Body>(store);
    before.put(entry('浙A11111', 'k-1111111'));
    before.put(entry('浙A22222', 'k-2222222', 1));
    const after = new Outbox<Body>(store);
    expect(after.entries().map((e) => [e.key, e.body.plate, e.registeredAt])).toEqual([
      ['k-1111111', '浙A11111', '2026-12-06T08:00:00.000Z'],
      ['k-2222222', '浙A22222', '2026-12-06T08:01:00.000Z'],
    ]);
    expect(after.waiting()).toHaveLength(2);
  });

  it('sends the waiting entries in order and empties the store', async () => {
    const store = new MemoryStorage();
    const box = new Outbox<Body>(store);
    box.put(entry('浙A11111', 'k-1111111'));
    box.put(entry('浙A22222', 'k-2222222', 1));
    const srv = server();
    const r = await box.flush(srv.send);
    expect(srv.calls.map((c) => c.key)).toEqual(['k-1111111', 'k-2222222']);
    expect(r).toMatchObject({ sent: 2, rejected: 0, waiting: 0, skipped: false });
    expect(r.outcomes.get('k-2222222')).toEqual({ kind: 'sent', result: { id: 2 } });
    expect(box.entries()).toEqual([]);
    expect(store.length).toBe(0);
  });

  it('registers once when the answer is lost: the retry carries the same key and body', async () => {
    const store = new MemoryStorage();
    const box = new Outbox<Body>(store, { now: () => at(30) });
    box.put(entry('浙A12345', 'k-lost-answer'));
    const srv = server({ lose: 1 });

    const first = await box.flush(srv.send);
    expect(first.outcomes.get('k-lost-answer')?.kind).toBe('waiting');
    expect(box.waiting()[0]).toMatchObject({ attempts: 1, lastTriedAt: '2026-12-06T08:30:00.000Z' });

    // The page is reloaded before the connection returns.
    const second = await new Outbox<Body>(store).flush(srv.send);
    expect(second.sent).toBe(1);
    expect(srv.calls).toHaveLength(2);
    expect(srv.calls[1]).toEqual(srv.calls[0]);
    expect(srv.calls[1]!.body.registeredAt).toBe('2026-12-06T08:00:00.000Z');
    expect(srv.registered.size).toBe(1);
  });

  it('stops at the first entry that must wait, so no later one overtakes it', async () => {
    const box = new Outbox<Body>(new MemoryStorage());
    box.put(entry('浙A11111', 'k-1111111'));
    box.put(entry('浙A22222', 'k-2222222', 1));
    box.put(entry('浙A33333', 'k-3333333', 2));
    const srv = server({ failWith: (e) => (e.key === 'k-2222222' ? status(503) : undefined) });
    const r = await box.flush(srv.send);
    expect(srv.calls.map((c) => c.key)).toEqual(['k-1111111', 'k-2222222']);
    expect(r).toMatchObject({ sent: 1, waiting: 2 });
    expect(box.waiting().map((e) => e.key)).toEqual(['k-2222222', 'k-3333333']);
  });

  it('keeps a refused entry for the person, with the problem, and goes on with the next', async () => {
    const box = new Outbox<Body>(new MemoryStorage());
    box.put(entry('浙I12345', 'k-bad-plate'));
    box.put(entry('浙A22222', 'k-2222222', 1));
    const issue = { path: 'body.plate', message: '车牌不用字母 I/O', code: 'plate.letter_i_or_o' };
    const srv = server({
      failWith: (e) => (e.key === 'k-bad-plate' ? status(400, 'validation_failed', [issue]) : undefined),
    });
    const r = await box.flush(srv.send);
    expect(r).toMatchObject({ sent: 1, rejected: 1, waiting: 0 });
    expect(box.rejected()).toHaveLength(1);
    expect(box.rejected()[0]).toMatchObject({
      key: 'k-bad-plate',
      state: 'rejected',
      attempts: 1,
      problem: { status: 400, code: 'validation_failed', issues: [issue] },
    });
    // Never sent again on its own.
    await box.flush(srv.send);
    expect(srv.calls.filter((c) => c.key === 'k-bad-plate')).toHaveLength(1);
    // The person discards it (or takes it back into the form).
    box.remove('k-bad-plate');
    expect(box.entries()).toEqual([]);
  });

  it('tries nothing while offline', async () => {
    let online = false;
    const box = new Outbox<Body>(new MemoryStorage(), { online: () => online });
    box.put(entry('浙A11111', 'k-1111111'));
    const srv = server();
    expect(await box.flush(srv.send)).toMatchObject({ skipped: true, waiting: 1 });
    expect(srv.calls).toHaveLength(0);
    online = true;
    expect(await box.flush(srv.send)).toMatchObject({ skipped: false, sent: 1, waiting: 0 });
  });

  it('runs one flush at a time: one asked for meanwhile joins it, and nothing is sent twice', async () => {
    const box = new Outbox<Body>(new MemoryStorage());
    box.put(entry('浙A11111', 'k-1111111'));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const calls: string[] = [];
    const slow = async (e: OutboxEntry<Body>) => {
      calls.push(e.key);
      await gate;
      return e.key;
    };
    const first = box.flush(slow);
    // Registered while the first entry is on its way: the running flush sends it too.
    box.put(entry('浙A22222', 'k-2222222', 1));
    const second = box.flush(slow);
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(b).toBe(a);
    expect(a).toMatchObject({ sent: 2, waiting: 0 });
    expect(a.outcomes.get('k-2222222')).toEqual({ kind: 'sent', result: 'k-2222222' });
    expect(calls).toEqual(['k-1111111', 'k-2222222']);
  });

  it('skips an entry another tab sent meanwhile', async () => {
    const store = new MemoryStorage();
    const box = new Outbox<Body>(store);
    box.put(entry('浙A11111', 'k-1111111'));
    box.put(entry('浙A22222', 'k-2222222', 1));
    const otherTab = new Outbox<Body>(store);
    const sent: string[] = [];
    await box.flush((e) => {
      sent.push(e.key);
      if (e.key === 'k-1111111') otherTab.remove('k-2222222');
      return Promise.resolve(1);
    });
    expect(sent).toEqual(['k-1111111']);
  });

  it('replaces an entry by key where it stands, and tells its listeners of each change', () => {
    const box = new Outbox<Body>(new MemoryStorage());
    let changes = 0;
    const stop = box.subscribe(() => changes++);
    box.put(entry('浙A11111', 'k-1111111'));
    box.put(entry('浙A22222', 'k-2222222'));
    box.put({ ...entry('浙A11112', 'k-1111111'), state: 'waiting' });
    expect(box.entries().map((e) => e.body.plate)).toEqual(['浙A11112', '浙A22222']);
    expect(changes).toBe(3);
    stop();
    box.remove('k-1111111');
    expect(changes).toBe(3);
  });

  it('reads an unreadable store as empty and keeps what was there aside', () => {
    const store = new MemoryStorage();
    store.setItem('linli.passages.outbox', '{not json');
    const box = new Outbox<Body>(store);
    expect(box.entries()).toEqual([]);
    expect(store.getItem('linli.passages.outbox.unreadable')).toBe('{not json');
    expect(store.getItem('linli.passages.outbox')).toBeNull();
  });
});

describe('retryWhenOnline', () => {
  it('flushes when the connection returns and on the interval, until stopped', async () => {
    const target = new EventTarget();
    let flushes = 0;
    const stop = retryWhenOnline(target, () => flushes++, 20);
    target.dispatchEvent(new Event('online'));
    expect(flushes).toBe(1);
    await new Promise((r) => setTimeout(r, 70));
    expect(flushes).toBeGreaterThanOrEqual(3);
    stop();
    const after = flushes;
    target.dispatchEvent(new Event('online'));
    await new Promise((r) => setTimeout(r, 50));
    expect(flushes).toBe(after);
  });
});

describe('signing out', () => {
  it('counts what an account left unsent, waiting or refused, and forgets only that account’s entries', () => {
    const store = new MemoryStorage();
    const mine = new Outbox<Body>(store, { storageKey: outboxKeyOf(7) });
    const theirs = new Outbox<Body>(store, { storageKey: outboxKeyOf(8) });
    mine.put(entry('浙A11111', 'k1'));
    mine.put({ ...entry('浙A22222', 'k2'), state: 'rejected' });
    theirs.put(entry('浙A33333', 'k3'));
    expect(unsentOf(store, 7)).toBe(2);
    expect(unsentOf(store, 9)).toBe(0);
    forgetOutbox(store, 7);
    expect(unsentOf(store, 7)).toBe(0);
    expect(store.getItem(outboxKeyOf(7))).toBeNull();
    expect(theirs.entries().map((e) => e.body.plate)).toEqual(['浙A33333']);
  });
});
