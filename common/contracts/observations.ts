// Home observation (居家观察): an order for a person at risk, observed at home for a number of
// Asia/Shanghai calendar days with one follow-up a day by their carers (a party member, the grid
// worker, a doctor), released on its end date, extended or transferred. The shapes of the routes,
// written before the server and the pages so both build against them.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { isRealDate } from '../validators.js';
import { abilities, listOf, pageQuery, paged, recordId, recordIdParam, shownCount } from './shared.js';
import {
  CARER_KINDS,
  FOLLOW_UP_OUTCOMES,
  FOLLOW_UP_STATUSES,
  NEEDS,
  OBSERVATION_MAX_CARERS,
  OBSERVATION_MAX_DAYS,
  OBSERVATION_STATUSES,
  SYMPTOMS,
  TRANSFER_REASONS,
} from './observation-codes.js';
export * from './observation-codes.js';

const text = (max: number) => z.string().trim().max(max);
const day = z.string().refine(isRealDate, 'a real date as YYYY-MM-DD');

const ref = z.object({ id: z.number().int(), name: z.string() });

export const carerInput = z.strictObject({ userId: recordId, kind: z.enum(CARER_KINDS) });
export const createObservationBody = z.strictObject({
  personId: recordId,
  startDate: day,
  days: z.number().int().min(1).max(OBSERVATION_MAX_DAYS),
  reason: text(LIMITS.reason).min(1),
  /** Where the person stays, when not their registered address. */
  place: text(LIMITS.reason).nullable().optional(),
  carers: z.array(carerInput).max(OBSERVATION_MAX_CARERS).default([]),
  /** Household members observed with them (person ids). */
  members: z.array(recordId).max(20).default([]),
  commandId: recordId.nullable().optional(),
});
/** As sent (carers and members may be left out). */
export type CreateObservationInput = z.input<typeof createObservationBody>;
/** As checked. */
export type CreateObservationBody = z.output<typeof createObservationBody>;

export const followUpBody = z.strictObject({
  outcome: z.enum(FOLLOW_UP_OUTCOMES),
  /** °C, as read. */
  temperature: z.number().min(30).max(45).nullable().optional(),
  symptoms: z.array(z.enum(SYMPTOMS)).max(SYMPTOMS.length).default([]),
  needs: z.array(z.enum(NEEDS)).max(NEEDS.length).default([]),
  note: text(LIMITS.reason).nullable().optional(),
});
export type FollowUpInput = z.input<typeof followUpBody>;
export type FollowUpBody = z.output<typeof followUpBody>;
export const followUpParams = z.strictObject({ id: recordIdParam, date: day });

/** Marking an unwell day's alert handled carries nothing: what was done goes where it was done. */
export const alertHandledBody = z.strictObject({});

export const observationStepBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('release'), note: text(LIMITS.reason).nullable().optional() }),
  z.strictObject({
    action: z.literal('extend'),
    days: z.number().int().min(1).max(OBSERVATION_MAX_DAYS),
    reason: text(LIMITS.reason).min(1),
  }),
  z.strictObject({
    action: z.literal('transfer'),
    to: z.enum(TRANSFER_REASONS),
    note: text(LIMITS.reason).nullable().optional(),
  }),
]);
export type ObservationStepBody = z.input<typeof observationStepBody>;

export const followUpView = z.object({
  date: z.string(),
  status: z.enum(FOLLOW_UP_STATUSES),
  /** The health data, shown to those who may read the order; null while due or missed. */
  temperature: z.number().nullable(),
  symptoms: z.array(z.enum(SYMPTOMS)),
  needs: z.array(z.enum(NEEDS)),
  note: z.string().nullable(),
  recordedBy: ref.nullable(),
  recordedAt: z.string().nullable(),
  /** For a day seen unwell: when the alert it raised was handled (null: still open). */
  handledAt: z.string().nullable(),
});
export type FollowUpView = z.infer<typeof followUpView>;

export const carerView = z.object({ userId: z.number().int(), name: z.string(), kind: z.enum(CARER_KINDS) });

export const observationView = z.object({
  id: z.number().int(),
  person: z.object({
    id: z.number().int(),
    name: z.string(),
    idNumberMasked: z.string().nullable(),
    phoneMasked: z.string().nullable(),
  }),
  node: ref,
  reason: z.string(),
  place: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string(),
  days: z.number().int(),
  status: z.enum(OBSERVATION_STATUSES),
  transferTo: z.enum(TRANSFER_REASONS).nullable(),
  carers: z.array(carerView),
  members: z.array(ref),
  commandId: z.number().int().nullable(),
  /** Today in Asia/Shanghai, as the server counts the order's days. */
  today: z.string(),
  followUps: z.array(followUpView),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  /** `handleAlert`: may mark an unwell day's alert handled (the place's managers, the order's doctors). */
  abilities: abilities('followUp', 'release', 'extend', 'transfer', 'handleAlert'),
});
export type ObservationView = z.infer<typeof observationView>;

/** One line of a list: the order without its days. */
export const observationSummary = observationView.omit({ followUps: true, members: true }).extend({
  /** Today's follow-up, when the order has one today. */
  todayStatus: z.enum(FOLLOW_UP_STATUSES).nullable(),
  missed: z.number().int(),
});
export type ObservationSummary = z.infer<typeof observationSummary>;

export const listObservationsQuery = z.strictObject({
  node: recordIdParam.optional(),
  status: z.enum(OBSERVATION_STATUSES).optional(),
  ...pageQuery,
});
export const observationsPage = paged(observationSummary);

/** Who may be named carer of a person's order: accounts that follow up in the person's town or above. */
export const carerCandidatesQuery = z.strictObject({ personId: recordIdParam });
export const carerCandidate = z.object({
  userId: z.number().int(),
  name: z.string(),
  /** Where their role is, and the kind they would most likely care as. */
  node: ref,
  kind: z.enum(CARER_KINDS),
});
export type CarerCandidate = z.infer<typeof carerCandidate>;
export const carerCandidates = listOf(carerCandidate);

/** A carer's or grid worker's follow-ups waiting today (and missed ones), one per order. */
export const observationTask = z.object({
  /** A follow-up to record, or a day that found the person unwell, to act on (alerts come first). */
  kind: z.enum(['follow_up', 'unwell']),
  observationId: z.number().int(),
  person: z.object({ id: z.number().int(), name: z.string() }),
  node: ref,
  date: z.string(),
  status: z.enum(FOLLOW_UP_STATUSES),
  endDate: z.string(),
  /** A day before today (Asia/Shanghai), not yet flagged missed. */
  overdue: z.boolean(),
  /** The first day of an order starting tomorrow: nothing to record yet, but its carers see it coming. */
  upcoming: z.boolean(),
  /** The caller cares for this person (not only holds the place). */
  carer: z.boolean(),
});
export type ObservationTask = z.infer<typeof observationTask>;
export const observationTasks = listOf(observationTask);

export const observationFigures = z.object({
  active: shownCount,
  dueToday: shownCount,
  doneToday: shownCount,
  missed: shownCount,
  unwell: shownCount,
  released: shownCount,
});
export type ObservationFigures = z.infer<typeof observationFigures>;
export const observationStatsQuery = z.strictObject({ node: recordIdParam.optional() });
export const observationStats = z.object({
  node: ref,
  today: z.string(),
  figures: observationFigures,
  children: z.array(ref.extend({ figures: observationFigures })),
});
export type ObservationStats = z.infer<typeof observationStats>;
