// A directive's target (one node it was sent to) as a pure state machine: it is signed for (签收),
// may be relayed down with added instructions (转发, which signs for it if nobody had), and is
// reported back on (反馈). Overdue is not a state: a deadline passing raises a flag and escalates.
import type { TARGET_STATES } from '../../../common/contracts/command.js';

export type TargetState = (typeof TARGET_STATES)[number];
export const TARGET_ACTIONS = ['sign', 'relay', 'report'] as const;
export type TargetAction = (typeof TARGET_ACTIONS)[number];

export const TARGET_TRANSITIONS: Readonly<Record<TargetState, Partial<Record<TargetAction, TargetState>>>> = {
  pending: { sign: 'signed', relay: 'signed' },
  signed: { relay: 'signed', report: 'reported' },
  reported: {},
};

export type TargetStep = { ok: true; to: TargetState } | { ok: false; allowed: TargetAction[] };

export function targetTransition(from: TargetState, action: TargetAction): TargetStep {
  const to = TARGET_TRANSITIONS[from][action];
  return to ? { ok: true, to } : { ok: false, allowed: allowedTargetActions(from) };
}

export function allowedTargetActions(from: TargetState): TargetAction[] {
  return TARGET_ACTIONS.filter((a) => TARGET_TRANSITIONS[from][a] !== undefined);
}

/** Whether a target is late now: not signed past the sign-for deadline, or not reported past the report-back one. */
export function isOverdue(
  t: { state: string; sign_due_at: string; report_due_at: string },
  now: string,
): boolean {
  return (t.state === 'pending' && t.sign_due_at < now) || (t.state !== 'reported' && t.report_due_at < now);
}

/** The counters a target in a state adds to the cockpit at its level (the sweep keeps `overdue`). */
export function targetCounters(t: {
  state: string;
  node_level: string;
  overdue: number;
}): Record<string, number> {
  return {
    [`directives.unsigned.${t.node_level}`]: t.state === 'pending' ? 1 : 0,
    [`directives.unreported.${t.node_level}`]: t.state === 'signed' ? 1 : 0,
    [`directives.overdue.${t.node_level}`]: t.overdue,
  };
}

/** What moving a target from one shape to another does to the counters. */
export function counterDelta(
  before: Parameters<typeof targetCounters>[0] | null,
  after: Parameters<typeof targetCounters>[0],
): Record<string, number> {
  const out = targetCounters(after);
  if (before) for (const [k, v] of Object.entries(targetCounters(before))) out[k] = (out[k] ?? 0) - v;
  return out;
}
