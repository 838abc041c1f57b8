// The command journey: the district commander issues a directive to every village of two streets;
// the street's commander relays it to the street's grids with added instructions; a community cadre
// signs for it and reports back. The commander watches the tracking board and the cockpit change
// live, in pages opened before the steps and never reloaded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, closeList, snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

describe('command journey', () => {
  // Four browsers at once: more time than one journey's default.
  it(
    'a directive reaches every village of two streets, is relayed, signed for and reported back, live on the board and the cockpit',
    { timeout: 240_000 },
    async () => {
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
        await commander.page.getByRole('button', { name: '下发指令' }).click();
        const issue = commander.page.getByRole('dialog', { name: /下发指令/ });
        await issue.getByLabel('指令标题').fill('做好返乡人员健康监测');
        await issue.getByLabel('指令内容').fill('各村社对返乡人员每日两次测温并登记。');
        await choose(issue.getByLabel('下发到'), '村社');
        // Instead of the whole district: the two streets (the district's tag goes with a backspace).
        const within = issue.getByLabel('范围');
        await within.focus();
        await within.press('Backspace');
        await choose(within, /^锦城街道/, { type: '锦城街道', keepOpen: true });
        await choose(within, /^锦北街道/, { type: '锦北街道', keepOpen: true });
        await closeList(within);
        await issue.getByRole('button', { name: '下发指令' }).click();
        await commander.page.waitForURL(/\/directives\/\d+$/);
        const id = Number(commander.page.url().split('/').pop());
        // The board's counts per level are a hidden test hook (pending/signed/reported/overdue): the
        // figures on screen are antd Statistics, which have no role to find them by.
        const villageCounts = commander.page.getByTestId('board-level-village-counts');
        await expect.poll(() => villageCounts.textContent()).toBe(`${villages.length}/0/0/0`);
        const targets = await db
          .selectFrom('directive_targets')
          .select('node_id')
          .where('directive_id', '=', id)
          .execute();
        expect(targets.map((x) => x.node_id).sort()).toEqual(villages.map((v) => v.id).sort());

        // The cockpit, opened once and never reloaded. Its figures are Statistics too: by test id.
        await j.login(cockpit.page, 'commander');
        await cockpit.page.goto('/cockpit');
        const pending = cockpit.page.getByTestId('fig-directives-pending');
        await pending.waitFor();
        const pendingOf = async () => Number(await pending.textContent());

        // 2. The street's commander relays it to the street's grids with added instructions.
        await j.login(towncmd.page, 'towncmd');
        await towncmd.page.goto(`/directives/${id}`);
        const relay = towncmd.page.getByRole('button', { name: `从 ${street.name} 转发` });
        await relay.click();
        const relaying = towncmd.page.getByRole('dialog', { name: /转发/ });
        await relaying.getByLabel('转发要求').fill('各网格协助村社落实测温登记，发现异常立即上报。');
        await choose(relaying.getByLabel('下发到'), '网格');
        await relaying.getByRole('button', { name: '转发', exact: true }).click();
        await relay.waitFor({ state: 'detached' });
        // The relay shows as a child of the directive on the commander's board, live.
        await commander.page.getByRole('link', { name: `${street.name} 转发` }).waitFor();
        await snap(commander.page, 'command-board-relayed');

        // 3. A community cadre finds it in the tasks, signs for it and reports back.
        await j.login(cadre.page, 'cadre');
        await cadre.page.goto('/tasks');
        await cadre.page.getByRole('link', { name: '做好返乡人员健康监测' }).click();
        // The cadre's own targets are a card with no role: its test id scopes the state tag's text.
        const mine = cadre.page.getByTestId('my-targets');
        await mine.getByRole('button', { name: '签收' }).click();
        await mine.getByText('已签收', { exact: true }).waitFor();
        await expect.poll(() => villageCounts.textContent()).toBe(`${villages.length - 1}/1/0/0`);
        const before = await pendingOf();
        await mine.getByRole('button', { name: '反馈' }).click();
        const report = cadre.page.getByRole('dialog', { name: /反馈/ });
        await report.getByLabel('反馈内容').fill('已落实每日两次测温，登记返乡人员12人。');
        await report.getByRole('button', { name: '添加数据项' }).click();
        await report.getByLabel('数据项（如 排查户数）').fill('返乡人员');
        await report.getByLabel('数值').fill('12');
        // The report-back carries a small PDF, uploaded as soon as it is chosen.
        const pdf = Buffer.from(
          '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
          'latin1',
        );
        const [chooser] = await Promise.all([
          cadre.page.waitForEvent('filechooser'),
          report.getByRole('button', { name: '添加附件' }).click(),
        ]);
        await chooser.setFiles({ name: '排查登记表.pdf', mimeType: 'application/pdf', buffer: pdf });
        // Uploaded: antd marks the file's line done (no role says so).
        await report.locator('.ant-upload-list-item-done').waitFor();
        await report.getByRole('button', { name: '确定' }).click();
        await mine.getByText('已反馈', { exact: true }).waitFor();
        await snap(cadre.page, 'command-cadre-reported');

        // 4. The commander's board and cockpit changed without a reload.
        await expect
          .poll(() => villageCounts.textContent(), { timeout: 10_000 })
          .toBe(`${villages.length - 1}/0/1/0`);
        await expect.poll(pendingOf, { timeout: 10_000 }).toBe(before - 1);
        // A segmented control: its radios sit under their labels, which take the tap.
        await commander.page
          .getByRole('radiogroup', { name: '状态' })
          .getByText('已反馈', { exact: true })
          .click();
        const reported = commander.page.getByRole('row').filter({ hasText: '返乡人员 12' });
        await reported.waitFor();
        await reported.getByRole('link', { name: /排查登记表\.pdf/ }).waitFor();
        await snap(commander.page, 'command-board-reported');
        await snap(cockpit.page, 'command-cockpit');
      } finally {
        for (const p of [commander, cockpit, towncmd, cadre]) await p.context.close();
      }
    },
  );
});
