// The questionnaire logic shared by the server and the phone form: which questions show, what an
// answer set lacks or gets wrong, the risk its rules give, and what a definition gets wrong.
import { describe, expect, it } from 'vitest';
import {
  checkAnswers,
  checkDefinition,
  classifyRisk,
  visibleQuestions,
  type QuestionnaireDefinition,
} from './questionnaire.js';

const l = (zh: string) => ({ zh, en: zh });
const def: QuestionnaireDefinition = {
  questions: [
    { key: 'returned', type: 'yes_no', label: l('返回'), required: true },
    {
      key: 'from',
      type: 'region',
      label: l('从哪里'),
      required: true,
      showIf: { key: 'returned', equals: true },
    },
    {
      key: 'by',
      type: 'single',
      label: l('交通'),
      required: false,
      options: [
        { value: 'train', label: l('火车') },
        { value: 'car', label: l('汽车') },
      ],
      showIf: { key: 'returned', equals: true },
    },
    {
      key: 'train_no',
      type: 'text',
      label: l('车次'),
      required: true,
      showIf: { key: 'by', equals: 'train' },
    },
    { key: 'contact', type: 'yes_no', label: l('接触'), required: true },
    { key: 'temp', type: 'number', label: l('体温'), required: true, min: 34, max: 43 },
    {
      key: 'symptoms',
      type: 'multiple',
      label: l('症状'),
      required: false,
      options: [
        { value: 'fever', label: l('发热') },
        { value: 'cough', label: l('咳嗽') },
      ],
    },
    { key: 'on', type: 'date', label: l('日期'), required: false },
  ],
  riskRules: [
    { level: 'high', when: [{ key: 'contact', op: 'eq', value: true }] },
    {
      level: 'high',
      when: [
        { key: 'returned', op: 'eq', value: true },
        { key: 'temp', op: 'gte', value: 37.3 },
      ],
    },
    { level: 'medium', when: [{ key: 'returned', op: 'eq', value: true }] },
    { level: 'medium', when: [{ key: 'symptoms', op: 'includes', value: 'cough' }] },
  ],
};
const calm = { returned: false, contact: false, temp: 36.5 };
const keys = (a: Record<string, unknown>) => visibleQuestions(def, a as never).map((q) => q.key);
const issues = (a: Record<string, unknown>) =>
  checkAnswers(def, a as never).map((i) => [i.path.join('.'), i.code]);

describe('visibleQuestions', () => {
  it('shows a question when its condition’s question shows and was answered so', () => {
    expect(keys({})).toEqual(['returned', 'contact', 'temp', 'symptoms', 'on']);
    expect(keys({ returned: false })).toEqual(['returned', 'contact', 'temp', 'symptoms', 'on']);
    expect(keys({ returned: true })).toEqual(['returned', 'from', 'by', 'contact', 'temp', 'symptoms', 'on']);
    expect(keys({ returned: true, by: 'train' })).toContain('train_no');
    expect(keys({ returned: true, by: 'car' })).not.toContain('train_no');
  });
  it('hides a question whose condition’s question is itself hidden, whatever its answer', () => {
    expect(keys({ returned: false, by: 'train' })).not.toContain('train_no');
  });
});

describe('checkAnswers', () => {
  it('accepts a complete answer set', () => {
    expect(issues(calm)).toEqual([]);
    expect(
      issues({
        ...calm,
        returned: true,
        from: '武汉',
        by: 'train',
        train_no: 'G1',
        symptoms: [],
        on: '2020-01-20',
      }),
    ).toEqual([]);
  });
  it('names each required shown question left unanswered', () => {
    expect(issues({ returned: true })).toEqual([
      ['from', 'issue.answer.required'],
      ['contact', 'issue.answer.required'],
      ['temp', 'issue.answer.required'],
    ]);
  });
  it('refuses an answer to a question not shown or not asked', () => {
    expect(issues({ ...calm, from: '武汉' })).toEqual([['from', 'issue.answer.not_shown']]);
    expect(issues({ ...calm, nothing: 1 })).toEqual([['nothing', 'issue.answer.unknown_question']]);
  });
  it('refuses answers of the wrong kind or out of range', () => {
    expect(issues({ ...calm, contact: 'yes' })).toEqual([['contact', 'issue.answer.yes_no']]);
    expect(issues({ ...calm, temp: '36' })).toEqual([['temp', 'issue.answer.number']]);
    expect(checkAnswers(def, { ...calm, temp: 50 })).toEqual([
      { path: ['temp'], code: 'issue.answer.range', params: { min: 34, max: 43 } },
    ]);
    expect(issues({ ...calm, symptoms: ['fever', 'fever'] })).toEqual([['symptoms', 'issue.answer.option']]);
    expect(issues({ ...calm, symptoms: ['sneeze'] })).toEqual([['symptoms', 'issue.answer.option']]);
    expect(issues({ ...calm, returned: true, from: '  ', by: 'plane' })).toEqual([
      ['from', 'issue.answer.text'],
      ['by', 'issue.answer.option'],
    ]);
    expect(issues({ ...calm, on: '2020-02-30' })).toEqual([['on', 'issue.answer.date']]);
  });
  it('reads own answers only: a question keyed like an object’s property is unanswered until answered', () => {
    const odd: QuestionnaireDefinition = {
      questions: [{ key: 'constructor', type: 'yes_no', label: l('构造'), required: true }],
      riskRules: [{ level: 'high', when: [{ key: 'constructor', op: 'eq', value: true }] }],
    };
    expect(checkAnswers(odd, {})).toEqual([{ path: ['constructor'], code: 'issue.answer.required' }]);
    expect(checkAnswers(odd, JSON.parse('{"constructor": true}') as Record<string, boolean>)).toEqual([]);
    expect(classifyRisk(odd, {})).toBe('low');
  });
});

describe('classifyRisk', () => {
  it('gives the highest level among the rules whose conditions all hold; low when none does', () => {
    expect(classifyRisk(def, calm)).toBe('low');
    expect(classifyRisk(def, { ...calm, contact: true })).toBe('high');
    expect(classifyRisk(def, { ...calm, returned: true, from: '武汉' })).toBe('medium');
    expect(classifyRisk(def, { ...calm, returned: true, from: '武汉', temp: 37.3 })).toBe('high');
    expect(classifyRisk(def, { ...calm, temp: 38 })).toBe('low');
    expect(classifyRisk(def, { ...calm, symptoms: ['fever', 'cough'] })).toBe('medium');
    expect(classifyRisk({ questions: def.questions, riskRules: [] }, { ...calm, contact: true })).toBe('low');
  });
});

describe('checkDefinition', () => {
  const codes = (d: QuestionnaireDefinition) => checkDefinition(d).map((i) => [i.path.join('.'), i.code]);
  it('accepts a well-formed definition', () => {
    expect(checkDefinition(def)).toEqual([]);
  });
  it('refuses a condition naming a later question, itself, or an answer the question cannot give', () => {
    const [a, b] = [def.questions[0]!, def.questions[1]!];
    expect(codes({ questions: [b, a], riskRules: [] })).toEqual([
      ['questions.0.showIf', 'issue.questionnaire.condition'],
    ]);
    expect(
      codes({ questions: [{ ...a, showIf: { key: 'returned', equals: true } }], riskRules: [] }),
    ).toEqual([['questions.0.showIf', 'issue.questionnaire.condition']]);
    expect(
      codes({ questions: [a, { ...b, showIf: { key: 'returned', equals: 'yes' } }], riskRules: [] }),
    ).toEqual([['questions.1.showIf', 'issue.questionnaire.condition']]);
    const withBy = def.questions.slice(0, 4);
    expect(
      codes({
        questions: [...withBy.slice(0, 3), { ...withBy[3]!, showIf: { key: 'by', equals: 'plane' } }],
        riskRules: [],
      }),
    ).toEqual([['questions.3.showIf', 'issue.questionnaire.condition']]);
  });
  it('refuses duplicate keys, choices without options, options elsewhere and bounds the wrong way round', () => {
    const a = def.questions[0]!;
    expect(
      codes({
        questions: [
          a,
          { ...a },
          {
            key: 'pick',
            type: 'single',
            label: l('选'),
            required: false,
            options: [{ value: 'x', label: l('x') }],
          },
          { key: 'n', type: 'number', label: l('数'), required: false, min: 5, max: 1 },
          {
            key: 't',
            type: 'text',
            label: l('文'),
            required: false,
            options: [{ value: 'x', label: l('x') }],
          },
        ],
        riskRules: [],
      }),
    ).toEqual([
      ['questions.1.key', 'issue.questionnaire.duplicate_key'],
      ['questions.2.options', 'issue.questionnaire.options'],
      ['questions.3.max', 'issue.questionnaire.bounds'],
      ['questions.4.options', 'issue.questionnaire.options'],
    ]);
  });
  it('refuses a rule naming no question, or a test that cannot hold for the question’s answers', () => {
    const rule = (key: string, op: 'eq' | 'includes' | 'gte' | 'lte', value: string | number | boolean) => ({
      questions: def.questions,
      riskRules: [{ level: 'high' as const, when: [{ key, op, value }] }],
    });
    expect(codes(rule('nothing', 'eq', true))).toEqual([['riskRules.0.when.0', 'issue.questionnaire.rule']]);
    for (const bad of [
      rule('returned', 'eq', 'true'),
      rule('by', 'eq', 'plane'),
      rule('symptoms', 'eq', 'fever'),
      rule('symptoms', 'includes', 'sneeze'),
      rule('temp', 'gte', '37'),
      rule('contact', 'lte', 1),
    ])
      expect(codes(bad), JSON.stringify(bad.riskRules)).toEqual([
        ['riskRules.0.when.0', 'issue.questionnaire.rule'],
      ]);
    for (const good of [
      rule('by', 'eq', 'train'),
      rule('temp', 'eq', 37),
      rule('from', 'eq', '武汉'),
      rule('temp', 'lte', 35),
    ])
      expect(codes(good), JSON.stringify(good.riskRules)).toEqual([]);
  });
});
