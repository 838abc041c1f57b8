// Joint mediation and micro courts (矛盾联调): mediation organisations and mediators, cases from intake
// to a signed agreement, sessions and caucus messages, judicial confirmation, cloud hearings at
// micro-court points, follow-up visits and statistics. The shapes of the routes, written before the
// server and the pages so both build against them.
import { z } from 'zod';
import { isRealDate } from '../validators.js';
import { idNumberInput, phoneInput } from './people.js';
import { abilities, listOf, pageQuery, paged, recordId, recordIdParam } from './shared.js';
import {
  AGREEMENT_STATES,
  CASE_SOURCES,
  CASE_STATES,
  CONFIRMATION_MATERIALS,
  CONFIRMATION_STATES,
  CONSENTS,
  DISPUTE_TYPES,
  FAILURE_ROUTES,
  HEARING_PLACES,
  HEARING_STATES,
  MEDIATION_LIMITS as ML,
  ORG_KINDS,
  PARTY_KINDS,
  PARTY_SIDES,
  PERFORMANCE,
  SESSION_KINDS,
  SESSION_MODES,
  SESSION_STATES,
  SIGN_METHODS,
  UNCONFIRMABLE,
} from './mediation-codes.js';
export * from './mediation-codes.js';

const text = (max: number) => z.string().trim().max(max);
const name = text(ML.nameChars).min(1);
const day = z.string().refine(isRealDate, 'a real date as YYYY-MM-DD');
const instant = z.iso.datetime({ offset: true });
const ref = z.object({ id: z.number().int(), name: z.string() });
/** A one-time or party link's token: 43 base64url characters (32 random bytes). */
export const tokenParam = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

// ---- organisations and mediators ----
export const orgView = z.object({
  id: z.number().int(),
  kind: z.enum(ORG_KINDS),
  name: z.string(),
  node: ref,
  address: z.string().nullable(),
  equipment: z.string().nullable(),
  hours: z.string().nullable(),
  inCharge: ref.nullable(),
  mediators: z.number().int(),
});
export type OrgView = z.infer<typeof orgView>;
export const orgList = listOf(orgView);
export const orgListQuery = z.strictObject({
  kind: z.enum(ORG_KINDS).optional(),
  node: recordIdParam.optional(),
});
export const createOrgBody = z.strictObject({
  kind: z.enum(ORG_KINDS),
  name,
  nodeId: recordId,
  address: text(200).nullable().default(null),
  equipment: text(200).nullable().default(null),
  hours: text(100).nullable().default(null),
  inChargeUserId: recordId.nullable().default(null),
});

export const mediatorView = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  name: z.string(),
  org: ref,
  node: ref,
  specialties: z.array(z.enum(DISPUTE_TYPES)),
  qualification: z.string().nullable(),
  profile: z.string().nullable(),
  /** Open cases in their hands. */
  load: z.number().int(),
});
export type MediatorView = z.infer<typeof mediatorView>;
/**
 * A mediator as the public (a party, a resident) reads them: who they are, where they serve, what
 * they mediate and how busy they are. No account id, no phone: the record's id is the only number.
 */
export const publicMediatorView = z.object({
  id: z.number().int(),
  name: z.string(),
  organisation: z.string(),
  /** The place the organisation serves. */
  area: z.string(),
  specialties: z.array(z.enum(DISPUTE_TYPES)),
  qualification: z.string().nullable(),
  profile: z.string().nullable(),
  /** Open cases in their hands. */
  load: z.number().int(),
});
export type PublicMediatorView = z.infer<typeof publicMediatorView>;
export const mediatorList = listOf(mediatorView);
export const createMediatorBody = z.strictObject({
  userId: recordId,
  orgId: recordId,
  specialties: z.array(z.enum(DISPUTE_TYPES)).max(DISPUTE_TYPES.length).default([]),
  qualification: text(200).nullable().default(null),
  profile: text(1000).nullable().default(null),
});
/** A suggested mediator for a case: why (specialty, area) and any conflict with a party. */
export const suggestionView = mediatorView.extend({
  specialtyMatch: z.boolean(),
  inArea: z.boolean(),
  conflict: z.boolean(),
});
export const suggestionList = listOf(suggestionView);

// ---- cases ----
export const partyInput = z.strictObject({
  side: z.enum(PARTY_SIDES),
  kind: z.enum(PARTY_KINDS).default('person'),
  name,
  idNumber: idNumberInput.nullable().default(null),
  phone: phoneInput.nullable().default(null),
  agent: text(ML.nameChars).nullable().default(null),
});
export type PartyInput = z.input<typeof partyInput>;
export const createCaseBody = z.strictObject({
  nodeId: recordId,
  source: z.enum(CASE_SOURCES),
  disputeType: z.enum(DISPUTE_TYPES),
  facts: text(ML.textChars).min(1),
  claims: text(ML.textChars).min(1),
  amountYuan: z.number().nonnegative().max(1e10).nullable().default(null),
  eventId: recordId.nullable().default(null),
  parties: z.array(partyInput).min(2).max(ML.partiesPerCase),
});
export type CreateCaseInput = z.input<typeof createCaseBody>;
/** A resident's own application (public form): they are the first applicant. */
export const applicationBody = z.strictObject({
  nodeId: recordId,
  disputeType: z.enum(DISPUTE_TYPES),
  facts: text(ML.textChars).min(1),
  claims: text(ML.textChars).min(1),
  applicant: partyInput.omit({ side: true, kind: true }).extend({
    idNumber: idNumberInput,
    phone: phoneInput,
  }),
  respondents: z
    .array(partyInput.omit({ side: true }))
    .min(1)
    .max(20),
  online: z.boolean().default(true),
});
export const applicationResult = z.object({
  caseId: z.number().int(),
  dossierNo: z.string(),
  /** The applicant's own link to follow the case (shown once). */
  partyToken: z.string(),
});

export const partyView = z.object({
  id: z.number().int(),
  side: z.enum(PARTY_SIDES),
  kind: z.enum(PARTY_KINDS),
  name: z.string(),
  idNumberMasked: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  agent: z.string().nullable(),
  consent: z.enum(CONSENTS),
  online: z.boolean(),
});
export type PartyView = z.infer<typeof partyView>;

export const caseSummary = z.object({
  id: z.number().int(),
  dossierNo: z.string(),
  status: z.enum(CASE_STATES),
  source: z.enum(CASE_SOURCES),
  disputeType: z.enum(DISPUTE_TYPES),
  node: ref,
  org: ref,
  mediator: ref.nullable(),
  applicants: z.number().int(),
  respondents: z.number().int(),
  /** The first applicant and respondent by name, for a list's line. */
  title: z.string(),
  amountYuan: z.number().nullable(),
  receivedAt: z.string(),
  concludedAt: z.string().nullable(),
  nextSessionAt: z.string().nullable(),
});
export type CaseSummary = z.infer<typeof caseSummary>;
export const caseList = paged(caseSummary);
export const caseListQuery = z.strictObject({
  node: recordIdParam.optional(),
  status: z.enum(CASE_STATES).optional(),
  mine: z.enum(['1']).optional(),
  ...pageQuery,
});

export const sessionView = z.object({
  id: z.number().int(),
  startsAt: z.string(),
  mode: z.enum(SESSION_MODES),
  kind: z.enum(SESSION_KINDS),
  point: ref.nullable(),
  meetingLink: z.string().nullable(),
  status: z.enum(SESSION_STATES),
  minutes: z
    .object({
      attendees: z.array(z.string()),
      facts: z.string(),
      positions: z.string(),
      result: z.string(),
    })
    .nullable(),
  attendance: z.array(z.number().int()),
});
export type SessionView = z.infer<typeof sessionView>;

export const evidenceView = z.object({
  id: z.number().int(),
  name: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  partyId: z.number().int().nullable(),
  createdAt: z.string(),
});
export type EvidenceView = z.infer<typeof evidenceView>;
export const messageView = z.object({
  id: z.number().int(),
  /** null: the mediator. */
  partyId: z.number().int().nullable(),
  author: z.string(),
  toAll: z.boolean(),
  body: z.string(),
  createdAt: z.string(),
});
export type MessageView = z.infer<typeof messageView>;

export const obligationInput = z.strictObject({
  /** The obliged party, by its id in the case. */
  partyId: recordId,
  what: text(500).min(1),
  amountYuan: z.number().nonnegative().max(1e10).nullable().default(null),
  manner: text(200).min(1),
  deadline: day,
});
export const draftAgreementBody = z.strictObject({
  facts: text(ML.textChars).min(1),
  disputedPoints: text(ML.textChars).min(1),
  obligations: z.array(obligationInput).min(1).max(ML.obligations),
  otherTerms: text(ML.textChars).nullable().default(null),
});
export type DraftAgreementInput = z.input<typeof draftAgreementBody>;

export const signatureView = z.object({
  partyId: z.number().int().nullable(),
  name: z.string(),
  method: z.enum(SIGN_METHODS).nullable(),
  signedAt: z.string().nullable(),
});
export const agreementView = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  dossierNo: z.string(),
  status: z.enum(AGREEMENT_STATES),
  /** SHA-256 of the agreement's content, printed on every page of its PDF. */
  sha256: z.string(),
  /** SHA-256 of the PDF file as generated: the verify page compares a file with it. */
  pdfSha256: z.string(),
  createdAt: z.string(),
  effectiveAt: z.string().nullable(),
  signed: z.number().int(),
  toSign: z.number().int(),
  signatures: z.array(signatureView),
  obligations: z.array(
    z.object({
      partyId: z.number().int(),
      party: z.string(),
      what: z.string(),
      amountYuan: z.number().nullable(),
      manner: z.string(),
      deadline: z.string(),
    }),
  ),
  /** The last day to apply for judicial confirmation (30 days from effect), once in effect. */
  confirmBy: z.string().nullable(),
  confirmation: z.lazy(() => confirmationView.nullable()),
  abilities: abilities('sign', 'links', 'assist', 'apply'),
});
export type AgreementView = z.infer<typeof agreementView>;
export const agreementList = listOf(agreementView.omit({ signatures: true, obligations: true }));
export const agreementListQuery = z.strictObject({
  status: z.enum(AGREEMENT_STATES).optional(),
  confirmation: z.enum(CONFIRMATION_STATES).optional(),
});
export const signLinks = listOf(z.object({ partyId: z.number().int(), name: z.string(), token: z.string() }));
export const assistedSignBody = z.strictObject({
  partyId: recordId,
  /** The invited mediator confirms they checked the party's ID card on site. */
  idChecked: z.literal(true),
});
/** Whether a file is an agreement as generated; `status` says whether that draft is in effect, signing or void. */
export const verifyResult = z.object({
  matches: z.boolean(),
  agreementId: z.number().int().optional(),
  status: z.enum(AGREEMENT_STATES).optional(),
});

export const caseView = caseSummary.extend({
  facts: z.string(),
  claims: z.string(),
  caucus: z.boolean(),
  parties: z.array(partyView),
  sessions: z.array(sessionView),
  evidence: z.array(evidenceView),
  agreement: agreementView.nullable(),
  failureRoute: z.enum(FAILURE_ROUTES).nullable(),
  conclusionNote: z.string().nullable(),
  eventId: z.number().int().nullable(),
  followUps: z.array(z.lazy(() => followUpView)),
  abilities: abilities(
    'consent',
    'assign',
    'schedule',
    'minute',
    'message',
    'draft',
    'fail',
    'withdraw',
    'escalate',
    'refer',
    'evidence',
    'reveal',
    'links',
    'messages',
    'joint',
    'revise',
    'followUp',
  ),
});
export type CaseView = z.infer<typeof caseView>;

export const consentBody = z.strictObject({
  partyId: recordId,
  consent: z.enum(['yes', 'no']),
  online: z.boolean().default(false),
});
export const assignBody = z.strictObject({
  mediatorId: recordId,
  chosenByParties: z.boolean().default(false),
});
export const reasonBody = z.strictObject({ reason: text(1000).min(1) });
export const failBody = z.strictObject({ route: z.enum(FAILURE_ROUTES), note: text(1000).min(1) });
export const scheduleBody = z
  .strictObject({
    startsAt: instant,
    mode: z.enum(SESSION_MODES),
    /** Omitted: caucus for family cases, joint otherwise. */
    kind: z.enum(SESSION_KINDS).optional(),
    pointId: recordId.nullable().default(null),
    meetingLink: z
      .url({ protocol: /^https$/ })
      .max(500)
      .nullable()
      .default(null),
  })
  .refine((b) => b.mode !== 'micro_court' || b.pointId !== null, {
    path: ['pointId'],
    message: 'a micro-court session names its point',
  })
  .refine((b) => b.mode !== 'video' || b.meetingLink !== null, {
    path: ['meetingLink'],
    message: 'a video session needs its meeting link',
  });
export const minutesBody = z.strictObject({
  attendance: z.array(recordId).max(ML.partiesPerCase),
  attendees: z
    .array(text(ML.nameChars).min(1))
    .min(1)
    .max(ML.partiesPerCase + 10),
  facts: text(ML.textChars).min(1),
  positions: text(ML.textChars).min(1),
  result: text(ML.textChars).min(1),
});
export const sessionParams = z.strictObject({ id: recordIdParam, sessionId: recordIdParam });
export const messageBody = z.strictObject({
  body: text(ML.messageChars).min(1),
  toAll: z.boolean().default(false),
});
export const messageList = listOf(messageView);

// ---- the party's own link (public) ----
export const partyCaseView = z.object({
  dossierNo: z.string(),
  status: z.enum(CASE_STATES),
  disputeType: z.enum(DISPUTE_TYPES),
  you: partyView,
  /** The case's mediator once designated (mediators.id, for their public profile). */
  mediator: ref.nullable(),
  /** The other parties by name and side only. */
  others: z.array(z.object({ side: z.enum(PARTY_SIDES), name: z.string() })),
  caucus: z.boolean(),
  sessions: z.array(sessionView.omit({ minutes: true, attendance: true })),
  messages: z.array(messageView),
});
export const partyConsentBody = z.strictObject({
  consent: z.enum(['yes', 'no']),
  online: z.boolean().default(false),
});
export const partyMessageBody = z.strictObject({ body: text(ML.messageChars).min(1) });
export const signView = z.object({
  dossierNo: z.string(),
  name: z.string(),
  sha256: z.string(),
  status: z.enum(AGREEMENT_STATES),
  signed: z.boolean(),
  obligations: agreementView.shape.obligations,
});
export const signBody = z.strictObject({ name, idNumber: idNumberInput });

// ---- judicial confirmation ----
export const confirmationView = z.object({
  id: z.number().int(),
  agreementId: z.number().int(),
  caseId: z.number().int(),
  dossierNo: z.string(),
  disputeType: z.enum(DISPUTE_TYPES),
  /** The case's first applicant and respondent by name. */
  title: z.string(),
  court: ref,
  status: z.enum(CONFIRMATION_STATES),
  materials: z.array(z.enum(CONFIRMATION_MATERIALS)),
  warnings: z.array(z.enum(UNCONFIRMABLE)),
  submittedAt: z.string(),
  acceptBy: z.string(),
  ruling: z.string().nullable(),
  decidedAt: z.string().nullable(),
  abilities: abilities('accept', 'decide'),
});
export type ConfirmationView = z.infer<typeof confirmationView>;
export const confirmationList = listOf(confirmationView);
export const confirmationListQuery = z.strictObject({ status: z.enum(CONFIRMATION_STATES).optional() });
export const applyConfirmationBody = z.strictObject({
  courtId: recordId,
  materials: z.array(z.enum(CONFIRMATION_MATERIALS)).min(1).max(CONFIRMATION_MATERIALS.length),
  /** Matters the agreement touches that a court cannot confirm; the service also warns by dispute type. */
  matters: z.array(z.enum(UNCONFIRMABLE)).max(UNCONFIRMABLE.length).default([]),
});
export const acceptBody = z.strictObject({
  accept: z.boolean(),
  reason: text(1000).nullable().default(null),
});
export const decideBody = z.strictObject({ confirm: z.boolean(), ruling: text(ML.textChars).min(1) });

// ---- micro courts and cloud hearings ----
export const hearingView = z.object({
  id: z.number().int(),
  point: ref,
  caseId: z.number().int().nullable(),
  title: z.string(),
  judge: ref,
  startsAt: z.string(),
  endsAt: z.string(),
  participants: z.array(z.object({ name: z.string(), place: z.enum(HEARING_PLACES), present: z.boolean() })),
  status: z.enum(HEARING_STATES),
  abilities: abilities('attend', 'cancel'),
});
export type HearingView = z.infer<typeof hearingView>;
export const hearingList = listOf(hearingView);
export const hearingListQuery = z.strictObject({ day: day.optional(), point: recordIdParam.optional() });
export const bookHearingBody = z
  .strictObject({
    pointId: recordId,
    caseId: recordId.nullable().default(null),
    title: text(200).min(1),
    startsAt: instant,
    endsAt: instant,
    participants: z
      .array(z.strictObject({ name, place: z.enum(HEARING_PLACES) }))
      .min(1)
      .max(ML.participants),
  })
  .refine((b) => Date.parse(b.endsAt) > Date.parse(b.startsAt), {
    path: ['endsAt'],
    message: 'a hearing ends after it starts',
  })
  .refine((b) => Date.parse(b.endsAt) - Date.parse(b.startsAt) <= ML.hearingMinutes * 60_000, {
    path: ['endsAt'],
    message: 'a booking is at most eight hours',
  });
export const attendanceBody = z.strictObject({
  /** Participants present, by their position in the hearing's list; the invited mediator checked their IDs. */
  present: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(ML.participants - 1),
    )
    .max(ML.participants),
  idChecked: z.literal(true),
});

// ---- follow-up visits ----
export const followUpView = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  dossierNo: z.string(),
  dueOn: z.string(),
  status: z.enum(['due', 'done']),
  performance: z.enum(PERFORMANCE).nullable(),
  satisfaction: z.number().int().nullable(),
  note: z.string().nullable(),
  visitedAt: z.string().nullable(),
  /** An agreement confirmed by a court whose follow-up found it not (fully) performed. */
  flagged: z.boolean(),
});
export type FollowUpView = z.infer<typeof followUpView>;
export const followUpList = listOf(followUpView);
export const followUpBody = z.strictObject({
  performance: z.enum(PERFORMANCE),
  satisfaction: z.number().int().min(1).max(5),
  note: text(1000).nullable().default(null),
});

// ---- statistics ----
export const statsQuery = z.strictObject({
  node: recordIdParam.optional(),
  org: recordIdParam.optional(),
  mediator: recordIdParam.optional(),
  from: day.optional(),
  to: day.optional(),
});
export const statsFigures = z.object({
  received: z.number().int(),
  concluded: z.number().int(),
  agreements: z.number().int(),
  failures: z.number().int(),
  withdrawals: z.number().int(),
  /** agreements / concluded, 0–1 (null with nothing concluded). */
  successRate: z.number().nullable(),
  /** 调撤率: (agreements + withdrawals) / concluded. */
  settledRate: z.number().nullable(),
  meanDays: z.number().nullable(),
  confirmationsDecided: z.number().int(),
  confirmed: z.number().int(),
  confirmationRate: z.number().nullable(),
});
export type StatsFigures = z.infer<typeof statsFigures>;
export const statsView = z.object({
  node: ref,
  from: z.string(),
  to: z.string(),
  figures: statsFigures,
  byType: z.array(z.object({ disputeType: z.enum(DISPUTE_TYPES), figures: statsFigures })),
  children: z.array(z.object({ node: ref, figures: statsFigures })),
});
export type StatsView = z.infer<typeof statsView>;

// ---- the mediator's day, a revealed party
export const agendaItem = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  dossierNo: z.string(),
  title: z.string(),
  startsAt: z.string(),
  mode: z.enum(SESSION_MODES),
  kind: z.enum(SESSION_KINDS),
  point: ref.nullable(),
});
export type AgendaItem = z.infer<typeof agendaItem>;
export const agendaList = listOf(agendaItem);
export const revealedParty = z.object({ idNumber: z.string().nullable(), phone: z.string().nullable() });
export type RevealedParty = z.infer<typeof revealedParty>;
