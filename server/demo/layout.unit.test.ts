import { describe, expect, it } from 'vitest';
import {
  apportion,
  DISTRICT_BBOX,
  planDistrict,
  rectArea,
  SEAT,
  walk,
  type PlannedNode,
  type Rect,
} from './layout.js';

const inside = (inner: Rect, outer: Rect) =>
  inner.w >= outer.w && inner.e <= outer.e && inner.s >= outer.s && inner.n <= outer.n;
const overlaps = (a: Rect, b: Rect) => a.w < b.e && b.w < a.e && a.s < b.n && b.s < a.n;

describe('demo district plan', () => {
  it('apportions exactly, with the minimum', () => {
    expect(apportion(10, [1, 1, 1], 2)).toEqual([4, 3, 3]);
    expect(apportion(972, [3, 1, 1, 5], 1).reduce((a, b) => a + b, 0)).toBe(972);
    expect(() => apportion(3, [1, 1], 2)).toThrow();
  });

  it.each(['small', 'district'] as const)(
    '%s: children tile their parent exactly, with no overlap',
    (scale) => {
      const plan = planDistrict(scale);
      for (const n of walk(plan)) {
        if (n.children.length === 0) continue;
        const sum = n.children.reduce((s, c) => s + rectArea(c.rect), 0);
        expect(Math.abs(sum - rectArea(n.rect)) / rectArea(n.rect)).toBeLessThan(1e-9);
        for (const c of n.children) {
          expect(inside(c.rect, n.rect)).toBe(true);
          expect(c.rect.e).toBeGreaterThan(c.rect.w);
          expect(c.rect.n).toBeGreaterThan(c.rect.s);
        }
        // Pairwise disjoint interiors + areas summing to the parent's area = an exact tiling.
        for (let i = 0; i < n.children.length; i++) {
          for (let j = i + 1; j < n.children.length; j++)
            expect(overlaps(n.children[i]!.rect, n.children[j]!.rect)).toBe(false);
        }
      }
    },
  );

  it('matches the seed in numbers and is the same every run', () => {
    const plan = planDistrict('district');
    const all = [...walk(plan)];
    const byLevel = (l: PlannedNode['level']) => all.filter((n) => n.level === l);
    expect(byLevel('town')).toHaveLength(18);
    expect(byLevel('village')).toHaveLength(300);
    expect(byLevel('grid')).toHaveLength(972);
    expect(new Set(byLevel('village').map((v) => v.name)).size).toBe(300);
    expect(new Set(all.map((n) => n.fullCode)).size).toBe(all.length);
    expect(plan.rect).toEqual(DISTRICT_BBOX);
    const seat = plan.children.find((t) => t.name === '锦城街道')!;
    expect(seat.code).toBe('001');
    expect(
      SEAT.lng > seat.rect.w && SEAT.lng < seat.rect.e && SEAT.lat > seat.rect.s && SEAT.lat < seat.rect.n,
    ).toBe(true);
    expect(JSON.stringify(planDistrict('district'))).toBe(JSON.stringify(plan));
  });
});
