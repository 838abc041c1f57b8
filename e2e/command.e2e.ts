// The command journey: the district commander issues a directive to every village of two streets;
// the street's commander relays it to the street's grids with added instructions; a community cadre
// signs for it and reports back. The commander watches the tracking board and the cockpit change
// live, in pages opened before the steps and never reloaded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

const pick = async (page: Page, testId: string, text: string) => {
  await page.getByTestId(testId).click();
  await page.keyboard.type(text);
  const option = page.locator('.ant-select-item-option', { hasText: text }).first();
  await option.waitFor();
  await option.click();
};

describe('command journey', () => {
  it('a directive reaches every village of two streets, is relayed, signed for and reported back, live on the board and the cockpit', async () => {
    const db = j.boot.database.db;
    const street = await db
      .selectFrom('nodes')
      .select(['id', 'name'])
      .where('name', '=', '锦城街道')
      .executeTakeFirstOrThrow();
    const villages = await db
      .selectFrom('nodes')
      .select('id')
      .where('parent_id', 'in', [
        street.id,
        (await db.selectFrom('nodes').select('id').where('name', '=', '锦北街道').executeTakeFirstOrThrow())
          .id,
      ])
      .where('level', '=', 'village')
      .execute();

    // 1. The district commander issues it from the command page.
    const commander = await j.newPage();
    const cockpit = await j.newPage();
    const towncmd = await j.newPage();
    const cadre = await j.newPage({ width: 390, height: 844 });
    try {
      await j.login(commander.page, 'commander');
      await commander.page.goto('/command');
      await commander.page.getByTestId('issue-directive').click();
      await commander.page.getByTestId('directive-title').fill('做好返乡人员健康监测');
      await commander.page.getByTestId('directive-body').fill('各村社对返乡人员每日两次测温并登记。');
      await pick(commander.page, 'directive-level', '村社');
      // Instead of the whole district: the two streets.
      await commander.page
        .getByTestId('directive-within')
        .locator('.ant-select-selection-item-remove')
        .first()
        .click();
      await pick(commander.page, 'directive-within', '锦城街道');
      await pick(commander.page, 'directive-within', '锦北街道');
      await commander.page.getByTestId('directive-submit').click();
      await commander.page.waitForURL(/\/directives\/\d+$/);
      const id = Number(commander.page.url().split('/').pop());
      const villageCounts = commander.page.getByTestId('board-level-village-counts');
      await expect.poll(() => villageCounts.textContent()).toBe(`${villages.length}/0/0/0`);
      const targets = await db
        .selectFrom('directive_targets')
        .select('node_id')
        .where('directive_id', '=', id)
        .execute();
      expect(targets.map((x) => x.node_id).sort()).toEqual(villages.map((v) => v.id).sort());

      // The cockpit, opened once and never reloaded.
      await j.login(cockpit.page, 'commander');
      await cockpit.page.goto('/cockpit');
      const pending = cockpit.page.getByTestId('fig-directives-pending');
      await pending.waitFor();
      const pendingOf = async () => Number(await pending.textContent());

      // 2. The street's commander relays it to the street's grids with added instructions.
      await j.login(towncmd.page, 'towncmd');
      await towncmd.page.goto(`/directives/${id}`);
      await towncmd.page.getByTestId(`relay-from-${street.id}`).click();
      await towncmd.page.getByTestId('directive-body').fill('各网格协助村社落实测温登记，发现异常立即上报。');
      await pick(towncmd.page, 'directive-level', '网格');
      await towncmd.page.getByTestId('directive-submit').click();
      await towncmd.page.getByTestId(`relay-from-${street.id}`).waitFor({ state: 'detached' });
      // The relay shows as a child of the directive on the commander's board, live.
      await commander.page.getByTestId('board-cascade').getByText('锦城街道').waitFor();
      await snap(commander.page, 'command-board-relayed');

      // 3. A community cadre finds it in the tasks, signs for it and reports back.
      await j.login(cadre.page, 'cadre');
      await cadre.page.goto('/tasks');
      await cadre.page.getByTestId(`directive-task-${id}`).getByRole('link').click();
      await cadre.page.getByTestId('target-sign').click();
      await cadre.page.getByTestId('my-targets').getByTestId('target-state-signed').waitFor();
      await expect.poll(() => villageCounts.textContent()).toBe(`${villages.length - 1}/1/0/0`);
      const before = await pendingOf();
      await cadre.page.getByTestId('target-report').click();
      await cadre.page.getByTestId('report-text').fill('已落实每日两次测温，登记返乡人员12人。');
      await cadre.page.getByTestId('figure-add').click();
      await cadre.page.getByTestId('figure-name-0').fill('返乡人员');
      await cadre.page.getByTestId('figure-value-0').fill('12');
      // The report-back carries a small PDF, uploaded as soon as it is chosen.
      const pdf = Buffer.from(
        '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
        'latin1',
      );
      await cadre.page
        .getByTestId('report-files')
        .locator('input[type=file]')
        .setInputFiles({ name: '排查登记表.pdf', mimeType: 'application/pdf', buffer: pdf });
      await cadre.page.getByTestId('report-files').locator('.ant-upload-list-item-done').waitFor();
      await cadre.page.getByTestId('report-submit').click();
      await cadre.page.getByTestId('my-targets').getByTestId('target-state-reported').waitFor();
      await snap(cadre.page, 'command-cadre-reported');

      // 4. The commander's board and cockpit changed without a reload.
      await expect
        .poll(() => villageCounts.textContent(), { timeout: 10_000 })
        .toBe(`${villages.length - 1}/0/1/0`);
      await expect.poll(pendingOf, { timeout: 10_000 }).toBe(before - 1);
      await commander.page.getByTestId('board-status').getByText('已反馈').click();
      await commander.page.getByTestId('board-targets').getByText('返乡人员 12').waitFor();
      await commander.page
        .getByTestId('board-targets')
        .getByRole('link', { name: /排查登记表\.pdf/ })
        .waitFor();
      await snap(commander.page, 'command-board-reported');
      await snap(cockpit.page, 'command-cockpit');
    } finally {
      for (const p of [commander, cockpit, towncmd, cadre]) await p.context.close();
    }
  });
});
