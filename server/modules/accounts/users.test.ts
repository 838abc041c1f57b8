import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSION_CODES } from '../../../common/permissions.js';
import { BUILTIN_ROLES } from '../../../common/roles.js';
import type { DB } from '../../db/index.js';
import { subtreeRange } from '../../db/dialect.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';
import { roleIdOf, userIdOf } from '../../test/routes.js';

let t: TestApp;
let tree: Tree;
let db: DB;
let admin: Client;
let townadmin: Client;
let role: Record<string, number>;
beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  admin = await t.login('admin');
  townadmin = await t.login('townadmin');
  role = {};
  for (const code of ['system_admin', 'town_commander', 'village_cadre', 'grid_worker', 'volunteer'])
    role[code] = await roleIdOf(db, code);
});
afterAll(async () => t.close());

interface UserBody {
  id: number;
  username: string;
  displayName: string;
  disabled: boolean;
  assignments: { id: number; role: { code: string }; node: { id: number; path: string } }[];
  abilities: Record<string, boolean>;
}

/** The audit rows written since a given id, as action/entity pairs. */
async function lastAudit() {
  return (
    (await db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst())?.id ?? 0
  );
}
async function auditSince(id: number) {
  return db
    .selectFrom('audit_log')
    .select(['action', 'entity_type', 'entity_id', 'node_path', 'actor_label'])
    .where('id', '>', id)
    .orderBy('id')
    .execute();
}
/** Nothing changed since the mark: the only rows are the refusals' traces, one per denied request. */
const deniedOnly = (actor: string, routes: string[]) =>
  routes.map((r) => ({
    action: 'access.denied',
    entity_type: 'route',
    entity_id: r,
    node_path: null,
    actor_label: actor,
  }));

const newUser = (username: string, nodeId: number, roleId: number) => ({
  username,
  displayName: `显示 ${username}`,
  password: 'a-long-enough-password',
  assignments: [{ roleId, nodeId }],
});

describe('creating users', () => {
  it('an admin creates a user with a role at a village; that user sees exactly that village', async () => {
    const mark = await lastAudit();
    const village = tree.villages[2]!;
    const res = await admin.post<UserBody>(
      '/api/users',
      newUser('wang.cun', village.id, role.village_cadre!),
    );
    expect(res.status).toBe(201);
    expect(res.body.username).toBe('wang.cun');
    expect(res.body.assignments.map((a) => [a.role.code, a.node.id])).toEqual([
      ['village_cadre', village.id],
    ]);
    expect(JSON.stringify(res.body)).not.toContain('argon2');
    expect(await auditSince(mark)).toEqual([
      expect.objectContaining({
        action: 'user.create',
        entity_type: 'user',
        entity_id: String(res.body.id),
        node_path: village.path,
        actor_label: 'admin',
      }),
    ]);

    const c = await t.login('wang.cun', 'a-long-enough-password');
    const roots = await c.get<{ items: { id: number }[] }>('/api/nodes');
    expect(roots.body.items.map((n) => n.id)).toEqual([village.id]);
    expect((await c.get(`/api/nodes/${tree.villages[3]!.id}`)).status).toBe(403);
  });

  it('a town admin creates users inside town A only, and cannot grant at the district', async () => {
    const mark = await lastAudit();
    const outside = await townadmin.post(
      '/api/users',
      newUser('b.town', tree.villages[2]!.id, role.village_cadre!),
    );
    expect(outside.status).toBe(403);
    const district = await townadmin.post(
      '/api/users',
      newUser('d.level', tree.district.id, role.village_cadre!),
    );
    expect(district.status).toBe(403);
    // One assignment out of two outside is enough to refuse the whole request.
    const mixed = await townadmin.post('/api/users', {
      ...newUser('mixed.one', tree.villages[0]!.id, role.village_cadre!),
      assignments: [
        { roleId: role.village_cadre!, nodeId: tree.villages[0]!.id },
        { roleId: role.village_cadre!, nodeId: tree.villages[2]!.id },
      ],
    });
    expect(mixed.status).toBe(403);
    expect(await auditSince(mark)).toEqual(
      deniedOnly('townadmin', ['POST /api/users', 'POST /api/users', 'POST /api/users']),
    );
    expect(
      await db
        .selectFrom('users')
        .select('id')
        .where('username', 'in', ['b.town', 'd.level', 'mixed.one'])
        .execute(),
    ).toEqual([]);
    const inside = await townadmin.post<UserBody>(
      '/api/users',
      newUser('a.village', tree.villages[1]!.id, role.village_cadre!),
    );
    expect(inside.status).toBe(201);
  });

  it('nobody grants a role with permissions they do not hold there', async () => {
    // A user manager at town A: holds what a town commander holds, and manages users; nothing else.
    const r = await admin.post<{ id: number }>('/api/roles', {
      code: 'user_manager',
      nameZh: '用户管理员',
      nameEn: 'User manager',
      permissions: [...BUILTIN_ROLES.find((x) => x.code === 'town_commander')!.permissions, 'users.manage'],
    });
    expect(r.status).toBe(201);
    await makeUser(db, 'mgr', [{ role: 'user_manager', node: tree.towns[0]! }]);
    const mgr = await t.login('mgr');
    const tooMuch = await mgr.post(
      '/api/users',
      newUser('too.much', tree.villages[0]!.id, role.system_admin!),
    );
    expect(tooMuch.status).toBe(403);
    expect(JSON.stringify(tooMuch.body)).toMatch(/nodes\.manage|audit\.read|roles\./);
    const tc = await mgr.post('/api/users', newUser('tc.ok', tree.villages[0]!.id, role.town_commander!));
    expect(tc.status).toBe(201);
    // Nor through adding an assignment to an existing user.
    const cadreId = await userIdOf(db, 'cadre');
    const grant = await mgr.post(`/api/users/${cadreId}/assignments`, {
      roleId: role.system_admin!,
      nodeId: tree.villages[0]!.id,
    });
    expect(grant.status).toBe(403);
    // Nor by granting themselves.
    const mgrId = await userIdOf(db, 'mgr');
    expect(
      (
        await mgr.post(`/api/users/${mgrId}/assignments`, {
          roleId: role.system_admin!,
          nodeId: tree.towns[0]!.id,
        })
      ).status,
    ).toBe(403);
  });

  it('a duplicate username → 409 with an issue on body.username', async () => {
    const res = await admin.post('/api/users', newUser('cadre', tree.villages[0]!.id, role.village_cadre!));
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'user.username_taken',
      issues: [expect.objectContaining({ path: 'body.username' })],
    });
  });

  it('bad input is a 400 naming each field', async () => {
    const res = await admin.post('/api/users', {
      username: 'x',
      displayName: '',
      password: 'short',
      assignments: [],
    });
    expect(res.status).toBe(400);
    const paths = (res.body as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.username', 'body.displayName', 'body.password', 'body.assignments']),
    );
  });
});

describe('listing and reading users', () => {
  it('as the town commander: only users with an assignment in town A', async () => {
    const tc = await t.login('towncmd');
    const res = await tc.get<{ items: UserBody[]; total: number }>('/api/users?pageSize=200');
    expect(res.status).toBe(200);
    const [lo, hi] = subtreeRange(tree.towns[0]!.path);
    const expected = await db
      .selectFrom('users as u')
      .select('u.username')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('role_assignments as a')
            .innerJoin('nodes as n', 'n.id', 'a.node_id')
            .select('a.id')
            .whereRef('a.user_id', '=', 'u.id')
            .where('n.path', '>=', lo)
            .where('n.path', '<', hi),
        ),
      )
      .orderBy('u.username')
      .execute();
    expect(res.body.items.map((u) => u.username)).toEqual(expected.map((e) => e.username));
    expect(res.body.total).toBe(expected.length);
    expect(res.body.items.map((u) => u.username)).toEqual(
      expect.arrayContaining(['cadre', 'gridworker', 'towncmd', 'townadmin']),
    );
    expect(res.body.items.map((u) => u.username)).not.toContain('admin');
    expect(res.body.items.map((u) => u.username)).not.toContain('wang.cun');
    // Reading someone outside: 403; the ?node filter outside: 403.
    expect((await tc.get(`/api/users/${await userIdOf(db, 'admin')}`)).status).toBe(403);
    expect((await tc.get(`/api/users?node=${tree.towns[1]!.id}`)).status).toBe(403);
  });

  it('paging and search work within the scope', async () => {
    const page1 = await admin.get<{ items: UserBody[]; total: number; page: number; pageSize: number }>(
      '/api/users?pageSize=2&page=1',
    );
    const page2 = await admin.get<{ items: UserBody[]; total: number }>('/api/users?pageSize=2&page=2');
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.pageSize).toBe(2);
    expect(page2.body.items[0]!.username > page1.body.items[1]!.username).toBe(true);
    const q = await admin.get<{ items: UserBody[] }>('/api/users?q=grid');
    expect(q.body.items.map((u) => u.username)).toEqual(['gridworker']);
    // A search wildcard is text, not a pattern.
    const pct = await admin.get<{ items: UserBody[] }>('/api/users?q=%25');
    expect(pct.status).toBe(200);
    expect(pct.body.items).toEqual([]);
  });

  it('abilities tell the web app what the caller may do', async () => {
    const gw = await userIdOf(db, 'gridworker');
    const asTownAdmin = await townadmin.get<UserBody>(`/api/users/${gw}`);
    expect(asTownAdmin.body.abilities).toMatchObject({ update: true, disable: true, assign: true });
    const tc = await t.login('towncmd');
    expect((await tc.get<UserBody>(`/api/users/${gw}`)).body.abilities).toMatchObject({
      update: false,
      disable: false,
    });
    const self = await townadmin.get<UserBody>(`/api/users/${await userIdOf(db, 'townadmin')}`);
    expect(self.body.abilities.disable).toBe(false);
  });
});

describe('changing users', () => {
  it('disabling a user kills their session; enabling, renaming and password reset are audited', async () => {
    const id = await makeUser(db, 'worker.a', [{ role: 'grid_worker', node: tree.grids[1]! }]);
    const s = await t.login('worker.a');
    const mark = await lastAudit();
    const disabled = await townadmin.patch<UserBody>(`/api/users/${id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabled).toBe(true);
    expect((await s.get('/api/auth/me')).status).toBe(401);
    expect(await db.selectFrom('sessions').select('id').where('user_id', '=', id).execute()).toEqual([]);
    expect((await townadmin.patch(`/api/users/${id}`, { disabled: false })).status).toBe(200);
    expect(
      (await townadmin.patch<UserBody>(`/api/users/${id}`, { displayName: '新名字' })).body.displayName,
    ).toBe('新名字');
    const s2 = await t.login('worker.a');
    expect(
      (await townadmin.post(`/api/users/${id}/password`, { newPassword: 'reset-by-admin-1' })).status,
    ).toBe(200);
    expect((await s2.get('/api/auth/me')).status).toBe(401);
    await t.login('worker.a', 'reset-by-admin-1');
    const actions = (await auditSince(mark)).filter(
      (r) => r.entity_id === String(id) && r.actor_label === 'townadmin',
    );
    expect(actions.map((r) => r.action)).toEqual([
      'user.disable',
      'user.enable',
      'user.update',
      'user.password_reset',
    ]);
    for (const r of actions) expect(r.node_path?.startsWith(tree.towns[0]!.path)).toBe(true);
  });

  it('nobody disables themselves', async () => {
    const res = await townadmin.patch(`/api/users/${await userIdOf(db, 'townadmin')}`, { disabled: true });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'user.self_disable' });
  });

  it('a town admin cannot change a user who also works outside town A', async () => {
    const id = await makeUser(db, 'two.towns', [
      { role: 'grid_worker', node: tree.grids[0]! },
      { role: 'grid_worker', node: tree.grids[4]! },
    ]);
    const mark = await lastAudit();
    expect((await townadmin.get(`/api/users/${id}`)).status).toBe(200);
    expect((await townadmin.patch(`/api/users/${id}`, { disabled: true })).status).toBe(403);
    expect(
      (await townadmin.post(`/api/users/${id}/password`, { newPassword: 'takeover-password' })).status,
    ).toBe(403);
    expect(await auditSince(mark)).toEqual(
      deniedOnly('townadmin', ['PATCH /api/users/:id', 'POST /api/users/:id/password']),
    );
    expect((await admin.patch(`/api/users/${id}`, { displayName: 'ok' })).status).toBe(200);
  });

  it('assignments: add and remove are audited; out-of-scope nodes refused', async () => {
    const id = await makeUser(db, 'assignee', [{ role: 'grid_worker', node: tree.grids[0]! }]);
    const mark = await lastAudit();
    const added = await townadmin.post<UserBody>(`/api/users/${id}/assignments`, {
      roleId: role.volunteer!,
      nodeId: tree.villages[0]!.id,
    });
    expect(added.status).toBe(201);
    expect(added.body.assignments).toHaveLength(2);
    const dup = await townadmin.post(`/api/users/${id}/assignments`, {
      roleId: role.volunteer!,
      nodeId: tree.villages[0]!.id,
    });
    expect(dup.status).toBe(409);
    expect(
      (
        await townadmin.post(`/api/users/${id}/assignments`, {
          roleId: role.volunteer!,
          nodeId: tree.villages[2]!.id,
        })
      ).status,
    ).toBe(403);
    const a = added.body.assignments.find((x) => x.role.code === 'volunteer')!;
    const removed = await townadmin.delete<UserBody>(`/api/users/${id}/assignments/${a.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.assignments.map((x) => x.role.code)).toEqual(['grid_worker']);
    // An assignment id that belongs to someone else is not found under this user.
    const other = await db
      .selectFrom('role_assignments')
      .select('id')
      .where('user_id', '=', await userIdOf(db, 'cadre'))
      .executeTakeFirstOrThrow();
    expect((await townadmin.delete(`/api/users/${id}/assignments/${other.id}`)).status).toBe(404);
    const rows = (await auditSince(mark)).filter((r) => r.entity_id === String(id));
    expect(rows.map((r) => r.action)).toEqual(['assignment.create', 'assignment.delete']);
    expect(rows.every((r) => r.node_path === tree.villages[0]!.path)).toBe(true);
  });

  it('a user whose last assignment is removed never becomes unmanageable', async () => {
    // Either the last assignment cannot be removed, or the district admin can still see and disable the user.
    const id = await makeUser(db, 'orphan', [{ role: 'grid_worker', node: tree.grids[0]! }]);
    const s = await t.login('orphan');
    const only = await db
      .selectFrom('role_assignments')
      .select('id')
      .where('user_id', '=', id)
      .executeTakeFirstOrThrow();
    const removed = await admin.delete(`/api/users/${id}/assignments/${only.id}`);
    if (removed.status === 409) return;
    expect(removed.status).toBe(200);
    const seen = await admin.get(`/api/users/${id}`);
    expect(seen.status, 'the district admin can no longer read a user without assignments').toBe(200);
    const disabled = await admin.patch(`/api/users/${id}`, { disabled: true });
    expect(disabled.status, 'the district admin can no longer disable a user without assignments').toBe(200);
    expect((await s.get('/api/auth/me')).status).toBe(401);
  });
});

describe('roles', () => {
  it('only a district-root admin creates and updates roles; each write is audited', async () => {
    const mark = await lastAudit();
    const denied = await townadmin.post('/api/roles', {
      code: 'town_role',
      nameZh: '镇角色',
      nameEn: 'Town role',
      permissions: ['nodes.read'],
    });
    expect(denied.status).toBe(403);
    expect(
      (
        await townadmin.patch(`/api/roles/${role.grid_worker!}`, {
          permissions: ['nodes.read', 'users.manage'],
        })
      ).status,
    ).toBe(403);
    expect(await auditSince(mark)).toEqual(
      deniedOnly('townadmin', ['POST /api/roles', 'PATCH /api/roles/:id']),
    );

    const created = await admin.post<{ id: number; code: string; permissions: string[]; builtin: boolean }>(
      '/api/roles',
      {
        code: 'inspector',
        nameZh: '巡查员',
        nameEn: 'Inspector',
        permissions: ['nodes.read', 'audit.read', 'nodes.read'],
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: 'inspector',
      permissions: ['audit.read', 'nodes.read'],
      builtin: false,
    });
    const updated = await admin.patch<{ nameEn: string; permissions: string[] }>(
      `/api/roles/${created.body.id}`,
      { nameEn: 'Field inspector', permissions: ['nodes.read'] },
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ nameEn: 'Field inspector', permissions: ['nodes.read'] });
    const listed = await admin.get<{ code: string; permissions: string[] }[]>('/api/roles');
    expect(listed.body.find((r) => r.code === 'inspector')?.permissions).toEqual(['nodes.read']);
    expect((await auditSince(mark)).map((r) => [r.action, r.entity_type, r.entity_id])).toEqual([
      ['access.denied', 'route', 'POST /api/roles'],
      ['access.denied', 'route', 'PATCH /api/roles/:id'],
      ['role.create', 'role', String(created.body.id)],
      ['role.update', 'role', String(created.body.id)],
    ]);
  });

  it('an unknown permission or a taken code is refused', async () => {
    const bad = await admin.post('/api/roles', {
      code: 'bad_perm',
      nameZh: '坏',
      nameEn: 'Bad',
      permissions: ['nodes.read', 'everything'],
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: { path: string }[] }).issues[0]!.path).toMatch(/^body\.permissions/);
    const taken = await admin.post('/api/roles', {
      code: 'grid_worker',
      nameZh: '重复',
      nameEn: 'Dup',
      permissions: [],
    });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({
      code: 'role.code_taken',
      issues: [expect.objectContaining({ path: 'body.code' })],
    });
  });

  it('a built-in role’s permissions cannot be changed (409), its name can', async () => {
    for (const code of ['system_admin', 'grid_worker']) {
      const mark = await lastAudit();
      const stored = async () =>
        (
          await db
            .selectFrom('roles')
            .select('permissions')
            .where('id', '=', role[code]!)
            .executeTakeFirstOrThrow()
        ).permissions;
      const before = await stored();
      const res = await admin.patch(`/api/roles/${role[code]!}`, { permissions: ['nodes.read'] });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'role.builtin_fixed' });
      expect(await auditSince(mark)).toEqual([]);
      expect(await stored()).toBe(before);
    }
    const renamed = await admin.patch(`/api/roles/${role.system_admin!}`, { nameEn: 'Administrator' });
    expect(renamed.status).toBe(200);
  });

  it('a role’s permission change takes effect on the next request of its holders', async () => {
    const custom = await admin.post<{ id: number }>('/api/roles', {
      code: 'grid_helper',
      nameZh: '网格助理',
      nameEn: 'Grid helper',
      permissions: ['nodes.read'],
    });
    expect(custom.status).toBe(201);
    await makeUser(db, 'gridhelper', [{ role: 'grid_helper', node: tree.grids[0]! }]);
    const helper = await t.login('gridhelper');
    expect((await helper.get('/api/users')).status).toBe(403);
    expect(
      (await admin.patch(`/api/roles/${custom.body.id}`, { permissions: ['nodes.read', 'users.read'] }))
        .status,
    ).toBe(200);
    const users = await helper.get<{ items: UserBody[] }>('/api/users?pageSize=200');
    expect(users.status).toBe(200);
    expect(users.body.items.length).toBeGreaterThan(0);
    for (const u of users.body.items)
      expect(u.assignments.some((a) => a.node.path.startsWith(tree.grids[0]!.path))).toBe(true);
    expect((await admin.patch(`/api/roles/${custom.body.id}`, { permissions: ['nodes.read'] })).status).toBe(
      200,
    );
    expect((await helper.get('/api/users')).status).toBe(403);
  });
});

describe('abilities in /api/auth/me', () => {
  it('roles.manage is an ability only where it reaches the tree root', async () => {
    const mine = async (c: Client) =>
      (await c.get<{ abilities: Record<string, boolean> }>('/api/auth/me')).body.abilities;
    const all = await mine(admin);
    // One entry per registered permission, true or false: the same shape as every record's abilities.
    expect(Object.keys(all).sort()).toEqual([...PERMISSION_CODES].sort());
    expect(all['roles.manage']).toBe(true);
    const town = await mine(townadmin);
    expect(town['users.manage']).toBe(true);
    expect(town['roles.manage']).toBe(false);
  });
});
