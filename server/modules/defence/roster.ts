// Duty rosters (值班) at checkpoints (卡口), as pure arithmetic: shift patterns turned into shifts for a
// range of days, the coverage of those shifts by the people assigned, no-shows, the check-in window
// and swap validity. No database and no clock: callers pass `now`. Tables, routes and pages build on
// this (docs/ARCHITECTURE.md, 'Folders').
//
// Local time is Asia/Shanghai taken as a fixed UTC+8 and applied by arithmetic, as in
// common/worktime.ts, so server and browser agree whatever the machine's zone. A roster's day is a
// duty day: it begins at the pattern's first shift (a 2 × 12 h pattern from 08:00 runs from 08:00 to
// 08:00 the next morning), and a shift belongs to the day its duty day began on.
import { isRealDate, type Checked } from '../../../common/validators.js';

export const SHIFT_PATTERN_KINDS = ['three_by_eight', 'two_by_twelve', 'custom'] as const;
export type ShiftPatternKind = (typeof SHIFT_PATTERN_KINDS)[number];

/** One shift of a custom day: its local start 'HH:MM', its length and, optionally, its own staffing. */
export interface ShiftSlot {
  start: string;
  minutes: number;
  required?: number;
}
export type ShiftPattern =
  | { kind: 'three_by_eight'; firstStart?: string }
  | { kind: 'two_by_twelve'; firstStart?: string }
  /** The first slot listed begins the duty day; the others follow it within 24 hours. */
  | { kind: 'custom'; slots: readonly ShiftSlot[] };

export interface Shift {
  /** `checkpointId/day/slot`: one shift of one checkpoint, stable across regenerations. */
  key: string;
  checkpointId: number;
  /** The local date 'YYYY-MM-DD' the shift's duty day began on. */
  day: string;
  /** Position in the duty day, from 0. */
  slot: number;
  /** ISO-8601 UTC instants. */
  start: string;
  end: string;
  required: number;
}

export interface Assignment {
  shiftKey: string;
  personId: number;
  /** When the person checked in (ISO-8601 with an offset), or null/absent if not yet. */
  checkedInAt?: string | null;
}

export type CoverageStatus = 'covered' | 'understaffed' | 'uncovered';
export interface ShiftCoverage {
  shift: Shift;
  /** Distinct people assigned. */
  assigned: number;
  required: number;
  status: CoverageStatus;
  /** People assigned who had not checked in when the shift's check-in window closed (only once it has). */
  noShows: number[];
}

export type PatternReason =
  'shift.pattern_empty' | 'shift.pattern_time' | 'shift.pattern_duration' | 'shift.pattern_overlap';
export type CheckInReason = 'shift.too_early' | 'shift.too_late';
export type SwapReason =
  | 'shift.swap_same_person'
  | 'shift.swap_same_shift'
  | 'shift.swap_not_assigned'
  | 'shift.swap_other_checkpoint'
  | 'shift.swap_started'
  | 'shift.swap_overlap'
  | 'shift.swap_busy';

/** Minutes either side of a shift's start in which its people check in. */
export const CHECK_IN_WINDOW_MINUTES = 30;
/** The longest range one generation covers (a quarter). */
export const ROSTER_MAX_DAYS = 92;
export const SHIFT_MINUTES = { min: 30, max: 24 * 60 } as const;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const MINUTES_PER_DAY = 24 * 60;

interface DaySlot {
  /** Minutes after the duty day's first start. */
  offset: number;
  minutes: number;
  required?: number;
}
interface DayPattern {
  /** Local minutes after midnight at which the duty day begins. */
  firstStart: number;
  slots: DaySlot[];
}

/**
 * A pattern's shifts within one duty day, or the reason it cannot be rostered: a start that is not
 * 'HH:MM', a length outside 30 minutes to 24 hours, or two shifts that overlap (the last one of a
 * day also against the first one of the next).
 */
export function checkPattern(pattern: ShiftPattern): Checked<DayPattern, PatternReason> {
  const fixed = (hours: number, count: number, firstStart = '00:00'): Checked<DayPattern, PatternReason> =>
    checkPattern({
      kind: 'custom',
      slots: Array.from({ length: count }, (_, i) => ({
        start: hhmm((minutesOf(firstStart) ?? 0) + i * hours * 60),
        minutes: hours * 60,
      })),
    });
  if (pattern.kind === 'three_by_eight' || pattern.kind === 'two_by_twelve') {
    if (pattern.firstStart !== undefined && minutesOf(pattern.firstStart) === null)
      return { ok: false, reason: 'shift.pattern_time' };
    return pattern.kind === 'three_by_eight'
      ? fixed(8, 3, pattern.firstStart)
      : fixed(12, 2, pattern.firstStart);
  }
  const { slots } = pattern;
  if (slots.length === 0) return { ok: false, reason: 'shift.pattern_empty' };
  const starts: number[] = [];
  for (const slot of slots) {
    const start = minutesOf(slot.start);
    if (start === null) return { ok: false, reason: 'shift.pattern_time' };
    if (
      !Number.isInteger(slot.minutes) ||
      slot.minutes < SHIFT_MINUTES.min ||
      slot.minutes > SHIFT_MINUTES.max
    )
      return {
        ok: false,
        reason: 'shift.pattern_duration',
        params: { min: String(SHIFT_MINUTES.min), max: String(SHIFT_MINUTES.max) },
      };
    if (slot.required !== undefined && !(Number.isInteger(slot.required) && slot.required >= 0))
      throw new Error(`Roster: a slot's required staff is a whole number ≥ 0, got ${String(slot.required)}`);
    starts.push(start);
  }
  const firstStart = starts[0]!;
  const day = slots
    .map((slot, i) => ({
      offset: (starts[i]! - firstStart + MINUTES_PER_DAY) % MINUTES_PER_DAY,
      minutes: slot.minutes,
      ...(slot.required !== undefined ? { required: slot.required } : {}),
    }))
    .sort((a, b) => a.offset - b.offset);
  for (let i = 0; i < day.length; i++) {
    const here = day[i]!;
    // The next shift: the following one this day, or the first one of the next duty day.
    const nextOffset = i + 1 < day.length ? day[i + 1]!.offset : MINUTES_PER_DAY;
    if (here.offset + here.minutes > nextOffset) {
      const next = i + 1 < day.length ? day[i + 1]! : day[0]!;
      return {
        ok: false,
        reason: 'shift.pattern_overlap',
        params: { first: hhmm(firstStart + here.offset), second: hhmm(firstStart + next.offset) },
      };
    }
  }
  return { ok: true, value: { firstStart, slots: day } };
}

/**
 * The shifts of one checkpoint for the duty days `from`..`to` (local dates, both included), in order
 * of start. `required` is the checkpoint's staff per shift unless a custom slot names its own.
 * Throws on an invalid pattern or range: requests are checked against `checkPattern` and the
 * contract's range first, so reaching here with one is a programming error.
 */
export function generateShifts(input: {
  checkpointId: number;
  pattern: ShiftPattern;
  from: string;
  to: string;
  required: number;
}): Shift[] {
  const { checkpointId, from, to, required } = input;
  const checked = checkPattern(input.pattern);
  if (!checked.ok) throw new Error(`Roster: invalid shift pattern (${checked.reason})`);
  if (!isRealDate(from) || !isRealDate(to)) throw new Error(`Roster: ${from}..${to} are not real dates`);
  if (!Number.isInteger(required) || required < 0)
    throw new Error(`Roster: required staff is a whole number ≥ 0, got ${String(required)}`);
  const first = dayNumber(from);
  const last = dayNumber(to);
  if (last < first) throw new Error(`Roster: ${to} is before ${from}`);
  if (last - first + 1 > ROSTER_MAX_DAYS)
    throw new Error(`Roster: ${from}..${to} is longer than ${ROSTER_MAX_DAYS} days`);

  const { firstStart, slots } = checked.value;
  const shifts: Shift[] = [];
  for (let d = first; d <= last; d++) {
    const day = ymdOf(d);
    const dayStart = d * MS_PER_DAY - SHANGHAI_OFFSET_MS + firstStart * MS_PER_MINUTE;
    slots.forEach((slot, i) => {
      const start = dayStart + slot.offset * MS_PER_MINUTE;
      shifts.push({
        key: `${checkpointId}/${day}/${i}`,
        checkpointId,
        day,
        slot: i,
        start: new Date(start).toISOString(),
        end: new Date(start + slot.minutes * MS_PER_MINUTE).toISOString(),
        required: slot.required ?? required,
      });
    });
  }
  return shifts;
}

/**
 * Each shift's coverage by its assignments: distinct people against the staff required
 * (none: uncovered; fewer: understaffed; enough: covered), and once the check-in window has closed
 * at `now`, the people who did not check in within it. Assignments to shifts not listed are ignored,
 * so a caller may pass a checkpoint's assignments with only the shifts it shows.
 */
export function coverage(
  shifts: readonly Shift[],
  assignments: readonly Assignment[],
  now: string,
  windowMinutes: number = CHECK_IN_WINDOW_MINUTES,
): ShiftCoverage[] {
  const nowMs = instant(now);
  const byShift = new Map<string, Map<number, Assignment>>();
  for (const a of assignments) {
    let people = byShift.get(a.shiftKey);
    if (!people) byShift.set(a.shiftKey, (people = new Map<number, Assignment>()));
    // The same person listed twice counts once, checked in if either entry is.
    const seen = people.get(a.personId);
    if (!seen || (!seen.checkedInAt && a.checkedInAt)) people.set(a.personId, a);
  }
  return shifts.map((shift) => {
    const people = byShift.get(shift.key) ?? new Map<number, Assignment>();
    const assigned = people.size;
    const status: CoverageStatus =
      assigned >= shift.required ? 'covered' : assigned === 0 ? 'uncovered' : 'understaffed';
    const { opens, closes } = checkInWindow(shift, windowMinutes);
    const noShows =
      nowMs > closes
        ? [...people.values()]
            .filter((a) => {
              if (!a.checkedInAt) return true;
              const at = instant(a.checkedInAt);
              return at < opens || at > closes;
            })
            .map((a) => a.personId)
            .sort((x, y) => x - y)
        : [];
    return { shift, assigned, required: shift.required, status, noShows };
  });
}

/**
 * Whether a check-in at `at` falls in the shift's window (from `windowMinutes` before its start to
 * as many after, both included). On success, how many minutes after the start it came (negative
 * when early); otherwise `shift.too_early` or `shift.too_late` with the local times to show.
 */
export function checkInAllowed(
  shift: Shift,
  at: string,
  windowMinutes: number = CHECK_IN_WINDOW_MINUTES,
): Checked<{ minutesFromStart: number }, CheckInReason> {
  const atMs = instant(at);
  const { opens, closes } = checkInWindow(shift, windowMinutes);
  const start = localText(instant(shift.start));
  if (atMs < opens)
    return { ok: false, reason: 'shift.too_early', params: { start, opens: localText(opens) } };
  if (atMs > closes)
    return { ok: false, reason: 'shift.too_late', params: { start, closes: localText(closes) } };
  return { ok: true, value: { minutesFromStart: Math.floor((atMs - instant(shift.start)) / MS_PER_MINUTE) } };
}

/**
 * Whether two people may swap their shifts (`a` takes `b.shiftKey` and `b` takes `a.shiftKey`): two
 * different people, each on the shift they give up, two different shifts of the same checkpoint that
 * have not started and do not overlap, and afterwards nobody on two overlapping shifts (nor twice on
 * one). The lead approves a valid request; this says which are valid.
 */
export function checkSwap(
  roster: { shifts: readonly Shift[]; assignments: readonly Assignment[]; now: string },
  a: { personId: number; shiftKey: string },
  b: { personId: number; shiftKey: string },
): Checked<null, SwapReason> {
  const fail = (reason: SwapReason): Checked<null, SwapReason> => ({ ok: false, reason });
  if (a.personId === b.personId) return fail('shift.swap_same_person');
  if (a.shiftKey === b.shiftKey) return fail('shift.swap_same_shift');
  const shifts = new Map(roster.shifts.map((s) => [s.key, s]));
  const shiftA = shifts.get(a.shiftKey);
  const shiftB = shifts.get(b.shiftKey);
  const isOn = (personId: number, key: string) =>
    roster.assignments.some((x) => x.personId === personId && x.shiftKey === key);
  if (!shiftA || !shiftB || !isOn(a.personId, a.shiftKey) || !isOn(b.personId, b.shiftKey))
    return fail('shift.swap_not_assigned');
  if (shiftA.checkpointId !== shiftB.checkpointId) return fail('shift.swap_other_checkpoint');
  const nowMs = instant(roster.now);
  if (instant(shiftA.start) <= nowMs || instant(shiftB.start) <= nowMs) return fail('shift.swap_started');
  if (overlaps(shiftA, shiftB)) return fail('shift.swap_overlap');
  // After the swap each takes the other's shift, keeping all their other shifts (at any checkpoint).
  const busy = (personId: number, gives: Shift, takes: Shift) =>
    roster.assignments.some((x) => {
      if (x.personId !== personId || x.shiftKey === gives.key) return false;
      // A shift overlaps itself, so being on `takes` already counts too.
      const other = shifts.get(x.shiftKey);
      return other !== undefined && overlaps(other, takes);
    });
  if (busy(a.personId, shiftA, shiftB) || busy(b.personId, shiftB, shiftA)) return fail('shift.swap_busy');
  return { ok: true, value: null };
}

// ---- internals ----

function checkInWindow(shift: Shift, windowMinutes: number): { opens: number; closes: number } {
  if (!Number.isFinite(windowMinutes) || windowMinutes < 0)
    throw new Error(`Roster: a check-in window is minutes ≥ 0, got ${String(windowMinutes)}`);
  const start = instant(shift.start);
  return { opens: start - windowMinutes * MS_PER_MINUTE, closes: start + windowMinutes * MS_PER_MINUTE };
}

function overlaps(x: Shift, y: Shift): boolean {
  return instant(x.start) < instant(y.end) && instant(y.start) < instant(x.end);
}

/** 'HH:MM' (00:00–23:59) → minutes after midnight, or null. */
function minutesOf(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Minutes after midnight (any, wrapped into a day) → 'HH:MM'. */
function hhmm(minutes: number): string {
  const m = ((minutes % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Days since 1970-01-01 of a real date 'YYYY-MM-DD'. */
function dayNumber(ymd: string): number {
  return (
    Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10))) / MS_PER_DAY
  );
}

function ymdOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** An instant as Asia/Shanghai 'YYYY-MM-DD HH:MM', for the texts people read. */
function localText(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Epoch milliseconds of an ISO-8601 instant with Z or an offset. One without would be read as the
 * machine's local time, which a roster must not depend on.
 */
function instant(iso: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(iso)
    ? Date.parse(iso)
    : Number.NaN;
  if (Number.isNaN(ms))
    throw new Error(`Roster: not an ISO-8601 instant with Z or an offset: ${JSON.stringify(iso)}`);
  return ms;
}
