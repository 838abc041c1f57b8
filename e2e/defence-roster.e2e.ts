// Joint defence on a 390 × 844 phone: the demo checkpoint account (洪卫东, 昌化镇) lands on "my shift",
// sees the shift it is on now at the 昌化 exit of the 杭徽高速 with its check-in window open, checks
// in with one tap (the phone gives no position here, so it goes without), and is then offered the
// check-out; the page fits the screen and links to registering a passage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, settled, snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

describe('my shift on a phone', () => {
  it('the checkpoint account lands on its shift and checks in', async () => {
    const { page, context } = await j.newPage({ width: 390, height: 844 });
    try {
      await j.login(page, 'checkpoint');
      await page.waitForURL('**/shift');
      const current = page.getByTestId('shift-current');
      await current.waitFor();
      await settled(page);
      expect(await page.getByTestId('shift-checkpoint').textContent()).toBe('杭徽高速昌化出口');
      expect(await page.getByTestId('shift-register-passage').getAttribute('href')).toBe('/passages/new');
      const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(width[0]).toBeLessThanOrEqual(width[1]!);
      const button = page.getByTestId('shift-check-in');
      const box = (await button.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      await button.click();
      await page.getByTestId('shift-checked-in').waitFor();
      await page.getByTestId('shift-check-out').waitFor();
      await snap(page, 'defence-my-shift-checked-in');
      // The server has it: one check-in, on the shift shown.
      const rows = await j.boot.database.db
        .selectFrom('shift_check_ins as k')
        .innerJoin('shift_assignments as a', 'a.id', 'k.assignment_id')
        .innerJoin('users as u', 'u.id', 'a.user_id')
        .select(['k.checked_in_at'])
        .where('u.username', '=', 'checkpoint')
        .execute();
      expect(rows).toHaveLength(1);

      // Asks to give up the next shift: the lead will decide; the shift says so.
      const next = page.locator('[data-testid^="shift-swap-"]').first();
      const nextId = (await next.getAttribute('data-testid'))!.replace('shift-swap-', '');
      await next.click();
      await page.getByTestId('swap-send').click();
      await page.getByTestId(`shift-upcoming-${nextId}`).getByText('换班待批').waitFor();
    } catch (e) {
      await snap(page, 'defence-my-shift-failed');
      throw e;
    } finally {
      await context.close();
    }
  });

  it('the commander sees the exit’s roster on a phone and approves the swap', async () => {
    const { page, context } = await j.newPage({ width: 390, height: 844 });
    try {
      const exit = await j.boot.database.db
        .selectFrom('checkpoints')
        .select('id')
        .where('name', '=', '杭徽高速昌化出口')
        .executeTakeFirstOrThrow();
      await j.login(page, 'commander');
      await page.goto(`/checkpoints/roster?checkpoint=${exit.id}`);
      await page.getByTestId('roster-counts').waitFor();
      await settled(page);
      expect(await page.locator('[data-testid^="roster-cell-"]').count()).toBeGreaterThanOrEqual(12);
      const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(width[0]).toBeLessThanOrEqual(width[1]!);
      await snap(page, 'defence-roster-phone');
      const approve = page.locator('[data-testid^="swap-approve-"]');
      await approve.first().waitFor();
      await approve.first().click();
      await page.getByTestId('roster-swaps').getByText('没有待审批的换班申请').waitFor();
      const swap = await j.boot.database.db
        .selectFrom('shift_swaps')
        .select('status')
        .executeTakeFirstOrThrow();
      expect(swap.status).toBe('approved');
    } catch (e) {
      await snap(page, 'defence-roster-failed');
      throw e;
    } finally {
      await context.close();
    }
  });

  it('the commander suspends two village entrances under the command at once', async () => {
    const { page, context } = await j.newPage({ width: 390, height: 844 });
    try {
      const db = j.boot.database.db;
      const entrances = await db
        .selectFrom('checkpoints')
        .select(['id', 'name'])
        .where('type', '=', 'village_entrance')
        .where('command_id', 'is not', null)
        .orderBy('id')
        .limit(2)
        .execute();
      expect(entrances).toHaveLength(2);
      await j.login(page, 'commander');
      await page.goto('/checkpoints');
      await page.getByTestId(`checkpoint-${entrances[0]!.id}`).waitFor();
      await settled(page);
      const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(width[0]).toBeLessThanOrEqual(width[1]!);
      for (const e of entrances) await page.getByRole('checkbox', { name: e.name }).check();
      await choose(page.getByRole('combobox', { name: '指挥部' }), '新冠肺炎疫情防控指挥部');
      await choose(page.getByRole('combobox', { name: '状态' }), '暂停');
      await snap(page, 'defence-checkpoints-phone');
      await page.getByTestId('bulk-apply').click();
      await page.getByText('已更新 2 个卡口').waitFor();
      const rows = await db
        .selectFrom('checkpoints')
        .select('status')
        .where(
          'id',
          'in',
          entrances.map((e) => e.id),
        )
        .execute();
      expect(rows.map((r) => r.status)).toEqual(['suspended', 'suspended']);
    } catch (e) {
      await snap(page, 'defence-checkpoints-failed');
      throw e;
    } finally {
      await context.close();
    }
  });
});
