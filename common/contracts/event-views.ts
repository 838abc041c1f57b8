// Joint handling seen whole rather than a page at a time: the filtered event list as a workbook, and
// the open events as points on a map with counts per grid.
import { z } from 'zod';
import { EVENT_STATE_CODES, listEventsQuery } from './events.js';
import { recordIdParam } from './shared.js';

/** The list's filters without paging: the workbook holds every matching event the caller may list. */
export const exportEventsBody = listEventsQuery.omit({ page: true, pageSize: true });
export type ExportEventsBody = z.infer<typeof exportEventsBody>;

/** Open events only, so the map takes no state filter. */
export const eventPointsQuery = z.strictObject({
  node: recordIdParam.optional(),
  category: recordIdParam.optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
export type EventPointsQuery = z.infer<typeof eventPointsQuery>;

export const eventPoint = z.object({
  id: z.number().int(),
  trackingCode: z.string(),
  title: z.string(),
  state: z.enum(EVENT_STATE_CODES),
  overdue: z.boolean(),
  lat: z.number(),
  lng: z.number(),
  categoryNameZh: z.string(),
  categoryNameEn: z.string(),
});
export type EventPoint = z.infer<typeof eventPoint>;

export const eventPoints = z.object({
  /** Open events with a map point, overdue first; at most the cap. */
  items: z.array(eventPoint),
  /** More open events with a point matched than the cap: narrow the place or the filters. */
  truncated: z.boolean(),
  /** Every open event matched, with or without a map point, in a grid or above the grids. */
  totals: z.object({ open: z.number().int(), overdue: z.number().int() }),
  /** Open events per grid (with or without a map point), for grids holding at least one. */
  grids: z.array(z.object({ nodeId: z.number().int(), open: z.number().int(), overdue: z.number().int() })),
  /** Open events placed above the grids (at a village or a town), so on no grid's count. */
  outsideGrids: z.number().int(),
});
export type EventPoints = z.infer<typeof eventPoints>;
