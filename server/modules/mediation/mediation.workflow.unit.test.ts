// The mediation case's state machine: every cell of the transition table (each action from each
// state either leads where the table says or is refused as a transition), and the guards beside it:
// Art. 17 consent before a mediator is designated, a refusal needs a party's 'no', an agreement takes
// effect only when everyone signed, the ladder stops at the district, sessions only while mediating.
import { describe, expect, it } from 'vitest';
import {
  CASE_ACTIONS,
  CASE_STATES,
  CONCLUDED_STATES,
  OPEN_CASE_STATES,
  type CaseAction,
  type CaseState,
} from '../../../common/contracts/mediation-codes.js';
import {
  allowedActions,
  decide,
  holdsSessions,
  isConcluded,
  isOpen,
  TRANSITIONS,
  type CaseFacts,
} from './mediation.workflow.js';

/** The table as the issue states it, written out by hand: the code's table must match it cell by cell. */
const EXPECTED: Record<CaseState, Partial<Record<CaseAction, CaseState>>> = {
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
  signing: { take_effect: 'agreed', revise: 'mediating', fail: 'failed', withdraw: 'withdrawn' },
  agreed: {},
  failed: {},
  withdrawn: {},
  refused: {},
  referred: {},
};

/** Facts under which every guard passes, so that only the table decides. */
const PERMISSIVE: CaseFacts = { consents: ['yes', 'yes'], allSigned: true, level: 'village' };
/** Facts for the refusal guard: a party said no (and the assign guard would then refuse). */
const factsFor = (action: CaseAction): CaseFacts =>
  action === 'refuse' ? { consents: ['yes', 'no'], allSigned: true, level: 'village' } : PERMISSIVE;

describe('the transition table', () => {
  it('has a row for every state and names only known actions and states', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...CASE_STATES].sort());
    for (const s of CASE_STATES)
      for (const [a, to] of Object.entries(TRANSITIONS[s])) {
        expect(CASE_ACTIONS).toContain(a);
        expect(CASE_STATES).toContain(to);
      }
  });

  it('is the table the law asks for, cell by cell', () => {
    expect(TRANSITIONS).toEqual(EXPECTED);
  });

  for (const from of CASE_STATES)
    describe(`from ${from}`, () => {
      for (const action of CASE_ACTIONS) {
        const to = EXPECTED[from][action];
        if (to !== undefined)
          it(`${action} leads to ${to}`, () => {
            expect(decide(from, action, factsFor(action))).toEqual({ ok: true, to });
          });
        else
          it(`${action} is refused as a transition`, () => {
            expect(decide(from, action, factsFor(action))).toEqual({
              ok: false,
              code: 'mediation.transition',
            });
            // Whatever the facts: a missing cell is a transition error before any guard.
            expect(decide(from, action, { consents: [] })).toEqual({
              ok: false,
              code: 'mediation.transition',
            });
          });
      }
      it('lists as allowed exactly the actions of its row, in CASE_ACTIONS order', () => {
        expect(allowedActions(from)).toEqual(CASE_ACTIONS.filter((a) => EXPECTED[from][a] !== undefined));
      });
    });

  it('leads nowhere out of a concluded or closed state', () => {
    for (const s of ['agreed', 'failed', 'withdrawn', 'refused', 'referred'] as const) {
      expect(allowedActions(s)).toEqual([]);
      for (const a of CASE_ACTIONS) expect(decide(s, a, PERMISSIVE).ok).toBe(false);
    }
  });
});

describe('the guards', () => {
  it('refuses assign until every party said yes (Art. 17)', () => {
    for (const consents of [
      ['yes', 'pending'],
      ['pending', 'pending'],
      ['yes', 'no'],
      ['no'],
      ['yes', 'yes', 'pending'],
    ] as const)
      expect(decide('received', 'assign', { consents: [...consents] })).toEqual({
        ok: false,
        code: 'mediation.consent_missing',
      });
    expect(decide('received', 'assign', { consents: ['yes', 'yes', 'yes'] })).toEqual({
      ok: true,
      to: 'mediating',
    });
  });

  it('refuses a refusal without a party’s no', () => {
    for (const consents of [['yes', 'yes'], ['pending', 'yes'], ['pending'], []] as const)
      expect(decide('received', 'refuse', { consents: [...consents] })).toEqual({
        ok: false,
        code: 'mediation.not_refused',
      });
    expect(decide('received', 'refuse', { consents: ['yes', 'pending', 'no'] })).toEqual({
      ok: true,
      to: 'refused',
    });
  });

  it('lets an agreement take effect only when everyone signed', () => {
    expect(decide('signing', 'take_effect', { consents: [] })).toEqual({
      ok: false,
      code: 'mediation.signatures_missing',
    });
    expect(decide('signing', 'take_effect', { consents: [], allSigned: false })).toEqual({
      ok: false,
      code: 'mediation.signatures_missing',
    });
    expect(decide('signing', 'take_effect', { consents: [], allSigned: true })).toEqual({
      ok: true,
      to: 'agreed',
    });
  });

  it('stops the ladder at the district', () => {
    for (const from of ['received', 'mediating'] as const) {
      expect(decide(from, 'escalate', { consents: [], level: 'district' })).toEqual({
        ok: false,
        code: 'mediation.ladder_top',
      });
      for (const level of ['village', 'town'])
        expect(decide(from, 'escalate', { consents: [], level })).toEqual({ ok: true, to: 'received' });
    }
  });

  it('holds sessions only while mediating: a refused case never proceeds to them', () => {
    expect(CASE_STATES.filter(holdsSessions)).toEqual(['mediating']);
    expect(holdsSessions('refused')).toBe(false);
    // And nothing leads a refused case back to mediating.
    expect(allowedActions('refused')).toEqual([]);
    expect(decide('refused', 'assign', PERMISSIVE)).toEqual({ ok: false, code: 'mediation.transition' });
  });

  it('tells open and concluded states apart', () => {
    expect(CASE_STATES.filter(isOpen)).toEqual([...OPEN_CASE_STATES]);
    expect(CASE_STATES.filter(isConcluded)).toEqual([...CONCLUDED_STATES]);
    expect(isOpen('refused') || isConcluded('refused')).toBe(false);
  });
});
