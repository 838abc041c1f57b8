// The platform's journeys: a commander browses the tree in both languages, a grid worker sees only
// their grid (on a phone), an administrator lifts a sign-in lock (on a phone), and appoints a village
// cadre who then sees that village only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { choose, settled, snap, startJourney, waitUntil, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => j?.close());

/** The node a demo account is assigned at, with its ancestors, straight from the database. */
async function assignedNode(username: string) {
  const row = await j.boot.database.db
    .selectFrom('role_assignments as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .select(['n.id', 'n.name', 'n.path'])
    .where('u.username', '=', username)
    .executeTakeFirstOrThrow();
  return { ...row, chain: row.path.split('/').filter(Boolean).map(Number) };
}

async function nodeName(id: number) {
  const r = await j.boot.database.db
    .selectFrom('nodes')
    .select('name')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return r.name;
}

/** A node of the tree on the page (or in a picker's list) by its name, whatever its level's tag says. */
function treeItem(scope: Page | Locator, name: string): Locator {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByRole('tree').getByRole('treeitem', { name: new RegExp(`(^|\\s)${escaped}\\s`) });
}

/** Opens a tree node's children by its switcher (the caret), unless they are open already. */
async function expand(item: Locator) {
  if ((await item.getAttribute('aria-expanded')) === 'true') return;
  await item.getByRole('img', { name: /^caret-/ }).click();
  await waitUntil(async () => (await item.getAttribute('aria-expanded')) === 'true', 'the node opens');
}

describe('platform journeys', () => {
  it('the district commander switches language and browses the tree down to a grid and its polygon', async () => {
    const grid = await assignedNode('gridworker');
    const { page, context } = await j.newPage();
    try {
      await j.login(page, 'commander');
      const me = await j.boot.database.db
        .selectFrom('users')
        .select('display_name')
        .where('username', '=', 'commander')
        .executeTakeFirstOrThrow();
      await page.getByRole('banner').getByText(me.display_name).waitFor();
      await page.getByRole('menuitem', { name: '辖区' }).click();
      await page.getByRole('heading', { name: '辖区管理' }).waitFor();
      await page.getByRole('button', { name: 'EN' }).click();
      await page.getByRole('menuitem', { name: 'Jurisdiction' }).waitFor();
      await page.getByRole('heading', { name: 'Jurisdiction' }).waitFor();

      // district → town → village → grid, clicking through the tree. The node's card title has no
      // role of its own: its test id says which node the page shows.
      const chain = grid.chain as [number, number, number, number];
      const gridId = chain[3];
      const names = await Promise.all(chain.map(nodeName));
      await treeItem(page, names[0]!).click();
      await expect.poll(() => page.getByTestId('node-name').textContent()).toBe(names[0]);
      for (let i = 1; i < chain.length; i++) {
        await expand(treeItem(page, names[i - 1]!));
        await treeItem(page, names[i]!).click();
        await expect.poll(() => page.getByTestId('node-name').textContent()).toBe(names[i]);
      }
      expect(page.url()).toContain(`/tree/${gridId}`);
      // The map's polygons are drawn shapes with no names: found by the map's test id and their class.
      await page.getByTestId('node-map').locator('.linli-polygon-self').first().waitFor();
      expect(await page.getByTestId('node-map').locator('path.linli-polygon-self').count()).toBeGreaterThan(
        0,
      );
      await snap(page, 'commander-grid');

      // A town's map draws its villages' polygons.
      await page.goto(`/tree/${chain[1]}`);
      // The commander now lands on the cockpit, whose district-wide figures the server may still be
      // computing when the town's polygons are asked for: give them the time a loaded machine needs.
      await expect
        .poll(async () => Number(await page.getByTestId('polygon-count').textContent()), { timeout: 15_000 })
        .toBeGreaterThan(1);
    } finally {
      await context.close();
    }
  });

  it('a grid worker on a phone sees only their grid', async () => {
    const grid = await assignedNode('gridworker');
    const { page, context } = await j.newPage({ width: 390, height: 844 });
    try {
      await j.login(page, 'gridworker');
      const menu = page.getByRole('button', { name: '打开菜单' });
      await menu.click();
      await page.getByRole('menuitem', { name: '辖区' }).click();
      await treeItem(page, grid.name).waitFor();
      expect(await page.getByRole('tree').getByRole('treeitem').count()).toBe(1);
      // On a phone the jurisdiction is named in the menu's drawer, above the menu itself, which
      // holds only what a grid worker may do.
      await menu.click();
      await page.getByRole('dialog').getByText(grid.name, { exact: true }).first().waitFor();
      await page.getByRole('menuitem', { name: '我的待办' }).waitFor();
      expect(await page.getByRole('menuitem', { name: '用户', exact: true }).count()).toBe(0);
      expect(await page.getByRole('menuitem', { name: '审计' }).count()).toBe(0);
      // Another grid of the district is refused, also through the page.
      const other = await j.boot.database.db
        .selectFrom('nodes')
        .select('id')
        .where('level', '=', 'grid')
        .where('id', '!=', grid.id)
        .executeTakeFirstOrThrow();
      const status = await page.evaluate(async (id) => (await fetch(`/api/nodes/${id}`)).status, other.id);
      expect(status).toBe(403);
      await snap(page, 'gridworker-phone');
    } finally {
      await context.close();
    }
  });

  it('an administrator on a phone sees a sign-in lock and lifts it', async () => {
    // The lock as ten failures from a stranger's address leave it (the API suite makes it that way).
    const now = Date.now();
    const iso = (ms: number) => new Date(now + ms).toISOString();
    await j.boot.database.db
      .insertInto('login_throttles')
      .values({
        kind: 'pairing',
        address: '203.0.113.7',
        username: 'commander',
        failures: 10,
        first_failure_at: iso(-120_000),
        last_failure_at: iso(-1000),
        next_attempt_at: null,
        locked_until: iso(15 * 60_000),
        expires_at: iso(60 * 60_000),
      })
      .execute();
    const { page, context } = await j.newPage({ width: 390, height: 844 });
    try {
      await j.login(page, 'admin');
      await page.getByRole('button', { name: '打开菜单' }).click();
      await page.getByRole('menuitem', { name: '用户', exact: true }).click();
      const row = page.getByRole('listitem').filter({ hasText: '203.0.113.7 登录 commander' });
      await row.waitFor();
      const lift = row.getByRole('button', { name: '解除' });
      expect((await lift.boundingBox())!.height).toBeGreaterThanOrEqual(44);
      // No sideways scrolling at 390 px (evaluated in the page, where the DOM is).
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await snap(page, 'admin-phone-throttles');
      await lift.click();
      // The confirmation by its question; clicked once it has stopped opening (a click during the
      // zoom can land before the button takes it, on a loaded machine).
      const confirm = page.getByRole('dialog').filter({ hasText: '203.0.113.7' });
      await confirm.waitFor();
      await settled(page);
      await confirm.getByRole('button', { name: '解除' }).click();
      await row.waitFor({ state: 'detached' });
      const left = await j.boot.database.db
        .selectFrom('login_throttles')
        .select('id')
        .where('address', '=', '203.0.113.7')
        .execute();
      expect(left).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an administrator appoints a village cadre, who then sees that village only', async () => {
    const village = await assignedNode('cadre');
    const [districtId] = village.chain as [number, number, number];
    const { page, context } = await j.newPage();
    try {
      await j.login(page, 'admin');
      await page.getByRole('menuitem', { name: '用户', exact: true }).click();
      await page.getByRole('button', { name: '新建用户' }).click();
      const dialog = page.getByRole('dialog', { name: '新建用户' });
      await dialog.getByLabel('用户名').fill('newcadre');
      await dialog.getByLabel('姓名').fill('新任村干部');
      await dialog.getByLabel('初始密码').fill('A-long-password-1');
      // By keyboard, and only once its list has gone: the list, still closing, once covered the
      // place picker below it as the journey clicked there.
      await choose(dialog.getByLabel('角色'), '村社干部', { type: '村社' });
      // Found by typing its name, as an administrator would, not by opening the tree level by level.
      const picker = dialog.getByLabel('所属辖区');
      await picker.click();
      await picker.pressSequentially(village.name);
      await page.getByTestId(`node-hit-${village.id}`).click();
      await page.getByRole('tree').waitFor({ state: 'hidden' });
      await dialog.getByRole('button', { name: '创建' }).click();
      await page.getByRole('cell', { name: 'newcadre', exact: true }).waitFor();
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByLabel('用户名').waitFor();

      await j.login(page, 'newcadre', 'A-long-password-1');
      await page.getByRole('menuitem', { name: '辖区' }).click();
      await treeItem(page, village.name).waitFor();
      const roots = await page.evaluate(async () =>
        ((await (await fetch('/api/nodes')).json()) as { items: { id: number }[] }).items.map((n) => n.id),
      );
      expect(roots).toEqual([village.id]);
      expect(await treeItem(page, await nodeName(districtId)).count()).toBe(0);
      await snap(page, 'newcadre-village');
    } finally {
      await context.close();
    }
  });
});
