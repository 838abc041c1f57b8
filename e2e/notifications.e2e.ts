// The notification centre in the browser: the village cadre dispatches an event to the street's
// urban-management team; the team's handler, on a phone, sees the bell's badge when the window
// regains focus, opens the panel, follows the notification onto the event, marks all read (the badge
// goes) and finds it read on the full /notifications page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled, snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

describe('notification centre journey', () => {
  it('the handler is told of a dispatch, opens it onto the event and marks all read', async () => {
    const db = j.boot.database.db;
    const handler = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'handler')
      .executeTakeFirstOrThrow();
    const village = await db
      .selectFrom('role_assignments as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .select('a.node_id')
      .where('u.username', '=', 'cadre')
      .executeTakeFirstOrThrow();
    const team = await db
      .selectFrom('departments')
      .select('id')
      .where('name', '=', '锦城街道综合执法队')
      .executeTakeFirstOrThrow();
    const category = await db
      .selectFrom('event_categories')
      .select('id')
      .where('code', '=', 'environment.garbage')
      .executeTakeFirstOrThrow();
    // The demo's replayed history left the handler notifications: start from none unread.
    await db
      .updateTable('notifications')
      .set({ read_at: new Date().toISOString() })
      .where('user_id', '=', handler.id)
      .where('read_at', 'is', null)
      .execute();

    const { page, context } = await j.newPage({ width: 390, height: 844 });
    try {
      await j.login(page, 'handler');
      // The bell says its unread count in its name, and as a data attribute to wait on; the badge
      // drawn over it is antd's (no role of its own).
      const bell = page.getByRole('banner').getByRole('button', { name: /^通知/ });
      const badge = page
        .getByRole('banner')
        .locator('.ant-badge', { has: page.getByRole('button', { name: /^通知/ }) })
        .locator('.ant-badge-count');
      await expect.poll(() => bell.getAttribute('data-unread')).toBe('0');
      expect(await badge.count()).toBe(0);

      // The cadre files and dispatches an event in another browser.
      const cadre = await j.newPage();
      let eventId: number;
      try {
        await j.login(cadre.page, 'cadre');
        const csrf = (await cadre.context.cookies()).find((c) => c.name === 'csrf')!.value;
        eventId = await cadre.page.evaluate(
          async ({ categoryId, nodeId, departmentId, csrf }) => {
            const post = async (url: string, body: unknown) => {
              const r = await fetch(url, {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
                body: JSON.stringify(body),
              });
              if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
              return (await r.json()) as { event?: { id: number } };
            };
            const { event } = await post('/api/events', {
              categoryId,
              title: '楼道纸箱堆积待清运',
              description: '三单元楼道堆满纸箱',
              nodeId,
            });
            await post(`/api/events/${event!.id}/actions`, { action: 'accept' });
            await post(`/api/events/${event!.id}/actions`, { action: 'dispatch', departmentId });
            return event!.id;
          },
          {
            categoryId: category.id,
            nodeId: village.node_id,
            departmentId: team.id,
            csrf: decodeURIComponent(csrf),
          },
        );
      } finally {
        await cadre.context.close();
      }
      const note = await db
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', handler.id)
        .where('entity_id', '=', eventId)
        .where('kind', '=', 'event.dispatch')
        .executeTakeFirstOrThrow();

      // No push: the window regaining focus fetches the list again (as does the half-minute poll).
      await page.evaluate("document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))");
      await expect.poll(() => bell.getAttribute('data-unread'), { timeout: 15_000 }).toBe('1');
      await expect.poll(() => badge.textContent()).toBe('1');
      expect(await bell.getAttribute('aria-label')).toBe('通知（1 条未读）');

      // The panel fits the phone's screen and shows it unread; following it lands on the event. The
      // panel is a popover with no role of its own: found by its test id.
      await bell.click();
      const panel = page.getByTestId('notifications-panel');
      await panel.waitFor();
      const box = (await panel.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      const item = panel.getByRole('listitem').filter({ hasText: '新派遣事件：楼道纸箱堆积待清运' });
      expect(await item.getAttribute('data-read')).toBe('false');
      expect(await item.textContent()).toContain('未读');
      expect(await item.textContent()).toContain('派遣');
      await settled(page); // the opening animation, for the screenshot
      await snap(page, 'notifications-panel-phone');
      await item.getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: '楼道纸箱堆积待清运' }).getByText('待签收').waitFor();
      expect(new URL(page.url()).pathname).toBe(`/events/${eventId}`);
      await expect.poll(() => panel.count()).toBe(0);

      // 全部已读: marks read up to the newest shown; the badge goes.
      await bell.click();
      const posted = page.waitForRequest(
        (r) => r.url().endsWith('/api/notifications/read') && r.method() === 'POST',
      );
      await panel.getByRole('button', { name: '全部已读' }).click();
      expect((await posted).postDataJSON()).toEqual({ upToId: note.id });
      await expect.poll(() => bell.getAttribute('data-unread')).toBe('0');
      await expect.poll(() => badge.count()).toBe(0);
      const row = await db
        .selectFrom('notifications')
        .select('read_at')
        .where('id', '=', note.id)
        .executeTakeFirstOrThrow();
      expect(row.read_at).not.toBeNull();

      // The full page lists it, read.
      await panel.getByRole('link', { name: '查看全部' }).click();
      const main = page.getByRole('main');
      await main.getByRole('heading', { level: 1, name: '通知' }).waitFor();
      await expect.poll(() => panel.count()).toBe(0);
      const listed = main.getByRole('listitem').filter({ hasText: '楼道纸箱堆积待清运' });
      await listed.waitFor();
      expect(await listed.getAttribute('data-read')).toBe('true');
      expect(await main.getByRole('button', { name: '全部已读' }).isDisabled()).toBe(true);
      await snap(page, 'notifications-page-phone');
    } catch (e) {
      await snap(page, 'notifications-handler');
      throw e;
    } finally {
      await context.close();
    }
  });
});
