// Screening sweeps on a 390 × 844 phone (issue 16): the demo grid worker (汪晓燕) opens the street's
// sweep from 我的待办, walks their grid's list and records two visits — one low risk, one at high risk
// (back from a key area, a close contact, fever) — and orders home observation for the high-risk
// person from the list, from tomorrow, with the demo volunteer (骆思远, a party member) as carer; the
// volunteer, on their own phone, finds tomorrow's follow-up in their tasks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../common/worktime.js';
import { choose, closeList, settled, snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

const PHONE = { width: 390, height: 844 };

describe('screening sweep on a phone', () => {
  it('the grid worker records two visits, orders observation for the high-risk one, and the carer finds it', async () => {
    const { db } = j.boot.database;
    const worker = await j.newPage(PHONE);
    const { page } = worker;
    const today = localDate(new Date().toISOString());
    let orderId: number;
    try {
      await j.login(page, 'gridworker');
      await page.waitForURL('**/tasks');
      const section = page.getByTestId('sweep-tasks');
      await section.waitFor();
      await section.locator('a').first().click();
      await page.waitForURL(/\/sweeps\/\d+\/list\?node=\d+$/);
      const sweepId = Number(new URL(page.url()).pathname.split('/')[2]);
      await page.getByTestId('grid-list').waitFor();
      await settled(page);

      // Two people still to visit, neither under observation already.
      const observed = db.selectFrom('observation_orders').select('person_id').where('status', '=', 'active');
      const pending = await db
        .selectFrom('sweep_targets')
        .select(['id', 'person_id'])
        .where('sweep_id', '=', sweepId)
        .where('status', '=', 'pending')
        .where('node_id', '=', Number(new URL(page.url()).searchParams.get('node')))
        .where('person_id', 'not in', observed)
        .orderBy('id')
        .limit(2)
        .execute();
      expect(pending).toHaveLength(2);
      const [low, high] = pending as [(typeof pending)[0], (typeof pending)[0]];

      // The first: at home, nothing to report.
      await page.getByTestId(`visit-${low.id}`).click();
      const form = page.getByTestId('visit-form');
      await form.waitFor();
      await settled(page);
      await page.getByTestId('question-returned_key_area').getByText('否', { exact: true }).click();
      // The return's place and date are asked only after a yes.
      expect(await page.getByTestId('question-returned_from').count()).toBe(0);
      await page.getByTestId('question-close_contact').getByText('否', { exact: true }).click();
      await page.locator('#q-temperature').fill('36.5');
      await page.getByTestId('visit-submit').click();
      await page.getByText('已登记：低风险').waitFor();
      await page.getByTestId(`target-${low.id}`).getByText('已登记').waitFor();

      // The second: back from a key area four days ago, a close contact, with a fever.
      await page.getByTestId(`visit-${high.id}`).click();
      await form.waitFor();
      await settled(page);
      await page.getByTestId('question-returned_key_area').getByText('是', { exact: true }).click();
      await page.locator('#q-returned_from').fill('湖北省武汉市');
      await page.locator('#q-returned_on').fill(addDays(today, -4));
      await page.getByTestId('question-close_contact').getByText('是', { exact: true }).click();
      await page.locator('#q-temperature').fill('37.8');
      await page.getByTestId('question-symptoms').getByText('发热', { exact: true }).click();
      await snap(page, 'sweep-visit-high-risk');
      const sizes = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(sizes[0]).toBeLessThanOrEqual(sizes[1]!);
      await page.getByTestId('visit-submit').click();
      await page.getByText('已登记：高风险').waitFor();
      const row = page.getByTestId(`target-${high.id}`);
      await row.getByText('高风险').waitFor();
      const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(width[0]).toBeLessThanOrEqual(width[1]!);
      await snap(page, 'sweep-list-after-visits');

      const stored = await db
        .selectFrom('sweep_targets')
        .select(['id', 'status', 'risk', 'answers_enc'])
        .where('id', 'in', [low.id, high.id])
        .orderBy('id')
        .execute();
      // In id order: the low-risk one was taken first.
      expect(stored.map((s) => [s.status, s.risk])).toEqual([
        ['answered', 'low'],
        ['answered', 'high'],
      ]);
      // Answers are health data: encrypted at rest.
      for (const s of stored) {
        expect(s.answers_enc).toMatch(/^v1:/);
        expect(s.answers_enc).not.toContain('湖北');
      }

      // The high-risk person is ordered home observation from the list, the volunteer as carer.
      await row.getByTestId(`order-${high.id}`).click();
      await page.getByTestId('observation-order-form').waitFor();
      // Observed from tomorrow: ordered today, the carer's first visit is tomorrow's.
      await page.getByTestId('observation-start').fill(addDays(today, 1));
      const carers = page.getByRole('combobox', { name: '照护人（党员、网格员、医生）' });
      await choose(carers, /^骆思远/, { type: '骆思远', keepOpen: true });
      await closeList(carers);
      await page.locator('.ant-modal-footer').getByRole('button', { name: '开具居家观察' }).click();
      await page.waitForURL(/\/observations\/\d+$/);
      await page.getByTestId('observation-carers').getByText('骆思远（党员）').waitFor();
      orderId = Number(new URL(page.url()).pathname.split('/').pop());
      const order = await db
        .selectFrom('observation_orders')
        .select(['person_id', 'start_date', 'days'])
        .where('id', '=', orderId)
        .executeTakeFirstOrThrow();
      expect(order).toMatchObject({ person_id: high.person_id, start_date: addDays(today, 1), days: 14 });
    } catch (e) {
      await snap(page, 'sweep-failed');
      throw e;
    } finally {
      await worker.context.close();
    }

    // The carer, on their own phone: tomorrow's follow-up, the order's first, is on their home page.
    const carer = await j.newPage(PHONE);
    try {
      await j.login(carer.page, 'volunteer');
      await carer.page.waitForURL('**/volunteer');
      const task = carer.page.getByTestId(`observation-task-${orderId}`);
      await task.getByText(`${addDays(today, 1)} 开始随访`).waitFor();
      await task.locator('a').click();
      await carer.page.waitForURL(`**/observations/${orderId}**`);
      await carer.page
        .getByTestId(`follow-up-${addDays(today, 1)}`)
        .getByText('待随访')
        .waitFor();
      await snap(carer.page, 'sweep-carer-tomorrow');
    } finally {
      await carer.context.close();
    }
  });

  it('the street’s commander starts a sweep of a village, goes down to a grid behind and pairs the seconded cadre with it', async () => {
    const { db } = j.boot.database;
    const { page, context } = await j.newPage();
    try {
      const village = await db
        .selectFrom('nodes as v')
        .innerJoin('role_assignments as a', 'a.node_id', 'v.parent_id')
        .innerJoin('users as u', 'u.id', 'a.user_id')
        .select(['v.id', 'v.name'])
        .where('u.username', '=', 'towncmd')
        .where('v.level', '=', 'village')
        .orderBy('v.code', 'desc')
        .executeTakeFirstOrThrow();
      await j.login(page, 'towncmd');
      await page.goto('/sweeps');
      await page.getByTestId('sweep-start').click();
      const dialog = page.getByRole('dialog', { name: '发起摸排' });
      await dialog.getByTestId('sweep-start-form').waitFor();
      await settled(page);
      await dialog.getByLabel('摸排名称').fill(`${village.name}流动人口复查`);
      await choose(dialog.getByLabel('所属指挥部'), /疫情防控指挥部/);
      await choose(dialog.getByLabel('问卷'), /^疫情防控摸排登记/);
      const picker = dialog.getByLabel('摸排范围');
      await picker.click();
      await picker.pressSequentially(village.name);
      await page.getByTestId(`node-hit-${village.id}`).click();
      await page.getByRole('tree').waitFor({ state: 'hidden' });
      await dialog.getByLabel('截止日期').fill(addDays(localDate(new Date().toISOString()), 3));
      await dialog.getByRole('button', { name: '发起摸排' }).click();
      await page.waitForURL(/\/sweeps\/\d+$/);
      const sweepId = Number(new URL(page.url()).pathname.split('/').pop());
      const sweep = await db
        .selectFrom('sweeps')
        .select(['node_id', 'population_kind', 'status'])
        .where('id', '=', sweepId)
        .executeTakeFirstOrThrow();
      expect(sweep).toEqual({ node_id: village.id, population_kind: 'floating', status: 'open' });
      // Nobody has visited yet: every grid of the village is behind; the first opens its own page.
      const laggards = page.getByTestId('sweep-laggards');
      await laggards.locator('a').first().waitFor();
      await snap(page, 'sweep-progress-village');
      await laggards.locator('a').first().click();
      await page.getByTestId('pairings').waitFor();
      await settled(page);
      await choose(page.getByRole('combobox', { name: '下沉干部' }), /^蒋文涛/, { type: '蒋文涛' });
      await page.getByTestId('pairings').getByRole('button', { name: '结对' }).click();
      await page.getByText('已结对', { exact: true }).waitFor();
      await page.getByTestId('pairings').getByText('蒋文涛').waitFor();
      const gridId = Number(new URL(page.url()).searchParams.get('node'));
      const paired = await db
        .selectFrom('sweep_helpers as h')
        .innerJoin('users as u', 'u.id', 'h.user_id')
        .select('u.username')
        .where('h.sweep_id', '=', sweepId)
        .where('h.node_id', '=', gridId)
        .execute();
      expect(paired.map((p) => p.username)).toEqual(['seconded']);
    } catch (e) {
      await snap(page, 'sweep-start-failed');
      throw e;
    } finally {
      await context.close();
    }
  });
});
