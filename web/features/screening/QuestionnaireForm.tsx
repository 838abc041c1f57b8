// A questionnaire's questions as a phone form: only the questions shown by the answers so far (the
// shared rules of common/questionnaire.ts, the same the server checks), yes/no as two large buttons,
// numbers with their unit, dates with the phone's own picker. Answers to questions that a changed
// answer hides are dropped, so what is sent is what was asked.
import { Checkbox, Input, InputNumber, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  visibleQuestions,
  type AnswerValue,
  type Answers,
  type Question,
  type QuestionnaireDefinition,
} from '../../../common/questionnaire.js';
import { useLabel } from '../../app/format.js';

/** The answers kept: those of questions still shown. */
export function shownAnswers(def: QuestionnaireDefinition, a: Answers): Answers {
  const keys = new Set(visibleQuestions(def, a).map((q) => q.key));
  return Object.fromEntries(Object.entries(a).filter(([k]) => keys.has(k)));
}
/** Every required question shown has an answer. */
export function complete(def: QuestionnaireDefinition, a: Answers): boolean {
  return visibleQuestions(def, a).every((q) => {
    const v = a[q.key];
    return !q.required || (v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0));
  });
}

function Field({
  q,
  value,
  onChange,
}: {
  q: Question;
  value: AnswerValue | undefined;
  onChange: (v: AnswerValue | undefined) => void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const id = `q-${q.key}`;
  switch (q.type) {
    case 'yes_no':
      return (
        <Radio.Group
          id={id}
          optionType="button"
          buttonStyle="solid"
          className="linli-outcomes"
          value={value}
          onChange={(e) => onChange(e.target.value as boolean)}
          options={[
            { value: true, label: t('sweep.yes') },
            { value: false, label: t('sweep.no') },
          ]}
        />
      );
    case 'single':
      return (
        <Radio.Group id={id} value={value} onChange={(e) => onChange(e.target.value as string)}>
          {(q.options ?? []).map((o) => (
            <Radio key={o.value} value={o.value}>
              {label(o.label)}
            </Radio>
          ))}
        </Radio.Group>
      );
    case 'multiple':
      return (
        <Checkbox.Group
          className="linli-check-rows"
          value={(value as string[] | undefined) ?? []}
          onChange={(v) => onChange(v)}
          options={(q.options ?? []).map((o) => ({ value: o.value, label: label(o.label) }))}
        />
      );
    case 'number':
      return (
        <InputNumber
          id={id}
          inputMode="decimal"
          step={0.1}
          min={q.min}
          max={q.max}
          value={typeof value === 'number' ? value : null}
          onChange={(v) => onChange(v === null ? undefined : Number(v))}
          suffix={q.unit}
          style={{ width: '100%' }}
        />
      );
    case 'date':
      return (
        <Input
          id={id}
          type="date"
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value || undefined)}
        />
      );
    case 'text':
    case 'region':
      return (
        <Input
          id={id}
          maxLength={500}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value || undefined)}
        />
      );
  }
}

export function QuestionnaireForm({
  def,
  answers,
  onChange,
}: {
  def: QuestionnaireDefinition;
  answers: Answers;
  onChange: (a: Answers) => void;
}) {
  const label = useLabel();
  return (
    <div data-testid="questionnaire">
      {visibleQuestions(def, answers).map((q) => (
        <div key={q.key} className="linli-question" data-testid={`question-${q.key}`}>
          <label className="linli-question-label" htmlFor={`q-${q.key}`}>
            {q.required && (
              <span aria-hidden style={{ color: 'var(--linli-danger, #c8102e)' }}>
                *{' '}
              </span>
            )}
            {label(q.label)}
          </label>
          <Field
            q={q}
            value={answers[q.key]}
            onChange={(v) => {
              const next = { ...answers };
              if (v === undefined) delete next[q.key];
              else next[q.key] = v;
              onChange(shownAnswers(def, next));
            }}
          />
        </div>
      ))}
    </div>
  );
}
