// Daily situation reports (每日报表): a template says what every node of one level below the issuing
// node reports each day by a time (Asia/Shanghai); submissions roll up the tree by each field's aggregation.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { isRealDate } from '../validators.js';
import { abilities, recordId, recordIdParam } from './shared.js';

const text = (max: number) => z.string().trim().max(max);
const day = z.string().refine(isRealDate, 'a real date as YYYY-MM-DD');

export const REPORT_FIELD_TYPES = ['integer', 'decimal', 'text', 'choice'] as const;
export type ReportFieldType = (typeof REPORT_FIELD_TYPES)[number];
export const REPORT_AGGREGATIONS = ['sum', 'max', 'latest'] as const;
export type ReportAggregation = (typeof REPORT_AGGREGATIONS)[number];
export const REPORT_FIELD_TYPE_LABELS: Record<ReportFieldType, { zh: string; en: string }> = {
  integer: { zh: '整数', en: 'Whole number' },
  decimal: { zh: '小数', en: 'Decimal' },
  text: { zh: '文本', en: 'Text' },
  choice: { zh: '选项', en: 'Choice' },
};
export const REPORT_AGGREGATION_LABELS: Record<ReportAggregation, { zh: string; en: string }> = {
  sum: { zh: '求和', en: 'Sum' },
  max: { zh: '最大值', en: 'Maximum' },
  latest: { zh: '最新', en: 'Latest' },
};
/** Levels a template can ask to report (never the district itself). */
export const REPORT_TARGET_LEVELS = ['town', 'village', 'grid'] as const;
/** The longest history or export, in days. */
export const REPORT_HISTORY_MAX_DAYS = 92;
/** A reported number's bound: far beyond any daily figure, well inside a double's exact integers. */
export const REPORT_NUMBER_MAX = 1e12;
export const MAX_REPORT_FIELDS = 30;
export const MAX_REPORT_TEXT = 500;

export const isNumberField = (t: ReportFieldType) => t === 'integer' || t === 'decimal';

export const reportField = z
  .strictObject({
    code: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _, starting with a letter'),
    labelZh: text(40).min(1),
    labelEn: text(60).min(1),
    type: z.enum(REPORT_FIELD_TYPES),
    aggregation: z.enum(REPORT_AGGREGATIONS),
    required: z.boolean().default(false),
    choices: z.array(text(40).min(1)).min(1).max(30).optional(),
  })
  .superRefine((f, ctx) => {
    if ((f.aggregation === 'sum' || f.aggregation === 'max') && !isNumberField(f.type))
      ctx.addIssue({
        code: 'custom',
        path: ['aggregation'],
        message: 'issue.aggregate_numeric',
      });
    if (f.type === 'choice' && !f.choices)
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'issue.choices_required' });
    if (f.type !== 'choice' && f.choices)
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'issue.choices_only_choice' });
    if (f.choices && new Set(f.choices).size !== f.choices.length)
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'issue.choices_distinct' });
  });
export type ReportField = z.infer<typeof reportField>;

export const createTemplateBody = z
  .strictObject({
    title: text(LIMITS.name).min(1),
    nodeId: recordId,
    commandId: recordId.optional(),
    targetLevel: z.enum(REPORT_TARGET_LEVELS),
    dueTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour'),
    startDay: day,
    endDay: day.optional(),
    fields: z.array(reportField).min(1).max(MAX_REPORT_FIELDS),
  })
  .superRefine((b, ctx) => {
    if (b.endDay && b.endDay < b.startDay)
      ctx.addIssue({ code: 'custom', path: ['endDay'], message: 'issue.on_or_after_start' });
    const seen = new Set<string>();
    b.fields.forEach((f, i) => {
      if (seen.has(f.code))
        ctx.addIssue({ code: 'custom', path: ['fields', i, 'code'], message: 'issue.field_codes_distinct' });
      seen.add(f.code);
    });
  });
export type CreateTemplateBody = z.infer<typeof createTemplateBody>;
export const updateTemplateBody = z.strictObject({ retired: z.literal(true) });
export const listTemplatesQuery = z.strictObject({
  command: recordIdParam.optional(),
  node: recordIdParam.optional(),
});
export type ListTemplatesQuery = z.infer<typeof listTemplatesQuery>;

const nodeRef = z.object({ id: z.number().int(), name: z.string(), level: z.string() });
export const reportTemplate = z.object({
  id: z.number().int(),
  commandId: z.number().int().nullable(),
  node: nodeRef,
  targetLevel: z.enum(REPORT_TARGET_LEVELS),
  title: z.string(),
  fields: z.array(
    z.object({
      code: z.string(),
      labelZh: z.string(),
      labelEn: z.string(),
      type: z.enum(REPORT_FIELD_TYPES),
      aggregation: z.enum(REPORT_AGGREGATIONS),
      required: z.boolean(),
      choices: z.array(z.string()).optional(),
    }),
  ),
  dueTime: z.string(),
  startDay: z.string(),
  endDay: z.string().nullable(),
  createdAt: z.string(),
  retiredAt: z.string().nullable(),
  /** manage: retire it; fill: the caller reports for a node; view: the caller sees roll-ups. */
  abilities: abilities('manage', 'fill', 'view'),
});
export type ReportTemplate = z.infer<typeof reportTemplate>;

/** A submitted value: a number for integer and decimal fields, text for text and choice ones. */
export const reportValue = z.union([z.number(), z.string().max(2000), z.null()]);
export type ReportValue = z.infer<typeof reportValue>;
export const reportValues = z
  .record(z.string().max(40), reportValue)
  .refine((v) => Object.keys(v).length <= MAX_REPORT_FIELDS, `at most ${MAX_REPORT_FIELDS} values`);

export const formsQuery = z.strictObject({ day: day.optional() });
export const reportForm = z.object({
  node: nodeRef.extend({ parentName: z.string().nullable() }),
  day: z.string(),
  values: z.record(z.string(), reportValue).nullable(),
  submittedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  late: z.boolean(),
  /** The day's due instant (UTC). */
  dueAt: z.string(),
});
export type ReportForm = z.infer<typeof reportForm>;
export const formsResponse = z.object({
  template: reportTemplate,
  day: z.string(),
  items: z.array(reportForm),
});

export const submitBody = z.strictObject({ nodeId: recordId, day, values: reportValues });
export type SubmitBody = z.infer<typeof submitBody>;

export const summaryQuery = z.strictObject({ node: recordIdParam.optional(), day: day.optional() });
/** Aggregated values by field code: numbers for sum and max, the latest value for latest; null when nothing was reported. */
const aggregates = z.record(z.string(), reportValue);
const counts = { expected: z.number().int(), submitted: z.number().int(), late: z.number().int() };
export const summaryResponse = z.object({
  template: reportTemplate,
  node: nodeRef.extend({ parentId: z.number().int().nullable() }),
  day: z.string(),
  values: aggregates,
  ...counts,
  missing: z.array(z.object({ id: z.number().int(), name: z.string(), parentName: z.string().nullable() })),
  /** Drill-down: the node's children that hold reporters. `status` is set when the child reports itself. */
  children: z.array(
    z.object({
      node: nodeRef,
      values: aggregates,
      ...counts,
      missing: z.number().int(),
      status: z.enum(['on_time', 'late', 'missing']).nullable(),
    }),
  ),
});
export type SummaryResponse = z.infer<typeof summaryResponse>;

const period = {
  from: day,
  to: day,
};
const periodRules = (q: { from: string; to: string }, ctx: z.RefinementCtx) => {
  if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'issue.on_or_after_from' });
  else if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1 > REPORT_HISTORY_MAX_DAYS)
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: 'issue.at_most_days',
      params: { days: REPORT_HISTORY_MAX_DAYS },
    });
};
export const historyQuery = z
  .strictObject({ node: recordIdParam.optional(), ...period })
  .superRefine(periodRules);
export const historyResponse = z.object({
  template: reportTemplate,
  node: nodeRef,
  days: z.array(z.object({ day: z.string(), values: aggregates, ...counts })),
});
export type HistoryResponse = z.infer<typeof historyResponse>;
export const exportBody = z.strictObject({ node: recordId.optional(), ...period }).superRefine(periodRules);
export type ExportBody = z.infer<typeof exportBody>;
