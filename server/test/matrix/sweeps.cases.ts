// Route-matrix cases: screening sweeps. Each call places a sweep over the target node (by the admin,
// under a command at the district) with a floating resident in a grid at or under it; a sweep over a
// node above the caller's place covers them too, so reading it is theirs (its figures at their place).
import { expect } from 'vitest';
import { makeCommand, makeUser, type TreeNode } from '../factories.js';
import { insertPerson, isWithin, multipart, nthIdNumber, toCsv } from '../routes.js';
import { XLSX_MIME } from '../../platform/tabular.js';
import {
  adminClient,
  db,
  gridAt,
  inEachState,
  items,
  ok,
  pathsOfIds,
  refused,
  seq,
  tree,
  type Actor,
  type Case,
  type Res,
} from './driver.js';

const calm = { returned_key_area: false, close_contact: false, temperature: 36.5, symptoms: [] };
/** A sweep over a node above the caller's place covers them: they read it, at their place. */
const covers = (a: Actor, n: TreeNode) => isWithin(a.scope().path, n.path);

let placed: Promise<{ command: number; questionnaire: number; helper: number }> | undefined;
/** The matrix's command, the shipped questionnaire and a seconded cadre at the district, made once. */
function base() {
  return (placed ??= (async () => {
    const command = await makeCommand(db, tree.district, new Date().toISOString(), '矩阵摸排指挥部');
    const q = await db
      .selectFrom('questionnaires')
      .select('id')
      .where('code', '=', 'epidemic_screening')
      .orderBy('version')
      .executeTakeFirstOrThrow();
    const helper = await makeUser(db, 'matrixseconded', [{ role: 'seconded_cadre', node: tree.district }]);
    return { command, questionnaire: q.id, helper };
  })());
}
interface Placed {
  id: number;
  grid: TreeNode;
  target: number;
}
const aims = new WeakMap<object, Placed>();
const aim = (res: Res, p: Placed) => {
  aims.set(res, p);
  return res;
};
const aimOf = (res: Res) => aims.get(res)!;

async function floatingAt(grid: TreeNode) {
  const k = ++seq.person;
  return insertPerson(db, grid, {
    name: `摸排矩阵${k}`,
    idNumber: nthIdNumber(k, '330110'),
    residenceType: 'floating',
  });
}
/** A sweep over n by the admin, with a floating resident on a grid's list at or under n. */
async function sweepAt(n: TreeNode): Promise<Placed> {
  const { command, questionnaire } = await base();
  const grid = await gridAt(n);
  const person = await floatingAt(grid);
  const res = await adminClient.post<{ id: number }>('/api/sweeps', {
    name: `矩阵摸排${++seq.probe}`,
    commandId: command,
    questionnaireId: questionnaire,
    nodeId: n.id,
    population: { kind: 'floating' },
    deadline: '2031-12-31',
  });
  ok(res, 201);
  const t = await db
    .selectFrom('sweep_targets')
    .select('id')
    .where('sweep_id', '=', res.body.id)
    .where('person_id', '=', person)
    .executeTakeFirstOrThrow();
  return { id: res.body.id, grid, target: t.id };
}
/** A sweep over n open, and one closed. */
async function sweepStates(n: TreeNode) {
  const open = await sweepAt(n);
  const closed = await sweepAt(n);
  ok(await adminClient.post(`/api/sweeps/${closed.id}/close`, {}));
  return { open, closed };
}
const targetRow = (id: number) =>
  db.selectFrom('sweep_targets').select(['status', 'visits']).where('id', '=', id).executeTakeFirstOrThrow();
const sweepStatus = async (id: number) =>
  (await db.selectFrom('sweeps').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const pairs = (sweep: number, grid: TreeNode) =>
  db
    .selectFrom('sweep_helpers')
    .select('user_id')
    .where('sweep_id', '=', sweep)
    .where('node_id', '=', grid.id)
    .execute();
/** The targets a sweep had before a found call (counted after it, less the one it added). */
const found = new WeakMap<object, number>();
const targetsOf = (sweep: number) =>
  db.selectFrom('sweep_targets').select('id').where('sweep_id', '=', sweep).execute();

/** A node case on a sweep placed at the target: `call` aims the route at it. */
const onSweep = (
  call: (c: Parameters<NonNullable<Case['node']>['call']>[0]['c'], p: Placed, n: TreeNode) => Promise<Res>,
  inside: (res: Res, p: Placed, n: TreeNode) => Promise<void> | void,
  outside?: (res: Res, p: Placed, n: TreeNode, a: Actor) => Promise<void> | void,
): NonNullable<Case['node']> => ({
  call: async ({ c }, n) => {
    const p = await sweepAt(n);
    return [aim(await call(c, p, n), p)];
  },
  inside: (res, _x, n) => inside(res, aimOf(res), n),
  outside: (res, { actor }, n) => (outside ? outside(res, aimOf(res), n, actor) : refused(res)),
});

export const sweepsCases: Record<string, Case> = {
  'GET /api/questionnaires': {
    unscoped: 'questionnaires are district-wide lists, placed nowhere in the tree',
  },
  'GET /api/questionnaires/:id': {
    unscoped: 'questionnaires are district-wide lists, placed nowhere in the tree',
    stateless: 'a questionnaire version is a district-wide list, placed nowhere in the tree',
  },
  'POST /api/questionnaires': {
    unscoped: 'questionnaires are district-wide; only those who manage sweeps at the tree root publish them',
    check: async ({ c }) => {
      const res = await c.post('/api/questionnaires', {
        code: 'matrix_q',
        title: { zh: '矩阵问卷', en: 'Matrix' },
        definition: { questions: [{ key: 'ok', type: 'yes_no', label: { zh: '好', en: 'OK' } }] },
      });
      refused(res);
      expect(
        await db.selectFrom('questionnaires').select('id').where('code', '=', 'matrix_q').execute(),
      ).toEqual([]);
    },
  },
  'GET /api/sweeps': {
    list: {
      call: async ({ c, actor }) => {
        await sweepAt(actor.scope());
        return c.get('/api/sweeps');
      },
      check: async (res, { actor }) => {
        ok(res);
        const list = items(res) as { node: { id: number } }[];
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        // Over, within or above the caller's place.
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(isWithin(p, actor.scope().path) || isWithin(actor.scope().path, p), p).toBe(true);
      },
    },
  },
  'POST /api/sweeps': {
    node: {
      call: async ({ c }, n) => {
        const { command, questionnaire } = await base();
        const grid = await gridAt(n);
        await floatingAt(grid);
        return [
          await c.post('/api/sweeps', {
            name: `矩阵发起${++seq.probe}`,
            commandId: command,
            questionnaireId: questionnaire,
            nodeId: n.id,
            population: { kind: 'floating' },
            deadline: '2031-12-31',
          }),
        ];
      },
      inside: async (res, _x, n) => {
        ok(res, 201);
        expect((res.body as { node: { id: number } }).node.id).toBe(n.id);
        expect((await targetsOf((res.body as { id: number }).id)).length).toBeGreaterThan(0);
      },
    },
  },
  'POST /api/sweeps/import': {
    node: {
      call: async ({ c }, n) => {
        const { command, questionnaire } = await base();
        const k = ++seq.person;
        const idNumber = nthIdNumber(k, '330110');
        await insertPerson(db, await gridAt(n), {
          name: `名单矩阵${k}`,
          idNumber,
          residenceType: 'registered',
        });
        const body = multipart([
          { name: 'name', data: `矩阵名单${++seq.probe}` },
          { name: 'commandId', data: String(command) },
          { name: 'questionnaireId', data: String(questionnaire) },
          { name: 'nodeId', data: String(n.id) },
          { name: 'deadline', data: '2031-12-31' },
          {
            name: 'file',
            filename: 'm.csv',
            contentType: 'text/csv',
            data: toCsv([['身份证号'], [idNumber]]),
          },
        ]);
        return [await c.request({ method: 'POST', url: '/api/sweeps/import', ...body })];
      },
      inside: (res, _x, n) => {
        ok(res, 201);
        const b = res.body as { sweep: { node: { id: number }; targets: number }; matched: number };
        expect(b.sweep.node.id).toBe(n.id);
        expect(b.matched).toBe(1);
      },
    },
  },
  'GET /api/sweeps/:id': {
    states: async ({ c }, n) => inEachState(await sweepStates(n), (p) => c.get(`/api/sweeps/${p.id}`)),
    node: onSweep(
      (c, p) => c.get(`/api/sweeps/${p.id}`),
      (res, p) => {
        ok(res);
        expect((res.body as { id: number }).id).toBe(p.id);
      },
      (res, p, n, a) => {
        if (!covers(a, n)) return refused(res);
        ok(res);
        expect((res.body as { id: number }).id).toBe(p.id);
      },
    ),
  },
  'POST /api/sweeps/:id/close': {
    states: async ({ c }, n) =>
      inEachState(await sweepStates(n), (p) => c.post(`/api/sweeps/${p.id}/close`, {})),
    node: onSweep(
      (c, p) => c.post(`/api/sweeps/${p.id}/close`, {}),
      async (res, p) => {
        ok(res);
        expect(await sweepStatus(p.id)).toBe('closed');
      },
      async (res, p) => {
        refused(res);
        expect(await sweepStatus(p.id)).toBe('open');
      },
    ),
  },
  'GET /api/sweeps/:id/progress': {
    states: async ({ c }, n) =>
      inEachState(await sweepStates(n), (p) => c.get(`/api/sweeps/${p.id}/progress?node=${n.id}`)),
    node: onSweep(
      (c, p, n) => c.get(`/api/sweeps/${p.id}/progress?node=${n.id}`),
      (res, _p, n) => {
        ok(res);
        const b = res.body as { nodeId: number; targets: number };
        expect(b.nodeId).toBe(n.id);
        expect(b.targets).toBeGreaterThan(0);
      },
    ),
  },
  'GET /api/sweeps/:id/list': {
    states: async ({ c }, n) =>
      inEachState(await sweepStates(n), (p) => c.get(`/api/sweeps/${p.id}/list?node=${p.grid.id}`)),
    node: onSweep(
      (c, p) => c.get(`/api/sweeps/${p.id}/list?node=${p.grid.id}`),
      (res, p) => {
        ok(res);
        const b = res.body as { node: { id: number }; households: { targets: { id: number }[] }[] };
        expect(b.node.id).toBe(p.grid.id);
        expect(b.households.flatMap((h) => h.targets).map((x) => x.id)).toContain(p.target);
      },
    ),
  },
  'POST /api/sweeps/:id/targets/:targetId/visit': {
    states: async ({ c }, n) =>
      inEachState(await sweepStates(n), (p) =>
        c.post(`/api/sweeps/${p.id}/targets/${p.target}/visit`, { outcome: 'answered', answers: calm }),
      ),
    node: onSweep(
      (c, p) =>
        c.post(`/api/sweeps/${p.id}/targets/${p.target}/visit`, { outcome: 'answered', answers: calm }),
      async (res, p) => {
        ok(res);
        expect(await targetRow(p.target)).toEqual({ status: 'answered', visits: 1 });
      },
      async (res, p) => {
        refused(res);
        expect(await targetRow(p.target)).toEqual({ status: 'pending', visits: 0 });
      },
    ),
  },
  'POST /api/sweeps/:id/found': {
    states: async ({ c }, n) =>
      inEachState(await sweepStates(n), (p) =>
        c.post(`/api/sweeps/${p.id}/found`, {
          gridId: p.grid.id,
          name: '矩阵现场',
          idNumber: nthIdNumber(++seq.person, '330110'),
        }),
      ),
    node: onSweep(
      async (c, p) => {
        const res = await c.post(`/api/sweeps/${p.id}/found`, {
          gridId: p.grid.id,
          name: '矩阵现场',
          idNumber: nthIdNumber(++seq.person, '330110'),
        });
        found.set(res, (await targetsOf(p.id)).length - (res.status === 201 ? 1 : 0));
        return res;
      },
      async (res, p) => {
        ok(res, 201);
        expect((res.body as { registered: boolean }).registered).toBe(true);
        expect(await targetsOf(p.id)).toHaveLength(found.get(res)! + 1);
      },
      async (res, p) => {
        refused(res);
        expect(await targetsOf(p.id)).toHaveLength(found.get(res)!);
        expect(
          await db
            .selectFrom('persons')
            .select('id')
            .where('name', '=', '矩阵现场')
            .where('node_path', '=', p.grid.path)
            .execute(),
        ).toEqual([]);
      },
    ),
  },
  'GET /api/sweeps/:id/pairings': {
    states: async ({ c }, n) =>
      inEachState(await sweepStates(n), (p) => c.get(`/api/sweeps/${p.id}/pairings?node=${n.id}`)),
    node: onSweep(
      async (c, p, n) => {
        const { helper } = await base();
        ok(
          await adminClient.post(`/api/sweeps/${p.id}/pairings`, { gridId: p.grid.id, userId: helper }),
          201,
        );
        return c.get(`/api/sweeps/${p.id}/pairings?node=${n.id}`);
      },
      (res, p) => {
        ok(res);
        expect((items(res) as { grid: { id: number } }[]).map((i) => i.grid.id)).toEqual([p.grid.id]);
      },
    ),
  },
  'POST /api/sweeps/:id/pairings': {
    states: async ({ c }, n) => {
      const { helper } = await base();
      return inEachState(await sweepStates(n), (p) =>
        c.post(`/api/sweeps/${p.id}/pairings`, { gridId: p.grid.id, userId: helper }),
      );
    },
    node: onSweep(
      async (c, p) =>
        c.post(`/api/sweeps/${p.id}/pairings`, { gridId: p.grid.id, userId: (await base()).helper }),
      async (res, p) => {
        ok(res, 201);
        expect(await pairs(p.id, p.grid)).toHaveLength(1);
      },
      async (res, p) => {
        refused(res);
        expect(await pairs(p.id, p.grid)).toEqual([]);
      },
    ),
  },
  'DELETE /api/sweeps/:id/pairings/:gridId/:userId': {
    states: async ({ c }, n) => {
      const { helper } = await base();
      const s = await sweepStates(n);
      return inEachState(s, (p) => c.delete(`/api/sweeps/${p.id}/pairings/${p.grid.id}/${helper}`));
    },
    node: onSweep(
      async (c, p) => {
        const { helper } = await base();
        ok(
          await adminClient.post(`/api/sweeps/${p.id}/pairings`, { gridId: p.grid.id, userId: helper }),
          201,
        );
        return c.delete(`/api/sweeps/${p.id}/pairings/${p.grid.id}/${helper}`);
      },
      async (res, p) => {
        ok(res);
        expect(await pairs(p.id, p.grid)).toEqual([]);
      },
      async (res, p) => {
        refused(res);
        expect(await pairs(p.id, p.grid)).toHaveLength(1);
      },
    ),
  },
  'GET /api/sweeps/:id/helpers': {
    states: async ({ c }, n) =>
      inEachState(await sweepStates(n), (p) => c.get(`/api/sweeps/${p.id}/helpers?gridId=${p.grid.id}`)),
    node: onSweep(
      (c, p) => c.get(`/api/sweeps/${p.id}/helpers?gridId=${p.grid.id}`),
      async (res) => {
        ok(res);
        expect((items(res) as { userId: number }[]).map((i) => i.userId)).toContain((await base()).helper);
      },
    ),
  },
  'POST /api/sweeps/:id/export': {
    states: async ({ c }, n) =>
      inEachState(await sweepStates(n), (p) => c.post(`/api/sweeps/${p.id}/export`, { node: n.id })),
    node: onSweep(
      (c, p, n) => c.post(`/api/sweeps/${p.id}/export`, { node: n.id }),
      (res) => {
        expect(res.status, String(res.body).slice(0, 200)).toBe(200);
        expect(String(res.headers['content-type'])).toContain(XLSX_MIME);
        expect(res.raw.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
      },
    ),
  },
};
