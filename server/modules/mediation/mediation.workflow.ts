// A mediation case's life as a pure state machine (People's Mediation Law): received → mediating →
// signing → agreed, or failed, withdrawn, refused (Art. 17: a party's refusal ends it) or referred to
// another route. No I/O: the service persists what this decides and counts what it changed.
import {
  CASE_ACTIONS,
  CASE_STATES,
  CONCLUDED_STATES,
  OPEN_CASE_STATES,
  type CaseAction,
  type CaseState,
  type Consent,
} from '../../../common/contracts/mediation-codes.js';

export { CASE_ACTIONS, CASE_STATES };

/** From each state, the actions allowed and where each leads. */
export const TRANSITIONS: Readonly<Record<CaseState, Partial<Record<CaseAction, CaseState>>>> = {
  // Consents and a mediator are sought; the ladder may hand it up (the upper committee assigns again).
  received: {
    assign: 'mediating',
    refuse: 'refused',
    withdraw: 'withdrawn',
    escalate: 'received',
    refer: 'referred',
  },
  mediating: {
    draft_agreement: 'signing',
    fail: 'failed',
    withdraw: 'withdrawn',
    escalate: 'received',
    refer: 'referred',
  },
  // A party who will not sign: the draft is revised (back to mediating) or the mediation fails.
  signing: { take_effect: 'agreed', revise: 'mediating', fail: 'failed', withdraw: 'withdrawn' },
  agreed: {},
  failed: {},
  withdrawn: {},
  refused: {},
  referred: {},
};

/** What a step needs to know of the case besides its state. */
export interface CaseFacts {
  consents: readonly Consent[];
  /** Every party and the mediator have signed the current draft. */
  allSigned?: boolean;
  /** The case's level on the ladder: village, town or district. */
  level?: string;
}

export type Decision = { ok: true; to: CaseState } | { ok: false; code: DecisionError };
export type DecisionError =
  | 'mediation.transition'
  | 'mediation.consent_missing'
  | 'mediation.not_refused'
  | 'mediation.signatures_missing'
  | 'mediation.ladder_top';

/** Decides one step: the next state, or why the step is not allowed now. */
export function decide(state: CaseState, action: CaseAction, facts: CaseFacts): Decision {
  const to = TRANSITIONS[state][action];
  if (to === undefined) return { ok: false, code: 'mediation.transition' };
  // Art. 17: mediation starts only with every party willing.
  if (action === 'assign' && !facts.consents.every((c) => c === 'yes'))
    return { ok: false, code: 'mediation.consent_missing' };
  if (action === 'refuse' && !facts.consents.includes('no'))
    return { ok: false, code: 'mediation.not_refused' };
  if (action === 'take_effect' && !facts.allSigned)
    return { ok: false, code: 'mediation.signatures_missing' };
  if (action === 'escalate' && facts.level === 'district') return { ok: false, code: 'mediation.ladder_top' };
  return { ok: true, to };
}

export function allowedActions(state: CaseState): CaseAction[] {
  return CASE_ACTIONS.filter((a) => TRANSITIONS[state][a] !== undefined);
}
export const isOpen = (s: CaseState) => OPEN_CASE_STATES.includes(s);
export const isConcluded = (s: CaseState) => CONCLUDED_STATES.includes(s);
/** Sessions are held only while mediating: never for a case a party refused. */
export const holdsSessions = (s: CaseState) => s === 'mediating';
