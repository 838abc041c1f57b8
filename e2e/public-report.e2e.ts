// Finding a place by name in the browser. A resident on a phone, with no map tiles (MAP_TILE_URL
// unset, the default), finds the village by name, reads where the report will go, files it without
// tapping the map and follows it by its code; a wrong code is answered kindly in one language. The
// phone's location names its grid too. The administrator finds 章坂村第二网格 in the header's place
// picker by its initials or part of its name.
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

const PHONE = { width: 390, height: 844 };

async function nodeNamed(name: string) {
  return j.boot.database.db
    .selectFrom('nodes')
    .select(['id', 'centroid_lat', 'centroid_lng'])
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
}

/** The page scrolls sideways when its content is wider than the screen. */
const sideways = (page: Page) =>
  page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

/** Visible controls a finger taps that are smaller than 44 × 44 px, described for the failure message. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const els = document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), textarea, select, [role=button], [role=combobox], .ant-select, .ant-cascader',
    );
    const out = [];
    for (const el of els) {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || s.display === 'none') continue;
      // A control drawn inside a bigger one (an antd select's input) is tapped through its box.
      const box = el.closest('.ant-select, .ant-cascader, .ant-input-affix-wrapper, .ant-input-number, .ant-upload');
      const t = box && box !== el ? box.getBoundingClientRect() : r;
      if (t.width < 44 || t.height < 44)
        out.push(el.tagName + '.' + String(el.className).slice(0, 40) + ' "' + (el.textContent || '').trim().slice(0, 20) + '" ' + Math.round(t.width) + 'x' + Math.round(t.height));
    }
    return out;
  })()`);
}

describe('the resident’s report form without map tiles', () => {
  it('a resident finds the village by name, sees where the report goes, files it and tracks it', async () => {
    const village = await nodeNamed('章坂村');
    const { page, context } = await j.newPage(PHONE);
    try {
      await page.goto('/report');
      // Without tiles the map still draws the towns with their names (shown where they fit).
      const map = page.getByRole('region', { name: '地图：点选问题所在位置' });
      await map.locator('.leaflet-tooltip', { hasText: '锦城街道' }).waitFor({ state: 'attached' });
      expect(await map.locator('path.leaflet-interactive').count()).toBe(18);
      expect(await map.locator('.leaflet-tooltip').count()).toBe(18);
      await snap(page, 'public-report-start');
      const destination = page.getByTestId('public-destination');
      expect(await destination.textContent()).toContain('请查找地名、使用您的位置，或在地图上点选');
      const submit = page
        .getByRole('button', { name: '提 交' })
        .or(page.getByRole('button', { name: '提交' }));
      expect(await submit.isDisabled()).toBe(true);

      await page.getByLabel('事件类别').click();
      await page.locator('.ant-cascader-menu-item', { hasText: '环境卫生' }).click();
      await page.locator('.ant-cascader-menu-item', { hasText: '垃圾堆放' }).click();
      await page.getByLabel('遇到了什么问题？').fill('村口垃圾桶满了好几天');

      // By name: the village is the first hit, with the street above it.
      await page.getByLabel('按镇街、村或社区名称查找').fill('章坂');
      const hit = page.getByRole('listitem').getByRole('button', { name: /^章坂村 村社/ });
      await hit.waitFor();
      expect(await hit.textContent()).toContain('锦城街道');
      expect(await sideways(page)).toBe(0);
      await snap(page, 'public-report-search');
      await hit.click();

      // In words, before sending: where it goes, and that no spot is needed.
      await expect.poll(() => destination.textContent()).toContain('将提交至 锦城街道 › 章坂村');
      expect(await destination.textContent()).not.toContain('网格');
      // The map now shows the village's grids by name.
      await map.locator('.leaflet-tooltip', { hasText: '章坂村第二网格' }).waitFor();
      await map.locator('.leaflet-tooltip', { hasText: '章坂村第一网格' }).waitFor();
      expect(await sideways(page)).toBe(0);
      expect(await smallTargets(page)).toEqual([]);
      await snap(page, 'public-report-placed');

      await submit.click();
      const shown = page.getByTestId('public-tracking-code');
      await shown.waitFor();
      const code = (await shown.textContent())!.trim();
      expect(code).toMatch(/^LA[A-Z0-9]{10}$/);
      // Sent to the village chosen, with no made-up point.
      const event = await j.boot.database.db
        .selectFrom('events')
        .select(['node_id', 'lat', 'lng', 'channel'])
        .where('tracking_code', '=', code)
        .executeTakeFirstOrThrow();
      expect(event).toEqual({ node_id: village.id, lat: null, lng: null, channel: 'public' });

      await page.getByRole('button', { name: '查看办理进度' }).click();
      await page.getByTestId('track-result').waitFor();
      expect(await page.getByTestId('track-result').textContent()).toContain('垃圾堆放');
      expect(await sideways(page)).toBe(0);
      expect(await smallTargets(page)).toEqual([]);
    } catch (e) {
      await snap(page, 'public-report-failed');
      throw e;
    } finally {
      await context.close();
    }
  });

  it('a wrong tracking code is answered kindly, in one language, without a request id', async () => {
    const { page, context } = await j.newPage(PHONE);
    try {
      await page.goto('/track/LAZZZZZZZZZZ');
      const notFound = page.getByTestId('track-not-found');
      await notFound.waitFor();
      const zh = (await notFound.textContent()) ?? '';
      expect(zh).toContain('没有找到这个跟踪码对应的问题');
      // Nothing but Chinese (and the code's own letters), and no request id.
      expect(zh.replace(/LA/g, '')).not.toMatch(/[A-Za-z]{2,}/);
      expect(zh).not.toMatch(/requestId|请求/);
      expect(await page.getByTestId('error-alert').count()).toBe(0);
      expect(await sideways(page)).toBe(0);
      expect(await smallTargets(page)).toEqual([]);
      await snap(page, 'public-track-unknown');

      // Typed by hand, in lower case with a space, in English: the same, in English alone.
      await page.getByRole('button', { name: 'EN', exact: true }).click();
      await page.getByPlaceholder(/Tracking code/).fill('la zzzz zzzz zz');
      await page.getByRole('button', { name: /Look up/ }).click();
      await expect.poll(() => page.url()).toContain('/track/LAZZZZZZZZZZ');
      await expect
        .poll(() => notFound.textContent())
        .toContain('We found no report with this tracking code.');
      expect((await notFound.textContent()) ?? '').not.toMatch(/[\u4e00-\u9fff]|requestId/);
      // A code that is no code at all (refused by the server's pattern) reads the same.
      await page.goto('/track/abc!');
      await expect
        .poll(() => notFound.textContent())
        .toContain('We found no report with this tracking code.');
    } finally {
      await context.close();
    }
  });

  it('the phone’s location names the grid the report goes to, before it is sent', async () => {
    const grid = await nodeNamed('章坂村第二网格');
    const { page, context } = await j.newPage(PHONE);
    try {
      await context.grantPermissions(['geolocation']);
      await context.setGeolocation({ latitude: grid.centroid_lat!, longitude: grid.centroid_lng! });
      await page.goto('/report');
      await page.getByRole('button', { name: '使用我的位置' }).click();
      const destination = page.getByTestId('public-destination');
      await expect
        .poll(() => destination.textContent())
        .toContain('将提交至 锦城街道 › 章坂村 › 章坂村第二网格');
      expect(await destination.textContent()).toContain('按您手机的位置确定所在网格');
      await page
        .getByRole('region', { name: '地图：点选问题所在位置' })
        .locator('.leaflet-tooltip', { hasText: '章坂村第二网格' })
        .waitFor();
      await snap(page, 'public-report-location');
    } finally {
      await context.close();
    }
  });
});

describe('the header’s place picker', () => {
  it('the administrator finds 章坂村第二网格 by its initials or part of its name', async () => {
    const grid = await nodeNamed('章坂村第二网格');
    const { page, context } = await j.newPage();
    try {
      await j.login(page, 'admin');
      const switcher = page.getByTestId('node-switcher');
      // The picker's own list (the tree page beside it has tree items too).
      const picker = page.locator('.ant-select-dropdown:visible');
      for (const typed of ['zbc', '坂村第二']) {
        await switcher.click();
        // The picker is fetched at the first press: type once its list is open and has the focus.
        await picker.waitFor();
        await page.getByRole('combobox', { name: '辖区' }).and(page.locator(':focus')).waitFor();
        await page.keyboard.type(typed);
        const hit = picker.getByRole('treeitem').filter({ hasText: '章坂村第二网格' });
        await hit.waitFor();
        // Each hit with the places above it.
        expect(await hit.textContent()).toContain('临安区 › 锦城街道 › 章坂村');
        await snap(page, `picker-${typed === 'zbc' ? 'initials' : 'name'}`);
        await hit.click();
        await expect.poll(() => switcher.textContent()).toContain('章坂村第二网格');
        // The choice is kept as the jurisdiction the pages follow.
        await expect
          .poll(() => page.evaluate<string>('Object.values(localStorage).join()'))
          .toContain(`"id":${grid.id},`);
        // Back to the district for the second round.
        if (typed === 'zbc') {
          await switcher.click();
          await page.keyboard.type('临安区');
          await picker.getByRole('treeitem').filter({ hasText: '临安区' }).first().click();
          await expect.poll(() => switcher.textContent()).toContain('临安区');
        }
      }
    } catch (e) {
      await snap(page, 'picker-failed');
      throw e;
    } finally {
      await context.close();
    }
  });
});
