// The platform's journeys: a commander browses the tree in both languages, a grid worker sees only
// their grid (on a phone), an administrator lifts a sign-in lock (on a phone), and appoints a village
// cadre who then sees that village only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { snap, startJourney, type Journey } from './harness.js';

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

function treeNode(page: Page, id: number): Locator {
  return page.locator('.ant-tree-treenode', { has: page.getByTestId(`tree-node-${id}`) });
}

async function expand(page: Page, id: number) {
  const node = treeNode(page, id);
  if ((await node.getAttribute('aria-expanded')) === 'true') return;
  const switcher = node.locator('.ant-tree-switcher_close');
  if ((await switcher.count()) > 0) await switcher.click();
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
      await expect.poll(() => page.getByTestId('current-user').textContent()).toContain(me.display_name);
      await page.getByTestId('nav-tree').click();
      await expect.poll(() => page.getByTestId('nav-tree').textContent()).toBe('辖区');
      await page.getByTestId('lang-switch').click();
      await expect.poll(() => page.getByTestId('nav-tree').textContent()).toBe('Jurisdiction');

      // district → town → village → grid, clicking through the tree.
      const [districtId, townId, villageId, gridId] = grid.chain as [number, number, number, number];
      await page.getByTestId(`tree-node-${districtId}`).click();
      await expect.poll(() => page.getByTestId('node-name').textContent()).toBe(await nodeName(districtId));
      for (const [parent, child] of [
        [districtId, townId],
        [townId, villageId],
        [villageId, gridId],
      ] as const) {
        await expand(page, parent);
        await page.getByTestId(`tree-node-${child}`).click();
        await expect.poll(() => page.getByTestId('node-name').textContent()).toBe(await nodeName(child));
      }
      expect(page.url()).toContain(`/tree/${gridId}`);
      await page.getByTestId('node-map').locator('.linli-polygon-self').first().waitFor();
      expect(await page.getByTestId('node-map').locator('path.linli-polygon-self').count()).toBeGreaterThan(
        0,
      );
      await snap(page, 'commander-grid');

      // A town's map draws its villages' polygons.
      await page.goto(`/tree/${townId}`);
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
      await page.getByTestId('menu-toggle').click();
      await page.getByTestId('nav-tree').click();
      await page.getByTestId(`tree-node-${grid.id}`).waitFor();
      expect(await page.locator('[data-testid^="tree-node-"]').count()).toBe(1);
      await expect.poll(() => page.getByTestId('node-switcher').textContent()).toContain(grid.name);
      // Menu holds only what a grid worker may do.
      await page.getByTestId('menu-toggle').click();
      expect(await page.getByTestId('nav-users').count()).toBe(0);
      expect(await page.getByTestId('nav-audit').count()).toBe(0);
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
    const { id } = await j.boot.database.db
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
      .returning('id')
      .executeTakeFirstOrThrow();
    const { page, context } = await j.newPage({ width: 390, height: 844 });
    try {
      await j.login(page, 'admin');
      await page.getByTestId('menu-toggle').click();
      await page.getByTestId('nav-users').click();
      const row = page.getByTestId(`throttle-${id}`);
      await row.waitFor();
      expect(await row.textContent()).toContain('203.0.113.7 登录 commander');
      const lift = page.getByTestId(`throttle-lift-${id}`);
      expect((await lift.boundingBox())!.height).toBeGreaterThanOrEqual(44);
      // No sideways scrolling at 390 px (evaluated in the page, where the DOM is).
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await snap(page, 'admin-phone-throttles');
      await lift.click();
      await page.getByTestId('throttle-lift-confirm').click();
      await row.waitFor({ state: 'detached' });
      const left = await j.boot.database.db
        .selectFrom('login_throttles')
        .select('id')
        .where('id', '=', id)
        .execute();
      expect(left).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an administrator appoints a village cadre, who then sees that village only', async () => {
    const village = await assignedNode('cadre');
    const [districtId, townId] = village.chain as [number, number, number];
    const { page, context } = await j.newPage();
    try {
      await j.login(page, 'admin');
      await page.getByTestId('nav-users').click();
      await page.getByTestId('user-create-button').click();
      await page.getByTestId('user-form-username').fill('newcadre');
      await page.getByTestId('user-form-displayname').fill('新任村干部');
      await page.getByTestId('user-form-password').fill('A-long-password-1');
      await page.getByTestId('user-form-role').click();
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '村社干部' })
        .click();
      await page.getByTestId('user-form-node').click();
      const dropdown = page.locator('.ant-select-dropdown:visible');
      for (const id of [districtId, townId]) {
        const name = await nodeName(id);
        await dropdown
          .locator('.ant-select-tree-treenode', { hasText: name })
          .first()
          .locator('.ant-select-tree-switcher_close')
          .click();
      }
      await dropdown.locator('.ant-select-tree-title', { hasText: village.name }).first().click();
      await page.getByTestId('user-form-submit').click();
      await page.getByTestId('user-row-newcadre').waitFor();
      await page.getByTestId('logout').click();
      await page.getByTestId('login-username').waitFor();

      await j.login(page, 'newcadre', 'A-long-password-1');
      await page.getByTestId('nav-tree').click();
      await page.getByTestId(`tree-node-${village.id}`).waitFor();
      const roots = await page.evaluate(async () =>
        ((await (await fetch('/api/nodes')).json()) as { items: { id: number }[] }).items.map((n) => n.id),
      );
      expect(roots).toEqual([village.id]);
      expect(await page.getByTestId(`tree-node-${districtId}`).count()).toBe(0);
      await snap(page, 'newcadre-village');
    } finally {
      await context.close();
    }
  });
});
