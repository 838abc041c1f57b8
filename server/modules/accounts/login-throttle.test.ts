// Login throttling (ADR 0008) through HTTP, with the client address set per request and a clock the
// test moves past each delay: a pairing is slowed then locked on its own, an address trying many
// usernames is slowed then refused, the owner elsewhere is untouched, every step is audited, and a
// district-level administrator lists and lifts what is in force.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { buildTestApp, TEST_PASSWORD, type TestApp, type TestResponse } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let nowMs = Date.parse('2026-12-05T08:00:00.000Z');
const advance = (seconds: number) => (nowMs += seconds * 1000);

// Pairing: delays from the 3rd failure, doubling to at most 60 s, locked at the 10th for 15 min.
// Address: delays from the 15th failure, refused at the 25th for 30 min.
beforeAll(async () => {
  t = await buildTestApp(
    {
      loginDelayAfter: 3,
      loginDelayMaxSeconds: 60,
      loginMaxFailures: 10,
      lockoutMinutes: 15,
      loginAddressDelayAfter: 15,
      loginAddressMaxFailures: 25,
      loginAddressLockoutMinutes: 30,
      loginFailureWindowMinutes: 60,
    },
    { clock: () => new Date(nowMs).toISOString() },
  );
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  await makeUser(db, 'volunteer', [{ role: 'grid_worker', node: tree.grids[0]! }]);
});
afterAll(async () => t.close());

interface Problem {
  status: number;
  code: string;
  retryAfter?: number;
  lockedUntil?: string;
}
const ATTACKER = '203.0.113.7';
const OWNER_HOME = '198.51.100.20';
const ADMIN_DESK = '192.0.2.10';

const attempt = (username: string, password: string, from: string) =>
  t.anon(from).post<Problem>('/api/auth/login', { username, password });
const userId = async (username: string) =>
  (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
const auditRows = (action: string) =>
  db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
const detailOf = (r: { detail: string | null }) => JSON.parse(r.detail ?? '{}') as Record<string, unknown>;

describe('one account from one address', () => {
  let lockedAnswer: TestResponse<Problem>;

  it('forty wrong passwords: 1 s, 2 s, 4 s… between checked attempts, then only that pairing is locked', async () => {
    const statuses: number[] = [];
    const waits: number[] = [];
    let checked = 0;
    for (let i = 0; i < 40; i++) {
      const res = await attempt('volunteer', `wrong-${i}`, ATTACKER);
      statuses.push(res.status);
      if (res.status === 401) checked++;
      if (res.status === 401 && res.body.retryAfter !== undefined) waits.push(res.body.retryAfter);
      if (res.status === 429) {
        // Refused before the password is looked at; a patient attacker waits as told and goes on.
        expect(res.body.code).toBe('auth.throttled');
        expect(res.headers['retry-after']).toBe(String(res.body.retryAfter));
        advance(res.body.retryAfter!);
      }
      if (res.status === 423) lockedAnswer = res;
    }
    // Nine failures answered 401, the 3rd to the 9th each naming the wait it imposed; the 10th locks.
    expect(checked).toBe(9);
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60]);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect(statuses.indexOf(423)).toBe(16);
    expect(statuses.slice(16)).toEqual(Array(24).fill(423));
    expect(lockedAnswer.body.code).toBe('auth.locked');
    expect(lockedAnswer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(lockedAnswer.body.retryAfter).toBe(15 * 60);
    expect(lockedAnswer.headers['retry-after']).toBe(String(15 * 60));

    // Even the right password is refused from that address while the pairing is locked.
    const right = await attempt('volunteer', TEST_PASSWORD, ATTACKER);
    expect(right.status).toBe(423);
  });

  it('does not stop the owner signing in from another address', async () => {
    const res = await attempt('volunteer', TEST_PASSWORD, OWNER_HOME);
    expect(res.status).toBe(200);
  });

  it('does not stop another account signing in from the attacker’s address', async () => {
    expect((await attempt('gridworker', TEST_PASSWORD, ATTACKER)).status).toBe(200);
  });

  it('audited each checked failure, each delay imposed and the lock, with the address', async () => {
    const id = await userId('volunteer');
    const failed = (await auditRows('auth.login_failed')).filter((r) => r.entity_id === String(id));
    expect(failed).toHaveLength(10);
    expect(new Set(failed.map((r) => r.actor_label))).toEqual(new Set([`anonymous@${ATTACKER}`]));
    const throttled = (await auditRows('auth.login_throttled')).map(detailOf);
    expect(throttled.filter((d) => d.username === 'volunteer').map((d) => d.retryAfter)).toEqual([
      1, 2, 4, 8, 16, 32, 60,
    ]);
    const locks = (await auditRows('auth.lockout')).map(detailOf);
    expect(locks).toEqual([
      {
        scope: 'pairing',
        address: ATTACKER,
        username: 'volunteer',
        failures: 10,
        lockedUntil: lockedAnswer.body.lockedUntil,
      },
    ]);
  });
});

describe('one address trying many accounts', () => {
  const SPRAYER = '203.0.113.99';
  let refused: TestResponse<Problem>;

  it('is slowed from the 15th failure and refused at the 25th, whatever the username', async () => {
    for (let i = 0; i < 30; i++)
      await makeUser(db, `spray${i}`, [{ role: 'grid_worker', node: tree.grids[1]! }]);
    const answers: { status: number; code: string }[] = [];
    let slowed = 0;
    for (let i = 0; i < 30; i++) {
      let res = await attempt(`spray${i}`, 'wrong-password', SPRAYER);
      if (res.status === 429 && res.body.code === 'auth.throttled') {
        slowed++;
        expect(res.headers['retry-after']).toBe(String(res.body.retryAfter));
        advance(res.body.retryAfter!);
        res = await attempt(`spray${i}`, 'wrong-password', SPRAYER);
      }
      answers.push({ status: res.status, code: res.body.code });
      if (res.body.code === 'auth.address_locked') refused = res;
    }
    // Failures 1–24 are checked (one username each, so no pairing is slowed); from the 15th on each
    // sets a wait the next attempt meets first; the 25th refuses the address.
    expect(answers.slice(0, 24).every((a) => a.status === 401)).toBe(true);
    expect(slowed).toBe(10);
    expect(answers.slice(24)).toEqual(Array(6).fill({ status: 429, code: 'auth.address_locked' }));
    expect(refused.body.retryAfter).toBe(30 * 60);
    expect(refused.headers['retry-after']).toBe(String(30 * 60));
  });

  it('is refused even with a right password, while the owner elsewhere signs in', async () => {
    const blocked = await attempt('spray3', TEST_PASSWORD, SPRAYER);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('auth.address_locked');
    expect((await attempt('spray3', TEST_PASSWORD, OWNER_HOME)).status).toBe(200);
  });

  it('audited the address’s delays and its refusal', async () => {
    const throttled = (await auditRows('auth.login_throttled'))
      .map(detailOf)
      .filter((d) => d.address === SPRAYER);
    expect(throttled.map((d) => [d.scope, d.failures, d.retryAfter])).toEqual(
      [15, 16, 17, 18, 19, 20, 21, 22, 23, 24].map((f) => ['address', f, Math.min(2 ** (f - 15), 60)]),
    );
    const lock = (await auditRows('auth.lockout')).map(detailOf).filter((d) => d.address === SPRAYER);
    expect(lock).toEqual([
      { scope: 'address', address: SPRAYER, failures: 25, lockedUntil: refused.body.lockedUntil },
    ]);
  });
});

describe('the administrator', () => {
  it('sees the lock and the address refusal, lifts the lock, and the pairing signs in again', async () => {
    const admin = await t.login('admin', TEST_PASSWORD, ADMIN_DESK);
    const list =
      await admin.get<
        { id: number; kind: string; address: string; username: string | null; lockedUntil: string | null }[]
      >('/api/login-throttles');
    expect(list.status).toBe(200);
    const lock = list.body.find((r) => r.kind === 'pairing' && r.username === 'volunteer');
    expect(lock).toMatchObject({ address: ATTACKER, failures: 10 });
    expect(lock!.lockedUntil).not.toBeNull();
    const address = list.body.find((r) => r.kind === 'address' && r.address === '203.0.113.99');
    expect(address).toMatchObject({ username: null, failures: 25 });

    const id = await userId('volunteer');
    expect((await admin.get<{ locked: boolean }>(`/api/users/${id}`)).body.locked).toBe(true);
    expect((await admin.delete(`/api/login-throttles/${lock!.id}`)).status).toBe(200);
    expect((await admin.delete(`/api/login-throttles/${lock!.id}`)).status).toBe(404);
    expect((await admin.get<{ locked: boolean }>(`/api/users/${id}`)).body.locked).toBe(false);
    const after = await admin.get<{ id: number }[]>('/api/login-throttles');
    expect(after.body.map((r) => r.id)).not.toContain(lock!.id);
    expect((await attempt('volunteer', TEST_PASSWORD, ATTACKER)).status).toBe(200);

    expect((await admin.delete(`/api/login-throttles/${address!.id}`)).status).toBe(200);
    expect((await attempt('spray5', TEST_PASSWORD, '203.0.113.99')).status).toBe(200);

    const lifts = await auditRows('auth.throttle_lift');
    expect(lifts.map((r) => [r.actor_label, r.entity_id, detailOf(r)])).toEqual([
      ['admin', String(lock!.id), { scope: 'pairing', address: ATTACKER, username: 'volunteer' }],
      ['admin', String(address!.id), { scope: 'address', address: '203.0.113.99' }],
    ]);
  });

  it('unlocking a user lifts every address’s lock on that username', async () => {
    const id = await makeUser(db, 'locky', [{ role: 'grid_worker', node: tree.grids[2]! }]);
    for (const from of ['203.0.113.30', '203.0.113.31']) {
      // Ten checked failures, waiting out each delay.
      for (let res = await attempt('locky', 'wrong', from); res.status !== 423;) {
        if (res.status === 429) advance(res.body.retryAfter!);
        res = await attempt('locky', 'wrong', from);
      }
      expect((await attempt('locky', TEST_PASSWORD, from)).status).toBe(423);
    }
    const admin = await t.login('admin', TEST_PASSWORD, ADMIN_DESK);
    const unlocked = await admin.patch<{ locked: boolean }>(`/api/users/${id}`, { unlock: true });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.locked).toBe(false);
    const audit = (await auditRows('user.unlock')).filter((r) => r.entity_id === String(id));
    expect(audit).toHaveLength(1);
    for (const from of ['203.0.113.30', '203.0.113.31'])
      expect((await attempt('locky', TEST_PASSWORD, from)).status).toBe(200);
  });

  it('only at the tree root: a town’s administrator and a grid worker are refused', async () => {
    const townadmin = await t.login('townadmin', TEST_PASSWORD, ADMIN_DESK);
    const gridworker = await t.login('gridworker', TEST_PASSWORD, ADMIN_DESK);
    for (const c of [townadmin, gridworker]) {
      expect((await c.get('/api/login-throttles')).status).toBe(403);
      expect((await c.delete('/api/login-throttles/1')).status).toBe(403);
    }
  });
});

// These move the clock past the window: after the administrator has seen the locks in force.
describe('counting', () => {
  it('a successful sign-in starts the pairing over', async () => {
    const from = '203.0.113.20';
    expect((await attempt('cadre', 'wrong', from)).body.retryAfter).toBeUndefined();
    expect((await attempt('cadre', 'wrong', from)).body.retryAfter).toBeUndefined();
    expect((await attempt('cadre', TEST_PASSWORD, from)).status).toBe(200);
    expect((await attempt('cadre', 'wrong', from)).body.retryAfter).toBeUndefined();
    expect((await attempt('cadre', 'wrong', from)).body.retryAfter).toBeUndefined();
    const third = await attempt('cadre', 'wrong', from);
    expect(third.status).toBe(401);
    expect(third.body.retryAfter).toBe(1);
  });

  it('failures older than the window are forgotten', async () => {
    const from = '203.0.113.21';
    await attempt('commander', 'wrong', from);
    await attempt('commander', 'wrong', from);
    advance(61 * 60);
    await attempt('commander', 'wrong', from);
    const second = await attempt('commander', 'wrong', from);
    expect(second.status).toBe(401);
    expect(second.body.retryAfter).toBeUndefined();
  });

  it('an unknown username is counted and answered like a known one', async () => {
    const from = '203.0.113.22';
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await attempt('nobody-here', 'wrong', from));
    expect(answers.map((a) => [a.status, a.body.code, a.body.retryAfter])).toEqual([
      [401, 'auth.invalid_credentials', undefined],
      [401, 'auth.invalid_credentials', undefined],
      [401, 'auth.invalid_credentials', 1],
    ]);
    expect((await attempt('nobody-here', 'wrong', from)).status).toBe(429);
  });

  it('two failures at once both count', async () => {
    const from = '203.0.113.23';
    await Promise.all([attempt('towncmd', 'wrong-a', from), attempt('towncmd', 'wrong-b', from)]);
    const row = await db
      .selectFrom('login_throttles')
      .select('failures')
      .where('address', '=', from)
      .where('username', '=', 'towncmd')
      .executeTakeFirstOrThrow();
    expect(row.failures).toBe(2);
  });
});

it('left the audit chain intact', async () => {
  const admin = await t.login('admin', TEST_PASSWORD, ADMIN_DESK);
  expect((await admin.get<{ ok: boolean }>('/api/audit/verify')).body.ok).toBe(true);
});
