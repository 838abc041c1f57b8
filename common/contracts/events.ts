// Joint handling (问题联治): the shapes the API accepts and returns for categories, departments,
// events, their actions and the public tracking page.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { isRealDate, normalizePhone } from '../validators.js';
import { abilities, pageQuery, recordId, recordIdParam } from './shared.js';
import {
  EVENT_STATE_CODES,
  EVENT_ACTION_CODES,
  CLOSE_REASON_CODES,
  OWNER_LEVEL_CODES,
  CHANNELS,
  PHOTO_ACTIONS,
} from './events-codes.js';
export {
  EVENT_STATE_CODES,
  EVENT_STATE_LABELS,
  EVENT_ACTION_CODES,
  CLOSE_REASON_CODES,
  OWNER_LEVEL_CODES,
  CHANNELS,
  CHANNEL_LABELS,
  PHOTO_ACTIONS,
  type EventActionCode,
} from './events-codes.js';

export const DEPARTMENT_KINDS = [
  'police',
  'judicial',
  'health',
  'market',
  'urban',
  'civil',
  'housing',
  'environment',
  'emergency',
  'fire',
  'traffic',
  'water',
  'power',
  'agriculture',
  'human_resources',
  'town_office',
] as const;
export const DEPARTMENT_KIND_LABELS: Record<(typeof DEPARTMENT_KINDS)[number], { zh: string; en: string }> = {
  police: { zh: '派出所', en: 'Police station' },
  judicial: { zh: '司法所', en: 'Judicial office' },
  health: { zh: '卫生健康', en: 'Health' },
  market: { zh: '市场监管', en: 'Market regulation' },
  urban: { zh: '综合执法（城管）', en: 'Urban management' },
  civil: { zh: '民政', en: 'Civil affairs' },
  housing: { zh: '住建', en: 'Housing and construction' },
  environment: { zh: '生态环境', en: 'Environment' },
  emergency: { zh: '应急管理', en: 'Emergency management' },
  fire: { zh: '消防', en: 'Fire and rescue' },
  traffic: { zh: '交通（交警）', en: 'Traffic' },
  water: { zh: '水务', en: 'Water' },
  power: { zh: '供电', en: 'Power supply' },
  agriculture: { zh: '农业农村', en: 'Agriculture and rural affairs' },
  human_resources: { zh: '人力社保', en: 'Human resources and social security' },
  town_office: { zh: '镇街综治办', en: 'Town governance office' },
};

const text = (max: number) => z.string().trim().max(max);
const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);
const phone = z.string().transform((v, ctx) => {
  const r = normalizePhone(v);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  }
  return r.value;
});
/** Values of a category's extra fields, by field code; checked against the category in the service. */
const attributes = z
  .record(z.string().max(40), z.union([z.string().max(500), z.number()]))
  .refine((a) => Object.keys(a).length <= 30, 'at most 30 fields');

export const extraField = z.object({
  code: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  type: z.enum(['text', 'integer', 'decimal', 'choice']),
  required: z.boolean(),
  choices: z.array(z.string()).optional(),
});
export type ExtraField = z.infer<typeof extraField>;

export const category = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  isPublic: z.boolean(),
  handlingLevel: z.enum(OWNER_LEVEL_CODES).nullable(),
  departmentKinds: z.array(z.string()),
  signHours: z.number().nullable(),
  handleHours: z.number().nullable(),
  verifyHours: z.number().nullable(),
  closingCriteria: z.string().nullable(),
  extraFields: z.array(extraField),
  retired: z.boolean(),
});
export type EventCategory = z.infer<typeof category>;

const hours = z.number().positive().max(2000);
export const createCategoryBody = z.strictObject({
  parentId: recordId.nullable(),
  code: z.string().regex(/^[a-z][a-z0-9_]{1,30}(\.[a-z][a-z0-9_]{1,30})?$/),
  nameZh: text(LIMITS.name).min(1),
  nameEn: text(LIMITS.name).min(1),
  isPublic: z.boolean().default(false),
  handlingLevel: z.enum(OWNER_LEVEL_CODES).optional(),
  departmentKinds: z.array(z.enum(DEPARTMENT_KINDS)).max(5).default([]),
  signHours: hours.optional(),
  handleHours: hours.optional(),
  verifyHours: hours.optional(),
  closingCriteria: text(500).optional(),
  extraFields: z.array(extraField.strict()).max(20).default([]),
});
export const updateCategoryBody = z
  .strictObject({
    nameZh: text(LIMITS.name).min(1).optional(),
    nameEn: text(LIMITS.name).min(1).optional(),
    isPublic: z.boolean().optional(),
    handlingLevel: z.enum(OWNER_LEVEL_CODES).optional(),
    departmentKinds: z.array(z.enum(DEPARTMENT_KINDS)).max(5).optional(),
    signHours: hours.optional(),
    handleHours: hours.optional(),
    verifyHours: hours.optional(),
    closingCriteria: text(500).optional(),
    extraFields: z.array(extraField.strict()).max(20).optional(),
    retired: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'issue.nothing_to_change' });

export const department = z.object({
  id: z.number().int(),
  node: z.object({ id: z.number().int(), name: z.string() }),
  kind: z.enum(DEPARTMENT_KINDS),
  name: z.string(),
  retired: z.boolean(),
  members: z.array(z.object({ id: z.number().int(), username: z.string(), displayName: z.string() })),
});
export type Department = z.infer<typeof department>;
export const createDepartmentBody = z.strictObject({
  nodeId: recordId,
  kind: z.enum(DEPARTMENT_KINDS),
  name: text(LIMITS.name).min(1),
});
export const updateDepartmentBody = z
  .strictObject({ name: text(LIMITS.name).min(1).optional(), retired: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'issue.nothing_to_change' });
export const memberBody = z.strictObject({ userId: recordId });
export const listDepartmentsQuery = z.strictObject({
  node: recordIdParam.optional(),
  kind: z.enum(DEPARTMENT_KINDS).optional(),
});

/** The one-time token an upload answers; a report or a step claims the photo with it. */
export const photoToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'an upload token');
const photos = z
  .array(photoToken)
  .max(LIMITS.photosPerStep)
  .refine((t) => new Set(t).size === t.length, 'each photo once');
export const photoUploadResponse = z.object({
  token: photoToken,
  mime: z.string(),
  sizeBytes: z.number().int(),
});
export const photoParams = z.strictObject({ id: recordIdParam, photoId: recordIdParam });

/** A place: a map point (the grid is found from it), or a node chosen by the reporter. */
const placeFields = {
  nodeId: recordId.optional(),
  lat: latitude.optional(),
  lng: longitude.optional(),
  address: text(200).optional(),
};
const placeRefine = <
  T extends { nodeId?: number | undefined; lat?: number | undefined; lng?: number | undefined },
>(
  b: T,
  ctx: z.RefinementCtx,
) => {
  if ((b.lat === undefined) !== (b.lng === undefined))
    ctx.addIssue({
      code: 'custom',
      path: [b.lat === undefined ? 'lat' : 'lng'],
      message: 'issue.lat_lng_together',
    });
  if (b.nodeId === undefined && b.lat === undefined)
    ctx.addIssue({ code: 'custom', path: ['nodeId'], message: 'issue.point_or_node' });
};

export const reportEventBody = z
  .strictObject({
    categoryId: recordId,
    title: text(100).min(1),
    description: text(2000).min(1),
    channel: z.enum(['patrol', 'hotline']).default('patrol'),
    ...placeFields,
    attributes: attributes.default({}),
    reporterName: text(50).optional(),
    reporterPhone: phone.optional(),
    photos: photos.optional(),
  })
  .superRefine(placeRefine);
export type ReportEventBody = z.infer<typeof reportEventBody>;

export const publicReportBody = z
  .strictObject({
    categoryId: recordId,
    title: text(100).optional(),
    description: text(2000).min(1),
    ...placeFields,
    attributes: attributes.default({}),
    name: text(50).optional(),
    phone: phone.optional(),
    photos: photos.optional(),
  })
  .superRefine(placeRefine);
export type PublicReportBody = z.infer<typeof publicReportBody>;

export const eventActionBody = z
  .strictObject({
    action: z.enum(EVENT_ACTION_CODES),
    reason: text(1000).optional(),
    /** dispatch: the lead department and optional assisting ones. */
    departmentId: recordId.optional(),
    assistingDepartmentIds: z.array(recordId).max(5).optional(),
    /** request_extension: extra working hours asked for. */
    hours: hours.optional(),
    /** park: the date to look at it again (Asia/Shanghai). */
    reviewOn: z.string().refine(isRealDate, 'issue.real_date').optional(),
    /** close: why, and the event it duplicates. */
    closeReason: z.enum(CLOSE_REASON_CODES).optional(),
    duplicateOfId: recordId.optional(),
    /** feed_back: what was done. */
    note: text(2000).optional(),
    /** feed_back and verification: photos uploaded before. */
    photos: photos.optional(),
  })
  .superRefine((b, ctx) => {
    const need = (field: keyof typeof b, when: boolean) => {
      if (when && (b[field] === undefined || b[field] === ''))
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: 'issue.required_for_action',
          params: { action: `event_action.${b.action}` },
        });
    };
    need('departmentId', b.action === 'dispatch');
    need('hours', b.action === 'request_extension');
    need('reviewOn', b.action === 'park');
    need('closeReason', b.action === 'close');
    need('duplicateOfId', b.action === 'close' && b.closeReason === 'duplicate');
    need('note', b.action === 'feed_back');
    if (b.photos && b.photos.length > 0 && !(PHOTO_ACTIONS as readonly string[]).includes(b.action))
      ctx.addIssue({
        code: 'custom',
        path: ['photos'],
        message: 'issue.photos_with',
      });
    if (b.action === 'close' && b.closeReason === 'resolved')
      ctx.addIssue({
        code: 'custom',
        path: ['closeReason'],
        message: 'issue.resolved_by_verification',
      });
  });
export type EventActionBody = z.infer<typeof eventActionBody>;

export const listEventsQuery = z.strictObject({
  node: recordIdParam.optional(),
  state: z.union([z.enum(EVENT_STATE_CODES), z.array(z.enum(EVENT_STATE_CODES)).max(12)]).optional(),
  category: recordIdParam.optional(),
  level: z.enum(OWNER_LEVEL_CODES).optional(),
  channel: z.enum(CHANNELS).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(50).optional(),
  ...pageQuery,
});

const ref = z.object({ id: z.number().int(), name: z.string() });
export const eventSummary = z.object({
  id: z.number().int(),
  trackingCode: z.string(),
  title: z.string(),
  category: z.object({ id: z.number().int(), code: z.string(), nameZh: z.string(), nameEn: z.string() }),
  state: z.enum(EVENT_STATE_CODES),
  channel: z.enum(CHANNELS),
  node: ref,
  ownerLevel: z.enum(OWNER_LEVEL_CODES),
  leadDepartment: ref.nullable(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EventSummary = z.infer<typeof eventSummary>;

export const historyEntry = z.object({
  at: z.string(),
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  ownerLevel: z.string(),
  actor: z.string(),
  reason: z.string().nullable(),
  detail: z.unknown().nullable(),
  /** Photos taken with this step, served at /api/events/{id}/photos/{photoId}. */
  photos: z.array(z.object({ id: z.number().int(), mime: z.string(), sizeBytes: z.number().int() })),
});

export const eventDetail = eventSummary.extend({
  description: z.string(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  attributes: z.record(z.string(), z.union([z.string(), z.number()])),
  /** Masked phone; the reporter's name as given. */
  reporter: z.object({ name: z.string().nullable(), phone: z.string().nullable() }),
  departments: z.array(
    z.object({ id: z.number().int(), name: z.string(), role: z.enum(['lead', 'assist']) }),
  ),
  signDueAt: z.string().nullable(),
  handleDueAt: z.string().nullable(),
  verifyDueAt: z.string().nullable(),
  parkedUntil: z.string().nullable(),
  closeReason: z.string().nullable(),
  duplicateOfId: z.number().int().nullable(),
  evaluation: z.string().nullable(),
  reworkCount: z.number().int(),
  reopenCount: z.number().int(),
  escalationCount: z.number().int(),
  history: z.array(historyEntry),
  /** The actions this caller may take now: the web app shows buttons from this list. */
  actions: z.array(z.enum(EVENT_ACTION_CODES)),
  /** The people's mediation case a dispute was handed to (矛盾联调), once it was. */
  mediation: z.object({ caseId: z.number().int(), dossierNo: z.string() }).nullable(),
  /**
   * `act`: some action is offered; `revealPhone`: the reporter left a phone and this caller may reveal
   * it; `mediate`: a dispute this caller may hand to people's mediation (mediation.intake there).
   */
  abilities: abilities('act', 'revealPhone', 'mediate'),
});
export type EventDetail = z.infer<typeof eventDetail>;

/** Calling the reporter back: the reason is kept with the audit row, as for the people registry's reveal. */
export const revealReporterPhoneBody = z.strictObject({
  reason: text(LIMITS.reason).min(2, 'issue.reason_required'),
});
export const revealReporterPhoneResponse = z.object({ phone: z.string() });
export type RevealReporterPhoneResponse = z.infer<typeof revealReporterPhoneResponse>;

export const possibleDuplicate = z.object({
  id: z.number().int(),
  trackingCode: z.string(),
  title: z.string(),
  state: z.string(),
  distanceM: z.number(),
  createdAt: z.string(),
});
export const reportResponse = z.object({
  event: eventDetail,
  possibleDuplicates: z.array(possibleDuplicate),
});

export const publicReportResponse = z.object({ trackingCode: z.string() });
export const trackingView = z.object({
  trackingCode: z.string(),
  category: z.object({ nameZh: z.string(), nameEn: z.string() }),
  state: z.enum(EVENT_STATE_CODES),
  createdAt: z.string(),
  updatedAt: z.string(),
  updates: z.array(
    z.object({ at: z.string(), state: z.enum(EVENT_STATE_CODES), note: z.string().nullable() }),
  ),
  /** `evaluate`: the case is closed and not yet rated. */
  abilities: abilities('evaluate'),
});
export type TrackingView = z.infer<typeof trackingView>;
export const trackingParam = z.strictObject({ code: z.string().regex(/^[A-Z0-9]{4,20}$/) });
export const evaluateBody = z.strictObject({ satisfied: z.boolean(), comment: text(500).optional() });

export const calendarDay = z.object({
  day: z.string(),
  kind: z.enum(['holiday', 'workday']),
  name: z.string(),
});
export const putCalendarDayBody = z.strictObject({
  kind: z.enum(['holiday', 'workday']),
  name: text(50).min(1),
});
export const calendarDayParam = z.strictObject({
  day: z.string().refine(isRealDate, 'a real date as YYYY-MM-DD'),
});

/** KPI counters as the rollup keeps them per node and day (see docs/kpis.md). */
export const KPI_COUNTERS = [
  'received',
  'accepted',
  'rejected',
  'due',
  'closed',
  'closed_on_time',
  'sign_due',
  'signed_on_time',
  'verified',
  'reworked',
  'handled',
  'evaluated',
  'satisfied',
  'escalated_village',
  'escalated_town',
  'escalated_district',
] as const;
export type KpiCounter = (typeof KPI_COUNTERS)[number];

export const kpiQuery = z
  .strictObject({
    node: recordIdParam.optional(),
    from: z.string().refine(isRealDate, 'a real date as YYYY-MM-DD'),
    to: z.string().refine(isRealDate, 'a real date as YYYY-MM-DD'),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'issue.on_or_after_from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    path: ['to'],
    message: 'issue.at_most_year',
  });

const rate = z.number().nullable();
export const kpiFigures = z.object({
  received: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  /** 立案率: filed ÷ decided (filed + rejected), percent with two decimals. */
  filingRate: rate,
  due: z.number().int(),
  closed: z.number().int(),
  closedOnTime: z.number().int(),
  /** 结案率 = closed ÷ due. */
  closingRate: rate,
  /** 按期结案率 = closed on time ÷ due. */
  onTimeClosingRate: rate,
  signDue: z.number().int(),
  signedOnTime: z.number().int(),
  /** 按时签收率 = signed on time ÷ sign-for obligations due. */
  onTimeSigningRate: rate,
  verified: z.number().int(),
  reworked: z.number().int(),
  /** 返工率 = reworked ÷ verified. */
  reworkRate: rate,
  /** Mean working hours from signing for to feeding back. */
  meanHandlingHours: z.number().nullable(),
  evaluated: z.number().int(),
  satisfied: z.number().int(),
  /** 满意率 = satisfied ÷ evaluated. */
  satisfactionRate: rate,
  escalations: z.object({ village: z.number().int(), town: z.number().int(), district: z.number().int() }),
  /** Open events past their running deadline now (not a flow over the period). */
  overdueNow: z.number().int(),
});
export type KpiFigures = z.infer<typeof kpiFigures>;
export const kpiResponse = z.object({
  node: z.object({ id: z.number().int(), name: z.string(), level: z.string() }),
  from: z.string(),
  to: z.string(),
  figures: kpiFigures,
  children: z.array(
    z.object({
      node: z.object({ id: z.number().int(), name: z.string(), level: z.string() }),
      figures: kpiFigures,
    }),
  ),
  days: z.array(
    z.object({
      day: z.string(),
      received: z.number().int(),
      closed: z.number().int(),
      due: z.number().int(),
    }),
  ),
});
export type KpiResponse = z.infer<typeof kpiResponse>;
