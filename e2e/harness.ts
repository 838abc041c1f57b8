// Browser journeys: the real server on a fresh SQLite data directory with the small demo district,
// driven through Debian's Chromium by playwright-core. Never a downloaded browser.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { bootDatabase, type Booted } from '../server/boot.js';
import { loadConfig } from '../server/config.js';

export const DEMO_PASSWORD = 'Demo-Password-2026';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Journey {
  baseUrl: string;
  browser: Browser;
  app: FastifyInstance;
  boot: Booted;
  newPage(opts?: { width?: number; height?: number }): Promise<{ page: Page; context: BrowserContext }>;
  login(page: Page, username: string, password?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boots the server and the browser. `clock` is the server's clock (deadlines, check-in windows, the
 * hours credited): a journey that must be somewhere later in the day moves it; the browser's own clock
 * and the sessions keep real time.
 */
export async function startJourney(opts: { clock?: () => string } = {}): Promise<Journey> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  const webDir = path.resolve('dist/web');
  if (!fs.existsSync(path.join(webDir, 'index.html')))
    throw new Error('dist/web is missing: run `npx vite build` first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-e2e-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DEMO_PASSWORD,
    LOG_LEVEL: 'warn',
    WEB_DIR: webDir,
    PORT: '0',
  });
  const boot = await bootDatabase(config, { seedDemoWhenEmpty: true, scale: 'small' });
  const app = await buildApp(config, {
    database: boot.database,
    pii: boot.pii,
    loginRateLimit: 10_000,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    browser,
    app,
    boot,
    async newPage(opts = {}) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      const page = await context.newPage();
      return { page, context };
    },
    async login(page, username, password = DEMO_PASSWORD) {
      await page.goto('/');
      // The sign-in form in either language: the fields by their labels, the button by its name.
      await page.getByLabel(/^(用户名|Username)$/).fill(username);
      await page.getByLabel(/^(密码|Password)$/).fill(password);
      await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
      await page.getByTestId('current-user').waitFor();
    },
    async close() {
      await browser.close();
      await app.close();
      await boot.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot under test-results/ for a person to look at when a journey fails. */
export async function snap(page: Page, name: string) {
  fs.mkdirSync('test-results/screens', { recursive: true });
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: false });
}

/**
 * Waits until the page has stopped moving: no spinner showing and no finite animation or transition
 * still running (antd's dropdowns, dialogs and drawers open and close with one). A click or a look at
 * the page right after an animation starts could land on, or measure, an element still on its way.
 */
export async function settled(page: Page) {
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'hidden' });
  // Asked from here (the page's policy allows no eval, which waitForFunction with a string needs);
  // a string, so that this file needs no DOM types.
  const still = `document.getAnimations().some((a) => {
    const timing = a.effect && a.effect.getComputedTiming();
    return a.playState === 'running' && timing && timing.iterations !== Infinity;
  })`;
  for (let i = 0; (await page.evaluate<boolean>(still)) && i < 100; i++) await page.waitForTimeout(50);
}

/** The select's option the keyboard is on (what Enter would choose), by its name. */
async function activeOption(field: Locator): Promise<string | null> {
  const id = await field.getAttribute('aria-activedescendant');
  if (!id) return null;
  // A virtual list names its active option for screen readers in a hidden copy (aria-label); a plain
  // list marks the visible option itself, named by its text.
  const active = field.page().locator(`[id="${id}"]`);
  return (await active.getAttribute('aria-label')) ?? (await active.textContent());
}

/**
 * Chooses an option of a select (antd Select, its combobox found by label or role) as a keyboard
 * user does: opens it, types to narrow it when `type` is given (a select with search), moves down to
 * the option and presses Enter. Then waits until its list is gone, after its closing animation: the
 * next click must not land on a list still on its way out (it covered the field below it once). With
 * `keepOpen` (a select of several), the list stays open for the next choice.
 */
export async function choose(
  field: Locator,
  option: string | RegExp,
  opts: { type?: string; keepOpen?: boolean } = {},
) {
  const page = field.page();
  const wanted = (name: string | null) =>
    name !== null && (typeof option === 'string' ? name === option : option.test(name));
  if ((await field.getAttribute('aria-expanded')) !== 'true') await field.click();
  await waitUntil(async () => (await field.getAttribute('aria-expanded')) === 'true', 'the list opens');
  const listId = `${await field.getAttribute('id')}_list`;
  const popup = await page
    .locator('.ant-select-dropdown', { has: page.locator(`[id="${listId}"]`) })
    .elementHandle();
  if (opts.type) await field.pressSequentially(opts.type);
  // Options may still be loading, or narrowing as typed: look before each step down, and step only
  // once the list has moved from where the last step was taken.
  let steppedFrom: string | null = null;
  await waitUntil(
    async () => {
      const name = await activeOption(field);
      if (wanted(name)) return true;
      if (name !== null && name !== steppedFrom) {
        steppedFrom = name;
        await field.press('ArrowDown');
      }
      return false;
    },
    `the option ${String(option)}`,
  );
  await field.press('Enter');
  if (opts.keepOpen) return;
  await waitUntil(async () => (await field.getAttribute('aria-expanded')) !== 'true', 'the list closes');
  await popup?.waitForElementState('hidden');
}

/** Closes a select's list left open by `choose(…, { keepOpen: true })` and waits until it is gone. */
export async function closeList(field: Locator) {
  const page = field.page();
  const listId = `${await field.getAttribute('id')}_list`;
  const popup = await page
    .locator('.ant-select-dropdown', { has: page.locator(`[id="${listId}"]`) })
    .elementHandle();
  await field.press('Escape');
  await waitUntil(async () => (await field.getAttribute('aria-expanded')) !== 'true', 'the list closes');
  await popup?.waitForElementState('hidden');
}

/** Polls `done` every 50 ms for up to `ms`, then fails saying what it waited for. */
export async function waitUntil(done: () => Promise<boolean>, what: string, ms = 15_000) {
  const until = Date.now() + ms;
  for (;;) {
    if (await done()) return;
    if (Date.now() > until) throw new Error(`Waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The place a demo account's role is assigned at: its id, name and path. */
export function placeOf(j: Journey, username: string) {
  return j.boot.database.db
    .selectFrom('role_assignments as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .select(['n.id', 'n.name', 'n.path'])
    .where('u.username', '=', username)
    .executeTakeFirstOrThrow();
}

/**
 * Calls the API from a signed-in page as its own scripts would (the session's cookie and CSRF
 * token), for a journey's setup: the answer's status and JSON body; a 4xx or 5xx throws, naming it.
 */
export async function apiFromPage<T>(
  page: Page,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'csrf')?.value ?? '';
  return page.evaluate(
    async (a) => {
      const r = await fetch(a.url, {
        method: a.method,
        headers: {
          'x-csrf-token': a.csrf,
          ...(a.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: a.body === undefined ? undefined : JSON.stringify(a.body),
      });
      if (!r.ok) throw new Error(`${a.method} ${a.url}: ${r.status} ${await r.text()}`);
      return { status: r.status, body: (await r.json()) as T };
    },
    { method, url, body, csrf },
  );
}
