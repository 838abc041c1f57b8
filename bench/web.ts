// The web workload: the first load of the web app on a mid-range phone. The real server (`tsx
// server/main.ts`, as `npm start` runs it) on a fresh data directory with the small demo, driven by
// Debian's Chromium through playwright-core with a phone's viewport, an empty cache and the CPU
// slowed down four times (CDP Emulation.setCPUThrottlingRate). For each page: the JavaScript bytes
// that went over the wire (as served: gzip or brotli when the server sends it so) and the time from
// the start of the navigation to the page's main content on screen.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { cell, summarize, UsageError, type Summary, type Workload } from './lib.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const WEB_DIR = path.join(ROOT, 'dist/web');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'Bench-Password-2026';
/** A mid-range phone: the CPU four times slower than this machine's, a 390 × 844 screen. */
const CPU_SLOWDOWN = 4;
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
} as const;
/** The goals, for the grid worker's tasks page: JavaScript over the wire and time to its content (median). */
const GOAL = { jsKb: 300, contentMs: 2000 };
/** After the content shows, how long to go on counting scripts that arrive late. */
const SETTLE_MS = 1000;

/**
 * The pages measured. `content` is the page's main content: a CSS selector that must be on the page at
 * `path`, with no spinner left anywhere (data loaded, lazy chunks in).
 */
interface PageCase {
  key: string;
  label: string;
  path: string;
  user?: 'gridworker' | 'commander';
  content: string;
}
const LOGIN_CONTENT = 'input[type="password"]';
const TASKS: PageCase = {
  key: 'tasks',
  label: "grid worker's tasks",
  path: '/tasks',
  user: 'gridworker',
  content: 'main h1',
};
const PAGES: PageCase[] = [
  { key: 'login', label: 'login page', path: '/login', content: LOGIN_CONTENT },
  TASKS,
  {
    key: 'events',
    label: 'events list (grid worker)',
    path: '/events',
    user: 'gridworker',
    content: 'main h1',
  },
  { key: 'cockpit', label: 'cockpit (commander)', path: '/cockpit', user: 'commander', content: 'main h1' },
];

interface Sample {
  jsBytes: number;
  jsBrotli: number;
  jsDecoded: number;
  jsFiles: number;
  encodings: string[];
  fcpMs: number | null;
  contentMs: number;
}
interface PageResult {
  key: string;
  label: string;
  path: string;
  runs: number;
  /** JavaScript as it came over the wire (the bodies, gzip), from the last run. */
  jsKb: number;
  /** The same scripts as the build's brotli copies (what Chromium would have taken). */
  jsBrotliKb: number;
  /** The same scripts decoded (what the browser parses). */
  jsDecodedKb: number;
  jsFiles: number;
  /** The content-encodings the scripts came with. */
  encodings: string[];
  fcpMs: Summary | null;
  contentMs: Summary;
}

const kb = (bytes: number) => Math.round(bytes / 100) / 10;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** `npm start`'s server on a fresh data directory (the small demo is seeded on the first start). */
async function startServer(
  log: (line: string) => void,
): Promise<{ base: string; stop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-web-'));
  const port = await freePort();
  const child: ChildProcess = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DEMO_PASSWORD: PASSWORD,
      WEB_DIR: WEB_DIR,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  log(`starting the server on ${base} (data in ${dataDir}, seeding the small demo)…`);
  const until = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the server stopped (${child.exitCode}):\n${stderr}`);
    }
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { base, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`the server did not answer within 3 minutes:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Watches the document for the content: `__linliWatch(selector, path)` starts a watch, and
 * `__linliShown` becomes the time (performance.now(), from the navigation's start) of the first frame
 * in which the selector is on the page at that path with no spinner left. A string, so that this file
 * needs no DOM types.
 */
const WATCHER = `(() => {
  let want = null;
  let pending = false;
  const ready = () =>
    want && location.pathname === want.path && document.querySelector(want.sel) &&
    !document.querySelector('.ant-spin-spinning');
  const check = () => {
    if (pending || window.__linliShown !== undefined || !ready()) return;
    pending = true;
    requestAnimationFrame((t) => {
      pending = false;
      if (ready() && window.__linliShown === undefined) window.__linliShown = t;
    });
  };
  window.__linliWatch = (sel, path) => {
    want = { sel, path };
    window.__linliShown = undefined;
    check();
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['class'],
  });
})()`;
const watch = (sel: string, p: string) => `window.__linliWatch(${JSON.stringify(sel)}, ${JSON.stringify(p)})`;

/**
 * Counts the scripts the page fetches from now on: their bodies as they came over the wire (without
 * the headers), decoded, and what the same files weigh as the build's brotli copies.
 */
function countScripts(cdp: CDPSession) {
  const scripts = new Map<
    string,
    { url: string; encoding: string; headers: number; bytes: number; decoded: number }
  >();
  cdp.on('Network.responseReceived', (e) => {
    if (e.type !== 'Script') return;
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    scripts.set(e.requestId, {
      url: e.response.url,
      encoding: String(h['content-encoding'] ?? 'identity'),
      headers: e.response.encodedDataLength,
      bytes: 0,
      decoded: 0,
    });
  });
  cdp.on('Network.dataReceived', (e) => {
    const s = scripts.get(e.requestId);
    if (s) s.decoded += e.dataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const s = scripts.get(e.requestId);
    if (s) s.bytes = e.encodedDataLength - s.headers;
  });
  const brotli = (url: string) => {
    const file = path.join(WEB_DIR, new URL(url).pathname);
    return fs.existsSync(`${file}.br`) ? fs.statSync(`${file}.br`).size : fs.statSync(file).size;
  };
  return {
    reset: () => scripts.clear(),
    totals: () => {
      const all = [...scripts.values()];
      return {
        jsBytes: all.reduce((a, s) => a + s.bytes, 0),
        jsBrotli: all.reduce((a, s) => a + brotli(s.url), 0),
        jsDecoded: all.reduce((a, s) => a + s.decoded, 0),
        jsFiles: all.length,
        encodings: [...new Set(all.map((s) => s.encoding))].sort(),
      };
    },
  };
}

async function phone(browser: Browser, base: string, storageState?: string) {
  const context = await browser.newContext({ ...PHONE, baseURL: base, storageState });
  await context.addInitScript({ content: WATCHER });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // The goal is counted in gzip: Chromium would take brotli, which the table shows beside it.
  await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'gzip, deflate' } });
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return { context, page, cdp, scripts: countScripts(cdp) };
}

async function shownAt(page: Page, timeoutMs = 60_000): Promise<number> {
  // A function, not a string: the page's CSP forbids eval.
  const shown = () => (globalThis as { __linliShown?: number }).__linliShown;
  const handle = await page.waitForFunction(shown, undefined, {
    timeout: timeoutMs,
    polling: 50,
  });
  return (await handle.jsonValue()) as number;
}

async function fcp(page: Page): Promise<number | null> {
  return page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
}

/** One cold load of a page: a new context (empty cache), throttled, then the navigation. */
async function coldLoad(browser: Browser, base: string, c: PageCase, state?: string): Promise<Sample> {
  const { context, page, scripts } = await phone(browser, base, state);
  try {
    await page.addInitScript({ content: watch(c.content, c.path) });
    await page.goto(c.path, { waitUntil: 'commit' });
    const contentMs = await shownAt(page);
    await page.waitForTimeout(SETTLE_MS);
    return { ...scripts.totals(), fcpMs: await fcp(page), contentMs };
  } finally {
    await context.close();
  }
}

/**
 * Signing in on the phone: the tasks page asked without a session shows the login page (cold, not
 * counted); from pressing the button to the tasks on screen, and the scripts fetched in between.
 */
async function loginToTasks(browser: Browser, base: string): Promise<Sample> {
  const { context, page, scripts } = await phone(browser, base);
  try {
    await page.addInitScript({ content: watch(LOGIN_CONTENT, '/login') });
    await page.goto('/tasks', { waitUntil: 'commit' });
    await shownAt(page);
    await page.locator('form input:not([type="password"])').first().fill('gridworker');
    await page.locator('input[type="password"]').fill(PASSWORD);
    await page.waitForTimeout(SETTLE_MS);
    scripts.reset();
    const t0 = await page.evaluate<number>(`(() => {
      ${watch(TASKS.content, TASKS.path)};
      const t = performance.now();
      document.querySelector('form button[type="submit"]').click();
      return t;
    })()`);
    const contentMs = (await shownAt(page)) - t0;
    await page.waitForTimeout(SETTLE_MS);
    return { ...scripts.totals(), fcpMs: null, contentMs };
  } finally {
    await context.close();
  }
}

async function signedIn(browser: Browser, base: string, username: string): Promise<string> {
  const context = await browser.newContext({ baseURL: base });
  try {
    const res = await context.request.post('/api/auth/login', { data: { username, password: PASSWORD } });
    if (!res.ok()) throw new Error(`signing in as ${username}: ${res.status()} ${await res.text()}`);
    const file = path.join(os.tmpdir(), `linli-bench-web-${process.pid}-${username}.json`);
    await context.storageState({ path: file });
    return file;
  } finally {
    await context.close();
  }
}

function buildIfMissing(rebuild: boolean, log: (line: string) => void) {
  if (!rebuild && fs.existsSync(path.join(WEB_DIR, 'index.html'))) return;
  log('building the web app (vite build)…');
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error('vite build failed');
}

function result(c: { key: string; label: string; path: string }, samples: Sample[]): PageResult {
  const last = samples.at(-1)!;
  const fcps = samples.map((s) => s.fcpMs).filter((x): x is number => x !== null);
  return {
    key: c.key,
    label: c.label,
    path: c.path,
    runs: samples.length,
    jsKb: kb(last.jsBytes),
    jsBrotliKb: kb(last.jsBrotli),
    jsDecodedKb: kb(last.jsDecoded),
    jsFiles: last.jsFiles,
    encodings: last.encodings,
    fcpMs: fcps.length > 0 ? summarize(fcps) : null,
    contentMs: summarize(samples.map((s) => s.contentMs)),
  };
}

export const web: Workload = {
  summary:
    'first load on a throttled phone (Chromium): JavaScript over the wire and time to the main content',
  usage: '[--runs N (default 5)] [--rebuild]   (builds dist/web when it is missing)',
  async run(args, log) {
    let runs = 5;
    let rebuild = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--runs') {
        runs = Number(args[++i]);
        if (!Number.isInteger(runs) || runs < 1) throw new UsageError('--runs needs a whole number ≥ 1');
      } else if (a === '--rebuild') rebuild = true;
      else throw new UsageError(`unknown option: ${a}`);
    }
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (CHROMIUM_PATH)`);
    buildIfMissing(rebuild, log);

    const server = await startServer(log);
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
    const states: string[] = [];
    try {
      const state: Record<string, string> = {};
      for (const u of ['gridworker', 'commander'] as const) {
        state[u] = await signedIn(browser, server.base, u);
        states.push(state[u]);
      }
      const results: PageResult[] = [];
      for (const c of PAGES) {
        const st = c.user ? state[c.user] : undefined;
        log(`${c.label} (${c.path}): one untimed load, then ${runs}…`);
        await coldLoad(browser, server.base, c, st);
        const samples: Sample[] = [];
        for (let i = 0; i < runs; i++) samples.push(await coldLoad(browser, server.base, c, st));
        results.push(result(c, samples));
      }
      log(`signing in as the grid worker, landing on the tasks: ${runs} times…`);
      const flow: Sample[] = [];
      for (let i = 0; i < runs; i++) flow.push(await loginToTasks(browser, server.base));
      const signIn = result({ key: 'loginToTasks', label: 'sign in → tasks', path: '/tasks' }, flow);

      const tasks = results.find((r) => r.key === 'tasks')!;
      const goals = {
        tasksJsKb: { goal: GOAL.jsKb, value: tasks.jsKb, met: tasks.jsKb <= GOAL.jsKb },
        tasksContentMs: {
          goal: GOAL.contentMs,
          value: tasks.contentMs.p50,
          met: tasks.contentMs.p50 <= GOAL.contentMs,
        },
      };
      const row = (r: PageResult, goal?: string): string[] => [
        `${r.label} ${r.path}`,
        `${r.jsFiles}`,
        `${r.jsKb.toFixed(1)} (${r.encodings.join('+')})`,
        r.jsBrotliKb.toFixed(1),
        r.jsDecodedKb.toFixed(1),
        r.fcpMs ? cell.p50p95(r.fcpMs) : '—',
        cell.p50p95(r.contentMs),
        goal ?? '',
      ];
      log(
        `load average at the end: ${os
          .loadavg()
          .map((x) => x.toFixed(2))
          .join(', ')}`,
      );
      const table: string[][] = [
        [
          'page',
          'scripts',
          'JS over the wire kB',
          'as brotli kB',
          'JS decoded kB',
          'first paint p50 / p95 ms',
          'main content p50 / p95 ms',
          'goal',
        ],
        ...results.map((r) =>
          row(
            r,
            r.key === 'tasks'
              ? `JS ≤ ${GOAL.jsKb} kB: ${cell.goal(goals.tasksJsKb.met, `${(tasks.jsKb - GOAL.jsKb).toFixed(1)} kB`)}; ` +
                  `content ≤ ${GOAL.contentMs} ms: ${cell.goal(goals.tasksContentMs.met, `${(tasks.contentMs.p50 - GOAL.contentMs).toFixed(0)} ms`)}`
              : undefined,
          ),
        ),
        row(signIn, 'from pressing the button; scripts fetched after it'),
      ];
      return {
        json: {
          workload: 'web',
          cpuSlowdown: CPU_SLOWDOWN,
          viewport: PHONE.viewport,
          runs,
          // Timings depend on what else the machine runs: its load average (1, 5, 15 min) at the end.
          loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
          pages: [...results, signIn],
          goals,
        },
        table,
      };
    } finally {
      await browser.close();
      await server.stop();
      for (const f of states) fs.rmSync(f, { force: true });
    }
  },
};
