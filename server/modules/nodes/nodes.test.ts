import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, type Tree } from '../../test/factories.js';
import { insertHousehold } from '../../test/routes.js';

let t: TestApp;
let tree: Tree;
beforeAll(async () => {
  t = await buildTestApp();
  tree = await makeTree(t.database.db);
  await makeCast(t.database.db, tree);
});
afterAll(async () => t.close());

describe('jurisdiction tree', () => {
  it('lists children in code order within scope', async () => {
    const c = await t.login('commander');
    const roots = await c.get<{ items: { id: number }[] }>('/api/nodes');
    expect(roots.status).toBe(200);
    expect(roots.body.items.map((n) => n.id)).toEqual([tree.district.id]);
    const towns = await c.get<{ items: { code: string; childCount: number }[] }>(
      `/api/nodes?parent=${tree.district.id}`,
    );
    expect(towns.body.items.map((n) => n.code)).toEqual(['001', '002']);
    expect(towns.body.items[0]!.childCount).toBe(2);
  });

  it('a grid worker reads their grid and nothing else', async () => {
    const c = await t.login('gridworker');
    expect((await c.get(`/api/nodes/${tree.grids[0]!.id}`)).status).toBe(200);
    expect((await c.get(`/api/nodes/${tree.grids[1]!.id}`)).status).toBe(403);
    expect((await c.get(`/api/nodes/${tree.district.id}`)).status).toBe(403);
    const roots = await c.get<{ items: { id: number }[] }>('/api/nodes');
    expect(roots.body.items.map((n) => n.id)).toEqual([tree.grids[0]!.id]);
  });

  it('creates, renames, moves and retires with audit rows', async () => {
    const c = await t.login('admin');
    const created = await c.post<{ id: number; fullCode: string; level: string; path: string }>(
      '/api/nodes',
      {
        parentId: tree.villages[0]!.id,
        code: '009',
        name: '新网格',
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.fullCode).toBe(`${tree.villages[0]!.fullCode}009`);
    expect(created.body.fullCode).toHaveLength(15);
    expect(created.body.level).toBe('grid');
    const dup = await c.post('/api/nodes', { parentId: tree.villages[0]!.id, code: '009', name: 'x' });
    expect(dup.status).toBe(409);
    const renamed = await c.patch<{ name: string }>(`/api/nodes/${created.body.id}`, { name: '改名网格' });
    expect(renamed.body.name).toBe('改名网格');
    // Move village A1 (with its grids) under town B.
    const village = tree.villages[0]!;
    const moved = await c.post<{ path: string; fullCode: string }>(`/api/nodes/${village.id}/move`, {
      newParentId: tree.towns[1]!.id,
      code: '007',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.path).toBe(`${tree.towns[1]!.path}${village.id}/`);
    const child = await c.get<{ path: string; fullCode: string }>(`/api/nodes/${created.body.id}`);
    expect(child.body.path.startsWith(moved.body.path)).toBe(true);
    expect(child.body.fullCode).toBe(`${tree.towns[1]!.fullCode}007009`);
    const retireParent = await c.post(`/api/nodes/${village.id}/retire`);
    expect(retireParent.status).toBe(409);
    const retired = await c.post<{ retired: boolean }>(`/api/nodes/${created.body.id}/retire`);
    expect(retired.body.retired).toBe(true);
    const audit = await c.get<{ items: { action: string }[] }>(
      `/api/audit?entityType=node&entityId=${created.body.id}`,
    );
    expect(audit.body.items.map((a) => a.action)).toEqual(['node.retire', 'node.update', 'node.create']);
  });
});

describe('moving a populated subtree', () => {
  it('takes its households and people along', async () => {
    const db = t.database.db;
    const c = await t.login('admin');
    const village = tree.villages[2]!;
    const household = await insertHousehold(db, tree.grids[4]!, '测试路1号');
    const moved = await c.post<{ path: string }>(`/api/nodes/${village.id}/move`, {
      newParentId: tree.towns[0]!.id,
      code: '008',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const row = await db
      .selectFrom('households')
      .select('node_path')
      .where('id', '=', household)
      .executeTakeFirstOrThrow();
    expect(row.node_path).toBe(`${moved.body.path}${tree.grids[4]!.id}/`);
    // The new town's commander finds it in their list; the old town's does not.
    const inTown = await c.get<{ items: { id: number }[] }>(
      `/api/households?node=${tree.towns[0]!.id}&pageSize=200`,
    );
    expect(inTown.body.items.map((h) => h.id)).toContain(household);
    const oldTown = await c.get<{ items: { id: number }[] }>(
      `/api/households?node=${tree.towns[1]!.id}&pageSize=200`,
    );
    expect(oldTown.body.items.map((h) => h.id)).not.toContain(household);
  });

  it('is refused (409 naming them) while cases, directives, reports or notices are placed in it, and nothing moves', async () => {
    const db = t.database.db;
    const c = await t.login('admin');
    const village = tree.villages[3]!;
    const now = new Date().toISOString();
    await db
      .insertInto('incident_commands')
      .values({
        name: '测试指挥部',
        response_level: 'IV',
        node_id: village.id,
        node_path: village.path,
        started_at: now,
        closed_at: null,
        summary: null,
        created_by_user_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const res = await c.post<{ code: string; records: string[] }>(`/api/nodes/${village.id}/move`, {
      newParentId: tree.towns[0]!.id,
      code: '009',
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'node.has_records', records: ['incident_commands'] });
    const after = await c.get<{ path: string }>(`/api/nodes/${village.id}`);
    expect(after.body.path).toBe(village.path);
  });
});
