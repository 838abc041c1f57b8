// Route-matrix cases: notices.
import { expect } from 'vitest';
import { isWithin, withinAny } from '../routes.js';
import {
  db,
  holdsPermission,
  adminClient,
  districtNotice,
  seq,
  noticeWithHouseholdAt,
  noticeRow,
  noticeHouseholdsUnder,
  deliveryOf,
  deliveredTo,
  overlaps,
  items,
  byNumber,
  pathsOfIds,
  type Case,
  inEachState,
  noticeStates,
} from './driver.js';

export const noticesCases: Record<string, Case> = {
  // ------------------------------ notices
  // Views take command.read or notices.deliver scopes; the cast all hold command.read.
  'POST /api/notices': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/notices', { nodeId: n.id, title: `矩阵发布${++seq.notice}`, body: '矩阵' }),
      ],
      inside: async (res, { actor }, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const b = res.body as { id: number; node: { id: number }; households: number };
        expect(b.node.id).toBe(n.id);
        expect(withinAny((await noticeRow(b.id)).node_path, [actor.scope().path])).toBe(true);
        expect(b.households).toBe(await noticeHouseholdsUnder(b.id, n.path));
      },
      outside: async (res) => {
        expect(res.status).toBe(403);
        expect(
          await db
            .selectFrom('notices')
            .select('id')
            .where('title', '=', `矩阵发布${seq.notice}`)
            .executeTakeFirst(),
        ).toBeUndefined();
      },
    },
  },
  'GET /api/notices': {
    wholeCast: true,
    list: {
      call: async ({ c }) => {
        await districtNotice();
        return c.get('/api/notices?pageSize=200');
      },
      // Exactly the notices overlapping the scope, each with progress at a node inside the scope.
      check: async (res, { actor }) => {
        expect(res.status).toBe(200);
        const list = items(res) as { id: number; progress: { node: { id: number } } }[];
        const all = await db.selectFrom('notices').select(['id', 'node_path']).execute();
        const want = all.filter((n) => overlaps(n.node_path, actor.scope().path)).map((n) => n.id);
        expect(want.length).toBeGreaterThan(0);
        expect(list.map((i) => i.id).sort(byNumber)).toEqual(want.sort(byNumber));
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.progress.node.id)))
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
      },
    },
    node: {
      call: async ({ c }, n) => {
        await districtNotice();
        return [await c.get(`/api/notices?node=${n.id}&pageSize=200`)];
      },
      inside: async (res, _x, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { id: number; progress: { node: { id: number } } }[];
        const all = await db.selectFrom('notices').select(['id', 'node_path']).execute();
        expect(list.map((i) => i.id).sort(byNumber)).toEqual(
          all
            .filter((x) => overlaps(x.node_path, n.path))
            .map((x) => x.id)
            .sort(byNumber),
        );
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.progress.node.id)))
          expect(isWithin(p, n.path), p).toBe(true);
      },
    },
  },
  'GET /api/notices/:id': {
    states: async ({ c }, n) => {
      const s = await noticeStates(n);
      return inEachState({ undelivered: s.undelivered.noticeId, delivered: s.delivered.noticeId }, (id) =>
        c.get(`/api/notices/${id}`),
      );
    },
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [await c.get(`/api/notices/${await districtNotice()}?node=${n.id}`)],
      inside: async (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const b = res.body as {
          progress: { node: { id: number }; households: number };
          children: { node: { id: number } }[];
        };
        expect(b.progress.node.id).toBe(n.id);
        expect(b.progress.households).toBe(await noticeHouseholdsUnder(await districtNotice(), n.path));
        for (const ch of await db
          .selectFrom('nodes')
          .select(['id', 'parent_id'])
          .where('id', 'in', [0, ...b.children.map((x) => x.node.id)])
          .execute())
          expect(ch.parent_id).toBe(n.id);
      },
    },
  },
  'GET /api/notices/:id/households': {
    states: async ({ c }, n) => {
      const s = await noticeStates(n);
      return inEachState({ undelivered: s.undelivered.noticeId, delivered: s.delivered.noticeId }, (id) =>
        c.get(`/api/notices/${id}/households`),
      );
    },
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.get(`/api/notices/${await districtNotice()}/households?node=${n.id}&pageSize=200`),
      ],
      inside: async (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(isWithin(p, n.path), p).toBe(true);
        expect((res.body as { total: number }).total).toBe(
          await noticeHouseholdsUnder(await districtNotice(), n.path),
        );
      },
    },
  },
  'POST /api/notices/:id/deliveries': {
    // A household that got the notice and one that did not: a stranger learns neither.
    states: async ({ c }, n) =>
      inEachState(await noticeStates(n), (a) =>
        c.post(`/api/notices/${a.noticeId}/deliveries`, { householdIds: [a.householdId], method: 'door' }),
      ),
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const aim = await noticeWithHouseholdAt(n);
        const res = await c.post(`/api/notices/${aim.noticeId}/deliveries`, {
          householdIds: [aim.householdId],
          method: 'door',
        });
        deliveredTo.set(res, aim);
        return [res];
      },
      inside: async (res, { c }) => {
        const aim = deliveredTo.get(res)!;
        if (await holdsPermission(c, 'notices.deliver')) {
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(res.body).toEqual({ delivered: [aim.householdId], skipped: [] });
          expect(await deliveryOf(aim.noticeId, aim.householdId)).toBeDefined();
        } else {
          expect(res.status).toBe(403);
          expect(await deliveryOf(aim.noticeId, aim.householdId)).toBeUndefined();
        }
      },
      outside: async (res) => {
        const aim = deliveredTo.get(res)!;
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(await deliveryOf(aim.noticeId, aim.householdId)).toBeUndefined();
      },
    },
  },
  'DELETE /api/notices/:id/deliveries/:householdId': {
    // The case: undoing a delivery answered 404 when there was none and 403 when there was one.
    states: async ({ c }, n) =>
      inEachState(await noticeStates(n), (a) =>
        c.delete(`/api/notices/${a.noticeId}/deliveries/${a.householdId}`),
      ),
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const aim = await noticeWithHouseholdAt(n);
        const given = await adminClient.post(`/api/notices/${aim.noticeId}/deliveries`, {
          householdIds: [aim.householdId],
          method: 'door',
        });
        expect(given.status, JSON.stringify(given.body)).toBe(200);
        const res = await c.delete(`/api/notices/${aim.noticeId}/deliveries/${aim.householdId}`);
        deliveredTo.set(res, aim);
        return [res];
      },
      inside: async (res, { c }) => {
        const aim = deliveredTo.get(res)!;
        if (await holdsPermission(c, 'notices.deliver')) {
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(await deliveryOf(aim.noticeId, aim.householdId)).toBeUndefined();
        } else {
          expect(res.status).toBe(403);
          expect(await deliveryOf(aim.noticeId, aim.householdId)).toBeDefined();
        }
      },
      outside: async (res) => {
        const aim = deliveredTo.get(res)!;
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(await deliveryOf(aim.noticeId, aim.householdId)).toBeDefined();
      },
    },
  },
};
