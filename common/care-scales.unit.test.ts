// The shipped scales as data: every band boundary of PHQ-9 and GAD-7 scored from answers in item
// order, the crisis rules (PHQ-9 item 9 whatever the total, a total in the top band), the checks of
// an answer set, and the checks of a definition an administrator writes.
import { describe, expect, it } from 'vitest';
import {
  checkAnswers,
  checkDefinition,
  GAD7,
  PHQ9,
  scoreAnswers,
  SHIPPED_SCALES,
  totalRange,
  type ScaleAnswers,
  type ScaleDefinition,
} from './care-scales.js';

/**
 * Answers in item order to the scored items (values 0–3) adding up to `total`, filled from the first
 * item on; `skip` items are kept at 0 (PHQ-9's item 9); unscored items get `unscored`.
 */
function answersFor(
  def: ScaleDefinition,
  total: number,
  opts: { skip?: string[]; unscored?: number | null } = {},
): ScaleAnswers {
  let left = total;
  const out = def.items.map((it) => {
    if (!it.scored) return opts.unscored ?? null;
    if (opts.skip?.includes(it.key)) return 0;
    const v = Math.min(3, left);
    left -= v;
    return v;
  });
  if (left !== 0) throw new Error(`cannot reach ${total}`);
  return out;
}
const phq = PHQ9.definition;
const gad = GAD7.definition;
/** A copy of PHQ-9's definition to break in a test. */
const phqCopy = (): ScaleDefinition => structuredClone(phq);
const codesOf = (def: ScaleDefinition) => checkDefinition(def).map((i) => i.code);

describe('PHQ-9 scoring', () => {
  it('has ten items, the tenth unscored, totals from 0 to 27', () => {
    expect(phq.items).toHaveLength(10);
    expect(phq.items.map((i) => i.scored)).toEqual([...Array<boolean>(9).fill(true), false]);
    expect(totalRange(phq)).toEqual({ min: 0, max: 27 });
  });

  // Item 9 stays 0: only 8 items × 3 = 24 are reachable without it; 25–27 need item 9.
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately_severe'],
    [19, 'moderately_severe'],
    [20, 'severe'],
    [24, 'severe'],
  ] as const)('a total of %i is %s', (total, band) => {
    const answers = answersFor(phq, total, { skip: ['9'] });
    expect(answers[8]).toBe(0);
    expect(checkAnswers(phq, answers, true)).toEqual([]);
    const s = scoreAnswers(phq, answers);
    expect(s.total).toBe(total);
    expect(s.band.code).toBe(band);
  });

  it('the highest total, 27, is severe (and item 9 at 3 is a crisis too)', () => {
    const answers = answersFor(phq, 27);
    expect(answers).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, null]);
    const s = scoreAnswers(phq, answers);
    expect(s.total).toBe(27);
    expect(s.band.code).toBe('severe');
    expect(s.crisis).toEqual([
      { kind: 'item', key: '9', value: 3 },
      { kind: 'band', band: 'severe' },
    ]);
  });

  it('the unscored tenth item counts for nothing', () => {
    const without = scoreAnswers(phq, answersFor(phq, 4, { skip: ['9'] }));
    const withIt = scoreAnswers(phq, answersFor(phq, 4, { skip: ['9'], unscored: 3 }));
    expect(withIt.total).toBe(4);
    expect(withIt).toEqual(without);
  });
});

describe('PHQ-9 crisis rules', () => {
  it('item 9 at 1 raises a crisis whatever the total (here 1, minimal)', () => {
    const answers: ScaleAnswers = [0, 0, 0, 0, 0, 0, 0, 0, 1, null];
    const s = scoreAnswers(phq, answers);
    expect(s.total).toBe(1);
    expect(s.band.code).toBe('minimal');
    expect(s.crisis).toEqual([{ kind: 'item', key: '9', value: 1 }]);
  });

  it('a total of 20 with item 9 at 0 raises the band crisis only', () => {
    const s = scoreAnswers(phq, answersFor(phq, 20, { skip: ['9'] }));
    expect(s.total).toBe(20);
    expect(s.crisis).toEqual([{ kind: 'band', band: 'severe' }]);
  });

  it('a total of 19 with item 9 at 0 raises none', () => {
    expect(scoreAnswers(phq, answersFor(phq, 19, { skip: ['9'] })).crisis).toEqual([]);
  });
});

describe('GAD-7 scoring', () => {
  it('has seven scored items, totals from 0 to 21', () => {
    expect(gad.items).toHaveLength(7);
    expect(gad.items.every((i) => i.scored)).toBe(true);
    expect(totalRange(gad)).toEqual({ min: 0, max: 21 });
  });

  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ] as const)('a total of %i is %s', (total, band) => {
    const answers = answersFor(gad, total);
    expect(checkAnswers(gad, answers, true)).toEqual([]);
    const s = scoreAnswers(gad, answers);
    expect(s.total).toBe(total);
    expect(s.band.code).toBe(band);
  });

  it('severe raises the band crisis; 14 does not', () => {
    expect(scoreAnswers(gad, answersFor(gad, 15)).crisis).toEqual([{ kind: 'band', band: 'severe' }]);
    expect(scoreAnswers(gad, answersFor(gad, 21)).crisis).toEqual([{ kind: 'band', band: 'severe' }]);
    expect(scoreAnswers(gad, answersFor(gad, 14)).crisis).toEqual([]);
  });
});

describe('checkAnswers', () => {
  it('wants one answer per item, in order', () => {
    for (const answers of [
      [0, 0, 0],
      [...answersFor(phq, 0), 0],
    ])
      expect(checkAnswers(phq, answers, false)).toEqual([
        { path: ['answers'], code: 'issue.scale.answer_count', params: { count: 10 } },
      ]);
  });

  it('a submission needs every scored item; a draft does not', () => {
    const answers = answersFor(phq, 3);
    answers[4] = null;
    expect(checkAnswers(phq, answers, true)).toEqual([
      { path: ['answers', 4], code: 'issue.scale.unanswered' },
    ]);
    expect(checkAnswers(phq, answers, false)).toEqual([]);
    expect(checkAnswers(phq, Array<null>(10).fill(null), false)).toEqual([]);
  });

  it('an answer must be one of the item’s options', () => {
    const answers = answersFor(gad, 0);
    answers[2] = 4;
    expect(checkAnswers(gad, answers, false)).toEqual([
      { path: ['answers', 2], code: 'issue.scale.answer_option' },
    ]);
    // Item 10 of PHQ-9 has its own options, also 0–3: 5 is not among them.
    const phqAnswers = answersFor(phq, 0, { unscored: 5 });
    expect(checkAnswers(phq, phqAnswers, true)).toEqual([
      { path: ['answers', 9], code: 'issue.scale.answer_option' },
    ]);
  });

  it('the unscored item is optional, and counted when answered', () => {
    expect(checkAnswers(phq, answersFor(phq, 2, { unscored: null }), true)).toEqual([]);
    expect(checkAnswers(phq, answersFor(phq, 2, { unscored: 2 }), true)).toEqual([]);
  });
});

describe('checkDefinition', () => {
  it('the shipped scales have no issues', () => {
    expect(SHIPPED_SCALES.map((s) => s.code)).toEqual(['PHQ-9', 'GAD-7']);
    for (const s of SHIPPED_SCALES) expect(checkDefinition(s.definition)).toEqual([]);
  });

  it('a gap between bands', () => {
    const def = phqCopy();
    def.bands[1]!.min = 6;
    expect(checkDefinition(def)).toEqual([
      { path: ['bands', 1, 'min'], code: 'issue.scale.band_gap', params: { from: 5 } },
    ]);
  });

  it('overlapping bands', () => {
    const def = phqCopy();
    def.bands[2]!.min = 9;
    expect(checkDefinition(def)).toEqual([
      { path: ['bands', 2, 'min'], code: 'issue.scale.band_gap', params: { from: 10 } },
    ]);
  });

  it('bands that start above the lowest total', () => {
    const def = phqCopy();
    def.bands[0]!.min = 1;
    expect(codesOf(def)).toEqual(['issue.scale.band_gap']);
  });

  it('bands not reaching the highest total, or going past it', () => {
    const short = phqCopy();
    short.bands[4]!.max = 26;
    expect(checkDefinition(short)).toEqual([
      { path: ['bands'], code: 'issue.scale.band_end', params: { max: 27 } },
    ]);
    const long = phqCopy();
    long.bands[4]!.max = 30;
    expect(codesOf(long)).toEqual(['issue.scale.band_end']);
    const none = phqCopy();
    none.bands = [];
    none.crisis = [];
    expect(codesOf(none)).toEqual(['issue.scale.band_end']);
  });

  it('duplicate item keys', () => {
    const def = phqCopy();
    def.items[3]!.key = '1';
    expect(checkDefinition(def)).toEqual([{ path: ['items', 3, 'key'], code: 'issue.scale.item_duplicate' }]);
  });

  it('a crisis rule naming an unknown item, a value the item cannot take, or an unknown band', () => {
    const unknownItem = phqCopy();
    unknownItem.crisis = [{ kind: 'item', key: '11', atLeast: 1 }];
    expect(checkDefinition(unknownItem)).toEqual([
      { path: ['crisis', 0, 'key'], code: 'issue.scale.crisis_unknown' },
    ]);
    const tooHigh = phqCopy();
    tooHigh.crisis = [
      { kind: 'band', code: 'severe' },
      { kind: 'item', key: '9', atLeast: 4 },
    ];
    expect(checkDefinition(tooHigh)).toEqual([
      { path: ['crisis', 1, 'key'], code: 'issue.scale.crisis_unknown' },
    ]);
    // The highest value item 9 can take is a valid threshold.
    const top = phqCopy();
    top.crisis = [{ kind: 'item', key: '9', atLeast: 3 }];
    expect(checkDefinition(top)).toEqual([]);
    const band = phqCopy();
    band.crisis = [{ kind: 'band', code: 'extreme' }];
    expect(checkDefinition(band)).toEqual([
      { path: ['crisis', 0, 'code'], code: 'issue.scale.crisis_unknown' },
    ]);
  });

  it('no scored item', () => {
    const def = phqCopy();
    for (const it of def.items) it.scored = false;
    expect(checkDefinition(def)).toEqual([{ path: ['items'], code: 'issue.scale.none_scored' }]);
  });

  it('duplicate option values, too few options, empty labels, duplicate band codes', () => {
    const dup = phqCopy();
    dup.options[2]!.value = 1;
    expect(checkDefinition(dup)).toEqual([
      { path: ['options', 2, 'value'], code: 'issue.scale.option_duplicate' },
    ]);
    const one = phqCopy();
    one.items[9]!.options = [one.items[9]!.options![0]!];
    expect(codesOf(one)).toEqual(['issue.scale.options_count']);
    const blank = phqCopy();
    blank.items[0]!.label.zh = '  ';
    expect(checkDefinition(blank)).toEqual([
      { path: ['items', 0, 'label', 'zh'], code: 'issue.scale.label_empty' },
    ]);
    const twice = phqCopy();
    twice.bands[1]!.code = 'minimal';
    expect(codesOf(twice)).toEqual(['issue.scale.band_duplicate']);
  });

  it('a scale of its own (two yes/no items scored 0–1) with contiguous bands passes, and scores', () => {
    const yesNo = [
      { value: 0, label: { zh: '否', en: 'No' } },
      { value: 1, label: { zh: '是', en: 'Yes' } },
    ];
    const def: ScaleDefinition = {
      intro: { zh: '最近一周', en: 'In the last week' },
      options: yesNo,
      items: [
        { key: 'a', label: { zh: '甲', en: 'A' }, scored: true },
        { key: 'b', label: { zh: '乙', en: 'B' }, scored: true },
      ],
      bands: [
        { code: 'low', min: 0, max: 0, label: { zh: '低', en: 'Low' } },
        { code: 'high', min: 1, max: 2, label: { zh: '高', en: 'High' } },
      ],
      crisis: [{ kind: 'item', key: 'b', atLeast: 1 }],
    };
    expect(checkDefinition(def)).toEqual([]);
    expect(scoreAnswers(def, [1, 0])).toMatchObject({ total: 1, crisis: [] });
    expect(scoreAnswers(def, [0, 1]).crisis).toEqual([{ kind: 'item', key: 'b', value: 1 }]);
  });
});
