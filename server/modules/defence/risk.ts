// Whether a traveller at a checkpoint is risky, and why (pure): their screening answers (their own,
// falling back to the passage's) and where they came from, against the incident command's risk rules.
// A checkpoint without a command, or a command without rules, uses DEFAULT_RISK_RULES: the answers
// count, no region is key.
import type { RiskReason, RiskRules, ScreeningAnswers } from '../../../common/contracts/passages.js';

export const DEFAULT_RISK_RULES: RiskRules = {
  keyRegions: [],
  keyRegion14dRisky: true,
  caseContactRisky: true,
  feverAt: 37.3,
  handoffHours: 24,
  retentionDays: 28,
};

/** A traveller's answers with the passage's filling in what they did not answer themselves. */
export function mergeAnswers(own: ScreeningAnswers | undefined, passage: ScreeningAnswers | undefined) {
  const out: ScreeningAnswers = { ...(passage ?? {}) };
  for (const [k, v] of Object.entries(own ?? {}) as [keyof ScreeningAnswers, never][])
    if (v !== undefined) out[k] = v;
  return out;
}

/**
 * A key region matches itself and the regions inside it: a rule naming 420100 (Wuhan) or 420000
 * (Hubei) matches a traveller from 420102.
 */
export function inKeyRegion(region: string, keyRegions: readonly string[]): boolean {
  return keyRegions.some((k) => {
    if (k === region) return true;
    if (k.endsWith('0000')) return region.startsWith(k.slice(0, 2));
    if (k.endsWith('00')) return region.startsWith(k.slice(0, 4));
    return false;
  });
}

export interface RiskVerdict {
  risky: boolean;
  reasons: RiskReason[];
  answers: ScreeningAnswers;
}

export function assessTraveller(
  rules: RiskRules,
  t: { answers?: ScreeningAnswers | undefined },
  passage: { answers?: ScreeningAnswers | undefined; originRegion?: string | null | undefined },
): RiskVerdict {
  const answers = mergeAnswers(t.answers, passage.answers);
  const reasons: RiskReason[] = [];
  if (rules.keyRegion14dRisky && answers.keyRegion14d === true) reasons.push('key_region');
  if (rules.caseContactRisky && answers.caseContact === true) reasons.push('case_contact');
  if (answers.temperature !== undefined && answers.temperature >= rules.feverAt) reasons.push('fever');
  if (passage.originRegion && inKeyRegion(passage.originRegion, rules.keyRegions))
    reasons.push('origin_key_region');
  return { risky: reasons.length > 0, reasons, answers };
}
