// Home observation on a 390 × 844 phone (issue 16): the demo grid worker (汪晓燕) finds today's
// follow-ups on 我的待办, opens one and records the person seen unwell with a fever, which the order's
// days show at once; then orders home observation for a resident of the grid from the person's page,
// with the demo volunteer (骆思远, a party member) as carer; and the volunteer, signed in on their own
// phone, finds that person's follow-up among their tasks and records them seen well.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, closeList, settled, snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

const PHONE = { width: 390, height: 844 };

describe('home observation on a phone', () => {
  it('the grid worker records a follow-up, orders observation with a party member as carer, and the carer finds it', async () => {
    const { db } = j.boot.database;
    const worker = await j.newPage(PHONE);
    const { page } = worker;
    try {
      await j.login(page, 'gridworker');
      await page.waitForURL('**/tasks');
      const section = page.getByTestId('observation-tasks');
      await section.waitFor();
      // The demo's person seen unwell yesterday comes first, as an alert.
      await expect
        .poll(async () => (await section.locator('li').first().getAttribute('data-testid')) ?? '')
        .toMatch(/^observation-alert-/);
      const first = section.locator('[data-testid^="observation-task-"]').first();
      const orderId = Number((await first.getAttribute('data-testid'))!.replace('observation-task-', ''));
      await first.locator('a').click();
      await page.waitForURL(`**/observations/${orderId}**`);
      await page.getByTestId('follow-up-form').waitFor();
      await settled(page);
      const date = await page.getByTestId('follow-up-date').innerText();

      // The outcome is one of four large buttons, tapped by its words.
      await page.getByTestId('follow-up-outcome').getByText('身体异常').click();
      await page.getByTestId('follow-up-temperature').fill('38.5');
      await page.getByText('发热', { exact: true }).click();
      await page.getByTestId('follow-up-submit').click();
      await page.getByText('已登记“身体异常”，已通知村社和医生').waitFor();
      await page.getByTestId(`follow-up-${date.trim()}`).getByText('身体异常').waitFor();
      const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(width[0]).toBeLessThanOrEqual(width[1]!);
      await snap(page, 'observation-follow-up-unwell');
      // The alert it raised waits at the top of the tasks until handled; the grid worker handles it here.
      await page.getByTestId(`handle-alert-${date.trim()}`).click();
      await page
        .getByTestId(`follow-up-${date.trim()}`)
        .getByText(/^已处置/)
        .waitFor();
      const row = await db
        .selectFrom('observation_follow_ups')
        .select(['status', 'detail_enc'])
        .where('order_id', '=', orderId)
        .where('date', '=', date.trim())
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('unwell');
      // Health data at rest: encrypted, the fever not readable in the row.
      expect(row.detail_enc).toMatch(/^v1:/);
      expect(row.detail_enc).not.toContain('38.5');

      // A resident of the grid not under observation: ordered from their page, the volunteer as carer.
      const grid = await db
        .selectFrom('role_assignments as a')
        .innerJoin('users as u', 'u.id', 'a.user_id')
        .select('a.node_id')
        .where('u.username', '=', 'gridworker')
        .executeTakeFirstOrThrow();
      const observed = db.selectFrom('observation_orders').select('person_id').where('status', '=', 'active');
      const person = await db
        .selectFrom('persons')
        .select(['id', 'name'])
        .where('node_id', '=', grid.node_id)
        .where('merged_into_id', 'is', null)
        .where('id', 'not in', observed)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      await page.goto(`/people/${person.id}`);
      await page.getByTestId('person-observe').click();
      await page.getByTestId('observation-order-form').waitFor();
      await page.getByTestId('observation-reason').fill('密切接触者');
      const carers = page.getByRole('combobox', { name: '照护人（党员、网格员、医生）' });
      await choose(carers, /^骆思远/, { type: '骆思远', keepOpen: true });
      await closeList(carers);
      await snap(page, 'observation-order-form');
      await page.locator('.ant-modal-footer').getByRole('button', { name: '开具居家观察' }).click();
      await page.waitForURL(/\/observations\/\d+$/);
      await page.getByTestId('observation-carers').getByText('骆思远（党员）').waitFor();
      const newId = Number(new URL(page.url()).pathname.split('/').pop());
      const order = await db
        .selectFrom('observation_orders')
        .select(['person_id', 'start_date', 'end_date', 'days'])
        .where('id', '=', newId)
        .executeTakeFirstOrThrow();
      expect(order).toMatchObject({ person_id: person.id, days: 14 });
    } catch (e) {
      await snap(page, 'observation-failed');
      throw e;
    } finally {
      await worker.context.close();
    }

    // The carer, on their own phone: the new order's follow-up waits on their volunteering page, their home.
    const carer = await j.newPage(PHONE);
    try {
      await j.login(carer.page, 'volunteer');
      await carer.page.waitForURL('**/volunteer');
      const newest = await db
        .selectFrom('observation_orders')
        .select('id')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const task = carer.page.getByTestId(`observation-task-${newest.id}`);
      await task.waitFor();
      await task.locator('a').click();
      await carer.page.getByTestId('follow-up-form').waitFor();
      await carer.page.getByTestId('follow-up-outcome').getByText('情况良好').click();
      await carer.page.getByTestId('follow-up-submit').click();
      await carer.page.getByText('随访已登记').waitFor();
      await snap(carer.page, 'observation-carer-recorded');
    } finally {
      await carer.context.close();
    }
  });
});
