// The wall screen (/screen) on a 1080p and a 4K wall: one screen with no page scroll either way
// (the document's height measured against the window's), the escalations scrolling inside their
// panel, the map and the chart dark (their drawn colours measured), and the grids named once zoomed
// in far enough for a name to fit inside its grid.
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { settled, snap, startJourney, waitUntil, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

const WALLS = [
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
];

/** A computed CSS colour's channels (0–255) and alpha. */
function channels(css: string): { rgb: [number, number, number]; alpha: number } {
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(css);
  if (!m) throw new Error(`not a computed colour: ${css}`);
  return { rgb: [Number(m[1]), Number(m[2]), Number(m[3])], alpha: m[4] === undefined ? 1 : Number(m[4]) };
}
/**
 * WCAG's relative luminance of a colour as the browser computes it; a see-through one (antd's text
 * is white at 85 %) is taken as seen over `over`, and without `over` it is an error: a transparent
 * background says nothing about what is drawn.
 */
function luminance(css: string, over?: string): number {
  const { rgb, alpha } = channels(css);
  if (alpha < 1 && !over) throw new Error(`a see-through colour says nothing: ${css}`);
  const under = over ? channels(over).rgb : rgb;
  const [r, g, b] = rgb.map((c, i) => {
    const s = (alpha * c + (1 - alpha) * under[i]!) / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
/** Dark: no lighter than #333 (white is 1, antd's light page grey #f5f6f8 is 0.92). */
const DARK = luminance('rgb(51, 51, 51)');

async function openScreen(size: { width: number; height: number }) {
  const { page, context } = await j.newPage(size);
  await j.login(page, 'commander');
  await page.goto('/screen');
  await page.getByTestId('fig-events-open').waitFor();
  await page.locator('.linli-screen-echart canvas').first().waitFor();
  await page.locator('.linli-map path.leaflet-interactive').first().waitFor();
  await settled(page);
  return { page, context };
}

/**
 * The names the map shows, once they stop changing: a name taken off fades out for 200 ms before
 * it leaves the page (Leaflet's fade), so a faded one is not shown and the list is read until steady.
 */
async function shownNames(page: Page) {
  const read = () =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.linli-map .linli-grid-name'))
        .filter((el) => getComputedStyle(el).opacity !== '0')
        .map((el) => ({ text: el.textContent ?? '', box: el.getBoundingClientRect().toJSON() as DOMRect }))
        .filter((n) => n.box.width > 0),
    );
  let last = JSON.stringify(await read());
  await waitUntil(async () => {
    await page.waitForTimeout(300);
    const now = JSON.stringify(await read());
    const steady = now === last;
    last = now;
    return steady;
  }, 'the names to settle');
  return JSON.parse(last) as { text: string; box: DOMRect }[];
}

describe('the wall screen', () => {
  for (const wall of WALLS) {
    it(
      `fits a ${wall.width} × ${wall.height} wall: no page scroll, the escalations scroll in their panel, map and chart dark`,
      { timeout: 120_000 },
      async () => {
        const { page, context } = await openScreen(wall);
        try {
          await snap(page, `screen-${wall.width}`);
          const doc = await page.evaluate(() => {
            const s = document.scrollingElement!;
            return {
              scrollHeight: s.scrollHeight,
              scrollWidth: s.scrollWidth,
              innerHeight: window.innerHeight,
              innerWidth: window.innerWidth,
            };
          });
          expect(doc.innerHeight).toBe(wall.height);
          expect(doc.scrollHeight).toBeLessThanOrEqual(doc.innerHeight);
          expect(doc.scrollWidth).toBeLessThanOrEqual(doc.innerWidth);
          // The panels are all on the screen, none cut off at its bottom or right edge.
          const panels = await page.evaluate(() =>
            Array.from(document.querySelectorAll('.linli-screen .ant-card')).map((c) => {
              const r = c.getBoundingClientRect();
              return { bottom: r.bottom, right: r.right, height: r.height };
            }),
          );
          expect(panels.length).toBeGreaterThanOrEqual(9); // six figures, the map, the chart, the escalations
          for (const p of panels) {
            expect(p.bottom).toBeLessThanOrEqual(wall.height);
            expect(p.right).toBeLessThanOrEqual(wall.width);
            expect(p.height).toBeGreaterThan(0);
          }

          // The escalations: their own scrolling region, whose end is reached without the page moving.
          const region = page.getByRole('region', { name: '最新升级' });
          const list = await region.evaluate((el) => ({
            overflowY: getComputedStyle(el).overflowY,
            scrollHeight: el.scrollHeight,
            clientHeight: el.clientHeight,
            items: el.querySelectorAll('.ant-list-item').length,
          }));
          expect(['auto', 'scroll']).toContain(list.overflowY);
          expect(list.clientHeight).toBeGreaterThan(0);
          // The demo's feed (twenty escalations) is longer than the panel on a 1080p wall: there the
          // scrolling is really tried; on a 4K wall it is tried if the list overflows too.
          if (wall.height === 1080) expect(list.scrollHeight).toBeGreaterThan(list.clientHeight);
          if (list.scrollHeight > list.clientHeight) {
            await region.hover();
            await page.mouse.wheel(0, list.scrollHeight);
            await waitUntil(
              async () =>
                (await region.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1)) ===
                true,
              'the escalations to scroll to their end',
            );
            const after = await region.evaluate((el) => {
              const items = el.querySelectorAll('.ant-list-item');
              return {
                lastBottom: items[items.length - 1]!.getBoundingClientRect().bottom,
                regionBottom: el.getBoundingClientRect().bottom,
                page: document.scrollingElement!.scrollTop,
              };
            });
            // The last escalation is in view inside the panel, and the page has not moved.
            expect(after.lastBottom).toBeLessThanOrEqual(after.regionBottom + 1);
            expect(after.page).toBe(0);
          }

          // Dark: the page, the panels, the map's ground and the chart's drawn pixels.
          const colours = await page.evaluate(() => {
            const bg = (sel: string) => getComputedStyle(document.querySelector(sel)!).backgroundColor;
            const canvas = document.querySelector<HTMLCanvasElement>('.linli-screen-echart canvas')!;
            const px = canvas.getContext('2d')!.getImageData(2, 2, 1, 1).data;
            return {
              page: bg('.linli-screen-page'),
              panel: bg('.linli-screen-panel'),
              map: bg('.linli-map.leaflet-container'),
              chart: `rgba(${px[0]}, ${px[1]}, ${px[2]}, ${px[3]! / 255})`,
            };
          });
          for (const [what, css] of Object.entries(colours))
            expect(luminance(css), `${what} is ${css}`).toBeLessThanOrEqual(DARK);
          // The figures read light on it.
          const figure = await page
            .getByTestId('fig-events-open')
            .evaluate((el) => getComputedStyle(el.closest('.ant-statistic-content')!).color);
          expect(luminance(figure, colours.panel)).toBeGreaterThan(0.5);
        } finally {
          await context.close();
        }
      },
    );
  }

  it(
    'reads for everyone in the dark: axe finds no serious or critical violation',
    { timeout: 60_000 },
    async () => {
      const { page, context } = await openScreen(WALLS[0]!);
      try {
        const result = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
          .analyze();
        const found = result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) at ${n.target.join(' ')} — ${v.help}`));
        expect(found, found.join('\n')).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  it(
    'leaves the cockpit inside the app light: the dark theme belongs to the wall screen',
    { timeout: 60_000 },
    async () => {
      const { page, context } = await j.newPage(WALLS[0]);
      try {
        await j.login(page, 'commander');
        await page.goto('/cockpit');
        await page.getByTestId('fig-events-open').waitFor();
        await page.locator('.linli-map path.leaflet-interactive').first().waitFor();
        const colours = await page.evaluate(() => ({
          panel: getComputedStyle(document.querySelector('[data-testid=cockpit] .ant-card')!).backgroundColor,
          map: getComputedStyle(document.querySelector('.linli-map.leaflet-container')!).backgroundColor,
        }));
        for (const [what, css] of Object.entries(colours))
          expect(luminance(css), `${what} is ${css}`).toBeGreaterThan(0.8);
        expect(await page.locator('.linli-grid-name').count()).toBe(0);
      } finally {
        await context.close();
      }
    },
  );

  it(
    'names the grids once they are drawn large enough to hold their names',
    { timeout: 120_000 },
    async () => {
      const grids = new Set(
        (
          await j.boot.database.db.selectFrom('nodes').select('name').where('level', '=', 'grid').execute()
        ).map((g) => g.name),
      );
      const { page, context } = await openScreen(WALLS[0]!);
      try {
        const map = page.locator('.linli-map');
        const box = (await map.boundingBox())!;
        const polygons = await page.locator('.linli-map path.leaflet-interactive').count();
        const before = await shownNames(page);
        // At the district's view the grids are small: most go unnamed.
        expect(before.length).toBeLessThan(polygons);
        const namedBefore = new Set(before.map((n) => n.text));

        // Zoom in (a double click, as a person would) on the smallest grid in view until a grid unnamed
        // before has its name.
        let shown = before;
        for (let i = 0; i < 6 && shown.every((n) => namedBefore.has(n.text)); i++) {
          const target = await page.evaluate(({ x: left, y: top, width, height }) => {
            const inView = Array.from(document.querySelectorAll('.linli-map path.leaflet-interactive'))
              .map((p) => p.getBoundingClientRect())
              .filter(
                (r) =>
                  r.width > 4 &&
                  r.height > 4 &&
                  r.left >= left &&
                  r.top >= top + 60 && // below the zoom buttons
                  r.right <= left + width &&
                  r.bottom <= top + height,
              )
              .sort((a, b) => a.width * a.height - b.width * b.height);
            const r = inView[0];
            return r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
          }, box);
          expect(target, 'a grid in view').not.toBeNull();
          await page.mouse.dblclick(target!.x, target!.y);
          await settled(page);
          shown = await shownNames(page);
        }
        await snap(page, 'screen-grid-names');
        expect(shown.some((n) => !namedBefore.has(n.text))).toBe(true);
        // Each name is a grid's, and sits inside a grid's outline as drawn: never a name bigger than its grid.
        const outlines = await page.evaluate(() =>
          Array.from(document.querySelectorAll('.linli-map path.leaflet-interactive')).map(
            (p) => p.getBoundingClientRect().toJSON() as DOMRect,
          ),
        );
        for (const n of shown) {
          expect(grids.has(n.text), n.text).toBe(true);
          const holder = outlines.some(
            (o) =>
              n.box.left >= o.left - 1 &&
              n.box.right <= o.right + 1 &&
              n.box.top >= o.top - 1 &&
              n.box.bottom <= o.bottom + 1,
          );
          expect(holder, `${n.text} inside its grid`).toBe(true);
        }
      } finally {
        await context.close();
      }
    },
  );
});
