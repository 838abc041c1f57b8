// Psychological care on 390 × 844 phones (issue 19, 山花帮帮团): the grid worker sends a PHQ-9 link
// from a home-observation order; the person opens it without signing in, answers half, closes the
// page and finds the answers kept when the link is opened again, then answers item 9 "several days"
// and submits: thanked, never scored. The counsellor, on their home already, sees the urgent alert
// arrive over the live stream with the answer that raised it, acknowledges it, opens the person's case,
// records a call, sets the risk level and schedules the next contact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PHQ9 } from '../common/care-scales.js';
import { addDays, localDate } from '../common/worktime.js';
import { choose, placeOf, settled, snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

const PHONE = { width: 390, height: 844 };

/** No sideways scroll on the page. */
async function fitsWidth(page: Page) {
  const [scroll, inner] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  expect(scroll).toBeLessThanOrEqual(inner);
}

/** Answers item `i` (0-based) of the PHQ-9 with the option labelled `answer`, by the item's own text. */
async function answer(page: Page, i: number, answer: string) {
  const group = page.getByRole('radiogroup', { name: PHQ9.definition.items[i]!.label.zh });
  await group.getByText(answer, { exact: true }).click();
  await expect.poll(() => group.getByRole('radio', { name: answer, exact: true }).isChecked()).toBe(true);
}

describe('psychological care on a phone', () => {
  it('a person fills a PHQ-9 from a link with item 9 at "several days"; the counsellor acknowledges the alert and records a call', async () => {
    const db = j.boot.database.db;
    const grid = await placeOf(j, 'gridworker');
    // A person of the grid worker's grid in home observation now.
    const order = await db
      .selectFrom('observation_orders as o')
      .innerJoin('persons as p', 'p.id', 'o.person_id')
      .select(['o.id', 'o.person_id', 'p.name'])
      .where('o.node_id', '=', grid.id)
      .where('o.status', '=', 'active')
      .orderBy('o.id', 'desc')
      .executeTakeFirstOrThrow();

    // The counsellor is on their home: the demo's alert waits there.
    const counsellor = await j.newPage(PHONE);
    const cPage = counsellor.page;
    await j.login(cPage, 'counsellor');
    await cPage.waitForURL('**/care');
    const alerts = cPage.getByTestId('care-alerts');
    await alerts.locator('li').first().waitFor();

    // The grid worker sends the link from the order's page.
    const worker = await j.newPage(PHONE);
    const wPage = worker.page;
    await j.login(wPage, 'gridworker');
    await wPage.goto(`/observations/${order.id}`);
    await wPage.getByRole('button', { name: '发送心理测量表' }).click();
    const dialog = wPage.getByRole('dialog');
    await dialog.getByRole('button', { name: '生成链接' }).click();
    const urlField = dialog.getByLabel('问卷链接');
    await urlField.waitFor();
    const url = new URL(await urlField.inputValue());
    expect(url.pathname).toMatch(/^\/s\/[A-Za-z0-9_-]{43}$/);
    await fitsWidth(wPage);
    await worker.context.close();

    // The person, with no account: half the answers, then the page is closed.
    const person = await j.newPage(PHONE);
    let pPage = person.page;
    await pPage.goto(url.pathname);
    await pPage.getByText(PHQ9.definition.intro.zh).waitFor();
    for (const i of [0, 1, 2, 3]) await answer(pPage, i, i === 1 ? '好几天' : '完全不会');
    await pPage.getByText('已自动保存').waitFor();
    await expect.poll(() => pPage.getByRole('button', { name: '提交问卷' }).isDisabled()).toBe(true);
    await fitsWidth(pPage);
    await pPage.close();

    // Opened again: the four answers are there; the rest, with item 9 at "several days", and send.
    pPage = await person.context.newPage();
    await pPage.goto(url.pathname);
    const second = pPage.getByRole('radiogroup', { name: PHQ9.definition.items[1]!.label.zh });
    await expect
      .poll(() => second.getByRole('radio', { name: '好几天', exact: true }).isChecked())
      .toBe(true);
    for (const i of [4, 5, 6, 7]) await answer(pPage, i, '完全不会');
    await answer(pPage, 8, '好几天');
    await pPage.getByRole('button', { name: '提交问卷' }).click();
    const done = pPage.getByTestId('scale-done');
    await done.waitFor();
    // Thanked and told where help is; never the score or a diagnosis.
    const said = await pPage.locator('main').innerText();
    expect(said).toContain('12356');
    expect(said).not.toMatch(/总分|分数|轻度|中度|重度|抑郁/);
    await fitsWidth(pPage);
    await snap(pPage, 'care-person-done');
    await person.context.close();

    // The counsellor's page, untouched, shows the new alert with the answer that raised it.
    const alert = alerts.locator('li', { hasText: order.name }).filter({
      has: cPage.getByRole('button', { name: '确认预警' }),
    });
    await alert.first().waitFor({ timeout: 10_000 });
    const text = await alert.first().innerText();
    expect(text).toContain('第 9 题');
    expect(text).toContain(PHQ9.definition.items[8]!.label.zh);
    expect(text).toContain('好几天');
    await fitsWidth(cPage);
    await alert.first().getByRole('button', { name: '确认预警' }).click();
    await cPage.getByText(`已确认，${order.name} 已加入您的个案`).waitFor();

    // The case: a call, the risk level, the next contact.
    await cPage
      .getByRole('link', { name: `打开 ${order.name} 的个案` })
      .first()
      .click();
    await cPage.getByTestId('care-case').waitFor();
    await settled(cPage);
    const form = cPage.getByRole('form', { name: '登记联系' });
    await form.getByText('电话', { exact: true }).click();
    await form.getByLabel('联系情况').fill('电话联系本人，愿意倾诉，已告知 12356 热线；家属陪同');
    const next = addDays(localDate(new Date().toISOString()), 2);
    await form.getByLabel('下次联系日期').fill(next);
    await choose(form.getByRole('combobox', { name: '当前风险等级' }), '高风险');
    await form.getByRole('button', { name: '保存联系记录' }).click();
    await cPage.getByText('联系记录已保存').waitFor();
    await cPage.getByTestId('care-contacts').getByText('愿意倾诉', { exact: false }).waitFor();
    await fitsWidth(cPage);
    await snap(cPage, 'care-case');

    const c = await db
      .selectFrom('care_cases')
      .select(['id', 'risk', 'next_contact_on', 'status'])
      .where('person_id', '=', order.person_id)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({ risk: 'high', next_contact_on: next });
    // The call is the case's newest contact (the person may have been followed before); its note is
    // health data, stored encrypted, not as typed.
    const last = await db
      .selectFrom('care_contacts')
      .select(['kind', 'note_enc'])
      .where('case_id', '=', c.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.kind).toBe('call');
    expect(last.note_enc).not.toContain('倾诉');
    const a = await db
      .selectFrom('care_alerts')
      .select(['status', 'case_id'])
      .where('person_id', '=', order.person_id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(a).toEqual({ status: 'acknowledged', case_id: c.id });
    await counsellor.context.close();
  });
});
