// Joint services (服务联办): volunteer organisations and volunteers, call-outs answered in one tap
// ("社区呼叫，党员报到"), service requests for people in need, care rosters for vulnerable residents,
// and the hours that count. The shapes of the routes, written before the server and the pages so both
// build against them. What a volunteer or an NGO coordinator is answered names a resident only as a
// task needs: name, address or meeting point, the need; never an ID number, a phone or a health answer.
import { z } from 'zod';
import { isRealDate } from '../validators.js';
import { password, username } from './accounts.js';
import { idNumberInput, phoneInput } from './people.js';
import { abilities, listOf, pageQuery, paged, recordId, recordIdParam } from './shared.js';
import {
  CALLOUT_STATES,
  CARE_TAGS,
  CERTIFICATIONS,
  JOINED_VIA,
  LANGUAGES,
  REQUEST_KINDS,
  REQUEST_SOURCES,
  REQUEST_STATES,
  SERVICES_LIMITS as SL,
  SIGNUP_STATES,
  SKILLS,
  VOLUNTEER_ORG_KINDS,
  VOLUNTEER_STATES,
} from './services-codes.js';
export * from './services-codes.js';

const text = (max: number) => z.string().trim().max(max);
const name = text(SL.nameChars).min(1);
const day = z.string().refine(isRealDate, 'issue.real_date');
const instant = z.iso.datetime({ offset: true });
const ref = z.object({ id: z.number().int(), name: z.string() });
const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);
/** An invitation's token: 43 base64url characters (32 random bytes). */
export const joinTokenParam = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a time as HH:mm');
export const availabilityWindow = z
  .strictObject({ day: z.number().int().min(0).max(6), from: hhmm, to: hhmm })
  .refine((w) => w.from < w.to, { message: 'from before to', path: ['to'] });
const profileFields = {
  partyMember: z.boolean().default(false),
  skills: z.array(z.enum(SKILLS)).max(SKILLS.length).default([]),
  certifications: z.array(z.enum(CERTIFICATIONS)).max(CERTIFICATIONS.length).default([]),
  languages: z.array(z.enum(LANGUAGES)).max(LANGUAGES.length).default(['mandarin']),
  availability: z.array(availabilityWindow).max(21).default([]),
};

// ---- organisations
export const orgListQuery = z.strictObject({ node: recordIdParam.optional() });
export const createOrgBody = z.strictObject({
  kind: z.enum(VOLUNTEER_ORG_KINDS),
  name,
  nodeId: recordId,
  description: text(SL.textChars).nullable().default(null),
  coordinatorUserIds: z.array(recordId).max(20).default([]),
});
export const orgView = z.object({
  id: z.number().int(),
  kind: z.enum(VOLUNTEER_ORG_KINDS),
  name: z.string(),
  node: ref,
  description: z.string().nullable(),
  coordinators: z.array(ref),
  volunteers: z.number().int(),
  hours: z.number(),
});
export type VolunteerOrgView = z.infer<typeof orgView>;
export const orgList = listOf(orgView);

// ---- volunteers
export const volunteerListQuery = z.strictObject({
  node: recordIdParam.optional(),
  org: recordIdParam.optional(),
  status: z.enum(VOLUNTEER_STATES).optional(),
  skill: z.enum(SKILLS).optional(),
  q: text(SL.nameChars).optional(),
  ...pageQuery,
});
export const createVolunteerBody = z.strictObject({
  /** Where they live: their home grid (or community). */
  nodeId: recordId,
  orgId: recordId.nullable().default(null),
  name,
  idNumber: idNumberInput,
  phone: phoneInput.nullable().default(null),
  /** Consent to be registered, to be called on and to have hours kept: must be true. */
  consent: z.literal(true),
  ...profileFields,
});
export const updateVolunteerBody = z.strictObject({
  orgId: recordId.nullable().optional(),
  status: z.enum(VOLUNTEER_STATES).optional(),
  partyMember: z.boolean().optional(),
  skills: z.array(z.enum(SKILLS)).max(SKILLS.length).optional(),
  certifications: z.array(z.enum(CERTIFICATIONS)).max(CERTIFICATIONS.length).optional(),
  languages: z.array(z.enum(LANGUAGES)).max(LANGUAGES.length).optional(),
  availability: z.array(availabilityWindow).max(21).optional(),
});
export const volunteerView = z.object({
  id: z.number().int(),
  name: z.string(),
  org: ref.nullable(),
  home: ref,
  partyMember: z.boolean(),
  skills: z.array(z.enum(SKILLS)),
  certifications: z.array(z.enum(CERTIFICATIONS)),
  languages: z.array(z.enum(LANGUAGES)),
  availability: z.array(z.object({ day: z.number().int(), from: z.string(), to: z.string() })),
  status: z.enum(VOLUNTEER_STATES),
  joinedVia: z.enum(JOINED_VIA),
  consentAt: z.string(),
  hasAccount: z.boolean(),
  hours: z.number(),
  noShows: z.number().int(),
  abilities: abilities('update', 'certificate'),
});
export type VolunteerView = z.infer<typeof volunteerView>;
export const volunteerList = paged(volunteerView);
export const importResult = z.object({ created: z.number().int(), linked: z.number().int() });

// ---- invitations and joining
export const createInvitationBody = z.strictObject({
  nodeId: recordId,
  orgId: recordId.nullable().default(null),
  days: z.number().int().min(1).max(SL.invitationDaysMax).default(14),
  maxUses: z.number().int().min(1).max(SL.invitationUsesMax).default(50),
});
export const invitationView = z.object({
  id: z.number().int(),
  token: z.string(),
  path: z.string(),
  node: ref,
  org: ref.nullable(),
  expiresAt: z.string(),
  maxUses: z.number().int(),
});
export const invitationInfo = z.object({ node: ref, org: ref.nullable(), expiresAt: z.string() });
export const joinBody = z.strictObject({
  name,
  idNumber: idNumberInput,
  phone: phoneInput,
  /** Their home grid or community, at or under the invitation's place. */
  nodeId: recordId,
  username,
  password,
  consent: z.literal(true),
  ...profileFields,
});
export const joinResult = z.object({ volunteerId: z.number().int(), username: z.string() });

// ---- call-outs
export const calloutListQuery = z.strictObject({
  node: recordIdParam.optional(),
  status: z.enum(CALLOUT_STATES).optional(),
  /** Call-outs near the caller's home that they could join (a volunteer's "near me"). */
  near: z.enum(['1']).optional(),
  /** Call-outs the caller signed up for. */
  mine: z.enum(['1']).optional(),
});
export const createCalloutBody = z
  .strictObject({
    nodeId: recordId,
    title: name,
    details: text(SL.textChars).nullable().default(null),
    meetingPoint: text(200).min(1),
    lat: lat.nullable().default(null),
    lng: lng.nullable().default(null),
    startsAt: instant,
    endsAt: instant,
    capacity: z.number().int().min(1).max(SL.capacityMax),
    skills: z.array(z.enum(SKILLS)).max(SKILLS.length).default([]),
    orgId: recordId.nullable().default(null),
  })
  .refine((b) => Date.parse(b.endsAt) > Date.parse(b.startsAt), {
    message: 'ends after it starts',
    path: ['endsAt'],
  })
  .refine((b) => Date.parse(b.endsAt) - Date.parse(b.startsAt) <= SL.calloutHoursMax * 3_600_000, {
    message: `at most ${SL.calloutHoursMax} hours`,
    path: ['endsAt'],
  });
export const calloutFromShiftBody = z.strictObject({
  shiftId: recordId,
  /** Places to fill: the shift's missing people when not given. */
  capacity: z.number().int().min(1).max(SL.capacityMax).optional(),
  details: text(SL.textChars).nullable().default(null),
});
export const signupView = z.object({
  id: z.number().int(),
  calloutId: z.number().int(),
  volunteer: ref,
  status: z.enum(SIGNUP_STATES),
  signedAt: z.string(),
  checkedInAt: z.string().nullable(),
  checkedOutAt: z.string().nullable(),
  minutes: z.number().int(),
});
export type SignupView = z.infer<typeof signupView>;
export const calloutView = z.object({
  id: z.number().int(),
  title: z.string(),
  details: z.string().nullable(),
  node: ref,
  meetingPoint: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  filled: z.number().int(),
  full: z.boolean(),
  skills: z.array(z.enum(SKILLS)),
  status: z.enum(CALLOUT_STATES),
  shift: z.object({ id: z.number().int(), checkpoint: ref }).nullable(),
  org: ref.nullable(),
  /** Distance from the caller's home in km, on a "near me" list. */
  distanceKm: z.number().nullable(),
  /** The caller's own sign-up, if any. */
  mine: signupView.nullable(),
  /** Everyone signed up: for whoever posted or reads it at its place. */
  signups: z.array(signupView).nullable(),
  abilities: abilities('signUp', 'withdraw', 'checkIn', 'checkOut', 'close', 'cancel'),
});
export type CalloutView = z.infer<typeof calloutView>;
export const calloutList = listOf(calloutView);
export const positionBody = z.strictObject({
  lat: lat.nullable().default(null),
  lng: lng.nullable().default(null),
});
export const reasonBody = z.strictObject({ reason: text(500).min(1) });

// ---- service requests
export const requestListQuery = z.strictObject({
  node: recordIdParam.optional(),
  status: z.enum(REQUEST_STATES).optional(),
  /** The caller's own tasks (as the volunteer they are assigned to). */
  mine: z.enum(['1']).optional(),
  escalated: z.enum(['1']).optional(),
  ...pageQuery,
});
export const createRequestBody = z.strictObject({
  personId: recordId,
  kind: z.enum(REQUEST_KINDS),
  details: text(SL.textChars).nullable().default(null),
});
/** A resident asking for themselves through the public form: found in the registry by name and ID number. */
export const publicRequestBody = z.strictObject({
  nodeId: recordId,
  name,
  idNumber: idNumberInput,
  kind: z.enum(REQUEST_KINDS),
  details: text(SL.textChars).nullable().default(null),
});
export const publicRequestResult = z.object({ reference: z.string() });
export const assignRequestBody = z.strictObject({ volunteerId: recordId });
export const doneFields = z.strictObject({
  note: text(SL.textChars).min(1),
  minutes: z.coerce.number().int().min(0).max(SL.requestMinutesMax),
});
export const satisfactionBody = z.strictObject({ score: z.number().int().min(1).max(5) });
export const requestView = z.object({
  id: z.number().int(),
  reference: z.string(),
  kind: z.enum(REQUEST_KINDS),
  details: z.string().nullable(),
  source: z.enum(REQUEST_SOURCES),
  status: z.enum(REQUEST_STATES),
  /** Who is served: their name and address, and the grid; nothing more. */
  person: z.object({ name: z.string(), address: z.string().nullable() }),
  node: ref,
  volunteer: ref.nullable(),
  org: ref.nullable(),
  respondBy: z.string(),
  escalationLevel: z.number().int(),
  overdue: z.boolean(),
  acceptedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  doneNote: z.string().nullable(),
  hasPhoto: z.boolean(),
  minutes: z.number().int(),
  satisfaction: z.number().int().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
  /** The resident's phone masked (138****5678), only to the volunteer while they hold the task. */
  contact: z.string().nullable(),
  abilities: abilities('assign', 'accept', 'decline', 'complete', 'rate', 'cancel'),
});
export type ServiceRequestView = z.infer<typeof requestView>;
export const requestList = paged(requestView);
export const suggestionList = listOf(
  z.object({ volunteer: ref, home: ref, skillMatch: z.boolean(), openTasks: z.number().int() }),
);

// ---- care rosters
export const careRule = z.object({ tag: z.enum(CARE_TAGS), everyDays: z.number().int() });
export const careRuleList = listOf(careRule);
export const careRulesBody = z.strictObject({
  rules: z
    .array(z.strictObject({ tag: z.enum(CARE_TAGS), everyDays: z.number().int().min(1).max(SL.careDaysMax) }))
    .min(1)
    .max(CARE_TAGS.length),
});
export const rosterListQuery = z.strictObject({
  node: recordIdParam.optional(),
  overdue: z.enum(['1']).optional(),
  mine: z.enum(['1']).optional(),
  ...pageQuery,
});
export const rosterEntryView = z.object({
  id: z.number().int(),
  person: z.object({ name: z.string(), address: z.string().nullable() }),
  node: ref,
  /** The one tag that makes visits due: the only one a visitor is shown. */
  tag: z.enum(CARE_TAGS),
  everyDays: z.number().int(),
  visitor: ref.nullable(),
  lastVisitOn: z.string().nullable(),
  nextDueOn: z.string(),
  overdueDays: z.number().int(),
  abilities: abilities('visit', 'assignVisitor'),
});
export type RosterEntryView = z.infer<typeof rosterEntryView>;
export const rosterList = paged(rosterEntryView);
export const overdueQuery = z.strictObject({ node: recordIdParam.optional() });
export const overdueByGrid = listOf(
  z.object({ node: ref, onRoster: z.number().int(), overdue: z.number().int() }),
);
export const assignVisitorBody = z.strictObject({ volunteerId: recordId.nullable() });
export const visitBody = z.strictObject({
  visitedOn: day.optional(),
  /** A need found on the visit: raised as a service request for the person (source carer). */
  need: z.enum(REQUEST_KINDS).nullable().default(null),
  note: text(SL.textChars).nullable().default(null),
  lat: lat.nullable().default(null),
  lng: lng.nullable().default(null),
});
export const visitView = z.object({
  id: z.number().int(),
  rosterId: z.number().int(),
  visitedOn: z.string(),
  visitor: z.string(),
  note: z.string().nullable(),
  nextDueOn: z.string(),
  /** The service request the visit raised, if it found a need. */
  requestId: z.number().int().nullable(),
});

// ---- hours
export const rankingQuery = z.strictObject({
  node: recordIdParam.optional(),
  /** A year (YYYY) or a month (YYYY-MM), local. */
  period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/),
  by: z.enum(['volunteer', 'org']).default('volunteer'),
  org: recordIdParam.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const rankingList = listOf(
  z.object({
    rank: z.number().int(),
    id: z.number().int(),
    name: z.string(),
    org: z.string().nullable(),
    hours: z.number(),
  }),
);
