// Mainland vehicle plates as a checkpoint registers them (parsePlate in validators.ts, plateInput in
// the defence contracts): every kind, the normalisation of what a phone keyboard produces, and each
// way a plate can be wrong named by its own issue code.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plateInput } from './contracts/defence.js';
import { isMessageCode, renderMessage, type MessageCode } from './messages/index.js';
import { parsePlate, PLATE_PROVINCES, type PlateKind, type PlateReason } from './validators.js';

describe('parsePlate: valid plates, normalised, with their kind', () => {
  it.each<[string, string, PlateKind]>([
    // ordinary: province, authority letter, five letters or digits without I and O
    ['京A12345', '京A12345', 'ordinary'],
    ['沪AF0236', '沪AF0236', 'ordinary'],
    [' 粤b·12345 ', '粤B12345', 'ordinary'],
    ['川A 8H6K9', '川A8H6K9', 'ordinary'],
    ['苏E•5Y7Z8', '苏E5Y7Z8', 'ordinary'],
    ['浙Ａ１２３４５', '浙A12345', 'ordinary'], // full-width letters and digits from a Chinese keyboard
    ['新J12345', '新J12345', 'ordinary'],
    ['藏A00001', '藏A00001', 'ordinary'],
    ['蒙K ZZ999', '蒙KZZ999', 'ordinary'],
    // new energy, small: D or F, a letter or digit, four digits
    ['粤BD12345', '粤BD12345', 'new_energy_small'],
    ['京AF12345', '京AF12345', 'new_energy_small'],
    ['沪ADA1234', '沪ADA1234', 'new_energy_small'],
    ['浙a·d 12345', '浙AD12345', 'new_energy_small'],
    // new energy, large: five digits, then D or F
    ['粤B12345D', '粤B12345D', 'new_energy_large'],
    ['鲁A23456F', '鲁A23456F', 'new_energy_large'],
    // four letters or digits and a suffix
    ['鲁B1234挂', '鲁B1234挂', 'trailer'],
    ['冀E·A123挂', '冀EA123挂', 'trailer'],
    ['京A1234学', '京A1234学', 'learner'],
    ['浙A1234警', '浙A1234警', 'police'],
    ['川A·0123 警', '川A0123警', 'police'],
    ['沪A1234领', '沪A1234领', 'consulate'],
    ['粤Z1234港', '粤Z1234港', 'hong_kong'],
    ['粤Z A123 澳', '粤ZA123澳', 'macau'],
    // embassy: 使 and six digits
    ['使014578', '使014578', 'embassy'],
    ['使 224 001', '使224001', 'embassy'],
  ])('%s → %s (%s)', (input, value, kind) => {
    expect(parsePlate(input)).toEqual({
      ok: true,
      value: { value, kind, province: kind === 'embassy' ? null : value[0] },
    });
  });
});

describe('parsePlate: invalid plates, each with its reason', () => {
  it.each<[string, string, PlateReason]>([
    ['I in the number', '京AI2345', 'plate.letter_i_or_o'],
    ['O last', '京A1234O', 'plate.letter_i_or_o'],
    ['I as the authority letter', '京I12345', 'plate.letter_i_or_o'],
    ['O as the authority letter', '京O12345', 'plate.letter_i_or_o'],
    ['a lower-case i', '京a1i345', 'plate.letter_i_or_o'],
    ['I in a new-energy plate', '粤BD1234I', 'plate.letter_i_or_o'],
    ['O before a police suffix', '浙A12O4警', 'plate.letter_i_or_o'],
    ['four after the authority', '京A1234', 'plate.wrong_length'],
    ['seven after the authority', '京A1234567', 'plate.wrong_length'],
    ['six without D or F at either end', '京A123456', 'plate.wrong_length'],
    ['the province and letter only', '京A', 'plate.wrong_length'],
    ['the province only', '京', 'plate.wrong_length'],
    ['empty', '', 'plate.wrong_length'],
    ['spaces and dots only', '  · ', 'plate.wrong_length'],
    ['five before a trailer suffix', '京A12345挂', 'plate.wrong_length'],
    ['three before a learner suffix', '京A123学', 'plate.wrong_length'],
    ['a suffix right after the letter', '京A警', 'plate.wrong_length'],
    ['港 is not a province', '港A12345', 'plate.unknown_province'],
    ['领 opens no plate', '领A1234', 'plate.unknown_province'],
    ['no province at all', 'A12345', 'plate.unknown_province'],
    ['armed police (WJ) is not a civilian plate', 'WJ12345', 'plate.unknown_province'],
    ['a traditional character', '滬A12345', 'plate.unknown_province'],
    ['a digit as the authority', '京112345', 'plate.authority_letter'],
    ['a character as the authority', '京挂12345', 'plate.authority_letter'],
    ['a suffix in the middle', '京A12挂34', 'plate.bad_character'],
    ['a dash', '京A1234-', 'plate.bad_character'],
    ['a hash', '京A12#45', 'plate.bad_character'],
    ['使 as a suffix', '京A1234使', 'plate.bad_character'],
    ['small new energy with a letter last', '粤BD1234A', 'plate.new_energy_form'],
    ['large new energy with a letter inside', '粤B1234AD', 'plate.new_energy_form'],
    ['F first but letters after', '粤BFA123B', 'plate.new_energy_form'],
    ['Hong Kong suffix outside 粤Z', '京A1234港', 'plate.cross_border'],
    ['Macau suffix with another letter', '粤A1234澳', 'plate.cross_border'],
    ['embassy with five digits', '使01457', 'plate.embassy_form'],
    ['embassy with a letter', '使A14578', 'plate.embassy_form'],
  ])('%s: %s → %s', (_what, input, reason) => {
    const r = parsePlate(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });

  it('every reason is a registered message, rendered with its parameters in both languages', () => {
    const reasons: PlateReason[] = [
      'plate.wrong_length',
      'plate.unknown_province',
      'plate.authority_letter',
      'plate.letter_i_or_o',
      'plate.bad_character',
      'plate.new_energy_form',
      'plate.cross_border',
      'plate.embassy_form',
    ];
    for (const reason of reasons) {
      const code: MessageCode = reason; // a reason that is not a code fails the typecheck
      expect(isMessageCode(code)).toBe(true);
    }
    const r = parsePlate('京AI2345');
    expect(r).toEqual({ ok: false, reason: 'plate.letter_i_or_o', params: { letters: 'I/O' } });
    if (r.ok) return;
    expect(renderMessage(r.reason, r.params, 'zh-CN')).toBe('车牌不用字母 I/O，请改为数字 1 或 0');
    expect(renderMessage(r.reason, r.params, 'en')).toBe('plates use no I/O: type the digit 1 or 0');
    const cross = parsePlate('京A1234港');
    expect(!cross.ok && renderMessage(cross.reason, cross.params, 'en')).toBe(
      'cross-border plates start with 粤Z',
    );
  });
});

describe('plateInput (the contracts’ field)', () => {
  it('normalises a valid plate and refuses an invalid one naming the field, the code and its parameters', () => {
    const body = z.object({ plate: plateInput });
    expect(body.parse({ plate: ' 粤b·d12345 ' })).toEqual({ plate: '粤BD12345' });
    const bad = body.safeParse({ plate: '粤BD1234A' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues).toMatchObject([
      { code: 'custom', path: ['plate'], message: 'plate.new_energy_form', params: { letters: 'D/F' } },
    ]);
    expect(body.safeParse({ plate: '京A1234' }).error?.issues[0]).toMatchObject({
      path: ['plate'],
      message: 'plate.wrong_length',
    });
    expect(body.safeParse({ plate: 'x'.repeat(21) }).success).toBe(false);
  });
});

describe('properties', () => {
  const SERIAL = [...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'];
  const AUTHORITY = [...'ABCDEFGHJKLMNPQRSTUVWXYZ'];
  const ordinary = fc
    .record({
      province: fc.constantFrom(...PLATE_PROVINCES),
      authority: fc.constantFrom(...AUTHORITY),
      serial: fc.array(fc.constantFrom(...SERIAL), { minLength: 5, maxLength: 5 }),
    })
    .map(({ province, authority, serial }) => province + authority + serial.join(''));

  it('every ordinary plate passes in every province, also typed in lower case with a dot and spaces', () => {
    fc.assert(
      fc.property(ordinary, (plate) => {
        const typed = ` ${plate.slice(0, 2).toLowerCase()} · ${plate.slice(2, 4)} ${plate.slice(4).toLowerCase()}`;
        expect(parsePlate(typed)).toEqual({
          ok: true,
          value: { value: plate, kind: 'ordinary', province: plate[0] },
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('an I or an O anywhere after the province fails as such', () => {
    fc.assert(
      fc.property(
        ordinary,
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom('I', 'O'),
        (plate, pos, letter) => {
          const changed = plate.slice(0, pos) + letter + plate.slice(pos + 1);
          expect(parsePlate(changed)).toMatchObject({ ok: false, reason: 'plate.letter_i_or_o' });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('one character more or fewer on an ordinary plate never passes as ordinary', () => {
    fc.assert(
      fc.property(ordinary, fc.constantFrom(...SERIAL), (plate, extra) => {
        const shorter = parsePlate(plate.slice(0, -1));
        expect(shorter).toMatchObject({ ok: false, reason: 'plate.wrong_length' });
        const longer = parsePlate(plate + extra);
        // Six after the authority is a new-energy plate only in the two forms; never ordinary.
        if (longer.ok) expect(longer.value.kind).toMatch(/^new_energy_(small|large)$/);
      }),
      { numRuns: 1000 },
    );
  });
});
