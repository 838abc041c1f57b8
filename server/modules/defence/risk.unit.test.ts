// The risk verdict, table-driven: answers (a traveller's own over the passage's), the fever line,
// rules that switch an answer off, and key regions matching the counties inside them.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_RULES, assessTraveller, inKeyRegion, mergeAnswers } from './risk.js';

const rules = { ...DEFAULT_RISK_RULES, keyRegions: ['420100', '650000', '110105'] };

describe('risk.ts', () => {
  it.each([
    [{}, {}, null, []],
    [{ keyRegion14d: true }, {}, null, ['key_region']],
    [{}, { caseContact: true }, null, ['case_contact']],
    [{ temperature: 37.3 }, {}, null, ['fever']],
    [{ temperature: 37.2 }, {}, null, []],
    // The traveller's own answer wins over the passage's.
    [{ temperature: 36.5 }, { temperature: 38 }, null, []],
    [{}, { temperature: 38 }, '420102', ['fever', 'origin_key_region']],
    [{}, {}, '650102', ['origin_key_region']],
    [{}, {}, '110105', ['origin_key_region']],
    [{}, {}, '110106', []],
    [{}, {}, '330112', []],
  ] as const)('own %j, passage %j, from %s → %j', (own, passage, origin, reasons) => {
    const v = assessTraveller(rules, { answers: own }, { answers: passage, originRegion: origin });
    expect(v.reasons).toEqual(reasons);
    expect(v.risky).toBe(reasons.length > 0);
  });

  it('rules can switch an answer off; without rules no region is key', () => {
    const off = { ...rules, keyRegion14dRisky: false, caseContactRisky: false };
    expect(assessTraveller(off, { answers: { keyRegion14d: true, caseContact: true } }, {}).risky).toBe(
      false,
    );
    expect(assessTraveller(DEFAULT_RISK_RULES, {}, { originRegion: '420102' }).risky).toBe(false);
  });

  it('merges answers field by field', () => {
    expect(mergeAnswers({ temperature: 36 }, { keyRegion14d: true, temperature: 39 })).toEqual({
      keyRegion14d: true,
      temperature: 36,
    });
    expect(inKeyRegion('420102', ['420000'])).toBe(true);
    expect(inKeyRegion('430102', ['420000'])).toBe(false);
  });
});
