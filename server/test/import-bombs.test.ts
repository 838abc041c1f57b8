// Spreadsheet bombs against both imports (issue 13, ADR 0009): a workbook of under 3 MB whose sheet
// unpacks to over 600 MB is refused with a 4xx problem within 5 s, while the server (this process:
// the app runs in it) grows by less than 150 MB — whether the zip declares the true size, lies about
// it, or fills the sheet with rows or with blank space. Nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_IMPORT_COLUMNS } from '../../common/contracts/nodes.js';
import { IMPORT_LIMITS } from '../../common/limits.js';
import type { DB } from '../db/index.js';
import { makeCast, makeTree, type Tree } from './factories.js';
import { buildTestApp, type Client, type TestApp, type TestResponse } from './harness.js';
import { importPeople, multipart, PEOPLE_HEAD } from './routes.js';
import { xlsxBomb } from './xlsx-craft.js';

let t: TestApp;
let tree: Tree;
let db: DB;
let admin: Client;
let cadre: Client;
beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  admin = await t.login('admin');
  cadre = await t.login('cadre');
});
afterAll(async () => t?.close());

const importNodes = (c: Client, data: Buffer) => {
  const body = multipart([
    { name: 'file', filename: 'nodes.xlsx', contentType: 'application/octet-stream', data },
  ]);
  return c.request({
    method: 'POST',
    url: '/api/nodes/import',
    payload: body.payload,
    headers: body.headers,
  });
};
const count = async (table: 'persons' | 'nodes') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Sends the request while sampling this process's resident memory every 10 ms. */
async function measured(send: () => Promise<TestResponse>) {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t0 = performance.now();
  try {
    const res = await send();
    return { res, ms: performance.now() - t0, grewMb: (peak - before) / 1_048_576 };
  } finally {
    clearInterval(sampler);
  }
}

const IMPORTS = {
  people: {
    header: PEOPLE_HEAD,
    row: () => ['许一', '330112197001011234', '13811112222', '地址', tree.grids[0]!.fullCode, '户籍人口'],
    send: (data: Buffer) => importPeople(cadre, { name: 'people.xlsx', data }),
    table: 'persons' as const,
  },
  nodes: {
    header: NODE_IMPORT_COLUMNS,
    row: () => [tree.villages[0]!.fullCode, '901', '炸弹村', 'grid', ''],
    send: (data: Buffer) => importNodes(admin, data),
    table: 'nodes' as const,
  },
};

describe.each(Object.keys(IMPORTS) as (keyof typeof IMPORTS)[])('the %s import', (which) => {
  const cases = [
    { fill: 'rows', lie: false, limit: 'zipDeclaredBytes' },
    { fill: 'rows', lie: true, limit: 'rows' },
    { fill: 'padding', lie: false, limit: 'zipDeclaredBytes' },
    { fill: 'padding', lie: true, limit: 'sheetBytes' },
  ] as const;
  it.each(cases)(
    'refuses a 600 MB sheet of $fill (central directory lies: $lie) by its $limit limit, in 5 s and 150 MB',
    async ({ fill, lie, limit }) => {
      const imp = IMPORTS[which];
      const bomb = xlsxBomb({ header: imp.header, row: imp.row(), megabytes: 600, fill, lie });
      expect(bomb.unpackedBytes).toBeGreaterThan(600 * 1_048_576);
      expect(bomb.data.length).toBeLessThan(3 * 1_048_576);
      const rowsBefore = await count(imp.table);
      const { res, ms, grewMb } = await measured(() => imp.send(bomb.data));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(String(res.headers['content-type'])).toContain('application/problem+json');
      const body = res.body as { code: string; limit: string; max: number };
      expect(body.code).toBe(limit === 'rows' ? 'import.too_many_rows' : 'import.too_large');
      expect(body.limit).toBe(limit);
      expect(body.max).toBe(
        limit === 'rows' ? (which === 'people' ? 300_000 : 20_000) : IMPORT_LIMITS[limit],
      );
      expect(ms).toBeLessThan(5000);
      expect(grewMb).toBeLessThan(150);
      expect(await count(imp.table)).toBe(rowsBefore);
    },
    30_000,
  );
});
