import { describe, expect, it } from 'vitest';
import { kpiFigures, percent, ZERO_COUNTS } from './events.kpi.js';

describe('KPI formulas', () => {
  it('结案率 and 按期结案率 of the issue: due 972, closed 911, on time 737 → 93.72 % and 75.82 %', () => {
    const f = kpiFigures({ ...ZERO_COUNTS(), due: 972, closed: 911, closed_on_time: 737 }, 0);
    expect(f.closingRate).toBe(93.72);
    expect(f.onTimeClosingRate).toBe(75.82);
  });

  it('rounds half up to two decimals and says null when nothing is due', () => {
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(2, 3)).toBe(66.67);
    expect(percent(1, 6)).toBe(16.67);
    expect(percent(6, 7)).toBe(85.71);
    // 1/16 = 6.25 exactly; 1/32 = 3.125 → 3.13 (half up).
    expect(percent(1, 32)).toBe(3.13);
    expect(percent(0, 5)).toBe(0);
    expect(percent(5, 5)).toBe(100);
    expect(percent(0, 0)).toBeNull();
  });

  it('each rate is its own ratio', () => {
    const f = kpiFigures(
      {
        ...ZERO_COUNTS(),
        accepted: 9,
        rejected: 1,
        sign_due: 20,
        signed_on_time: 19,
        verified: 40,
        reworked: 3,
        evaluated: 50,
        satisfied: 47,
        handled: 4,
        handling_hours: 10,
      },
      2,
    );
    expect(f).toMatchObject({
      filingRate: 90,
      onTimeSigningRate: 95,
      reworkRate: 7.5,
      satisfactionRate: 94,
      meanHandlingHours: 2.5,
      overdueNow: 2,
    });
  });
});
