// Route-matrix cases: accounts.
import { expect } from 'vitest';
import { roleIdOf, withinAny } from '../routes.js';
import { t, db, seq, probeUser, items, type Case, inEachState, userStates, adminClient } from './driver.js';

export const accountsCases: Record<string, Case> = {
  // ------------------------------ accounts
  'POST /api/auth/login': { unscoped: 'public sign-in' },
  'POST /api/auth/logout': { unscoped: 'public sign-out of the caller’s own session' },
  'GET /api/auth/me': { unscoped: 'the caller themself' },
  'POST /api/auth/password': { unscoped: 'the caller’s own password' },
  'POST /api/auth/totp/setup': { unscoped: 'the caller’s own second factor' },
  'POST /api/auth/totp/enable': { unscoped: 'the caller’s own second factor' },
  'POST /api/auth/totp/disable': { unscoped: 'the caller’s own second factor' },
  'GET /api/auth/api-keys': { unscoped: 'the caller’s own API keys' },
  'POST /api/auth/api-keys': { unscoped: 'the caller’s own API keys' },
  'GET /api/login-throttles': {
    unscoped: 'sign-in throttles belong to no node; only a district-root administrator lists them',
    check: async ({ c }) => expect((await c.get('/api/login-throttles')).status).toBe(403),
  },
  'DELETE /api/login-throttles/:id': {
    unscoped: 'sign-in throttles belong to no node; only a district-root administrator lifts them',
    stateless: 'sign-in throttles belong to no node; every caller below the tree root gets 403',
    check: async ({ c }) => expect((await c.delete('/api/login-throttles/1')).status).toBe(403),
  },
  'DELETE /api/auth/api-keys/:id': {
    // Keys are their owner's: someone else's answers 404 whether it is live or revoked.
    states: async ({ c }) => {
      const made = async () =>
        (await adminClient.post<{ id: number }>('/api/auth/api-keys', { name: `matrix ${++seq.probe}` })).body
          .id;
      const live = await made();
      const revoked = await made();
      expect((await adminClient.delete(`/api/auth/api-keys/${revoked}`)).status).toBe(200);
      return inEachState({ live, revoked }, (id) => c.delete(`/api/auth/api-keys/${id}`));
    },
    unscoped: 'the caller’s own API keys',
    check: async ({ c }) => {
      // Someone else's key is not found, and stays live.
      const other = await t.login('admin');
      const key = await other.post<{ id: number; key: string }>('/api/auth/api-keys', { name: 'not yours' });
      expect((await c.delete(`/api/auth/api-keys/${key.body.id}`)).status).toBe(404);
      expect((await t.withApiKey(key.body.key).get('/api/auth/me')).status).toBe(200);
    },
  },
  'GET /api/users': {
    list: {
      call: ({ c }) => c.get('/api/users?pageSize=200'),
      check: (res, { actor }) => {
        if (actor.name === 'gridworker') return expect(res.status).toBe(403);
        expect(res.status).toBe(200);
        const list = items(res) as { username: string; assignments: { node: { path: string } }[] }[];
        expect(list.length).toBeGreaterThan(0);
        for (const u of list)
          expect(
            u.assignments.some((a) => withinAny(a.node.path, [actor.scope().path])),
            u.username,
          ).toBe(true);
      },
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/users?node=${n.id}&pageSize=200`)],
      inside: async (res, _x, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { id: number; assignments: { node: { path: string } }[] }[];
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const u of list) expect(u.assignments.some((a) => a.node.path.startsWith(n.path))).toBe(true);
        const expected = await db
          .selectFrom('role_assignments as a')
          .innerJoin('nodes as nd', 'nd.id', 'a.node_id')
          .select('a.user_id')
          .distinct()
          .where('nd.path', 'like', `${n.path}%`)
          .execute();
        expect(list.map((u) => u.id).sort((a, b) => a - b)).toEqual(
          expected
            .map((e) => e.user_id)
            .sort((a, b) => a - b)
            .slice(0, 200),
        );
      },
    },
  },
  'GET /api/users/:id': {
    states: async ({ c }, n) => inEachState(await userStates(n), (u) => c.get(`/api/users/${u.id}`)),
    node: {
      call: async ({ c }, n) => [await c.get(`/api/users/${(await probeUser(n)).id}`)],
      inside: (res, _x, n) => {
        expect(res.status).toBe(200);
        expect(
          (res.body as { assignments: { node: { id: number } }[] }).assignments.map((a) => a.node.id),
        ).toEqual([n.id]);
      },
    },
  },
  'POST /api/users': {
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/users', {
          username: `made${++seq.probe}`,
          displayName: 'matrix',
          password: 'long-enough-password',
          assignments: [{ roleId: await roleIdOf(db, 'village_cadre'), nodeId: n.id }],
        }),
      ],
      inside: (res, _x, n) => {
        expect(res.status).toBe(201);
        expect((res.body as { assignments: { node: { id: number } }[] }).assignments[0]!.node.id).toBe(n.id);
      },
    },
  },
  'PATCH /api/users/:id': {
    states: async ({ c }, n) =>
      inEachState(await userStates(n), (u) =>
        c.patch(`/api/users/${u.id}`, { displayName: 'renamed by matrix' }),
      ),
    node: {
      call: async ({ c }, n) => [
        await c.patch(`/api/users/${(await probeUser(n)).id}`, { displayName: 'renamed by matrix' }),
      ],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { displayName: string }).displayName).toBe('renamed by matrix');
      },
    },
  },
  'POST /api/users/:id/password': {
    states: async ({ c }, n) =>
      inEachState(await userStates(n), (u) =>
        c.post(`/api/users/${u.id}/password`, { newPassword: 'matrix-new-password-1' }),
      ),
    node: {
      call: async ({ c }, n) => [
        await c.post(`/api/users/${(await probeUser(n)).id}/password`, {
          newPassword: 'another-long-password',
        }),
      ],
      inside: (res) => expect(res.status).toBe(200),
    },
  },
  'POST /api/users/:id/assignments': {
    states: async ({ c, actor }, n) => {
      const roleId = await roleIdOf(db, 'volunteer');
      return inEachState(await userStates(n), (u) =>
        c.post(`/api/users/${u.id}/assignments`, { roleId, nodeId: actor.scope().id }),
      );
    },
    node: {
      call: async ({ c, actor }, n, where) => {
        const roleId = await roleIdOf(db, 'volunteer');
        const out = [
          await c.post(`/api/users/${(await probeUser(n)).id}/assignments`, { roleId, nodeId: n.id }),
        ];
        // Outside: also grant one of the caller's own users a role at the foreign node.
        if (where === 'outside')
          out.push(
            await c.post(`/api/users/${(await probeUser(actor.scope())).id}/assignments`, {
              roleId,
              nodeId: n.id,
            }),
          );
        return out;
      },
      inside: (res) => {
        expect(res.status).toBe(201);
        expect((res.body as { assignments: unknown[] }).assignments).toHaveLength(2);
      },
    },
  },
  'DELETE /api/users/:id/assignments/:assignmentId': {
    // The user's own assignment, a disabled user's, and one that belongs to someone else.
    states: async ({ c }, n) => {
      const { active, disabled } = await userStates(n);
      return inEachState(
        {
          own: [active.id, active.assignmentId],
          disabled: [disabled.id, disabled.assignmentId],
          foreign: [active.id, disabled.assignmentId],
        },
        ([u, a]) => c.delete(`/api/users/${u}/assignments/${a}`),
      );
    },
    node: {
      call: async ({ c }, n) => {
        const p = await probeUser(n);
        // A second assignment keeps the probe visible after the first is removed.
        await db
          .insertInto('role_assignments')
          .values({
            user_id: p.id,
            role_id: await roleIdOf(db, 'volunteer'),
            node_id: n.id,
            created_at: new Date().toISOString(),
          })
          .execute();
        return [await c.delete(`/api/users/${p.id}/assignments/${p.assignmentId}`)];
      },
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { assignments: unknown[] }).assignments).toHaveLength(1);
      },
    },
  },
  'GET /api/roles': { unscoped: 'roles are district-wide definitions' },
  'GET /api/permissions': { unscoped: 'the static permissions registry' },
  'POST /api/roles': {
    unscoped: 'roles are district-wide; only a district-root administrator edits them',
    check: async ({ c }) => {
      expect(
        (
          await c.post('/api/roles', {
            code: `r${++seq.probe}`,
            nameZh: '角色',
            nameEn: 'Role',
            permissions: ['nodes.read'],
          })
        ).status,
      ).toBe(403);
    },
  },
  'PATCH /api/roles/:id': {
    stateless: 'roles are district-wide; only a district-root administrator edits them',
    unscoped: 'roles are district-wide; only a district-root administrator edits them',
    check: async ({ c }) => {
      expect(
        (await c.patch(`/api/roles/${await roleIdOf(db, 'grid_worker')}`, { nameEn: 'Hijacked' })).status,
      ).toBe(403);
    },
  },
};
