import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_IMPORT_COLUMNS } from '../../../common/contracts/nodes.js';
import type { DB } from '../../db/index.js';
import { buildTestApp, type Client, type TestApp, type TestResponse } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';
import { multipart, toCsv } from '../../test/routes.js';

let t: TestApp;
let tree: Tree;
let db: DB;
let admin: Client;
beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  admin = await t.login('admin');
});
afterAll(async () => t.close());

interface Report {
  total: number;
  imported: number;
  rejected: number;
  errors: { row: number; column: string; message: string }[];
  skipped: { total: number; rows: { row: number; reason: string; message: string }[] };
}
const HEAD = ['上级编码', '编码', '名称', '层级', '负责人'];

function upload(
  c: Client,
  file: { name: string; data: Buffer | string },
  opts: { mode?: string; modeQuery?: string } = {},
): Promise<TestResponse<Report>> {
  const body = multipart([
    ...(opts.mode ? [{ name: 'mode', data: opts.mode }] : []),
    {
      name: 'file',
      filename: file.name,
      contentType: file.name.endsWith('.xlsx')
        ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        : 'text/csv',
      data: file.data,
    },
  ]);
  const url = `/api/nodes/import${opts.modeQuery ? `?mode=${opts.modeQuery}` : ''}`;
  return c.request<Report>({ method: 'POST', url, payload: body.payload, headers: body.headers });
}
const csv = (rows: string[][]) => ({ name: 'nodes.csv', data: toCsv([HEAD, ...rows], true) });
async function xlsx(rows: (string | number)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('nodes');
  ws.addRow(HEAD);
  for (const r of rows) ws.addRow(r);
  return { name: 'nodes.xlsx', data: Buffer.from(await wb.xlsx.writeBuffer()) };
}
const nodeCount = async () =>
  Number(
    (
      await db
        .selectFrom('nodes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const byFullCode = (code: string) =>
  db.selectFrom('nodes').selectAll().where('full_code', '=', code).executeTakeFirst();
const importAudits = () =>
  db.selectFrom('audit_log').selectAll().where('action', '=', 'node.import').orderBy('id').execute();

describe('importing nodes', () => {
  it('a good CSV creates villages and grids, a grid naming a village created earlier in the same file', async () => {
    const town = tree.towns[0]!;
    const res = await upload(
      admin,
      csv([
        [town.fullCode, '051', '新村', '村社', '张三'],
        [`${town.fullCode}051`, '001', '新村一网格', '网格', ''],
        [`${town.fullCode}051`, '002', '新村二网格', '', '李四'],
        [tree.villages[0]!.fullCode, '061', '老村新网格', 'grid', ''],
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      total: 4,
      imported: 4,
      rejected: 0,
      errors: [],
      skipped: { total: 0, rows: [] },
    });
    const village = await byFullCode(`${town.fullCode}051`);
    expect(village).toMatchObject({
      level: 'village',
      name: '新村',
      responsible_name: '张三',
      parent_id: town.id,
      depth: 3,
    });
    expect(village!.path).toBe(`${town.path}${village!.id}/`);
    const grid = await byFullCode(`${town.fullCode}051001`);
    expect(grid).toMatchObject({
      level: 'grid',
      name: '新村一网格',
      parent_id: village!.id,
      responsible_name: null,
      depth: 4,
    });
    expect(grid!.path).toBe(`${village!.path}${grid!.id}/`);
    expect(await byFullCode(`${town.fullCode}051002`)).toMatchObject({ responsible_name: '李四' });
    expect(await byFullCode(`${tree.villages[0]!.fullCode}061`)).toMatchObject({
      parent_id: tree.villages[0]!.id,
      level: 'grid',
    });
    // The imported nodes are visible through the API like any other.
    const kids = await admin.get<{ items: { name: string }[] }>(`/api/nodes?parent=${village!.id}`);
    expect(kids.body.items.map((n) => n.name)).toEqual(['新村一网格', '新村二网格']);
  });

  it('a good XLSX built with exceljs imports the same way', async () => {
    const town = tree.towns[1]!;
    const file = await xlsx([
      [town.fullCode, '052', 'Excel村', '村', '王五'],
      [`${town.fullCode}052`, '001', 'Excel网格', '网格', ''],
    ]);
    const res = await upload(admin, file);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      total: 2,
      imported: 2,
      rejected: 0,
      errors: [],
      skipped: { total: 0, rows: [] },
    });
    const village = await byFullCode(`${town.fullCode}052`);
    expect(village).toMatchObject({ level: 'village', name: 'Excel村', parent_id: town.id });
    expect(await byFullCode(`${town.fullCode}052001`)).toMatchObject({
      level: 'grid',
      parent_id: village!.id,
    });
  });

  it('XLSX codes typed as numbers keep working when they are long; short numeric codes are reported', async () => {
    const town = tree.towns[1]!;
    // Excel drops leading zeros: 053 typed as a number is 53, which is not a 3-digit code.
    const res = await upload(admin, await xlsx([[Number(town.fullCode), 53, '数字村']]));
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(0);
    expect(res.body.errors).toEqual([
      { row: 2, column: '编码', message: expect.stringMatching(/存成了数字.*开头的 0/) as unknown },
    ]);
  });

  it('a sheet as officials keep it: a title above the header, a 序号 column, other headers, blank and 合计 rows', async () => {
    const town = tree.towns[1]!;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('nodes');
    ws.addRow(['新增村社及网格一览表']);
    ws.mergeCells('A1:F1');
    ws.addRow(['序号', '上级代码', '编码', '节点名称（必填）', '级别', '负责人']);
    ws.addRow([1, town.fullCode, '071', '标题村', '村社', '']);
    ws.addRow([2, '', '', '', '', '']);
    ws.addRow([3, `${town.fullCode}071`, '001', '标题村一网格', '网格', '']);
    ws.addRow(['合计', '2个', '', '', '', '']);
    const res = await upload(admin, { name: 'titled.xlsx', data: Buffer.from(await wb.xlsx.writeBuffer()) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 2, imported: 2, rejected: 0, errors: [] });
    expect(res.body.skipped).toEqual({
      total: 3,
      rows: [
        { row: 1, reason: 'above_header', message: expect.stringContaining('表头') as unknown },
        { row: 4, reason: 'blank', message: '空行，已跳过' },
        { row: 6, reason: 'total', message: '合计行，已跳过' },
      ],
    });
    expect(await byFullCode(`${town.fullCode}071001`)).toMatchObject({ name: '标题村一网格', level: 'grid' });
  });

  it('one bad row in all-or-nothing mode writes nothing and reports {row, column, message} for each problem', async () => {
    const before = await nodeCount();
    const audits = (await importAudits()).length;
    const town = tree.towns[0]!;
    const res = await upload(
      admin,
      csv([
        [town.fullCode, '071', '好村', '', ''],
        [town.fullCode, '7x', '坏编码村', '', ''],
        ['999999999', '072', '', '', ''],
        [town.fullCode, '073', '层级错', '网格', ''],
        [town.fullCode, '071', '重复', '', ''],
        [tree.villages[0]!.fullCode, '001', '已存在', '', ''],
        [town.fullCode, '074', '名'.repeat(101), '', ''],
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(0);
    expect(res.body.total).toBe(7);
    expect(res.body.rejected).toBe(6);
    const e = res.body.errors;
    for (const x of e) {
      expect(typeof x.message).toBe('string');
      expect(x.message.length).toBeGreaterThan(0);
      expect(HEAD).toContain(x.column);
    }
    const at = (row: number) =>
      e
        .filter((x) => x.row === row)
        .map((x) => x.column)
        .sort();
    expect(at(2)).toEqual([]);
    expect(at(3)).toEqual(['编码']);
    expect(at(4)).toEqual(['上级编码', '名称'].sort());
    expect(at(5)).toEqual(['层级']);
    expect(at(6)).toEqual(['编码']);
    expect(at(7)).toEqual(['编码']);
    expect(at(8)).toEqual(['名称']);
    expect(await nodeCount()).toBe(before);
    expect(await byFullCode(`${town.fullCode}071`)).toBeUndefined();
    expect((await importAudits()).length).toBe(audits);
  });

  it('valid-rows mode imports the good rows only, and not the children of a bad row', async () => {
    const town = tree.towns[0]!;
    const rows = [
      [town.fullCode, '081', '好村甲', '', ''],
      [town.fullCode, 'bad', '坏村', '', ''],
      [`${town.fullCode}bad`, '001', '坏村的网格', '', ''],
      [`${town.fullCode}081`, '001', '好村甲网格', '', ''],
    ];
    const before = await nodeCount();
    const res = await upload(admin, csv(rows), { mode: 'valid-rows' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 4, imported: 2, rejected: 2 });
    expect(res.body.errors.map((x) => [x.row, x.column])).toEqual([
      [3, '编码'],
      [4, '上级编码'],
    ]);
    expect(await nodeCount()).toBe(before + 2);
    expect(await byFullCode(`${town.fullCode}081001`)).toMatchObject({ level: 'grid' });
  });

  it('the mode can be given in the query string too', async () => {
    const town = tree.towns[0]!;
    const res = await upload(
      admin,
      csv([
        [town.fullCode, '091', '查询村', '', ''],
        [town.fullCode, '9', '坏', '', ''],
      ]),
      { modeQuery: 'valid-rows' },
    );
    expect(res.body).toMatchObject({ imported: 1, rejected: 1 });
    const bad = await upload(admin, csv([[town.fullCode, '092', 'x', '', '']]), { modeQuery: 'everything' });
    expect(bad.status).toBe(400);
  });

  it('a parent outside the importer’s jurisdiction is a row error (town admin, parent in town B)', async () => {
    const ta = await t.login('townadmin');
    const before = await nodeCount();
    const res = await upload(
      ta,
      csv([
        [tree.villages[2]!.fullCode, '011', '越界网格', '', ''],
        [tree.villages[0]!.fullCode, '011', '本镇网格', '', ''],
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(0);
    expect(res.body.errors).toEqual([expect.objectContaining({ row: 2, column: '上级编码' })]);
    expect(await nodeCount()).toBe(before);
    const partial = await upload(
      ta,
      csv([
        [tree.villages[2]!.fullCode, '012', '越界', '', ''],
        [tree.villages[0]!.fullCode, '012', '本镇', '', ''],
      ]),
      { mode: 'valid-rows' },
    );
    expect(partial.body).toMatchObject({ imported: 1, rejected: 1 });
    expect(await byFullCode(`${tree.villages[2]!.fullCode}012`)).toBeUndefined();
    expect(await byFullCode(`${tree.villages[0]!.fullCode}012`)).toMatchObject({
      parent_id: tree.villages[0]!.id,
    });
  });

  it('a retired parent, and a parent that cannot have children, are row errors', async () => {
    const v = await admin.post<{ id: number; fullCode: string }>('/api/nodes', {
      parentId: tree.towns[1]!.id,
      code: '099',
      name: '将撤销',
    });
    expect((await admin.post(`/api/nodes/${v.body.id}/retire`)).status).toBe(200);
    const micro = await admin.post<{ fullCode: string }>('/api/nodes', {
      parentId: tree.grids[5]!.id,
      code: '001',
      name: '微网格',
    });
    expect(micro.status).toBe(201);
    const res = await upload(
      admin,
      csv([
        [v.body.fullCode, '001', '撤销下', '', ''],
        [micro.body.fullCode, '001', '叶子下', '', ''],
      ]),
    );
    expect(res.body.imported).toBe(0);
    expect(res.body.errors.map((x) => [x.row, x.column])).toEqual([
      [2, '上级编码'],
      [3, '上级编码'],
    ]);
  });

  it('missing columns → 400 import.missing_columns naming each one', async () => {
    const res = await upload(admin, {
      name: 'x.csv',
      data: toCsv([
        ['上级编码', '编码'],
        ['330112001', '001'],
      ]),
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'import.missing_columns',
      issues: [expect.objectContaining({ path: 'columns.名称' })],
    });
  });

  it('an unsupported extension → 400 import.unsupported_type; a broken workbook → 400 import.unreadable', async () => {
    const pdf = await upload(admin, { name: 'nodes.pdf', data: '%PDF-1.4' });
    expect(pdf.status).toBe(400);
    expect(pdf.body).toMatchObject({ code: 'import.unsupported_type' });
    const xls = await upload(admin, { name: 'nodes.xls', data: Buffer.from([0xd0, 0xcf, 0x11, 0xe0]) });
    expect(xls.status).toBe(400);
    const broken = await upload(admin, { name: 'nodes.xlsx', data: 'not a zip file' });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ code: 'import.unreadable' });
  });

  it('without nodes.manage the import is 403', async () => {
    const tc = await t.login('towncmd');
    const res = await upload(tc, csv([[tree.villages[0]!.fullCode, '013', 'x', '', '']]));
    expect(res.status).toBe(403);
  });

  it('each import that writes leaves one node.import audit row with the counts', async () => {
    const before = (await importAudits()).length;
    const town = tree.towns[0]!;
    const res = await upload(
      admin,
      csv([
        [town.fullCode, '093', '审计村', '', ''],
        [town.fullCode, 'x', '坏', '', ''],
      ]),
      { mode: 'valid-rows' },
    );
    expect(res.body.imported).toBe(1);
    const rows = await importAudits();
    expect(rows.length).toBe(before + 1);
    const last = rows.at(-1)!;
    expect(last.actor_label).toBe('admin');
    expect(JSON.parse(last.detail!)).toEqual({
      file: 'nodes.csv',
      total: 2,
      imported: 1,
      rejected: 1,
      mode: 'valid-rows',
    });
  });

  it('the node.import audit row is placed where the import wrote, so that town’s auditors see it', async () => {
    // Someone who reads the whole district but manages only town A imports into town A.
    await makeUser(db, 'mixed', [
      { role: 'district_commander', node: tree.district },
      { role: 'system_admin', node: tree.towns[0]! },
    ]);
    const c = await t.login('mixed');
    const res = await upload(c, csv([[tree.villages[1]!.fullCode, '021', '混合网格', '', '']]));
    expect(res.body.imported).toBe(1);
    const last = (await importAudits()).at(-1)!;
    expect(last.actor_label).toBe('mixed');
    expect(last.node_path?.startsWith(tree.towns[0]!.path), `node.import placed at ${last.node_path}`).toBe(
      true,
    );
    const ta = await t.login('townadmin');
    const seen = await ta.get<{ items: { id: number }[] }>('/api/audit?action=node.import&pageSize=200');
    expect(seen.body.items.map((i) => i.id)).toContain(last.id);
  });
});

describe('the import template', () => {
  it('is an XLSX whose header row is 上级编码, 编码, 名称, 层级, 负责人', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/nodes/import/template' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(String(res.headers['content-disposition'])).toMatch(/attachment; filename=".+\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['上级编码', '编码', '名称', '层级', '负责人']);
    expect(header).toEqual([...NODE_IMPORT_COLUMNS]);
    expect(ws.name).toBe('辖区');
  });

  it('in English: the sheet is named in English, the columns stay the names the importer reads', async () => {
    const res = await admin.request({
      method: 'GET',
      url: '/api/nodes/import/template',
      headers: { 'accept-language': 'en' },
    });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Nodes');
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      '上级编码',
      '编码',
      '名称',
      '层级',
      '负责人',
    ]);
  });

  it('the template, filled in and uploaded back, imports', async () => {
    const res = await admin.request({ method: 'GET', url: '/api/nodes/import/template' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    // Replace the example row with a real one.
    ws.getRow(2).values = [tree.towns[1]!.fullCode, '094', '模板村', '村社', '钱七'];
    const back = await upload(admin, { name: 'filled.xlsx', data: Buffer.from(await wb.xlsx.writeBuffer()) });
    expect(back.body).toEqual({
      total: 1,
      imported: 1,
      rejected: 0,
      errors: [],
      skipped: { total: 0, rows: [] },
    });
  });

  it('needs nodes.manage', async () => {
    const gw = await t.login('gridworker');
    expect((await gw.get('/api/nodes/import/template')).status).toBe(403);
  });
});
