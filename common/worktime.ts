// The working-time calendar that case time limits (办理时限) are counted in: only the hours of
// working periods on working days count, in Asia/Shanghai local time.
//
// Shanghai is taken as a fixed UTC+8 and applied by arithmetic, never through the machine's time
// zone or Intl data, so server and browser agree whatever their settings. (China last observed
// daylight saving in 1991, long before any case this counts.) Only UTC Date methods are used.

export interface WorkCalendar {
  /** Working periods of a working day, local time 'HH:MM', ascending, non-overlapping. */
  periods: readonly (readonly [string, string])[];
  /** Local dates 'YYYY-MM-DD' that are public holidays (no work even on a weekday). */
  holidays: ReadonlySet<string>;
  /** Local dates 'YYYY-MM-DD' that are make-up working days (调休上班), worked even on a weekend. */
  makeupWorkdays: ReadonlySet<string>;
}

/** 08:30–12:00 and 13:30–18:00: 8 working hours a day. */
export const DEFAULT_PERIODS: readonly (readonly [string, string])[] = Object.freeze([
  Object.freeze(['08:30', '12:00'] as const),
  Object.freeze(['13:30', '18:00'] as const),
]);

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * MS_PER_HOUR;
/** No case limit runs for a century; past this a calendar without working days would loop for ever. */
const MAX_DAYS = 36_525;

export function makeCalendar(
  input: {
    periods?: readonly (readonly [string, string])[];
    holidays?: Iterable<string>;
    makeupWorkdays?: Iterable<string>;
  } = {},
): WorkCalendar {
  const periods = input.periods ?? DEFAULT_PERIODS;
  parsePeriods(periods);
  const holidays = collectDates(input.holidays ?? [], 'holiday');
  const makeupWorkdays = collectDates(input.makeupWorkdays ?? [], 'make-up working day');
  for (const ymd of holidays) {
    if (makeupWorkdays.has(ymd)) {
      throw new Error(`Work calendar: ${ymd} cannot be both a holiday and a make-up working day`);
    }
  }
  // Copied and frozen so a caller's later edits cannot change a calendar already in use.
  return {
    periods: Object.freeze(periods.map(([start, end]) => Object.freeze([start, end] as const))),
    holidays,
    makeupWorkdays,
  };
}

/** The Asia/Shanghai calendar date 'YYYY-MM-DD' of an instant. */
export function localDate(iso: string): string {
  return ymdOfDay(localDayOf(parseInstant(iso)));
}

/** The instant a local (Asia/Shanghai) calendar day 'YYYY-MM-DD' begins, as ISO text. */
export function localMidnight(ymd: string): string {
  return new Date(`${ymd}T00:00:00+08:00`).toISOString();
}

/**
 * The calendar date `days` after a real date 'YYYY-MM-DD' (negative: before). Pure date arithmetic:
 * no instant and no time zone is involved, so a 14-day order starting 2026-03-07 ends 2026-03-20
 * whatever the server's zone (SORMAS's users saw follow-up dates shift across zones).
 */
export function addDays(ymd: string, days: number): string {
  return ymdOfDay(dayOfYmd(ymd, 'date') + days);
}

/** Whole days from `from` to `to` (both 'YYYY-MM-DD'): 2026-03-07 → 2026-03-20 is 13. */
export function daysBetween(from: string, to: string): number {
  return dayOfYmd(to, 'date') - dayOfYmd(from, 'date');
}

/** Mon–Fri unless a holiday; Sat/Sun only if a make-up working day. */
export function isWorkingDay(cal: WorkCalendar, ymd: string): boolean {
  return isWorkingDayNumber(cal, dayOfYmd(ymd, 'date'));
}

export function workingHoursPerDay(cal: WorkCalendar): number {
  let minutes = 0;
  for (const [start, end] of parsePeriods(cal.periods)) minutes += end - start;
  return minutes / 60;
}

/**
 * The instant that lies `hours` working hours after `startIso`. Time outside working periods does
 * not count; a start outside working time begins counting at the next working period. A limit that
 * runs out exactly at the end of a period falls due then (e.g. 12:00), not at the next period's start.
 * Returns ISO-8601 UTC with milliseconds. With 0 hours the start is returned unchanged.
 */
export function addWorkingHours(cal: WorkCalendar, startIso: string, hours: number): string {
  const start = parseInstant(startIso);
  if (!Number.isFinite(hours) || hours < 0) {
    throw new Error(`Working hours must be a finite number ≥ 0, got ${String(hours)}`);
  }
  const periods = parsePeriods(cal.periods);
  let remainingMs = hours * MS_PER_HOUR;
  if (remainingMs === 0) return new Date(start).toISOString();

  const firstDay = localDayOf(start);
  for (let day = firstDay; day - firstDay <= MAX_DAYS; day++) {
    if (!isWorkingDayNumber(cal, day)) continue;
    const midnight = day * MS_PER_DAY - SHANGHAI_OFFSET_MS;
    for (const [startMin, endMin] of periods) {
      const from = Math.max(midnight + startMin * MS_PER_MINUTE, start);
      const to = midnight + endMin * MS_PER_MINUTE;
      if (from >= to) continue;
      if (remainingMs <= to - from) {
        // Fractional hours land between milliseconds; `to` is whole, so rounding cannot pass it.
        return new Date(Math.round(from + remainingMs)).toISOString();
      }
      remainingMs -= to - from;
    }
  }
  throw new Error(
    `${String(hours)} working hours from ${startIso} do not end within 100 years; ` +
      'does the calendar have any working days?',
  );
}

/** Working hours between two instants (0 if to <= from), fractional. */
export function workingHoursBetween(cal: WorkCalendar, fromIso: string, toIso: string): number {
  const fromMs = parseInstant(fromIso);
  const toMs = parseInstant(toIso);
  const periods = parsePeriods(cal.periods);
  if (toMs <= fromMs) return 0;

  const firstDay = localDayOf(fromMs);
  const lastDay = localDayOf(toMs);
  if (lastDay - firstDay > MAX_DAYS) {
    throw new Error(`Working hours between ${fromIso} and ${toIso}: the span exceeds 100 years`);
  }
  let totalMs = 0;
  for (let day = firstDay; day <= lastDay; day++) {
    if (!isWorkingDayNumber(cal, day)) continue;
    const midnight = day * MS_PER_DAY - SHANGHAI_OFFSET_MS;
    for (const [startMin, endMin] of periods) {
      const from = Math.max(midnight + startMin * MS_PER_MINUTE, fromMs);
      const to = Math.min(midnight + endMin * MS_PER_MINUTE, toMs);
      if (to > from) totalMs += to - from;
    }
  }
  return totalMs / MS_PER_HOUR;
}

// ---- internals ----

/** Days since 1970-01-01 of the Shanghai local date of an instant. */
function localDayOf(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
}

function isWorkingDayNumber(cal: WorkCalendar, day: number): boolean {
  // 1970-01-01 was a Thursday; 0 = Sunday … 6 = Saturday.
  const weekday = (((day + 4) % 7) + 7) % 7;
  const ymd = ymdOfDay(day);
  if (weekday === 0 || weekday === 6) return cal.makeupWorkdays.has(ymd);
  return !cal.holidays.has(ymd);
}

function ymdOfDay(day: number): string {
  const d = new Date(day * MS_PER_DAY);
  const y = d.getUTCFullYear();
  return `${String(y).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Days since 1970-01-01 of a real calendar date 'YYYY-MM-DD'; throws otherwise. */
function dayOfYmd(ymd: string, what: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  const day = m ? civilDay(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  if (day === null)
    throw new Error(`Work calendar: ${what} ${JSON.stringify(ymd)} is not a real date YYYY-MM-DD`);
  return day;
}

/** Days since 1970-01-01, or null if the date does not exist (2026-02-30). */
function civilDay(year: number, month: number, date: number): number | null {
  const d = new Date(0);
  // setUTCFullYear rather than Date.UTC, which would read years 0–99 as 1900–1999.
  d.setUTCFullYear(year, month - 1, date);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== date) return null;
  return d.getTime() / MS_PER_DAY;
}

function collectDates(dates: Iterable<string>, what: string): ReadonlySet<string> {
  const set = new Set<string>();
  for (const ymd of dates) {
    dayOfYmd(ymd, what);
    set.add(ymd);
  }
  return set;
}

/** Periods as [start, end] minutes after local midnight, validated. */
function parsePeriods(periods: readonly (readonly [string, string])[]): [number, number][] {
  if (periods.length === 0) throw new Error('Work calendar: at least one working period is required');
  const parsed: [number, number][] = [];
  let previousEnd = 0;
  for (const [startText, endText] of periods) {
    const start = minutesOf(startText, false);
    const end = minutesOf(endText, true);
    const label = `${startText}–${endText}`;
    if (end <= start) throw new Error(`Work calendar: period ${label} must end after it starts`);
    if (start < previousEnd) {
      throw new Error(
        `Work calendar: period ${label} overlaps or precedes the one before; periods must ascend`,
      );
    }
    parsed.push([start, end]);
    previousEnd = end;
  }
  return parsed;
}

/** 'HH:MM' → minutes after midnight; '24:00' only as a period's end (work until midnight). */
function minutesOf(hhmm: string, isEnd: boolean): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  if (isEnd && hhmm === '24:00') return 24 * 60;
  throw new Error(`Work calendar: ${JSON.stringify(hhmm)} is not a time HH:MM`);
}

/**
 * Epoch milliseconds of an ISO-8601 instant. Parsed by hand because Date.parse reads a string
 * without an offset as machine-local time, and a deadline must not depend on the machine.
 */
function parseInstant(iso: string): number {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i.exec(
      iso,
    );
  const fail = () => new Error(`Not an ISO-8601 instant with Z or an offset: ${JSON.stringify(iso)}`);
  if (!m) throw fail();
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone = 'Z'] = m;
  const day = civilDay(Number(y), Number(mo), Number(d));
  if (day === null || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw fail();
  let offsetMin = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const offH = Number(digits.slice(0, 2));
    const offM = Number(digits.slice(2) || '0');
    if (offH > 23 || offM > 59) throw fail();
    offsetMin = (zone.startsWith('-') ? -1 : 1) * (offH * 60 + offM);
  }
  // Digits beyond milliseconds are dropped, as Date does.
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  return day * MS_PER_DAY + ((Number(h) * 60 + Number(mi) - offsetMin) * 60 + Number(s)) * 1000 + ms;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
