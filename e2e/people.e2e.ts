// A village cadre's registry work: import a workbook with errors, download the bad rows, fix and
// import, find a person by ID number, reveal the phone with a reason; the administrator sees it audited.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../common/validators.js';
import { snap, startJourney, type Journey } from './harness.js';

let j: Journey;
let dir: string;
beforeAll(async () => {
  j = await startJourney();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-e2e-people-'));
});
afterAll(async () => {
  await j?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const HEADERS = [
  '姓名',
  '身份证号',
  '手机号',
  '现住址',
  '所属网格',
  '人员类型',
  '标签',
  '户号',
  '与户主关系',
];
const validId = (seq: number) => {
  const first17 = `330112198805${String(10 + (seq % 18)).padStart(2, '0')}${String(600 + seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
};

async function workbook(file: string, rows: string[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员');
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
}

describe('people registry journey', () => {
  it('a village cadre imports, fixes the bad rows, finds a person, reveals a phone; the admin sees the reveal', async () => {
    const db = j.boot.database.db;
    const village = await db
      .selectFrom('role_assignments as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .innerJoin('nodes as n', 'n.id', 'a.node_id')
      .select(['n.id'])
      .where('u.username', '=', 'cadre')
      .executeTakeFirstOrThrow();
    const grids = await db
      .selectFrom('nodes')
      .select('full_code')
      .where('parent_id', '=', village.id)
      .orderBy('code')
      .execute();
    const grid = grids[0]!.full_code;
    const ids = [1, 2, 3, 4, 5].map(validId);
    const broken = `${ids[1]!.slice(0, 17)}${ids[1]![17] === '0' ? '1' : '0'}`;
    const good: string[][] = [
      ['周一新', ids[0]!, '13905710001', '青柳路1号', grid, '户籍人口', '党员', 'E1', '户主'],
      ['周二新', ids[1]!, '13905710002', '青柳路1号', grid, '户籍人口', '', 'E1', '配偶'],
      ['吴三新', ids[2]!, '13905710003', '青柳路2号', grid, '流动人口', '', 'E2', '户主'],
      ['吴四新', ids[3]!, '13905710004', '青柳路2号', grid, '返乡人员', '独居老人', 'E3', '户主'],
      ['郑五新', ids[4]!, '13905710005', '青柳路3号', grid, '户籍人口', '', 'E4', '户主'],
    ];
    const withErrors = good.map((r) => [...r]);
    withErrors[1]![1] = broken; // wrong check character
    withErrors[3]![5] = '外星人'; // not a residence type
    const badFile = path.join(dir, '人员-有错.xlsx');
    const fixedFile = path.join(dir, '人员-已改.xlsx');
    await workbook(badFile, withErrors);
    await workbook(fixedFile, good);
    const before = Number(
      (
        await db
          .selectFrom('persons')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

    const { page, context } = await j.newPage();
    try {
      await j.login(page, 'cadre');
      await page.getByRole('menuitem', { name: '人员', exact: true }).click();
      await page.getByRole('button', { name: '批量导入' }).click();
      const file = page.getByLabel('选择文件');
      await file.setInputFiles(badFile);
      await page.getByRole('button', { name: '检查并导入' }).click();
      // The report's status is a data attribute of its card (the screen says it in words of either language).
      const report = page.getByTestId('import-report');
      await expect.poll(() => report.getAttribute('data-status'), { timeout: 30_000 }).toBe('rejected');
      await page.getByText('3 行有效，2 行有错误').waitFor();
      await page.getByText('尚未导入任何数据。').waitFor();
      expect(await page.getByTestId('import-errors').textContent()).toContain('校验码');
      const after1 = Number(
        (
          await db
            .selectFrom('persons')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(after1).toBe(before);

      // The bad rows come back as a workbook with an error column.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: '下载 2 行错误数据（XLSX，含原因）' }).click(),
      ]);
      const errorsFile = path.join(dir, 'errors.xlsx');
      await download.saveAs(errorsFile);
      const back = new ExcelJS.Workbook();
      await back.xlsx.readFile(errorsFile);
      const sheet = back.worksheets[0]!;
      expect(sheet.rowCount).toBe(3);
      const header: string[] = [];
      sheet.getRow(1).eachCell((c) => header.push(c.text));
      expect(header.join('|')).toContain('错误');
      await snap(page, 'people-import-rejected');

      // Fixed, the whole file goes in.
      await file.setInputFiles(fixedFile);
      await page.getByRole('button', { name: '检查并导入' }).click();
      await expect.poll(() => report.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
      // The counts are antd Statistics (no role): the imported one by its test id.
      expect((await page.getByTestId('import-imported').textContent())?.replace(/\D/g, '')).toBe('5');

      // Find 吴三新 by the whole ID number; lists show it masked.
      await page.getByRole('link', { name: '返回人员列表' }).click();
      const search = page.getByRole('searchbox', { name: '搜索人员' });
      await search.fill(ids[2]!);
      await search.press('Enter');
      const table = page.getByRole('table');
      const row = table.getByRole('row').filter({ hasText: '吴三新' });
      await row.waitFor();
      expect(await table.textContent()).toContain('330112********');
      expect(await table.textContent()).not.toContain(ids[2]!);
      await row.getByRole('link', { name: '吴三新' }).click();
      const phone = page.getByRole('cell', { name: /^手机号/ });
      await phone.getByRole('button', { name: '查看' }).click();
      const dialog = page.getByRole('dialog', { name: '查看完整手机号' });
      await dialog.getByLabel('理由').fill('入户走访核实联系方式');
      await dialog.getByRole('button', { name: '查看' }).click();
      await expect.poll(() => phone.textContent()).toContain('13905710003');
      await snap(page, 'people-revealed');
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByLabel('用户名').waitFor();

      // The administrator finds the reveal, with its reason, in the audit viewer.
      await j.login(page, 'admin');
      await page.getByRole('menuitem', { name: '审计' }).click();
      await page.getByLabel('动作').fill('person.reveal');
      await page.getByRole('button', { name: '查询' }).click();
      const log = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: '动作' }) });
      const revealRow = log.getByRole('row').filter({ hasText: '入户走访核实联系方式' });
      await revealRow.waitFor();
      expect(await revealRow.textContent()).toContain('cadre');
      // The action by its label, not its code.
      expect(await revealRow.textContent()).toContain('查看人员敏感信息');
      expect(await revealRow.textContent()).not.toContain('person.reveal');
      await snap(page, 'admin-audit-reveal');
      // Anchoring now signs the chain's head (the anchoring's own audit row) outside the database;
      // the anchor is listed to print or send up, and verification checks it with the rows.
      const head = async () =>
        await j.boot.database.db
          .selectFrom('audit_log')
          .select(['id', 'hash'])
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
      await page.getByRole('button', { name: '立即生成锚点' }).click();
      const anchors = page
        .getByRole('table')
        .filter({ has: page.getByRole('columnheader', { name: '签名时间' }) });
      await expect.poll(async () => anchors.textContent()).toContain((await head()).hash);
      expect(await anchors.textContent()).toContain(`#${(await head()).id}`);
      await page.getByRole('button', { name: '校验哈希链' }).click();
      await expect
        .poll(() => page.getByRole('alert').filter({ hasText: '哈希链' }).textContent())
        .toMatch(/2 个锚点|2 anchors/);
      await snap(page, 'admin-audit-anchors');
    } finally {
      await context.close();
    }
  });
});
