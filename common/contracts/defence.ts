// Joint defence (治安联防) contracts: checkpoints, duty rosters and passage registration. For now the
// pieces the pure core needs, and the request and response shapes of the checkpoints and rosters routes.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { parsePlate, PLATE_KINDS } from '../validators.js';
import { abilities, recordId, recordIdParam } from './shared.js';

export { PLATE_KINDS, type PlateKind } from '../validators.js';

/**
 * A vehicle plate as typed at a roadside: normalised (upper case, no spaces or middle dot) or refused
 * with a `plate.*` issue code and its parameters. A request's field `plate: plateInput` answers 400
 * naming `plate`.
 */
export const plateInput = z
  .string()
  .max(20)
  .transform((v, ctx) => {
    const r = parsePlate(v);
    if (!r.ok) {
      ctx.addIssue(
        r.params
          ? { code: 'custom', message: r.reason, params: r.params }
          : { code: 'custom', message: r.reason },
      );
      return z.NEVER;
    }
    return r.value.value;
  });

export const plateKind = z.enum(PLATE_KINDS);

/** What a checkpoint stands at (expressway exit, road, village entrance, compound gate, other). */
export const CHECKPOINT_TYPES = [
  'expressway_exit',
  'road',
  'village_entrance',
  'compound_gate',
  'other',
] as const;
export type CheckpointType = (typeof CHECKPOINT_TYPES)[number];
/** Open registers passages; suspended keeps its roster but stops; closed ends it. */
export const CHECKPOINT_STATUSES = ['open', 'suspended', 'closed'] as const;
export type CheckpointStatus = (typeof CHECKPOINT_STATUSES)[number];
/** Who a person stands a shift as. */
export const SHIFT_ROLES = ['police', 'cadre', 'grid_worker', 'party_member', 'volunteer', 'other'] as const;
export type ShiftRole = (typeof SHIFT_ROLES)[number];

// ------------------------------------------------------------------ the routes' shapes
const text = (max: number) => z.string().trim().max(max);
const instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());
const ref = z.object({ id: z.number().int(), name: z.string() });
const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);
/** No post is stood by more than this many people at once. */
export const STAFF_PER_SHIFT_MAX = 50;
const staffPerShift = z.number().int().min(1).max(STAFF_PER_SHIFT_MAX);

export const checkpoint = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(CHECKPOINT_TYPES),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  node: ref,
  commandId: z.number().int().nullable(),
  status: z.enum(CHECKPOINT_STATUSES),
  statusFrom: z.string(),
  staffPerShift: z.number().int(),
  lead: ref.nullable(),
  abilities: abilities('update', 'roster'),
});
export type CheckpointView = z.infer<typeof checkpoint>;

export const listCheckpointsQuery = z.strictObject({
  node: recordIdParam.optional(),
  command: recordIdParam.optional(),
  status: z.enum(CHECKPOINT_STATUSES).optional(),
});
export const createCheckpointBody = z.strictObject({
  name: text(LIMITS.name).min(1),
  type: z.enum(CHECKPOINT_TYPES),
  nodeId: recordId,
  lat: lat.nullable().optional(),
  lng: lng.nullable().optional(),
  commandId: recordId.nullable().optional(),
  status: z.enum(CHECKPOINT_STATUSES).optional(),
  staffPerShift,
  leadUserId: recordId.nullable().optional(),
});
export type CreateCheckpointBody = z.infer<typeof createCheckpointBody>;
export const updateCheckpointBody = z
  .strictObject({
    name: text(LIMITS.name).min(1).optional(),
    type: z.enum(CHECKPOINT_TYPES).optional(),
    nodeId: recordId.optional(),
    lat: lat.nullable().optional(),
    lng: lng.nullable().optional(),
    commandId: recordId.nullable().optional(),
    status: z.enum(CHECKPOINT_STATUSES).optional(),
    staffPerShift: staffPerShift.optional(),
    leadUserId: recordId.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'issue.nothing_to_change');
export type UpdateCheckpointBody = z.infer<typeof updateCheckpointBody>;

/** Open, suspend or close checkpoints of a command at once: those named, or all of the command's. */
export const commandCheckpointStatusBody = z.strictObject({
  status: z.enum(CHECKPOINT_STATUSES),
  from: instant.optional(),
  checkpointIds: z.array(recordId).min(1).max(2000).optional(),
});

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');
export const shiftPattern = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('three_by_eight'), firstStart: clock.optional() }),
  z.strictObject({ kind: z.literal('two_by_twelve'), firstStart: clock.optional() }),
  z.strictObject({
    kind: z.literal('custom'),
    slots: z
      .array(
        z.strictObject({
          start: clock,
          minutes: z.number().int().min(1).max(1440),
          required: staffPerShift.optional(),
        }),
      )
      .min(1)
      .max(24),
  }),
]);
export const patternBody = z.strictObject({ pattern: shiftPattern });
export const generateShiftsBody = z.strictObject({ from: z.iso.date(), to: z.iso.date() });
export const generateShiftsResponse = z.object({ added: z.number().int(), total: z.number().int() });

export const coverageQuery = z.strictObject({
  checkpointId: recordIdParam.optional(),
  node: recordIdParam.optional(),
  from: instant,
  to: instant,
});
export const shiftView = z.object({
  id: z.number().int(),
  checkpointId: z.number().int(),
  checkpointName: z.string(),
  day: z.string(),
  slot: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  required: z.number().int(),
  assigned: z.number().int(),
  status: z.enum(['covered', 'understaffed', 'uncovered']),
  noShows: z.array(z.number().int()),
  people: z.array(
    z.object({
      userId: z.number().int(),
      name: z.string(),
      role: z.string(),
      checkedInAt: z.string().nullable(),
      checkedOutAt: z.string().nullable(),
    }),
  ),
});
export const coverageResponse = z.object({
  items: z.array(shiftView),
  uncoveredAhead: z.number().int(),
  understaffedAhead: z.number().int(),
  noShowsNow: z.number().int(),
});
export type CoverageResponse = z.infer<typeof coverageResponse>;

export const assignBody = z.strictObject({ userId: recordId, role: z.enum(SHIFT_ROLES) });
export const shiftAssignment = z.object({
  shiftId: z.number().int(),
  userId: z.number().int(),
  role: z.enum(SHIFT_ROLES),
});
export const shiftUserParams = z.strictObject({ id: recordIdParam, userId: recordIdParam });
/** Where the person stands when checking in or out (optional: a phone without a fix still checks in). */
export const shiftPlaceBody = z.strictObject({
  lat: lat.nullable().optional(),
  lng: lng.nullable().optional(),
});
export const checkInResponse = z.object({ checkedInAt: z.string(), minutesFromStart: z.number() });
export const checkOutResponse = z.object({ checkedOutAt: z.string() });

// ------------------------------------------------------------------ my shifts
/** Why the caller cannot check in now (roster.ts's reasons, or already in). */
export const CHECK_IN_REFUSALS = ['shift.too_early', 'shift.too_late', 'shift.checked_in'] as const;
export const myShift = z.object({
  id: z.number().int(),
  checkpoint: z.object({
    id: z.number().int(),
    name: z.string(),
    type: z.enum(CHECKPOINT_TYPES),
    status: z.enum(CHECKPOINT_STATUSES),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    node: ref,
  }),
  day: z.string(),
  slot: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  role: z.enum(SHIFT_ROLES),
  checkedInAt: z.string().nullable(),
  checkedOutAt: z.string().nullable(),
  /** The check-in window around the start. */
  checkInOpensAt: z.string(),
  checkInClosesAt: z.string(),
  canCheckIn: z.boolean(),
  /** Why not, with the local times to show (a message code of common/messages/issues.ts). */
  checkInRefusal: z
    .object({ code: z.enum(CHECK_IN_REFUSALS), params: z.record(z.string(), z.string()) })
    .nullable(),
  canCheckOut: z.boolean(),
  /** A swap request of the caller's for this shift waiting for the lead. */
  pendingSwapId: z.number().int().nullable(),
});
export type MyShift = z.infer<typeof myShift>;
export const myShiftsResponse = z.object({
  /** The shift running now or whose check-in window has opened (or one checked in and not out). */
  current: myShift.nullable(),
  /** Later shifts starting within the next 7 days. */
  upcoming: z.array(myShift),
  windowMinutes: z.number().int(),
});
export type MyShiftsResponse = z.infer<typeof myShiftsResponse>;

// ------------------------------------------------------------------ swap requests
export const SWAP_STATUSES = ['pending', 'approved', 'refused'] as const;
export type SwapStatus = (typeof SWAP_STATUSES)[number];
/**
 * Hand one's place on a shift to another account (`toUserId`), trade it for that account's shift
 * (`toShiftId`, at the same checkpoint), or open it up for the lead to fill (`toUserId: null`).
 */
export const swapRequestBody = z.strictObject({
  toUserId: recordId.nullable(),
  toShiftId: recordId.optional(),
  reason: text(LIMITS.reason).optional(),
});
export type SwapRequestBody = z.infer<typeof swapRequestBody>;
const swapShift = z.object({ id: z.number().int(), startsAt: z.string(), endsAt: z.string() });
export const swapView = z.object({
  id: z.number().int(),
  status: z.enum(SWAP_STATUSES),
  checkpoint: ref,
  shift: swapShift,
  from: ref,
  to: ref.nullable(),
  toShift: swapShift.nullable(),
  reason: z.string().nullable(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: ref.nullable(),
  note: z.string().nullable(),
  abilities: abilities('decide'),
});
export type SwapView = z.infer<typeof swapView>;
export const listSwapsQuery = z.strictObject({
  checkpointId: recordIdParam.optional(),
  node: recordIdParam.optional(),
  /** Only the caller's own: asked by them or offered to them. */
  mine: z.enum(['1', 'true']).optional(),
  status: z.enum(SWAP_STATUSES).optional(),
});
export const swapDecisionBody = z.strictObject({
  decision: z.enum(['approve', 'refuse']),
  note: text(LIMITS.reason).optional(),
});
