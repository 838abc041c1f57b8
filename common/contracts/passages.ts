// Passage registration at checkpoints (卡口登记), risk rules and hand-offs to the destination grid:
// the shapes of the passages routes. Written before the server and the page so both build against it.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { idNumberInput, NO_ID_REASONS, phoneInput } from './people.js';
import { plateInput } from './defence.js';
import { abilities, listOf, pageQuery, paged, recordId, recordIdParam } from './shared.js';

const text = (max: number) => z.string().trim().max(max);
const instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

export const PASSAGE_DIRECTIONS = ['in', 'out'] as const;
export type PassageDirection = (typeof PASSAGE_DIRECTIONS)[number];
export const VEHICLE_TYPES = [
  'car',
  'van',
  'truck',
  'bus',
  'motorcycle',
  'bicycle',
  'on_foot',
  'other',
] as const;
export type VehicleType = (typeof VEHICLE_TYPES)[number];
/** Why a traveller is risky, as codes (message `passage.risk.<code>`). */
export const RISK_REASONS = ['key_region', 'case_contact', 'fever', 'origin_key_region'] as const;
export type RiskReason = (typeof RISK_REASONS)[number];
/** A hand-off's life: open until the grid worker visits; overdue ones are escalated once. */
export const HANDOFF_STATES = ['open', 'visited', 'closed'] as const;
export type HandoffState = (typeof HANDOFF_STATES)[number];

/**
 * A region of China by its GB/T 2260 six-digit code (330185 is Lin'an district): where a traveller
 * comes from, or goes to outside the district. `GET /api/regions?q=` finds one by name, pinyin or code.
 */
export const regionCode = z.string().regex(/^[1-9]\d{5}$/, 'a six-digit region code (GB/T 2260)');
export const regionView = z.object({
  code: z.string(),
  name: z.string(),
  /** The names above it, province first: ['浙江省', '杭州市']. */
  parents: z.array(z.string()),
  /** district: inside the district running this instance; province: elsewhere in its province; outside. */
  scope: z.enum(['district', 'province', 'outside']),
});
export type RegionView = z.infer<typeof regionView>;
export const regionsQuery = z.strictObject({
  q: text(LIMITS.search).min(1),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** The screening questions a command requires, answered for one traveller (or for all aboard). */
export const screeningAnswers = z.strictObject({
  /** Came from (or through) a key region in the last 14 days. */
  keyRegion14d: z.boolean().optional(),
  /** Close contact with a confirmed case. */
  caseContact: z.boolean().optional(),
  /** Body temperature in °C as measured at the checkpoint. */
  temperature: z.number().min(30).max(45).optional(),
});
export type ScreeningAnswers = z.infer<typeof screeningAnswers>;

export const passagePersonInput = z.strictObject({
  name: text(LIMITS.name).min(1),
  idNumber: idNumberInput.nullable().optional(),
  /** Why no ID number was taken; `not_collected` when neither is given. */
  noIdReason: z.enum(NO_ID_REASONS).nullable().optional(),
  phone: phoneInput.nullable().optional(),
  /** This traveller's own answers; the passage's `answers` apply where one is missing. */
  answers: screeningAnswers.optional(),
  /**
   * From `GET /api/passages/recall`: registers the traveller recalled there with their ID number and
   * phone as stored, without the page ever holding them. An `idNumber` or `phone` given wins.
   * Bound to the user it was issued to; a token that does not verify is a 400 on this field.
   */
  recallToken: z.string().max(200).optional(),
});
export type PassagePersonInput = z.infer<typeof passagePersonInput>;

/** `POST /api/passages`, sent with an `Idempotency-Key` header (8–64 of A–Z a–z 0–9 _ -). */
export const createPassageBody = z
  .strictObject({
    checkpointId: recordId,
    direction: z.enum(PASSAGE_DIRECTIONS),
    plate: plateInput.nullable().optional(),
    vehicleType: z.enum(VEHICLE_TYPES).nullable().optional(),
    people: z.array(passagePersonInput).min(1).max(60),
    originRegion: regionCode.nullable().optional(),
    /** A node in the district (a grid, or a place above one) … */
    destinationNodeId: recordId.nullable().optional(),
    /** … or a region outside it. */
    destinationRegion: regionCode.nullable().optional(),
    purpose: text(200).nullable().optional(),
    answers: screeningAnswers.optional(),
    /** When it happened, for an entry kept on the phone while offline (at most a day back). */
    registeredAt: instant.optional(),
  })
  .refine((b) => !(b.destinationNodeId && b.destinationRegion), {
    message: 'passage.destination_one_of',
    path: ['destinationRegion'],
  });
export type CreatePassageBody = z.infer<typeof createPassageBody>;
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;

export const passagePerson = z.object({
  id: z.number().int(),
  name: z.string(),
  /** Masked: 330112********123X. */
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  noIdReason: z.enum(NO_ID_REASONS).nullable(),
  /** The registry's person this traveller was linked to by the blind index, when one exists. */
  personId: z.number().int().nullable(),
  risky: z.boolean(),
  reasons: z.array(z.enum(RISK_REASONS)),
  temperature: z.number().nullable(),
  handoffId: z.number().int().nullable(),
});
export type PassagePersonView = z.infer<typeof passagePerson>;

const ref = z.object({ id: z.number().int(), name: z.string() });
export const passageView = z.object({
  id: z.number().int(),
  checkpoint: ref,
  direction: z.enum(PASSAGE_DIRECTIONS),
  plate: z.string().nullable(),
  vehicleType: z.enum(VEHICLE_TYPES).nullable(),
  registeredAt: z.string(),
  registeredBy: ref,
  originRegion: regionView.nullable(),
  destinationNode: ref.nullable(),
  destinationRegion: regionView.nullable(),
  purpose: z.string().nullable(),
  risky: z.boolean(),
  people: z.array(passagePerson),
  /** The checkpoint's incident command when registered, whose risk rules applied. */
  commandId: z.number().int().nullable(),
});
export type PassageView = z.infer<typeof passageView>;

export const listPassagesQuery = z.strictObject({
  plate: text(20).optional(),
  /** A whole ID number, matched through the blind index. */
  idNumber: idNumberInput.optional(),
  /** A name prefix. */
  name: text(LIMITS.name).optional(),
  checkpointId: recordIdParam.optional(),
  node: recordIdParam.optional(),
  direction: z.enum(PASSAGE_DIRECTIONS).optional(),
  risky: z.enum(['true', 'false']).optional(),
  from: instant.optional(),
  to: instant.optional(),
  ...pageQuery,
});

/** What a plate or an ID number seen before fills in (`GET /api/passages/recall?plate=|idNumber=`). */
export const recallQuery = z.strictObject({
  plate: text(20).optional(),
  idNumber: idNumberInput.optional(),
});
export const recallResponse = z.object({
  vehicleType: z.enum(VEHICLE_TYPES).nullable(),
  /** Travellers last seen with this plate, or the one with this ID number; masked. */
  people: z.array(
    z.object({
      name: z.string(),
      idNumber: z.string().nullable(),
      phone: z.string().nullable(),
      /** Pass back instead of the number to register the same traveller without revealing it. */
      recallToken: z.string(),
    }),
  ),
  originRegion: regionView.nullable(),
  destinationNode: ref.nullable(),
});

/** Per command: which regions are key, which answers make a traveller risky, and the fever line. */
export const riskRulesBody = z.strictObject({
  keyRegions: z.array(regionCode).max(500),
  keyRegion14dRisky: z.boolean().default(true),
  caseContactRisky: z.boolean().default(true),
  feverAt: z.number().min(36).max(42).default(37.3),
  /** Hours the destination grid's worker has to visit and screen. */
  handoffHours: z.number().int().min(1).max(168).default(24),
  /** Days passages are kept after the command closes. */
  retentionDays: z.number().int().min(1).max(3650).default(28),
});
export type RiskRules = z.infer<typeof riskRulesBody>;
export const riskRulesView = riskRulesBody.extend({ commandId: z.number().int(), updatedAt: z.string() });

export const handoffView = z.object({
  id: z.number().int(),
  state: z.enum(HANDOFF_STATES),
  passageId: z.number().int(),
  person: passagePerson,
  checkpoint: ref,
  node: ref,
  dueAt: z.string(),
  overdue: z.boolean(),
  escalated: z.boolean(),
  createdAt: z.string(),
  /** `observe`: the traveller is in the registry and the caller may order home observation for them there. */
  abilities: abilities('visit', 'close', 'observe'),
});
export type HandoffView = z.infer<typeof handoffView>;
export const handoffStepBody = z.strictObject({
  action: z.enum(['visit', 'close']),
  note: text(LIMITS.reason).nullable().optional(),
});

export const passageStatsQuery = z.strictObject({
  checkpointId: recordIdParam.optional(),
  node: recordIdParam.optional(),
  from: instant,
  to: instant,
  bucket: z.enum(['hour', 'day']).default('hour'),
});
export const passageStats = z.object({
  buckets: z.array(
    z.object({ at: z.string(), in: z.number().int(), out: z.number().int(), risky: z.number().int() }),
  ),
  total: z.number().int(),
  risky: z.number().int(),
});

/** Risky travellers bound outside the district, per region, for the border notice. */
export const outboundRiskQuery = z.strictObject({ command: recordIdParam, ...pageQuery });
export const outboundRiskResponse = paged(
  z.object({
    region: regionView,
    /** Risky travellers bound there, and the passages they were on. */
    travellers: z.number().int(),
    passages: z.number().int(),
    lastAt: z.string(),
  }),
);

export const regionsResponse = listOf(regionView);
export const passagesPage = paged(passageView);
/** The caller's open hand-offs (`GET /api/handoffs/tasks`), overdue first, then by due time. */
export const handoffTasks = listOf(handoffView);
export const listHandoffsQuery = z.strictObject({
  node: recordIdParam.optional(),
  state: z.enum(HANDOFF_STATES).optional(),
  ...pageQuery,
});
export const handoffsPage = paged(handoffView);
/** `GET /api/passages/export.xlsx`: the list's filters; always masked. */
export const exportPassagesQuery = listPassagesQuery.omit({ page: true, pageSize: true });
