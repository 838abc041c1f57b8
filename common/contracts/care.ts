// Psychological care (心理关爱): scales as data, one-time links filled without an account, urgent
// alerts from the crisis rules, counsellors' caseloads and contacts, statistics. Answers are health
// data: only counsellors in scope read them (counselling.read); the village sees that an alert exists.
import { z } from 'zod';
import {
  ALERT_STATUSES,
  CASE_STATUSES,
  CONTACT_KINDS,
  CRISIS_KINDS,
  LINK_STATES,
  REFERRAL_KINDS,
  RISK_LEVELS,
  SCALE_LIMITS,
  SCALE_LINK_MAX_HOURS,
} from './care-codes.js';
import { abilities, listOf, pageQuery, paged, recordId, recordIdParam, shownCount } from './shared.js';

export * from './care-codes.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const day = z.iso.date();
const label = z.strictObject({ zh: text(SCALE_LIMITS.labelChars), en: text(SCALE_LIMITS.labelChars) });
const score = z.number().int().min(0).max(100);
const option = z.strictObject({ value: score, label, loinc: z.string().max(20).optional() });
const itemKey = z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, 'letters, digits, _ or -');

export const scaleDefinition = z.strictObject({
  intro: label,
  options: z.array(option).min(2).max(SCALE_LIMITS.options),
  items: z
    .array(
      z.strictObject({
        key: itemKey,
        label,
        loinc: z.string().max(20).optional(),
        scored: z.boolean(),
        options: z.array(option).min(2).max(SCALE_LIMITS.options).optional(),
      }),
    )
    .min(1)
    .max(SCALE_LIMITS.items),
  bands: z
    .array(
      z.strictObject({ code: itemKey, min: z.number().int().min(0), max: z.number().int().min(0), label }),
    )
    .min(1)
    .max(SCALE_LIMITS.bands),
  crisis: z
    .array(
      z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('item'), key: itemKey, atLeast: score }),
        z.strictObject({ kind: z.literal('band'), code: itemKey }),
      ]),
    )
    .max(SCALE_LIMITS.items),
});
export const scaleCode = z.string().regex(/^[A-Za-z0-9-]{2,20}$/, 'letters, digits and -');
export const scaleCodeParam = z.strictObject({ code: scaleCode });

export const createScaleBody = z.strictObject({
  code: scaleCode,
  title: label,
  loinc: z.string().max(20).optional(),
  totalLoinc: z.string().max(20).optional(),
  definition: scaleDefinition,
});
export type CreateScaleBody = z.infer<typeof createScaleBody>;

export const scaleView = z.object({
  code: z.string(),
  title: z.object({ zh: z.string(), en: z.string() }),
  loinc: z.string().nullable(),
  totalLoinc: z.string().nullable(),
  builtin: z.boolean(),
  itemCount: z.number().int(),
  maxTotal: z.number().int(),
  definition: scaleDefinition,
});
export type ScaleView = z.infer<typeof scaleView>;
export const scaleList = listOf(scaleView);

/** FHIR resources as JSON: their shape is FHIR R4's, checked against its schema in the tests. */
export const fhirResource = z.record(z.string(), z.unknown());

// ------------------------------------------------------------------ links
export const createLinkBody = z.strictObject({
  personId: recordId,
  /** How long the link may be opened; 72 hours unless said. */
  hours: z.number().int().min(1).max(SCALE_LINK_MAX_HOURS).optional(),
});
export const linkCreated = z.object({
  id: z.number().int(),
  token: z.string(),
  url: z.string(),
  expiresAt: z.string(),
});
export type LinkCreated = z.infer<typeof linkCreated>;

const personRef = z.object({
  id: z.number().int(),
  name: z.string(),
  idNumberMasked: z.string().nullable(),
  phoneMasked: z.string().nullable(),
});
const nodeRef = z.object({ id: z.number().int(), name: z.string() });
const userRef = z.object({ id: z.number().int(), name: z.string() });

export const linkView = z.object({
  id: z.number().int(),
  scale: z.string(),
  person: personRef,
  state: z.enum(LINK_STATES),
  sentBy: userRef,
  sentAt: z.string(),
  expiresAt: z.string(),
  submittedAt: z.string().nullable(),
});
export type LinkView = z.infer<typeof linkView>;
export const linksQuery = z.strictObject({ personId: recordIdParam.optional() });
export const linkList = listOf(linkView);

// ------------------------------------------------------------------ the public page
export const scaleTokenParam = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
const answers = z.array(score.nullable()).max(SCALE_LIMITS.items);
export const draftBody = z.strictObject({ answers });
export const submitBody = z.strictObject({ answers });
export const publicScale = z.object({
  code: z.string(),
  title: z.object({ zh: z.string(), en: z.string() }),
  definition: scaleDefinition,
  /** The person's given name as the sender's registry has it, masked: "王*明". */
  greeting: z.string(),
  expiresAt: z.string(),
  /** What was answered before the page was closed. */
  draft: answers.nullable(),
});
export type PublicScale = z.infer<typeof publicScale>;
export const draftSaved = z.object({ savedAt: z.string() });
export const submitResult = z.object({ total: z.number().int(), band: z.string() });

// ------------------------------------------------------------------ responses and alerts
export const crisisReason = z.object({
  kind: z.enum(CRISIS_KINDS),
  key: z.string().optional(),
  value: z.number().int().optional(),
  band: z.string().optional(),
});
export const answeredItem = z.object({
  key: z.string(),
  label: z.object({ zh: z.string(), en: z.string() }),
  value: z.number().int().nullable(),
  answer: z.object({ zh: z.string(), en: z.string() }).nullable(),
  scored: z.boolean(),
});
export const responseView = z.object({
  id: z.number().int(),
  scale: z.string(),
  person: personRef,
  node: nodeRef,
  total: z.number().int(),
  maxTotal: z.number().int(),
  band: z.object({ code: z.string(), label: z.object({ zh: z.string(), en: z.string() }) }),
  crisis: z.array(crisisReason),
  submittedAt: z.string(),
  items: z.array(answeredItem),
});
export type ResponseView = z.infer<typeof responseView>;

export const alertView = z.object({
  id: z.number().int(),
  person: personRef,
  node: nodeRef,
  status: z.enum(ALERT_STATUSES),
  raisedAt: z.string(),
  /** Acknowledged by then, or it escalates to the place above. */
  ackBy: z.string(),
  escalatedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: userRef.nullable(),
  caseId: z.number().int().nullable(),
  /** Counsellors only: the scale, the total, and the answers that raised it. Null for the village's view. */
  detail: z
    .object({
      responseId: z.number().int(),
      scale: z.string(),
      total: z.number().int(),
      band: z.object({ code: z.string(), label: z.object({ zh: z.string(), en: z.string() }) }),
      reasons: z.array(crisisReason),
      triggers: z.array(answeredItem),
    })
    .nullable(),
  abilities: abilities('acknowledge'),
});
export type AlertView = z.infer<typeof alertView>;
export const alertList = listOf(alertView);
export const acknowledgeBody = z.strictObject({});

// ------------------------------------------------------------------ caseloads
export const contactView = z.object({
  id: z.number().int(),
  kind: z.enum(CONTACT_KINDS),
  at: z.string(),
  note: z.string(),
  by: userRef,
});
export const caseSummary = z.object({
  id: z.number().int(),
  person: personRef,
  node: nodeRef,
  counsellor: userRef,
  status: z.enum(CASE_STATUSES),
  risk: z.enum(RISK_LEVELS),
  nextContactOn: z.string().nullable(),
  lastContactAt: z.string().nullable(),
  openAlerts: z.number().int(),
  openedAt: z.string(),
});
export type CaseSummary = z.infer<typeof caseSummary>;
export const caseView = caseSummary.extend({
  referral: z.object({ kind: z.enum(REFERRAL_KINDS), note: z.string(), at: z.string() }).nullable(),
  closedAt: z.string().nullable(),
  contacts: z.array(contactView),
  responses: z.array(
    z.object({
      id: z.number().int(),
      scale: z.string(),
      total: z.number().int(),
      band: z.object({ code: z.string(), label: z.object({ zh: z.string(), en: z.string() }) }),
      crisis: z.boolean(),
      submittedAt: z.string(),
    }),
  ),
  abilities: abilities('contact', 'update', 'refer', 'close', 'sendScale'),
});
export type CaseView = z.infer<typeof caseView>;
export const casesQuery = z.strictObject({
  status: z.enum(CASE_STATUSES).optional(),
  /** Only those with a contact due on or before today. */
  due: z.enum(['1']).optional(),
  node: recordIdParam.optional(),
  ...pageQuery,
});
export const casesPage = paged(caseSummary);
export const openCaseBody = z.strictObject({ personId: recordId });
export const contactBody = z.strictObject({
  kind: z.enum(CONTACT_KINDS),
  note: text(2000),
  nextContactOn: day.optional(),
  risk: z.enum(RISK_LEVELS).optional(),
});
export type ContactBody = z.infer<typeof contactBody>;
export const updateCaseBody = z
  .strictObject({ risk: z.enum(RISK_LEVELS).optional(), nextContactOn: day.nullable().optional() })
  .refine((b) => b.risk !== undefined || b.nextContactOn !== undefined, { message: 'nothing to change' });
export const referBody = z.strictObject({ kind: z.enum(REFERRAL_KINDS), note: text(1000) });
export const closeCaseBody = z.strictObject({ note: text(1000) });

/** Whom a counsellor may reach: people in home observation in scope, their caseload, those sent a scale. */
export const carePeopleQuery = z.strictObject({ q: z.string().trim().max(40).optional() });
export const carePerson = personRef.extend({
  node: nodeRef,
  inObservation: z.boolean(),
  caseId: z.number().int().nullable(),
  /** The latest scale sent: its state only (never the answers). */
  lastLink: z.object({ scale: z.string(), state: z.enum(LINK_STATES), sentAt: z.string() }).nullable(),
});
export type CarePerson = z.infer<typeof carePerson>;
export const carePeople = listOf(carePerson);

// ------------------------------------------------------------------ statistics
export const careStatsQuery = z.strictObject({ node: recordIdParam.optional() });
const figures = z.object({
  sent: shownCount,
  submitted: shownCount,
  crisis: shownCount,
  openAlerts: shownCount,
  openCases: shownCount,
});
export const careStats = z.object({
  node: nodeRef.extend({ level: z.string() }),
  totals: figures,
  children: z.array(nodeRef.extend({ level: z.string(), figures })),
});
export type CareStats = z.infer<typeof careStats>;
