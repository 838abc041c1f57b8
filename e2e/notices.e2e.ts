// The demo's epidemic notice: a grid worker on a phone ticks households off the checklist and
// confirms delivery; the district commander drills down from the district to that grid and sees it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

describe('notice delivery journey', () => {
  it('a grid worker confirms delivery on a phone; the commander sees it at every level', async () => {
    const db = j.boot.database.db;
    const notice = await db
      .selectFrom('notices')
      .select(['id', 'households'])
      .where('title', '=', '疫情防控告知书')
      .executeTakeFirstOrThrow();
    const grid = await db
      .selectFrom('role_assignments as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .innerJoin('nodes as n', 'n.id', 'a.node_id')
      .select(['n.id', 'n.path', 'n.name'])
      .where('u.username', '=', 'gridworker')
      .executeTakeFirstOrThrow();
    const delivered = async (path: string) =>
      Number(
        (
          await db
            .selectFrom('notice_deliveries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('notice_id', '=', notice.id)
            .where('node_path', '>=', path)
            .where('node_path', '<', path.slice(0, -1) + '0')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await delivered(grid.path);

    // The grid worker, phone-sized: the list, then the notice opens at their grid with the checklist.
    const { page, context } = await j.newPage({ width: 390, height: 844 });
    try {
      await j.login(page, 'gridworker');
      await page.goto('/notices');
      await page.getByTestId(`notice-link-${notice.id}`).click();
      await page.getByTestId('notice-checklist').waitFor();
      await expect.poll(() => page.getByTestId('notice-view-progress').innerText()).toContain(`${before} /`);
      // antd draws the checkbox over a hidden input: click what the worker taps.
      const boxes = page.locator(
        '[data-testid="notice-households"] tbody .ant-table-selection-column .ant-checkbox-wrapper:not(.ant-checkbox-wrapper-disabled)',
      );
      await boxes.first().waitFor();
      expect(await boxes.count()).toBeGreaterThanOrEqual(2);
      await boxes.nth(0).click();
      await boxes.nth(1).click();
      await expect.poll(() => page.getByTestId('notice-confirm').innerText()).toContain('2');
      await page.getByTestId('notice-confirm').click();
      await expect.poll(() => delivered(grid.path)).toBe(before + 2);
      await expect
        .poll(() => page.getByTestId('notice-view-progress').innerText())
        .toContain(`${before + 2} /`);
      await snap(page, 'notice-gridworker');
    } catch (e) {
      await snap(page, 'notice-gridworker-failed');
      throw e;
    } finally {
      await context.close();
    }

    // The commander: district → town → village → grid by clicking, each level's figure from the database.
    const c = await j.newPage();
    try {
      await j.login(c.page, 'commander');
      await c.page.goto(`/notices/${notice.id}`);
      const ancestors = await db
        .selectFrom('nodes')
        .select(['id', 'path'])
        .where(
          'path',
          'in',
          grid.path
            .split('/')
            .filter(Boolean)
            .map((_, i, a) => `/${a.slice(0, i + 1).join('/')}/`),
        )
        .execute();
      ancestors.sort((a, b) => a.path.length - b.path.length);
      await expect
        .poll(() => c.page.getByTestId('notice-view-progress').innerText())
        .toContain(`${await delivered(ancestors[0]!.path)} / ${notice.households}`);
      for (const n of ancestors.slice(1)) {
        await c.page.getByTestId(`notice-child-${n.id}`).click();
        await expect
          .poll(() => c.page.getByTestId('notice-view-progress').innerText())
          .toContain(`${await delivered(n.path)} /`);
      }
      await c.page.getByTestId('notice-checklist').waitFor();
      await snap(c.page, 'notice-commander');
    } catch (e) {
      await snap(c.page, 'notice-commander-failed');
      throw e;
    } finally {
      await c.context.close();
    }
  });
});
