// Finding a place by name, full pinyin or initials: in the demo district as its accounts see it, on
// the resident's report form, and kept true through create, rename, import and the migration.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { migrateToLatest, type DatabaseHandle } from '../../db/index.js';
import { seedDemo } from '../../demo/index.js';
import { makeCast, makeTree, type Tree } from '../../test/factories.js';
import {
  buildTestApp,
  Client,
  createTestDatabase,
  TEST_PII,
  testConfig,
  type TestApp,
} from '../../test/harness.js';
import { toCsv, multipart } from '../../test/routes.js';

interface Hit {
  id: number;
  name: string;
  level: string;
  fullCode: string;
  path: string[];
}
type Hits = { items: Hit[] };
const PASSWORD = 'Search-Password-2026';
const q = (text: string) => encodeURIComponent(text);

describe('the demo district, searched as its accounts', () => {
  let database: DatabaseHandle;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let admin: Client;
  let gridworker: Client;
  let gridPath: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemo(database.db, { scale: 'small', password: PASSWORD });
    app = await buildApp(testConfig(), { database, pii: TEST_PII });
    const login = async (username: string) => {
      const c = new Client(app);
      expect((await c.post('/api/auth/login', { username, password: PASSWORD })).status).toBe(200);
      return c;
    };
    admin = await login('admin');
    gridworker = await login('gridworker');
    const me = await gridworker.get<{ assignments: { node: { path: string } }[] }>('/api/auth/me');
    gridPath = me.body.assignments[0]!.node.path;
    // The demo's accounts hash their passwords with argon2: slow on purpose, slower on a busy machine.
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('the administrator finds 章坂村第二网格 by part of its name, with the places above it', async () => {
    const res = await admin.get<Hits>(`/api/nodes?q=${q('章坂村第二')}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((h) => h.name)).toEqual(['章坂村第二网格']);
    expect(res.body.items[0]).toMatchObject({ level: 'grid', path: ['临安区', '锦城街道', '章坂村'] });
  });

  it('the administrator finds 章坂村 by its initials (zbc) and its full pinyin, the village first', async () => {
    for (const text of ['zbc', 'ZBC', 'zhangbancun', 'zhang ban cun', 'Zhangbancun']) {
      const res = await admin.get<Hits>(`/api/nodes?q=${q(text)}&pageSize=10`);
      expect(res.status, text).toBe(200);
      const names = res.body.items.map((h) => h.name);
      expect(names[0], text).toBe('章坂村');
      expect(names, text).toContain('章坂村第二网格');
      expect(res.body.items[0]!.path, text).toEqual(['临安区', '锦城街道']);
    }
    // Pinyin that runs on inside a name: second grids of villages named …坂村 (章坂村, 青坂村).
    const grids = await admin.get<Hits>(`/api/nodes?q=${q('bancundier')}`);
    const found = grids.body.items.map((h) => h.name);
    expect(found).toContain('章坂村第二网格');
    for (const n of found) expect(n).toMatch(/坂村第二网格$/);
  });

  it('a place whose name reads two ways is found either way (於潜镇: wuqian and yuqian)', async () => {
    for (const text of ['yuqian', 'yqz', 'wuqian']) {
      const res = await admin.get<Hits>(`/api/nodes?q=${q(text)}`);
      expect(res.body.items[0]?.name, text).toBe('於潜镇');
    }
  });

  it('exact and prefix matches come first, then shallower levels', async () => {
    const res = await admin.get<Hits>(`/api/nodes?q=${q('锦城')}&pageSize=50`);
    const names = res.body.items.map((h) => h.name);
    expect(names[0]).toBe('锦城街道');
    const levels = res.body.items.map((h) => h.level);
    // Every hit here starts with 锦城 or holds it further in: the town, then the rest by depth.
    expect(levels.slice(1)).toEqual([...levels.slice(1)].sort((a, b) => depth(a) - depth(b)));
    // A code finds by prefix too.
    const byCode = await admin.get<Hits>(`/api/nodes?q=${res.body.items[0]!.fullCode}&pageSize=1`);
    expect(byCode.body.items.map((h) => h.name)).toEqual(['锦城街道']);
  });

  it('the grid worker finds nothing outside their grid', async () => {
    expect((await gridworker.get<Hits>(`/api/nodes?q=${q('章坂村第二')}`)).body.items).toEqual([]);
    for (const text of ['zbc', 'zhangbancun', '章坂村', '网格', 'wg', '330112']) {
      const res = await gridworker.get<Hits>(`/api/nodes?q=${q(text)}&pageSize=50`);
      expect(res.status, text).toBe(200);
      const ids = res.body.items.map((h) => h.id);
      const paths = ids.length
        ? await database.db.selectFrom('nodes').select('path').where('id', 'in', ids).execute()
        : [];
      for (const p of paths) expect(p.path.startsWith(gridPath), `${text}: ${p.path}`).toBe(true);
      expect(
        res.body.items.map((h) => h.name).filter((n) => n !== '章坂村第一网格'),
        text,
      ).toEqual([]);
    }
    expect((await gridworker.get<Hits>(`/api/nodes?q=zbc`)).body.items.map((h) => h.name)).toEqual([
      '章坂村第一网格',
    ]);
  });

  it('an empty, blank or too long q is a 400 problem', async () => {
    for (const url of ['/api/nodes?q=', '/api/nodes?q=%20%20', `/api/nodes?q=${'章'.repeat(101)}`]) {
      const res = await admin.get<{ code: string }>(url);
      expect(res.status, url).toBe(400);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await admin.get(`/api/nodes?q=a&pageSize=51`)).status).toBe(400);
  });

  it('a resident finds a village by name or initials and sees where a point on the map goes', async () => {
    const anon = new Client(app);
    const res = await anon.get<{ items: Record<string, unknown>[] }>(`/api/public/places?q=zbc`);
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toEqual({
      id: expect.any(Number) as number,
      name: '章坂村',
      level: 'village',
      path: ['临安区', '锦城街道'],
    });
    // The district itself is no place to send a report to.
    expect((await anon.get<Hits>(`/api/public/places?q=${q('临安区')}`)).body.items).toEqual([]);
    const grid = await database.db
      .selectFrom('nodes')
      .select(['id', 'centroid_lat', 'centroid_lng'])
      .where('name', '=', '章坂村第二网格')
      .executeTakeFirstOrThrow();
    const at = await anon.get<{ place: Hit | null }>(
      `/api/public/places/at?lat=${grid.centroid_lat}&lng=${grid.centroid_lng}`,
    );
    expect(at.body.place).toEqual({
      id: grid.id,
      name: '章坂村第二网格',
      level: 'grid',
      path: ['临安区', '锦城街道', '章坂村'],
    });
    // The village's map: its grids with their names.
    const village = res.body.items[0]!.id as number;
    const areas = await anon.get<{ features: { properties: { name: string } }[] }>(
      `/api/public/places/areas?within=${village}`,
    );
    expect(areas.body.features.map((f) => f.properties.name)).toEqual(['章坂村第一网格', '章坂村第二网格']);
    const towns = await anon.get<{ features: unknown[] }>('/api/public/places/areas');
    expect(towns.body.features).toHaveLength(18);
  });
});

const depth = (level: string) => ['district', 'town', 'village', 'grid'].indexOf(level);

describe('spellings kept up to date', () => {
  let t: TestApp;
  let tree: Tree;
  beforeAll(async () => {
    t = await buildTestApp();
    tree = await makeTree(t.database.db);
    await makeCast(t.database.db, tree);
  });
  afterAll(async () => t.close());

  const names = async (c: Client, text: string) =>
    (await c.get<Hits>(`/api/nodes?q=${q(text)}`)).body.items.map((h) => h.name);

  it('a node created, renamed or imported is found by its pinyin and initials', async () => {
    const c = await t.login('admin');
    const created = await c.post<{ id: number }>('/api/nodes', {
      parentId: tree.villages[0]!.id,
      code: '071',
      name: '长乐网格',
    });
    expect(created.status).toBe(201);
    expect(await names(c, 'changle')).toEqual(['长乐网格']);
    expect(await names(c, 'clwg')).toEqual(['长乐网格']);
    expect((await c.patch(`/api/nodes/${created.body.id}`, { name: '银杏网格' })).status).toBe(200);
    expect(await names(c, 'changle')).toEqual([]);
    expect(await names(c, 'yinxing')).toEqual(['银杏网格']);

    const file = toCsv([
      ['上级编码', '编码', '名称', '层级'],
      [tree.towns[1]!.fullCode, '071', '桃源村', '村社'],
    ]);
    const imported = await c.request<{ imported: number }>({
      method: 'POST',
      url: '/api/nodes/import?mode=all-or-nothing',
      ...multipart([{ name: 'file', filename: 'nodes.csv', data: file }]),
    });
    expect(imported.body.imported).toBe(1);
    expect(await names(c, 'taoyuan')).toEqual(['桃源村']);
    expect(await names(c, 'tyc')).toEqual(['桃源村']);
  });

  it('a town commander’s search stays in the town: the other town’s places are not found', async () => {
    const c = await t.login('towncmd');
    expect(await names(c, 'zhen2')).toEqual([]);
    expect(await names(c, '镇2')).toEqual([]);
    expect((await names(c, 'zhen1')).length).toBeGreaterThan(0);
  });
});

describe('the migration spells the nodes already there', () => {
  it('fills name_pinyin and name_initials of every existing node', async () => {
    const database = await createTestDatabase({ upTo: '20261205_0017_message_codes' });
    try {
      const now = new Date().toISOString();
      // Before the migration the columns do not exist: rows as the database held them then.
      for (const [i, name] of ['章坂村', '於潜镇', 'A区1号'].entries())
        await sql`insert into nodes (parent_id, level, code, full_code, name, path, depth, created_at, updated_at)
          values (null, 'district', ${String(i)}, ${`99${i}`}, ${name}, ${`/p${i}/`}, 1, ${now}, ${now})`.execute(
          database.db,
        );
      await migrateToLatest(database.db, database.connection?.schema);
      const rows = await database.db
        .selectFrom('nodes')
        .select(['name', 'name_pinyin', 'name_initials'])
        .orderBy('full_code')
        .execute();
      expect(rows).toEqual([
        { name: '章坂村', name_pinyin: 'zhangbancun', name_initials: 'zbc' },
        { name: '於潜镇', name_pinyin: 'wuqianzhen yuqianzhen', name_initials: 'wqz yqz' },
        { name: 'A区1号', name_pinyin: 'aqu1hao aou1hao', name_initials: 'aq1h ao1h' },
      ]);
    } finally {
      await database.close();
    }
  });
});
