import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { isRealDate, parseIdNumber, normalizePhone } from '../validators.js';
import { importSkipped } from './imports.js';
import { abilities, pageQuery, recordId, recordIdParam } from './shared.js';

export const RESIDENCE_TYPES = ['registered', 'floating', 'returnee'] as const;
export type ResidenceType = (typeof RESIDENCE_TYPES)[number];
export const RESIDENCE_LABELS: Record<ResidenceType, { zh: string; en: string }> = {
  registered: { zh: '户籍人口', en: 'Registered' },
  floating: { zh: '流动人口', en: 'Floating' },
  returnee: { zh: '返乡人员', en: 'Returnee' },
};
export const NO_ID_REASONS = ['child', 'foreigner', 'not_collected', 'other'] as const;
export const NO_ID_LABELS: Record<(typeof NO_ID_REASONS)[number], { zh: string; en: string }> = {
  child: { zh: '未成年未办证', en: 'Child without ID' },
  foreigner: { zh: '外籍人员', en: 'Foreign national' },
  not_collected: { zh: '暂未采集', en: 'Not yet collected' },
  other: { zh: '其他', en: 'Other' },
};
export const GENDERS = ['male', 'female'] as const;
export const SENSITIVE_FIELDS = ['idNumber', 'phone'] as const;
export type SensitiveField = (typeof SENSITIVE_FIELDS)[number];

const text = (max: number) => z.string().trim().max(max);
const date = z.string().refine(isRealDate, 'a real date as YYYY-MM-DD');

/** A resident ID number: validated (GB 11643), 15-digit numbers converted, stored upper case. */
export const idNumberInput = z.string().transform((v, ctx) => {
  const r = parseIdNumber(v);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  }
  return r.value.value;
});
export const phoneInput = z.string().transform((v, ctx) => {
  const r = normalizePhone(v);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  }
  return r.value;
});

export const tag = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  builtin: z.boolean(),
  retired: z.boolean(),
});
export type Tag = z.infer<typeof tag>;
export const createTagBody = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
  nameZh: text(LIMITS.name).min(1),
  nameEn: text(LIMITS.name).min(1),
});
export const updateTagBody = z
  .strictObject({
    nameZh: text(LIMITS.name).min(1).optional(),
    nameEn: text(LIMITS.name).min(1).optional(),
    retired: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'issue.nothing_to_change' });

export const personSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  /** Always masked here: 330112********123X. */
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  gender: z.enum(GENDERS).nullable(),
  birthDate: z.string().nullable(),
  residenceType: z.enum(RESIDENCE_TYPES),
  node: z.object({ id: z.number().int(), name: z.string(), fullCode: z.string() }),
  householdId: z.number().int().nullable(),
  address: z.string().nullable(),
  tags: z.array(z.string()),
});
export type PersonSummary = z.infer<typeof personSummary>;

export const personHistoryEntry = z.object({
  at: z.string(),
  action: z.string(),
  actor: z.string(),
  detail: z.unknown(),
});
export const householdMember = z.object({
  id: z.number().int(),
  name: z.string(),
  relation: z.string().nullable(),
  isHead: z.boolean(),
});
export const personDetail = personSummary.extend({
  ethnicity: z.string().nullable(),
  arrivalDate: z.string().nullable(),
  originRegion: z.string().nullable(),
  noIdReason: z.enum(NO_ID_REASONS).nullable(),
  relationToHead: z.string().nullable(),
  notes: z.string().nullable(),
  /** Set when this record was merged into another: the survivor's id. */
  mergedIntoId: z.number().int().nullable(),
  household: z
    .object({ id: z.number().int(), address: z.string().nullable(), members: z.array(householdMember) })
    .nullable(),
  history: z.array(personHistoryEntry),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** `observe`: may order home observation for them (observations.manage at their place). */
  abilities: abilities('update', 'reveal', 'merge', 'observe'),
});
export type PersonDetail = z.infer<typeof personDetail>;

export const listPeopleQuery = z.strictObject({
  node: recordIdParam.optional(),
  /** A name prefix, or a whole ID number or phone number (matched exactly through the blind index). */
  q: text(LIMITS.search).optional(),
  tag: z.union([z.string().max(40), z.array(z.string().max(40)).max(10)]).optional(),
  type: z.enum(RESIDENCE_TYPES).optional(),
  ...pageQuery,
});

const personFields = {
  name: text(LIMITS.name).min(1),
  idNumber: idNumberInput.nullable().optional(),
  noIdReason: z.enum(NO_ID_REASONS).nullable().optional(),
  phone: phoneInput.nullable().optional(),
  gender: z.enum(GENDERS).nullable().optional(),
  birthDate: date.nullable().optional(),
  ethnicity: text(20).nullable().optional(),
  nodeId: recordId,
  householdId: recordId.nullable().optional(),
  relationToHead: text(20).nullable().optional(),
  address: text(200).nullable().optional(),
  residenceType: z.enum(RESIDENCE_TYPES),
  arrivalDate: date.nullable().optional(),
  originRegion: text(100).nullable().optional(),
  tags: z.array(z.string().max(40)).max(20).optional(),
  notes: text(2000).nullable().optional(),
};
export const createPersonBody = z
  .strictObject(personFields)
  .refine((b) => Boolean(b.idNumber) || Boolean(b.noIdReason), {
    message: 'issue.no_id_reason',
    path: ['noIdReason'],
  });
export const updatePersonBody = z
  .strictObject(
    Object.fromEntries(Object.entries(personFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof personFields]: z.ZodOptional<(typeof personFields)[K]>;
    },
  )
  .refine((b) => Object.keys(b).length > 0, { message: 'issue.nothing_to_change' });

export const revealBody = z.strictObject({
  field: z.enum(SENSITIVE_FIELDS),
  reason: text(LIMITS.reason).min(2, 'issue.reason_required'),
});
export const revealResponse = z.object({ field: z.enum(SENSITIVE_FIELDS), value: z.string().nullable() });

export const mergeBody = z.strictObject({ otherId: recordId, reason: text(LIMITS.reason).min(2) });

export const exportBody = z.strictObject({
  node: recordId.optional(),
  q: text(LIMITS.search).optional(),
  tag: z.array(z.string().max(40)).max(10).optional(),
  type: z.enum(RESIDENCE_TYPES).optional(),
  unmasked: z.boolean().default(false),
  reason: text(LIMITS.reason).optional(),
});

export const importReport = z.object({
  jobId: z.number().int(),
  status: z.enum(['validating', 'importing', 'done', 'rejected', 'interrupted', 'failed']),
  total: z.number().int(),
  processed: z.number().int(),
  imported: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })),
  /** Where the workbook of bad rows (with an error column) can be downloaded, when there are any. */
  errorWorkbook: z.string().nullable(),
  skipped: importSkipped,
});
export type ImportReport = z.infer<typeof importReport>;
/** Your imports run under a ref you gave (`GET /api/people/imports?ref=`): empty until the server
 * has registered the run, so that its progress can be asked for before the upload has arrived. */
export const importsQuery = z.strictObject({ ref: z.string().min(1).max(64) });
export const importList = z.object({ items: z.array(importReport) });

/** Column headers of the people import, as officials write them. 户号 groups rows into one household. */
export const PEOPLE_IMPORT_COLUMNS = [
  '姓名',
  '身份证号',
  '手机号',
  '现住址',
  '所属网格',
  '人员类型',
  '标签',
  '户号',
  '与户主关系',
  '无证原因',
  '民族',
  '来源地',
  '到达日期',
  '备注',
] as const;
export const PEOPLE_IMPORT_REQUIRED = ['姓名', '身份证号', '所属网格', '人员类型'] as const;
/** Other headers registers give the same columns (compared without spaces, `*` or remarks in brackets). */
export const PEOPLE_IMPORT_ALIASES: Readonly<Record<string, (typeof PEOPLE_IMPORT_COLUMNS)[number]>> = {
  名字: '姓名',
  居民姓名: '姓名',
  人员姓名: '姓名',
  身份证: '身份证号',
  身份证号码: '身份证号',
  身份证件号码: '身份证号',
  公民身份号码: '身份证号',
  公民身份证号码: '身份证号',
  证件号码: '身份证号',
  手机: '手机号',
  手机号码: '手机号',
  联系电话: '手机号',
  电话: '手机号',
  电话号码: '手机号',
  联系方式: '手机号',
  住址: '现住址',
  地址: '现住址',
  现居住地址: '现住址',
  居住地址: '现住址',
  现居住地: '现住址',
  家庭住址: '现住址',
  网格: '所属网格',
  网格编码: '所属网格',
  网格名称: '所属网格',
  人口类型: '人员类型',
  人员类别: '人员类型',
  类型: '人员类型',
  人员标签: '标签',
  户编号: '户号',
  与户主的关系: '与户主关系',
  户主关系: '与户主关系',
  无身份证原因: '无证原因',
  户籍地: '来源地',
  来本地日期: '到达日期',
  来本地时间: '到达日期',
  到达时间: '到达日期',
  抵达日期: '到达日期',
  说明: '备注',
};
/** Columns holding dates, read from date cells, serial numbers or text (2024-03-05, 2024/3/5, 2024年3月5日). */
export const PEOPLE_IMPORT_DATES = ['到达日期'] as const;

export const householdSummary = z.object({
  id: z.number().int(),
  address: z.string().nullable(),
  node: z.object({ id: z.number().int(), name: z.string() }),
  headName: z.string().nullable(),
  memberCount: z.number().int(),
});
export const householdDetail = householdSummary.extend({
  members: z.array(personSummary.extend({ relation: z.string().nullable(), isHead: z.boolean() })),
});
export const listHouseholdsQuery = z.strictObject({
  node: recordIdParam.optional(),
  q: text(LIMITS.search).optional(),
  ...pageQuery,
});
