// The closed loop of joint handling (问题联治) as a pure state machine: collect → file → dispatch →
// handle → feed back → verify → close → evaluate (GB/T 30428), with returns, extensions, parking,
// rework, reopening and the escalation ladder. No I/O: the service persists what this decides.
import {
  CLOSE_REASON_CODES,
  EVENT_ACTION_CODES,
  EVENT_STATE_CODES,
  OWNER_LEVEL_CODES,
} from '../../../common/contracts/events.js';

// The state and action names are the API's (common/contracts/events.ts); their meaning:
// reported 已上报 (waiting to be filed) · accepted 已立案 (waiting to be dispatched) · rejected 不予立案
// (final) · dispatched 已派遣 (waiting for the lead department to sign) · returned 已退回 (to dispatch
// again) · in_progress 处置中 · extension_requested 延期申请中 · parked 挂账 (reviewed on a set date) ·
// handled 已处置 (waiting for on-site verification) · closed 已结案 (the reporter may evaluate) ·
// evaluated 已评价 (final) · reopened 已重启 (the reporter was not satisfied; to dispatch again).
export const EVENT_STATES = EVENT_STATE_CODES;
export type EventState = (typeof EVENT_STATES)[number];

export const EVENT_ACTIONS = EVENT_ACTION_CODES;
export type EventAction = (typeof EVENT_ACTIONS)[number];

/** Why an event was closed: by verification (resolved) or before handling, with a reason code. */
export const CLOSE_REASONS = CLOSE_REASON_CODES;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** States in which the event is still open: it has an owner level, clocks run, and it can climb the ladder. */
export const OPEN_STATES: readonly EventState[] = [
  'reported',
  'accepted',
  'dispatched',
  'returned',
  'in_progress',
  'extension_requested',
  'parked',
  'handled',
  'reopened',
];

/** The transition table: from each state, the actions allowed and where each leads. */
export const TRANSITIONS: Readonly<Record<EventState, Partial<Record<EventAction, EventState>>>> = {
  reported: { accept: 'accepted', reject: 'rejected', close: 'closed', escalate: 'reported' },
  accepted: { dispatch: 'dispatched', close: 'closed', escalate: 'accepted' },
  rejected: {},
  dispatched: { sign: 'in_progress', return: 'returned', escalate: 'dispatched' },
  returned: { dispatch: 'dispatched', close: 'closed', escalate: 'returned' },
  in_progress: {
    request_extension: 'extension_requested',
    park: 'parked',
    feed_back: 'handled',
    escalate: 'in_progress',
  },
  extension_requested: {
    approve_extension: 'in_progress',
    refuse_extension: 'in_progress',
    escalate: 'extension_requested',
  },
  parked: { resume: 'in_progress', escalate: 'parked' },
  handled: { verify_pass: 'closed', verify_fail: 'in_progress', escalate: 'handled' },
  // mediation_return: only for an event closed as handed to people's mediation (the service checks).
  closed: {
    evaluate_satisfied: 'evaluated',
    evaluate_dissatisfied: 'reopened',
    mediation_return: 'reopened',
  },
  evaluated: {},
  reopened: { dispatch: 'dispatched', escalate: 'reopened' },
};

/** Actions that must carry a reason (the history says why). */
export const REASON_REQUIRED: ReadonlySet<EventAction> = new Set<EventAction>([
  'reject',
  'return',
  'request_extension',
  'refuse_extension',
  'park',
  'verify_fail',
  'close',
  'escalate',
  'evaluate_dissatisfied',
]);

export function allowedActions(state: EventState): EventAction[] {
  return EVENT_ACTIONS.filter((a) => TRANSITIONS[state][a] !== undefined);
}

export type TransitionResult = { ok: true; to: EventState } | { ok: false; allowed: EventAction[] };

/** Where `action` leads from `state`, or the actions that are allowed instead. */
export function transition(state: EventState, action: EventAction): TransitionResult {
  const to = TRANSITIONS[state][action];
  return to === undefined ? { ok: false, allowed: allowedActions(state) } : { ok: true, to };
}

/** The ladder (Fengqiao: small matters stay in the village, big matters in the town): one level up. */
export const OWNER_LEVELS = OWNER_LEVEL_CODES;
export type OwnerLevel = (typeof OWNER_LEVELS)[number];

export function levelAbove(level: OwnerLevel): OwnerLevel | null {
  const i = OWNER_LEVELS.indexOf(level);
  return OWNER_LEVELS[i + 1] ?? null;
}

/** Which clock runs in a state, if any: the sign-for limit while dispatched, the handling limit while in hand. */
export type Clock = 'sign' | 'handle' | 'verify' | null;
export function clockOf(state: EventState): Clock {
  if (state === 'dispatched') return 'sign';
  if (state === 'in_progress' || state === 'extension_requested') return 'handle';
  if (state === 'handled') return 'verify';
  return null;
}
