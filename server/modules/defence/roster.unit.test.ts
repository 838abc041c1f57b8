// The duty-roster arithmetic of joint defence: patterns into shifts in Asia/Shanghai time, coverage
// and no-shows, the check-in window with the texts people read, and which swaps are valid.
import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../../common/messages/index.js';
import {
  checkInAllowed,
  checkPattern,
  checkSwap,
  coverage,
  generateShifts,
  type Assignment,
  type Shift,
} from './index.js';

const WEEK = { from: '2026-12-07', to: '2026-12-13' };
const DAYS = ['07', '08', '09', '10', '11', '12', '13'].map((d) => `2026-12-${d}`);

/** Assignments of people to one shift; `checkedIn` maps a person to the instant they checked in. */
function on(shiftKey: string, people: number[], checkedIn: Record<number, string> = {}): Assignment[] {
  return people.map((personId) => ({ shiftKey, personId, checkedInAt: checkedIn[personId] ?? null }));
}

describe('a roster for 3 checkpoints × 7 days × 3 shifts', () => {
  const shifts = [101, 102, 103].flatMap((checkpointId) =>
    generateShifts({ checkpointId, pattern: { kind: 'three_by_eight' }, ...WEEK, required: 2 }),
  );
  // The week's plan. 101 fully staffed but for one night short of a person and one morning nobody;
  // 102 staffed by day only, and one person on the last evening; 103 for the first two days only.
  const assignments: Assignment[] = [
    ...DAYS.flatMap((day) => [
      ...(day === '2026-12-12' ? [] : on(`101/${day}/0`, [1011, 1012])),
      ...on(`101/${day}/1`, [1013, 1014]),
      ...on(`101/${day}/2`, day === '2026-12-09' ? [1015] : [1015, 1016]),
      ...on(`102/${day}/1`, [1021, 1022]),
    ]),
    ...on('102/2026-12-13/2', [1023]),
    ...['2026-12-07', '2026-12-08'].flatMap((day) =>
      [0, 1, 2].flatMap((s) => on(`103/${day}/${s}`, [1031, 1032])),
    ),
    // A person listed twice on one shift is one person.
    ...on('103/2026-12-08/2', [1032]),
    // An assignment to a shift of another roster is not counted here.
    ...on('104/2026-12-07/0', [1041]),
  ];

  it('has 63 shifts of 8 hours, each checkpoint covered day and night from Monday 00:00 to Sunday 24:00 local time', () => {
    expect(shifts).toHaveLength(63);
    expect(new Set(shifts.map((s) => s.key)).size).toBe(63);
    for (const checkpointId of [101, 102, 103]) {
      const own = shifts.filter((s) => s.checkpointId === checkpointId);
      expect(own).toHaveLength(21);
      expect(own[0]).toEqual({
        key: `${checkpointId}/2026-12-07/0`,
        checkpointId,
        day: '2026-12-07',
        slot: 0,
        start: '2026-12-06T16:00:00.000Z', // 00:00 in Shanghai
        end: '2026-12-07T00:00:00.000Z', // 08:00
        required: 2,
      });
      expect(own.at(-1)!.end).toBe('2026-12-13T16:00:00.000Z');
      for (let i = 1; i < own.length; i++) expect(own[i]!.start).toBe(own[i - 1]!.end);
      for (const s of own) expect(Date.parse(s.end) - Date.parse(s.start)).toBe(8 * 3_600_000);
    }
  });

  it('shows exactly the uncovered and the understaffed shifts after the assignments', () => {
    const cov = coverage(shifts, assignments, '2026-12-06T12:00:00+08:00');
    const keys = (status: string) =>
      cov
        .filter((c) => c.status === status)
        .map((c) => c.shift.key)
        .sort();
    expect(keys('uncovered')).toEqual(
      [
        '101/2026-12-12/0',
        ...DAYS.map((day) => `102/${day}/0`),
        ...DAYS.slice(0, 6).map((day) => `102/${day}/2`),
        ...DAYS.slice(2).flatMap((day) => [0, 1, 2].map((s) => `103/${day}/${s}`)),
      ].sort(),
    );
    expect(keys('uncovered')).toHaveLength(29);
    expect(keys('understaffed')).toEqual(['101/2026-12-09/2', '102/2026-12-13/2']);
    expect(keys('covered')).toHaveLength(32);
    expect(cov.find((c) => c.shift.key === '101/2026-12-09/2')).toMatchObject({ assigned: 1, required: 2 });
    expect(cov.find((c) => c.shift.key === '103/2026-12-08/2')).toMatchObject({
      assigned: 2,
      status: 'covered',
    });
    // Before any shift has begun nobody can be a no-show.
    expect(cov.flatMap((c) => c.noShows)).toEqual([]);
  });

  it('names the no-shows of shifts whose check-in window has closed, and only those', () => {
    const checkedIn = [
      ...on('101/2026-12-07/0', [1011, 1012], {
        1011: '2026-12-06T23:45:00+08:00',
        1012: '2026-12-07T00:10:00+08:00',
      }),
      ...on('101/2026-12-07/1', [1013, 1014], { 1013: '2026-12-07T07:50:00+08:00' }),
      ...on('102/2026-12-07/1', [1021, 1022, 1024], {
        1021: '2026-12-07T08:00:00+08:00',
        1022: '2026-12-06T23:59:00Z', // 07:59 in Shanghai
        1024: '2026-12-07T07:29:00+08:00', // before the window opened: counted as not there
      }),
      ...on('103/2026-12-07/0', [1031, 1032], {
        1031: '2026-12-07T00:30:00+08:00', // the window's last minute
        1032: '2026-12-07T00:31:00+08:00', // after it closed: counted as not there
      }),
      ...on('103/2026-12-07/1', [1031, 1032], {
        1031: '2026-12-07T07:30:00+08:00',
        1032: '2026-12-07T08:05:00+08:00',
      }),
    ];
    const later = assignments.filter((a) => !a.shiftKey.includes('/2026-12-07/')).concat(checkedIn);
    const noShows = (now: string) =>
      coverage(shifts, later, now)
        .filter((c) => c.noShows.length > 0)
        .map((c) => [c.shift.key, c.noShows]);
    // 08:20: the day shift's window (07:30–08:30) is still open, so only the night shift counts.
    expect(noShows('2026-12-07T08:20:00+08:00')).toEqual([['103/2026-12-07/0', [1032]]]);
    // 09:00: 1014 has not come, and 1024's check-in was outside the window.
    expect(noShows('2026-12-07T09:00:00+08:00')).toEqual([
      ['101/2026-12-07/1', [1014]],
      ['102/2026-12-07/1', [1024]],
      ['103/2026-12-07/0', [1032]],
    ]);
    // A longer window, passed as the command sets it, forgives 1032's 00:31 and 1024's 07:29, and is still
    // open at 09:00.
    expect(
      coverage(shifts, later, '2026-12-07T09:00:00+08:00', 60)
        .filter((c) => c.noShows.length > 0)
        .map((c) => c.shift.key),
    ).toEqual([]);
  });

  it('refuses a check-in outside the shift’s window with the local times in the message', () => {
    const dayShift = shifts.find((s) => s.key === '101/2026-12-07/1')!;
    expect(checkInAllowed(dayShift, '2026-12-07T07:30:00+08:00')).toEqual({
      ok: true,
      value: { minutesFromStart: -30 },
    });
    expect(checkInAllowed(dayShift, '2026-12-07T08:30:00+08:00')).toEqual({
      ok: true,
      value: { minutesFromStart: 30 },
    });
    expect(checkInAllowed(dayShift, '2026-12-07T00:10:00Z')).toEqual({
      ok: true,
      value: { minutesFromStart: 10 },
    });

    const early = checkInAllowed(dayShift, '2026-12-07T07:29:59+08:00');
    expect(early).toEqual({
      ok: false,
      reason: 'shift.too_early',
      params: { start: '2026-12-07 08:00', opens: '2026-12-07 07:30' },
    });
    const late = checkInAllowed(dayShift, '2026-12-07T08:31:00+08:00');
    expect(late).toEqual({
      ok: false,
      reason: 'shift.too_late',
      params: { start: '2026-12-07 08:00', closes: '2026-12-07 08:30' },
    });
    if (early.ok || late.ok) return;
    expect(renderMessage(early.reason, early.params, 'zh-CN')).toBe(
      '还未到签到时间：本班 2026-12-07 08:00 开始，2026-12-07 07:30 起可签到',
    );
    expect(renderMessage(early.reason, early.params, 'en')).toBe(
      'too early to check in: the shift starts at 2026-12-07 08:00; check-in opens at 2026-12-07 07:30',
    );
    expect(renderMessage(late.reason, late.params, 'zh-CN')).toBe(
      '签到时间已过：本班 2026-12-07 08:00 开始，2026-12-07 08:30 截止签到，请联系带班负责人',
    );
    expect(renderMessage(late.reason, late.params, 'en')).toBe(
      'too late to check in: the shift started at 2026-12-07 08:00 and check-in closed at 2026-12-07 08:30; ask the lead',
    );
    // A wider window lets the same moment through.
    expect(checkInAllowed(dayShift, '2026-12-07T08:31:00+08:00', 45).ok).toBe(true);
    // An instant without an offset is refused rather than read in the machine's zone.
    expect(() => checkInAllowed(dayShift, '2026-12-07T08:00:00')).toThrow(/offset/);
  });
});

describe('patterns', () => {
  it('2 × 12 h from 08:00: the night shift runs into the next morning and belongs to the day it began', () => {
    const shifts = generateShifts({
      checkpointId: 5,
      pattern: { kind: 'two_by_twelve', firstStart: '08:00' },
      from: '2026-12-31',
      to: '2027-01-01',
      required: 3,
    });
    expect(shifts.map((s) => [s.key, s.start, s.end])).toEqual([
      ['5/2026-12-31/0', '2026-12-31T00:00:00.000Z', '2026-12-31T12:00:00.000Z'],
      ['5/2026-12-31/1', '2026-12-31T12:00:00.000Z', '2027-01-01T00:00:00.000Z'],
      ['5/2027-01-01/0', '2027-01-01T00:00:00.000Z', '2027-01-01T12:00:00.000Z'],
      ['5/2027-01-01/1', '2027-01-01T12:00:00.000Z', '2027-01-02T00:00:00.000Z'],
    ]);
    expect(shifts.every((s) => s.required === 3)).toBe(true);
  });

  it('3 × 8 h from 06:00 starts at 06:00, 14:00 and 22:00', () => {
    const shifts = generateShifts({
      checkpointId: 5,
      pattern: { kind: 'three_by_eight', firstStart: '06:00' },
      from: '2026-12-07',
      to: '2026-12-07',
      required: 1,
    });
    expect(shifts.map((s) => s.start)).toEqual([
      '2026-12-06T22:00:00.000Z',
      '2026-12-07T06:00:00.000Z',
      '2026-12-07T14:00:00.000Z',
    ]);
  });

  it('custom: given starts and lengths, listed from the duty day’s first, with their own staffing', () => {
    const shifts = generateShifts({
      checkpointId: 9,
      pattern: {
        kind: 'custom',
        slots: [
          { start: '18:00', minutes: 360, required: 4 }, // 18:00–24:00, the busy evening
          { start: '00:00', minutes: 420 }, // 00:00–07:00 the next morning
          { start: '07:30', minutes: 600 }, // 07:30–17:30, then a gap until 18:00
        ],
      },
      from: '2026-12-07',
      to: '2026-12-08',
      required: 2,
    });
    expect(shifts.map((s) => [s.key, s.start, s.end, s.required])).toEqual([
      ['9/2026-12-07/0', '2026-12-07T10:00:00.000Z', '2026-12-07T16:00:00.000Z', 4],
      ['9/2026-12-07/1', '2026-12-07T16:00:00.000Z', '2026-12-07T23:00:00.000Z', 2],
      ['9/2026-12-07/2', '2026-12-07T23:30:00.000Z', '2026-12-08T09:30:00.000Z', 2],
      ['9/2026-12-08/0', '2026-12-08T10:00:00.000Z', '2026-12-08T16:00:00.000Z', 4],
      ['9/2026-12-08/1', '2026-12-08T16:00:00.000Z', '2026-12-08T23:00:00.000Z', 2],
      ['9/2026-12-08/2', '2026-12-08T23:30:00.000Z', '2026-12-09T09:30:00.000Z', 2],
    ]);
  });

  it.each([
    ['no shifts', { kind: 'custom', slots: [] }, { reason: 'shift.pattern_empty' }],
    [
      'a start of 24:00',
      { kind: 'custom', slots: [{ start: '24:00', minutes: 60 }] },
      { reason: 'shift.pattern_time' },
    ],
    [
      'a start without a leading zero',
      { kind: 'custom', slots: [{ start: '8:00', minutes: 60 }] },
      { reason: 'shift.pattern_time' },
    ],
    [
      'a fixed pattern from 25:00',
      { kind: 'three_by_eight', firstStart: '25:00' },
      { reason: 'shift.pattern_time' },
    ],
    [
      'a 20-minute shift',
      { kind: 'custom', slots: [{ start: '08:00', minutes: 20 }] },
      { reason: 'shift.pattern_duration', params: { min: '30', max: '1440' } },
    ],
    [
      'a 25-hour shift',
      { kind: 'custom', slots: [{ start: '08:00', minutes: 1500 }] },
      { reason: 'shift.pattern_duration' },
    ],
    [
      'a fractional length',
      { kind: 'custom', slots: [{ start: '08:00', minutes: 90.5 }] },
      { reason: 'shift.pattern_duration' },
    ],
    [
      'two shifts overlapping',
      {
        kind: 'custom',
        slots: [
          { start: '08:00', minutes: 600 },
          { start: '12:00', minutes: 480 },
        ],
      },
      { reason: 'shift.pattern_overlap', params: { first: '08:00', second: '12:00' } },
    ],
    [
      'the last running into the next day’s first',
      {
        kind: 'custom',
        slots: [
          { start: '08:00', minutes: 720 },
          { start: '20:00', minutes: 780 },
        ],
      },
      { reason: 'shift.pattern_overlap', params: { first: '20:00', second: '08:00' } },
    ],
    [
      'the same start twice',
      {
        kind: 'custom',
        slots: [
          { start: '08:00', minutes: 60 },
          { start: '08:00', minutes: 60 },
        ],
      },
      { reason: 'shift.pattern_overlap' },
    ],
  ] as const)('refuses %s', (_what, pattern, failure) => {
    expect(checkPattern(pattern)).toMatchObject({ ok: false, ...failure });
    expect(() => generateShifts({ checkpointId: 1, pattern, ...WEEK, required: 1 })).toThrow(
      /invalid shift pattern/,
    );
  });

  it('a whole day in one 24-hour shift is a pattern; a range backwards or beyond 92 days is not', () => {
    expect(checkPattern({ kind: 'custom', slots: [{ start: '09:00', minutes: 1440 }] }).ok).toBe(true);
    const one = { checkpointId: 1, pattern: { kind: 'two_by_twelve' } as const, required: 1 };
    expect(() => generateShifts({ ...one, from: '2026-12-08', to: '2026-12-07' })).toThrow(/before/);
    expect(() => generateShifts({ ...one, from: '2026-12-01', to: '2027-03-03' })).toThrow(/92 days/);
    expect(generateShifts({ ...one, from: '2026-12-01', to: '2027-03-02' })).toHaveLength(184);
    expect(() => generateShifts({ ...one, from: '2026-02-29', to: '2026-03-01' })).toThrow(/real dates/);
  });
});

describe('swaps', () => {
  // Checkpoint 7 on 2 × 12 h from 08:00, checkpoint 8 on 3 × 8 h, and one extra shift at 7 that
  // overlaps its day shift (an extra hand at the busy hours).
  const shifts: Shift[] = [
    ...generateShifts({
      checkpointId: 7,
      pattern: { kind: 'two_by_twelve', firstStart: '08:00' },
      from: '2026-12-07',
      to: '2026-12-08',
      required: 1,
    }),
    ...generateShifts({
      checkpointId: 8,
      pattern: { kind: 'three_by_eight' },
      from: '2026-12-08',
      to: '2026-12-08',
      required: 1,
    }),
    {
      key: '7/extra',
      checkpointId: 7,
      day: '2026-12-07',
      slot: 9,
      start: '2026-12-07T12:00:00+08:00',
      end: '2026-12-07T16:00:00+08:00',
      required: 1,
    },
  ];
  const assignments: Assignment[] = [
    ...on('7/2026-12-07/0', [1, 6]), // 12-07 08:00–20:00
    ...on('7/2026-12-07/1', [2]), // 12-07 20:00 – 12-08 08:00
    ...on('7/2026-12-08/0', [3, 8]), // 12-08 08:00–20:00
    ...on('8/2026-12-08/1', [2, 5]), // 12-08 08:00–16:00 at the other checkpoint
    ...on('7/extra', [7]),
    ...on('7/2026-12-07/0', [8]),
  ];
  const roster = { shifts, assignments, now: '2026-12-06T12:00:00+08:00' };
  const swap = (a: [number, string], b: [number, string], now = roster.now) =>
    checkSwap({ ...roster, now }, { personId: a[0], shiftKey: a[1] }, { personId: b[0], shiftKey: b[1] });

  it('two people on non-overlapping shifts of one checkpoint may swap', () => {
    expect(swap([1, '7/2026-12-07/0'], [3, '7/2026-12-08/0'])).toEqual({ ok: true, value: null });
    expect(swap([1, '7/2026-12-07/0'], [2, '7/2026-12-07/1'])).toEqual({ ok: true, value: null });
  });

  it.each([
    ['with oneself', [1, '7/2026-12-07/0'], [1, '7/2026-12-08/0'], 'shift.swap_same_person'],
    ['within one shift', [1, '7/2026-12-07/0'], [6, '7/2026-12-07/0'], 'shift.swap_same_shift'],
    ['a shift one is not on', [1, '7/2026-12-08/0'], [3, '7/2026-12-07/0'], 'shift.swap_not_assigned'],
    ['a shift that does not exist', [1, '7/2026-12-07/0'], [3, '7/2026-12-09/0'], 'shift.swap_not_assigned'],
    ['across checkpoints', [2, '7/2026-12-07/1'], [5, '8/2026-12-08/1'], 'shift.swap_other_checkpoint'],
    ['overlapping shifts', [1, '7/2026-12-07/0'], [7, '7/extra'], 'shift.swap_overlap'],
    // 2 would take 08:00–20:00 on the 8th while on 08:00–16:00 at checkpoint 8.
    ['into a clash elsewhere', [2, '7/2026-12-07/1'], [3, '7/2026-12-08/0'], 'shift.swap_busy'],
    // 8 is already on the 7th's day shift that 1 gives up.
    ['onto a shift one already has', [1, '7/2026-12-07/0'], [8, '7/2026-12-08/0'], 'shift.swap_busy'],
  ] as const)('refuses a swap %s', (_what, a, b, reason) => {
    expect(swap([...a], [...b])).toEqual({ ok: false, reason });
  });

  it('refuses once either shift has started', () => {
    expect(swap([1, '7/2026-12-07/0'], [3, '7/2026-12-08/0'], '2026-12-07T07:59:00+08:00').ok).toBe(true);
    expect(swap([1, '7/2026-12-07/0'], [3, '7/2026-12-08/0'], '2026-12-07T08:00:00+08:00')).toEqual({
      ok: false,
      reason: 'shift.swap_started',
    });
  });
});
