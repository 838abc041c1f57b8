import { describe, expect, it } from 'vitest';
import { addDays, daysUntil, formatHm, instantToLocal, localToInstant, shanghaiDay } from './dates.js';

describe('Shanghai days and times', () => {
  it('takes the date in Shanghai, whatever the browser’s zone', () => {
    expect(shanghaiDay(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
    expect(shanghaiDay(new Date('2026-03-01T15:59:00Z'))).toBe('2026-03-01');
  });
  it('reads a datetime-local value as Shanghai time and back', () => {
    expect(localToInstant('2026-03-02T09:30')).toBe('2026-03-02T09:30:00+08:00');
    expect(localToInstant('')).toBeNull();
    expect(instantToLocal('2026-03-02T01:30:00.000Z')).toBe('2026-03-02T09:30');
    expect(formatHm('2026-03-02T01:30:00.000Z')).toBe('09:30');
  });
  it('counts the days left to a deadline', () => {
    expect(daysUntil('2026-03-31', '2026-03-01')).toBe(30);
    expect(daysUntil('2026-03-01', '2026-03-01')).toBe(0);
    expect(daysUntil('2026-02-28', '2026-03-01')).toBe(-1);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});
