// Route-matrix cases: nodes.
import { expect } from 'vitest';
import { freeCode, multipart, scratchChild, toCsv, withinAny } from '../routes.js';
import {
  t,
  tree,
  db,
  BELOW,
  byNumber,
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
    // ?q=: by name, pinyin or initials, only inside the caller's scope, each hit with the names above it.
    check: async ({ actor, c }) => {
      const scope = actor.scope().path;
      const live = await db
        .selectFrom('nodes')
        .select(['id', 'name', 'path'])
        .where('retired_at', 'is', null)
        .execute();
      const nameOf = new Map(live.map((n) => [n.id, n.name]));
      const expected = live
        .filter((n) => n.path.startsWith(scope) && n.name.includes('网格'))
        .map((n) => n.id)
        .sort(byNumber);
      for (const q of ['网格', 'wangge', 'WG', tree.towns[1]!.name, 'zhen2', tree.towns[1]!.fullCode]) {
        const res = await c.get<{ items: { id: number; path: string[] }[] }>(
          `/api/nodes?q=${encodeURIComponent(q)}&pageSize=50`,
        );
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const hits = res.body.items;
        for (const p of await pathsOfIds(hits.map((h) => h.id)))
          expect(withinAny(p, [scope]), `${q}: ${p}`).toBe(true);
        if (['网格', 'wangge', 'WG'].includes(q))
          expect(hits.map((h) => h.id).sort(byNumber), q).toEqual(expected.slice(0, 50));
        for (const h of hits) {
          const row = live.find((n) => n.id === h.id)!;
          const above = row.path.split('/').filter(Boolean).slice(0, -1).map(Number);
          expect(h.path).toEqual(above.map((id) => nameOf.get(id)));
        }
      }
      // Town B is outside everyone's scope in the matrix but the district's.
      const townB = await c.get<{ items: unknown[] }>(`/api/nodes?q=${encodeURIComponent('镇2村')}`);
      if (!withinAny(tree.towns[1]!.path, [scope])) expect(townB.body.items).toEqual([]);
      else expect(townB.body.items.length).toBeGreaterThan(0);
      // An empty or too long q, or q with a parent, is a 400 problem.
      for (const url of [
        '/api/nodes?q=',
        '/api/nodes?q=%20',
        `/api/nodes?q=${'a'.repeat(101)}`,
        `/api/nodes?q=a&parent=${actor.scope().id}`,
        '/api/nodes?pageSize=5',
      ]) {
        const bad = await c.get(url);
        expect(bad.status, url).toBe(400);
        expect(String(bad.headers['content-type'])).toMatch(/^application\/problem\+json/);
      }
    },
  },
  'GET /api/public/places': {
    unscoped: 'public: the report form finds a town, village or grid by name; place names only',
    check: async () => {
      const anon = t.anon();
      // By name, pinyin and initials: the same places, every level but the district's.
      const found = async (q: string) => {
        const res = await anon.get<{ items: Record<string, unknown>[] }>(
          `/api/public/places?q=${encodeURIComponent(q)}&pageSize=20`,
        );
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        for (const p of res.body.items)
          expect(Object.keys(p).sort()).toEqual(['id', 'level', 'name', 'path']);
        return res.body.items;
      };
      const byName = await found('镇2村1');
      expect(byName.map((p) => p.name)).toEqual(['镇2村1', '镇2村1网格1', '镇2村1网格2']);
      expect(byName[1]!.path).toEqual(['测试区', '镇2', '镇2村1']);
      expect((await found('zhen2cun1')).map((p) => p.id)).toEqual(byName.map((p) => p.id));
      expect((await found('z2c1')).map((p) => p.id)).toEqual(byName.map((p) => p.id));
      expect(await found('测试区')).toEqual([]);
      expect((await anon.get('/api/public/places?q=')).status).toBe(400);
      expect((await anon.get(`/api/public/places?q=${'村'.repeat(101)}`)).status).toBe(400);
    },
  },
  'GET /api/public/places/areas': {
    unscoped: 'public: the polygons and names of the places the report form’s map draws',
    check: async () => {
      const anon = t.anon();
      const names = async (within?: number) => {
        const res = await anon.get<{ features: { properties: { name: string } }[] }>(
          `/api/public/places/areas${within ? `?within=${within}` : ''}`,
        );
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.features.map((f) => f.properties.name);
      };
      // The test tree's grids carry polygons, its towns and villages none.
      expect(await names()).toEqual([]);
      expect(await names(tree.villages[3]!.id)).toEqual(['镇2村2网格1', '镇2村2网格2']);
      expect(await names(tree.grids[6]!.id)).toEqual(['镇2村2网格1', '镇2村2网格2']);
      // The district is no place a resident chooses.
      expect((await anon.get(`/api/public/places/areas?within=${tree.district.id}`)).status).toBe(404);
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
