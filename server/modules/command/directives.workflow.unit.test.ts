import { describe, expect, it } from 'vitest';
import { TARGET_STATES } from '../../../common/contracts/command.js';
import {
  allowedTargetActions,
  counterDelta,
  isOverdue,
  TARGET_ACTIONS,
  targetTransition,
} from './directives.workflow.js';

const TABLE: [string, string, string | null][] = [
  ['pending', 'sign', 'signed'],
  ['pending', 'relay', 'signed'],
  ['pending', 'report', null],
  ['signed', 'sign', null],
  ['signed', 'relay', 'signed'],
  ['signed', 'report', 'reported'],
  ['reported', 'sign', null],
  ['reported', 'relay', null],
  ['reported', 'report', null],
];

describe('directive target workflow', () => {
  it('covers every state and action pair', () => {
    expect(TABLE.length).toBe(TARGET_STATES.length * TARGET_ACTIONS.length);
  });
  it.each(TABLE)('%s + %s → %s', (from, action, to) => {
    const step = targetTransition(from as never, action as never);
    if (to) expect(step).toEqual({ ok: true, to });
    else expect(step).toEqual({ ok: false, allowed: allowedTargetActions(from as never) });
  });
  it('lists the allowed actions of a state', () => {
    expect(allowedTargetActions('pending')).toEqual(['sign', 'relay']);
    expect(allowedTargetActions('reported')).toEqual([]);
  });
  it('is overdue past the deadline that applies to the state', () => {
    const t = { sign_due_at: '2026-01-01T02:00:00.000Z', report_due_at: '2026-01-02T02:00:00.000Z' };
    expect(isOverdue({ ...t, state: 'pending' }, '2026-01-01T03:00:00.000Z')).toBe(true);
    expect(isOverdue({ ...t, state: 'signed' }, '2026-01-01T03:00:00.000Z')).toBe(false);
    expect(isOverdue({ ...t, state: 'signed' }, '2026-01-02T03:00:00.000Z')).toBe(true);
    expect(isOverdue({ ...t, state: 'reported' }, '2026-01-03T03:00:00.000Z')).toBe(false);
  });
  it('moves the counters of the level', () => {
    expect(counterDelta(null, { state: 'pending', node_level: 'grid', overdue: 0 })).toEqual({
      'directives.unsigned.grid': 1,
      'directives.unreported.grid': 0,
      'directives.overdue.grid': 0,
    });
    expect(
      counterDelta(
        { state: 'pending', node_level: 'town', overdue: 1 },
        { state: 'signed', node_level: 'town', overdue: 0 },
      ),
    ).toEqual({
      'directives.unsigned.town': -1,
      'directives.unreported.town': 1,
      'directives.overdue.town': -1,
    });
  });
});
