// Route-matrix cases: nodes.
import { expect } from 'vitest';
import { freeCode, multipart, scratchChild, toCsv, withinAny } from '../routes.js';
import {
  tree,
  db,
  BELOW,
  insideAtLevel,
  items,
  pathsOfIds,
  type Case,
  inEachState,
  nodeStates,
} from './driver.js';

export const nodesCases: Record<string, Case> = {
  // ------------------------------ nodes
  'GET /api/nodes': {
    list: {
      call: ({ c }) => c.get('/api/nodes'),
      check: (res, { actor }) => {
        expect(res.status).toBe(200);
        expect(items(res).map((n) => (n as { id: number }).id)).toEqual([actor.scope().id]);
      },
    },
    node: {
      call: async ({ c }, n) => [
        await c.get(`/api/nodes?parent=${n.id}`),
        await c.get(`/api/nodes?parent=${n.id}&includeRetired=true`),
      ],
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { id: number; parentId: number; path: string }[];
        for (const i of list) {
          expect(i.parentId).toBe(n.id);
          expect(withinAny(i.path, [actor.scope().path])).toBe(true);
        }
        const children = await db
          .selectFrom('nodes')
          .select('id')
          .where('parent_id', '=', n.id)
          .where('retired_at', 'is', null)
          .execute();
        expect(list.length).toBeGreaterThanOrEqual(children.length);
      },
    },
  },
  'GET /api/nodes/search': {
    list: {
      call: ({ c }) => c.get(`/api/nodes/search?q=${encodeURIComponent('网格')}&limit=50`),
      check: async (res, { actor, c }) => {
        expect(res.status).toBe(200);
        const list = items(res) as { path: string }[];
        expect(list.length).toBeGreaterThan(0);
        for (const i of list) expect(withinAny(i.path, [actor.scope().path]), i.path).toBe(true);
        // A code prefix from the other town finds nothing outside the scope either.
        const r2 = await c.get<{ items: { path: string }[] }>(
          `/api/nodes/search?q=${tree.towns[1]!.fullCode}`,
        );
        expect(r2.status).toBe(200);
        expect(r2.body.items).toEqual([]);
      },
    },
  },
  'GET /api/nodes/import/template': { unscoped: 'a blank template; nodes.manage anywhere is enough' },
  'GET /api/nodes/:id': {
    states: async ({ c }, n) => inEachState(await nodeStates(n), (x) => c.get(`/api/nodes/${x.id}`)),
    node: {
      call: async ({ c }, n) => [await c.get(`/api/nodes/${n.id}`)],
      inside: (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const b = res.body as { id: number; path: string };
        expect(b.id).toBe(n.id);
        expect(withinAny(b.path, [actor.scope().path])).toBe(true);
      },
    },
  },
  'GET /api/nodes/:id/counts': {
    states: async ({ c }, n) => inEachState(await nodeStates(n), (x) => c.get(`/api/nodes/${x.id}/counts`)),
    node: {
      call: async ({ c }, n) => [await c.get(`/api/nodes/${n.id}/counts`)],
      inside: async (res, _ctx, n) => {
        expect(res.status).toBe(200);
        const b = res.body as { id: number; byLevel: Record<string, number> };
        expect(b.id).toBe(n.id);
        // Paths below, by prefix: independent of the production range (dialect.subtreeRange).
        const under = n.path;
        const rows = await db
          .selectFrom('nodes')
          .select('level')
          .where('path', 'like', `${under}%`)
          .where('retired_at', 'is', null)
          .execute();
        expect(b.byLevel.grid ?? 0).toBe(rows.filter((r) => r.level === 'grid').length);
        expect(Object.values(b.byLevel).reduce((s, x) => s + x, 0)).toBe(rows.length);
      },
    },
  },
  'GET /api/nodes/:id/polygons': {
    states: async ({ c }, n) => inEachState(await nodeStates(n), (x) => c.get(`/api/nodes/${x.id}/polygons`)),
    node: {
      call: async ({ c }, n) => [
        await c.get(`/api/nodes/${n.id}/polygons`),
        await c.get(`/api/nodes/${n.id}/polygons?level=grid`),
      ],
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const ids = (res.body as { features: { id: number }[] }).features.map((f) => f.id);
        for (const p of await pathsOfIds(ids)) {
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
          expect(p.startsWith(n.path)).toBe(true);
        }
      },
    },
  },
  'POST /api/nodes': {
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/nodes', {
          parentId: n.id,
          code: await freeCode(db, n.fullCode),
          name: 'matrix-new',
        }),
      ],
      inside: (res, { actor }) => {
        expect(res.status).toBe(201);
        expect(withinAny((res.body as { path: string }).path, [actor.scope().path])).toBe(true);
      },
    },
  },
  'PATCH /api/nodes/:id': {
    states: async ({ c }, n) =>
      inEachState(await nodeStates(n), (x) => c.patch(`/api/nodes/${x.id}`, { responsibleName: 'matrix' })),
    node: {
      call: async ({ c }, n) => [await c.patch(`/api/nodes/${n.id}`, { responsibleName: 'matrix' })],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { responsibleName: string }).responsibleName).toBe('matrix');
      },
    },
  },
  'POST /api/nodes/:id/move': {
    states: async ({ c, actor }, n) =>
      inEachState(await nodeStates(n), (x) =>
        c.post(`/api/nodes/${x.id}/move`, { newParentId: actor.scope().id }),
      ),
    node: {
      call: async ({ c, actor }, n, where) => {
        // Move a fresh child of the target to a new code under the same target…
        const child = await scratchChild(db, n, BELOW[n.level]!);
        const out = [
          await c.post(`/api/nodes/${child.id}/move`, {
            newParentId: n.id,
            code: await freeCode(db, n.fullCode),
          }),
        ];
        // …and, outside, also try to pull one of the caller's own nodes under the foreign target.
        const own = where === 'outside' ? insideAtLevel(actor, n.level) : undefined;
        if (own) {
          const mine = await scratchChild(db, own, BELOW[own.level]!);
          out.push(await c.post(`/api/nodes/${mine.id}/move`, { newParentId: n.id }));
        }
        return out;
      },
      inside: (res, { actor }) => {
        expect(res.status).toBe(200);
        expect(withinAny((res.body as { path: string }).path, [actor.scope().path])).toBe(true);
      },
    },
  },
  'POST /api/nodes/:id/retire': {
    states: async ({ c }, n) => inEachState(await nodeStates(n), (x) => c.post(`/api/nodes/${x.id}/retire`)),
    node: {
      call: async ({ c }, n) => [
        await c.post(`/api/nodes/${(await scratchChild(db, n, BELOW[n.level]!)).id}/retire`),
      ],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { retired: boolean }).retired).toBe(true);
      },
    },
  },
  'POST /api/nodes/import': {
    node: {
      call: async ({ c }, n) => {
        const csv = toCsv([
          ['上级编码', '编码', '名称'],
          [n.fullCode, await freeCode(db, n.fullCode), 'matrix-import'],
        ]);
        const body = multipart([{ name: 'file', filename: 'm.csv', contentType: 'text/csv', data: csv }]);
        return [
          await c.request({
            method: 'POST',
            url: '/api/nodes/import',
            payload: body.payload,
            headers: body.headers,
          }),
        ];
      },
      inside: (res) => {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ total: 1, imported: 1, rejected: 0, errors: [] });
      },
      // The parent is named in the file: a foreign parent is a row error, and nothing is written.
      outside: (res) => {
        expect(res.status).toBe(200);
        const b = res.body as { imported: number; errors: { row: number; column: string }[] };
        expect(b.imported).toBe(0);
        expect(b.errors).toEqual([expect.objectContaining({ row: 2, column: '上级编码' })]);
      },
    },
  },
};
