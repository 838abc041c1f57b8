// The throttle policy's arithmetic (ADR 0008), with the defaults written out by hand.
import { describe, expect, it } from 'vitest';
import { penaltyFor, refusalOf, type ThrottlePolicy, type ThrottleRow } from './login-throttle.js';

const P: ThrottlePolicy = {
  delayAfter: 3,
  delayMaxSeconds: 60,
  maxFailures: 10,
  lockoutMinutes: 15,
  addressDelayAfter: 20,
  addressMaxFailures: 100,
  addressLockoutMinutes: 60,
  windowMinutes: 60,
};

describe('penaltyFor', () => {
  it('a pairing: nothing, then 1, 2, 4 … 60 s, then a lock at the 10th failure', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((f) => penaltyFor('pairing', f, P))).toEqual([
      null,
      null,
      { delaySeconds: 1 },
      { delaySeconds: 2 },
      { delaySeconds: 4 },
      { delaySeconds: 8 },
      { delaySeconds: 16 },
      { delaySeconds: 32 },
      { delaySeconds: 60 },
      { lockMinutes: 15 },
      { lockMinutes: 15 },
    ]);
  });

  it('an address: its own thresholds and lock', () => {
    expect(penaltyFor('address', 19, P)).toBeNull();
    expect(penaltyFor('address', 20, P)).toEqual({ delaySeconds: 1 });
    expect(penaltyFor('address', 99, P)).toEqual({ delaySeconds: 60 });
    expect(penaltyFor('address', 100, P)).toEqual({ lockMinutes: 60 });
  });
});

const row = (over: Partial<ThrottleRow>): ThrottleRow => ({
  id: 1,
  kind: 'pairing',
  address: '203.0.113.7',
  username: 'volunteer',
  failures: 5,
  first_failure_at: '2026-12-05T07:00:00.000Z',
  last_failure_at: '2026-12-05T07:59:00.000Z',
  next_attempt_at: null,
  locked_until: null,
  expires_at: '2026-12-05T09:00:00.000Z',
  ...over,
});
const NOW = '2026-12-05T08:00:00.000Z';

describe('refusalOf', () => {
  it('nothing in force, or a delay or lock already over: no refusal', () => {
    expect(refusalOf([], NOW)).toBeNull();
    expect(refusalOf([row({ next_attempt_at: '2026-12-05T07:59:59.000Z' })], NOW)).toBeNull();
    expect(refusalOf([row({ locked_until: NOW })], NOW)).toBeNull();
  });

  it('a delay: 429 auth.throttled with the whole seconds left, the longer of pairing and address', () => {
    const e = refusalOf(
      [
        row({ next_attempt_at: '2026-12-05T08:00:03.200Z' }),
        row({ kind: 'address', username: '', next_attempt_at: '2026-12-05T08:00:08.000Z' }),
      ],
      NOW,
    );
    expect([e?.status, e?.code, e?.extra.retryAfter]).toEqual([429, 'auth.throttled', 8]);
  });

  it('a pairing lock is 423 auth.locked and outranks an address lock; an address lock is 429', () => {
    const pairing = row({ locked_until: '2026-12-05T08:15:00.000Z' });
    const address = row({ kind: 'address', username: '', locked_until: '2026-12-05T09:00:00.000Z' });
    const both = refusalOf([address, pairing], NOW);
    expect([both?.status, both?.code, both?.extra]).toEqual([
      423,
      'auth.locked',
      { lockedUntil: '2026-12-05T08:15:00.000Z', retryAfter: 900 },
    ]);
    const only = refusalOf([address], NOW);
    expect([only?.status, only?.code, only?.extra.retryAfter]).toEqual([429, 'auth.address_locked', 3600]);
  });
});
