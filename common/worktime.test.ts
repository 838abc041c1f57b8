// Working-time calendar. Expected instants are worked by hand in Shanghai local time (UTC+8):
// a local time L is the UTC instant L − 8 h, so 10:00 Shanghai is 02:00Z the same day.
// Weekdays of the dates used (checked): 2026-01-05 Mon, 2026-03-03 Tue, 2026-03-06 Fri,
// 2026-09-25 Fri, 2026-09-27 Sun, 2026-09-30 Wed, 2026-10-01 Thu, 2026-10-07 Wed, 2026-10-08 Thu,
// 2026-10-10 Sat, 2026-10-12 Mon.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PERIODS,
  addWorkingHours,
  isWorkingDay,
  localDate,
  makeCalendar,
  workingHoursBetween,
  workingHoursPerDay,
} from './worktime.js';

/** Shanghai local 'YYYY-MM-DDTHH:MM' → the UTC instant as the API returns it. */
const sh = (local: string) => new Date(`${local}:00+08:00`).toISOString();

const plain = makeCalendar();
const nationalDay2026 = makeCalendar({
  holidays: [
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ],
  makeupWorkdays: ['2026-09-27', '2026-10-10'],
});

describe('sh helper', () => {
  it('is the hand rule L − 8 h', () => {
    expect(sh('2026-03-03T10:00')).toBe('2026-03-03T02:00:00.000Z');
    expect(sh('2026-03-03T07:00')).toBe('2026-03-02T23:00:00.000Z');
  });
});

describe('calendar basics', () => {
  it('the default day is 3.5 h + 4.5 h = 8 h', () => {
    expect(DEFAULT_PERIODS).toEqual([
      ['08:30', '12:00'],
      ['13:30', '18:00'],
    ]);
    expect(workingHoursPerDay(plain)).toBe(8);
    // 09:00–11:30 is 2.5 h and 14:00–17:15 is 3.25 h.
    expect(
      workingHoursPerDay(
        makeCalendar({
          periods: [
            ['09:00', '11:30'],
            ['14:00', '17:15'],
          ],
        }),
      ),
    ).toBe(5.75);
  });

  it('weekdays work, weekends rest, holidays and make-up days override them', () => {
    expect(isWorkingDay(plain, '2026-03-03')).toBe(true); // Tuesday
    expect(isWorkingDay(plain, '2026-10-10')).toBe(false); // Saturday, no make-up day in this calendar
    expect(isWorkingDay(plain, '2026-09-27')).toBe(false); // Sunday
    expect(isWorkingDay(nationalDay2026, '2026-10-01')).toBe(false); // Thursday, but a holiday
    expect(isWorkingDay(nationalDay2026, '2026-10-08')).toBe(true); // Thursday after the holiday
    expect(isWorkingDay(nationalDay2026, '2026-10-10')).toBe(true); // Saturday, make-up day
    expect(isWorkingDay(nationalDay2026, '2026-09-27')).toBe(true); // Sunday, make-up day
    expect(isWorkingDay(nationalDay2026, '2026-10-11')).toBe(false); // ordinary Sunday
    expect(() => isWorkingDay(plain, '2026-02-30')).toThrow(/not a real date/);
  });
});

describe('localDate', () => {
  it('is the Shanghai date, which turns at 16:00Z', () => {
    // 16:30Z + 8 h = 00:30 the next day.
    expect(localDate('2026-03-01T16:30:00Z')).toBe('2026-03-02');
    // 15:59:59.999Z + 8 h = 23:59:59.999, still the same day.
    expect(localDate('2026-03-01T15:59:59.999Z')).toBe('2026-03-01');
    // Year end: 2026-12-31T16:00Z is midnight of New Year's Day in Shanghai.
    expect(localDate('2026-12-31T16:00:00Z')).toBe('2027-01-01');
    // An offset is honoured: 00:30+08:00 is itself Shanghai time; 20:00−05:00 is 01:00Z = 09:00 Shanghai next day.
    expect(localDate('2026-03-02T00:30:00+08:00')).toBe('2026-03-02');
    expect(localDate('2026-03-01T20:00:00-05:00')).toBe('2026-03-02');
  });

  it('rejects what is not an instant', () => {
    expect(() => localDate('not a date')).toThrow(/ISO-8601/);
    // Without Z or an offset the instant would depend on the machine's zone.
    expect(() => localDate('2026-03-01T10:00:00')).toThrow(/ISO-8601/);
    expect(() => localDate('2026-02-30T10:00:00Z')).toThrow(/ISO-8601/);
    expect(() => localDate('2026-03-01T24:00:00Z')).toThrow(/ISO-8601/);
  });
});

describe('addWorkingHours', () => {
  it('Tuesday 10:00 + 3 h → 14:30: the 12:00–13:30 lunch break does not count', () => {
    // 10:00–12:00 uses 2 h, 1 h remains from 13:30.
    expect(addWorkingHours(plain, sh('2026-03-03T10:00'), 3)).toBe(sh('2026-03-03T14:30'));
  });

  it('Friday 17:00 + 2 h → Monday 09:30: the weekend does not count', () => {
    // 17:00–18:00 uses 1 h, Saturday and Sunday rest, 1 h from Monday 08:30.
    expect(addWorkingHours(plain, sh('2026-03-06T17:00'), 2)).toBe(sh('2026-03-09T09:30'));
  });

  it('a start outside working time counts from the next working period', () => {
    // 07:00 waits for 08:30; 1 h later is 09:30.
    expect(addWorkingHours(plain, sh('2026-03-03T07:00'), 1)).toBe(sh('2026-03-03T09:30'));
    // 12:30 is lunch; counting starts 13:30.
    expect(addWorkingHours(plain, sh('2026-03-03T12:30'), 1)).toBe(sh('2026-03-03T14:30'));
    // Tuesday 20:00 is after work; counting starts Wednesday 08:30.
    expect(addWorkingHours(plain, sh('2026-03-03T20:00'), 1)).toBe(sh('2026-03-04T09:30'));
    // Friday 20:00: the next working period is Monday 08:30.
    expect(addWorkingHours(plain, sh('2026-03-06T20:00'), 1)).toBe(sh('2026-03-09T09:30'));
    // Saturday 10:00 likewise waits for Monday.
    expect(addWorkingHours(plain, sh('2026-03-07T10:00'), 0.5)).toBe(sh('2026-03-09T09:00'));
  });

  it('a limit that runs out at the end of a period falls due then, not at the next start', () => {
    // 08:30 + 3.5 h is exactly 12:00, the end of the morning.
    expect(addWorkingHours(plain, sh('2026-03-03T08:30'), 3.5)).toBe(sh('2026-03-03T12:00'));
    // 08:30 + 8 h is the whole day: 18:00 the same day.
    expect(addWorkingHours(plain, sh('2026-03-03T08:30'), 8)).toBe(sh('2026-03-03T18:00'));
  });

  it('fractional hours count to the millisecond', () => {
    // 0.25 h = 15 min.
    expect(addWorkingHours(plain, sh('2026-03-03T10:00'), 0.25)).toBe(sh('2026-03-03T10:15'));
    // 1/3 h = 20 min; the float's tail is rounded away.
    expect(addWorkingHours(plain, sh('2026-03-03T10:00'), 1 / 3)).toBe(sh('2026-03-03T10:20'));
  });

  it('0 hours returns the start unchanged, inside or outside working time, in UTC form', () => {
    expect(addWorkingHours(plain, sh('2026-03-03T20:00'), 0)).toBe(sh('2026-03-03T20:00'));
    expect(addWorkingHours(plain, sh('2026-03-03T10:00'), 0)).toBe(sh('2026-03-03T10:00'));
    // The same instant written with +08:00 comes back as Z with milliseconds.
    expect(addWorkingHours(plain, '2026-03-07T10:00:00+08:00', 0)).toBe('2026-03-07T02:00:00.000Z');
  });

  it('National Day 2026: filed Wednesday 09-30 17:00 with 8 h → Thursday 10-08 17:00', () => {
    // 17:00–18:00 on 09-30 uses 1 h; 10-01 (Thu) to 10-07 (Wed) are holidays; 10-08 is the first
    // working day after: 7 h remain = 08:30–12:00 (3.5 h) + 13:30–17:00 (3.5 h).
    expect(addWorkingHours(nationalDay2026, sh('2026-09-30T17:00'), 8)).toBe(sh('2026-10-08T17:00'));
    // Without the holidays the same case would fall due Thursday 10-01 at 17:00.
    expect(addWorkingHours(plain, sh('2026-09-30T17:00'), 8)).toBe(sh('2026-10-01T17:00'));
  });

  it('National Day 2026: make-up Saturday 10-10 and Sunday 09-27 are working days', () => {
    // Filed Saturday 10-10 09:00, a make-up day: 2 h later is 11:00 the same day.
    expect(addWorkingHours(nationalDay2026, sh('2026-10-10T09:00'), 2)).toBe(sh('2026-10-10T11:00'));
    // On an ordinary calendar that Saturday rests: counting starts Monday 10-12 08:30, due 10:30.
    expect(addWorkingHours(plain, sh('2026-10-10T09:00'), 2)).toBe(sh('2026-10-12T10:30'));
    // Filed Friday 09-25 17:00 with 2 h: 1 h that day, then Sunday 09-27 (make-up) 08:30 + 1 h.
    expect(addWorkingHours(nationalDay2026, sh('2026-09-25T17:00'), 2)).toBe(sh('2026-09-27T09:30'));
  });

  it('10,000 hours step by days, not minutes', () => {
    // From Monday 2026-01-05 08:30, 10,000 h = 1,250 full days = 250 full weeks, so the limit ends
    // at 18:00 on the Friday of the 250th week: 249 weeks + 4 days = 1,747 days later, 10:00Z.
    const expected = new Date(Date.UTC(2026, 0, 5 + 1747, 10)).toISOString();
    expect(expected).toBe('2030-10-18T10:00:00.000Z');
    const began = performance.now();
    expect(addWorkingHours(plain, sh('2026-01-05T08:30'), 10_000)).toBe(expected);
    expect(workingHoursBetween(plain, sh('2026-01-05T08:30'), expected)).toBe(10_000);
    // Generous bound: a minute-by-minute loop would take ~2.5 M iterations and many times longer.
    expect(performance.now() - began).toBeLessThan(1000);
  });

  it('throws rather than loop for ever when no working time lies within 100 years', () => {
    // 1e7 h is over a thousand years of working days.
    expect(() => addWorkingHours(plain, sh('2026-03-03T10:00'), 1e7)).toThrow(/100 years/);
  });

  it('rejects a negative, NaN or infinite number of hours and an unparsable start', () => {
    expect(() => addWorkingHours(plain, sh('2026-03-03T10:00'), -1)).toThrow(/≥ 0/);
    expect(() => addWorkingHours(plain, sh('2026-03-03T10:00'), Number.NaN)).toThrow(/≥ 0/);
    expect(() => addWorkingHours(plain, sh('2026-03-03T10:00'), Number.POSITIVE_INFINITY)).toThrow(/≥ 0/);
    expect(() => addWorkingHours(plain, 'yesterday', 1)).toThrow(/ISO-8601/);
  });
});

describe('workingHoursBetween', () => {
  it('counts only working periods', () => {
    // Tuesday 10:00–14:30: 2 h before lunch + 1 h after.
    expect(workingHoursBetween(plain, sh('2026-03-03T10:00'), sh('2026-03-03T14:30'))).toBe(3);
    // Friday 17:00 – Monday 09:30: 1 h Friday + 1 h Monday.
    expect(workingHoursBetween(plain, sh('2026-03-06T17:00'), sh('2026-03-09T09:30'))).toBe(2);
    // Across National Day: 1 h on 09-30 and 7 h on 10-08.
    expect(workingHoursBetween(nationalDay2026, sh('2026-09-30T17:00'), sh('2026-10-08T17:00'))).toBe(8);
    // Lunch to evening of the same day: 13:30–18:00 only.
    expect(workingHoursBetween(plain, sh('2026-03-03T12:30'), sh('2026-03-03T20:00'))).toBe(4.5);
  });

  it('is 0 for an empty or reversed range', () => {
    expect(workingHoursBetween(plain, sh('2026-03-03T10:00'), sh('2026-03-03T10:00'))).toBe(0);
    expect(workingHoursBetween(plain, sh('2026-03-03T14:30'), sh('2026-03-03T10:00'))).toBe(0);
  });

  it('throws for a span longer than 100 years', () => {
    expect(() => workingHoursBetween(plain, '2000-01-01T00:00:00Z', '2200-01-01T00:00:00Z')).toThrow(
      /100 years/,
    );
  });

  const in2026 = fc
    .integer({
      min: Date.parse('2026-01-01T00:00:00+08:00'),
      max: Date.parse('2027-01-01T00:00:00+08:00') - 1,
    })
    .map((ms) => new Date(ms).toISOString());

  it('is the inverse of addWorkingHours (property)', () => {
    fc.assert(
      fc.property(in2026, fc.double({ min: 0, max: 200, noNaN: true }), (start, hours) => {
        const due = addWorkingHours(nationalDay2026, start, hours);
        // Results are whole milliseconds: at most 0.5 ms ≈ 1.4e-7 h off.
        expect(Math.abs(workingHoursBetween(nationalDay2026, start, due) - hours)).toBeLessThan(1e-6);
      }),
    );
  });

  it('is 0 whenever to ≤ from (property)', () => {
    fc.assert(
      fc.property(in2026, in2026, (a, b) => {
        const [later, earlier] = a >= b ? [a, b] : [b, a];
        expect(workingHoursBetween(nationalDay2026, later, earlier)).toBe(0);
      }),
    );
  });
});

describe('makeCalendar validation', () => {
  it('rejects malformed periods', () => {
    expect(() =>
      makeCalendar({
        periods: [
          ['08:30', '12:00'],
          ['11:00', '18:00'],
        ],
      }),
    ).toThrow(/overlaps/);
    expect(() =>
      makeCalendar({
        periods: [
          ['13:30', '18:00'],
          ['08:30', '12:00'],
        ],
      }),
    ).toThrow(/ascend/);
    expect(() => makeCalendar({ periods: [['08:30', '25:00']] })).toThrow(/"25:00" is not a time/);
    expect(() => makeCalendar({ periods: [['8:30', '12:00']] })).toThrow(/not a time/);
    expect(() => makeCalendar({ periods: [['12:00', '12:00']] })).toThrow(/end after it starts/);
    expect(() => makeCalendar({ periods: [] })).toThrow(/at least one/);
    // 24:00 may only end a period.
    expect(() => makeCalendar({ periods: [['24:00', '24:00']] })).toThrow(/not a time/);
    expect(workingHoursPerDay(makeCalendar({ periods: [['20:00', '24:00']] }))).toBe(4);
  });

  it('rejects dates that do not exist', () => {
    expect(() => makeCalendar({ holidays: ['2026-02-30'] })).toThrow(
      /holiday "2026-02-30" is not a real date/,
    );
    expect(() => makeCalendar({ makeupWorkdays: ['2027-02-29'] })).toThrow(/not a real date/); // 2027 is not leap
    expect(() => makeCalendar({ holidays: ['2026-10-1'] })).toThrow(/not a real date/);
    expect(makeCalendar({ holidays: ['2028-02-29'] }).holidays.has('2028-02-29')).toBe(true); // 2028 is leap
  });

  it('rejects a date that is both a holiday and a make-up day', () => {
    expect(() => makeCalendar({ holidays: ['2026-10-10'], makeupWorkdays: ['2026-10-10'] })).toThrow(
      /2026-10-10 cannot be both/,
    );
  });

  it('copies its input so later edits do not change the calendar', () => {
    const holidays = ['2026-10-01'];
    const cal = makeCalendar({ holidays });
    holidays.push('2026-10-02');
    expect(cal.holidays.has('2026-10-02')).toBe(false);
  });
});

describe('independence from the machine time zone', () => {
  it('the source uses no local-time Date methods, Intl or Date.parse', () => {
    const source = readFileSync(new URL('./worktime.ts', import.meta.url), 'utf8');
    // `.getUTCHours(` does not match: "UTC" sits between get and the field name.
    const localTime =
      /\.(get|set)(FullYear|Month|Date|Day|Hours|Minutes|Seconds|Milliseconds)\(|getTimezoneOffset|toLocale|Intl\./g;
    expect(source.match(localTime)).toBeNull();
    // Date.parse would read an offset-less string as machine-local time.
    expect(source).not.toMatch(/Date\.parse\(/);
  });
});
