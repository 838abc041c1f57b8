// Psychological scales as data (心理测量表): the shipped PHQ-9 and GAD-7 in Chinese and English with
// their LOINC codes, how a definition is checked (an administrator adds scales without code), and how
// answers are scored: the total, its band, and the crisis rules that raise an urgent alert. Pure:
// the server scores every submission; the phone form shows the same questions.
import { SCALE_LIMITS, type CrisisKind } from './contracts/care-codes.js';

export interface ScaleLabel {
  zh: string;
  en: string;
}
export interface ScaleOption {
  value: number;
  label: ScaleLabel;
  /** The LOINC answer code, where the scale has one. */
  loinc?: string;
}
export interface ScaleItem {
  /** Stable within the scale: answers and crisis rules refer to it. */
  key: string;
  label: ScaleLabel;
  loinc?: string;
  /** Counted in the total; an unscored item (PHQ-9's "how difficult") is optional. */
  scored: boolean;
  /** Its own options, where they differ from the scale's. */
  options?: ScaleOption[];
}
export interface ScaleBand {
  code: string;
  min: number;
  max: number;
  label: ScaleLabel;
}
export type CrisisRule = { kind: 'item'; key: string; atLeast: number } | { kind: 'band'; code: string };
export interface ScaleDefinition {
  /** The stem shown above the items ("Over the last 2 weeks…"). */
  intro: ScaleLabel;
  options: ScaleOption[];
  items: ScaleItem[];
  /** Contiguous, from the lowest total to the highest. */
  bands: ScaleBand[];
  crisis: CrisisRule[];
}
export interface ShippedScale {
  code: string;
  title: ScaleLabel;
  /** The panel's LOINC code, and the total's. */
  loinc: string | null;
  totalLoinc: string | null;
  definition: ScaleDefinition;
}

const FREQUENCY: ScaleOption[] = [
  { value: 0, label: { zh: '完全不会', en: 'Not at all' }, loinc: 'LA6568-5' },
  { value: 1, label: { zh: '好几天', en: 'Several days' }, loinc: 'LA6569-3' },
  { value: 2, label: { zh: '一半以上的天数', en: 'More than half the days' }, loinc: 'LA6570-1' },
  { value: 3, label: { zh: '几乎每天', en: 'Nearly every day' }, loinc: 'LA6571-9' },
];
const TWO_WEEKS: ScaleLabel = {
  zh: '在过去两周里，您有多少时间受到以下问题的困扰？',
  en: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
};
const item = (key: string, loinc: string, zh: string, en: string): ScaleItem => ({
  key,
  loinc,
  scored: true,
  label: { zh, en },
});

/** PHQ-9 (Pfizer, free to reproduce, translate and distribute). */
export const PHQ9: ShippedScale = {
  code: 'PHQ-9',
  title: { zh: '患者健康问卷（PHQ-9）', en: 'Patient Health Questionnaire (PHQ-9)' },
  loinc: '44249-1',
  totalLoinc: '44261-6',
  definition: {
    intro: TWO_WEEKS,
    options: FREQUENCY,
    items: [
      item('1', '44250-9', '做事时提不起劲或没有兴趣', 'Little interest or pleasure in doing things'),
      item('2', '44255-8', '感到心情低落、沮丧或绝望', 'Feeling down, depressed, or hopeless'),
      item(
        '3',
        '44259-0',
        '入睡困难、睡不安稳或睡眠过多',
        'Trouble falling or staying asleep, or sleeping too much',
      ),
      item('4', '44254-1', '感觉疲倦或没有活力', 'Feeling tired or having little energy'),
      item('5', '44251-7', '食欲不振或吃太多', 'Poor appetite or overeating'),
      item(
        '6',
        '44258-2',
        '觉得自己很糟，或觉得自己很失败，或让自己或家人失望',
        'Feeling bad about yourself, or that you are a failure or have let yourself or your family down',
      ),
      item(
        '7',
        '44252-5',
        '对事物专注有困难，例如阅读报纸或看电视时',
        'Trouble concentrating on things, such as reading the newspaper or watching television',
      ),
      item(
        '8',
        '44253-3',
        '动作或说话速度缓慢到别人已经察觉，或正好相反，烦躁或坐立不安、动来动去的情况比平常更多',
        'Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety or restless that you have been moving around a lot more than usual',
      ),
      item(
        '9',
        '44260-8',
        '有不如死掉或用某种方式伤害自己的念头',
        'Thoughts that you would be better off dead, or of hurting yourself in some way',
      ),
      {
        key: '10',
        loinc: '69722-7',
        scored: false,
        label: {
          zh: '如果您有上述任何问题，这些问题在您工作、处理家庭事务或与他人相处上造成了多大的困难？',
          en: 'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
        },
        options: [
          { value: 0, label: { zh: '毫无困难', en: 'Not difficult at all' }, loinc: 'LA6572-7' },
          { value: 1, label: { zh: '有些困难', en: 'Somewhat difficult' }, loinc: 'LA6573-5' },
          { value: 2, label: { zh: '非常困难', en: 'Very difficult' }, loinc: 'LA6575-0' },
          { value: 3, label: { zh: '极度困难', en: 'Extremely difficult' }, loinc: 'LA6574-3' },
        ],
      },
    ],
    bands: [
      { code: 'minimal', min: 0, max: 4, label: { zh: '无或极轻微', en: 'Minimal' } },
      { code: 'mild', min: 5, max: 9, label: { zh: '轻度', en: 'Mild' } },
      { code: 'moderate', min: 10, max: 14, label: { zh: '中度', en: 'Moderate' } },
      { code: 'moderately_severe', min: 15, max: 19, label: { zh: '中重度', en: 'Moderately severe' } },
      { code: 'severe', min: 20, max: 27, label: { zh: '重度', en: 'Severe' } },
    ],
    // Item 9 at "several days" or more whatever the total; or a total in the top band.
    crisis: [
      { kind: 'item', key: '9', atLeast: 1 },
      { kind: 'band', code: 'severe' },
    ],
  },
};

/** GAD-7 (Pfizer, free to reproduce, translate and distribute). */
export const GAD7: ShippedScale = {
  code: 'GAD-7',
  title: { zh: '广泛性焦虑量表（GAD-7）', en: 'Generalized Anxiety Disorder scale (GAD-7)' },
  loinc: '69737-5',
  totalLoinc: '70274-6',
  definition: {
    intro: TWO_WEEKS,
    options: FREQUENCY,
    items: [
      item('1', '69725-0', '感觉紧张、焦虑或急切', 'Feeling nervous, anxious, or on edge'),
      item('2', '68509-9', '不能够停止或控制担忧', 'Not being able to stop or control worrying'),
      item('3', '69733-4', '对各种各样的事情担忧过多', 'Worrying too much about different things'),
      item('4', '69734-2', '很难放松下来', 'Trouble relaxing'),
      item('5', '69735-9', '由于不安而无法静坐', 'Being so restless that it is hard to sit still'),
      item('6', '69689-8', '变得容易烦恼或急躁', 'Becoming easily annoyed or irritable'),
      item(
        '7',
        '69736-7',
        '感到似乎将有可怕的事情发生而害怕',
        'Feeling afraid, as if something awful might happen',
      ),
    ],
    bands: [
      { code: 'minimal', min: 0, max: 4, label: { zh: '无或极轻微', en: 'Minimal' } },
      { code: 'mild', min: 5, max: 9, label: { zh: '轻度', en: 'Mild' } },
      { code: 'moderate', min: 10, max: 14, label: { zh: '中度', en: 'Moderate' } },
      { code: 'severe', min: 15, max: 21, label: { zh: '重度', en: 'Severe' } },
    ],
    crisis: [{ kind: 'band', code: 'severe' }],
  },
};

export const SHIPPED_SCALES: readonly ShippedScale[] = [PHQ9, GAD7];

/** A problem with a definition or an answer set: where, and the message code of what is wrong. */
export interface ScaleIssue {
  path: (string | number)[];
  code: string;
  params?: Record<string, string | number>;
}

const optionsOf = (def: ScaleDefinition, it: ScaleItem) => it.options ?? def.options;

/** The lowest and highest totals the scored items allow. */
export function totalRange(def: ScaleDefinition): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const it of def.items) {
    if (!it.scored) continue;
    const values = optionsOf(def, it).map((o) => o.value);
    min += Math.min(...values);
    max += Math.max(...values);
  }
  return { min, max };
}

function labelIssues(l: ScaleLabel, path: (string | number)[]): ScaleIssue[] {
  const out: ScaleIssue[] = [];
  for (const k of ['zh', 'en'] as const)
    if (l[k].trim() === '') out.push({ path: [...path, k], code: 'issue.scale.label_empty' });
  return out;
}

function optionIssues(options: ScaleOption[], path: (string | number)[]): ScaleIssue[] {
  const out: ScaleIssue[] = [];
  if (options.length < 2 || options.length > SCALE_LIMITS.options)
    out.push({ path, code: 'issue.scale.options_count', params: { max: SCALE_LIMITS.options } });
  const seen = new Set<number>();
  options.forEach((o, i) => {
    if (seen.has(o.value)) out.push({ path: [...path, i, 'value'], code: 'issue.scale.option_duplicate' });
    seen.add(o.value);
    out.push(...labelIssues(o.label, [...path, i, 'label']));
  });
  return out;
}

/**
 * What is wrong with a definition: items with unique keys and at least one scored, two to ten options
 * with distinct values, bands that cover every possible total exactly once in order, crisis rules
 * that name an item and an answer it can give, or a band.
 */
export function checkDefinition(def: ScaleDefinition): ScaleIssue[] {
  const issues: ScaleIssue[] = [...labelIssues(def.intro, ['intro'])];
  issues.push(...optionIssues(def.options, ['options']));
  const keys = new Set<string>();
  def.items.forEach((it, i) => {
    if (keys.has(it.key)) issues.push({ path: ['items', i, 'key'], code: 'issue.scale.item_duplicate' });
    keys.add(it.key);
    issues.push(...labelIssues(it.label, ['items', i, 'label']));
    if (it.options) issues.push(...optionIssues(it.options, ['items', i, 'options']));
  });
  if (!def.items.some((it) => it.scored)) issues.push({ path: ['items'], code: 'issue.scale.none_scored' });
  if (issues.length > 0) return issues;

  const { min, max } = totalRange(def);
  let next = min;
  const codes = new Set<string>();
  def.bands.forEach((b, i) => {
    if (codes.has(b.code)) issues.push({ path: ['bands', i, 'code'], code: 'issue.scale.band_duplicate' });
    codes.add(b.code);
    issues.push(...labelIssues(b.label, ['bands', i, 'label']));
    if (b.min !== next || b.max < b.min)
      issues.push({ path: ['bands', i, 'min'], code: 'issue.scale.band_gap', params: { from: next } });
    next = b.max + 1;
  });
  if (def.bands.length > 0 && next !== max + 1)
    issues.push({ path: ['bands'], code: 'issue.scale.band_end', params: { max } });
  if (def.bands.length === 0) issues.push({ path: ['bands'], code: 'issue.scale.band_end', params: { max } });

  def.crisis.forEach((c, i) => {
    if (c.kind === 'band') {
      if (!codes.has(c.code))
        issues.push({ path: ['crisis', i, 'code'], code: 'issue.scale.crisis_unknown' });
      return;
    }
    const it = def.items.find((x) => x.key === c.key);
    if (!it || !optionsOf(def, it).some((o) => o.value >= c.atLeast))
      issues.push({ path: ['crisis', i, 'key'], code: 'issue.scale.crisis_unknown' });
  });
  return issues;
}

/** Answers in the items' order: an option's value, or null where not (yet) answered. */
export type ScaleAnswers = (number | null)[];

/** The issues of a draft (any answer may be missing) or of a submission (every scored item answered). */
export function checkAnswers(def: ScaleDefinition, answers: ScaleAnswers, complete: boolean): ScaleIssue[] {
  const issues: ScaleIssue[] = [];
  if (answers.length !== def.items.length)
    return [{ path: ['answers'], code: 'issue.scale.answer_count', params: { count: def.items.length } }];
  def.items.forEach((it, i) => {
    const v = answers[i];
    if (v === null || v === undefined) {
      if (complete && it.scored) issues.push({ path: ['answers', i], code: 'issue.scale.unanswered' });
      return;
    }
    if (!optionsOf(def, it).some((o) => o.value === v))
      issues.push({ path: ['answers', i], code: 'issue.scale.answer_option' });
  });
  return issues;
}

export interface CrisisReason {
  kind: CrisisKind;
  /** The item and its answer, or the band. */
  key?: string;
  value?: number;
  band?: string;
}
export interface ScaleScore {
  total: number;
  band: ScaleBand;
  /** Empty unless a crisis rule holds: then an urgent alert is raised. */
  crisis: CrisisReason[];
}

/** Scores a complete, checked answer set. */
export function scoreAnswers(def: ScaleDefinition, answers: ScaleAnswers): ScaleScore {
  let total = 0;
  def.items.forEach((it, i) => {
    if (it.scored) total += answers[i] ?? 0;
  });
  const band = def.bands.find((b) => total >= b.min && total <= b.max) ?? def.bands[def.bands.length - 1]!;
  const crisis: CrisisReason[] = [];
  for (const c of def.crisis) {
    if (c.kind === 'band') {
      if (band.code === c.code) crisis.push({ kind: 'band', band: c.code });
      continue;
    }
    const i = def.items.findIndex((it) => it.key === c.key);
    const v = i >= 0 ? answers[i] : null;
    if (v !== null && v !== undefined && v >= c.atLeast) crisis.push({ kind: 'item', key: c.key, value: v });
  }
  return { total, band, crisis };
}
