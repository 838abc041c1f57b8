import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { migrateToLatest, openDatabase, type DB } from '../../db/index.js';
import { totpAt } from '../../platform/totp.js';
import {
  buildTestApp,
  Client,
  TEST_PASSWORD,
  TEST_PII,
  testConfig,
  type TestApp,
} from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';

let t: TestApp;
let tree: Tree;
let db: DB;
beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
});
afterAll(async () => t.close());

const setCookies = (res: { headers: Record<string, unknown> }) => {
  const h = res.headers['set-cookie'];
  return (Array.isArray(h) ? h : h ? [h] : []) as string[];
};
/** A request carrying a raw cookie header, with no automatic csrf header. */
const raw = (
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  cookie: string,
  extra: Record<string, string> = {},
  payload?: object,
) => t.app.inject({ method, url, headers: { cookie, ...extra }, ...(payload ? { payload } : {}) });
describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and a readable csrf cookie', async () => {
    const res = await t.anon().post<{ user: { username: string }; via: string }>('/api/auth/login', {
      username: 'cadre',
      password: TEST_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body.user.username).toBe('cadre');
    expect(res.body.via).toBe('session');
    const cookies = setCookies(res);
    const session = cookies.find((c) => c.startsWith('linli_session='));
    const csrf = cookies.find((c) => c.startsWith('csrf='));
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    expect(session).toMatch(/;\s*Path=\//i);
    expect(session!.split(';')[0]!.length).toBeGreaterThan('linli_session='.length + 30);
    expect(csrf).toBeDefined();
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(csrf).toMatch(/;\s*SameSite=Lax/i);
    // Over plain HTTP the cookies cannot be Secure, or the browser would drop them.
    expect(session).not.toMatch(/;\s*Secure/i);
  });

  it('stores only a hash of the session token', async () => {
    const c = await t.login('cadre');
    const token = c.cookie('linli_session')!;
    const rows = await db.selectFrom('sessions').select('token_hash').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
  });

  it('wrong password or unknown user → 401 auth.invalid_credentials, the same answer for both', async () => {
    const wrong = await t.anon().post('/api/auth/login', { username: 'cadre', password: 'not-the-password' });
    const unknown = await t
      .anon()
      .post('/api/auth/login', { username: 'nobody', password: 'not-the-password' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'auth.invalid_credentials' });
      expect(
        setCookies(res).filter((c) => c.startsWith('linli_session=') && !c.startsWith('linli_session=;')),
      ).toEqual([]);
    }
    expect((wrong.body as { title: string }).title).toBe((unknown.body as { title: string }).title);
  });

  it('GET /api/auth/me without a session → 401 problem+json auth.required', async () => {
    const res = await t.anon().get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'auth.required', instance: '/api/auth/me' });
    expect((res.body as { requestId: string }).requestId).toBe(res.headers['x-request-id']);
  });

  it('a forged or expired session cookie is not a session', async () => {
    expect((await raw('GET', '/api/auth/me', 'linli_session=forged-token')).statusCode).toBe(401);
    const c = await t.login('cadre');
    expect((await c.get('/api/auth/me')).status).toBe(200);
    const userId = (
      await db.selectFrom('users').select('id').where('username', '=', 'cadre').executeTakeFirstOrThrow()
    ).id;
    await db
      .updateTable('sessions')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .where('user_id', '=', userId)
      .execute();
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });
});

// Throttling and locks (per pairing of username and address, and per address) have their own suite:
// login-throttle.test.ts, with a clock it moves past each delay.

describe('csrf', () => {
  it('a cookie-authenticated POST without x-csrf-token → 403 csrf.invalid; with a wrong one too; GET needs none', async () => {
    const c = await t.login('admin');
    const cookie = `linli_session=${c.cookie('linli_session')}; csrf=${c.cookie('csrf')}`;
    const before = await db
      .selectFrom('nodes')
      .select('responsible_name')
      .where('id', '=', tree.grids[0]!.id)
      .executeTakeFirstOrThrow();
    const none = await raw(
      'PATCH',
      `/api/nodes/${tree.grids[0]!.id}`,
      cookie,
      {},
      { responsibleName: 'csrf-victim' },
    );
    expect(none.statusCode).toBe(403);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(none.json()).toMatchObject({ code: 'csrf.invalid' });
    const wrong = await raw(
      'PATCH',
      `/api/nodes/${tree.grids[0]!.id}`,
      cookie,
      { 'x-csrf-token': 'guess' },
      { responsibleName: 'csrf-victim' },
    );
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'csrf.invalid' });
    const after = await db
      .selectFrom('nodes')
      .select('responsible_name')
      .where('id', '=', tree.grids[0]!.id)
      .executeTakeFirstOrThrow();
    expect(after.responsible_name).toBe(before.responsible_name);
    expect((await raw('GET', '/api/auth/me', cookie)).statusCode).toBe(200);
    // Another session's token does not fit this one.
    const other = await t.login('admin');
    const cross = await raw(
      'PATCH',
      `/api/nodes/${tree.grids[0]!.id}`,
      cookie,
      { 'x-csrf-token': other.cookie('csrf')! },
      { responsibleName: 'x' },
    );
    expect(cross.statusCode).toBe(403);
    // The right header goes through.
    const ok = await raw(
      'PATCH',
      `/api/nodes/${tree.grids[0]!.id}`,
      cookie,
      { 'x-csrf-token': c.cookie('csrf')! },
      { responsibleName: 'csrf-ok' },
    );
    expect(ok.statusCode).toBe(200);
  });

  it('a cookie-only logout without the csrf header is either refused (403, session intact) or ends exactly that session', async () => {
    const c = await t.login('cadre');
    const other = await t.login('cadre');
    const cookie = `linli_session=${c.cookie('linli_session')}`;
    const out = await raw('POST', '/api/auth/logout', cookie);
    const meAfter = (await c.get('/api/auth/me')).status;
    if (out.statusCode === 403) {
      expect(out.json()).toMatchObject({ code: 'csrf.invalid' });
      expect(meAfter).toBe(200);
    } else {
      expect(out.statusCode).toBe(200);
      expect(meAfter).toBe(401);
    }
    expect((await other.get('/api/auth/me')).status).toBe(200);
  });
});

describe('sessions', () => {
  it('logout deletes the session: the old cookie no longer works', async () => {
    const c = await t.login('cadre');
    const token = c.cookie('linli_session')!;
    const out = await c.post('/api/auth/logout');
    expect(out.status).toBe(200);
    expect(
      setCookies(out).some(
        (s) =>
          /^linli_session=;/.test(s) || /^linli_session=""/.test(s) || /Expires=Thu, 01 Jan 1970/i.test(s),
      ),
    ).toBe(true);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    const replay = await raw('GET', '/api/auth/me', `linli_session=${token}`);
    expect(replay.statusCode).toBe(401);
    expect(
      await db.selectFrom('audit_log').select('id').where('action', '=', 'auth.logout').executeTakeFirst(),
    ).toBeDefined();
  });

  it('a password change needs the current password and ends the other sessions, not this one', async () => {
    await makeUser(db, 'changer', [{ role: 'grid_worker', node: tree.grids[2]! }]);
    const s1 = await t.login('changer');
    const s2 = await t.login('changer');
    const bad = await s1.post('/api/auth/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'brand-new-password',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'auth.wrong_password',
      issues: [expect.objectContaining({ path: 'body.currentPassword' })],
    });
    expect((await s2.get('/api/auth/me')).status).toBe(200);
    const weak = await s1.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
    });
    expect(weak.status).toBe(400);
    expect((weak.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(
      'body.newPassword',
    );
    const ok = await s1.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'brand-new-password',
    });
    expect(ok.status).toBe(200);
    expect((await s1.get('/api/auth/me')).status).toBe(200);
    expect((await s2.get('/api/auth/me')).status).toBe(401);
    expect(
      (await t.anon().post('/api/auth/login', { username: 'changer', password: TEST_PASSWORD })).status,
    ).toBe(401);
    expect(
      (await t.anon().post('/api/auth/login', { username: 'changer', password: 'brand-new-password' }))
        .status,
    ).toBe(200);
  });

  it('a disabled user cannot sign in and their sessions die at once', async () => {
    const id = await makeUser(db, 'leaver', [{ role: 'grid_worker', node: tree.grids[2]! }]);
    const s = await t.login('leaver');
    expect((await s.get('/api/auth/me')).status).toBe(200);
    const admin = await t.login('admin');
    expect((await admin.patch(`/api/users/${id}`, { disabled: true })).status).toBe(200);
    expect((await s.get('/api/auth/me')).status).toBe(401);
    const rows = await db.selectFrom('sessions').select('id').where('user_id', '=', id).execute();
    expect(rows).toEqual([]);
    const again = await t.anon().post('/api/auth/login', { username: 'leaver', password: TEST_PASSWORD });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ code: 'auth.invalid_credentials' });
    // Re-enabled, they can sign in again.
    expect((await admin.patch(`/api/users/${id}`, { disabled: false })).status).toBe(200);
    expect(
      (await t.anon().post('/api/auth/login', { username: 'leaver', password: TEST_PASSWORD })).status,
    ).toBe(200);
  });
});

describe('API keys', () => {
  it('are shown once, act as their user without csrf, keep the user’s scope, and die when revoked', async () => {
    const gw = await t.login('gridworker');
    const created = await gw.post<{ id: number; key: string; prefix: string; revokedAt: string | null }>(
      '/api/auth/api-keys',
      { name: 'integration' },
    );
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^lk_[A-Za-z0-9_-]{40,}$/);
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
    const listed = await gw.get<Record<string, unknown>[]>('/api/auth/api-keys');
    expect(listed.body.map((k) => k.id)).toContain(created.body.id);
    for (const k of listed.body) expect(k).not.toHaveProperty('key');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    const stored = await db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(stored.key_hash).not.toContain(created.body.key);

    const k = t.withApiKey(created.body.key);
    const me = await k.get<{ user: { username: string }; via: string }>('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { username: 'gridworker' }, via: 'apiKey' });
    expect((await k.get(`/api/nodes/${tree.grids[0]!.id}`)).status).toBe(200);
    expect((await k.get(`/api/nodes/${tree.grids[1]!.id}`)).status).toBe(403);
    expect((await k.get('/api/users')).status).toBe(403);
    // Unsafe methods need no csrf header with a bearer key (no cookie is involved).
    const viaKey = await t.app.inject({
      method: 'POST',
      url: '/api/auth/api-keys',
      headers: { authorization: `Bearer ${created.body.key}` },
      payload: { name: 'second' },
    });
    expect(viaKey.statusCode).toBe(201);
    expect(
      await db
        .selectFrom('api_keys')
        .select('last_used_at')
        .where('id', '=', created.body.id)
        .executeTakeFirstOrThrow(),
    ).not.toMatchObject({ last_used_at: null });

    const revoked = await gw.delete(`/api/auth/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    const after = await k.get('/api/auth/me');
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'auth.invalid_api_key' });
    expect((await gw.delete(`/api/auth/api-keys/${created.body.id}`)).status).toBe(409);
  });

  it('an admin key writes without csrf; a made-up key is 401; a disabled user’s key stops working', async () => {
    const id = await makeUser(db, 'keyholder', [{ role: 'system_admin', node: tree.towns[0]! }]);
    const s = await t.login('keyholder');
    const { key } = (await s.post<{ key: string }>('/api/auth/api-keys', { name: 'ops' })).body;
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/nodes/${tree.grids[0]!.id}`,
      headers: { authorization: `Bearer ${key}` },
      payload: { responsibleName: '王五' },
    });
    expect(patched.statusCode).toBe(200);
    expect((await t.withApiKey('lk_made-up-key').get('/api/auth/me')).status).toBe(401);
    const admin = await t.login('admin');
    expect((await admin.patch(`/api/users/${id}`, { disabled: true })).status).toBe(200);
    expect((await t.withApiKey(key).get('/api/auth/me')).status).toBe(401);
  });
});

describe('two-factor sign-in', () => {
  it('setup → enable with a code → sign-in asks for the code → the code lets you in', async () => {
    await makeUser(db, 'otp', [{ role: 'grid_worker', node: tree.grids[2]! }]);
    const c = await t.login('otp');
    const setup = await c.post<{ secret: string; otpauthUrl: string }>('/api/auth/totp/setup');
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.body.otpauthUrl).toContain(`secret=${setup.body.secret}`);
    const secret = setup.body.secret;
    const wrongCode = String((Number(totpAt(secret, Date.now())) + 500_000) % 1_000_000).padStart(6, '0');
    const bad = await c.post('/api/auth/totp/enable', { code: wrongCode });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'auth.totp_invalid' });
    const on = await c.post('/api/auth/totp/enable', { code: totpAt(secret, Date.now()) });
    expect(on.status).toBe(200);
    expect((await c.get<{ user: { totpEnabled: boolean } }>('/api/auth/me')).body.user.totpEnabled).toBe(
      true,
    );
    expect((await c.post('/api/auth/totp/setup')).status).toBe(409);

    const noCode = await t.anon().post('/api/auth/login', { username: 'otp', password: TEST_PASSWORD });
    expect(noCode.status).toBe(401);
    expect(noCode.body).toMatchObject({ code: 'auth.totp_required' });
    expect(setCookies(noCode).some((s) => /^linli_session=[^;]+/.test(s))).toBe(false);
    const wrong = await t
      .anon()
      .post('/api/auth/login', { username: 'otp', password: TEST_PASSWORD, totp: wrongCode });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'auth.totp_invalid' });
    // A right code with a wrong password is still a wrong password.
    const wrongPw = await t.anon().post('/api/auth/login', {
      username: 'otp',
      password: 'not-the-password',
      totp: totpAt(secret, Date.now()),
    });
    expect(wrongPw.status).toBe(401);
    expect(wrongPw.body).toMatchObject({ code: 'auth.invalid_credentials' });
    const ok = await t.anon().post('/api/auth/login', {
      username: 'otp',
      password: TEST_PASSWORD,
      totp: totpAt(secret, Date.now()),
    });
    expect(ok.status).toBe(200);

    const off = await c.post('/api/auth/totp/disable', { code: totpAt(secret, Date.now()) });
    expect(off.status).toBe(200);
    expect(
      (await t.anon().post('/api/auth/login', { username: 'otp', password: TEST_PASSWORD })).status,
    ).toBe(200);
    const actions = (
      await db.selectFrom('audit_log').select('action').where('action', 'like', 'auth.totp%').execute()
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['auth.totp_setup', 'auth.totp_enable', 'auth.totp_disable']),
    );
  });

  it('the secret is never readable through the API', async () => {
    const admin = await t.login('admin');
    const otpId = (
      await db.selectFrom('users').select('id').where('username', '=', 'otp').executeTakeFirstOrThrow()
    ).id;
    await db.updateTable('users').set({ totp_secret: 'JBSWY3DPEHPK3PXP' }).where('id', '=', otpId).execute();
    const user = await admin.get(`/api/users/${otpId}`);
    const list = await admin.get('/api/users?pageSize=200');
    expect(JSON.stringify(user.body)).not.toContain('JBSWY3DPEHPK3PXP');
    expect(JSON.stringify(list.body)).not.toContain('JBSWY3DPEHPK3PXP');
    expect(JSON.stringify(list.body)).not.toContain('argon2');
  });
});

describe('login rate limit', () => {
  it('more sign-in attempts than the limit per minute → 429 problem rate_limited', async () => {
    // A throwaway in-memory database: the limiter acts before any query, so the dialect does not matter here.
    const database = openDatabase({ dataDir: ':memory:' });
    await migrateToLatest(database.db);
    const app = await buildApp(testConfig(), { database, pii: TEST_PII, loginRateLimit: 3 });
    await app.ready();
    try {
      const c = new Client(app);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await c.post('/api/auth/login', { username: 'x', password: 'y' })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const res = await c.post('/api/auth/login', { username: 'x', password: 'y' });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'rate_limited', status: 429 });
    } finally {
      await app.close();
      await database.close();
    }
  });
});

// The append-only guard must not get in the way of the suite's own checks above.
it('left the audit chain intact', async () => {
  const n = await sql<{ n: number }>`select count(*) as n from audit_log`.execute(db);
  expect(Number(n.rows[0]!.n)).toBeGreaterThan(20);
  const admin = await t.login('admin');
  expect((await admin.get<{ ok: boolean }>('/api/audit/verify')).body.ok).toBe(true);
});
