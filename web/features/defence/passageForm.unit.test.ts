// The registration form's pure parts: checks with the shared validators, the body the contract takes,
// what a recall fills in, and the checkpoint of the caller's shift.
import { describe, expect, it } from 'vitest';
import { createPassageBody } from '../../../common/contracts/passages.js';
import { idCheckChar, PLATE_PROVINCES } from '../../../common/validators.js';
import type { RecallResponse, RegionView } from '../../api/passages.js';
import {
  applyIdRecall,
  applyPlateRecall,
  checkDraft,
  checkpointOfShift,
  fieldId,
  liveIdFault,
  livePlateFault,
  looksRisky,
  newDraft,
  newRow,
  parseTemperature,
  PLATE_QUICK_PICKS,
  toBody,
  type PassageDraft,
} from './passageForm.js';

const TODAY = '2026-12-06';
const withCheck = (first17: string) => first17 + idCheckChar(first17);
const ID_OK = withCheck('33018519900101123');
const ID_BAD = ID_OK.slice(0, 17) + (ID_OK[17] === '0' ? '1' : '0');
const linan: RegionView = {
  code: '330185',
  name: '临安区',
  parents: ['浙江省', '杭州市'],
  scope: 'district',
};
const wuhan: RegionView = { code: '420100', name: '武汉市', parents: ['湖北省'], scope: 'outside' };

let n = 0;
const uid = () => `row-${++n}`;
const draft = (patch: Partial<PassageDraft> = {}): PassageDraft => ({
  ...newDraft(uid(), { checkpointId: 7, direction: 'in' }),
  ...patch,
});

describe('PLATE_QUICK_PICKS', () => {
  it('puts 浙 first, holds every province once and the embassy character last', () => {
    expect(PLATE_QUICK_PICKS[0]).toBe('浙');
    expect(PLATE_QUICK_PICKS.at(-1)).toBe('使');
    expect(new Set(PLATE_QUICK_PICKS).size).toBe(PLATE_QUICK_PICKS.length);
    expect([...PLATE_QUICK_PICKS].filter((c) => c !== '使').sort()).toEqual([...PLATE_PROVINCES].sort());
  });
});

describe('parseTemperature', () => {
  it.each([
    ['', undefined],
    ['  ', undefined],
    ['36.5', 36.5],
    ['36,5', 36.5],
    ['365', 36.5],
    ['37', 37],
    ['38.25', 38.3],
    ['29', Number.NaN],
    ['46', Number.NaN],
    ['abc', Number.NaN],
  ])('%j → %s', (input, want) => {
    expect(parseTemperature(input)).toEqual(want);
  });
});

describe('live checks', () => {
  it('say nothing about a plate still being typed, and name the fault once it is one', () => {
    expect(livePlateFault('浙')).toBeNull();
    expect(livePlateFault('浙A12')).toBeNull();
    expect(livePlateFault('浙A12345')).toBeNull();
    expect(livePlateFault('浙I')).toEqual({ code: 'plate.letter_i_or_o', params: { letters: 'I/O' } });
    expect(livePlateFault('A')).toBeNull();
    expect(livePlateFault('AB')).toEqual({ code: 'plate.unknown_province' });
    expect(livePlateFault('浙A1234567')).toEqual({ code: 'plate.wrong_length' });
  });

  it('check an ID number once it is whole, by its check character', () => {
    expect(liveIdFault(ID_OK.slice(0, 10), TODAY)).toBeNull();
    expect(liveIdFault(ID_OK.slice(0, 16), TODAY)).toBeNull();
    expect(liveIdFault(ID_OK, TODAY)).toBeNull();
    expect(liveIdFault(ID_BAD, TODAY)).toEqual({ code: 'id.check_char' });
    expect(liveIdFault(ID_OK.toLowerCase(), TODAY)).toBeNull();
  });
});

describe('checkDraft', () => {
  it('finds nothing wrong in a filled-in car', () => {
    const d = draft({
      plate: '浙A12345',
      people: [
        { ...newRow(uid()), name: '张三', idNumber: ID_OK, phone: '13800138000', temperature: '36.6' },
        { ...newRow(uid()), name: '李四', noIdReason: 'child' },
      ],
    });
    expect(checkDraft(d, TODAY)).toEqual({});
  });

  it('names each fault by the path the server would', () => {
    const d = draft({
      checkpointId: undefined,
      plate: '浙A1234O',
      people: [
        { ...newRow(uid()), name: ' ', idNumber: ID_BAD },
        { ...newRow(uid()), name: '王五', phone: '12345', temperature: '50' },
      ],
    });
    expect(checkDraft(d, TODAY)).toEqual({
      checkpointId: { text: 'checkpoint' },
      plate: { code: 'plate.letter_i_or_o', params: { letters: 'I/O' } },
      'people.0.name': { text: 'required' },
      'people.0.idNumber': { code: 'id.check_char' },
      'people.1.phone': { code: 'phone.invalid' },
      'people.1.answers.temperature': { text: 'temperature' },
    });
  });
});

describe('toBody', () => {
  it('gives what the contract takes: plate normalised, empty fields null, answers per traveller', () => {
    const d = draft({
      direction: 'out',
      plate: '浙a 12345',
      vehicleType: 'van',
      origin: linan,
      destination: { kind: 'region', region: wuhan },
      purpose: ' 探亲 ',
      people: [
        {
          ...newRow(uid()),
          name: ' 张三 ',
          idNumber: ID_OK,
          noIdReason: 'other',
          keyRegion14d: true,
          temperature: '373',
        },
        { ...newRow(uid()), name: '李四', noIdReason: 'child', phone: '138 0013 8000' },
      ],
    });
    const body = toBody(d, 7);
    expect(body).toEqual({
      checkpointId: 7,
      direction: 'out',
      plate: '浙A12345',
      vehicleType: 'van',
      people: [
        {
          name: '张三',
          idNumber: ID_OK,
          noIdReason: null,
          phone: null,
          answers: { keyRegion14d: true, caseContact: false, temperature: 37.3 },
        },
        {
          name: '李四',
          idNumber: null,
          noIdReason: 'child',
          phone: '138 0013 8000',
          answers: { keyRegion14d: false, caseContact: false },
        },
      ],
      originRegion: '330185',
      destinationNodeId: null,
      destinationRegion: '420100',
      purpose: '探亲',
    });
    const parsed = createPassageBody.safeParse({ ...body, registeredAt: '2026-12-06T08:00:00.000Z' });
    expect(parsed.success).toBe(true);
  });

  it('sends a destination node as its id only', () => {
    const body = toBody(
      draft({
        people: [{ ...newRow(uid()), name: '张三' }],
        destination: { kind: 'node', id: 42, name: '一网格' },
      }),
      7,
    );
    expect([body.destinationNodeId, body.destinationRegion, body.plate]).toEqual([42, null, null]);
    expect(createPassageBody.safeParse(body).success).toBe(true);
  });
});

describe('looksRisky', () => {
  it('flags a yes or a fever at the line', () => {
    expect(looksRisky({ ...newRow('a'), temperature: '36.8' })).toBe(false);
    expect(looksRisky({ ...newRow('a'), temperature: '373' })).toBe(true);
    expect(looksRisky({ ...newRow('a'), temperature: '37.5' }, 37.6)).toBe(false);
    expect(looksRisky({ ...newRow('a'), caseContact: true })).toBe(true);
  });
});

const recall: RecallResponse = {
  vehicleType: 'truck',
  people: [
    { name: '张三', idNumber: '330185********1234', phone: '138****8000', recallToken: 'tok-1' },
    { name: '李四', idNumber: null, phone: null, recallToken: 'tok-2' },
  ],
  originRegion: wuhan,
  destinationNode: { id: 42, name: '一网格' },
};

describe('recall', () => {
  it('fills an untouched draft from a plate seen before', () => {
    const before = draft({ plate: '浙A12345' });
    const d = applyPlateRecall(before, recall, uid);
    expect(d.people[0]!.uid).toBe(before.people[0]!.uid);
    expect(d.vehicleType).toBe('truck');
    expect(d.people.map((p) => [p.name, p.idNumber, p.recalled?.idNumber, p.recalled?.recallToken])).toEqual([
      ['张三', '', '330185********1234', 'tok-1'],
      ['李四', '', null, 'tok-2'],
    ]);
    expect(new Set(d.people.map((p) => p.uid)).size).toBe(2);
    expect(d.origin).toEqual(wuhan);
    expect(d.destination).toEqual({ kind: 'node', id: 42, name: '一网格' });
  });

  it('overwrites nothing already typed', () => {
    const typed = draft({
      people: [{ ...newRow(uid()), name: '赵六' }],
      origin: linan,
      destination: { kind: 'region', region: wuhan },
    });
    const d = applyPlateRecall(typed, recall, uid);
    expect(d.people.map((p) => p.name)).toEqual(['赵六']);
    expect(d.origin).toEqual(linan);
    expect(d.destination).toEqual({ kind: 'region', region: wuhan });
  });

  it('fills a row’s name from its ID number seen before', () => {
    const d0 = draft({ people: [newRow(uid()), { ...newRow(uid()), idNumber: ID_OK }] });
    const d = applyIdRecall(d0, 1, { ...recall, people: [recall.people[0]!] });
    expect(d.people[1]).toMatchObject({ name: '张三', idNumber: ID_OK, recalled: { recallToken: 'tok-1' } });
    expect(d.people[0]!.name).toBe('');
    expect(applyIdRecall(d0, 1, { ...recall, people: [] })).toBe(d0);
  });
});

describe('checkpointOfShift', () => {
  const now = new Date('2026-12-06T08:00:00Z');
  const shift = (id: number, startsAt: string, endsAt: string) =>
    ({
      id: id * 10,
      checkpoint: {
        id,
        name: `卡口${id}`,
        type: 'road',
        status: 'open',
        lat: null,
        lng: null,
        node: { id: 1, name: '村' },
      },
      day: startsAt.slice(0, 10),
      slot: 0,
      startsAt,
      endsAt,
      role: 'cadre',
      checkedInAt: null,
      checkedOutAt: null,
      checkInOpensAt: startsAt,
      checkInClosesAt: endsAt,
      canCheckIn: true,
      checkInRefusal: null,
      canCheckOut: false,
      pendingSwapId: null,
    }) as const;
  const mine = (current: ReturnType<typeof shift> | null, upcoming: ReturnType<typeof shift>[] = []) => ({
    current,
    upcoming,
    windowMinutes: 30,
  });

  it('takes the checkpoint of the current shift', () => {
    const running = shift(3, '2026-12-06T08:00:00Z', '2026-12-06T16:00:00Z');
    const later = shift(4, '2026-12-06T09:00:00Z', '2026-12-06T17:00:00Z');
    expect(checkpointOfShift(mine(running, [later]), now)).toEqual({ id: 3, name: '卡口3' });
  });

  it('takes a shift starting within two hours when none is current, and nothing further off', () => {
    expect(
      checkpointOfShift(mine(null, [shift(4, '2026-12-06T09:30:00Z', '2026-12-06T17:30:00Z')]), now),
    ).toEqual({
      id: 4,
      name: '卡口4',
    });
    expect(
      checkpointOfShift(mine(null, [shift(4, '2026-12-06T11:00:00Z', '2026-12-06T19:00:00Z')]), now),
    ).toBeNull();
  });

  it('knows nothing before the answer comes or without shifts', () => {
    expect(checkpointOfShift(undefined, now)).toBeNull();
    expect(checkpointOfShift(mine(null), now)).toBeNull();
  });
});

describe('fieldId', () => {
  it('names the input of each fault the form or the server reports', () => {
    expect(fieldId('plate')).toBe('passage-plate');
    expect(fieldId('checkpointId')).toBe('passage-checkpoint-select');
    expect(fieldId('people.2.idNumber')).toBe('passage-person-2-id');
    expect(fieldId('people.0.answers.temperature')).toBe('passage-person-0-temp');
    expect(fieldId('people.0.answers')).toBeUndefined();
    expect(fieldId('purpose')).toBe('passage-purpose');
    expect(fieldId('registeredAt')).toBeUndefined();
  });
});
