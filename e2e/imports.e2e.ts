// A village cadre imports the register they really keep: a merged title above the header, a 序号
// column, blank rows, a 合计 row, dates as date cells and as text, and two ID numbers Excel kept as
// numbers. The check says how many rows are valid and why the two are not; in the same place the
// cadre downloads the bad rows' workbook and imports the valid rows. No request fails on the way
// (the progress is polled from the start of the upload), and the report fits a phone's width.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../common/validators.js';
import {
  idSurvivingAsNumber,
  registerWorkbook,
  type RegisterLine,
} from '../server/test/register-workbook.js';
import { snap, startJourney, type Journey } from './harness.js';

let j: Journey;
let dir: string;
beforeAll(async () => {
  j = await startJourney();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-e2e-imports-'));
});
afterAll(async () => {
  await j?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const idOf = (birth: string, seq: number) => {
  const first17 = `330112${birth}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
};

describe('importing a real register', () => {
  it('a cadre sees “4 valid, 2 with errors” with the reasons, downloads the bad rows and imports the valid ones', async () => {
    const db = j.boot.database.db;
    const grids = await db
      .selectFrom('role_assignments as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .innerJoin('nodes as v', 'v.id', 'a.node_id')
      .innerJoin('nodes as g', 'g.parent_id', 'v.id')
      .select('g.full_code')
      .where('u.username', '=', 'cadre')
      .where('g.level', '=', 'grid')
      .orderBy('g.full_code')
      .execute();
    const grid = grids[0]!.full_code;
    const survivor = idSurvivingAsNumber('330112', '19770707');
    const lines: RegisterLine[] = [
      {
        name: '钱一登',
        id: idOf('19770101', 801),
        phone: '13905719001',
        phoneAsNumber: true,
        grid,
        type: '户籍人口',
        arrival: new Date(Date.UTC(2022, 0, 3)),
      },
      { name: '钱二登', id: survivor.id, idAsNumber: true, grid, type: '户籍人口' },
      { name: '钱三登', id: idOf('19770101', 803), grid, type: '流动人口', arrival: '2022/1/4' },
      'blank',
      { name: '钱四登', id: idOf('19770101', 804), idAsNumber: true, grid, type: '流动人口' },
      { name: '钱五登', id: idOf('19770101', 805), grid, type: '返乡人员', arrival: '2022年1月5日' },
      { name: '钱六登', id: idOf('19770101', 806), grid, type: '户籍人口', arrival: '20220106' },
      'total',
    ];
    const { data, rowOf } = await registerWorkbook(lines);
    const file = path.join(dir, '常住人口登记表.xlsx');
    fs.writeFileSync(file, data);
    const names = lines.flatMap((l) => (typeof l === 'object' ? [l.name] : []));
    const countImported = async () =>
      (await db.selectFrom('persons').select('name').where('name', 'in', names).execute()).length;

    const { page, context } = await j.newPage();
    // Every API request from the import page on, and what it answered: none may fail, the progress
    // polls included (they start with the upload, before the server has registered the run).
    const failed: string[] = [];
    const polls: number[] = [];
    let watching = false;
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (!watching || !url.pathname.startsWith('/api/')) return;
      if (url.pathname === '/api/people/imports') polls.push(r.status());
      if (r.status() >= 400)
        failed.push(`${r.status()} ${r.request().method()} ${url.pathname}${url.search}`);
    });
    try {
      await j.login(page, 'cadre');
      await page.goto('/people/import');
      watching = true;
      await page.getByLabel('选择文件').setInputFiles(file);
      await page.getByRole('button', { name: '检查并导入' }).click();

      const report = page.getByTestId('import-report');
      await expect.poll(() => report.getAttribute('data-status'), { timeout: 30_000 }).toBe('rejected');
      await page.getByText('4 行有效，2 行有错误').waitFor();
      await page.getByText('尚未导入任何数据。').waitFor();
      expect(await countImported()).toBe(0);
      // The two rows, by their row in the sheet, each with why and how to fix the column.
      const errorRows = page.getByTestId('import-errors').locator('tbody tr');
      expect(await errorRows.count()).toBe(2);
      for (const [k, name] of (['钱二登', '钱四登'] as const).entries()) {
        const row = errorRows.nth(k);
        const sheetRow = rowOf[lines.findIndex((l) => typeof l === 'object' && l.name === name)]!;
        expect(await row.locator('td').nth(0).textContent()).toBe(String(sheetRow));
        expect(await row.locator('td').nth(1).textContent()).toBe('身份证号');
        expect(await row.locator('td').nth(2).textContent()).toMatch(
          /存成了数字.*末尾几位已经丢失.*“文本”格式/,
        );
      }
      // The rows skipped on the way, each with its reason.
      await page.getByRole('button', { name: '跳过 3 行（不是数据）' }).click();
      const skipped = page.getByTestId('import-skipped');
      await skipped.getByText('第 1 行：在表头之上（如标题行），未作为数据读取').waitFor();
      await skipped.getByText(`第 ${rowOf[3]} 行：空行，已跳过`).waitFor();
      await skipped.getByText(`第 ${rowOf[7]} 行：合计行，已跳过`).waitFor();
      await snap(page, 'imports-checked');

      // The report fits a phone: nothing scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await snap(page, 'imports-checked-phone');
      await page.setViewportSize({ width: 1280, height: 800 });

      // In the same place: the bad rows' workbook, with the reason in the page's language…
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: '下载 2 行错误数据（XLSX，含原因）' }).click(),
      ]);
      const bad = path.join(dir, 'errors.xlsx');
      await download.saveAs(bad);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(bad);
      const ws = wb.worksheets[0]!;
      const header: string[] = [];
      ws.getRow(1).eachCell((c) => header.push(c.text));
      expect(header[0]).toBe('行号');
      expect(header.at(-1)).toBe('错误');
      expect(ws.rowCount).toBe(3);
      for (const r of [2, 3]) {
        expect(ws.getRow(r).getCell(header.indexOf('姓名') + 1).text).toMatch(/钱[二四]登/);
        expect(ws.getRow(r).getCell(header.length).text).toMatch(/身份证号被 Excel 存成了数字/);
      }

      // …and the valid rows, imported.
      await page.getByRole('button', { name: '导入 4 行有效数据' }).click();
      await expect.poll(() => report.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
      await page.getByText('共 6 行：导入 4 行，拒绝 2 行').waitFor();
      expect(await countImported()).toBe(4);
      const arrivals = await db
        .selectFrom('persons')
        .select(['name', 'arrival_date'])
        .where('name', 'in', names)
        .orderBy('arrival_date')
        .execute();
      expect(arrivals.map((p) => p.arrival_date)).toEqual([
        '2022-01-03',
        '2022-01-04',
        '2022-01-05',
        '2022-01-06',
      ]);
      await snap(page, 'imports-done');
      expect(failed).toEqual([]);
      expect(polls.length, 'the progress was polled').toBeGreaterThan(0);
      expect(new Set(polls)).toEqual(new Set([200]));
    } finally {
      await context.close();
    }
  });
});
