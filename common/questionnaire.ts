// A questionnaire as data (摸排问卷): which questions show given the answers so far, whether an answer
// set is complete and well formed, and the risk level its rules give. Pure, shared by the server (which
// checks every visit) and the phone form (which shows and hides questions as they are answered).
import type { QuestionType, RiskLevel, RuleOp } from './contracts/screening-codes.js';
import { QUESTIONNAIRE_LIMITS } from './contracts/screening-codes.js';
import { isRealDate } from './validators.js';

export interface Label {
  zh: string;
  en: string;
}
export interface QuestionOption {
  value: string;
  label: Label;
}
export interface Question {
  /** Stable within the questionnaire's versions: answers and rules refer to it. */
  key: string;
  type: QuestionType;
  label: Label;
  required: boolean;
  options?: QuestionOption[];
  /** For a number: its unit as shown (°C, 人) and its bounds. */
  unit?: string;
  min?: number;
  max?: number;
  /** Shown only when an earlier question's answer equals this (a yes/no or single choice). */
  showIf?: { key: string; equals: string | boolean };
}
export interface RiskCondition {
  key: string;
  op: RuleOp;
  value: string | number | boolean;
}
/** A rule gives its level when all its conditions hold; the highest level of the rules that hold wins. */
export interface RiskRule {
  level: Exclude<RiskLevel, 'low'>;
  when: RiskCondition[];
}
export interface QuestionnaireDefinition {
  questions: Question[];
  riskRules: RiskRule[];
}
export type AnswerValue = boolean | string | number | string[];
export type Answers = Record<string, AnswerValue>;

/** A problem with an answer set or a definition: where, and the message code of what is wrong. */
export interface AnswerIssue {
  path: (string | number)[];
  code: string;
  params?: Record<string, string | number>;
}

/** The answer to a question, if given: own keys only (a question keyed `constructor` is not answered by the prototype). */
export function answerOf(a: Answers, key: string): AnswerValue | undefined {
  return Object.hasOwn(a, key) ? a[key] : undefined;
}

function conditionHolds(c: RiskCondition | { key: string; op: 'eq'; value: string | boolean }, a: Answers) {
  const v = answerOf(a, c.key);
  if (v === undefined) return false;
  switch (c.op) {
    case 'eq':
      return v === c.value;
    case 'includes':
      return Array.isArray(v) && v.includes(String(c.value));
    case 'gte':
      return typeof v === 'number' && typeof c.value === 'number' && v >= c.value;
    case 'lte':
      return typeof v === 'number' && typeof c.value === 'number' && v <= c.value;
  }
}

/** Whether a question shows given the answers: its condition's question shows and was answered so. */
export function isShown(def: QuestionnaireDefinition, q: Question, a: Answers): boolean {
  if (!q.showIf) return true;
  const parent = def.questions.find((p) => p.key === q.showIf!.key);
  if (!parent || !isShown(def, parent, a)) return false;
  return conditionHolds({ key: q.showIf.key, op: 'eq', value: q.showIf.equals }, a);
}

export function visibleQuestions(def: QuestionnaireDefinition, a: Answers): Question[] {
  return def.questions.filter((q) => isShown(def, q, a));
}

function answerIssue(q: Question, v: AnswerValue): string | null {
  const values = new Set((q.options ?? []).map((o) => o.value));
  switch (q.type) {
    case 'yes_no':
      return typeof v === 'boolean' ? null : 'issue.answer.yes_no';
    case 'single':
      return typeof v === 'string' && values.has(v) ? null : 'issue.answer.option';
    case 'multiple':
      return Array.isArray(v) && new Set(v).size === v.length && v.every((x) => values.has(x))
        ? null
        : 'issue.answer.option';
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'issue.answer.number';
      return (q.min !== undefined && v < q.min) || (q.max !== undefined && v > q.max)
        ? 'issue.answer.range'
        : null;
    case 'date':
      return typeof v === 'string' && isRealDate(v) ? null : 'issue.answer.date';
    case 'text':
    case 'region':
      return typeof v === 'string' && v.trim().length > 0 && v.length <= QUESTIONNAIRE_LIMITS.textChars
        ? null
        : 'issue.answer.text';
  }
}

/**
 * The issues of an answer set, each at its question's key: a required shown question unanswered, an
 * answer of the wrong kind or out of range, an answer to a question not shown or not asked.
 */
export function checkAnswers(def: QuestionnaireDefinition, a: Answers): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const byKey = new Map(def.questions.map((q) => [q.key, q]));
  for (const key of Object.keys(a)) {
    const q = byKey.get(key);
    if (!q) issues.push({ path: [key], code: 'issue.answer.unknown_question' });
    else if (!isShown(def, q, a)) issues.push({ path: [key], code: 'issue.answer.not_shown' });
  }
  for (const q of def.questions) {
    if (!isShown(def, q, a)) continue;
    const v = answerOf(a, q.key);
    if (v === undefined || (Array.isArray(v) && v.length === 0 && q.required)) {
      if (q.required) issues.push({ path: [q.key], code: 'issue.answer.required' });
      continue;
    }
    const code = answerIssue(q, v);
    if (code)
      issues.push({
        path: [q.key],
        code,
        ...(code === 'issue.answer.range' ? { params: { min: q.min ?? '', max: q.max ?? '' } } : {}),
      });
  }
  return issues;
}

/** The risk level of a (checked) answer set: the highest level among the rules whose conditions all hold. */
export function classifyRisk(def: QuestionnaireDefinition, a: Answers): RiskLevel {
  let level: RiskLevel = 'low';
  for (const r of def.riskRules)
    if (r.when.every((c) => conditionHolds(c, a))) {
      if (r.level === 'high') return 'high';
      level = 'medium';
    }
  return level;
}

/** Whether a rule's test can ever hold for the question's answers (an equality on a choice names one of its options). */
function ruleFits(q: Question, c: RiskCondition): boolean {
  const isOption = (v: unknown) => (q.options ?? []).some((o) => o.value === v);
  switch (c.op) {
    case 'eq':
      if (q.type === 'yes_no') return typeof c.value === 'boolean';
      if (q.type === 'single') return isOption(c.value);
      if (q.type === 'number') return typeof c.value === 'number';
      // A set of choices is tested with includes; text, dates and regions by their string.
      return q.type !== 'multiple' && typeof c.value === 'string';
    case 'includes':
      return q.type === 'multiple' && isOption(c.value);
    case 'gte':
    case 'lte':
      return q.type === 'number' && typeof c.value === 'number';
  }
}

/**
 * The issues of a definition: keys unique and well formed, options where choices are asked, a
 * condition referring to an earlier yes/no or single-choice question, rules naming questions.
 */
export function checkDefinition(def: QuestionnaireDefinition): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const seen = new Map<string, Question>();
  def.questions.forEach((q, i) => {
    if (seen.has(q.key))
      issues.push({ path: ['questions', i, 'key'], code: 'issue.questionnaire.duplicate_key' });
    const choice = q.type === 'single' || q.type === 'multiple';
    if (choice && (q.options ?? []).length < 2)
      issues.push({ path: ['questions', i, 'options'], code: 'issue.questionnaire.options' });
    if (choice && new Set((q.options ?? []).map((o) => o.value)).size !== (q.options ?? []).length)
      issues.push({ path: ['questions', i, 'options'], code: 'issue.questionnaire.duplicate_key' });
    if (!choice && q.options?.length)
      issues.push({ path: ['questions', i, 'options'], code: 'issue.questionnaire.options' });
    if (q.showIf) {
      const p = seen.get(q.showIf.key);
      const fits =
        p &&
        ((p.type === 'yes_no' && typeof q.showIf.equals === 'boolean') ||
          (p.type === 'single' &&
            typeof q.showIf.equals === 'string' &&
            (p.options ?? []).some((o) => o.value === q.showIf!.equals)));
      if (!fits) issues.push({ path: ['questions', i, 'showIf'], code: 'issue.questionnaire.condition' });
    }
    if (q.min !== undefined && q.max !== undefined && q.min > q.max)
      issues.push({ path: ['questions', i, 'max'], code: 'issue.questionnaire.bounds' });
    seen.set(q.key, q);
  });
  def.riskRules.forEach((r, i) =>
    r.when.forEach((c, j) => {
      const q = seen.get(c.key);
      const fits = q !== undefined && ruleFits(q, c);
      if (!fits) issues.push({ path: ['riskRules', i, 'when', j], code: 'issue.questionnaire.rule' });
    }),
  );
  return issues;
}
