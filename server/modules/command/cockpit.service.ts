// The cockpit (驾驶舱): for a node, live figures per linkage read from maintained counters
// (live_counters, changed in the same transaction as what they count, or by the sweep), the
// deadline index for overdue cases and the daily reports' indexed completion — never a full scan.
import type { z } from 'zod';
import {
  TARGET_LEVELS,
  type CockpitFigures,
  type CockpitMetric,
  type CockpitResponse,
  type cockpitQuery,
} from '../../../common/contracts/command.js';
import { localDate } from '../../../common/worktime.js';
import type { DB, Executor } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { actorOf, isWithin, scopesFor, type RequestContext } from '../../platform/actor.js';
import { DEFAULT_LANG } from '../../../common/messages/index.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { renderStoredText } from '../../platform/lang.js';
import { rosterGapsUnder } from '../defence/index.js';
import { OBSERVATION_METRICS } from '../observation/index.js';
import { SWEEP_METRICS } from '../screening/index.js';
import { MEDIATION_METRICS } from '../mediation/index.js';
import { SERVICES_METRICS, careOverdueUnder } from '../services/index.js';
import { CARE_METRICS } from '../care/index.js';
import { showCount } from '../../../common/contracts/shared.js';
import { overdueEventsUnder } from '../events/index.js';
import * as repo from './command.repository.js';

/** Today's daily-report completion under a node and each of some children (the reports module answers it). */
export type ReportCompletion = (
  x: Executor,
  q: { nodePath: string; childPaths: string[]; day: string; commandId: number | null },
) => Promise<{
  total: { expected: number; submitted: number };
  children: Record<string, { expected: number; submitted: number }>;
}>;

/** The escalations feed looks back this far: older ones are history, not news. */
const FEED_DAYS = 30;
/** Targets are counted at every level a directive can reach: a subtree or named nodes may include micro-grids. */
const LEVELS_COUNTED = [...TARGET_LEVELS, 'microgrid'] as const;
const DIRECTIVE_METRICS = LEVELS_COUNTED.flatMap((l) => [
  `directives.unsigned.${l}`,
  `directives.unreported.${l}`,
  `directives.overdue.${l}`,
]);
/** Joint defence's counters: on duty now (rosters) and passages and hand-offs (passages), 0 until bumped. */
const DEFENCE_METRICS = [
  'defence.staffed',
  'defence.passages',
  'defence.passages.risky',
  'defence.handoffs.open',
];
/** Screening sweeps' counters over the command's open sweeps. */
const SWEEP_FIGURES = [SWEEP_METRICS.targets, SWEEP_METRICS.done, SWEEP_METRICS.high];
const COMMAND_METRICS = [
  ...DIRECTIVE_METRICS,
  'notices.households',
  'notices.delivered',
  ...DEFENCE_METRICS,
  ...SWEEP_FIGURES,
];
type Gaps = { uncovered: number; understaffed: number };
const NO_GAPS: Gaps = { uncovered: 0, understaffed: 0 };

/** Home observation's counters, kept for all commands (an order rarely names one): today's are dated. */
const observationMetrics = (day: string) => [
  OBSERVATION_METRICS.active,
  OBSERVATION_METRICS.missed,
  OBSERVATION_METRICS.unwell,
  OBSERVATION_METRICS.due(day),
  OBSERVATION_METRICS.done(day),
  // Joint mediation's, kept for all commands: cases open, concluded this month, confirmations pending.
  MEDIATION_METRICS.open,
  MEDIATION_METRICS.concluded(day.slice(0, 7)),
  MEDIATION_METRICS.confirmationsPending,
  // Joint services', kept for all commands: call-outs open, requests open, hours credited this month.
  SERVICES_METRICS.calloutsOpen,
  SERVICES_METRICS.requestsOpen,
  SERVICES_METRICS.minutes(day.slice(0, 7)),
  // Psychological care's: alerts open, scales filled and flagged this month.
  CARE_METRICS.alertsOpen,
  CARE_METRICS.submitted(day.slice(0, 7)),
  CARE_METRICS.crisis(day.slice(0, 7)),
];

function figuresOf(
  counters: Map<string, number>,
  extra: {
    eventsOverdue: number;
    reports: { expected: number; submitted: number };
    gaps: Gaps;
    level: string;
    day: string;
    careOverdue: number;
  },
): CockpitFigures {
  const at = (m: string) => counters.get(m) ?? 0;
  const shown = (n: number) => showCount(extra.level, n);
  const byLevel = (kind: string) =>
    Object.fromEntries(LEVELS_COUNTED.map((l) => [l, at(`directives.${kind}.${l}`)]));
  return {
    eventsOpen: at('events.open'),
    eventsOverdue: extra.eventsOverdue,
    directivesUnsigned: byLevel('unsigned'),
    directivesUnreported: byLevel('unreported'),
    directivesOverdue: byLevel('overdue'),
    reportsExpected: extra.reports.expected,
    reportsSubmitted: extra.reports.submitted,
    noticesHouseholds: at('notices.households'),
    noticesDelivered: at('notices.delivered'),
    staffedNow: at('defence.staffed'),
    uncoveredNext24h: extra.gaps.uncovered,
    understaffedNext24h: extra.gaps.understaffed,
    passages: at('defence.passages'),
    passagesRisky: at('defence.passages.risky'),
    handoffsOpen: at('defence.handoffs.open'),
    observationsActive: shown(at(OBSERVATION_METRICS.active)),
    observationsDueToday: shown(
      Math.max(0, at(OBSERVATION_METRICS.due(extra.day)) - at(OBSERVATION_METRICS.done(extra.day))),
    ),
    observationsMissed: shown(at(OBSERVATION_METRICS.missed)),
    observationsUnwell: shown(at(OBSERVATION_METRICS.unwell)),
    sweepTargets: at(SWEEP_METRICS.targets),
    sweepDone: at(SWEEP_METRICS.done),
    sweepHigh: shown(at(SWEEP_METRICS.high)),
    mediationOpen: at(MEDIATION_METRICS.open),
    mediationConcludedMonth: at(MEDIATION_METRICS.concluded(extra.day.slice(0, 7))),
    confirmationsPending: at(MEDIATION_METRICS.confirmationsPending),
    calloutsOpen: at(SERVICES_METRICS.calloutsOpen),
    serviceRequestsOpen: at(SERVICES_METRICS.requestsOpen),
    volunteerHoursMonth: Math.round(at(SERVICES_METRICS.minutes(extra.day.slice(0, 7))) / 6) / 10,
    careVisitsOverdue: extra.careOverdue,
    careAlertsOpen: shown(at(CARE_METRICS.alertsOpen)),
    scalesSubmittedMonth: shown(at(CARE_METRICS.submitted(extra.day.slice(0, 7)))),
    scalesCrisisMonth: shown(at(CARE_METRICS.crisis(extra.day.slice(0, 7)))),
  };
}

export function createCockpitService(deps: {
  db: DB;
  reportCompletion: ReportCompletion;
  now?: () => string;
}) {
  const { db } = deps;
  const now = deps.now ?? nowIso;

  /** Counters of the paths as path → metric → value: events for all commands, the rest for the chosen one. */
  async function countersOf(paths: string[], commandId: number, day: string) {
    const rows = await repo.cockpitCounters(db, commandId, paths, COMMAND_METRICS, [
      'events.open',
      ...observationMetrics(day),
    ]);
    const out = new Map<string, Map<string, number>>(paths.map((p) => [p, new Map()]));
    for (const r of rows) out.get(r.node_path)?.set(r.metric, Number(r.value));
    return out;
  }

  async function mapValues(metric: CockpitMetric, path: string, commandId: number, day: string, at: string) {
    const grids = await repo.gridsUnder(db, path);
    const paths = grids.map((g) => g.path);
    const values = new Map<string, number>(paths.map((p) => [p, 0]));
    if (metric === 'eventsOverdue') {
      const over = await overdueEventsUnder(db, [path, ...paths], at);
      for (const p of paths) values.set(p, over.get(p) ?? 0);
    } else if (metric === 'reportsMissing') {
      const done = await deps.reportCompletion(db, {
        nodePath: path,
        childPaths: paths,
        day,
        commandId: commandId || null,
      });
      for (const p of paths)
        values.set(p, (done.children[p]?.expected ?? 0) - (done.children[p]?.submitted ?? 0));
    } else {
      const wanted: Record<
        Exclude<CockpitMetric, 'eventsOverdue' | 'reportsMissing'>,
        [string[], string[]]
      > = {
        eventsOpen: [['events.open'], []],
        directivesPending: [
          LEVELS_COUNTED.flatMap((l) => [`directives.unsigned.${l}`, `directives.unreported.${l}`]),
          [],
        ],
        directivesOverdue: [LEVELS_COUNTED.map((l) => `directives.overdue.${l}`), []],
        noticesUndelivered: [['notices.households'], ['notices.delivered']],
      };
      const [plus, minus] = wanted[metric];
      const rows = await repo.counterUnder(db, metric === 'eventsOpen' ? 0 : commandId, path, [
        ...plus,
        ...minus,
      ]);
      for (const r of rows)
        if (values.has(r.node_path))
          values.set(
            r.node_path,
            values.get(r.node_path)! + (minus.includes(r.metric) ? -1 : 1) * Number(r.value),
          );
    }
    return grids.map((g) => ({ id: g.id, value: values.get(g.path)! }));
  }

  return {
    async figures(ctx: RequestContext, q: z.infer<typeof cockpitQuery>): Promise<CockpitResponse> {
      const lang = ctx.lang ?? DEFAULT_LANG;
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'command.read');
      if (scopes.length === 0) throw forbidden();
      const at = now();
      const day = localDate(at);
      // The outbox's position first (updates after it may or may not be in the figures; clients refetch on them).
      const [asOf, [node]] = await Promise.all([
        repo.lastLiveId(db),
        q.node ? repo.nodesByIds(db, [q.node]) : repo.namesOfPaths(db, [scopes[0]!]),
      ]);
      if (!node) throw notFound('node');
      if (!scopes.some((s) => isWithin(node.path, s))) throw forbidden();
      const commandId = q.command ?? 0;
      const children = await repo.childrenOf(db, node.id);
      const paths = [node.path, ...children.map((c) => c.path)];
      // Care visits overdue depend on the day, not on a change: counted from the due-day index.
      const careOverdue = careOverdueUnder(db, paths, day);
      const [counters, overdue, reports, map, escalations, gaps, care] = await Promise.all([
        countersOf(paths, commandId, day),
        overdueEventsUnder(db, paths, at),
        deps.reportCompletion(db, {
          nodePath: node.path,
          childPaths: children.map((c) => c.path),
          day,
          commandId: q.command ?? null,
        }),
        mapValues(q.metric, node.path, commandId, day, at),
        repo.latestEscalations(
          db,
          node.path,
          20,
          new Date(Date.parse(at) - FEED_DAYS * 86_400_000).toISOString(),
        ),
        rosterGapsUnder(db, {
          nodePath: node.path,
          childPaths: children.map((c) => c.path),
          at,
          ...(q.command ? { commandId: q.command } : {}),
        }),
        careOverdue,
      ]);
      const none = { expected: 0, submitted: 0 };
      const feed = [
        ...escalations.events.map((e) => ({
          kind: 'event' as const,
          id: e.id,
          title: e.title,
          node: e.node,
          at: e.at,
          text: e.text === null ? null : renderStoredText(e.text, lang),
        })),
        ...escalations.directives.map((e) => ({
          kind: 'directive' as const,
          id: e.id,
          title: e.title,
          node: e.node,
          at: e.at,
          text: e.text === null ? null : renderStoredText(e.text, lang),
        })),
      ]
        .sort((a, b) => b.at.localeCompare(a.at))
        .slice(0, 20);
      return {
        node: { id: node.id, name: node.name, level: node.level, path: node.path },
        commandId: q.command ?? null,
        day,
        figures: figuresOf(counters.get(node.path)!, {
          eventsOverdue: overdue.get(node.path) ?? 0,
          reports: reports.total,
          gaps: gaps.get(node.path) ?? NO_GAPS,
          level: node.level,
          day,
          careOverdue: care.get(node.path) ?? 0,
        }),
        children: children.map((c) => ({
          node: { id: c.id, name: c.name, level: c.level },
          figures: figuresOf(counters.get(c.path)!, {
            eventsOverdue: overdue.get(c.path) ?? 0,
            reports: reports.children[c.path] ?? none,
            gaps: gaps.get(c.path) ?? NO_GAPS,
            level: c.level,
            day,
            careOverdue: care.get(c.path) ?? 0,
          }),
        })),
        map: { metric: q.metric, grids: map },
        escalations: feed,
        asOf,
      };
    },
  };
}

export type CockpitService = ReturnType<typeof createCockpitService>;
