// Days and times as the district keeps them (Asia/Shanghai), whatever the browser's zone: today's
// date, a datetime-local input's value as an instant, days left to a deadline.
import { formatTime } from '../../app/format.js';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** YYYY-MM-DD in Asia/Shanghai. */
export function shanghaiDay(at: Date = new Date()): string {
  return dayFormat.format(at);
}

/** A `datetime-local` value (YYYY-MM-DDTHH:mm), read as Shanghai time, as an ISO instant with its offset. */
export function localToInstant(value: string): string | null {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+08:00` : null;
}

/** An instant as a `datetime-local` value in Shanghai time (the inverse of localToInstant). */
export function instantToLocal(iso: string): string {
  const s = formatTime(iso);
  return s ? `${s.slice(0, 10)}T${s.slice(11, 16)}` : '';
}

/** HH:mm of an instant in Shanghai. */
export function formatHm(iso: string): string {
  return formatTime(iso).slice(11, 16);
}

/** YYYY-MM-DD HH:mm of an instant in Shanghai. */
export function formatMinute(iso: string | null | undefined): string {
  return formatTime(iso).slice(0, 16);
}

/** Whole days from `today` to `day` (both YYYY-MM-DD): 0 on the day itself, negative once past. */
export function daysUntil(day: string, today: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** The day `n` days after (or before, when negative) a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
