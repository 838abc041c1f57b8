// Route-matrix cases: joint defence's passages, regions, risk rules and hand-offs. Records are placed
// by the admin (system_admin at the district) through the API: a checkpoint at the target node and a
// passage registered there, risky and bound for the node itself when a hand-off is wanted.
import { expect } from 'vitest';
import { type TreeNode } from '../factories.js';
import { adminClient, db, inEachState, items, ok, refused, type Case, type Res } from './driver.js';

let seq = 0;
const WINDOW = 'from=2020-01-01T00:00:00Z&to=2020-03-01T00:00:00Z';
const aims = new WeakMap<object, { checkpoint?: number; passage?: number; handoff?: number }>();
const aim = (res: Res, a: { checkpoint?: number; passage?: number; handoff?: number }) => {
  aims.set(res, a);
  return res;
};
const aimOf = (res: Res) => aims.get(res)!;

async function checkpointAt(n: TreeNode): Promise<number> {
  const res = await adminClient.post<{ id: number }>('/api/checkpoints', {
    name: `矩阵登记卡口${++seq}`,
    type: 'road',
    nodeId: n.id,
    staffPerShift: 1,
  });
  ok(res, 201);
  return res.body.id;
}
const passageBody = (checkpointId: number, n: TreeNode, risky: boolean) => ({
  checkpointId,
  direction: 'in',
  plate: '浙A12345',
  people: [{ name: '矩阵旅客' }],
  destinationNodeId: n.id,
  answers: { caseContact: risky },
});
const post = (c: typeof adminClient, body: object) =>
  c.request({
    method: 'POST',
    url: '/api/passages',
    headers: { 'idempotency-key': `matrix-${++seq}-${Date.now()}` },
    payload: body,
  });
/** A passage at a checkpoint at n; when risky, its traveller is handed off to n. */
async function passageAt(n: TreeNode, risky = false) {
  const checkpoint = await checkpointAt(n);
  const res = await post(adminClient, passageBody(checkpoint, n, risky));
  ok(res, 201);
  const body = res.body as { id: number; people: { handoffId: number | null }[] };
  return { checkpoint, passage: body.id, handoff: body.people[0]!.handoffId };
}
async function handoffStates(n: TreeNode) {
  const open = (await passageAt(n, true)).handoff!;
  const visited = (await passageAt(n, true)).handoff!;
  ok(await adminClient.post(`/api/handoffs/${visited}/steps`, { action: 'visit' }));
  return { open, visited };
}
async function commandStates(n: TreeNode) {
  const make = async () => {
    const res = await adminClient.post<{ id: number }>('/api/commands', {
      name: `矩阵风险指挥部${++seq}`,
      responseLevel: 'III',
      nodeId: n.id,
    });
    ok(res, 201);
    return res.body.id;
  };
  const open = await make();
  const closed = await make();
  ok(await adminClient.post(`/api/commands/${closed}/close`, { summary: '矩阵总结' }));
  return { open, closed };
}
const passagesUnder = async (path: string) =>
  Number(
    (
      await db
        .selectFrom('passages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('node_path', 'like', `${path}%`)
        .executeTakeFirstOrThrow()
    ).n,
  );
const handoffState = async (id: number) =>
  (await db.selectFrom('handoffs').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;

export const passagesCases: Record<string, Case> = {
  'POST /api/passages': {
    node: {
      call: async ({ c }, n) => {
        const checkpoint = await checkpointAt(n);
        return [aim(await post(c, passageBody(checkpoint, n, false)), { checkpoint })];
      },
      inside: (res) => {
        ok(res, 201);
        expect(res.body).toMatchObject({ checkpoint: { id: aimOf(res).checkpoint } });
      },
      outside: async (res) => {
        refused(res, 403);
        const row = await db
          .selectFrom('passages')
          .select('id')
          .where('checkpoint_id', '=', aimOf(res).checkpoint!)
          .executeTakeFirst();
        expect(row).toBeUndefined();
      },
    },
  },
  'GET /api/passages': {
    node: {
      call: async ({ c }, n) => {
        await passageAt(n);
        return [await c.get(`/api/passages?node=${n.id}&pageSize=1`)];
      },
      inside: async (res, _x, n) => {
        ok(res);
        expect((res.body as { total: number }).total).toBe(await passagesUnder(n.path));
        expect(items(res).length).toBe(1);
      },
    },
    list: {
      call: async ({ actor, c }) => {
        await passageAt(actor.scope());
        return c.get('/api/passages?pageSize=1');
      },
      check: async (res, { actor }) => {
        ok(res);
        expect((res.body as { total: number }).total).toBe(await passagesUnder(actor.scope().path));
      },
    },
  },
  'GET /api/passages/:id': {
    // A passage with a risky traveller handed off, and a plain one.
    states: async ({ c }, n) =>
      inEachState({ plain: (await passageAt(n)).passage, risky: (await passageAt(n, true)).passage }, (id) =>
        c.get(`/api/passages/${id}`),
      ),
    node: {
      call: async ({ c }, n) => {
        const { passage } = await passageAt(n);
        return [aim(await c.get(`/api/passages/${passage}`), { passage })];
      },
      inside: (res) => {
        ok(res);
        expect(res.body).toMatchObject({ id: aimOf(res).passage });
      },
    },
  },
  'GET /api/passages/recall': {
    unscoped:
      'looks up a plate or an ID number among the passages of the checkpoints in the caller’s passages.register scope only (SQL)',
  },
  'GET /api/passages/stats': {
    node: {
      call: async ({ c }, n) => [await c.get(`/api/passages/stats?node=${n.id}&${WINDOW}`)],
      inside: (res) => {
        ok(res);
        expect(res.body).toMatchObject({ total: 0, risky: 0 });
      },
    },
  },
  'GET /api/passages/outbound-risk': {
    unscoped:
      'aimed at a command; the risky travellers counted are those of passages in the caller’s passages.read scope only (SQL)',
  },
  'GET /api/passages/export.xlsx': {
    node: {
      call: async ({ c }, n) => [await c.get(`/api/passages/export.xlsx?node=${n.id}&${WINDOW}`)],
      inside: (res) => {
        ok(res);
        expect(String(res.headers['content-type'])).toMatch(/spreadsheetml/);
      },
    },
  },
  'GET /api/regions': { unscoped: 'China’s administrative divisions: reference data, the same for everyone' },
  'GET /api/commands/:id/risk-rules': {
    states: async ({ c }, n) =>
      inEachState(await commandStates(n), (id) => c.get(`/api/commands/${id}/risk-rules`)),
  },
  'PUT /api/commands/:id/risk-rules': {
    states: async ({ c }, n) =>
      inEachState(await commandStates(n), (id) =>
        c.put(`/api/commands/${id}/risk-rules`, { keyRegions: ['420100'] }),
      ),
  },
  'GET /api/handoffs/tasks': {
    unscoped: 'the caller’s own open hand-offs: those to places in their handoffs.handle scope (SQL)',
  },
  'GET /api/handoffs': {
    node: {
      call: async ({ c }, n) => {
        const { handoff } = await passageAt(n, true);
        return [aim(await c.get(`/api/handoffs?node=${n.id}&pageSize=100`), { handoff: handoff! })];
      },
      inside: (res) => {
        ok(res);
        expect((items(res) as { id: number }[]).map((h) => h.id)).toContain(aimOf(res).handoff);
      },
    },
  },
  'POST /api/handoffs/:id/steps': {
    states: async ({ c }, n) =>
      inEachState(await handoffStates(n), (id) => c.post(`/api/handoffs/${id}/steps`, { action: 'close' })),
    node: {
      call: async ({ c }, n) => {
        const { handoff } = await passageAt(n, true);
        return [
          aim(await c.post(`/api/handoffs/${handoff}/steps`, { action: 'visit' }), { handoff: handoff! }),
        ];
      },
      inside: async (res) => {
        ok(res);
        expect(await handoffState(aimOf(res).handoff!)).toBe('visited');
      },
      outside: async (res) => {
        refused(res, 403);
        expect(await handoffState(aimOf(res).handoff!)).toBe('open');
      },
    },
  },
};
