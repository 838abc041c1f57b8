// The order of a grid worker's hand-offs on my tasks: overdue first, then the soonest due; among equals
// the oldest first. Pure (handoffs.unit.test.ts).
import type { HandoffView } from '../../api/passages.js';

export function orderHandoffs<T extends Pick<HandoffView, 'overdue' | 'dueAt' | 'createdAt' | 'state'>>(
  items: readonly T[],
): T[] {
  return items
    .filter((h) => h.state === 'open')
    .sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        Date.parse(a.dueAt) - Date.parse(b.dueAt) ||
        Date.parse(a.createdAt) - Date.parse(b.createdAt),
    );
}
