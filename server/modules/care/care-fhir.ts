// FHIR R4 for psychological scales: a scale as a `Questionnaire`, a filled one as a `Bundle` of its
// `QuestionnaireResponse` and the total as an `Observation` (LOINC-coded where the scale is), so that
// a health service can take them in. Pure: the service checks access and audits the export.
import type { ScaleDefinition, ScaleLabel, ScaleOption } from '../../../common/care-scales.js';

const LOINC = 'http://loinc.org';
/** Where Linli's own codes live when a scale or answer has no LOINC code. */
const LOCAL = 'urn:linli:scale';

export interface FhirScale {
  code: string;
  title: ScaleLabel;
  loinc: string | null;
  totalLoinc: string | null;
  definition: ScaleDefinition;
}

const canonical = (code: string) => `urn:linli:questionnaire:${code}`;
/** A coding for an answer: LOINC's answer code where the scale has one, else the scale's own value. */
function answerCoding(scale: FhirScale, o: ScaleOption) {
  return o.loinc
    ? { system: LOINC, code: o.loinc, display: o.label.en }
    : { system: `${LOCAL}:${scale.code}`, code: String(o.value), display: o.label.en };
}
/** The Chinese text beside the English one, as FHIR's translation extension carries it. */
function translated(l: ScaleLabel) {
  return {
    extension: [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/translation',
        extension: [
          { url: 'lang', valueCode: 'zh-CN' },
          { url: 'content', valueString: l.zh },
        ],
      },
    ],
  };
}
const itemCode = (scale: FhirScale, it: { key: string; loinc?: string | undefined; label: ScaleLabel }) =>
  it.loinc
    ? [{ system: LOINC, code: it.loinc, display: it.label.en }]
    : [{ system: `${LOCAL}:${scale.code}`, code: it.key, display: it.label.en }];

export function questionnaireOf(scale: FhirScale): Record<string, unknown> {
  const d = scale.definition;
  return {
    resourceType: 'Questionnaire',
    id: scale.code.replace(/[^A-Za-z0-9-]/g, '-').toLowerCase(),
    url: canonical(scale.code),
    // A computer-friendly name starts with a capital letter (FHIR's naming rule).
    name: /^[A-Z]/.test(scale.code)
      ? scale.code.replace(/[^A-Za-z0-9]/g, '')
      : `Scale${scale.code.replace(/[^A-Za-z0-9]/g, '')}`,
    title: scale.title.en,
    _title: translated(scale.title),
    status: 'active',
    language: 'en',
    ...(scale.loinc ? { code: [{ system: LOINC, code: scale.loinc, display: scale.title.en }] } : {}),
    item: [
      { linkId: 'intro', type: 'display', text: d.intro.en, _text: translated(d.intro) },
      ...d.items.map((it) => ({
        linkId: it.key,
        code: itemCode(scale, it),
        text: it.label.en,
        _text: translated(it.label),
        type: 'choice',
        required: it.scored,
        answerOption: (it.options ?? d.options).map((o) => ({
          valueCoding: answerCoding(scale, o),
          extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/ordinalValue', valueDecimal: o.value }],
        })),
      })),
    ],
  };
}

export interface FhirFilled {
  responseId: number;
  /** The person as a reference within the district's registry, never their ID number. */
  personId: number;
  personName: string;
  submittedAt: string;
  answers: (number | null)[];
  total: number;
  band: { code: string; label: ScaleLabel };
}

export function responseBundleOf(scale: FhirScale, f: FhirFilled): Record<string, unknown> {
  const d = scale.definition;
  const subject = { reference: `Patient/linli-${f.personId}`, display: f.personName };
  const responseFullUrl = `urn:linli:questionnaire-response:${f.responseId}`;
  const response = {
    resourceType: 'QuestionnaireResponse',
    id: `linli-${f.responseId}`,
    questionnaire: canonical(scale.code),
    status: 'completed',
    subject,
    authored: f.submittedAt,
    item: d.items.flatMap((it, i) => {
      const v = f.answers[i];
      const o =
        v === null || v === undefined ? undefined : (it.options ?? d.options).find((x) => x.value === v);
      if (!o) return [];
      return [{ linkId: it.key, text: it.label.en, answer: [{ valueCoding: answerCoding(scale, o) }] }];
    }),
  };
  const observation = {
    resourceType: 'Observation',
    id: `linli-${f.responseId}-total`,
    status: 'final',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/observation-category',
            code: 'survey',
            display: 'Survey',
          },
        ],
      },
    ],
    code: {
      coding: scale.totalLoinc
        ? [{ system: LOINC, code: scale.totalLoinc, display: `${scale.code} total score` }]
        : [{ system: `${LOCAL}:${scale.code}`, code: 'total', display: `${scale.code} total score` }],
      text: `${scale.code} total score`,
    },
    subject,
    effectiveDateTime: f.submittedAt,
    valueInteger: f.total,
    interpretation: [
      { coding: [{ system: `${LOCAL}:${scale.code}:band`, code: f.band.code, display: f.band.label.en }] },
    ],
    derivedFrom: [{ reference: responseFullUrl }],
  };
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: f.submittedAt,
    entry: [
      { fullUrl: responseFullUrl, resource: response },
      { fullUrl: `urn:linli:observation:${f.responseId}`, resource: observation },
    ],
  };
}
