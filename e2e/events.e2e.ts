// Joint handling in the browser: a resident reports a problem from the public form and gets a
// tracking code; the village cadre files and dispatches it; the department handler signs for it and
// feeds back with a photo; the grid worker verifies it on site; the resident sees it closed and rates it.
// The cadre and the handler call the resident back: each reveals the phone with a reason (audited).
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
async function attachPhoto(page: Page, testId: string, colour: string) {
  await page
    .getByTestId(testId)
    .locator('input[type=file]')
    .setInputFiles(await photo(page, colour));
  await page.getByTestId(testId).locator('.ant-upload-list-item-done').waitFor();
}
/** The timeline step's pictures, as the browser loaded them (0 wide when the image did not load). */
async function loadedPhotoWidths(page: Page, step: number) {
  const imgs = page.getByTestId(`timeline-photos-${step}`).locator('img');
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
      await page.getByTestId('public-category').click();
      await page.locator('.ant-cascader-menu-item', { hasText: '环境卫生' }).click();
      await page.locator('.ant-cascader-menu-item', { hasText: '垃圾堆放' }).click();
      await page.getByTestId('public-description').fill('小区东门外垃圾堆了三天没人清');
      await page.getByTestId('public-map').waitFor();
      await attachPhoto(page, 'public-photos', '#6b8e23');
      await page.getByTestId('public-phone').fill('13812345678');
      await page.getByTestId('public-submit').click();
      const shown = page.getByTestId('public-tracking-code');
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

    const step = async (username: string, name: string, run: (page: Page) => Promise<void>) => {
      const { page, context } = await j.newPage();
      try {
        await j.login(page, username);
        await page.getByTestId('nav-tasks').click();
        await page.getByTestId(`task-${event.id}`).getByRole('link').click();
        await page.getByTestId('event-detail').waitFor();
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
      expect(await page.getByTestId('reporter-phone-masked').textContent()).toBe('138****5678');
      await page.getByTestId('reveal-phone').click();
      await page.getByTestId('reveal-phone-reason').fill('回访核实现场情况');
      await page.getByTestId('reveal-phone-submit').click();
      const shown = page.getByTestId('reporter-phone-revealed');
      await shown.waitFor();
      await page.getByTestId('reveal-phone-reason').waitFor({ state: 'detached' });
      expect(await shown.textContent()).toContain('+8613812345678');
      expect(await shown.getAttribute('href')).toBe('tel:+8613812345678');
      if (shot) await snap(page, shot);
    };
    const take = async (page: Page, action: string, fill?: () => Promise<void>) => {
      await page.getByTestId(`action-${action}`).click();
      await page.getByTestId(`action-form-${action}`).waitFor();
      if (fill) await fill();
      await page.getByTestId('action-confirm').click();
      await page.getByTestId(`action-${action}`).waitFor({ state: 'detached' });
    };

    // 2. The village cadre files it and dispatches it to the street's urban-management team.
    await step('cadre', 'cadre', async (page) => {
      await revealPhone(page, 'events-phone-revealed');
      await take(page, 'accept');
      await page.getByTestId('state-accepted').waitFor();
      await take(page, 'dispatch', async () => {
        // The category's responsible kind (urban management) comes first; search narrows it anyway.
        await page.getByTestId('action-department').click();
        await page.keyboard.type('锦城街道综合执法');
        // The departments load while the list is open: click once the option is there.
        const option = page.locator('.ant-select-item-option', { hasText: '锦城街道综合执法队' });
        await option.waitFor();
        await option.click();
      });
      await page.getByTestId('state-dispatched').waitFor();
    });

    // 3. The handler of that team signs for it and reports what was done.
    await step('handler', 'handler', async (page) => {
      await revealPhone(page);
      await take(page, 'sign');
      await page.getByTestId('state-in_progress').waitFor();
      await take(page, 'feed_back', async () => {
        await page.getByTestId('action-note').fill('已清运，约两车');
        await attachPhoto(page, 'action-photos', '#4682b4');
      });
      await page.getByTestId('state-handled').waitFor();
    });

    // 4. The grid worker checks on site and closes it.
    await step('gridworker', 'gridworker', async (page) => {
      // The grid worker sees the masked phone, and no way to reveal it.
      await page.getByTestId('reporter-phone-masked').waitFor();
      expect(await page.getByTestId('reveal-phone').count()).toBe(0);
      await take(page, 'verify_pass');
      await page.getByTestId('state-closed').waitFor();
      expect(await page.getByTestId('event-timeline').textContent()).toContain('已清运，约两车');
      // The resident's photo with the report, the handler's with the feedback: both load for the grid worker.
      // (Timeline steps: 0 report, 1 accept, 2 dispatch, 3 sign, 4 feed_back, 5 verify_pass.)
      expect((await loadedPhotoWidths(page, 0)).map((w) => w > 0)).toEqual([true]);
      expect((await loadedPhotoWidths(page, 4)).map((w) => w > 0)).toEqual([true]);
    });

    // 5. The resident follows it, sees it closed with the handler's note and no names, and is satisfied.
    try {
      const { page } = resident;
      await page.getByTestId('public-track-link').click();
      await page.getByTestId('track-result').waitFor();
      await page.getByTestId('state-closed').waitFor();
      const text = (await page.getByTestId('track-result').textContent()) ?? '';
      expect(text).toContain('已清运，约两车');
      for (const name of ['方志强', '汪晓燕', '楼德明', '综合执法队', '5678'])
        expect(text).not.toContain(name);
      await page.getByTestId('rate-satisfied').click();
      await page.getByTestId('state-evaluated').waitFor();
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
      await page.getByTestId('nav-kpis').click();
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
