// Screening sweeps (摸排): questionnaires kept as versioned data, campaigns under a command that put
// each target on one grid's list household by household, seconded cadres paired with grids, visits
// and their answers, and progress per node from counters. The shapes of the routes, written before
// the server and the pages so both build against them.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { isRealDate } from '../validators.js';
import { idNumberInput, phoneInput } from './people.js';
import { abilities, listOf, recordId, recordIdParam } from './shared.js';
import {
  POPULATION_KINDS,
  QUESTION_TYPES,
  QUESTIONNAIRE_LIMITS as QL,
  RISK_LEVELS,
  RULE_OPS,
  SWEEP_STATUSES,
  TARGET_STATUSES,
  VISIT_OUTCOMES,
} from './screening-codes.js';
export * from './screening-codes.js';

const text = (max: number) => z.string().trim().max(max);
const day = z.string().refine(isRealDate, 'a real date as YYYY-MM-DD');
const ref = z.object({ id: z.number().int(), name: z.string() });
const label = z.strictObject({ zh: text(QL.labelChars).min(1), en: text(QL.labelChars).min(1) });
const key = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a key of lower-case letters, digits and _');

export const questionInput = z.strictObject({
  key,
  type: z.enum(QUESTION_TYPES),
  label,
  required: z.boolean().default(false),
  options: z
    .array(z.strictObject({ value: key, label }))
    .max(QL.options)
    .optional(),
  unit: text(20).optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  showIf: z.strictObject({ key, equals: z.union([z.string().max(40), z.boolean()]) }).optional(),
});
export const riskRuleInput = z.strictObject({
  level: z.enum(['medium', 'high']),
  when: z
    .array(
      z.strictObject({
        key,
        op: z.enum(RULE_OPS),
        value: z.union([z.string().max(40), z.number(), z.boolean()]),
      }),
    )
    .min(1)
    .max(QL.conditions),
});
export const questionnaireDefinition = z.strictObject({
  questions: z.array(questionInput).min(1).max(QL.questions),
  riskRules: z.array(riskRuleInput).max(QL.rules).default([]),
});
/** A new questionnaire, or a new version of one (same code): answers keep the version they were given under. */
export const createQuestionnaireBody = z.strictObject({
  code: key,
  title: label,
  definition: questionnaireDefinition,
});
export type CreateQuestionnaireInput = z.input<typeof createQuestionnaireBody>;

export const questionnaireView = z.object({
  id: z.number().int(),
  code: z.string(),
  version: z.number().int(),
  title: z.object({ zh: z.string(), en: z.string() }),
  definition: z.object({
    questions: z.array(z.any()),
    riskRules: z.array(z.any()),
  }),
  createdAt: z.string(),
});
export type QuestionnaireView = z.infer<typeof questionnaireView>;
/** The newest version of each questionnaire. */
export const questionnaireList = listOf(questionnaireView.omit({ definition: true }));

export const populationInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('floating') }),
  z.strictObject({ kind: z.literal('arrivals'), since: day }),
  z.strictObject({ kind: z.literal('tag'), tag: z.string().min(1).max(40) }),
]);
export const createSweepBody = z.strictObject({
  name: text(LIMITS.name).min(1),
  commandId: recordId,
  questionnaireId: recordId,
  /** The subtree swept: the district, a town, a village. */
  nodeId: recordId,
  population: populationInput,
  deadline: day,
});
export type CreateSweepInput = z.input<typeof createSweepBody>;

export const sweepView = z.object({
  id: z.number().int(),
  name: z.string(),
  node: ref,
  command: ref,
  questionnaire: z.object({
    id: z.number().int(),
    code: z.string(),
    version: z.number().int(),
    title: z.string(),
  }),
  population: z.object({
    kind: z.enum(POPULATION_KINDS),
    since: z.string().nullable(),
    tag: z.string().nullable(),
  }),
  deadline: z.string(),
  status: z.enum(SWEEP_STATUSES),
  /** Targets and finished visits at the caller's place (the sweep's root for those above it). */
  done: z.number().int(),
  targets: z.number().int(),
  /** Grids the caller works in this sweep: their own or those they are paired with. */
  myGrids: z.array(ref),
  createdAt: z.string(),
  abilities: abilities('manage', 'export', 'close'),
});
export type SweepView = z.infer<typeof sweepView>;
export const sweepList = listOf(sweepView);
export const listSweepsQuery = z.strictObject({ status: z.enum(SWEEP_STATUSES).optional() });

export const progressQuery = z.strictObject({ node: recordIdParam.optional() });
export const progressLine = z.object({
  nodeId: z.number().int(),
  name: z.string(),
  done: z.number().int(),
  targets: z.number().int(),
});
export const sweepProgress = z.object({
  nodeId: z.number().int(),
  name: z.string(),
  /** The node's level: at a grid the page shows its list and its pairings. */
  level: z.string(),
  done: z.number().int(),
  targets: z.number().int(),
  /** High-risk answers found at or below the node. */
  high: z.number().int(),
  children: z.array(progressLine),
  /** The grids below the node furthest behind (lowest share done), at most ten. */
  laggards: z.array(progressLine),
});
export type SweepProgress = z.infer<typeof sweepProgress>;

export const sweepListQuery = z.strictObject({ node: recordIdParam.optional() });
export const targetView = z.object({
  id: z.number().int(),
  person: z.object({
    id: z.number().int(),
    name: z.string(),
    idNumberMasked: z.string().nullable(),
    gender: z.string().nullable(),
    birthDate: z.string().nullable(),
  }),
  status: z.enum(TARGET_STATUSES),
  risk: z.enum(RISK_LEVELS).nullable(),
  visits: z.number().int(),
  visitedAt: z.string().nullable(),
  /** Found on the spot, not in the registry before the sweep. */
  found: z.boolean(),
  /** Whether the caller may order home observation for them (observations.manage at their place). */
  observe: z.boolean(),
});
export type TargetView = z.infer<typeof targetView>;
/** One grid's list, household by household (people without a household each on their own). */
export const gridList = z.object({
  node: ref,
  done: z.number().int(),
  targets: z.number().int(),
  households: z.array(
    z.object({
      householdId: z.number().int().nullable(),
      address: z.string().nullable(),
      targets: z.array(targetView),
    }),
  ),
  /** May record visits here (the grid's own workers, the seconded cadres paired with it). */
  visit: z.boolean(),
  questionnaire: questionnaireView,
});
export type GridList = z.infer<typeof gridList>;

const answerValue = z.union([
  z.boolean(),
  z.number().finite(),
  z.string().max(QL.textChars),
  z.array(z.string().max(40)).max(QL.options),
]);
export const answersInput = z
  .record(key, answerValue)
  .refine((a) => Object.keys(a).length <= QL.questions, 'too many answers');
export const visitBody = z.strictObject({
  outcome: z.enum(VISIT_OUTCOMES),
  /** Required for `answered`, refused otherwise. */
  answers: answersInput.optional(),
  note: text(LIMITS.reason).nullable().optional(),
});
export type VisitInput = z.input<typeof visitBody>;
export const targetParams = z.strictObject({ id: recordIdParam, targetId: recordIdParam });
export const visitResult = z.object({
  target: targetView,
  done: z.number().int(),
  targets: z.number().int(),
});
export type VisitResult = z.infer<typeof visitResult>;

/** A person met on the spot who is not on the list: added to the registry once (by ID) and to the grid's list. */
export const foundBody = z.strictObject({
  gridId: recordId,
  name: text(LIMITS.name).min(1),
  idNumber: idNumberInput,
  phone: phoneInput.nullable().optional(),
  address: text(200).nullable().optional(),
  householdId: recordId.nullable().optional(),
});
export type FoundInput = z.input<typeof foundBody>;
export const foundResult = z.object({
  target: targetView,
  /** A new record in the registry (false: the ID was registered already). */
  registered: z.boolean(),
});

export const pairingBody = z.strictObject({ gridId: recordId, userId: recordId });
export const pairingView = z.object({ grid: ref, user: ref.extend({ node: z.string() }) });
export const pairingList = listOf(pairingView);
export const pairingQuery = z.strictObject({ node: recordIdParam.optional() });
export const helperCandidatesQuery = z.strictObject({ gridId: recordIdParam });
export const helperCandidates = listOf(
  z.object({ userId: z.number().int(), name: z.string(), node: z.string() }),
);
export const exportQuery = z.strictObject({ node: recordIdParam.optional() });
export const pairingParams = z.strictObject({
  id: recordIdParam,
  gridId: recordIdParam,
  userId: recordIdParam,
});

/** A sweep of the people a workbook lists (multipart: these fields and the file). */
export const sweepListFields = z.strictObject({
  name: text(LIMITS.name).min(1),
  commandId: recordIdParam,
  questionnaireId: recordIdParam,
  nodeId: recordIdParam,
  deadline: day,
});
export const sweepListResult = z.object({
  sweep: sweepView,
  /** Data rows read. */
  rows: z.number().int(),
  /** People of the place found by their ID numbers: the sweep's targets. */
  matched: z.number().int(),
  /** Rows whose number is not registered in the place (the first thousand): added on the spot when met. */
  unmatchedRows: z.array(z.number().int()),
});
export type SweepListResult = z.infer<typeof sweepListResult>;
