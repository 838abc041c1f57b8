// Denied attempts leave a trace: a 403 on a sensitive route and a refused import write one audit row
// each, in a transaction of their own, up to a cap per user per 10 minutes, then one "suppressed" row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../db/index.js';
import { buildTestApp, type Client, type TestApp } from '../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../test/factories.js';
import { importPeople, multipart, nthIdNumber, toCsv } from '../test/routes.js';

const CAP = 5;
let t: TestApp;
let db: DB;
let tree: Tree;
let admin: Client;
let personInTownB: number;

beforeAll(async () => {
  t = await buildTestApp({ auditDeniedPerUser: CAP });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  admin = await t.login('admin');
  const p = await admin.post<{ id: number }>('/api/people', {
    name: '赵六',
    idNumber: nthIdNumber(4242),
    nodeId: tree.grids[4]!.id,
    residenceType: 'registered',
  });
  expect(p.status, JSON.stringify(p.body)).toBe(201);
  personInTownB = p.body.id;
});
afterAll(async () => t.close());

const deniedRows = (actor: string) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'entity_type', 'entity_id', 'detail', 'actor_user_id'])
    .where('actor_label', '=', actor)
    .where('action', 'in', ['access.denied', 'import.refused', 'access.denied_suppressed'])
    .orderBy('id')
    .execute();
const summary = (rows: Awaited<ReturnType<typeof deniedRows>>) =>
  rows.map((r) => [r.action, r.entity_id, JSON.parse(r.detail ?? '{}') as unknown]);

describe('a 403 on a sensitive route', () => {
  it('reveal: outside the scope and without the permission each leave a row, never the body', async () => {
    const cadre = await t.login('cadre');
    const out = await cadre.post(`/api/people/${personInTownB}/reveal`, {
      field: 'idNumber',
      reason: '核实身份',
    });
    expect(out.status).toBe(403);
    const gridworker = await t.login('gridworker');
    const noRight = await gridworker.post(`/api/people/${personInTownB}/reveal`, {
      field: 'phone',
      reason: '核实身份',
    });
    expect(noRight.status).toBe(403);
    expect(summary(await deniedRows('cadre'))).toEqual([
      [
        'access.denied',
        'POST /api/people/:id/reveal',
        { status: 403, code: 'forbidden', id: String(personInTownB) },
      ],
    ]);
    const g = await deniedRows('gridworker');
    expect(summary(g)).toEqual([
      [
        'access.denied',
        'POST /api/people/:id/reveal',
        { status: 403, code: 'forbidden', id: String(personInTownB) },
      ],
    ]);
    expect(JSON.stringify(g)).not.toContain('核实身份');
  });

  it('an allowed reveal leaves its own reveal row and no denied row', async () => {
    const ok = await admin.post(`/api/people/${personInTownB}/reveal`, {
      field: 'idNumber',
      reason: '核实身份',
    });
    expect(ok.status).toBe(200);
    expect(await deniedRows('admin')).toEqual([]);
  });

  it('user administration: a town administrator granting at the district is traced', async () => {
    const townadmin = await t.login('townadmin');
    const res = await townadmin.patch(`/api/users/${await userId('commander')}`, { disabled: true });
    expect(res.status).toBe(403);
    const roles = await townadmin.post('/api/roles', {
      code: 'town_role',
      nameZh: '镇角色',
      nameEn: 'Town role',
      permissions: ['nodes.read'],
    });
    expect(roles.status).toBe(403);
    expect(summary(await deniedRows('townadmin'))).toEqual([
      [
        'access.denied',
        'PATCH /api/users/:id',
        { status: 403, code: 'forbidden', id: String(await userId('commander')) },
      ],
      ['access.denied', 'POST /api/roles', { status: 403, code: 'forbidden' }],
    ]);
  });

  it('a 403 on a route not marked sensitive leaves no denied row', async () => {
    const towncmd = await t.login('towncmd');
    expect((await towncmd.get(`/api/nodes/${tree.towns[1]!.id}`)).status).toBe(403);
    expect(await deniedRows('towncmd')).toEqual([]);
  });
});

describe('a refused import', () => {
  it('people import: a file that is not a table, and an import without the right, are traced', async () => {
    const cadre2 = await makeUser(db, 'cadre2', [{ role: 'village_cadre', node: tree.villages[0]! }]);
    const c = await t.login('cadre2');
    const junk = await importPeople(c, { name: 'people.csv', data: '' });
    expect(junk.status).toBe(400);
    const gridworker2 = await makeUser(db, 'gw2', [{ role: 'grid_worker', node: tree.grids[0]! }]);
    const g = await t.login('gw2');
    const csv = toCsv([['姓名'], ['张三']], true);
    expect((await importPeople(g, { name: 'people.csv', data: csv })).status).toBe(403);
    const rows = await deniedRows('cadre2');
    expect(rows.map((r) => [r.action, r.entity_id, r.actor_user_id])).toEqual([
      ['import.refused', 'POST /api/people/import', cadre2],
    ]);
    expect(JSON.parse(rows[0]!.detail!)).toMatchObject({ status: 400 });
    const g2 = await deniedRows('gw2');
    expect(summary(g2)).toEqual([
      ['import.refused', 'POST /api/people/import', { status: 403, code: 'forbidden' }],
    ]);
    expect(g2.map((r) => r.actor_user_id)).toEqual([gridworker2]);
  });

  it('nodes import: a refused file is traced', async () => {
    const body = multipart([{ name: 'file', filename: 'nodes.csv', contentType: 'text/csv', data: '' }]);
    const res = await admin.request({
      method: 'POST',
      url: '/api/nodes/import',
      payload: body.payload,
      headers: body.headers,
    });
    expect(res.status).toBe(400);
    const rows = await deniedRows('admin');
    expect(rows.map((r) => [r.action, r.entity_id])).toEqual([['import.refused', 'POST /api/nodes/import']]);
  });
});

describe('the cap', () => {
  it(`past ${CAP} denied rows in 10 minutes a user gets one suppressed row, then silence; others are still traced`, async () => {
    await makeUser(db, 'looper', [{ role: 'grid_worker', node: tree.grids[0]! }]);
    const looper = await t.login('looper');
    for (let i = 0; i < CAP + 4; i++)
      expect(
        (await looper.post(`/api/people/${personInTownB}/reveal`, { field: 'phone', reason: '核实身份' }))
          .status,
      ).toBe(403);
    const rows = await deniedRows('looper');
    expect(rows.map((r) => r.action)).toEqual([
      ...Array<string>(CAP).fill('access.denied'),
      'access.denied_suppressed',
    ]);
    expect(JSON.parse(rows.at(-1)!.detail!)).toMatchObject({ cap: CAP, windowMinutes: 10 });

    await makeUser(db, 'neighbour', [{ role: 'grid_worker', node: tree.grids[0]! }]);
    const other = await t.login('neighbour');
    expect(
      (await other.post(`/api/people/${personInTownB}/reveal`, { field: 'phone', reason: '核实' })).status,
    ).toBe(403);
    expect((await deniedRows('neighbour')).map((r) => r.action)).toEqual(['access.denied']);
  });
});

it('left the audit chain intact', async () => {
  expect((await admin.get<{ ok: boolean }>('/api/audit/verify')).body.ok).toBe(true);
});

async function userId(username: string) {
  return (
    await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()
  ).id;
}
