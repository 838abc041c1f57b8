// The demo's daily epidemic report: a village cadre corrects today's figures for their village; the
// street's commander sees the street's sums move by exactly that, each village's status, drills into
// the cadre's village and looks at yesterday; the district commander filters by the incident command,
// drills into a street with villages missing (tagged 未报), sees the history chart and exports the
// workbook, whose row for the cadre's village carries the new figures. Every figure from the database.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { localDate } from '../common/worktime.js';
import { DEMO_REPORT_TITLE } from '../server/demo/reports-seed.js';
import { choose, snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

// The figures are antd Statistics and a bordered Descriptions table of totals: nothing ties a value
// to its title by role, so these read them by test id.
const stat = (page: Page, k: string) =>
  page.getByTestId(`report-stat-${k}`).locator('.ant-statistic-content-value').textContent();
const total = (page: Page, code: string) => page.getByTestId(`report-total-${code}`).textContent();
/** A place's row in the summary's table, found by the link that drills into it. */
const childRow = (page: Page, name: string) =>
  page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });

describe('daily report journey', () => {
  it('a cadre corrects today’s report; the street and the district see it in sums, drill-down, chart and export', async () => {
    const db = j.boot.database.db;
    const today = localDate(new Date().toISOString());
    const tpl = await db
      .selectFrom('report_templates')
      .select(['id', 'command_id'])
      .where('title', '=', DEMO_REPORT_TITLE)
      .executeTakeFirstOrThrow();
    const village = await db
      .selectFrom('role_assignments as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .innerJoin('nodes as n', 'n.id', 'a.node_id')
      .select(['n.id', 'n.name', 'n.parent_id'])
      .where('u.username', '=', 'cadre')
      .executeTakeFirstOrThrow();
    const street = await db
      .selectFrom('nodes')
      .select(['id', 'name', 'path'])
      .where('name', '=', '锦城街道')
      .executeTakeFirstOrThrow();
    expect(village.parent_id).toBe(street.id);
    const streetVillages = await db
      .selectFrom('nodes')
      .select(['id', 'name'])
      .where('parent_id', '=', street.id)
      .where('level', '=', 'village')
      .where('retired_at', 'is', null)
      .execute();
    const submissionsToday = async () => {
      const rows = await db
        .selectFrom('report_submissions')
        .select(['node_id', 'values'])
        .where('template_id', '=', tpl.id)
        .where('day', '=', today)
        .execute();
      return new Map(rows.map((r) => [r.node_id, JSON.parse(r.values) as Record<string, number | string>]));
    };
    const streetSum = async (code: string) => {
      const subs = await submissionsToday();
      return streetVillages.reduce((a, v) => a + Number(subs.get(v.id)?.[code] ?? 0), 0);
    };
    const before = (await submissionsToday()).get(village.id);
    const screenedSumBefore = await streetSum('screened');
    // New figures that differ from whatever the demo filled in today.
    const next = {
      screened: Number(before?.screened ?? 0) + 37,
      home_observation: Number(before?.home_observation ?? 0) + 3,
      fever: Number(before?.fever ?? 0) + 1,
      supplies: before?.supplies === '紧张' ? '充足' : '紧张',
      remarks: '新增返乡人员已全部上门核查',
    };

    // 1. The village cadre opens the report from the list and fills (or corrects) today's form.
    const cadre = await j.newPage();
    try {
      await j.login(cadre.page, 'cadre');
      await cadre.page.goto('/reports');
      await cadre.page.getByRole('link', { name: DEMO_REPORT_TITLE }).click();
      const input = (label: string) => cadre.page.getByLabel(label, { exact: true });
      if (before) await expect.poll(() => input('排查人数').inputValue()).toBe(String(before.screened));
      await snap(cadre.page, 'reports-cadre-form');
      await input('排查人数').fill(String(next.screened));
      await input('居家观察人数').fill(String(next.home_observation));
      await input('发热人数').fill(String(next.fever));
      await choose(input('防疫物资'), next.supplies);
      await input('备注').fill(next.remarks);
      await cadre.page.getByRole('button', { name: '提交', exact: true }).click();
      await expect.poll(async () => (await submissionsToday()).get(village.id)).toEqual(next);
      await cadre.page.getByText('已提交', { exact: true }).first().waitFor();
      await snap(cadre.page, 'reports-cadre-submitted');
    } catch (e) {
      await snap(cadre.page, 'reports-cadre-failed');
      throw e;
    } finally {
      await cadre.context.close();
    }
    const screenedSum = await streetSum('screened');
    expect(screenedSum).toBe(screenedSumBefore - Number(before?.screened ?? 0) + next.screened);

    const subs = await submissionsToday();
    const streetMissing = streetVillages.filter((v) => !subs.has(v.id));
    // The demo leaves one other village of the street missing today, for its commander to chase.
    expect(streetMissing.length).toBeGreaterThan(0);
    const yesterday = localDate(new Date(Date.now() - 86_400_000).toISOString());
    const yesterdayRows = await db
      .selectFrom('report_submissions')
      .select('values')
      .where('template_id', '=', tpl.id)
      .where('day', '=', yesterday)
      .where(
        'node_id',
        'in',
        streetVillages.map((v) => v.id),
      )
      .execute();
    const yesterdayScreened = yesterdayRows.reduce(
      (a, r) => a + Number((JSON.parse(r.values) as { screened: number }).screened),
      0,
    );

    // 2. The street's commander: today's sums hold the cadre's figures, each village is tagged as the
    // database has it (未报 for those missing), a click on the cadre's village shows it alone, and
    // another day shows that day's figures.
    const town = await j.newPage();
    try {
      await j.login(town.page, 'towncmd');
      await town.page.goto(`/reports/${tpl.id}`);
      await expect.poll(() => total(town.page, 'screened')).toBe(String(screenedSum));
      await expect.poll(() => total(town.page, 'fever')).toBe(String(await streetSum('fever')));
      await childRow(town.page, village.name).getByText('按时').waitFor();
      await childRow(town.page, village.name).getByText(String(next.screened), { exact: true }).waitFor();
      // The places not reported: a line of tags under the table (its test id scopes it).
      const missing = town.page.getByTestId('report-missing');
      for (const m of streetMissing) {
        await childRow(town.page, m.name).getByText('未报').waitFor();
        await missing.getByText(m.name).waitFor();
      }
      if (streetMissing.length === 0) await missing.getByText('全部已报').waitFor();
      await expect.poll(() => stat(town.page, 'missing')).toBe(String(streetMissing.length));
      await snap(town.page, 'reports-town-summary');
      await town.page.getByRole('link', { name: village.name, exact: true }).click();
      await expect.poll(() => total(town.page, 'screened')).toBe(String(next.screened));
      await town.page.getByTestId('report-total-supplies').getByText(next.supplies).waitFor();
      const crumbs = town.page.getByRole('navigation');
      await crumbs.getByText(village.name).waitFor();
      await snap(town.page, 'reports-town-village');
      // Back up to the street, then yesterday.
      await crumbs.getByRole('link', { name: street.name }).click();
      await childRow(town.page, village.name).waitFor();
      const dayInput = town.page.getByLabel('日期', { exact: true });
      await dayInput.click();
      await dayInput.fill(yesterday);
      await dayInput.press('Enter');
      await expect.poll(() => total(town.page, 'screened')).toBe(String(yesterdayScreened));
      await expect.poll(() => stat(town.page, 'submitted')).toBe(String(yesterdayRows.length));
    } catch (e) {
      await snap(town.page, 'reports-town-failed');
      throw e;
    } finally {
      await town.context.close();
    }

    // 3. The district commander: the list filtered by the demo's incident command, the history chart,
    // and the export.
    const district = await j.newPage();
    try {
      await j.login(district.page, 'commander');
      await district.page.goto('/reports');
      expect(tpl.command_id).not.toBeNull();
      const command = await db
        .selectFrom('incident_commands')
        .select('name')
        .where('id', '=', tpl.command_id)
        .executeTakeFirstOrThrow();
      await choose(district.page.getByLabel('指挥部', { exact: true }), command.name);
      const open = district.page.getByRole('link', { name: DEMO_REPORT_TITLE });
      await open.waitFor();
      await snap(district.page, 'reports-district-list');
      await open.click();
      const allSubs = await db
        .selectFrom('report_submissions')
        .select(['node_id', 'values'])
        .where('template_id', '=', tpl.id)
        .where('day', '=', today)
        .execute();
      const districtScreened = allSubs.reduce(
        (a, r) => a + Number((JSON.parse(r.values) as { screened: number }).screened),
        0,
      );
      await expect.poll(() => total(district.page, 'screened')).toBe(String(districtScreened));
      await expect.poll(() => stat(district.page, 'submitted')).toBe(String(allSubs.length));
      // A street with villages missing today (the demo leaves a few): drill in, they are tagged 未报.
      const villages = await db
        .selectFrom('nodes')
        .select(['id', 'name', 'parent_id'])
        .where('level', '=', 'village')
        .where('retired_at', 'is', null)
        .execute();
      const missingToday = villages.filter((v) => !allSubs.some((s) => s.node_id === v.id));
      expect(missingToday.length, 'the demo leaves some villages missing today').toBeGreaterThan(0);
      const gapStreet = missingToday[0]!.parent_id!;
      const gapMissing = missingToday.filter((v) => v.parent_id === gapStreet);
      const gapName = (
        await db.selectFrom('nodes').select('name').where('id', '=', gapStreet).executeTakeFirstOrThrow()
      ).name;
      // The row's fifth cell: how many places below have not reported.
      await childRow(district.page, gapName)
        .getByRole('cell')
        .nth(4)
        .getByText(String(gapMissing.length), { exact: true })
        .waitFor();
      await district.page.getByRole('link', { name: gapName, exact: true }).click();
      const missing = district.page.getByTestId('report-missing');
      for (const m of gapMissing) {
        await childRow(district.page, m.name).getByText('未报').waitFor();
        await missing.getByText(m.name).waitFor();
      }
      await expect.poll(() => stat(district.page, 'missing')).toBe(String(gapMissing.length));
      await snap(district.page, 'reports-district-street-missing');
      await district.page.getByRole('navigation').getByRole('link').first().click();
      await expect.poll(() => total(district.page, 'screened')).toBe(String(districtScreened));
      // The chart is a canvas: found by its container's test id.
      const chart = district.page.getByTestId('report-history-chart').locator('canvas');
      await chart.waitFor();
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(box?.height).toBeGreaterThan(200);
      await snap(district.page, 'reports-district-summary');
      await district.page.getByTestId('report-history-chart').scrollIntoViewIfNeeded();
      // Let the chart's entry animation finish before the picture.
      await district.page.waitForTimeout(1500);
      await snap(district.page, 'reports-district-chart');

      const [download] = await Promise.all([
        district.page.waitForEvent('download'),
        district.page.getByRole('button', { name: '导出 Excel' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const file = await download.path();
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const sheet = wb.worksheets[0]!;
      // exceljs rows are 1-based arrays with a hole at 0.
      const header = Array.from(sheet.getRow(1).values as (string | undefined)[], (v) => v ?? '');
      const col = (start: string) => header.findIndex((h) => h.startsWith(start));
      const rows: unknown[][] = [];
      sheet.eachRow((r, n) => {
        if (n > 1) rows.push(r.values as unknown[]);
      });
      const mine = rows.find((r) => r[col('日期')] === today && r[col('上报单位')] === village.name);
      expect(mine, `a row for ${village.name} on ${today}`).toBeDefined();
      expect(mine![col('上级')]).toBe(street.name);
      expect(mine![col('排查人数')]).toBe(next.screened);
      expect(mine![col('居家观察人数')]).toBe(next.home_observation);
      expect(mine![col('发热人数')]).toBe(next.fever);
      expect(mine![col('防疫物资')]).toBe(next.supplies);
      expect(mine![col('备注')]).toBe(next.remarks);
      // Corrected the demo's own figure: the correction time is filled.
      if (before) expect(mine![col('更正时间')]).toBeTruthy();
      for (const m of missingToday)
        expect(
          rows.find((r) => r[col('日期')] === today && r[col('上报单位')] === m.name)?.[col('状态')],
        ).toBe('未报');
    } catch (e) {
      await snap(district.page, 'reports-district-failed');
      throw e;
    } finally {
      await district.context.close();
    }
  });
  it('reports and notices filter by an open incident command; a new report and a new notice are attached to one from the list', async () => {
    const db = j.boot.database.db;
    const command = await db
      .selectFrom('incident_commands')
      .select(['id', 'name'])
      .where('closed_at', 'is', null)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const { page, context } = await j.newPage();
    try {
      await j.login(page, 'commander');
      // A new daily report, its command chosen from the open commands.
      await page.goto('/reports');
      await page.getByRole('button', { name: '新建报表' }).click();
      const creating = page.getByRole('dialog', { name: '新建每日报表' });
      await creating.getByLabel('报表名称').fill('卡点值守日报');
      await choose(creating.getByLabel('所属指挥部（可选）'), new RegExp(`^${command.name}（`));
      await snap(page, 'reports-create-modal');
      await creating.getByRole('button', { name: '确定' }).click();
      await page.waitForURL(/\/reports\/\d+$/);
      const id = Number(page.url().split('/').pop());
      const created = await db
        .selectFrom('report_templates')
        .select(['title', 'command_id'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(created).toEqual({ title: '卡点值守日报', command_id: command.id });
      await page.getByText(command.name).first().waitFor();

      // Notices: the filter keeps the command's notices; a notice published from the filtered list
      // belongs to that command.
      const ofCommand = await db
        .selectFrom('notices')
        .select('id')
        .where('command_id', '=', command.id)
        .execute();
      expect(ofCommand.length).toBeGreaterThan(0);
      await page.goto('/notices');
      const filtered = page.waitForRequest(
        (r) =>
          r.url().includes('/api/notices?') &&
          new URL(r.url()).searchParams.get('command') === String(command.id),
      );
      await choose(page.getByLabel('所属指挥部', { exact: true }), command.name);
      await filtered;
      // Each listed notice's title links to it: the links say which notices the list holds.
      const table = page.getByRole('table');
      const listed = () =>
        table
          .getByRole('row')
          .getByRole('link')
          .evaluateAll((els) => els.map((e) => (e as unknown as { pathname: string }).pathname).sort());
      await expect.poll(listed).toEqual(ofCommand.map((n) => `/notices/${n.id}`).sort());
      await table.getByText(command.name).first().waitFor();
      await snap(page, 'notices-filtered');
      await page.getByRole('button', { name: '发布告知书' }).click();
      const publishing = page.getByRole('dialog', { name: '发布告知书' });
      await publishing.getByText(command.name).waitFor();
      await publishing.getByLabel('标题').fill('冬季防疫告知书');
      await publishing.getByLabel('正文').fill('请各户做好冬季防疫，出现发热症状及时报告。');
      await snap(page, 'notices-publish-modal');
      await publishing.getByRole('button', { name: '发布', exact: true }).click();
      await page.waitForURL(/\/notices\/\d+$/);
      const notice = await db
        .selectFrom('notices')
        .select(['title', 'command_id'])
        .where('id', '=', Number(page.url().split('/').pop()))
        .executeTakeFirstOrThrow();
      expect(notice).toEqual({ title: '冬季防疫告知书', command_id: command.id });
    } catch (e) {
      await snap(page, 'reports-commands-failed');
      throw e;
    } finally {
      await context.close();
    }
  });
});
