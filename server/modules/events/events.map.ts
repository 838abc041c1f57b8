// The open events of a jurisdiction on a map: their points (capped) and how many each grid holds, by
// the list's visibility and filters, so the map never shows what the caller could not list.
import type { EventPoints, EventPointsQuery } from '../../../common/contracts/event-views.js';
import { LEVELS } from '../../../common/tree.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { actorOf, type RequestContext } from '../../platform/actor.js';
import { listFilter } from './events.filter.js';
import * as repo from './events.views.repository.js';
import { OPEN_STATES, type EventState } from './events.workflow.js';

export const EVENT_MAP_MAX_POINTS = 5_000;
/** Levels sit at fixed depths (district 1 … grid 4), so a path's 4th id is its grid. */
const GRID_DEPTH = LEVELS.indexOf('grid') + 1;

export function createEventsMapService(deps: { db: DB; now?: () => string; maxPoints?: number }) {
  const { db } = deps;
  const now = deps.now ?? nowIso;
  const maxPoints = deps.maxPoints ?? EVENT_MAP_MAX_POINTS;

  return {
    async points(ctx: RequestContext, q: EventPointsQuery): Promise<EventPoints> {
      const actor = actorOf(ctx);
      const at = now();
      const f = { ...(await listFilter(db, actor, q, at)), states: OPEN_STATES };
      // One more than the cap tells whether the cap cut anything.
      const [rows, places] = await Promise.all([
        repo.openPoints(db, f, maxPoints + 1),
        repo.countsByPlace(db, f, at),
      ]);
      const grids = new Map<number, { open: number; overdue: number }>();
      let outsideGrids = 0;
      const totals = { open: 0, overdue: 0 };
      for (const p of places) {
        totals.open += p.n;
        totals.overdue += p.overdue;
        const ids = p.path.split('/').filter(Boolean);
        if (ids.length < GRID_DEPTH) {
          outsideGrids += p.n;
          continue;
        }
        const gridId = Number(ids[GRID_DEPTH - 1]);
        const g = grids.get(gridId) ?? { open: 0, overdue: 0 };
        g.open += p.n;
        g.overdue += p.overdue;
        grids.set(gridId, g);
      }
      return {
        items: rows.slice(0, maxPoints).map((r) => ({
          id: r.id,
          trackingCode: r.tracking_code,
          title: r.title,
          state: r.state as EventState,
          overdue: r.due_at !== null && r.due_at < at,
          lat: r.lat!,
          lng: r.lng!,
          categoryNameZh: r.category_name_zh,
          categoryNameEn: r.category_name_en,
        })),
        truncated: rows.length > maxPoints,
        totals,
        grids: [...grids].map(([nodeId, g]) => ({ nodeId, ...g })).sort((a, b) => a.nodeId - b.nodeId),
        outsideGrids,
      };
    },
  };
}

export type EventsMapService = ReturnType<typeof createEventsMapService>;
