// Field staff on a 390 × 844 phone: the grid worker lands on their tasks, has a short menu, and every
// page they can open fits the screen's width with touch targets of at least 44 × 44 px, measured in the
// page; so do the mediator's cases, the invited mediator's hearings and the resident's application for
// mediation. Also: each role lands on its work, and the desktop keeps its grouped side menu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

const PHONE = { width: 390, height: 844 };
const MIN = 44;

/** What a finger can tap: links, buttons, fields, checkboxes, tabs, menu items, pagination. */
const TARGETS = [
  'a',
  'button',
  'input:not([type=hidden])',
  'select',
  'textarea',
  'summary',
  '[role=button]',
  '[role=checkbox]',
  '[role=radio]',
  '[role=switch]',
  '[role=tab]',
  '[role=menuitem]',
  '[role=link]',
  '[role=combobox]',
  '[role=treeitem]',
  'label.ant-checkbox-wrapper',
  'label.ant-radio-wrapper',
  '.ant-pagination-item',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');
/** A control drawn around a smaller element it forwards taps to (a select around its input…). */
const HIT_AREAS = `${TARGETS}, .ant-select, .ant-cascader, .ant-picker, .ant-input-affix-wrapper, .ant-input-number, .ant-input-group-wrapper, .ant-segmented-item`;

interface Offender {
  what: string;
  width: number;
  height: number;
}

/** Every visible target smaller than 44 × 44 px that no ancestor of that size carries. */
async function smallTargets(page: Page): Promise<Offender[]> {
  return page.evaluate(
    ({ targets, hitAreas, min }) => {
      const big = (r: DOMRect) => r.width >= min - 0.5 && r.height >= min - 0.5;
      const inside = (a: DOMRect, b: DOMRect) =>
        a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
      const out: { what: string; width: number; height: number }[] = [];
      for (const el of Array.from(document.querySelectorAll<HTMLElement>(targets))) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.pointerEvents === 'none') continue;
        if (big(r)) continue;
        let carried = false;
        for (let a = el.parentElement, up = 0; a && up < 5 && !carried; a = a.parentElement, up++) {
          if (!a.matches(hitAreas)) continue;
          const ar = a.getBoundingClientRect();
          carried = big(ar) && inside(r, ar);
        }
        if (carried) continue;
        const name =
          el.getAttribute('aria-label') ??
          el.getAttribute('data-testid') ??
          (el.textContent ?? '').trim().slice(0, 24);
        const cls = typeof el.className === 'string' ? el.className.split(' ')[0] : '';
        out.push({
          what: `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''} "${name}"`,
          width: Math.round(r.width),
          height: Math.round(r.height),
        });
      }
      return out;
    },
    { targets: TARGETS, hitAreas: HIT_AREAS, min: MIN },
  );
}

/** The page's width against the screen's, and any box inside that scrolls sideways (a wide table). */
async function sideways(page: Page): Promise<{ scrollWidth: number; innerWidth: number; inner: string[] }> {
  return page.evaluate(() => {
    const inner: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      if (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT' || el.clientWidth === 0) continue;
      const ox = getComputedStyle(el).overflowX;
      if ((ox === 'auto' || ox === 'scroll') && el.scrollWidth > el.clientWidth + 1)
        inner.push(
          `${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} ${el.scrollWidth} > ${el.clientWidth}`,
        );
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, inner };
  });
}

/** The page has loaded its data: no spinner or skeleton left. */
async function settled(page: Page) {
  await page.locator('.linli-content').waitFor();
  await page.waitForFunction(
    () => !document.querySelector('.linli-content .ant-spin-spinning, .linli-content .ant-skeleton-active'),
    undefined,
    { timeout: 15_000 },
  );
  // Let the last layout (fonts, late images) land.
  await page.waitForTimeout(200);
}

/** Waits out an opening animation (a drawer sliding, a popover zooming): the box stops changing. */
async function steady(page: Page, selector: string) {
  let last = '';
  for (let i = 0; i < 50; i++) {
    const box = JSON.stringify(await page.locator(selector).last().boundingBox());
    if (box === last && box !== 'null') return;
    last = box;
    await page.waitForTimeout(100);
  }
  throw new Error(`${selector} never came to rest`);
}

async function post<T>(page: Page, url: string, body: unknown): Promise<T> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'csrf')!.value;
  return page.evaluate(
    async ({ url, body, csrf }) => {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
    { url, body, csrf },
  );
}

async function getJson<T>(page: Page, url: string): Promise<T> {
  return page.evaluate(async (u) => (await (await fetch(u)).json()) as T, url);
}

describe('phone-first pages for field staff', () => {
  it('the grid worker lands on tasks, with six menu entries at most, and every page fits and is tappable', async () => {
    const { page, context } = await j.newPage(PHONE);
    const failures: string[] = [];
    const check = async (label: string) => {
      const w = await sideways(page);
      if (w.scrollWidth > w.innerWidth)
        failures.push(`${label}: scrolls sideways (${w.scrollWidth} > ${w.innerWidth})`);
      for (const box of w.inner) failures.push(`${label}: ${box} scrolls sideways inside`);
      for (const o of await smallTargets(page))
        failures.push(`${label}: ${o.what} is ${o.width} × ${o.height}`);
    };
    try {
      await j.login(page, 'gridworker');
      await page.waitForURL('**/tasks');
      await settled(page);
      // One header line.
      expect((await page.locator('.linli-header').boundingBox())!.height).toBeLessThanOrEqual(64);

      // A case in their grid, so the events list has a first row to place.
      const me = await getJson<{ assignments: { node: { id: number } }[] }>(page, '/api/auth/me');
      const grid = me.assignments[0]!.node.id;
      const categories = await getJson<{ items: { id: number; parentId: number | null }[] }>(
        page,
        '/api/event-categories',
      );
      const leaf = categories.items.find((c) => !categories.items.some((x) => x.parentId === c.id))!;
      const { event } = await post<{ event: { id: number } }>(page, '/api/events', {
        categoryId: leaf.id,
        title: '路灯损坏夜间无照明',
        description: '三组村道路灯不亮',
        nodeId: grid,
      });

      // The menu: at most six entries, my tasks among them.
      await page.getByRole('button', { name: '打开菜单' }).click();
      const drawer = page.locator('.linli-drawer');
      await drawer.getByRole('menuitem').first().waitFor();
      await steady(page, '.linli-drawer .ant-drawer-content-wrapper');
      const entries = drawer.getByRole('menuitem');
      const count = await entries.count();
      expect(count).toBeGreaterThan(2);
      expect(count).toBeLessThanOrEqual(6);
      expect(await drawer.getByRole('menuitem', { name: '我的待办' }).count()).toBe(1);
      await check('menu drawer');
      await snap(page, 'phone-gridworker-menu');
      const menuPages = (
        await drawer
          .locator('[data-testid^="nav-"]')
          .evaluateAll((els) =>
            els.map((e) => `/${(e.getAttribute('data-testid') ?? '').slice('nav-'.length)}`),
          )
      ).filter(Boolean);
      await page.keyboard.press('Escape');
      await drawer.locator('.ant-drawer-content').waitFor({ state: 'hidden' });

      // The user's menu: account, language, logout.
      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: '退出登录' }).waitFor();
      await steady(page, '.ant-dropdown');
      await check('user menu');
      // Language from the user's menu: the page turns English, the header stays one line.
      await page.getByRole('menuitem', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'My tasks' }).waitFor();
      expect((await page.locator('.linli-header').boundingBox())!.height).toBeLessThanOrEqual(64);
      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: '中文' }).click();
      await page.getByRole('heading', { name: '我的待办' }).waitFor();

      // The bell's panel.
      await page.getByTestId('notifications-bell').click();
      await page.getByTestId('notifications-panel').waitFor();
      await steady(page, '.ant-popover');
      await check('notifications panel');
      await page.keyboard.press('Escape');

      // The rest of their pages, from the account page's list of all pages.
      await page.goto('/account');
      await settled(page);
      const listed = await page
        .getByTestId('all-pages')
        .locator('a')
        .evaluateAll((els) => els.map((e) => new URL((e as HTMLAnchorElement).href).pathname));
      expect(listed.length).toBeGreaterThan(count);

      // Details reached from the lists.
      const notices = await getJson<{ items: { id: number }[] }>(page, '/api/notices?pageSize=1');
      const people = await getJson<{ items: { id: number }[] }>(page, '/api/people?pageSize=1');
      const households = await getJson<{ items: { id: number }[] }>(page, '/api/households?pageSize=1');
      const directives = await getJson<{ items: { id: number }[] }>(page, '/api/directives?pageSize=1');
      // An order of home observation with a follow-up due today: its page carries the follow-up form.
      const observations = await getJson<{ items: { id: number; todayStatus: string | null }[] }>(
        page,
        '/api/observations?status=active&pageSize=50',
      );
      const observed = observations.items.filter((o) => o.todayStatus === 'due').slice(0, 1);
      // The demo sweep: its progress at the grid, and the grid's list walked door to door.
      const sweeps = await getJson<{ items: { id: number; myGrids: { id: number }[] }[] }>(
        page,
        '/api/sweeps',
      );
      const swept = sweeps.items.filter((w) => w.myGrids.length > 0).slice(0, 1);
      const details = [
        `/events/${event.id}`,
        ...notices.items.map((n) => `/notices/${n.id}`),
        ...people.items.map((p) => `/people/${p.id}`),
        ...households.items.map((h) => `/households/${h.id}`),
        ...directives.items.map((d) => `/directives/${d.id}`),
        ...observed.map((o) => `/observations/${o.id}`),
        ...swept.flatMap((w) => [`/sweeps/${w.id}`, `/sweeps/${w.id}/list?node=${w.myGrids[0]!.id}`]),
      ];
      expect(details.length).toBe(8);

      const pages = [
        ...new Set(['/tasks', ...menuPages, ...listed, '/account', '/notifications', ...details]),
      ];
      for (const path of pages) {
        await page.goto(path);
        await settled(page);
        if (path === '/cockpit') {
          // The cockpit's layout has its own journey; here it only has to fit the width.
          const w = await sideways(page);
          if (w.scrollWidth > w.innerWidth) failures.push(`${path}: scrolls sideways`);
          for (const box of w.inner) failures.push(`${path}: ${box} scrolls sideways inside`);
          continue;
        }
        await check(path);
        await snap(page, `phone-gridworker${path.replaceAll('/', '-')}`);
      }

      // The events list: the first case starts within the first screen; the filters sit in a drawer.
      await page.goto('/events');
      await settled(page);
      const row = page.getByTestId(`event-row-${event.id}`);
      await row.waitFor();
      const firstTop = await page
        .locator('[data-testid^="event-row-"]')
        .first()
        .evaluate((e) => e.getBoundingClientRect().top);
      expect(firstTop).toBeLessThan(300);
      await page.getByRole('button', { name: /^筛\s?选/ }).click();
      const state = page.getByLabel('状态', { exact: true });
      await state.waitFor();
      await steady(page, '.linli-filters-drawer .ant-drawer-content-wrapper');
      await check('events filters');
      await snap(page, 'phone-gridworker-events-filters');
      await page.getByRole('button', { name: /查看结果/ }).click();

      // A notice's checklist row is tappable as a whole: tapping the address ticks it.
      if (notices.items[0]) {
        await page.goto(`/notices/${notices.items[0].id}`);
        await settled(page);
        const open = page.locator(
          '[data-testid="notice-households"] tbody tr.ant-table-row:has(.ant-checkbox-wrapper:not(.ant-checkbox-wrapper-disabled))',
        );
        if ((await open.count()) > 0) {
          await open.first().locator('td').nth(1).click();
          await expect.poll(() => page.getByTestId('notice-confirm').innerText()).toContain('1');
        }
      }

      expect(failures, failures.join('\n')).toEqual([]);
    } catch (e) {
      await snap(page, 'phone-gridworker-failed');
      throw e;
    } finally {
      await context.close();
    }
  });

  it('the mediator’s cases and a case, the invited mediator’s hearings and the resident’s application fit and are tappable', async () => {
    const db = j.boot.database.db;
    // The demo's cases in 金秀英's hands: one waiting for signatures, one with a session today.
    const caseIn = (status: 'signing' | 'mediating') =>
      db
        .selectFrom('mediation_cases')
        .select('id')
        .where('status', '=', status)
        .where('caucus', '=', 0)
        .orderBy('id')
        .executeTakeFirstOrThrow();
    const signing = await caseIn('signing');
    const mediating = await caseIn('mediating');
    const failures: string[] = [];
    const checkOn = async (page: Page, label: string) => {
      const w = await sideways(page);
      if (w.scrollWidth > w.innerWidth)
        failures.push(`${label}: scrolls sideways (${w.scrollWidth} > ${w.innerWidth})`);
      for (const box of w.inner) failures.push(`${label}: ${box} scrolls sideways inside`);
      for (const o of await smallTargets(page))
        failures.push(`${label}: ${o.what} is ${o.width} × ${o.height}`);
    };
    const visits: {
      user: string;
      home: string;
      pages: { path: string; ready: (page: Page) => Locator }[];
    }[] = [
      {
        user: 'mediator',
        home: '/mediation',
        pages: [
          {
            path: '/mediation',
            ready: (p) => p.getByTestId('mediation-cases').locator('[data-testid^="case-row-"]'),
          },
          { path: `/mediation/cases/${signing.id}`, ready: (p) => p.getByTestId('assisted-sign') },
          { path: `/mediation/cases/${mediating.id}`, ready: (p) => p.getByTestId('agreement-form') },
        ],
      },
      {
        user: 'invited',
        home: '/hearings',
        pages: [
          {
            path: '/hearings',
            ready: (p) => p.getByTestId('hearings').locator('[data-testid^="attendance-"]'),
          },
        ],
      },
    ];
    for (const { user, home, pages } of visits) {
      const { page, context } = await j.newPage(PHONE);
      try {
        await j.login(page, user);
        await page.waitForURL(`**${home}`);
        for (const { path, ready } of pages) {
          await page.goto(path);
          await ready(page).first().waitFor();
          await settled(page);
          await checkOn(page, `${user} ${path}`);
          await snap(page, `phone-${user}${path.replaceAll('/', '-')}`);
        }
        if (user === 'mediator') {
          // The mediating case's scheduling dialog: its modes as large buttons.
          await page.getByTestId('schedule-open').click();
          await page.getByRole('dialog', { name: '安排调解' }).getByTestId('session-starts').waitFor();
          await steady(page, '.ant-modal');
          await checkOn(page, `${user} schedule dialog`);
          await snap(page, 'phone-mediator-schedule');
        }
      } catch (e) {
        await snap(page, `phone-${user}-failed`);
        throw e;
      } finally {
        await context.close();
      }
    }

    // The resident's application for mediation, before and after finding the place by name.
    const { page, context } = await j.newPage(PHONE);
    try {
      await page.goto('/mediate');
      await page.getByTestId('apply-form').waitFor();
      await steady(page, '[data-testid="apply-form"]');
      await checkOn(page, '/mediate');
      await page.getByLabel('按镇街、村或社区名称查找').fill('章坂');
      const hit = page.getByRole('listitem').getByRole('button', { name: /^章坂村 村社/ });
      await hit.waitFor();
      await checkOn(page, '/mediate (places found)');
      await hit.click();
      await page
        .getByTestId('apply-place')
        .getByText(/锦城街道 › 章坂村/)
        .waitFor();
      await checkOn(page, '/mediate (place chosen)');
      await snap(page, 'phone-resident-mediate');
    } catch (e) {
      await snap(page, 'phone-resident-mediate-failed');
      throw e;
    } finally {
      await context.close();
    }

    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('joint services: the coordinator’s, the cadre’s and the volunteer’s pages, a call-out, a request, joining and asking for help fit and are tappable', async () => {
    const db = j.boot.database.db;
    const failures: string[] = [];
    const checkOn = async (page: Page, label: string) => {
      const w = await sideways(page);
      if (w.scrollWidth > w.innerWidth)
        failures.push(`${label}: scrolls sideways (${w.scrollWidth} > ${w.innerWidth})`);
      for (const box of w.inner) failures.push(`${label}: ${box} scrolls sideways inside`);
      for (const o of await smallTargets(page))
        failures.push(`${label}: ${o.what} is ${o.width} × ${o.height}`);
    };
    // A resident of the cadre's village, for a need raised there.
    const cadreAt = await db
      .selectFrom('role_assignments as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .innerJoin('nodes as n', 'n.id', 'a.node_id')
      .select(['n.id', 'n.path'])
      .where('u.username', '=', 'cadre')
      .executeTakeFirstOrThrow();
    const resident = await db
      .selectFrom('persons')
      .select('id')
      .where('node_path', 'like', `${cadreAt.path}%`)
      .where('merged_into_id', 'is', null)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    let token = '';
    type Shown = { path: string; ready: (page: Page) => Locator; open?: string };
    const visit = async (
      user: string | null,
      home: string | null,
      pages: (page: Page) => Promise<Shown[]> | Shown[],
    ) => {
      const { page, context } = await j.newPage(PHONE);
      try {
        if (user) await j.login(page, user);
        if (home) await page.waitForURL(`**${home}`);
        for (const { path, ready, open } of await pages(page)) {
          await page.goto(path);
          await ready(page).first().waitFor();
          if (user) await settled(page);
          else await page.waitForTimeout(300);
          await checkOn(page, `${user ?? 'resident'} ${path}`);
          await snap(page, `phone-${user ?? 'resident'}${path.replaceAll('/', '-').slice(0, 40)}`);
          if (open) {
            // A dialog of the page: its fields and buttons too.
            await page.getByTestId(open).click();
            await page.getByRole('dialog').waitFor();
            await steady(page, '.ant-modal');
            await checkOn(page, `${user ?? 'resident'} ${path} (${open})`);
            await page.keyboard.press('Escape');
            await page.getByRole('dialog').waitFor({ state: 'hidden' });
          }
        }
      } catch (e) {
        await snap(page, `phone-${user ?? 'resident'}-services-failed`);
        throw e;
      } finally {
        await context.close();
      }
    };
    await visit('volcoord', '/services', async (page) => {
      ({ token } = await post<{ token: string }>(page, '/api/services/invitations', {
        nodeId: (await getJson<{ assignments: { node: { id: number } }[] }>(page, '/api/auth/me'))
          .assignments[0]!.node.id,
      }));
      return [
        { path: '/services', ready: (p) => p.getByTestId('volunteers'), open: 'volunteer-register' },
        { path: '/services', ready: (p) => p.getByTestId('volunteers'), open: 'volunteer-invite' },
        { path: '/care', ready: (p) => p.getByTestId('care-roster') },
        { path: '/services/hours', ready: (p) => p.getByTestId('hours-ranking') },
      ];
    });
    await visit('cadre', '/tasks', async (page) => {
      const inHour = Date.now() + 3_600_000;
      const callout = await post<{ id: number }>(page, '/api/callouts', {
        nodeId: cadreAt.id,
        title: '防汛巡查',
        meetingPoint: '村委会门口',
        startsAt: new Date(inHour).toISOString(),
        endsAt: new Date(inHour + 3 * 3_600_000).toISOString(),
        capacity: 3,
      });
      const request = await post<{ id: number }>(page, '/api/service-requests', {
        personId: resident.id,
        kind: 'shopping',
        details: '代购一周的米面油',
      });
      return [
        { path: '/services', ready: (p) => p.getByTestId('callouts'), open: 'callout-new' },
        { path: `/callouts/${callout.id}`, ready: (p) => p.getByTestId('callout-signups') },
        { path: `/service-requests/${request.id}`, ready: (p) => p.getByTestId('request-head') },
      ];
    });
    // The demo volunteer's own page with its cards: their record, the call-outs near them to sign up for.
    await visit('volunteer', '/volunteer', () => [
      { path: '/volunteer', ready: (p) => p.getByTestId('callouts-near').locator('li') },
    ]);
    await visit(null, null, () => [
      { path: `/join/${token}`, ready: (p) => p.getByTestId('join-form') },
      { path: '/help', ready: (p) => p.getByTestId('help-form') },
    ]);
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it("styles the first page from antd's prebuilt sheet, themed, and fetches the menus at the first press (ADR 0018)", async () => {
    const { page, context } = await j.newPage(PHONE);
    try {
      await j.login(page, 'gridworker');
      await page.waitForURL('**/tasks');
      // A fresh document, as a phone opening the app.
      await page.reload();
      await settled(page);
      const rules = await page.evaluate(() => {
        const linked: string[] = [];
        const injected: string[] = [];
        const walk = (list: CSSRuleList, into: string[]) => {
          for (const r of Array.from(list)) {
            if (r instanceof CSSGroupingRule) walk(r.cssRules, into);
            else if (r instanceof CSSStyleRule) into.push(r.selectorText);
          }
        };
        for (const sheet of Array.from(document.styleSheets))
          walk(sheet.cssRules, sheet.ownerNode?.nodeName === 'STYLE' ? injected : linked);
        return { linked, injected };
      });
      // antd's component styles come with the app's stylesheet, before the app's own rules, which
      // therefore win at equal specificity.
      const first = (re: RegExp) => rules.linked.findIndex((s) => re.test(s));
      for (const cls of ['ant-btn', 'ant-tag', 'ant-layout-header', 'ant-badge'])
        expect(first(new RegExp(`^\\.${cls}(?![\\w-])`)), cls).toBeGreaterThanOrEqual(0);
      expect(first(/^\.ant-/)).toBeLessThan(first(/^\.linli-/));
      // What antd writes at run time is the theme's variables and its icons' few rules, no component CSS.
      expect(rules.injected.filter((s) => !/css-var|^\.anticon/.test(s))).toEqual([]);
      expect(rules.injected.length).toBeGreaterThan(0);
      // The theme reaches the prebuilt CSS: its primary colour, and the header's own token (white, not
      // antd's dark default).
      const themed = await page.evaluate(() => ({
        primary: getComputedStyle(document.querySelector('.ant-btn')!).getPropertyValue(
          '--ant-color-primary',
        ),
        header: getComputedStyle(document.querySelector('.linli-header')!).backgroundColor,
      }));
      expect(themed.primary.trim().toLowerCase()).toBe('#1f5fbf');
      expect(themed.header).toBe('rgb(255, 255, 255)');

      // The menus' code is not part of the first load; the first press fetches it and opens the drawer.
      const menuChunks = () =>
        page.evaluate(
          () =>
            performance
              .getEntriesByType('resource')
              .filter((e) => /\/ShellMenus-[\w-]+\.js$/.test(new URL(e.name).pathname)).length,
        );
      await page.waitForTimeout(1000);
      expect(await menuChunks()).toBe(0);
      await page.getByRole('button', { name: '打开菜单' }).click();
      await page.locator('.linli-drawer').getByRole('menuitem', { name: '我的待办' }).waitFor();
      expect(await menuChunks()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('lands the commander on the cockpit, the administrator on users, checkpoint staff on their shift', async () => {
    for (const [user, home] of [
      ['commander', '/cockpit'],
      ['admin', '/users'],
      ['checkpoint', '/shift'],
      ['volunteer', '/volunteer'],
      ['volcoord', '/services'],
      ['counsellor', '/care'],
    ] as const) {
      const { page, context } = await j.newPage(PHONE);
      try {
        await j.login(page, user);
        await page.waitForURL(`**${home}`);
        if (home === '/care') {
          // The counsellor's work: the demo's urgent alert waiting, the contacts due today; it fits and is tappable.
          await page.getByTestId('care-alerts').locator('li').first().waitFor();
          await page.getByTestId('care-due').locator('li').first().waitFor();
          await settled(page);
          const w = await sideways(page);
          expect(w.scrollWidth).toBeLessThanOrEqual(w.innerWidth);
          expect(w.inner).toEqual([]);
          expect(await smallTargets(page)).toEqual([]);
        }
        if (home === '/volunteer' || home === '/services') {
          // Joint services: the volunteer's own page, the coordinator's; each fits and is tappable.
          await (
            home === '/volunteer'
              ? page.getByTestId('callouts-near').locator('li')
              : page.getByTestId('volunteers')
          )
            .first()
            .waitFor();
          await settled(page);
          const w = await sideways(page);
          expect(w.scrollWidth).toBeLessThanOrEqual(w.innerWidth);
          expect(w.inner).toEqual([]);
          expect(await smallTargets(page)).toEqual([]);
        }
        if (home === '/shift') {
          // The shift now, with its check-in button, fits the phone and every target is tappable.
          await page.getByTestId('shift-current').waitFor();
          await settled(page);
          const w = await sideways(page);
          expect(w.scrollWidth).toBeLessThanOrEqual(w.innerWidth);
          expect(w.inner).toEqual([]);
          expect(await smallTargets(page)).toEqual([]);
        }
      } finally {
        await context.close();
      }
    }
  });

  it('keeps the desktop layout: a side menu grouped by linkage, one header line', async () => {
    const { page, context } = await j.newPage({ width: 1280, height: 800 });
    try {
      await j.login(page, 'cadre');
      await page.waitForURL('**/tasks');
      const sider = page.locator('.linli-sider');
      for (const group of ['问题联治', '指挥', '基础数据'])
        await sider.locator('.ant-menu-item-group-title', { hasText: group }).waitFor();
      expect(await sider.getByRole('menuitem', { name: '事件' }).count()).toBe(1);
      expect((await page.locator('.linli-header').boundingBox())!.height).toBeLessThanOrEqual(64);
      await page.goto('/events');
      await settled(page);
      // Labelled filters in one row, no drawer.
      await page.getByLabel('状态', { exact: true }).waitFor();
      expect(await page.getByTestId('filters-open').count()).toBe(0);
      const w = await sideways(page);
      expect(w.scrollWidth).toBeLessThanOrEqual(w.innerWidth);
      await snap(page, 'desktop-cadre-events');
    } finally {
      await context.close();
    }
  });
});
