// A grid worker's hand-offs: open ones only, overdue first, then the soonest due.
import { describe, expect, it } from 'vitest';
import { orderHandoffs } from './handoffs.js';

const h = (id: number, overdue: boolean, dueAt: string, state: 'open' | 'visited' | 'closed' = 'open') => ({
  id,
  overdue,
  dueAt,
  createdAt: '2026-12-05T00:00:00Z',
  state,
});

describe('orderHandoffs', () => {
  it('puts overdue ones first, then the soonest due, and leaves out those no longer open', () => {
    const items = [
      h(1, false, '2026-12-06T12:00:00Z'),
      h(2, true, '2026-12-05T12:00:00Z'),
      h(3, false, '2026-12-06T09:00:00Z'),
      h(4, true, '2026-12-05T08:00:00Z'),
      h(5, false, '2026-12-06T01:00:00Z', 'visited'),
    ];
    expect(orderHandoffs(items).map((x) => x.id)).toEqual([4, 2, 3, 1]);
    expect(items.map((x) => x.id)).toEqual([1, 2, 3, 4, 5]);
  });
});
