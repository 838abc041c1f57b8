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
      await page.getByRole('link', { name: '疫情防控告知书' }).click();
      /** The progress bar of the place the page shows, named "place：已送达 n / m 户". */
      const progress = (place: string, n: number, of?: number) =>
        page.getByRole('progressbar', { name: `${place}：已送达 ${n} / ${of ?? ''}` }).waitFor();
      await progress(grid.name, before);
      // The households' checklist: the table with a 户主 column; a row's checkbox is what the worker taps.
      const checklist = page
        .getByRole('table')
        .filter({ has: page.getByRole('columnheader', { name: '户主' }) });
      // The header's select-all is not a household.
      const rows = checklist.getByRole('row').filter({ hasNot: page.getByRole('columnheader') });
      const open = rows.getByRole('checkbox', { disabled: false });
      await open.first().waitFor();
      expect(await open.count()).toBeGreaterThanOrEqual(2);
      await open.nth(0).check();
      await open.nth(1).check();
      const confirm = page.getByRole('button', { name: /^确认送达/ });
      await expect.poll(() => confirm.textContent()).toContain('2 户');
      await confirm.click();
      await expect.poll(() => delivered(grid.path)).toBe(before + 2);
      await progress(grid.name, before + 2);
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
        .select(['id', 'path', 'name'])
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
      const shows = async (n: { name: string; path: string }, households?: number) =>
        c.page
          .getByRole('progressbar', {
            name: `${n.name}：已送达 ${await delivered(n.path)} / ${households ?? ''}`,
          })
          .waitFor();
      await shows(ancestors[0]!, notice.households);
      for (const n of ancestors.slice(1)) {
        // Each place below is a button that reads "name level delivered / households".
        await c.page.getByRole('button', { name: new RegExp(`^${n.name} `) }).click();
        await shows(n);
      }
      await c.page.getByRole('columnheader', { name: '户主' }).waitFor();
      await snap(c.page, 'notice-commander');
    } catch (e) {
      await snap(c.page, 'notice-commander-failed');
      throw e;
    } finally {
      await c.context.close();
    }
  });
});
