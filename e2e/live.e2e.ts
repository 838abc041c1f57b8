// Live updates in the browser: the header's 实时 mark shows the stream open; a change recorded for the
// cadre's village refreshes the bell at once (no reload, no focus, well before the half-minute poll);
// signing out closes the stream on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordLive } from '../server/platform/live.js';
import { insertNotification } from '../server/test/factories.js';
import { snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

describe('live updates journey', () => {
  it('an update for the cadre’s village refreshes the open page, and signing out closes the stream', async () => {
    const db = j.boot.database.db;
    const cadre = await db
      .selectFrom('role_assignments as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .innerJoin('nodes as n', 'n.id', 'a.node_id')
      .select(['u.id', 'n.path'])
      .where('u.username', '=', 'cadre')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('notifications')
      .set({ read_at: new Date().toISOString() })
      .where('user_id', '=', cadre.id)
      .where('read_at', 'is', null)
      .execute();

    const { page, context } = await j.newPage();
    try {
      await j.login(page, 'cadre');
      // The header's 实时 mark: its state is a data attribute (its colour and tooltip say it to people).
      const mark = page.getByTestId('live-indicator');
      await expect.poll(() => mark.getAttribute('data-status'), { timeout: 10_000 }).toBe('open');
      expect(await mark.textContent()).toContain('实时');
      expect(j.app.linliLive.size()).toBe(1);
      const bell = page.getByRole('banner').getByRole('button', { name: /^通知/ });
      await expect.poll(() => bell.getAttribute('data-unread')).toBe('0');

      // A change at the village, as a service records it: the notification and the live update together.
      await db.transaction().execute(async (trx) => {
        await insertNotification(trx, cadre.id, '实时推送的通知', 'event.dispatch');
        await recordLive(trx, { kind: 'event.dispatched', paths: [cadre.path], payload: {} });
      });
      j.app.linliLive.poke();
      const at = Date.now();
      await expect.poll(() => bell.getAttribute('data-unread'), { timeout: 5_000, interval: 100 }).toBe('1');
      expect(Date.now() - at).toBeLessThan(5_000);
      await snap(page, 'live-indicator');

      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByLabel('用户名').waitFor();
      await expect.poll(() => j.app.linliLive.size(), { timeout: 5_000 }).toBe(0);
    } finally {
      await context.close();
    }
  });
});
