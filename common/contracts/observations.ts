// Home observation (居家观察): an order for a person at risk, observed at home for a number of
// Asia/Shanghai calendar days with one follow-up a day by their carers (a party member, the grid
// worker, a doctor), released on its end date, extended or transferred. The shapes of the routes,
// written before the server and the pages so both build against them.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { isRealDate } from '../validators.js';
import { abilities, listOf, pageQuery, paged, recordId, recordIdParam, shownCount } from './shared.js';

const text = (max: number) => z.string().trim().max(max);
const day = z.string().refine(isRealDate, 'a real date as YYYY-MM-DD');

/** Longest order and longest extension, in days. */
export const OBSERVATION_MAX_DAYS = 28;
/** An order may start this many days back (written up after the fact) or ahead. */
export const OBSERVATION_START_WINDOW_DAYS = 7;
/** Carers of one order. */
export const OBSERVATION_MAX_CARERS = 5;

/** An order's life: in observation, then released on its end date or transferred (hospital, moved away). */
export const OBSERVATION_STATUSES = ['active', 'released', 'transferred'] as const;
export type ObservationStatus = (typeof OBSERVATION_STATUSES)[number];
export const TRANSFER_REASONS = ['hospital', 'moved_away'] as const;
export type TransferReason = (typeof TRANSFER_REASONS)[number];
/** Who looks after the person: a party member of the community, the grid worker, a doctor (the health contact). */
export const CARER_KINDS = ['party_member', 'grid_worker', 'doctor'] as const;
export type CarerKind = (typeof CARER_KINDS)[number];
/** What a carer found on a day's follow-up. */
export const FOLLOW_UP_OUTCOMES = ['well', 'unwell', 'not_reached', 'refused'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];
/** A day's follow-up: due until recorded, missed when the next morning came without one. */
export const FOLLOW_UP_STATUSES = ['due', ...FOLLOW_UP_OUTCOMES, 'missed'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
export const SYMPTOMS = [
  'fever',
  'cough',
  'sore_throat',
  'fatigue',
  'short_breath',
  'diarrhoea',
  'other',
] as const;
export type Symptom = (typeof SYMPTOMS)[number];
export const NEEDS = ['food', 'medicine', 'other'] as const;
export type Need = (typeof NEEDS)[number];

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
  abilities: abilities('followUp', 'release', 'extend', 'transfer'),
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

/** A carer's or grid worker's follow-ups waiting today (and missed ones), one per order. */
export const observationTask = z.object({
  observationId: z.number().int(),
  person: z.object({ id: z.number().int(), name: z.string() }),
  node: ref,
  date: z.string(),
  status: z.enum(FOLLOW_UP_STATUSES),
  endDate: z.string(),
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
