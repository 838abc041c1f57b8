// The command system's API shapes: incident commands, directives with their cascade and tracking
// board, and the cockpit. Daily reports and notices have their own files.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { abilities, recordId, recordIdParam, shownCount } from './shared.js';
import {
  RESPONSE_LEVELS,
  PRIORITIES,
  TARGET_STATES,
  TARGET_LEVELS,
  COCKPIT_METRICS,
} from './command-codes.js';

const text = (max: number) => z.string().trim().max(max);
const instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

export {
  RESPONSE_LEVELS,
  RESPONSE_LEVEL_LABELS,
  PRIORITIES,
  PRIORITY_LABELS,
  TARGET_STATES,
  TARGET_STATE_LABELS,
  TARGET_LEVELS,
  COCKPIT_METRICS,
  type CockpitMetric,
} from './command-codes.js';

const ref = z.object({ id: z.number().int(), name: z.string() });
const nodeRef = z.object({ id: z.number().int(), name: z.string(), level: z.string() });

// ------------------------------------------------------------------ incident commands
export const openCommandBody = z.strictObject({
  name: text(LIMITS.name).min(1),
  responseLevel: z.enum(RESPONSE_LEVELS),
  nodeId: recordId,
  startedAt: instant.optional(),
  officerUserIds: z.array(recordId).max(30).default([]),
});
export const closeCommandBody = z.strictObject({ summary: text(2000).min(1) });
export const listCommandsQuery = z.strictObject({ open: z.enum(['true', 'false']).optional() });
export const incidentCommand = z.object({
  id: z.number().int(),
  name: z.string(),
  responseLevel: z.enum(RESPONSE_LEVELS),
  node: nodeRef,
  startedAt: z.string(),
  closedAt: z.string().nullable(),
  summary: z.string().nullable(),
  officers: z.array(ref),
  directives: z.number().int(),
  abilities: abilities('close', 'issue'),
});
export type IncidentCommand = z.infer<typeof incidentCommand>;

// ------------------------------------------------------------------ directives
/** Who a directive goes to: every node of a subtree, one level within subtrees, or named nodes. */
export const targetSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('subtree'), within: z.array(recordId).min(1).max(50) }),
  z.strictObject({
    kind: z.literal('level'),
    level: z.enum(TARGET_LEVELS),
    within: z.array(recordId).min(1).max(50),
  }),
  z.strictObject({ kind: z.literal('nodes'), nodeIds: z.array(recordId).min(1).max(2000) }),
]);
export type TargetSpec = z.infer<typeof targetSpec>;
/** The one-time token of an upload to POST /api/directive-files, claimed by the directive, relay or report-back that sends it. */
export const fileToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'an upload token');
const files = z
  .array(fileToken)
  .max(LIMITS.directiveFilesPerStep)
  .refine((t) => new Set(t).size === t.length, 'each file once');
export const directiveFile = z.object({
  id: z.number().int(),
  name: z.string(),
  mime: z.string(),
  sizeBytes: z.number().int(),
});
export type DirectiveFile = z.infer<typeof directiveFile>;
export const directiveFileUploadResponse = z.object({
  token: fileToken,
  name: z.string(),
  mime: z.string(),
  sizeBytes: z.number().int(),
});
export type DirectiveFileUpload = z.infer<typeof directiveFileUploadResponse>;
export const directiveFileParams = z.strictObject({ id: recordIdParam, fileId: recordIdParam });
const deadlines = {
  signDueAt: instant,
  reportDueAt: instant,
};
const deadlineOrder = (b: { signDueAt: string; reportDueAt: string }, ctx: z.RefinementCtx) => {
  if (b.reportDueAt < b.signDueAt)
    ctx.addIssue({
      code: 'custom',
      path: ['reportDueAt'],
      message: 'issue.report_after_sign',
    });
};
export const issueDirectiveBody = z
  .strictObject({
    commandId: recordId.optional(),
    issuerNodeId: recordId,
    title: text(LIMITS.name).min(1),
    body: text(5000).min(1),
    priority: z.enum(PRIORITIES).default('normal'),
    targets: targetSpec,
    files: files.optional(),
    ...deadlines,
  })
  .superRefine(deadlineOrder);
export type IssueDirectiveBody = z.infer<typeof issueDirectiveBody>;
/** A relay passes a directive down from a node below its issuer with added instructions. */
export const relayDirectiveBody = z
  .strictObject({
    /** The node relaying: one the caller commands, below the issuer, a target or above some. */
    nodeId: recordId,
    instructions: text(5000).min(1),
    targets: targetSpec,
    files: files.optional(),
    ...deadlines,
  })
  .superRefine(deadlineOrder);
export type RelayDirectiveBody = z.infer<typeof relayDirectiveBody>;
export const signTargetBody = z.strictObject({ note: text(500).optional() });
export const reportTargetBody = z.strictObject({
  text: text(5000).min(1),
  /** Figures reported back, by name (e.g. 排查户数): whole or decimal numbers. */
  figures: z
    .record(text(40).min(1), z.number().finite())
    .refine((f) => Object.keys(f).length <= 30, 'at most 30 figures')
    .default({}),
  files: files.optional(),
});
export const remindBody = z.strictObject({ nodeId: recordId.optional() });
export const listDirectivesQuery = z.strictObject({
  command: recordIdParam.optional(),
  /** issued: from my jurisdiction; received: to my jurisdiction; all (default): either. */
  box: z.enum(['all', 'issued', 'received']).default('all'),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(20),
});
export const boardQuery = z.strictObject({
  node: recordIdParam.optional(),
  status: z.enum(['all', 'pending', 'signed', 'reported', 'overdue']).default('all'),
});

const stateCounts = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  signed: z.number().int(),
  reported: z.number().int(),
  overdue: z.number().int(),
});
export type StateCounts = z.infer<typeof stateCounts>;
export const directiveSummary = z.object({
  id: z.number().int(),
  rootId: z.number().int(),
  parentId: z.number().int().nullable(),
  depth: z.number().int(),
  commandId: z.number().int().nullable(),
  title: z.string(),
  priority: z.enum(PRIORITIES),
  issuer: nodeRef,
  issuedBy: z.string(),
  signDueAt: z.string(),
  reportDueAt: z.string(),
  createdAt: z.string(),
  counts: stateCounts,
});
export type DirectiveSummary = z.infer<typeof directiveSummary>;
export const directiveTarget = z.object({
  id: z.number().int(),
  directiveId: z.number().int(),
  node: nodeRef,
  state: z.enum(TARGET_STATES),
  overdue: z.boolean(),
  signDueAt: z.string(),
  reportDueAt: z.string(),
  signedAt: z.string().nullable(),
  signedBy: z.string().nullable(),
  reportedAt: z.string().nullable(),
  reportedBy: z.string().nullable(),
  reportText: z.string().nullable(),
  reportFigures: z.record(z.string(), z.number()).nullable(),
  relayId: z.number().int().nullable(),
  escalated: z.boolean(),
  remindedAt: z.string().nullable(),
  /** Attachments of the report-back. */
  files: z.array(directiveFile),
  /** What the caller may do with this target. */
  actions: z.array(z.enum(['sign', 'report', 'relay'])),
});
export type DirectiveTarget = z.infer<typeof directiveTarget>;
export const directiveHistoryEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  action: z.string(),
  actor: z.string(),
  node: z.string(),
  text: z.string().nullable(),
});
export const directiveDetail = directiveSummary.extend({
  body: z.string(),
  /** Attachments of this directive (also the last entry of the lineage). */
  files: z.array(directiveFile),
  /** The chain of instructions from the top of the cascade down to this directive, each with its attachments. */
  lineage: z.array(
    z.object({
      id: z.number().int(),
      issuer: nodeRef,
      title: z.string(),
      body: z.string(),
      createdAt: z.string(),
      files: z.array(directiveFile),
    }),
  ),
  /** Targets the caller answers for (at their own nodes), with what they may do. */
  myTargets: z.array(directiveTarget),
  /** Nodes the caller may relay it from (a town passing a directive to its villages on with its own instructions). */
  relayFrom: z.array(nodeRef),
  history: z.array(directiveHistoryEntry),
  abilities: abilities('board', 'remind'),
});
export type DirectiveDetail = z.infer<typeof directiveDetail>;
export const issueResponse = directiveDetail;

export const boardResponse = z.object({
  directive: directiveSummary,
  node: nodeRef,
  /** Counts over the whole cascade below the board's node, per target level. */
  levels: z.array(stateCounts.extend({ level: z.string() })),
  /** Drill-down: one row per child of the board's node that holds targets (and the node itself if it is one). */
  children: z.array(stateCounts.extend({ node: nodeRef, self: z.boolean() })),
  /** Targets below the board's node with the chosen status, overdue first (at most 500). */
  targets: z.array(directiveTarget.extend({ directiveTitle: z.string(), depth: z.number().int() })),
  truncated: z.boolean(),
  /** The relays under this directive, parent first. */
  cascade: z.array(
    z.object({
      id: z.number().int(),
      parentId: z.number().int().nullable(),
      depth: z.number().int(),
      issuer: nodeRef,
      title: z.string(),
      createdAt: z.string(),
      counts: stateCounts,
    }),
  ),
});
export type BoardResponse = z.infer<typeof boardResponse>;
export const remindResponse = z.object({ reminded: z.number().int(), users: z.number().int() });
export const directiveTask = directiveTarget.extend({
  directiveTitle: z.string(),
  priority: z.enum(PRIORITIES),
  issuer: nodeRef,
  body: z.string(),
});
export type DirectiveTask = z.infer<typeof directiveTask>;

// ------------------------------------------------------------------ cockpit
export const cockpitQuery = z.strictObject({
  node: recordIdParam.optional(),
  command: recordIdParam.optional(),
  metric: z.enum(COCKPIT_METRICS).default('eventsOpen'),
});
const levelCounts = z.record(z.string(), z.number().int());
export const cockpitFigures = z.object({
  eventsOpen: z.number().int(),
  eventsOverdue: z.number().int(),
  /** Directive targets not yet signed for, by the target's level; and signed but not reported. */
  directivesUnsigned: levelCounts,
  directivesUnreported: levelCounts,
  directivesOverdue: levelCounts,
  /** Today's (Asia/Shanghai) daily reports: how many were due and how many are in. */
  reportsExpected: z.number().int(),
  reportsSubmitted: z.number().int(),
  noticesHouseholds: z.number().int(),
  noticesDelivered: z.number().int(),
  /** Joint defence: people checked in at checkpoints and not yet out (a counter, ADR 0015). */
  staffedNow: z.number().int(),
  /** Shifts starting in the next 24 hours that nobody / too few are on (an indexed count, ADR 0015). */
  uncoveredNext24h: z.number().int(),
  understaffedNext24h: z.number().int(),
  /** Passages registered, the risky ones, and the hand-offs to grids still open (counters). */
  passages: z.number().int(),
  passagesRisky: z.number().int(),
  handoffsOpen: z.number().int(),
  /**
   * Home observation (counters, all commands): in observation, today's follow-ups still to do, days
   * missed, follow-ups that found someone unwell. Below town level 1–4 shows as "<5".
   */
  observationsActive: shownCount,
  observationsDueToday: shownCount,
  observationsMissed: shownCount,
  observationsUnwell: shownCount,
  /**
   * Screening sweeps (counters, the chosen command's open sweeps; all commands' for 0): targets,
   * finished visits, high-risk answers (below town level 1–4 shows as "<5").
   */
  sweepTargets: z.number().int(),
  sweepDone: z.number().int(),
  sweepHigh: shownCount,
  /** Joint mediation: cases open (received, mediating, signing), concluded this month, confirmations pending. */
  mediationOpen: z.number().int(),
  mediationConcludedMonth: z.number().int(),
  confirmationsPending: z.number().int(),
  /**
   * Joint services: call-outs open, service requests open (counters); volunteer hours credited this
   * month; care visits overdue (the roster's due-day index: it changes with the day, not a change).
   */
  calloutsOpen: z.number().int(),
  serviceRequestsOpen: z.number().int(),
  volunteerHoursMonth: z.number(),
  careVisitsOverdue: z.number().int(),
  /**
   * Psychological care (counters): urgent alerts not yet acknowledged, scales filled this month and
   * those a crisis rule flagged (below town level 1–4 shows as "<5").
   */
  careAlertsOpen: shownCount,
  scalesSubmittedMonth: shownCount,
  scalesCrisisMonth: shownCount,
});
export type CockpitFigures = z.infer<typeof cockpitFigures>;
export const cockpitResponse = z.object({
  node: nodeRef.extend({ path: z.string() }),
  commandId: z.number().int().nullable(),
  day: z.string(),
  figures: cockpitFigures,
  children: z.array(z.object({ node: nodeRef, figures: cockpitFigures })),
  /** Grids of the node's subtree with the chosen metric, for the map. */
  map: z.object({
    metric: z.enum(COCKPIT_METRICS),
    grids: z.array(z.object({ id: z.number().int(), value: z.number().int() })),
  }),
  escalations: z.array(
    z.object({
      kind: z.enum(['event', 'directive']),
      id: z.number().int(),
      title: z.string(),
      node: z.string(),
      at: z.string(),
      text: z.string().nullable(),
    }),
  ),
  /** The live_events id these figures include: SSE updates after it change them. */
  asOf: z.number().int(),
});
export type CockpitResponse = z.infer<typeof cockpitResponse>;
