// Live updates, the web's pure side: which cached queries an update makes stale, and a throttle so
// a burst of updates refetches each query at most once per window.
import type { QueryKey } from '@tanstack/react-query';
import { LIVE_RESET } from '../../common/contracts/live-codes.js';
import { careKeys } from '../api/care.js';
import { commandKeys } from '../api/command.js';
import { eventKeys } from '../api/events.js';
import { noticeKeys } from '../api/notices.js';
import { notificationKeys } from '../api/notifications.js';
import { reportKeys } from '../api/reports.js';

/**
 * Query keys by an update kind's area (the part before the first dot): the root keys of the api
 * modules, so a read keyed by a module's factory is refreshed by its area's updates.
 */
const AREA_KEYS: Record<string, QueryKey[]> = {
  directive: [
    commandKeys.allDirectives,
    commandKeys.tasks,
    commandKeys.allBoards,
    commandKeys.allCockpit,
    notificationKeys.all,
  ],
  command: [commandKeys.allCommands, commandKeys.allCockpit],
  // The events pages (list, tasks, detail, KPIs, map) all key under eventKeys.all; the bell under notifications.
  event: [eventKeys.all, notificationKeys.all, commandKeys.allCockpit],
  report: [reportKeys.all, commandKeys.allCockpit],
  notice: [noticeKeys.all, commandKeys.allCockpit],
  // Home observation: an order's days, my tasks' follow-ups, the figures; an unwell alert rings the bell.
  // Named by their root key, not imported: the api modules of these pages stay out of the entry chunk.
  observation: [['observation'], notificationKeys.all, commandKeys.allCockpit],
  // Screening sweeps: lists, progress and the cockpit's figures.
  sweep: [['sweep'], commandKeys.allCockpit],
  // Joint mediation: cases, agendas, agreements, confirmations and a point's hearings (all keyed under
  // 'mediation', named, not imported, like observation's) and the cockpit's mediation figures.
  mediation: [['mediation'], commandKeys.allCockpit],
  // Joint services: every page keys under ['services'] (call-outs, needs, the roster, volunteers, the
  // hours; named, not imported, like observation's); a call-out posted or a task matched rings the
  // bell; the cockpit counts open ones.
  callout: [['services'], notificationKeys.all, commandKeys.allCockpit],
  service_request: [['services'], notificationKeys.all, commandKeys.allCockpit],
  // 'care.*' is two modules' area: joint services' care visits and rules (care.visit, care.rules,
  // care.visitor) and psychological care's alerts and cases (care.alert.raised, .acknowledge,
  // .escalate; care.case.open, .contact, .update, .refer, .close). Each refreshes both modules' pages;
  // an alert raised or escalated rings the bell; the cockpit counts the open alerts and overdue visits.
  care: [['services'], careKeys.all, notificationKeys.all, commandKeys.allCockpit],
  // Psychological care's links: one sent (scale.link), a scale filled (scale.submit, which may raise an
  // alert), a scale added (scale.create): the people's links, the cases' scales, the month's figures.
  scale: [careKeys.all, commandKeys.allCockpit],
  volunteer: [['services']],
  volunteer_org: [['services']],
};

/** What an update of this kind makes stale: some query keys, or everything (a reset). */
export function staleKeysOf(kind: string): QueryKey[] | 'all' {
  if (kind === LIVE_RESET) return 'all';
  return AREA_KEYS[kind.split('.')[0] ?? ''] ?? [];
}

/**
 * Runs `fire(key)` at once for a key not seen lately, then at most once more at the end of each
 * `windowMs` during which it was asked again: every update is reflected, a burst costs two refetches.
 */
export function createCoalescer(fire: (key: QueryKey | 'all') => void, windowMs = 300) {
  const windows = new Map<string, { again: boolean; timer: ReturnType<typeof setTimeout> }>();
  const open = (id: string, key: QueryKey | 'all') => {
    const w = {
      again: false,
      timer: setTimeout(() => {
        windows.delete(id);
        if (w.again) {
          fire(key);
          open(id, key);
        }
      }, windowMs),
    };
    windows.set(id, w);
  };
  return {
    ask(key: QueryKey | 'all') {
      const id = key === 'all' ? '*' : JSON.stringify(key);
      const w = windows.get(id);
      if (w) w.again = true;
      else {
        fire(key);
        open(id, key);
      }
    },
    stop() {
      for (const w of windows.values()) clearTimeout(w.timer);
      windows.clear();
    },
  };
}
