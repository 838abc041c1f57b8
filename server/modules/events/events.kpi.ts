// KPI formulas of joint handling (docs/kpis.md): pure functions from rolled-up counters to figures.
import type { KpiCounter, KpiFigures } from '../../../common/contracts/events.js';

export type KpiCounts = Record<KpiCounter, number> & { handling_hours: number };

export const ZERO_COUNTS = (): KpiCounts => ({
  received: 0,
  accepted: 0,
  rejected: 0,
  due: 0,
  closed: 0,
  closed_on_time: 0,
  sign_due: 0,
  signed_on_time: 0,
  verified: 0,
  reworked: 0,
  handled: 0,
  evaluated: 0,
  satisfied: 0,
  escalated_village: 0,
  escalated_town: 0,
  escalated_district: 0,
  handling_hours: 0,
});

/** A percentage with two decimals, rounded half up (911/972 → 93.72); null when nothing is due. */
export function percent(part: number, whole: number): number | null {
  if (whole === 0) return null;
  // Integer arithmetic on ten-thousandths avoids binary rounding surprises at the half.
  return Math.floor((part * 10_000 * 2 + whole) / (2 * whole)) / 100;
}

export function kpiFigures(c: KpiCounts, overdueNow: number): KpiFigures {
  return {
    received: c.received,
    accepted: c.accepted,
    rejected: c.rejected,
    filingRate: percent(c.accepted, c.accepted + c.rejected),
    due: c.due,
    closed: c.closed,
    closedOnTime: c.closed_on_time,
    closingRate: percent(c.closed, c.due),
    onTimeClosingRate: percent(c.closed_on_time, c.due),
    signDue: c.sign_due,
    signedOnTime: c.signed_on_time,
    onTimeSigningRate: percent(c.signed_on_time, c.sign_due),
    verified: c.verified,
    reworked: c.reworked,
    reworkRate: percent(c.reworked, c.verified),
    meanHandlingHours: c.handled === 0 ? null : Math.round((c.handling_hours / c.handled) * 100) / 100,
    evaluated: c.evaluated,
    satisfied: c.satisfied,
    satisfactionRate: percent(c.satisfied, c.evaluated),
    escalations: { village: c.escalated_village, town: c.escalated_town, district: c.escalated_district },
    overdueNow,
  };
}
