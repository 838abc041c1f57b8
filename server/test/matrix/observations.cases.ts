// Route-matrix cases: home observation. Orders are placed by the admin (system_admin at the
// district) through the API, for a person in a grid at or under the target node, starting today.
import { expect } from 'vitest';
import { type TreeNode } from '../factories.js';
import {
  adminClient,
  db,
  inEachState,
  items,
  ok,
  pathsOfIds,
  personAt,
  shanghaiToday,
  type Case,
  type Res,
} from './driver.js';

const aims = new WeakMap<object, { order?: number; person?: number }>();
const aim = (res: Res, a: { order?: number; person?: number }) => {
  aims.set(res, a);
  return res;
};
const aimOf = (res: Res) => aims.get(res)!;
const body = (personId: number) => ({ personId, startDate: shanghaiToday(), days: 14, reason: '密切接触者' });

async function orderAt(n: TreeNode): Promise<number> {
  const res = await adminClient.post<{ id: number }>('/api/observations', body(await personAt(n)));
  ok(res, 201);
  return res.body.id;
}
/** An order in observation and one transferred, at n. */
async function orderStates(n: TreeNode) {
  const active = await orderAt(n);
  const transferred = await orderAt(n);
  ok(
    await adminClient.post(`/api/observations/${transferred}/steps`, { action: 'transfer', to: 'hospital' }),
  );
  return { active, transferred };
}
/** Two orders whose person was seen unwell today: one alert open, one handled. */
async function unwellStates(n: TreeNode) {
  const unwell = async () => {
    const id = await orderAt(n);
    ok(await adminClient.put(`/api/observations/${id}/follow-ups/${shanghaiToday()}`, { outcome: 'unwell' }));
    return id;
  };
  const open = await unwell();
  const handled = await unwell();
  ok(await adminClient.post(`/api/observations/${handled}/follow-ups/${shanghaiToday()}/handled`, {}));
  return { open, handled };
}
const handledAt = async (order: number) =>
  (
    await db
      .selectFrom('observation_follow_ups')
      .select('handled_at')
      .where('order_id', '=', order)
      .where('date', '=', shanghaiToday())
      .executeTakeFirstOrThrow()
  ).handled_at;
const ordersOf = async (personId: number) =>
  db.selectFrom('observation_orders').select('id').where('person_id', '=', personId).execute();
const followUpStatus = async (order: number) =>
  (
    await db
      .selectFrom('observation_follow_ups')
      .select('status')
      .where('order_id', '=', order)
      .where('date', '=', shanghaiToday())
      .executeTakeFirstOrThrow()
  ).status;
const endDate = async (order: number) =>
  (
    await db
      .selectFrom('observation_orders')
      .select('end_date')
      .where('id', '=', order)
      .executeTakeFirstOrThrow()
  ).end_date;

export const observationsCases: Record<string, Case> = {
  'GET /api/observations': {
    list: {
      call: async ({ c, actor }) => {
        await orderAt(actor.scope());
        return c.get('/api/observations?pageSize=200');
      },
      check: async (res, { actor }) => {
        ok(res);
        const list = items(res) as { node: { id: number } }[];
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(p.startsWith(actor.scope().path), p).toBe(true);
      },
    },
    node: {
      call: async ({ c }, n) => {
        const order = await orderAt(n);
        return [aim(await c.get(`/api/observations?node=${n.id}&pageSize=200`), { order })];
      },
      inside: async (res, _x, n) => {
        ok(res);
        const list = items(res) as { id: number; node: { id: number } }[];
        expect(list.map((o) => o.id)).toContain(aimOf(res).order);
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(p.startsWith(n.path), p).toBe(true);
      },
    },
  },
  'POST /api/observations': {
    node: {
      call: async ({ c }, n) => {
        const person = await personAt(n);
        return [aim(await c.post('/api/observations', body(person)), { person })];
      },
      inside: async (res) => {
        ok(res, 201);
        expect(await ordersOf(aimOf(res).person!)).toHaveLength(1);
      },
      outside: async (res) => {
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(await ordersOf(aimOf(res).person!)).toEqual([]);
      },
    },
  },
  'GET /api/observations/tasks': {
    unscoped:
      'the caller’s own follow-ups due: those of orders in places where they read and follow up, or naming them carer (SQL)',
  },
  'GET /api/observations/carers': {
    node: {
      call: async ({ c }, n) => [await c.get(`/api/observations/carers?personId=${await personAt(n)}`)],
      inside: (res) => {
        ok(res);
        expect(Array.isArray(items(res))).toBe(true);
      },
    },
  },
  'GET /api/observations/stats': {
    node: {
      call: async ({ c }, n) => [await c.get(`/api/observations/stats?node=${n.id}`)],
      inside: (res, _x, n) => {
        ok(res);
        expect((res.body as { node: { id: number } }).node.id).toBe(n.id);
      },
    },
  },
  'GET /api/observations/:id': {
    states: async ({ c }, n) => inEachState(await orderStates(n), (id) => c.get(`/api/observations/${id}`)),
    node: {
      call: async ({ c }, n) => {
        const order = await orderAt(n);
        return [aim(await c.get(`/api/observations/${order}`), { order })];
      },
      inside: (res) => {
        ok(res);
        expect((res.body as { id: number }).id).toBe(aimOf(res).order);
      },
    },
  },
  'PUT /api/observations/:id/follow-ups/:date': {
    states: async ({ c }, n) =>
      inEachState(await orderStates(n), (id) =>
        c.put(`/api/observations/${id}/follow-ups/${shanghaiToday()}`, { outcome: 'well' }),
      ),
    node: {
      call: async ({ c }, n) => {
        const order = await orderAt(n);
        return [
          aim(await c.put(`/api/observations/${order}/follow-ups/${shanghaiToday()}`, { outcome: 'well' }), {
            order,
          }),
        ];
      },
      inside: async (res) => {
        ok(res);
        expect(await followUpStatus(aimOf(res).order!)).toBe('well');
      },
      outside: async (res) => {
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(await followUpStatus(aimOf(res).order!)).toBe('due');
      },
    },
  },
  'POST /api/observations/:id/follow-ups/:date/handled': {
    states: async ({ c }, n) =>
      inEachState(await unwellStates(n), (id) =>
        c.post(`/api/observations/${id}/follow-ups/${shanghaiToday()}/handled`, {}),
      ),
    node: {
      call: async ({ c }, n) => {
        const { open } = await unwellStates(n);
        return [
          aim(await c.post(`/api/observations/${open}/follow-ups/${shanghaiToday()}/handled`, {}), {
            order: open,
          }),
        ];
      },
      inside: async (res) => {
        ok(res);
        expect(await handledAt(aimOf(res).order!)).not.toBeNull();
      },
      outside: async (res) => {
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(await handledAt(aimOf(res).order!)).toBeNull();
      },
    },
  },
  'POST /api/observations/:id/steps': {
    states: async ({ c }, n) =>
      inEachState(await orderStates(n), (id) =>
        c.post(`/api/observations/${id}/steps`, { action: 'extend', days: 1, reason: '延期' }),
      ),
    node: {
      call: async ({ c }, n) => {
        const order = await orderAt(n);
        return [
          aim(
            await c.post(`/api/observations/${order}/steps`, { action: 'extend', days: 1, reason: '延期' }),
            {
              order,
            },
          ),
        ];
      },
      inside: async (res) => {
        ok(res);
        expect((res.body as { endDate: string }).endDate).toBe(await endDate(aimOf(res).order!));
        expect((res.body as { days: number }).days).toBe(15);
      },
      outside: async (res) => {
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(
          (
            await db
              .selectFrom('observation_orders')
              .select('days')
              .where('id', '=', aimOf(res).order!)
              .executeTakeFirstOrThrow()
          ).days,
        ).toBe(14);
      },
    },
  },
};
