import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  clockOf,
  EVENT_ACTIONS,
  EVENT_STATES,
  levelAbove,
  OPEN_STATES,
  transition,
  type EventAction,
  type EventState,
} from './events.workflow.js';

// The closed loop written out by hand from the issue, independently of the table in the code:
// every line here must be allowed, and every other (state, action) pair must be refused.
const EXPECTED: [EventState, EventAction, EventState][] = [
  ['reported', 'accept', 'accepted'],
  ['reported', 'reject', 'rejected'],
  ['reported', 'close', 'closed'], // a duplicate linked at intake, or a cancelled report
  ['reported', 'escalate', 'reported'],
  ['accepted', 'dispatch', 'dispatched'],
  ['accepted', 'close', 'closed'],
  ['accepted', 'escalate', 'accepted'],
  ['dispatched', 'sign', 'in_progress'],
  ['dispatched', 'return', 'returned'],
  ['dispatched', 'escalate', 'dispatched'],
  ['returned', 'dispatch', 'dispatched'],
  ['returned', 'close', 'closed'],
  ['returned', 'escalate', 'returned'],
  ['in_progress', 'request_extension', 'extension_requested'],
  ['in_progress', 'park', 'parked'],
  ['in_progress', 'feed_back', 'handled'],
  ['in_progress', 'escalate', 'in_progress'],
  ['extension_requested', 'approve_extension', 'in_progress'],
  ['extension_requested', 'refuse_extension', 'in_progress'],
  ['extension_requested', 'escalate', 'extension_requested'],
  ['parked', 'resume', 'in_progress'],
  ['parked', 'escalate', 'parked'],
  ['handled', 'verify_pass', 'closed'],
  ['handled', 'verify_fail', 'in_progress'], // rework
  ['handled', 'escalate', 'handled'],
  ['closed', 'evaluate_satisfied', 'evaluated'],
  ['closed', 'evaluate_dissatisfied', 'reopened'],
  ['closed', 'mediation_return', 'reopened'], // a dispute handed to mediation, referred back
  ['reopened', 'dispatch', 'dispatched'],
  ['reopened', 'escalate', 'reopened'],
];

describe('event workflow: the transition table', () => {
  it('allows exactly the transitions of the closed loop', () => {
    for (const [from, action, to] of EXPECTED)
      expect(transition(from, action), `${from} --${action}-->`).toEqual({ ok: true, to });
  });

  it(`refuses every other pair of the ${EVENT_STATES.length} × ${EVENT_ACTIONS.length} and names what is allowed`, () => {
    let refused = 0;
    for (const from of EVENT_STATES) {
      const allowedHere = EXPECTED.filter(([f]) => f === from).map(([, a]) => a);
      for (const action of EVENT_ACTIONS) {
        if (allowedHere.includes(action)) continue;
        const r = transition(from, action);
        expect(r.ok, `${from} --${action}--> must be refused`).toBe(false);
        if (!r.ok) expect([...r.allowed].sort()).toEqual([...allowedHere].sort());
        refused++;
      }
    }
    expect(refused).toBe(EVENT_STATES.length * EVENT_ACTIONS.length - EXPECTED.length);
  });

  it('final states allow nothing; every open state can still climb the ladder except when closed', () => {
    expect(allowedActions('rejected')).toEqual([]);
    expect(allowedActions('evaluated')).toEqual([]);
    for (const s of OPEN_STATES) expect(allowedActions(s), s).toContain('escalate');
    expect(allowedActions('closed')).not.toContain('escalate');
  });

  it('every state is reachable from reported, and from every state a final state is reachable', () => {
    const next = (s: EventState) => EXPECTED.filter(([f]) => f === s).map(([, , t]) => t);
    const reach = (start: EventState) => {
      const seen = new Set<EventState>([start]);
      const todo = [start];
      while (todo.length > 0) {
        for (const t of next(todo.pop()!)) {
          if (seen.has(t)) continue;
          seen.add(t);
          todo.push(t);
        }
      }
      return seen;
    };
    expect([...reach('reported')].sort()).toEqual([...EVENT_STATES].sort());
    for (const s of EVENT_STATES) {
      const r = reach(s);
      expect(r.has('rejected') || r.has('evaluated') || r.has('closed'), s).toBe(true);
    }
  });

  it('walks the whole loop with a return, an extension, a rework and a reopening', () => {
    const path: EventAction[] = [
      'accept',
      'dispatch',
      'return',
      'dispatch',
      'sign',
      'request_extension',
      'approve_extension',
      'feed_back',
      'verify_fail',
      'feed_back',
      'verify_pass',
      'evaluate_dissatisfied',
      'dispatch',
      'sign',
      'park',
      'resume',
      'feed_back',
      'verify_pass',
      'evaluate_satisfied',
    ];
    let state: EventState = 'reported';
    for (const a of path) {
      const r = transition(state, a);
      if (!r.ok) throw new Error(`${state} --${a}--> refused`);
      state = r.to;
    }
    expect(state).toBe('evaluated');
  });
});

describe('event workflow: ladder and clocks', () => {
  it('climbs grid → village → town → district and stops there', () => {
    expect(levelAbove('grid')).toBe('village');
    expect(levelAbove('village')).toBe('town');
    expect(levelAbove('town')).toBe('district');
    expect(levelAbove('district')).toBeNull();
  });

  it('runs the sign-for clock while dispatched, the handling clock while in hand, none when waiting on others', () => {
    expect(clockOf('dispatched')).toBe('sign');
    expect(clockOf('in_progress')).toBe('handle');
    expect(clockOf('extension_requested')).toBe('handle');
    expect(clockOf('handled')).toBe('verify');
    for (const s of [
      'reported',
      'accepted',
      'returned',
      'parked',
      'closed',
      'evaluated',
      'rejected',
      'reopened',
    ] as const)
      expect(clockOf(s), s).toBeNull();
  });
});
