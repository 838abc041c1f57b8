// Joint handling in the browser: a resident reports a problem from the public form and gets a
// tracking code; the village cadre files and dispatches it; the department handler signs for it and
// feeds back with a photo; the grid worker verifies it on site; the resident sees it closed and rates it.
// The cadre and the handler call the resident back: each reveals the phone with a reason (audited).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { choose, settled, snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

/** A real photo-sized picture drawn by the page itself (a phone camera's stand-in). */
async function photo(page: Page, colour: string) {
  // A string, so that this file needs no DOM types.
  const dataUrl = await page.evaluate<string>(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 480;
    const g = canvas.getContext('2d');
    g.fillStyle = '${colour}';
    g.fillRect(0, 0, 640, 480);
    g.fillStyle = '#fff';
    g.fillRect(100, 100, 200, 150);
    return canvas.toDataURL('image/png');
  })()`);
  return { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from(dataUrl.split(',')[1]!, 'base64') };
}
/** Adds a photo as a person does: the 添加照片 button opens the file chooser. The upload's finished
 * state shows only in antd's class on its tile (no role says it): waited for within `scope`. */
async function attachPhoto(page: Page, scope: Page | Locator, colour: string) {
  // Pressed once the dialog has stopped opening: a press during its zoom can reach the button before
  // the upload's input takes it, and no chooser opens (seen once on a loaded machine).
  await settled(page);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    scope.getByRole('button', { name: '添加照片' }).click(),
  ]);
  await chooser.setFiles(await photo(page, colour));
  await scope.locator('.ant-upload-list-item-done').waitFor();
}
/** The event's timeline steps, in order: the list items that read "action → state". */
const timelineSteps = (page: Page) => page.getByRole('listitem').filter({ hasText: ' → ' });
/** A timeline step's pictures, as the browser loaded them (0 wide when the image did not load). */
async function loadedPhotoWidths(page: Page, step: number) {
  const imgs = timelineSteps(page).nth(step).getByRole('img', { name: '照片' });
  await imgs.first().waitFor();
  await expect
    .poll(() =>
      imgs.evaluateAll((els) => (els as unknown as { complete: boolean }[]).every((i) => i.complete)),
    )
    .toBe(true);
  return imgs.evaluateAll((els) => (els as unknown as { naturalWidth: number }[]).map((i) => i.naturalWidth));
}

describe('joint handling journey', () => {
  it('resident → cadre → handler → grid worker → resident, each in their own browser', async () => {
    const db = j.boot.database.db;
    // The grid worker's grid: the place the resident reports from (its centre, as a QR code on a notice board would carry).
    const grid = await db
      .selectFrom('role_assignments as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .innerJoin('nodes as n', 'n.id', 'a.node_id')
      .select(['n.id', 'n.centroid_lat', 'n.centroid_lng'])
      .where('u.username', '=', 'gridworker')
      .executeTakeFirstOrThrow();

    // 1. The resident, not signed in.
    const resident = await j.newPage({ width: 390, height: 844 });
    let code: string;
    try {
      const { page } = resident;
      await page.goto(`/report?lat=${grid.centroid_lat}&lng=${grid.centroid_lng}`);
      await page.getByLabel('事件类别').click();
      await page.getByRole('menuitemcheckbox', { name: '环境卫生' }).click();
      const leaf = page.getByRole('menuitemcheckbox', { name: '垃圾堆放' });
      await leaf.click();
      await leaf.waitFor({ state: 'hidden' });
      await page.getByLabel('遇到了什么问题？').fill('小区东门外垃圾堆了三天没人清');
      // The map has no name a person would use: its test id says it is there.
      await page.getByTestId('public-map').waitFor();
      await attachPhoto(page, page, '#6b8e23');
      await page.getByLabel('您的电话（选填）').fill('13812345678');
      await page.getByRole('button', { name: '提交', exact: true }).click();
      const shown = page.getByText(/^LA[A-Z0-9]{10}$/);
      await shown.waitFor();
      code = (await shown.textContent())!.trim();
      expect(code).toMatch(/^LA[A-Z0-9]{10}$/);
    } catch (e) {
      await snap(resident.page, 'events-resident');
      throw e;
    }
    const event = await db
      .selectFrom('events')
      .select(['id', 'node_id', 'owner_level'])
      .where('tracking_code', '=', code)
      .executeTakeFirstOrThrow();
    expect(event.node_id).toBe(grid.id);

    const title = (
      await db.selectFrom('events').select('title').where('id', '=', event.id).executeTakeFirstOrThrow()
    ).title;
    /** The event's heading holds its title and its state's tag. */
    const inState = (page: Page, state: string) =>
      page.getByRole('heading', { level: 1, name: title }).getByText(state, { exact: true }).waitFor();
    const step = async (username: string, name: string, run: (page: Page) => Promise<void>) => {
      const { page, context } = await j.newPage();
      try {
        await j.login(page, username);
        await page.getByRole('menuitem', { name: '我的待办' }).click();
        await page.getByRole('listitem').filter({ hasText: code }).getByRole('link', { name: title }).click();
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
        await run(page);
      } catch (e) {
        await snap(page, `events-${name}`);
        throw e;
      } finally {
        await context.close();
      }
    };
    /** Reveals the reporter's phone with a reason: the full number once, as a tel: link. */
    const revealPhone = async (page: Page, shot?: string) => {
      await page.getByText('138****5678', { exact: true }).waitFor();
      await page.getByRole('button', { name: '查看', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: '查看上报人电话' });
      await dialog.getByLabel('理由').fill('回访核实现场情况');
      await dialog.getByRole('button', { name: '查看', exact: true }).click();
      const shown = page.getByRole('link', { name: /\+8613812345678/ });
      await shown.waitFor();
      await dialog.waitFor({ state: 'hidden' });
      expect(await shown.textContent()).toContain('+8613812345678');
      expect(await shown.getAttribute('href')).toBe('tel:+8613812345678');
      if (shot) await snap(page, shot);
    };
    /** Takes an action by its button; its dialog (titled as the action) asks for what it needs. */
    const take = async (page: Page, action: string, fill?: (dialog: Locator) => Promise<void>) => {
      const button = page.getByRole('button', { name: action, exact: true });
      await button.click();
      const dialog = page.getByRole('dialog', { name: action });
      await dialog.waitFor();
      if (fill) await fill(dialog);
      await dialog.getByRole('button', { name: '确定' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await button.waitFor({ state: 'detached' });
    };

    // 2. The village cadre files it and dispatches it to the street's urban-management team.
    await step('cadre', 'cadre', async (page) => {
      await revealPhone(page, 'events-phone-revealed');
      await take(page, '立案');
      await inState(page, '已立案');
      await take(page, '派遣', async (dialog) => {
        // The category's responsible kind (urban management) comes first; search narrows it anyway,
        // and the departments may still be loading as the list opens.
        await choose(dialog.getByLabel('主办部门'), /^锦城街道综合执法队/, { type: '锦城街道综合执法' });
      });
      await inState(page, '待签收');
    });

    // 3. The handler of that team signs for it and reports what was done.
    await step('handler', 'handler', async (page) => {
      await revealPhone(page);
      await take(page, '签收');
      await inState(page, '处置中');
      await take(page, '处置反馈', async (dialog) => {
        await dialog.getByLabel('处置情况').fill('已清运，约两车');
        await attachPhoto(page, dialog, '#4682b4');
      });
      await inState(page, '待核查');
    });

    // 4. The grid worker checks on site and closes it.
    await step('gridworker', 'gridworker', async (page) => {
      // The grid worker sees the masked phone, and no way to reveal it.
      await page.getByText('138****5678', { exact: true }).waitFor();
      expect(await page.getByRole('button', { name: '查看', exact: true }).count()).toBe(0);
      await take(page, '核查通过并结案');
      await inState(page, '已结案');
      await page.getByText('已清运，约两车').waitFor();
      // The resident's photo with the report, the handler's with the feedback: both load for the grid worker.
      // (Timeline steps: 0 report, 1 accept, 2 dispatch, 3 sign, 4 feed_back, 5 verify_pass.)
      expect(await timelineSteps(page).count()).toBe(6);
      expect((await loadedPhotoWidths(page, 0)).map((w) => w > 0)).toEqual([true]);
      expect((await loadedPhotoWidths(page, 4)).map((w) => w > 0)).toEqual([true]);
    });

    // 5. The resident follows it, sees it closed with the handler's note and no names, and is satisfied.
    try {
      const { page } = resident;
      await page.getByRole('link', { name: '查看办理进度' }).click();
      // The result is a card with no role of its own: its test id holds what the resident reads.
      const result = page.getByTestId('track-result');
      await result.getByText('已结案', { exact: true }).waitFor();
      const text = (await result.textContent()) ?? '';
      expect(text).toContain('已清运，约两车');
      for (const name of ['方志强', '汪晓燕', '楼德明', '综合执法队', '5678'])
        expect(text).not.toContain(name);
      await page.getByRole('button', { name: '满意', exact: true }).click();
      await result.getByText('已评价', { exact: true }).waitFor();
    } catch (e) {
      await snap(resident.page, 'events-resident-rating');
      throw e;
    } finally {
      await resident.context.close();
    }
    const final = await db
      .selectFrom('events')
      .select(['state', 'evaluation', 'closed_on_time'])
      .where('id', '=', event.id)
      .executeTakeFirstOrThrow();
    expect(final).toEqual({ state: 'evaluated', evaluation: 'satisfied', closed_on_time: 1 });
    const reveals = await db
      .selectFrom('audit_log')
      .select(['actor_label', 'detail'])
      .where('action', '=', 'event.reveal_reporter_phone')
      .where('entity_id', '=', String(event.id))
      .orderBy('id')
      .execute();
    expect(reveals.map((r): [string, unknown] => [r.actor_label, JSON.parse(r.detail!)])).toEqual([
      ['cadre', { reason: '回访核实现场情况' }],
      ['handler', { reason: '回访核实现场情况' }],
    ]);

    // 6. The KPI page counts it: the cadre's village over the last 30 days, as the rollup holds it.
    const { page, context } = await j.newPage();
    try {
      await j.login(page, 'cadre');
      await page.getByRole('menuitem', { name: '考核指标' }).click();
      // Which node the figures are for is a data attribute; the figures are antd Statistics, no role.
      const figures = page.getByTestId('kpi-figures');
      await expect.poll(() => figures.getAttribute('data-node'), { timeout: 15_000 }).not.toBeNull();
      const village = await db
        .selectFrom('nodes')
        .select('path')
        .where('id', '=', Number(await figures.getAttribute('data-node')))
        .executeTakeFirstOrThrow();
      expect(village.path.split('/').filter(Boolean)).toHaveLength(3);
      const shanghaiDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
      const rows = await db
        .selectFrom('event_kpi_daily')
        .select(['day', 'received', 'evaluated', 'satisfied'])
        .where('node_path', '=', village.path)
        .where('day', '>=', shanghaiDay(Date.now() - 29 * 86_400_000))
        .where('day', '<=', shanghaiDay(Date.now()))
        .execute();
      const received = rows.reduce((a, r) => a + r.received, 0);
      expect(rows.find((r) => r.day === shanghaiDay(Date.now()))!.satisfied).toBeGreaterThanOrEqual(1);
      await expect
        .poll(async () => (await page.getByTestId('kpi-received').textContent())?.replace(/\D/g, ''))
        .toBe(String(received));
      await snap(page, 'events-kpis');
    } finally {
      await context.close();
    }
  });
});
