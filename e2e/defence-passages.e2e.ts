// Passage registration at a roadside on a 390 × 844 phone (issue 15): the demo checkpoint account
// (洪卫东, 昌化镇) lands on its shift and checks in, opens the registration from there, registers a car
// with three people, one of them back from a key region, bound for the demo grid worker's grid, all in
// under ten seconds of scripted typing; loses the connection for the next car, which waits on the phone
// and is sent, once, when the connection returns; and the grid worker finds the risky traveller handed
// over among their tasks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../common/validators.js';
import { settled, snap, startJourney, waitUntil, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

/** A valid resident ID number of Lin'an (330112), born on the given day, with sequence `seq`. */
const idNumber = (birth: string, seq: number) => {
  const first17 = `330112${birth}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
};

describe('passages on a phone', () => {
  it('the checkpoint account checks in, registers a car of three in under ten seconds, and one more offline', async () => {
    const { db } = j.boot.database;
    const grid = await db
      .selectFrom('role_assignments as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .innerJoin('nodes as n', 'n.id', 'a.node_id')
      .select(['n.id', 'n.name'])
      .where('u.username', '=', 'gridworker')
      .executeTakeFirstOrThrow();
    const before = await db.selectFrom('passages').select('id').execute();
    const { page, context } = await j.newPage({ width: 390, height: 844 });
    try {
      await j.login(page, 'checkpoint');
      await page.waitForURL('**/shift');
      await page.getByTestId('shift-current').waitFor();
      await settled(page);
      await page.getByTestId('shift-check-in').click();
      await page.getByTestId('shift-checked-in').waitFor();
      await page.getByTestId('shift-register-passage').click();
      await page.waitForURL('**/passages/new');
      // The checkpoint comes from the shift: nothing to choose.
      await page.getByTestId('passage-checkpoint').getByText('杭徽高速昌化出口').waitFor();
      await settled(page);
      const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(width[0]).toBeLessThanOrEqual(width[1]!);

      // A car of three, the third back from a key region in the last 14 days.
      const started = Date.now();
      await page.getByTestId('passage-direction-in').click();
      await page.getByTestId('passage-plate').fill('浙A7K2M9');
      const people = [
        { name: '章建国', id: idNumber('19700312', 101), phone: '13905710001' },
        { name: '章丽华', id: idNumber('19720805', 102), phone: '13905710002' },
        { name: '章小军', id: idNumber('19980101', 103), phone: '13905710003' },
      ];
      for (const [i, p] of people.entries()) {
        if (i > 0) await page.getByTestId('passage-add-person').click();
        const row = `passage-person-${i}`;
        await page.getByTestId(`${row}-name`).fill(p.name);
        await page.getByTestId(`${row}-id`).fill(p.id);
        await page.getByTestId(`${row}-phone`).fill(p.phone);
      }
      await page.getByTestId('passage-person-2-key-region-yes').click();
      // The place found by its name, as a finger taps the hit.
      await page.locator('#passage-destination-node').pressSequentially(grid.name);
      await page.locator('.ant-select-item-option', { hasText: grid.name }).click();
      await page.getByTestId('passage-submit').click();
      await page.getByText('已登记：有风险人员，已按规则转交目的地网格').waitFor();
      const seconds = (Date.now() - started) / 1000;
      expect(seconds).toBeLessThan(10);
      await snap(page, 'defence-passage-registered');

      // The server has it once, its people masked, the risky one handed to the grid.
      const after = await db
        .selectFrom('passages')
        .select(['id', 'plate', 'risky', 'people_count'])
        .where(
          'id',
          'not in',
          before.map((b) => b.id),
        )
        .execute();
      expect(after).toEqual([expect.objectContaining({ plate: '浙A7K2M9', risky: 1, people_count: 3 })]);
      const handoffs = await db
        .selectFrom('handoffs')
        .select(['node_id', 'state'])
        .where('passage_id', '=', after[0]!.id)
        .execute();
      expect(handoffs).toEqual([{ node_id: grid.id, state: 'open' }]);

      // The connection drops for the next car: it waits on the phone, then goes once, with its key.
      await context.setOffline(true);
      await page.getByTestId('passage-plate').fill('浙B3C5D7');
      await page.getByTestId('passage-person-0-name').fill('王海');
      await page.getByTestId('passage-person-0-id').fill(idNumber('19850505', 104));
      await page.getByTestId('passage-submit').click();
      await page.getByTestId('passage-outbox-waiting').getByText('待发送 1 条').waitFor();
      const offline = await db.selectFrom('passages').select('id').where('plate', '=', '浙B3C5D7').execute();
      expect(offline).toHaveLength(0);
      await context.setOffline(false);
      await waitUntil(
        async () =>
          (await db.selectFrom('passages').select('id').where('plate', '=', '浙B3C5D7').execute()).length ===
          1,
        'the kept registration reaches the server',
      );
      await page.getByTestId('passage-outbox-waiting').waitFor({ state: 'detached' });
      // Sent once: a retry with the same key would have answered the first.
      expect(
        await db.selectFrom('passages').select('id').where('plate', '=', '浙B3C5D7').execute(),
      ).toHaveLength(1);

      // One more that cannot reach the server, and then the phone is handed over: signing out asks
      // first, and forgets the entry (with its traveller's whole numbers) only when agreed.
      await page.route('**/api/passages', (route) =>
        route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.fallback(),
      );
      await page.getByTestId('passage-plate').fill('浙B3C5D8');
      await page.getByTestId('passage-person-0-name').fill('王江');
      await page.getByTestId('passage-person-0-id').fill(idNumber('19860606', 105));
      await page.getByTestId('passage-submit').click();
      await page.getByTestId('passage-outbox-waiting').getByText('待发送 1 条').waitFor();
      const kept = () =>
        page.evaluate(() =>
          Object.keys(localStorage)
            .filter((k) => k.startsWith('linli.passages.outbox'))
            .map((k) => localStorage.getItem(k)),
        );
      expect((await kept()).join()).toContain('浙B3C5D8');
      const signOut = async () => {
        await page.getByTestId('user-menu').click();
        await page.getByTestId('logout').click();
      };
      await signOut();
      const ask = page.getByRole('dialog').filter({ hasText: '还有 1 条通行登记未发送' });
      await ask.getByRole('button', { name: '取消' }).click();
      await ask.waitFor({ state: 'detached' });
      expect((await kept()).join()).toContain('浙B3C5D8');
      await signOut();
      await page.getByTestId('logout-forget-unsent').click();
      await page.waitForURL('**/login');
      expect((await kept()).join()).not.toContain('浙B3C5D8');
    } catch (e) {
      await snap(page, 'defence-passage-failed');
      throw e;
    } finally {
      await context.close();
    }
  });

  it('the destination grid worker finds the risky traveller among their tasks', async () => {
    const { page, context } = await j.newPage({ width: 390, height: 844 });
    try {
      await j.login(page, 'gridworker');
      await page.waitForURL('**/tasks');
      const task = page.getByTestId('handoff-tasks').getByText('章小军');
      await task.waitFor();
      await settled(page);
      const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(width[0]).toBeLessThanOrEqual(width[1]!);
      await snap(page, 'defence-handoff-task');
    } catch (e) {
      await snap(page, 'defence-handoff-failed');
      throw e;
    } finally {
      await context.close();
    }
  });
});
