// Joint services' constants (服务联办), without zod: the web's phone pages import them from here;
// services.ts exports them too.

/** Who volunteers come with: NGOs (寸草心, 北斗救援…), party branches, enterprises, owners' committees. */
export const VOLUNTEER_ORG_KINDS = ['ngo', 'party_branch', 'enterprise', 'owners_committee'] as const;
export type VolunteerOrgKind = (typeof VOLUNTEER_ORG_KINDS)[number];

export const SKILLS = [
  'guard_duty',
  'meal_delivery',
  'medicine_delivery',
  'shopping',
  'companionship',
  'elderly_care',
  'child_care',
  'home_repair',
  'driving',
  'first_aid',
  'counselling',
  'publicity',
] as const;
export type Skill = (typeof SKILLS)[number];
export const CERTIFICATIONS = ['first_aid', 'counselling', 'driving', 'nursing', 'electrician'] as const;
export type Certification = (typeof CERTIFICATIONS)[number];
export const LANGUAGES = ['mandarin', 'lin_an_dialect', 'english', 'sign_language'] as const;
export type Language = (typeof LANGUAGES)[number];
export const VOLUNTEER_STATES = ['active', 'paused', 'left'] as const;
export type VolunteerState = (typeof VOLUNTEER_STATES)[number];
export const JOINED_VIA = ['invitation', 'coordinator', 'import'] as const;

/** open 招募中 (full when filled = capacity) · closed 已结束 · cancelled 已取消. */
export const CALLOUT_STATES = ['open', 'closed', 'cancelled'] as const;
export type CalloutState = (typeof CALLOUT_STATES)[number];
export const SIGNUP_STATES = ['signed_up', 'withdrawn', 'checked_in', 'done', 'no_show'] as const;
export type SignupState = (typeof SIGNUP_STATES)[number];

export const REQUEST_KINDS = [
  'meals',
  'medicine',
  'shopping',
  'accompaniment',
  'home_repair',
  'companionship',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_SOURCES = ['grid_worker', 'carer', 'follow_up', 'public', 'coordinator'] as const;
export type RequestSource = (typeof REQUEST_SOURCES)[number];
/**
 * open 待认领 (nobody matched yet) · assigned 已派单 (matched, waiting for the volunteer to take it) ·
 * accepted 服务中 · done 已完成 · cancelled 已取消.
 */
export const REQUEST_STATES = ['open', 'assigned', 'accepted', 'done', 'cancelled'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const OPEN_REQUEST_STATES: readonly RequestState[] = ['open', 'assigned', 'accepted'];
/** The skill a request's kind asks for when matching a volunteer. */
export const KIND_SKILL: Record<RequestKind, Skill> = {
  meals: 'meal_delivery',
  medicine: 'medicine_delivery',
  shopping: 'shopping',
  accompaniment: 'driving',
  home_repair: 'home_repair',
  companionship: 'companionship',
};
/** Hours a request waits to be taken before it escalates a level (and again after as long). */
export const RESPOND_HOURS: Record<RequestKind, number> = {
  meals: 2,
  medicine: 2,
  shopping: 4,
  accompaniment: 12,
  home_repair: 24,
  companionship: 24,
};
/** Escalation levels: 1 the village or community, 2 the town or street, 3 the district. */
export const MAX_ESCALATION = 3;

/** Registry tags that put a resident on the care roster (关爱对象), with the district's default rhythm in days. */
export const CARE_TAGS = [
  'elderly_alone',
  'widowed',
  'orphaned',
  'left_behind_child',
  'disabled',
  'key_care',
] as const;
export type CareTag = (typeof CARE_TAGS)[number];
export const DEFAULT_CARE_DAYS: Record<CareTag, number> = {
  elderly_alone: 7,
  widowed: 14,
  orphaned: 7,
  left_behind_child: 14,
  disabled: 14,
  key_care: 7,
};

/** Minutes as the hours people read (pages, rankings, the certificate, the cockpit): one decimal. */
export const minutesToHours = (minutes: number) => Math.round(minutes / 6) / 10;

export const SERVICES_LIMITS = {
  nameChars: 60,
  textChars: 2_000,
  capacityMax: 500,
  /** A call-out lasts at most this long (a guard shift is 8 or 12 hours). */
  calloutHoursMax: 24,
  /** Minutes credited for one check-in: the call-out's length plus this grace. */
  graceMinutes: 60,
  /** Minutes a volunteer may report for one service request. */
  requestMinutesMax: 600,
  /** Check-in opens this long before the start. */
  checkInEarlyMinutes: 60,
  invitationDaysMax: 90,
  invitationUsesMax: 500,
  importRowsMax: 5_000,
  careDaysMax: 90,
  photoBytesMax: 5 * 1024 * 1024,
} as const;
