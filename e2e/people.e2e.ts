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
      await page.getByTestId('nav-people').click();
      await page.getByTestId('people-import').click();
      await page.getByTestId('import-file').setInputFiles(badFile);
      await page.getByTestId('import-submit').click();
      const report = page.getByTestId('import-report');
      await expect.poll(() => report.getAttribute('data-status'), { timeout: 30_000 }).toBe('rejected');
      await page.getByTestId('import-nothing-written').waitFor();
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
        page.getByTestId('import-error-workbook').click(),
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
      await page.getByTestId('import-file').setInputFiles(fixedFile);
      await page.getByTestId('import-submit').click();
      await expect.poll(() => report.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
      expect((await page.getByTestId('import-imported').textContent())?.replace(/\D/g, '')).toBe('5');

      // Find 吴三新 by the whole ID number; lists show it masked.
      await page.getByTestId('import-back').click();
      await page.getByTestId('people-search').locator('input').fill(ids[2]!);
      await page.getByTestId('people-search').locator('input').press('Enter');
      const person = await db
        .selectFrom('persons')
        .select('id')
        .where('name', '=', '吴三新')
        .executeTakeFirstOrThrow();
      await page.getByTestId(`person-row-${person.id}`).waitFor();
      expect(await page.getByTestId('people-table').textContent()).toContain('330112********');
      expect(await page.getByTestId('people-table').textContent()).not.toContain(ids[2]!);
      await page.getByTestId(`person-link-${person.id}`).click();
      await page.getByTestId('reveal-phone').click();
      await page.getByTestId('reveal-reason').fill('入户走访核实联系方式');
      await page.getByTestId('reveal-submit').click();
      await expect.poll(() => page.getByTestId('revealed-phone').textContent()).toContain('13905710003');
      await snap(page, 'people-revealed');
      await page.getByTestId('logout').click();
      await page.getByTestId('login-username').waitFor();

      // The administrator finds the reveal, with its reason, in the audit viewer.
      await j.login(page, 'admin');
      await page.getByTestId('nav-audit').click();
      await page.getByTestId('audit-filter-action').fill('person.reveal');
      await page.getByTestId('audit-filter-submit').click();
      await expect
        .poll(() => page.getByTestId('audit-table').textContent())
        .toContain('入户走访核实联系方式');
      expect(await page.getByTestId('audit-table').textContent()).toContain('cadre');
      // The action by its label, not its code.
      expect(await page.getByTestId('audit-action').first().textContent()).toBe('查看人员敏感信息');
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
      await page.getByTestId('audit-anchor-now').click();
      await expect
        .poll(async () => page.getByTestId('audit-anchors').textContent())
        .toContain((await head()).hash);
      expect(await page.getByTestId('audit-anchors').textContent()).toContain(`#${(await head()).id}`);
      await page.getByTestId('audit-verify').click();
      await expect
        .poll(() => page.getByTestId('audit-verify-result').textContent())
        .toMatch(/2 个锚点|2 anchors/);
      await snap(page, 'admin-audit-anchors');
    } finally {
      await context.close();
    }
  });
});
