// GB 11643-1999 resident ID numbers, mainland mobile numbers and their masks.
// The check character is recomputed here from the standard's own definition (ISO 7064 MOD 11-2:
// weight of position i counted from the right is 2^(i-1) mod 11, and the whole sum including the
// check value a1 must be ≡ 1 mod 11, X standing for 10), not from the table the code uses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idNumberInput, phoneInput } from './contracts/people.js';
import {
  convert15to18,
  idCheckChar,
  maskIdNumber,
  maskPhone,
  normalizePhone,
  parseIdNumber,
} from './validators.js';

/** The check character by the standard's definition: find a1 in 0..10 with Σ(ai·Wi) ≡ 1 (mod 11). */
function referenceCheck(first17: string): string {
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += Number(first17[k]) * (2 ** (17 - k) % 11);
  for (let a1 = 0; a1 <= 10; a1++) if ((sum + a1) % 11 === 1) return a1 === 10 ? 'X' : String(a1);
  throw new Error('unreachable');
}
const withCheck = (first17: string) => first17 + referenceCheck(first17);
const TODAY = '2026-11-28';

describe('GB 11643 reference check', () => {
  it('the weights of the standard come out of 2^(i-1) mod 11', () => {
    expect(Array.from({ length: 17 }, (_, k) => 2 ** (17 - k) % 11)).toEqual([
      7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2,
    ]);
  });
  it('the code’s check character agrees with the reference on the published examples', () => {
    for (const first17 of [
      '11010519491231002',
      '44052418800101001',
      '11010119900307803',
      '13050319670401001',
    ]) {
      expect(idCheckChar(first17)).toBe(referenceCheck(first17));
    }
  });
});

describe('parseIdNumber: published valid examples', () => {
  // The two examples printed in GB 11643-1999 itself, and a widely used test number.
  it.each([
    ['11010519491231002X', '110105', '1949-12-31', 'female'],
    ['440524188001010014', '440524', '1880-01-01', 'male'],
    ['11010119900307803X', '110101', '1990-03-07', 'male'],
  ] as const)('%s is valid: region %s, born %s, %s', (id, region, birthDate, gender) => {
    // Verify the example independently before trusting it.
    expect(referenceCheck(id.slice(0, 17))).toBe(id[17]);
    const r = parseIdNumber(id, TODAY);
    expect(r).toEqual({ ok: true, value: { value: id, region, birthDate, gender } });
  });

  it('an X check character is accepted in lower case and stored upper case', () => {
    const r = parseIdNumber('11010519491231002x', TODAY);
    expect(r.ok && r.value.value).toBe('11010519491231002X');
    expect(parseIdNumber('  11010119900307803x ', TODAY)).toMatchObject({
      ok: true,
      value: { value: '11010119900307803X' },
    });
  });

  it('the zod input used by the forms normalises the same way', () => {
    expect(idNumberInput.parse('11010519491231002x')).toBe('11010519491231002X');
    expect(idNumberInput.parse('130503670401001')).toBe('130503196704010016');
    expect(idNumberInput.safeParse('110105194912310021').success).toBe(false);
  });

  it('gender comes from the 17th digit (odd male, even female) and the birth date from digits 7–14', () => {
    const male = withCheck('33011219850615001'); // 1 odd
    const female = withCheck('33011219850615002');
    expect(parseIdNumber(male, TODAY)).toMatchObject({
      ok: true,
      value: { gender: 'male', birthDate: '1985-06-15', region: '330112' },
    });
    expect(parseIdNumber(female, TODAY)).toMatchObject({
      ok: true,
      value: { gender: 'female', birthDate: '1985-06-15' },
    });
    // A leap day in a leap year is a real date.
    expect(parseIdNumber(withCheck('33011220000229003'), TODAY)).toMatchObject({
      ok: true,
      value: { birthDate: '2000-02-29', gender: 'male' },
    });
  });
});

describe('parseIdNumber: invalid numbers', () => {
  it.each([
    ['wrong check digit', '110105194912310021', 'id.check_char'],
    ['wrong check digit (X expected, 0 given)', '110105194912310020', 'id.check_char'],
    ['the other published example with a wrong check digit', '440524188001010015', 'id.check_char'],
    ['30 February with a correct check character', withCheck('11010519900230001'), 'id.birth_date'],
    ['29 February in 1900 (not a leap year)', withCheck('11010519000229001'), 'id.birth_date'],
    ['month 13', withCheck('11010519901301001'), 'id.birth_date'],
    ['day 00', withCheck('11010519900100001'), 'id.birth_date'],
    ['born in the future', withCheck('11010520990101001'), 'id.birth_future'],
    ['born tomorrow', withCheck('11010520261129001'), 'id.birth_future'],
    ['region starting with 0', withCheck('01010519491231002'), 'id.region'],
    ['17 characters', '11010519491231002', 'id.length'],
    ['19 characters', '11010519491231002X1', 'id.length'],
    ['16 digits', '1101051949123100', 'id.length'],
    ['empty', '', 'id.length'],
    ['letters inside', '1101051949I231002X', 'id.length'],
    ['X not at the end', '1101051949123100X2', 'id.length'],
    ['another letter as check character', '11010519491231002Y', 'id.length'],
    ['full-width digits', '１１０１０５１９４９１２３１００２Ｘ', 'id.length'],
  ])('%s: %s', (_what, id, reason) => {
    const r = parseIdNumber(id, TODAY);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });

  it('born today is allowed, born tomorrow is not', () => {
    expect(parseIdNumber(withCheck('11010520261128001'), TODAY).ok).toBe(true);
    expect(parseIdNumber(withCheck('11010520261129001'), TODAY).ok).toBe(false);
  });
});

describe('15-digit legacy numbers', () => {
  it('130503670401001 → 130503196704010016', () => {
    // Independent check: 19 inserted after the region, then the MOD 11-2 character.
    expect(withCheck('13050319670401001')).toBe('130503196704010016');
    expect(convert15to18('130503670401001')).toBe('130503196704010016');
    expect(parseIdNumber('130503670401001', TODAY)).toEqual({
      ok: true,
      value: { value: '130503196704010016', region: '130503', birthDate: '1967-04-01', gender: 'male' },
    });
  });
  it('110105491231002 → 11010519491231002X (the converted number can end in X)', () => {
    expect(convert15to18('110105491231002')).toBe('11010519491231002X');
    expect(parseIdNumber('110105491231002', TODAY)).toMatchObject({
      ok: true,
      value: { value: '11010519491231002X', gender: 'female' },
    });
  });
  it('a 15-digit number with an impossible date is refused', () => {
    expect(parseIdNumber('130503670230001', TODAY).ok).toBe(false);
    expect(parseIdNumber('13050367040100', TODAY).ok).toBe(false);
  });
});

// ---------------------------------------------------------------- properties
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const DAY = 86_400_000;
const FIRST = Date.UTC(1900, 0, 1);
const YESTERDAY = Date.parse(`${TODAY}T00:00:00Z`) - DAY;
/** A valid ID: region 110000–659999, a real past date, a sequence, the reference check character. */
const validId = fc
  .record({
    region: fc.integer({ min: 110000, max: 659999 }),
    day: fc.integer({ min: 0, max: Math.floor((YESTERDAY - FIRST) / DAY) }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, day, seq }) => {
    const d = new Date(FIRST + day * DAY);
    const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
    return withCheck(`${region}${date}${pad(seq, 3)}`);
  });
const CHARS = '0123456789X';

describe('properties', () => {
  it('every generated valid ID passes, with region, birth date and gender read back', () => {
    fc.assert(
      fc.property(validId, (id) => {
        const r = parseIdNumber(id, TODAY);
        expect(r.ok, id).toBe(true);
        if (!r.ok) return;
        expect(r.value.value).toBe(id);
        expect(r.value.region).toBe(id.slice(0, 6));
        expect(r.value.birthDate).toBe(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
        expect(r.value.gender).toBe(Number(id[16]) % 2 === 1 ? 'male' : 'female');
        // Lower case x in, upper case out.
        if (id.endsWith('X')) expect(parseIdNumber(id.toLowerCase(), TODAY)).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });

  it('every single-character change of a valid ID, at any position, fails', () => {
    fc.assert(
      fc.property(
        validId,
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 10 }),
        (id, pos, shift) => {
          let changed: string;
          if (pos < 17) {
            // A digit becomes another digit.
            const d = (Number(id[pos]) + (shift % 10 || 1)) % 10;
            changed = id.slice(0, pos) + String(d) + id.slice(pos + 1);
          } else {
            // The check character becomes another of 0-9 / X.
            changed = id.slice(0, 17) + CHARS[(CHARS.indexOf(id[17]!) + shift) % 11]!;
          }
          expect(changed).not.toBe(id);
          expect(changed).toHaveLength(18);
          expect(parseIdNumber(changed, TODAY).ok, `${id} → ${changed}`).toBe(false);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('exhaustively: every digit at every position of the published examples', () => {
    for (const id of [
      '11010519491231002X',
      '440524188001010014',
      '11010119900307803X',
      '130503196704010016',
    ]) {
      for (let pos = 0; pos < 18; pos++) {
        const alphabet = pos < 17 ? '0123456789' : CHARS;
        for (const ch of alphabet) {
          if (ch === id[pos]) continue;
          const changed = id.slice(0, pos) + ch + id.slice(pos + 1);
          expect(parseIdNumber(changed, TODAY).ok, changed).toBe(false);
        }
      }
    }
  });

  it('a valid 18-digit number of someone born in the 1900s, shortened to 15 digits, converts back to itself', () => {
    fc.assert(
      fc.property(
        validId.filter((id) => id.slice(6, 8) === '19'),
        (id) => {
          const id15 = id.slice(0, 6) + id.slice(8, 17);
          expect(convert15to18(id15)).toBe(id);
          expect(parseIdNumber(id15, TODAY)).toMatchObject({ ok: true, value: { value: id } });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('normalizePhone', () => {
  it.each([
    ['13800138000', '+8613800138000'],
    ['+8613800138000', '+8613800138000'],
    ['008613800138000', '+8613800138000'],
    ['138 0013 8000', '+8613800138000'],
    ['138-0013-8000', '+8613800138000'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['19912345678', '+8619912345678'],
    ['15000000000', '+8615000000000'],
  ])('%s → %s', (input, out) => {
    expect(normalizePhone(input)).toEqual({ ok: true, value: out });
    expect(phoneInput.parse(input)).toBe(out);
  });

  it.each([
    ['12800138000', 'second digit 2'],
    ['11800138000', 'second digit 1'],
    ['10800138000', 'second digit 0'],
    ['1380013800', '10 digits'],
    ['138001380001', '12 digits'],
    ['23800138000', 'not starting with 1'],
    ['+8512345678901', 'another country'],
    ['+86 1280013800', 'short after +86'],
    ['0571-88888888', 'a landline'],
    ['1380013800a', 'a letter'],
    ['', 'empty'],
  ])('%s is refused (%s)', (input) => {
    const r = normalizePhone(input);
    expect(r.ok).toBe(false);
    expect(phoneInput.safeParse(input).success).toBe(false);
  });
});

describe('masks', () => {
  it('ID numbers keep the region and the last four', () => {
    expect(maskIdNumber('33011219900101123X')).toBe('330112********123X');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('440524188001010014')).toBe('440524********0014');
    expect(maskIdNumber('11010519491231002X')).toHaveLength(18);
  });
  it('phones keep the first three and last four, with or without +86', () => {
    expect(maskPhone('+8613800138000')).toBe('138****8000');
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('+8619912345678')).toBe('199****5678');
  });
  it('a mask never contains the birth date or the middle of the phone', () => {
    fc.assert(
      fc.property(validId, (id) => {
        const m = maskIdNumber(id);
        expect(m.slice(6, 14)).toBe('********');
        expect(m).not.toContain(id.slice(6, 14));
      }),
      { numRuns: 200 },
    );
    expect(maskPhone('+8613812345678')).not.toContain('1234');
  });
});
