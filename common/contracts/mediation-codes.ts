// Joint mediation's constants (矛盾联调), without zod: the web's phone pages import them from here;
// mediation.ts exports them too. The legal frame is the People's Mediation Law (人民调解法).

/** Who runs mediation or hosts it: a people's mediation committee (village or town), a micro-court
 *  point (微法庭, a village room with one computer and an invited mediator), the family-mediation team
 *  (山花帮帮团), and the court that confirms agreements and holds cloud hearings. */
export const ORG_KINDS = ['committee', 'micro_court', 'family_team', 'court'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** How a case came in; 诉前委派 (court) is a court's pre-litigation referral. */
export const CASE_SOURCES = ['application', 'initiative', 'event', 'police', 'court'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

export const DISPUTE_TYPES = [
  'neighbour',
  'marriage_family',
  'child_support',
  'elder_support',
  'labour_wages',
  'land_housing',
  'contract',
  'tort',
  'other',
] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number];
/** The kind of dispute an event's category names (the demo's dispute.* categories), to prefill a case from it. */
export function disputeTypeOfCategory(code: string): DisputeType {
  const byCategory: Record<string, DisputeType> = {
    'dispute.neighbour': 'neighbour',
    'dispute.family': 'marriage_family',
    'dispute.land': 'land_housing',
    'dispute.wage': 'labour_wages',
    'dispute.property': 'contract',
  };
  return byCategory[code] ?? 'other';
}
/** Family matters: mediated in caucus by default (a party's messages reach only the mediator). */
export const FAMILY_TYPES: readonly DisputeType[] = ['marriage_family', 'child_support', 'elder_support'];

export const PARTY_SIDES = ['applicant', 'respondent'] as const;
export type PartySide = (typeof PARTY_SIDES)[number];
export const PARTY_KINDS = ['person', 'org'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];
/** A party's answer to mediation (Art. 17: mediation needs both parties' willingness). */
export const CONSENTS = ['pending', 'yes', 'no'] as const;
export type Consent = (typeof CONSENTS)[number];

/**
 * A case's states: received 已受理 (consents and a mediator being sought) · mediating 调解中 ·
 * signing 签署中 (an agreement drafted, signatures outstanding) · agreed 达成协议 (in effect) ·
 * failed 调解不成 · withdrawn 撤回 · refused 当事人拒绝调解 (Art. 17) · referred 已移交 (back to joint
 * handling or to another route). The last five are concluded or closed: no step leads out of them.
 */
export const CASE_STATES = [
  'received',
  'mediating',
  'signing',
  'agreed',
  'failed',
  'withdrawn',
  'refused',
  'referred',
] as const;
export type CaseState = (typeof CASE_STATES)[number];
/** Concluded cases, the denominator of the success and 调撤 rates (docs/mediation-statistics.md). */
export const CONCLUDED_STATES: readonly CaseState[] = ['agreed', 'failed', 'withdrawn'];
export const OPEN_CASE_STATES: readonly CaseState[] = ['received', 'mediating', 'signing'];

export const CASE_ACTIONS = [
  'assign',
  'refuse',
  'draft_agreement',
  'revise',
  'take_effect',
  'fail',
  'withdraw',
  'escalate',
  'refer',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** The mediation ladder: small matters stay in the village, big ones go to the town, then the district. */
export const LADDER = ['village', 'town', 'district'] as const;

export const SESSION_MODES = ['in_person', 'micro_court', 'video', 'async'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];
export const SESSION_KINDS = ['joint', 'caucus'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
export const SESSION_STATES = ['scheduled', 'held', 'cancelled'] as const;

/** Art. 26: when mediation fails, the parties are told the other routes open to them. */
export const FAILURE_ROUTES = [
  'arbitration',
  'administrative',
  'litigation',
  'joint_handling',
  'other',
] as const;
export type FailureRoute = (typeof FAILURE_ROUTES)[number];
/** The failure route that sends a dispute back to joint handling (问题联治): a case from an event reopens it. */
export const BACK_TO_JOINT_HANDLING: FailureRoute = 'joint_handling';

export const AGREEMENT_STATES = ['signing', 'in_effect', 'void'] as const;
export type AgreementState = (typeof AGREEMENT_STATES)[number];
/** How a party signed: through their own link, or at a micro-court point with the invited mediator checking the ID. */
export const SIGN_METHODS = ['online', 'assisted'] as const;

/** Judicial confirmation (司法确认): a joint application within 30 days of the agreement taking effect. */
export const CONFIRMATION_STATES = ['submitted', 'accepted', 'not_accepted', 'confirmed', 'refused'] as const;
export type ConfirmationState = (typeof CONFIRMATION_STATES)[number];
export const CONFIRMATION_WINDOW_DAYS = 30;
/** The court accepts or declines an application within this many days. */
export const CONFIRMATION_ACCEPT_DAYS = 3;
/** Materials an application needs. */
export const CONFIRMATION_MATERIALS = [
  'application_form',
  'agreement',
  'identity_documents',
  'evidence',
] as const;
/** Matters a court cannot confirm: warned about when the application is drafted. */
export const UNCONFIRMABLE = ['personal_status', 'property_ownership', 'intellectual_property'] as const;

export const HEARING_PLACES = ['court', 'home', 'point'] as const;
export const HEARING_STATES = ['scheduled', 'held', 'cancelled'] as const;

/** A follow-up visit's finding about the agreement's performance (Art. 31). */
export const PERFORMANCE = ['full', 'partial', 'none'] as const;
export type Performance = (typeof PERFORMANCE)[number];

export const MEDIATION_LIMITS = {
  partiesPerCase: 300,
  obligations: 300,
  textChars: 4000,
  nameChars: 100,
  evidencePerCase: 50,
  messageChars: 2000,
  participants: 20,
  /** A hearing's longest booking of a point's computer. */
  hearingMinutes: 8 * 60,
} as const;
