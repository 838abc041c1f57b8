// Bad input never makes a 5xx, always leaves as problem+json, and writes nothing.
// Every write route registered in app.linliRoutes is fuzzed; a new route is picked up on its own.
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, HearingView } from '../../common/contracts/mediation.js';
import { totalRange } from '../../common/care-scales.js';
import { LIMITS } from '../../common/limits.js';
import { MAX_PARAM_LENGTH } from '../app.js';
import type { DB } from '../db/index.js';
import { buildTestApp, type Client, type TestResponse } from './harness.js';
import { DENIED_ACTIONS } from '../platform/denied-audit.js';
import { openSse } from './sse.js';
import { makeCast, makeTree, makeUser, type Tree, type TreeNode } from './factories.js';
import {
  auditRowsAfter,
  fingerprint as tablesFingerprint,
  insertHousehold,
  insertPerson,
  multipart,
  nthIdNumber,
  nthPhone,
  PEOPLE_HEAD,
  problemShape,
  routeKey,
  scratchChild,
  toCsv,
  type RouteRow,
} from './routes.js';

// Built at load time so that the routes can name the tests.
const t = await buildTestApp();
const db: DB = t.database.db;
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MULTIPART = new Set(['POST /api/nodes/import', 'POST /api/people/import', 'POST /api/sweeps/import']);

/** Joint services' routes (its care visits under /api/care: rules, roster, overdue). */
const SERVICES_URL =
  /^\/api\/(services|callouts|service-requests|care\/(rules|roster|overdue)|public\/join|public\/service-requests)(\/|\?|$)/;
/** Psychological care's routes: scales, their links and the person's page, alerts, responses, caseloads. */
const CARE_URL =
  /^\/api\/(scales|scale-links|public\/scales|care\/(alerts|responses|people|cases|stats))(\/|\?|$)/;
/** Psychological care's rows as stored (answers, drafts and notes encrypted), for a request to its routes only. */
async function careRows(d: DB, url: string) {
  if (!CARE_URL.test(url)) return null;
  const rows = async (
    table: 'care_scales' | 'care_links' | 'care_responses' | 'care_alerts' | 'care_cases' | 'care_contacts',
  ) => d.selectFrom(table).selectAll().orderBy('id').execute();
  return JSON.stringify({
    scales: await rows('care_scales'),
    links: await rows('care_links'),
    responses: await rows('care_responses'),
    alerts: await rows('care_alerts'),
    cases: await rows('care_cases'),
    contacts: await rows('care_contacts'),
    // A submission bumps the cockpit's counters in its transaction.
    counters: await d
      .selectFrom('live_counters')
      .selectAll()
      .where('metric', 'like', 'care.%')
      .orderBy('command_id')
      .orderBy('node_path')
      .orderBy('metric')
      .execute(),
  });
}
/** Joint services' rows as stored (photos by length), for a request to their routes only. */
async function servicesRows(d: DB, url: string) {
  if (!SERVICES_URL.test(url)) return null;
  const rows = async (
    table:
      | 'volunteer_orgs'
      | 'volunteers'
      | 'volunteer_invitations'
      | 'callouts'
      | 'callout_signups'
      | 'care_rules'
      | 'care_roster'
      | 'care_visits'
      | 'volunteer_hours'
      | 'volunteer_hours_yearly',
  ) => d.selectFrom(table).selectAll().execute();
  const requests = await d.selectFrom('service_requests').selectAll().orderBy('id').execute();
  return JSON.stringify({
    orgs: await rows('volunteer_orgs'),
    volunteers: await rows('volunteers'),
    invitations: await rows('volunteer_invitations'),
    callouts: await rows('callouts'),
    signups: await rows('callout_signups'),
    rules: await rows('care_rules'),
    roster: await rows('care_roster'),
    visits: await rows('care_visits'),
    hours: await rows('volunteer_hours'),
    yearly: await rows('volunteer_hours_yearly'),
    requests: requests.map((r) => ({ ...r, photo: r.photo?.length ?? null })),
  });
}
/**
 * The tables a write can touch (routes.ts), and for a request to joint mediation's routes its tables
 * too: every row as stored, evidence files and agreement PDFs by their hashes. Only there: no other
 * route writes them, and reading them for every request of the suite would slow it for nothing.
 */
async function fingerprint(d: DB, url = '') {
  const base = {
    ...(await tablesFingerprint(d)),
    services: await servicesRows(d, url),
    care: await careRows(d, url),
  };
  if (!/^\/api\/(mediation|hearings|public\/mediation)\b/.test(url)) return { ...base, mediation: null };
  const rows = async (
    table:
      | 'mediation_orgs'
      | 'mediators'
      | 'mediation_cases'
      | 'mediation_parties'
      | 'mediation_sessions'
      | 'mediation_messages'
      | 'mediation_signatures'
      | 'mediation_confirmations'
      | 'micro_hearings'
      | 'mediation_follow_ups',
  ) => d.selectFrom(table).selectAll().orderBy('id').execute();
  const mediation = {
    orgs: await rows('mediation_orgs'),
    mediators: await rows('mediators'),
    cases: await rows('mediation_cases'),
    parties: await rows('mediation_parties'),
    evidence: await d
      .selectFrom('mediation_evidence')
      .select(['id', 'case_id', 'party_id', 'name', 'sha256'])
      .orderBy('id')
      .execute(),
    agreements: await d
      .selectFrom('mediation_agreements')
      .select(['id', 'case_id', 'status', 'content_sha256', 'pdf_sha256', 'effective_at'])
      .orderBy('id')
      .execute(),
    sessions: await rows('mediation_sessions'),
    messages: await rows('mediation_messages'),
    signatures: await rows('mediation_signatures'),
    confirmations: await rows('mediation_confirmations'),
    hearings: await rows('micro_hearings'),
    followUps: await rows('mediation_follow_ups'),
  };
  return { ...base, mediation: JSON.stringify(mediation) };
}
type Fingerprint = Awaited<ReturnType<typeof fingerprint>>;
const writeRoutes: RouteRow[] = t.app.linliRoutes.filter(
  (r) => r.url.startsWith('/api') && WRITE.has(r.method) && !MULTIPART.has(routeKey(r)),
);
const paramRoutes: RouteRow[] = t.app.linliRoutes.filter(
  (r) => r.url.startsWith('/api') && r.url.includes('/:') && r.method !== 'HEAD',
);

let tree: Tree;
let admin: Client;
let anon: Client;
let fuzzNode: TreeNode;
let eventsNode: TreeNode;
let ids: Record<string, number | string>;
/** A live Open311 key for the GeoReport POST fuzz (the one in ids is the DELETE route's target). */
let open311Key: string;
/** The notices' own grid and its households (the first delivered). */
let noticeFuzz: { node: number; households: number[] };
/** The seeded event categories by code. */
const cats = new Map<string, number>();

beforeAll(async () => {
  tree = await makeTree(db);
  await makeCast(db, tree);
  admin = await t.login('admin');
  anon = t.anon();
  // Targets the fuzzer may change without disturbing anything else: a grid of its own in town B…
  fuzzNode = await scratchChild(db, tree.villages[3]!, 'grid');
  // …two users placed in town B, a custom role and an API key of the admin's.
  const victim = await makeUser(db, 'fuzz_victim', [{ role: 'grid_worker', node: tree.villages[3]! }]);
  const victim2 = await makeUser(db, 'fuzz_victim2', [
    { role: 'grid_worker', node: tree.villages[3]! },
    { role: 'volunteer', node: tree.villages[3]! },
  ]);
  const a2 = await db
    .selectFrom('role_assignments')
    .select('id')
    .where('user_id', '=', victim2)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const role = await admin.post<{ id: number }>('/api/roles', {
    code: 'fuzz_role',
    nameZh: '模糊',
    nameEn: 'Fuzz',
    permissions: ['nodes.read'],
  });
  const key = await admin.post<{ id: number }>('/api/auth/api-keys', { name: 'fuzz key' });
  // A person (with a merge partner) in the fuzzer's own grid, and a tag of its own.
  const person = await insertPerson(db, fuzzNode, {
    name: '模糊',
    idNumber: nthIdNumber(1, '330199'),
    phone: '13900000001',
  });
  const partner = await insertPerson(db, fuzzNode, { name: '模糊二', phone: '13900000002' });
  const tag = await admin.post('/api/tags', { code: 'fuzz_tag', nameZh: '模糊标签', nameEn: 'Fuzz tag' });
  expect(tag.status).toBe(201);
  // Joint handling: a grid of its own (the node routes above may retire fuzzNode), two departments
  // there (one with a handler from town B), a filed event there, a closed resident's report to rate,
  // a sub-category and a calendar day of its own.
  eventsNode = await scratchChild(db, tree.villages[3]!, 'grid');
  for (const c of await db.selectFrom('event_categories').select(['id', 'code']).execute())
    cats.set(c.code, c.id);
  const department = await admin.post<{ id: number }>('/api/departments', {
    nodeId: eventsNode.id,
    kind: 'urban',
    name: '模糊执法队',
  });
  const department2 = await admin.post<{ id: number }>('/api/departments', {
    nodeId: eventsNode.id,
    kind: 'police',
    name: '模糊派出所',
  });
  const member = await makeUser(db, 'fuzz_handler', [
    { role: 'department_handler', node: tree.villages[3]! },
  ]);
  expect(
    (await admin.post(`/api/departments/${department.body.id}/members`, { userId: member })).status,
  ).toBe(201);
  // With the caller's phone, so that the reveal gets as far as the decryption and the audit.
  const event = await admin.post<{ event: { id: number } }>('/api/events', {
    categoryId: cats.get('environment.garbage'),
    title: '模糊事件',
    description: '模糊',
    channel: 'hotline',
    nodeId: eventsNode.id,
    reporterPhone: '13900000008',
  });
  expect(event.status).toBe(201);
  expect((await admin.post(`/api/events/${event.body.event.id}/actions`, { action: 'accept' })).status).toBe(
    200,
  );
  const pub = await anon.post<{ trackingCode: string }>('/api/public/events', {
    categoryId: cats.get('environment.garbage'),
    description: '模糊群众上报',
    nodeId: eventsNode.id,
  });
  expect(pub.status).toBe(201);
  const pubId = await db
    .selectFrom('events')
    .select('id')
    .where('tracking_code', '=', pub.body.trackingCode)
    .executeTakeFirstOrThrow();
  const closed = await admin.post(`/api/events/${pubId.id}/actions`, {
    action: 'close',
    closeReason: 'cancelled',
    reason: '模糊',
  });
  expect(closed.status).toBe(200);
  const category = await admin.post<{ id: number }>('/api/event-categories', {
    parentId: cats.get('other'),
    code: 'other.fuzz',
    nameZh: '模糊类别',
    nameEn: 'Fuzz category',
    handlingLevel: 'village',
    signHours: 4,
    handleHours: 8,
    verifyHours: 4,
  });
  expect(category.status).toBe(201);
  expect(
    (await admin.put('/api/work-calendar/2032-01-02', { kind: 'holiday', name: '模糊假日' })).status,
  ).toBe(200);
  // Open311: a key to revoke, and another to post service requests with.
  const o311Target = await admin.post<{ id: number }>('/api/open311-keys', { name: '模糊密钥' });
  expect(o311Target.status).toBe(201);
  const o311Live = await admin.post<{ key: string }>('/api/open311-keys', { name: '模糊客户端' });
  expect(o311Live.status).toBe(201);
  open311Key = o311Live.body.key;
  // Daily reports: a district report to every village, filled by town B's villages.
  const template = await admin.post<{ id: number }>('/api/report-templates', {
    title: '模糊日报',
    nodeId: tree.district.id,
    targetLevel: 'village',
    dueTime: '17:00',
    startDay: '2026-01-01',
    fields: [
      {
        code: 'screened',
        labelZh: '排查人数',
        labelEn: 'Screened',
        type: 'integer',
        aggregation: 'sum',
        required: true,
      },
      { code: 'temp', labelZh: '体温', labelEn: 'Temperature', type: 'decimal', aggregation: 'max' },
      {
        code: 'supplies',
        labelZh: '物资',
        labelEn: 'Supplies',
        type: 'choice',
        aggregation: 'latest',
        choices: ['充足', '短缺'],
      },
      { code: 'remarks', labelZh: '备注', labelEn: 'Remarks', type: 'text', aggregation: 'latest' },
    ],
  });
  expect(template.status).toBe(201);
  // Notices: a grid of its own with two households, a notice there and one delivery to take back.
  const noticesNode = await scratchChild(db, tree.villages[3]!, 'grid');
  const noticeHouseholds = [
    await insertHousehold(db, noticesNode, '模糊路1号'),
    await insertHousehold(db, noticesNode, '模糊路2号'),
  ];
  const notice = await admin.post<{ id: number }>('/api/notices', {
    nodeId: noticesNode.id,
    title: '模糊告知书',
    body: '模糊',
  });
  expect(notice.status).toBe(201);
  expect(
    (
      await admin.post(`/api/notices/${notice.body.id}/deliveries`, {
        householdIds: [noticeHouseholds[0]],
        method: 'door',
      })
    ).status,
  ).toBe(200);
  noticeFuzz = { node: noticesNode.id, households: noticeHouseholds };
  ids = {
    reportTemplate: template.body.id,
    node: fuzzNode.id,
    user: victim,
    user2: victim2,
    assignment: a2.id,
    role: role.body.id,
    apiKey: key.body.id,
    person,
    partner,
    tag: 'fuzz_tag',
    event: event.body.event.id,
    trackingCode: pub.body.trackingCode,
    category: category.body.id,
    department: department.body.id,
    department2: department2.body.id,
    member,
    day: '2032-01-02',
    open311Key: o311Target.body.id,
    notice: notice.body.id,
    noticeHousehold: noticeHouseholds[0]!,
  };
});
afterAll(async () => t.close());

/** What a failed sign-in writes: the failure, and a delay or lock it imposes (ADR 0008). */
const LOGIN_FAILURE_AUDIT = ['auth.login_failed', 'auth.login_throttled', 'auth.lockout'];

/** A concrete URL for a route: each :param gets the id of a target set aside for fuzzing. */
function concreteUrl(url: string): string {
  return url.replace(/\/([^/]+)\/:([A-Za-z]+)/g, (_m, seg: string, param: string) => {
    const byParam: Record<string, number | string | undefined> = {
      'nodes:id': ids.node,
      'users:id': url.includes(':assignmentId') ? ids.user2 : ids.user,
      'assignments:assignmentId': ids.assignment,
      'roles:id': ids.role,
      'api-keys:id': ids.apiKey,
      'people:id': ids.person,
      'tags:code': ids.tag,
      'events:id': ids.event,
      'events:code': ids.trackingCode,
      'event-categories:id': ids.category,
      'departments:id': ids.department,
      'members:userId': ids.member,
      'work-calendar:day': ids.day,
      'open311-keys:id': ids.open311Key,
      'report-templates:id': ids.reportTemplate,
      'notices:id': ids.notice,
      'deliveries:householdId': ids.noticeHousehold,
      // No throttle is in force for the admin's fuzzing: an id that names none (404).
      'login-throttles:id': 999_999,
    };
    const v = byParam[`${seg}:${param}`] ?? SECTION_TARGETS[`${seg}:${param}`];
    if (v === undefined)
      throw new Error(
        `fuzz.test.ts: no target for :${param} after /${seg}/ in ${url}; add one to concreteUrl`,
      );
    return `/${seg}/${v}`;
  });
}
/** A concrete URL for a route: its own when a section set one aside (a record the route would change), else concreteUrl's. */
function routeUrl(url: string): string {
  return SECTION_URLS[url] ?? concreteUrl(url);
}

/** A valid-looking body per route, so that mutations get past the first validation layer. */
function sampleBody(key: string): Record<string, unknown> | undefined {
  const samples: Record<string, Record<string, unknown>> = {
    'POST /api/auth/login': { username: 'nobody_here', password: 'whatever-password' },
    'POST /api/auth/password': { currentPassword: 'not-the-password', newPassword: 'a-long-new-password' },
    'POST /api/auth/totp/enable': { code: '123456' },
    'POST /api/auth/totp/disable': { code: '123456' },
    'POST /api/auth/api-keys': { name: 'k' },
    'POST /api/nodes': { parentId: tree.villages[3]!.id, code: '777', name: 'fuzz' },
    'PATCH /api/nodes/:id': { name: 'fuzzed' },
    'POST /api/nodes/:id/move': { newParentId: tree.villages[2]!.id, code: '778' },
    'POST /api/users': {
      username: 'fuzz_new',
      displayName: 'x',
      password: 'a-long-password',
      assignments: [{ roleId: 1, nodeId: tree.villages[3]!.id }],
    },
    'PATCH /api/users/:id': { displayName: 'x' },
    'POST /api/users/:id/password': { newPassword: 'a-long-password' },
    'POST /api/users/:id/assignments': { roleId: 5, nodeId: tree.villages[3]!.id },
    'POST /api/roles': { code: 'fuzz_role2', nameZh: '角色', nameEn: 'Role', permissions: ['nodes.read'] },
    'PATCH /api/roles/:id': { nameEn: 'x' },
    'POST /api/people': {
      name: '模糊登记',
      idNumber: nthIdNumber(2, '330199'),
      phone: '13900000003',
      nodeId: fuzzNode.id,
      residenceType: 'floating',
      tags: ['key_care'],
      arrivalDate: '2024-01-01',
    },
    'PATCH /api/people/:id': { phone: '13900000004', notes: 'fuzzed' },
    'POST /api/people/:id/reveal': { field: 'phone', reason: '模糊测试' },
    'POST /api/people/:id/merge': { otherId: ids.partner, reason: '模糊测试' },
    'POST /api/people/export': { unmasked: true, reason: '模糊测试', node: fuzzNode.id },
    'POST /api/tags': { code: 'fuzz_tag2', nameZh: '标签', nameEn: 'Tag' },
    'PATCH /api/tags/:code': { nameEn: 'x' },
    'POST /api/events': {
      categoryId: cats.get('environment.garbage'),
      title: '模糊上报',
      description: '模糊',
      channel: 'hotline',
      nodeId: eventsNode.id,
      address: '模糊路1号',
      attributes: { volume: 1.5 },
      reporterName: '模糊',
      reporterPhone: '13900000005',
    },
    // The event is filed: a dispatch gets furthest into the service (departments checked, clocks set).
    'POST /api/events/:id/actions': {
      action: 'dispatch',
      departmentId: ids.department,
      assistingDepartmentIds: [ids.department2],
      reason: '模糊',
    },
    'POST /api/events/:id/reveal-reporter-phone': { reason: '模糊回访' },
    // The list's filters, aimed at the fuzzer's grid: a workbook of the filed event.
    'POST /api/events/export': {
      node: eventsNode.id,
      state: ['accepted', 'dispatched'],
      overdue: 'false',
      q: '模糊',
    },
    'POST /api/public/events': {
      categoryId: cats.get('environment.garbage'),
      description: '模糊群众上报',
      nodeId: eventsNode.id,
      name: '模糊',
      phone: '13900000006',
    },
    'POST /api/public/events/:code/evaluation': { satisfied: false, comment: '模糊' },
    'POST /api/event-categories': {
      parentId: cats.get('other'),
      code: 'other.fuzz2',
      nameZh: '类别',
      nameEn: 'Category',
      handlingLevel: 'village',
      signHours: 4,
      handleHours: 8,
      verifyHours: 4,
      extraFields: [{ code: 'n', labelZh: '数', labelEn: 'N', type: 'integer', required: false }],
    },
    'PATCH /api/event-categories/:id': { nameEn: 'x', handleHours: 16 },
    'POST /api/departments': { nodeId: eventsNode.id, kind: 'urban', name: '模糊部门' },
    'PATCH /api/departments/:id': { name: 'x' },
    'POST /api/departments/:id/members': { userId: ids.user },
    'PUT /api/work-calendar/:day': { kind: 'workday', name: '模糊调休' },
    'POST /api/open311-keys': { name: '模糊新密钥' },
    'POST /api/report-templates': {
      title: '模糊新日报',
      nodeId: tree.towns[1]!.id,
      targetLevel: 'village',
      dueTime: '09:30',
      startDay: '2026-01-01',
      endDay: '2026-12-31',
      fields: [
        {
          code: 'n',
          labelZh: '人数',
          labelEn: 'People',
          type: 'integer',
          aggregation: 'sum',
          required: true,
        },
      ],
    },
    'PATCH /api/report-templates/:id': { retired: true },
    'PUT /api/report-templates/:id/submissions': {
      nodeId: tree.villages[3]!.id,
      day: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
      values: { screened: 12, temp: 37.5, supplies: '充足', remarks: '模糊' },
    },
    'POST /api/report-templates/:id/export': {
      node: tree.towns[1]!.id,
      from: '2026-01-01',
      to: '2026-01-31',
    },
    'POST /api/notices': { nodeId: noticeFuzz.node, title: '模糊告知', body: '模糊' },
    'POST /api/notices/:id/deliveries': {
      householdIds: noticeFuzz.households,
      method: 'phone',
      note: '模糊',
    },
  };
  return samples[key] ?? SECTION_SAMPLES[key];
}
/** Targets and sample bodies filled by a later section for its own routes (in its beforeAll). */
const SECTION_TARGETS: Record<string, number | string> = {};
/** Whole URLs by route, for a route whose target the others must keep (a sweep the close route would close). */
const SECTION_URLS: Record<string, string> = {};
const SECTION_SAMPLES: Record<string, Record<string, unknown>> = {};

// ------------------------------------------------------------------ arbitraries
const FIELD_NAMES = [
  'username',
  'password',
  'totp',
  'code',
  'name',
  'parentId',
  'newParentId',
  'responsibleName',
  'polygon',
  'displayName',
  'disabled',
  'unlock',
  'assignments',
  'roleId',
  'nodeId',
  'permissions',
  'nameZh',
  'nameEn',
  'currentPassword',
  'newPassword',
  'type',
  'coordinates',
  '__proto__',
  'constructor',
  'id',
  'idNumber',
  'phone',
  'noIdReason',
  'residenceType',
  'tags',
  'householdId',
  'birthDate',
  'arrivalDate',
  'field',
  'reason',
  'otherId',
  'unmasked',
  'retired',
  'node',
  'tag',
  'q',
  'categoryId',
  'title',
  'description',
  'channel',
  'lat',
  'lng',
  'address',
  'attributes',
  'reporterPhone',
  'action',
  'departmentId',
  'assistingDepartmentIds',
  'hours',
  'reviewOn',
  'closeReason',
  'duplicateOfId',
  'note',
  'satisfied',
  'comment',
  'kind',
  'handlingLevel',
  'signHours',
  'extraFields',
  'userId',
  'targetLevel',
  'dueTime',
  'startDay',
  'endDay',
  'fields',
  'aggregation',
  'choices',
  'values',
  'day',
  'from',
  'to',
  'householdIds',
  'method',
  'commandId',
  // Joint mediation
  'partyId',
  'mediatorId',
  'consent',
  'online',
  'parties',
  'side',
  'disputeType',
  'facts',
  'claims',
  'amountYuan',
  'obligations',
  'deadline',
  'startsAt',
  'endsAt',
  'mode',
  'pointId',
  'meetingLink',
  'attendance',
  'attendees',
  'courtId',
  'materials',
  'matters',
  'accept',
  'confirm',
  'ruling',
  'present',
  'idChecked',
  'performance',
  'satisfaction',
  'orgId',
  'specialties',
  'body',
  'toAll',
  'route',
  'applicant',
  'respondents',
  'participants',
  // Psychological care
  'answers',
  'definition',
  'intro',
  'options',
  'items',
  'bands',
  'crisis',
  'scored',
  'atLeast',
  'label',
  'loinc',
  'totalLoinc',
  'personId',
  'risk',
  'nextContactOn',
  'value',
  'min',
  'max',
  'zh',
  'en',
];
const hugeString = fc
  .tuple(
    fc.integer({ min: 1_000, max: 200_000 }),
    fc.constantFrom('x', '字', '😀', '"', '\\', '\u0000', '\u202e'),
  )
  .map(([n, ch]) => ch.repeat(Math.max(1, Math.floor(n / ch.length))));
const weirdString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: hugeString },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '../../etc/passwd',
      "'; drop table nodes; --",
      '%',
      '_',
      '001',
      '999',
      '<script>',
      '\uFEFF',
      '\ud800',
      'nodes.read',
      'system_admin',
      '123456',
    ),
  },
);
const weirdNumber = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.constantFrom(
    0,
    -1,
    1,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 32,
    2 ** 53,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    1e308,
    -1e308,
    0.5,
    1e-7,
    1e21,
  ),
);
const leaf = fc.oneof(weirdString, weirdNumber, fc.boolean(), fc.constant(null));
const key = fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ unit: 'binary', maxLength: 12 }));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  ),
}));
type Op = { kind: 'set'; key: string; value: unknown } | { kind: 'delete'; key: string };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.oneof(leaf, value) }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...FIELD_NAMES) }),
);
function bodyFor(routeKeyText: string): fc.Arbitrary<unknown> {
  const sample = sampleBody(routeKeyText);
  const random = fc.oneof(value, fc.dictionary(key, value, { minKeys: 1, maxKeys: 8 }));
  if (!sample) return random;
  const mutated = fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => {
    const b: Record<string, unknown> = structuredClone(sample);
    for (const o of ops) {
      if (o.kind === 'set')
        Object.defineProperty(b, o.key, {
          value: o.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else delete b[o.key];
    }
    return b;
  });
  return fc.oneof(random, mutated, mutated);
}

// ------------------------------------------------------------------ the invariant
const short = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
};

/**
 * Sends one request and checks: no 5xx, problem+json on 4xx, and nothing written by a 4xx, except
 * an audit row of the one allowed action, or (for the people import) the job row of the failed
 * attempt, status 'failed', which is what its progress-by-ref reports.
 */
async function sendAndJudge(
  c: Client,
  method: string,
  url: string,
  send: { payload: string | Buffer; headers: Record<string, string> },
  allowAuditOn4xx: readonly string[] = [],
  allowFailedImportJob = false,
) {
  const before = await fingerprint(db, url);
  const res: TestResponse = await c.request({
    method,
    url,
    payload: send.payload,
    headers: send.headers,
  });
  const what = `${method} ${url} ${short(typeof send.payload === 'string' ? send.payload : `<${send.payload.length} bytes>`)} → ${res.status} ${short(res.body)}`;
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) {
    expect(problemShape(res), what).toEqual([]);
    const after = await fingerprint(db, url);
    const ignored: Partial<Fingerprint> = {};
    // A refusal's own trace (a denied attempt on a sensitive or import route) is not a write.
    const allowed = new Set([...allowAuditOn4xx, ...Object.values(DENIED_ACTIONS)]);
    if (after.audit_log > before.audit_log) {
      const added = await auditRowsAfter(db, before.lastAuditId);
      expect(
        added.map((r) => r.action).filter((a) => !allowed.has(a)),
        what,
      ).toEqual([]);
      Object.assign(ignored, { audit_log: 0, lastAuditId: 0 });
    }
    if (allowFailedImportJob && after.import_jobs > before.import_jobs) {
      const jobs = await db
        .selectFrom('import_jobs')
        .selectAll()
        .where('id', '>', before.lastImportJobId)
        .execute();
      for (const j of jobs)
        expect({ status: j.status, imported: j.imported, processed: j.processed }, what).toEqual({
          status: 'failed',
          imported: 0,
          processed: 0,
        });
      Object.assign(ignored, { import_jobs: 0, lastImportJobId: 0 });
    }
    expect({ ...after, ...ignored }, `${what}\nwrote something despite the 4xx`).toEqual({
      ...before,
      ...ignored,
    });
  }
  return res;
}
const json = (body: unknown) => ({
  payload: JSON.stringify(body) ?? 'null',
  headers: { 'content-type': 'application/json' },
});

// ------------------------------------------------------------------ suites
describe('fuzzing every write route as the admin', () => {
  it('covers the write routes', () => {
    expect(writeRoutes.length).toBeGreaterThanOrEqual(15);
    for (const r of writeRoutes) {
      expect(() => routeUrl(r.url), routeKey(r)).not.toThrow();
      expect(routeUrl(r.url), routeKey(r)).not.toContain('/:');
    }
  });

  it.each(writeRoutes.map((r) => [routeKey(r), r] as const))(
    '%s: <500, problem+json, no write on 4xx',
    async (k, r) => {
      const url = routeUrl(r.url);
      // Signing out would end the admin's session: fuzz that route anonymously.
      const client = k === 'POST /api/auth/logout' ? anon : admin;
      const allow = k === 'POST /api/auth/login' ? LOGIN_FAILURE_AUDIT : [];
      await fc.assert(
        fc.asyncProperty(bodyFor(k), async (body) => {
          await sendAndJudge(client, r.method, url, json(body), allow);
        }),
        { numRuns: 40 },
      );
      // The admin is still signed in: nothing the fuzzer sent broke the session.
      expect((await admin.get('/api/auth/me')).status).toBe(200);
    },
  );
});

describe('fuzzing path and query parameters', () => {
  const idLike = fc
    .oneof(
      fc.integer().map(String),
      fc.constantFrom(
        '0',
        '-1',
        '2147483647',
        '2147483648',
        '4294967296',
        '9007199254740991',
        '9007199254740993',
        '1e300',
        '1.5',
        '0x7fffffffff',
        'abc',
        '%00',
        '%E4%B8%AD',
        '1e3',
        '0x10',
        '%ff',
        '%E4%B8',
        '9'.repeat(MAX_PARAM_LENGTH + 1),
      ),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    )
    .filter((v) => {
      // Never an id that exists: path fuzzing must not retire, reset or unassign real records. Only
      // plain decimal digits are read as an id (`1e3`, ` 7`, `0x10` are refused), so only those are left out.
      let d = '';
      try {
        d = decodeURIComponent(v);
      } catch {
        /* not decodable: fine */
      }
      return !(/^[0-9]+$/.test(d) && Number(d) >= 1 && Number(d) < 100_000);
    });
  it.each(paramRoutes.map((r) => [routeKey(r), r] as const))(
    '%s: any :param value gives <500',
    async (_k, r) => {
      await fc.assert(
        fc.asyncProperty(idLike, idLike, async (a, b) => {
          let n = 0;
          const url = r.url.replace(/:[A-Za-z]+/g, () => (n++ === 0 ? a : b));
          const send =
            r.method === 'GET' || r.method === 'DELETE'
              ? { payload: '', headers: {} }
              : json(sampleBody(routeKey(r)) ?? {});
          await sendAndJudge(admin, r.method, url, send);
        }),
        {
          numRuns: 25,
          examples: [
            ['2147483648', '1'],
            ['100001', '2147483648'],
            ['9007199254740991', '1'],
          ],
        },
      );
      // Path fuzzing never touched a real record: the admin is still signed in.
      expect((await admin.get('/api/auth/me')).status).toBe(200);
    },
  );

  it.each([
    '/api/nodes?parent=',
    '/api/users?node=',
    '/api/audit?node=',
    '/api/users?page=',
    '/api/audit?pageSize=',
    '/api/nodes?q=',
    '/api/nodes?q=a&pageSize=',
    '/api/public/places?q=',
    '/api/public/places?q=a&pageSize=',
    '/api/public/places/areas?within=',
    '/api/public/places/at?lng=119.7&lat=',
    '/api/people?node=',
    '/api/people?q=',
    '/api/people?tag=',
    '/api/people?type=',
    '/api/people?page=',
    '/api/households?node=',
    '/api/households?q=',
    '/api/events?node=',
    '/api/events?q=',
    '/api/events?state=',
    '/api/events?category=',
    '/api/events?overdue=',
    '/api/events?page=',
    '/api/events/points?node=',
    '/api/events/points?category=',
    '/api/events/points?overdue=',
    '/api/departments?node=',
    '/api/report-templates?node=',
    '/api/report-templates?command=',
    '/api/notices?node=',
    '/api/notices?command=',
    '/api/notices?page=',
  ])('GET %s<random> gives <500', async (prefix) => {
    await fc.assert(
      fc.asyncProperty(idLike, async (v) => {
        await sendAndJudge(admin, 'GET', prefix + v, { payload: '', headers: {} });
      }),
      { numRuns: 25, examples: [['2147483648']] },
    );
  });
});

describe('fuzzing the live stream’s resume point', () => {
  // inject cannot hold a stream open: a real connection, answered 400 problem+json or a stream, never 5xx.
  const resumeAt = fc.oneof(
    fc.integer().map(String),
    fc.constantFrom(
      '0',
      '-1',
      '1.5',
      '1e3',
      '0x10',
      '2147483647',
      '2147483648',
      '9007199254740993',
      'abc',
      ' 7 ',
      '',
    ),
    fc.stringMatching(/^[!-~]{1,12}$/),
  );
  const judge = (c: Awaited<ReturnType<typeof openSse>>, label: string) => {
    c.close();
    expect([200, 400], label).toContain(c.status);
    if (c.status === 400) {
      expect(c.headers['content-type'], label).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(c.body), label).toMatchObject({
        code: 'validation_failed',
        issues: expect.arrayContaining([
          expect.objectContaining({ path: expect.stringMatching(/lastEventId|last-event-id/) as string }),
        ]) as unknown[],
      });
    } else expect(c.headers['content-type'], label).toMatch(/^text\/event-stream/);
  };
  it('a random Last-Event-ID header gives a stream or a 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(resumeAt, async (v) =>
        judge(await openSse(t.app, { client: admin, lastEventId: v }), `Last-Event-ID ${JSON.stringify(v)}`),
      ),
      { numRuns: 40 },
    );
  });
  it('a random lastEventId query gives a stream or a 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(resumeAt, async (v) =>
        judge(
          await openSse(t.app, { client: admin, query: `lastEventId=${encodeURIComponent(v)}` }),
          `?lastEventId=${v}`,
        ),
      ),
      { numRuns: 40 },
    );
  });
});

describe('targeted bad requests', () => {
  it('malformed JSON → 400 request.invalid_json', async () => {
    const res = await sendAndJudge(admin, 'POST', '/api/nodes', {
      payload: '{"parentId": 1,',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'request.invalid_json' });
  });

  it('an unknown field → 400 with an issue at that field', async () => {
    const res = await sendAndJudge(
      admin,
      'POST',
      '/api/nodes',
      json({ parentId: tree.villages[0]!.id, code: '901', name: 'x', colour: 'red' }),
    );
    expect(res.status).toBe(400);
    expect((res.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain('body.colour');
  });

  it('an over-long name → 400 with an issue at body.name', async () => {
    const res = await sendAndJudge(
      admin,
      'PATCH',
      `/api/nodes/${fuzzNode.id}`,
      json({ name: '名'.repeat(101) }),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'validation_failed',
      issues: [expect.objectContaining({ path: 'body.name' })],
    });
  });

  it('a body over the configured limit (2 MB) → 413 request.too_large', async () => {
    const res = await sendAndJudge(
      admin,
      'PATCH',
      `/api/nodes/${fuzzNode.id}`,
      json({ name: 'x'.repeat(2 * 1024 * 1024) }),
    );
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'request.too_large' });
  });

  it.each(['application/xml', 'application/x-www-form-urlencoded', 'image/png'])(
    'content-type %s → 415',
    async (type) => {
      const res = await sendAndJudge(admin, 'POST', '/api/nodes', {
        payload: 'parentId=1',
        headers: { 'content-type': type },
      });
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ code: 'request.unsupported_media_type' });
    },
  );

  it('a JSON body with a __proto__ key is refused, not merged', async () => {
    const res = await sendAndJudge(admin, 'PATCH', `/api/nodes/${fuzzNode.id}`, {
      payload: '{"__proto__":{"isAdmin":true},"name":"p"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
  });

  // PostgreSQL refuses U+0000 in text ("invalid byte sequence for encoding UTF8: 0x00"); SQLite stores it.
  // Either way the request must not end in a 500.
  it.each([
    ['POST', '/api/auth/login', { username: 'ad\u0000min', password: 'whatever-password' }],
    ['POST', '/api/nodes', { parentId: 0, code: '950', name: 'nul\u0000name' }],
    ['PATCH', '/api/nodes/:fuzz', { responsibleName: '张\u0000三' }],
    ['POST', '/api/auth/api-keys', { name: 'key\u0000' }],
    [
      'POST',
      '/api/users',
      {
        username: 'nul_user',
        displayName: 'a\u0000b',
        password: 'a-long-password',
        assignments: [{ roleId: 1, nodeId: 0 }],
      },
    ],
    ['GET', '/api/nodes?q=%00', undefined],
    ['GET', '/api/public/places?q=a%00', undefined],
    [
      'POST',
      '/api/people',
      { name: '张\u0000三', noIdReason: 'child', nodeId: 0, residenceType: 'registered' },
    ],
    ['POST', '/api/tags', { code: 'nul_tag', nameZh: '标\u0000签', nameEn: 'x' }],
    ['GET', '/api/people?q=%00', undefined],
    ['GET', '/api/households?q=a%00', undefined],
    ['GET', '/api/audit?actor=%00', undefined],
    ['GET', '/api/users?q=a%00', undefined],
    ['POST', '/api/events', { categoryId: 1, title: '垃\u0000圾', description: 'x', nodeId: 0 }],
    ['POST', '/api/public/events', { categoryId: 1, description: 'a\u0000b', nodeId: 0 }],
    ['POST', '/api/departments', { nodeId: 0, kind: 'urban', name: '部\u0000门' }],
    ['PUT', '/api/work-calendar/2032-03-03', { kind: 'holiday', name: '假\u0000日' }],
    ['GET', '/api/events?q=%00', undefined],
    ['POST', '/api/events/export', { q: '垃\u0000圾' }],
    ['GET', '/api/public/events/LA%00', undefined],
  ] as const)('a NUL character: %s %s → no 500', async (method, url, body) => {
    const patch = (v: unknown): unknown =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v).map(([k, x]) => [
              k,
              k === 'parentId' || k === 'nodeId' ? tree.villages[3]!.id : patch(x),
            ]),
          )
        : Array.isArray(v)
          ? v.map(patch)
          : v;
    // sendAndJudge fails on a 5xx; a 2xx is allowed (SQLite stores the character) but must stay a 2xx-shaped reply.
    const send = body === undefined ? { payload: '', headers: {} } : json(patch(body));
    // A live node of its own: the body fuzz above may have retired the shared target.
    const target = url.includes(':fuzz') ? (await scratchChild(db, tree.villages[3]!, 'grid')).id : 0;
    const res = await sendAndJudge(
      admin,
      method,
      url.replace(':fuzz', String(target)),
      send,
      url === '/api/auth/login' ? LOGIN_FAILURE_AUDIT : [],
    );
    expect([200, 201, 400, 401, 404, 409]).toContain(res.status);
  });

  // Ids are 32-bit integer columns on PostgreSQL; a larger id must be a 4xx (400 or 404), not a 500.
  it.each([
    ['POST', '/api/nodes', { parentId: 2147483648, code: '951', name: 'x' }],
    ['POST', '/api/nodes/:fuzz/move', { newParentId: 2147483648 }],
    ['POST', '/api/users/:user/assignments', { roleId: 2147483648, nodeId: 1 }],
    [
      'POST',
      '/api/users',
      {
        username: 'big_id',
        displayName: 'x',
        password: 'a-long-password',
        assignments: [{ roleId: 1, nodeId: 9007199254740991 }],
      },
    ],
    ['GET', '/api/nodes/4294967296', undefined],
    ['GET', '/api/nodes?parent=2147483648', undefined],
    [
      'POST',
      '/api/people',
      { name: 'x', noIdReason: 'child', nodeId: 2147483648, residenceType: 'registered' },
    ],
    [
      'POST',
      '/api/people',
      { name: 'x', noIdReason: 'child', nodeId: 1, householdId: 2147483648, residenceType: 'registered' },
    ],
    ['POST', '/api/people/:person/merge', { otherId: 2147483648, reason: '超界' }],
    ['POST', '/api/people/export', { node: 2147483648 }],
    ['GET', '/api/people/4294967296', undefined],
    ['GET', '/api/people?node=2147483648', undefined],
    ['GET', '/api/households/2147483648', undefined],
    ['GET', '/api/people/imports/2147483648/errors.xlsx', undefined],
    ['POST', '/api/events', { categoryId: 2147483648, title: 'x', description: 'x', nodeId: 1 }],
    ['POST', '/api/events', { categoryId: 1, title: 'x', description: 'x', nodeId: 2147483648 }],
    [
      'POST',
      '/api/events/:event/actions',
      { action: 'close', closeReason: 'duplicate', duplicateOfId: 2147483648, reason: '超界' },
    ],
    ['POST', '/api/events/:event/actions', { action: 'dispatch', departmentId: 2147483648 }],
    ['POST', '/api/departments', { nodeId: 2147483648, kind: 'urban', name: 'x' }],
    ['POST', '/api/departments/:department/members', { userId: 2147483648 }],
    ['POST', '/api/event-categories', { parentId: 2147483648, code: 'other.big', nameZh: 'x', nameEn: 'x' }],
    ['GET', '/api/events/4294967296', undefined],
    ['GET', '/api/events?node=2147483648', undefined],
    ['POST', '/api/events/export', { node: 2147483648 }],
    ['GET', '/api/events/points?node=2147483648', undefined],
    ['GET', '/api/departments?node=2147483648', undefined],
  ] as const)('an id beyond 32 bits: %s %s → 4xx, not 500', async (method, url, body) => {
    const u = url
      .replace(':fuzz', String(fuzzNode.id))
      .replace(':user', String(ids.user))
      .replace(':person', String(ids.person))
      .replace(':event', String(ids.event))
      .replace(':department', String(ids.department));
    const res = await sendAndJudge(
      admin,
      method,
      u,
      body === undefined ? { payload: '', headers: {} } : json(body),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('an empty JSON body → 400 request.empty_json', async () => {
    const res = await sendAndJudge(admin, 'POST', '/api/nodes', {
      payload: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'request.empty_json' });
  });
});

describe('paths and bodies the router or the parser cannot read', () => {
  /** The id parameters of the registered routes: those the shared id schema reads. */
  const idRoutes = paramRoutes.filter((r) => /:(id|[a-z]+Id)\b/.test(r.url));
  /** The route's URL with its first id parameter replaced by `v` and every other one by an id that does not exist. */
  const withFirstId = (r: RouteRow, v: string) => {
    const parts = r.url.split('/');
    const at = parts.findIndex((p) => /^:(id|[a-z]+Id)$/.test(p));
    return parts.map((p, i) => (i === at ? v : p.startsWith(':') ? '999999' : p)).join('/');
  };
  const noBody = { payload: '', headers: {} };
  const bodyFor = (r: RouteRow) =>
    r.method === 'GET' || r.method === 'DELETE' ? noBody : json(sampleBody(routeKey(r)) ?? {});

  it('covers the id routes', () => {
    expect(idRoutes.length).toBeGreaterThanOrEqual(40);
  });

  it.each(['1e3', '0x10', '1.0', '+7', '007', '%207', '1_000'])(
    'an id spelled %s → 400 validation_failed at params, on every id route',
    async (v) => {
      const wrong: string[] = [];
      for (const r of idRoutes) {
        const res = await sendAndJudge(admin, r.method, withFirstId(r, v), bodyFor(r));
        const b = res.body as { code?: string; issues?: { path: string }[] };
        if (
          res.status !== 400 ||
          b.code !== 'validation_failed' ||
          !b.issues?.some((i) => i.path.startsWith('params'))
        )
          wrong.push(`${routeKey(r)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('/api/people/1e3 and /api/people/0x10 are refused, not read as people 1000 and 16', async () => {
    for (const v of ['1e3', '0x10']) {
      const res = await sendAndJudge(admin, 'GET', `/api/people/${v}`, noBody);
      expect(res.status, v).toBe(400);
      expect(res.body, v).toMatchObject({ code: 'validation_failed', issues: [{ path: 'params.id' }] });
    }
  });

  it('bad percent-encoding → 400 request.bad_url problem+json, the path not echoed', async () => {
    for (const url of [
      '/api/people/%ff',
      '/api/people/%E4%B8',
      '/api/nodes/%zz/counts',
      '/api/nope/%c0%af',
    ]) {
      const res = await sendAndJudge(admin, 'GET', url, noBody);
      expect(res.status, url).toBe(400);
      expect(res.body, url).toMatchObject({ code: 'request.bad_url', status: 400 });
      // Neither the bad escape nor any other part of the path comes back (the request id is random hex).
      expect(res.raw.body, url).not.toContain('%');
      expect(res.raw.body, url).not.toContain(url.split('/')[2]!);
      expect(res.raw.body, url).not.toContain('/api/');
    }
  });

  it('a parameter over the router’s limit → 414 request.param_too_long problem+json, the path not echoed', async () => {
    const long = 'x'.repeat(MAX_PARAM_LENGTH + 1);
    for (const url of [`/api/people/${long}`, `/api/public/events/${long}`, `/api/nodes/${long}/counts`]) {
      const res = await sendAndJudge(admin, 'GET', url, noBody);
      expect(res.status, url).toBe(414);
      expect(res.body, url).toMatchObject({ code: 'request.param_too_long', status: 414 });
      expect(res.raw.body, url).not.toContain('xxxx');
      expect(res.raw.body, url).not.toContain('/api/');
    }
    // At the limit the router still matches, and the route's own schema answers.
    const atLimit = await sendAndJudge(admin, 'GET', `/api/people/${'9'.repeat(MAX_PARAM_LENGTH)}`, noBody);
    expect(atLimit.status).toBe(400);
    expect(atLimit.body).toMatchObject({ code: 'validation_failed' });
  });

  it('an unknown address → 404 whose title does not echo the path', async () => {
    const res = await sendAndJudge(admin, 'GET', '/api/no-such-thing/<b>marker</b>?q=secret', noBody);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found' });
    expect((res.body as { title: string }).title).not.toMatch(/marker|no-such-thing|secret/);
  });

  it('a random path segment, percent-encoded or not, of any length → <500 problem+json, never echoing a bad one', async () => {
    const segment = fc.oneof(
      fc.stringMatching(/^[0-9a-zA-Z%]{0,6}$/).map((s) => `%${s}`),
      fc
        .uint8Array({ minLength: 1, maxLength: 6 })
        .map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')),
      fc.integer({ min: MAX_PARAM_LENGTH - 2, max: MAX_PARAM_LENGTH * 3 }).map((n) => 'z'.repeat(n)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...idRoutes), segment, async (r, v) => {
        const res = await sendAndJudge(admin, r.method, withFirstId(r, v), bodyFor(r));
        const code = (res.body as { code?: string }).code;
        if (code === 'request.bad_url' || code === 'request.param_too_long')
          expect(res.raw.body, `${routeKey(r)} ${v}`).not.toContain(r.url.split('/')[2]!);
      }),
      { numRuns: 60 },
    );
  });

  it('invalid UTF-8 in a JSON body → 400 request.invalid_utf8, not stored as U+FFFD', async () => {
    const bad = (prefix: string, suffix: string) =>
      Buffer.concat([Buffer.from(prefix), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(suffix)]);
    const res = await sendAndJudge(admin, 'PATCH', `/api/nodes/${fuzzNode.id}`, {
      payload: bad('{"name":"', '"}'),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'request.invalid_utf8' });
    // An overlong encoding of '/' and a lone surrogate are not UTF-8 either.
    for (const bytes of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
    ]) {
      const r2 = await sendAndJudge(admin, 'PATCH', `/api/nodes/${fuzzNode.id}`, {
        payload: Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bytes), Buffer.from('"}')]),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(r2.status, JSON.stringify(bytes)).toBe(400);
      expect(r2.body).toMatchObject({ code: 'request.invalid_utf8' });
    }
    // Valid multi-byte text still goes through, stored as sent.
    const ok = await sendAndJudge(
      admin,
      'POST',
      '/api/tags',
      json({ code: 'utf8_ok', nameZh: '模糊标签', nameEn: 'Fuzz tag' }),
    );
    expect(ok.status, JSON.stringify(ok.body)).toBeLessThan(300);
    expect(
      await db.selectFrom('tags').select('name_zh').where('code', '=', 'utf8_ok').executeTakeFirstOrThrow(),
    ).toEqual({ name_zh: '模糊标签' });
  });

  it('random bytes as a JSON body → <500 problem+json, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (bytes) => {
        await sendAndJudge(admin, 'POST', '/api/tags', {
          payload: Buffer.concat([Buffer.from('{"nameZh":"'), Buffer.from(bytes), Buffer.from('"}')]),
          headers: { 'content-type': 'application/json' },
        });
      }),
      { numRuns: 40 },
    );
  });
});

describe('fuzzing Open311 GeoReport v2 (form bodies, outside /api)', () => {
  /** Percent-encoding of the UTF-8 bytes: safe for any string, lone surrogates included. */
  const pct = (v: string) =>
    [...Buffer.from(v, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  const FIELDS = [
    'api_key',
    'jurisdiction_id',
    'service_code',
    'lat',
    'long',
    'address_string',
    'address_id',
    'description',
    'media_url',
    'first_name',
    'last_name',
    'phone',
    'email',
    'device_id',
    'account_id',
    'attribute[volume]',
    'attribute[building_type]',
    'attribute[volume][]',
    'attribute[]',
    'attribute[nope]',
    'service_request_id',
    'status',
    'start_date',
    'end_date',
    '__proto__',
    'constructor',
    'lat[]',
  ];
  const fieldValue = () =>
    fc.oneof(
      weirdString,
      weirdNumber.map(String),
      fc.constantFrom(
        open311Key,
        'environment.garbage',
        'safety.fire_hazard',
        '30.205',
        '119.705',
        '1e400',
        'NaN',
        '-0',
        '住宅',
        'https://img.example.com/a.jpg',
        'javascript:alert(1)',
        '2010-01-01T00:00:00Z',
        '2026-02-30',
        'open,closed',
        '1,2,3',
      ),
    );
  /** A form that mostly gets past the key and the service, with a few fields changed or dropped. */
  const formBody = () =>
    fc
      .tuple(
        fc.dictionary(fc.constantFrom(...FIELDS), fieldValue(), { maxKeys: 6 }),
        fc.subarray(['api_key', 'service_code', 'lat', 'long', 'description']),
      )
      .map(([changed, dropped]) => {
        const base: Record<string, string> = {
          api_key: open311Key,
          service_code: 'environment.garbage',
          lat: '30.205',
          long: '119.705',
          description: '模糊',
        };
        for (const d of dropped) delete base[d];
        const entries = [...Object.entries(base), ...Object.entries(changed)];
        return entries.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
      });

  /** No 5xx; exactly the format's content type; XML well formed; 4xx: the spec's error list, and nothing written. */
  async function judge(method: 'GET' | 'POST', url: string, payload: string | Buffer, contentType: string) {
    const before = await fingerprint(db);
    const res = await anon.request({ method, url, payload, headers: { 'content-type': contentType } });
    const body = res.raw.body;
    const what = `${method} ${url} ${short(typeof payload === 'string' ? payload : `<${payload.length} bytes>`)} → ${res.status} ${short(body)}`;
    expect(res.status, what).toBeLessThan(500);
    const json = url.split('?')[0]!.endsWith('.json');
    expect(res.headers['content-type'], what).toBe(json ? 'application/json' : 'text/xml');
    if (json) expect(Array.isArray(JSON.parse(body)), what).toBe(true);
    else expect(XMLValidator.validate(body), what).toBe(true);
    if (res.status >= 400) {
      if (json) {
        const errors = JSON.parse(body) as { code: unknown; description: unknown }[];
        expect(errors.length, what).toBeGreaterThan(0);
        for (const e of errors) expect(typeof e.description, what).toBe('string');
      } else expect(body, what).toMatch(/<errors><error><code>\d+<\/code><description>/);
      expect(await fingerprint(db), `${what}\nwrote something despite the ${res.status}`).toEqual(before);
    }
    return res;
  }

  it.each(['json', 'xml'])(
    'POST requests.%s with random forms: <500, the spec’s errors, no write on 4xx',
    async (format) => {
      await fc.assert(
        fc.asyncProperty(formBody(), async (form) => {
          await judge(
            'POST',
            `/open311/v2/requests.${format}`,
            form,
            'application/x-www-form-urlencoded; charset=utf-8',
          );
        }),
        { numRuns: 60 },
      );
    },
  );

  it('POST with random bytes, a JSON body or no body: <500, no write', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/json',
          'text/plain',
          'multipart/form-data; boundary=x',
        ),
        async (bytes, type) => {
          await judge('POST', '/open311/v2/requests.xml', Buffer.from(bytes), type);
        },
      ),
      { numRuns: 30 },
    );
    const tooBig = `api_key=${open311Key}&description=${'x'.repeat(2 * 1024 * 1024)}`;
    expect(
      (await judge('POST', '/open311/v2/requests.json', tooBig, 'application/x-www-form-urlencoded')).status,
    ).toBe(413);
  });

  it.each(['json', 'xml'])('GET requests.%s with random filters: <500', async (format) => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...FIELDS), fieldValue(), { maxKeys: 4 }), async (q) => {
        const qs = Object.entries(q)
          .map(([k, v]) => `${pct(k)}=${pct(v)}`)
          .join('&');
        await judge('GET', `/open311/v2/requests.${format}?${qs}`, '', 'text/plain');
      }),
      { numRuns: 40 },
    );
  });

  it('GET any path segment under /open311/v2: <500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('services', 'requests', 'tokens'),
        weirdString.filter((v) => v.length < 300),
        fc.constantFrom('json', 'xml'),
        async (seg, v, f) => {
          await judge('GET', `/open311/v2/${seg}/${pct(v)}.${f}`, '', 'text/plain');
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('fuzzing the multipart import', () => {
  it('random files (bytes, CSV text with the right headers, broken XLSX) give <500 and write nothing on 4xx', async () => {
    const file = fc.oneof(
      fc.record({
        name: fc.constantFrom('a.csv', 'a.xlsx', 'a.txt', 'a.xls', 'noext'),
        data: fc.uint8Array({ maxLength: 2000 }).map((u) => Buffer.from(u)),
      }),
      fc
        .array(
          fc.array(
            weirdString.filter((s) => s.length < 200),
            { minLength: 1, maxLength: 6 },
          ),
          { maxLength: 5 },
        )
        .map((rows) => ({
          name: 'r.csv',
          data: Buffer.from(toCsv([['上级编码', '编码', '名称', '层级', '负责人'], ...rows])),
        })),
      fc.uint8Array({ maxLength: 500 }).map((u) => ({
        name: 'z.xlsx',
        data: Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from(u)]),
      })),
    );
    await fc.assert(
      fc.asyncProperty(file, fc.constantFrom('all-or-nothing', 'valid-rows', 'bogus'), async (f, mode) => {
        const body = multipart([
          { name: 'mode', data: mode },
          { name: 'file', filename: f.name, data: f.data },
        ]);
        await sendAndJudge(admin, 'POST', '/api/nodes/import', body);
      }),
      { numRuns: 40 },
    );
  });

  it('a NUL character in an import cell → no 500 (a row error or a 4xx)', async () => {
    const file = toCsv([
      ['上级编码', '编码', '名称', '层级', '负责人'],
      ['a\u0000b', '001', 'x', '', ''],
      [tree.villages[3]!.fullCode, '061', 'nul\u0000name', '', ''],
    ]);
    const res = await sendAndJudge(
      admin,
      'POST',
      '/api/nodes/import',
      multipart([{ name: 'file', filename: 'nul.csv', data: file }]),
    );
    expect([200, 400]).toContain(res.status);
  });

  it('random people files (bytes, CSV with the people headers, broken XLSX) give <500; a 4xx writes nothing but its failed job', async () => {
    const cell = fc.oneof(
      weirdString.filter((s) => s.length < 100),
      fc.constantFrom(
        nthIdNumber(7, '330199'),
        nthIdNumber(7, '330199').toLowerCase(),
        '130503670401001',
        '13800138000',
        '+8613800138000',
        fuzzNode.fullCode,
        '户籍人口',
        '流动人口',
        '独居老人、党员',
        '户主',
        'H1',
      ),
    );
    const file = fc.oneof(
      fc.record({
        name: fc.constantFrom('a.csv', 'a.xlsx', 'a.txt', 'a.xls', 'noext'),
        data: fc.uint8Array({ maxLength: 2000 }).map((u) => Buffer.from(u)),
      }),
      fc
        .array(fc.array(cell, { minLength: 1, maxLength: 10 }), { maxLength: 6 })
        .map((rows) => ({ name: 'p.csv', data: Buffer.from(toCsv([[...PEOPLE_HEAD], ...rows])) })),
      fc.uint8Array({ maxLength: 500 }).map((u) => ({
        name: 'z.xlsx',
        data: Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from(u)]),
      })),
    );
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.constantFrom('all-or-nothing', 'valid-rows', 'bogus'),
        fc.option(weirdString.filter((s) => s.length < 80)),
        async (f, mode, ref) => {
          const body = multipart([
            { name: 'mode', data: mode },
            ...(ref === null ? [] : [{ name: 'ref', data: ref }]),
            { name: 'file', filename: f.name, data: f.data },
          ]);
          await sendAndJudge(admin, 'POST', '/api/people/import', body, [], true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a NUL character in a people import cell → 400, nothing written but the failed job', async () => {
    const file = toCsv([
      [...PEOPLE_HEAD],
      ['张\u0000三', nthIdNumber(8, '330199'), '', '', fuzzNode.fullCode, '户籍人口', '', '', ''],
    ]);
    const res = await sendAndJudge(
      admin,
      'POST',
      '/api/people/import',
      multipart([{ name: 'file', filename: 'nul.csv', data: file }]),
      undefined,
      true,
    );
    expect(res.status).toBe(400);
  });

  // Multipart text fields and file names do not pass the JSON NUL check; PostgreSQL cannot store U+0000.
  it.each([
    ['a NUL ref', { ref: '\u0000', filename: 'p.csv' }],
    ['a ref with a NUL inside', { ref: 'imp\u0000ort', filename: 'p.csv' }],
    ['a NUL in the file name', { ref: undefined, filename: 'p\u0000.csv' }],
  ] as const)('people import with %s → 4xx, not 500', async (_what, f) => {
    const file = toCsv([
      [...PEOPLE_HEAD],
      ['张三', nthIdNumber(9, '330199'), '', '', fuzzNode.fullCode, '户籍人口', '', '', ''],
    ]);
    const body = multipart([
      ...(f.ref === undefined ? [] : [{ name: 'ref', data: f.ref }]),
      { name: 'file', filename: f.filename, data: file },
    ]);
    const res = await sendAndJudge(admin, 'POST', '/api/people/import', body, [], true);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('a JSON body to the people import → 400 request.not_multipart; a form without a file → 400 request.file_missing', async () => {
    const a = await sendAndJudge(admin, 'POST', '/api/people/import', json({ file: 'x' }));
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ code: 'request.not_multipart' });
    const b = await sendAndJudge(
      admin,
      'POST',
      '/api/people/import',
      multipart([{ name: 'mode', data: 'valid-rows' }]),
    );
    expect(b.status).toBe(400);
    expect(b.body).toMatchObject({ code: 'request.file_missing' });
  });

  it('a JSON body to the import route → 400 request.not_multipart; a form without a file → 400 request.file_missing', async () => {
    const a = await sendAndJudge(admin, 'POST', '/api/nodes/import', json({ file: 'x' }));
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ code: 'request.not_multipart' });
    const b = await sendAndJudge(
      admin,
      'POST',
      '/api/nodes/import',
      multipart([{ name: 'mode', data: 'valid-rows' }]),
    );
    expect(b.status).toBe(400);
    expect(b.body).toMatchObject({ code: 'request.file_missing' });
  });
});

describe('fuzzing photo uploads', () => {
  it('random bytes, renamed files and image headers with junk give <500; a 4xx keeps nothing', async () => {
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }).map((u) => Buffer.from(u)),
      // The right magic bytes with anything after: accepted as held uploads, never a 500.
      fc
        .tuple(
          fc.constantFrom([0xff, 0xd8, 0xff], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
          fc.uint8Array({ maxLength: 500 }),
        )
        .map(([head, rest]) => Buffer.concat([Buffer.from(head), Buffer.from(rest)])),
      fc.constantFrom(
        Buffer.from('<svg onload="x()"/>'),
        Buffer.from('GIF89a'),
        Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVE', 'latin1'),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.constantFrom('/api/event-photos', '/api/public/event-photos'),
        fc.constantFrom('p.jpg', 'p.png', 'p.exe', 'noext'),
        async (data, url, filename) => {
          const c = url.startsWith('/api/public') ? t.anon() : admin;
          await sendAndJudge(c, 'POST', url, multipart([{ name: 'file', filename, data }]));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a JSON body or a form without a file → 400', async () => {
    expect((await sendAndJudge(admin, 'POST', '/api/event-photos', json({ file: 'x' }))).status).toBe(400);
    expect(
      (
        await sendAndJudge(
          t.anon(),
          'POST',
          '/api/public/event-photos',
          multipart([{ name: 'note', data: 'x' }]),
        )
      ).status,
    ).toBe(400);
  });
});

describe('fuzzing directive attachments', () => {
  it('random bytes, renamed programs, ZIPs under Office names and odd file names give <500; a 4xx keeps nothing', async () => {
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }).map((u) => Buffer.from(u)),
      // The right magic bytes with anything after: PDF and images are held, a ZIP only as a real Office package.
      fc
        .tuple(
          fc.constantFrom(
            '%PDF-',
            'PK\u0003\u0004',
            'PK\u0003\u0004[Content_Types].xml word/ xl/ ppt/',
            '\u00ff\u00d8\u00ff',
            'MZ\u0090\u0000',
          ),
          fc.uint8Array({ maxLength: 500 }),
        )
        .map(([head, rest]) => Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(rest)])),
      fc.string({ maxLength: 200 }).map((x) => Buffer.from(x, 'utf8')),
    );
    const name = fc.oneof(
      fc.constantFrom(
        'a.pdf',
        '表.docx',
        'x.xlsx',
        'p.pptx',
        'n.txt',
        'a.exe',
        'noext',
        '../../etc/passwd',
        'C:\\x\\y.pdf',
        '.hidden',
        `${'长'.repeat(300)}.pdf`,
        '"quoted";.pdf',
        '%00.txt',
      ),
      // Quotes and line breaks would break the hand-built multipart header itself; NUL is refused before the file is read.
      fc
        .string({ minLength: 1, maxLength: 60 })
        .filter((x) => !['"', '\r', '\n', '\u0000'].some((ch) => x.includes(ch))),
    );
    await fc.assert(
      fc.asyncProperty(file, name, async (data, filename) => {
        await sendAndJudge(
          admin,
          'POST',
          '/api/directive-files',
          multipart([{ name: 'file', filename, data }]),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('a JSON body or a form without a file → 400; an upload over 20 MB → 413 and nothing kept', async () => {
    expect((await sendAndJudge(admin, 'POST', '/api/directive-files', json({ file: 'x' }))).status).toBe(400);
    expect(
      (await sendAndJudge(admin, 'POST', '/api/directive-files', multipart([{ name: 'note', data: 'x' }])))
        .status,
    ).toBe(400);
    expect(
      (
        await sendAndJudge(
          admin,
          'POST',
          '/api/directive-files',
          multipart([
            {
              name: 'file',
              filename: 'big.pdf',
              data: Buffer.concat([FUZZ_PDF, Buffer.alloc(LIMITS.directiveFileBytes)]),
            },
          ]),
        )
      ).status,
    ).toBe(413);
  });

  it('file tokens in a body: odd, foreign, repeated or too many → 400 naming them, nothing written', async () => {
    const s = sampleBody('POST /api/directives')!;
    for (const files of [
      ['x'],
      [1],
      'abc',
      ['A'.repeat(43)],
      Array.from({ length: 11 }, (_, i) => `${'a'.repeat(42)}${i % 10}`),
      null,
    ]) {
      const res = await sendAndJudge(admin, 'POST', '/api/directives', json({ ...s, files }));
      expect(res.status, JSON.stringify(files)).toBe(400);
      expect(
        (res.body as { issues: { path: string }[] }).issues
          .map((i) => i.path)
          .some((p) => p.startsWith('body.files')),
        JSON.stringify(res.body),
      ).toBe(true);
    }
  });

  it('the download answers the bytes, a 304 to its ETag, and <500 to any header or id', async () => {
    const url = `/api/directives/${fileOf.directive}/files/${fileOf.file}`;
    const got = await admin.get(url);
    expect(got.status).toBe(200);
    expect(got.raw.rawPayload.equals(FUZZ_PDF)).toBe(true);
    expect(
      (await admin.request({ method: 'GET', url, headers: { 'if-none-match': String(got.headers.etag) } }))
        .status,
    ).toBe(304);
    for (const etag of ['*', '""', 'W/"x"', 'x'.repeat(5000)])
      expect((await admin.request({ method: 'GET', url, headers: { 'if-none-match': etag } })).status).toBe(
        200,
      );
    // The file under another directive: not found.
    expect(
      (
        await sendAndJudge(
          admin,
          'GET',
          `/api/directives/${SECTION_TARGETS['directives:id']}/files/${fileOf.file}`,
          { payload: '', headers: {} },
        )
      ).status,
    ).toBe(404);
  });
});

// ================================================================== the command system
// Incident commands, directives and their targets, the tracking board and the cockpit. The write
// loop above reaches these routes through SECTION_TARGETS and SECTION_SAMPLES (filled here, before
// any test runs); the suites below fuzz each field of their bodies, their queries and known traps.
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
/** The command system's own place: a village of town B with two grids (and a microgrid under the first). */
let cmdPlace: { village: TreeNode; g1: TreeNode; g2: TreeNode; micro: TreeNode; command: number };
const FUZZ_PDF = Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1');
/** A directive with one attachment (the download route's target). */
let fileOf: { directive: number; file: number };
/** A directive from the fuzzer's village to both of its grids; its targets' ids by grid. */
async function fuzzDirective(targets: TreeNode[]) {
  const res = await admin.post<{ id: number }>('/api/directives', {
    issuerNodeId: cmdPlace.village.id,
    title: '模糊指令',
    body: '模糊',
    targets: { kind: 'nodes', nodeIds: targets.map((n) => n.id) },
    signDueAt: inHours(2),
    reportDueAt: inHours(24),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const rows = await db
    .selectFrom('directive_targets')
    .select(['id', 'node_id'])
    .where('directive_id', '=', res.body.id)
    .execute();
  return { id: res.body.id, at: (n: TreeNode) => rows.find((r) => r.node_id === n.id)!.id };
}
beforeAll(async () => {
  const village = await scratchChild(db, tree.towns[1]!, 'village');
  const g1 = await scratchChild(db, village, 'grid');
  const g2 = await scratchChild(db, village, 'grid');
  const micro = await scratchChild(db, g1, 'microgrid');
  // The admin also answers at both grids (assigned there), so that sign, report and relay get past
  // the who-may check into the body and the state machine.
  const adminId = (
    await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
  ).id;
  const role = (
    await db.selectFrom('roles').select('id').where('code', '=', 'system_admin').executeTakeFirstOrThrow()
  ).id;
  for (const g of [g1, g2])
    await db
      .insertInto('role_assignments')
      .values({ user_id: adminId, role_id: role, node_id: g.id, created_at: new Date().toISOString() })
      .execute();
  const open = async (name: string) => {
    const res = await admin.post<{ id: number }>('/api/commands', {
      name,
      responseLevel: 'III',
      nodeId: village.id,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  const toClose = await open('模糊指挥部（待结束）');
  cmdPlace = { village, g1, g2, micro, command: await open('模糊指挥部') };
  const d = await fuzzDirective([g1, g2]);
  // The generic loop signs, reports on and relays the target at g1 (in that order, as the routes are registered).
  // An attachment of the directive, for the download route.
  const up = await admin.request<{ token: string }>({
    method: 'POST',
    url: '/api/directive-files',
    ...multipart([{ name: 'file', filename: '模糊附件.pdf', data: FUZZ_PDF }]),
  });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const withFile = await admin.post<{ id: number; files: { id: number }[] }>('/api/directives', {
    issuerNodeId: village.id,
    title: '模糊附件指令',
    body: '模糊',
    targets: { kind: 'nodes', nodeIds: [g2.id] },
    signDueAt: inHours(2),
    reportDueAt: inHours(24),
    files: [up.body.token],
  });
  expect(withFile.status, JSON.stringify(withFile.body)).toBe(201);
  fileOf = { directive: withFile.body.id, file: withFile.body.files[0]!.id };
  Object.assign(SECTION_TARGETS, {
    'commands:id': toClose,
    'directives:id': d.id,
    'directive-targets:id': d.at(g1),
    'files:fileId': fileOf.file,
  });
  Object.assign(SECTION_SAMPLES, commandSamples());
});
function commandSamples(): Record<string, Record<string, unknown>> {
  const { village, g1, g2, micro, command } = cmdPlace;
  return {
    'POST /api/commands': {
      name: '模糊新指挥部',
      responseLevel: 'II',
      nodeId: village.id,
      startedAt: inHours(-1),
      officerUserIds: [ids.user],
    },
    'POST /api/commands/:id/close': { summary: '模糊总结' },
    'POST /api/directives': {
      commandId: command,
      issuerNodeId: village.id,
      title: '模糊下达',
      body: '模糊',
      priority: 'urgent',
      targets: { kind: 'level', level: 'grid', within: [village.id] },
      signDueAt: inHours(2),
      reportDueAt: inHours(24),
    },
    'POST /api/directives/:id/remind': { nodeId: g2.id },
    'POST /api/directive-targets/:id/sign': { note: '收到' },
    'POST /api/directive-targets/:id/report': { text: '已落实', figures: { 排查户数: 12, 比例: 0.5 } },
    'POST /api/directives/:id/relay': {
      nodeId: g1.id,
      instructions: '模糊转发',
      targets: { kind: 'nodes', nodeIds: [micro.id] },
      signDueAt: inHours(1),
      reportDueAt: inHours(20),
    },
  };
}
/** Field paths of the command bodies, nested ones included: what the field fuzz below changes. */
const COMMAND_FIELDS = [
  'name',
  'responseLevel',
  'nodeId',
  'startedAt',
  'officerUserIds',
  'summary',
  'commandId',
  'issuerNodeId',
  'title',
  'body',
  'priority',
  'targets',
  'targets.kind',
  'targets.level',
  'targets.within',
  'targets.nodeIds',
  'signDueAt',
  'reportDueAt',
  'note',
  'text',
  'figures',
  'figures.排查户数',
  'instructions',
  'files',
  'unknownField',
];
const fieldValue = fc.oneof(
  leaf,
  value,
  fc.constantFrom(
    2147483648,
    2 ** 53,
    -1,
    0,
    1e308,
    '2147483648',
    '1',
    [2147483648],
    [0],
    ['1'],
    Array.from({ length: 2001 }, (_, i) => i + 1),
  ),
  fc.constantFrom(
    '2020-01-01T00:00:00Z',
    '2099-13-01T00:00:00Z',
    '2099-01-01',
    'tomorrow',
    '2099-01-01T00:00:00+25:00',
  ),
  fc.constantFrom(
    { kind: 'subtree', within: [] },
    { kind: 'level', level: 'district', within: [1] },
    { kind: 'nodes', nodeIds: [1], within: [1] },
    { kind: 'everyone' },
    { 排查户数: '12' },
    { '': 1 },
  ),
);
const fieldEdit = fc.array(
  fc.tuple(fc.constantFrom(...COMMAND_FIELDS), fc.option(fieldValue, { nil: undefined })),
  { minLength: 1, maxLength: 3 },
);
/** The sample with some fields (maybe nested) set to odd values or dropped. */
function editFields(sample: Record<string, unknown>, edits: [string, unknown][]) {
  const b = structuredClone(sample);
  for (const [path, v] of edits) {
    const keys = path.split('.');
    let at: Record<string, unknown> = b;
    for (const k of keys.slice(0, -1)) {
      const next = at[k];
      if (!next || typeof next !== 'object' || Array.isArray(next))
        at = Object.defineProperty(at, k, {
          value: {},
          enumerable: true,
          writable: true,
          configurable: true,
        })[k] as Record<string, unknown>;
      else at = next as Record<string, unknown>;
    }
    const last = keys[keys.length - 1]!;
    if (v === undefined) delete at[last];
    else Object.defineProperty(at, last, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return b;
}

describe('fuzzing the command system', () => {
  it('every command route is fuzzed: a target for each :id and a sample for each body', () => {
    const routes = t.app.linliRoutes.filter(
      (r) =>
        /^\/api\/(commands|directives|directive-targets|cockpit)(\/|$|\?)/.test(r.url) && r.method !== 'HEAD',
    );
    expect(routes.map(routeKey).sort()).toEqual(
      [
        'GET /api/commands',
        'POST /api/commands',
        'GET /api/commands/:id',
        'POST /api/commands/:id/close',
        // The defence module's, under a command: their targets and samples are the joint defence section's.
        'POST /api/commands/:id/checkpoints/status',
        'GET /api/commands/:id/risk-rules',
        'PUT /api/commands/:id/risk-rules',
        'GET /api/directives',
        'POST /api/directives',
        'GET /api/directives/tasks',
        'POST /api/directives/sweep',
        'GET /api/directives/:id',
        'GET /api/directives/:id/board',
        'POST /api/directives/:id/remind',
        'POST /api/directive-targets/:id/sign',
        'POST /api/directive-targets/:id/report',
        'POST /api/directives/:id/relay',
        'GET /api/directives/:id/files/:fileId',
        'GET /api/cockpit',
      ].sort(),
    );
    for (const r of routes) {
      expect(() => concreteUrl(r.url), routeKey(r)).not.toThrow();
      if (r.method === 'POST' && r.url !== '/api/directives/sweep')
        expect(sampleBody(routeKey(r)), routeKey(r)).toBeDefined();
    }
  });

  // Each run on a fresh record where the route changes one: a target signs, reports or relays once.
  const fresh: Record<string, () => Promise<string>> = {
    'POST /api/commands': () => Promise.resolve('/api/commands'),
    'POST /api/commands/:id/close': async () => {
      const res = await admin.post<{ id: number }>('/api/commands', {
        name: '模糊结束',
        responseLevel: 'IV',
        nodeId: cmdPlace.village.id,
      });
      return `/api/commands/${res.body.id}/close`;
    },
    'POST /api/directives': () => Promise.resolve('/api/directives'),
    'POST /api/directives/:id/remind': async () =>
      `/api/directives/${(await fuzzDirective([cmdPlace.g1, cmdPlace.g2])).id}/remind`,
    'POST /api/directive-targets/:id/sign': async () =>
      `/api/directive-targets/${(await fuzzDirective([cmdPlace.g1])).at(cmdPlace.g1)}/sign`,
    'POST /api/directive-targets/:id/report': async () => {
      const target = (await fuzzDirective([cmdPlace.g2])).at(cmdPlace.g2);
      expect((await admin.post(`/api/directive-targets/${target}/sign`, {})).status).toBe(200);
      return `/api/directive-targets/${target}/report`;
    },
    'POST /api/directives/:id/relay': async () =>
      `/api/directives/${(await fuzzDirective([cmdPlace.g1])).id}/relay`,
  };
  const CREATES = new Set(['POST /api/commands', 'POST /api/directives', 'POST /api/directives/:id/relay']);
  it.each(Object.keys(fresh))(
    '%s: each field odd or missing → <500, problem+json, no write on 4xx',
    async (k) => {
      const sample = sampleBody(k)!;
      // The sample itself goes through: the fuzz starts from a body that gets all the way in
      // (a create answers 201, an action 200).
      expect((await sendAndJudge(admin, 'POST', await fresh[k]!(), json(sample))).status).toBe(
        CREATES.has(k) ? 201 : 200,
      );
      await fc.assert(
        fc.asyncProperty(fieldEdit, async (edits) => {
          await sendAndJudge(admin, 'POST', await fresh[k]!(), json(editFields(sample, edits)));
        }),
        { numRuns: 30 },
      );
    },
  );

  it.each([
    ['POST', '/api/directives'],
    ['POST', '/api/commands'],
    ['POST', '/api/directive-targets/:target/report'],
    ['POST', '/api/directives/:directive/relay'],
  ])('malformed JSON, an empty body and a JSON scalar: %s %s → 400', async (method, url) => {
    const u = url
      .replace(':target', String(SECTION_TARGETS['directive-targets:id']))
      .replace(':directive', String(SECTION_TARGETS['directives:id']));
    for (const payload of ['{"title": "x",', '', '"text"', '[]', 'null', '{"figures": {"a": 1e999}}'])
      expect(
        (await sendAndJudge(admin, method, u, { payload, headers: { 'content-type': 'application/json' } }))
          .status,
        payload,
      ).toBe(400);
  });

  it('an unknown field, at the top or inside targets → 400 naming it', async () => {
    const s = sampleBody('POST /api/directives')!;
    const top = await sendAndJudge(admin, 'POST', '/api/directives', json({ ...s, colour: 'red' }));
    expect(top.status).toBe(400);
    expect((top.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain('body.colour');
    const nested = await sendAndJudge(
      admin,
      'POST',
      '/api/directives',
      json({ ...s, targets: { kind: 'nodes', nodeIds: [cmdPlace.g1.id], within: [cmdPlace.g1.id] } }),
    );
    expect(nested.status).toBe(400);
    for (const [k, extra] of [
      ['POST /api/commands', { colour: 'red' }],
      ['POST /api/commands/:id/close', { colour: 'red' }],
      ['POST /api/directives/:id/remind', { colour: 'red' }],
      ['POST /api/directive-targets/:id/sign', { colour: 'red' }],
      ['POST /api/directive-targets/:id/report', { colour: 'red' }],
      ['POST /api/directives/:id/relay', { colour: 'red' }],
    ] as const) {
      const res = await sendAndJudge(
        admin,
        'POST',
        concreteUrl(k.slice(5)),
        json({ ...sampleBody(k), ...extra }),
      );
      expect(res.status, k).toBe(400);
      expect(
        (res.body as { issues: { path: string }[] }).issues.map((i) => i.path),
        k,
      ).toContain('body.colour');
    }
  });

  it('wrong types, past or out-of-order deadlines, too many targets → 400 listing each problem, nothing written', async () => {
    const s = sampleBody('POST /api/directives')!;
    const cases: [Record<string, unknown>, string[]][] = [
      [
        { ...s, issuerNodeId: String(cmdPlace.village.id), priority: 'whenever' },
        ['body.issuerNodeId', 'body.priority'],
      ],
      [
        { ...s, targets: { kind: 'nodes', nodeIds: ['1', null] } },
        ['body.targets.nodeIds.0', 'body.targets.nodeIds.1'],
      ],
      [{ ...s, signDueAt: 'tomorrow', reportDueAt: 5 }, ['body.signDueAt', 'body.reportDueAt']],
      [{ ...s, signDueAt: inHours(5), reportDueAt: inHours(1) }, ['body.reportDueAt']],
      [{ ...s, signDueAt: inHours(-2), reportDueAt: inHours(-1) }, ['body.signDueAt', 'body.reportDueAt']],
      [
        { ...s, targets: { kind: 'nodes', nodeIds: Array.from({ length: 2001 }, (_, i) => i + 1) } },
        ['body.targets.nodeIds'],
      ],
      [
        { ...s, targets: { kind: 'nodes', nodeIds: [cmdPlace.village.id, 99999, tree.grids[0]!.id] } },
        ['body.targets.nodeIds.0', 'body.targets.nodeIds.1', 'body.targets.nodeIds.2'],
      ],
      [
        { ...s, targets: { kind: 'level', level: 'town', within: [cmdPlace.village.id] } },
        ['body.targets.level'],
      ],
      [{ ...s, commandId: 99999 }, ['body.commandId']],
      [{ ...s, issuerNodeId: 99999 }, ['body.issuerNodeId']],
    ];
    for (const [body, paths] of cases) {
      const res = await sendAndJudge(admin, 'POST', '/api/directives', json(body));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      const got = (res.body as { issues: { path: string }[] }).issues.map((i) => i.path);
      for (const p of paths) expect(got, JSON.stringify(res.body)).toContain(p);
    }
    const report = sampleBody('POST /api/directive-targets/:id/report')!;
    const target = (await fuzzDirective([cmdPlace.g2])).at(cmdPlace.g2);
    expect((await admin.post(`/api/directive-targets/${target}/sign`, {})).status).toBe(200);
    for (const figures of [
      { a: '3' },
      [1, 2],
      { a: null },
      Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`f${i}`, i])),
      { ['x'.repeat(41)]: 1 },
      { '': 1 },
    ]) {
      const res = await sendAndJudge(
        admin,
        'POST',
        `/api/directive-targets/${target}/report`,
        json({ ...report, figures }),
      );
      expect(res.status, JSON.stringify(figures).slice(0, 80)).toBe(400);
    }
    expect(
      (
        await db
          .selectFrom('directive_targets')
          .select('state')
          .where('id', '=', target)
          .executeTakeFirstOrThrow()
      ).state,
    ).toBe('signed');
  });

  // PostgreSQL cannot store U+0000: refused at the edge, on every text field, nested ones included.
  it.each([
    ['POST /api/commands', { name: '指挥\u0000部' }],
    ['POST /api/commands/:id/close', { summary: '总\u0000结' }],
    ['POST /api/directives', { title: '指\u0000令' }],
    ['POST /api/directives', { body: 'a\u0000b' }],
    ['POST /api/directive-targets/:id/sign', { note: '收\u0000到' }],
    ['POST /api/directive-targets/:id/report', { text: '反\u0000馈' }],
    ['POST /api/directive-targets/:id/report', { figures: { 'a\u0000b': 1 } }],
    ['POST /api/directives/:id/relay', { instructions: '转\u0000发' }],
  ] as const)('a NUL character: %s %j → 400', async (k, patch) => {
    const res = await sendAndJudge(
      admin,
      'POST',
      concreteUrl(k.slice(5)),
      json({ ...sampleBody(k), ...patch }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(400);
  });

  it.each([
    ['POST', '/api/commands', { name: 'x', responseLevel: 'I', nodeId: 2147483648 }],
    ['POST', '/api/commands', { name: 'x', responseLevel: 'I', nodeId: 1, officerUserIds: [2147483648] }],
    ['POST', '/api/directives', { issuerNodeId: 2147483648 }],
    ['POST', '/api/directives', { commandId: 2 ** 53 }],
    ['POST', '/api/directives', { targets: { kind: 'nodes', nodeIds: [2147483648] } }],
    ['POST', '/api/directives', { targets: { kind: 'subtree', within: [4294967296] } }],
    ['POST', '/api/directives/:directive/remind', { nodeId: 2147483648 }],
    [
      'POST',
      '/api/directives/:directive/relay',
      { targets: { kind: 'level', level: 'grid', within: [2147483648] } },
    ],
    ['GET', '/api/commands/2147483648', undefined],
    ['GET', '/api/directives/4294967296', undefined],
    ['GET', '/api/directives/:directive/board?node=2147483648', undefined],
    ['GET', '/api/directives?command=2147483648', undefined],
    ['GET', '/api/cockpit?node=2147483648', undefined],
    ['GET', '/api/cockpit?command=9007199254740993', undefined],
  ] as const)('an id beyond 32 bits: %s %s %j → 4xx, not 500', async (method, url, patch) => {
    const u = url
      .replace(':directive', String(SECTION_TARGETS['directives:id']))
      .replace(':target', String(SECTION_TARGETS['directive-targets:id']));
    const key = `${method} ${url.replace(/:(directive|target)\b/, ':id')}`;
    const body = patch === undefined ? undefined : { ...(sampleBody(key) ?? {}), ...patch };
    const res = await sendAndJudge(
      admin,
      method,
      u,
      body === undefined ? { payload: '', headers: {} } : json(body),
    );
    expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
  });

  const idLike = fc.oneof(
    fc.integer().map(String),
    fc.constantFrom(
      '0',
      '-1',
      '2147483648',
      '9007199254740993',
      '1e300',
      '1.5',
      '0x10',
      'abc',
      '%00',
      '%E4%B8%AD',
      'true',
      'all',
      'overdue',
      'eventsOpen',
    ),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
  it.each([
    '/api/commands?open=',
    '/api/directives?command=',
    '/api/directives?box=',
    '/api/directives?page=',
    '/api/directives?pageSize=',
    '/api/directives?unknown=',
    '/api/directives/:directive/board?node=',
    '/api/directives/:directive/board?status=',
    '/api/cockpit?node=',
    '/api/cockpit?command=',
    '/api/cockpit?metric=',
    '/api/directives/tasks?x=',
  ])('GET %s<random> gives <500', async (prefix) => {
    const u = prefix.replace(':directive', String(SECTION_TARGETS['directives:id']));
    await fc.assert(
      fc.asyncProperty(idLike, async (v) => {
        await sendAndJudge(admin, 'GET', u + v, { payload: '', headers: {} });
      }),
      { numRuns: 25, examples: [['2147483648'], ['%00']] },
    );
  });
});

// ================================================================== joint defence
// Checkpoints, shift patterns, generated shifts, the people on them, coverage and check-in. The write
// loop above reaches these routes through SECTION_TARGETS and SECTION_SAMPLES (filled here); the
// suite below fuzzes the list and coverage queries.
/** The fuzzer's checkpoint in its own grid, with a pattern and one day of shifts (the first its target). */
let defencePlace: { node: TreeNode; checkpoint: number; shift: number; command: number };
beforeAll(async () => {
  const node = await scratchChild(db, tree.villages[3]!, 'grid');
  const command = await admin.post<{ id: number }>('/api/commands', {
    name: '模糊联防指挥部',
    responseLevel: 'III',
    nodeId: node.id,
  });
  expect(command.status, JSON.stringify(command.body)).toBe(201);
  const cp = await admin.post<{ id: number }>('/api/checkpoints', {
    name: '模糊卡口',
    type: 'road',
    nodeId: node.id,
    commandId: command.body.id,
    staffPerShift: 2,
  });
  expect(cp.status, JSON.stringify(cp.body)).toBe(201);
  const pattern = await admin.put(`/api/checkpoints/${cp.body.id}/pattern`, {
    pattern: { kind: 'three_by_eight' },
  });
  expect(pattern.status, JSON.stringify(pattern.body)).toBe(200);
  const gen = await admin.post(`/api/checkpoints/${cp.body.id}/shifts/generate`, {
    from: '2030-06-01',
    to: '2030-06-01',
  });
  expect(gen.status, JSON.stringify(gen.body)).toBe(200);
  const shift = await db
    .selectFrom('shifts')
    .select('id')
    .where('checkpoint_id', '=', cp.body.id)
    .orderBy('slot')
    .executeTakeFirstOrThrow();
  defencePlace = { node, checkpoint: cp.body.id, shift: shift.id, command: command.body.id };
  // A pending swap request at the fuzzer's checkpoint, the target of the decision route.
  const swap = await db
    .insertInto('shift_swaps')
    .values({
      shift_id: shift.id,
      checkpoint_id: cp.body.id,
      node_path: node.path,
      from_user_id: Number(ids.user),
      to_user_id: null,
      to_shift_id: null,
      reason: null,
      status: 'pending',
      requested_at: new Date().toISOString(),
      decided_by_user_id: null,
      decided_at: null,
      note: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  Object.assign(SECTION_TARGETS, {
    'checkpoints:id': cp.body.id,
    'shifts:id': shift.id,
    'assignments:userId': ids.user,
    'swaps:id': swap.id,
  });
  Object.assign(SECTION_SAMPLES, {
    'POST /api/checkpoints': {
      name: '模糊新卡口',
      type: 'village_entrance',
      nodeId: node.id,
      lat: 30.2,
      lng: 119.7,
      staffPerShift: 3,
    },
    'PATCH /api/checkpoints/:id': { name: '模糊改名', staffPerShift: 4, status: 'suspended' },
    'POST /api/commands/:id/checkpoints/status': {
      status: 'open',
      from: inHours(1),
      checkpointIds: [cp.body.id],
    },
    'PUT /api/checkpoints/:id/pattern': {
      pattern: { kind: 'custom', slots: [{ start: '06:00', minutes: 720, required: 2 }] },
    },
    'POST /api/checkpoints/:id/shifts/generate': { from: '2030-06-02', to: '2030-06-03' },
    'POST /api/shifts/:id/assignments': { userId: ids.user, role: 'volunteer' },
    'POST /api/shifts/:id/check-in': { lat: 30.2, lng: 119.7 },
    'POST /api/shifts/:id/check-out': { lat: 30.2, lng: 119.7 },
    'POST /api/shifts/:id/swaps': { toUserId: ids.user, reason: '模糊换班' },
    'POST /api/swaps/:id/decision': { decision: 'refuse', note: '模糊' },
  });
});

describe('fuzzing the joint defence queries', () => {
  it('every defence route is fuzzed: a target for each :id and a sample for each body', () => {
    const routes = t.app.linliRoutes.filter(
      (r) =>
        (/^\/api\/(checkpoints|rosters|shifts|swaps)(\/|$)/.test(r.url) ||
          r.url === '/api/commands/:id/checkpoints/status') &&
        r.method !== 'HEAD',
    );
    expect(routes.length).toBe(16);
    for (const r of routes) {
      expect(() => concreteUrl(r.url), routeKey(r)).not.toThrow();
      if (r.method !== 'GET' && r.method !== 'DELETE')
        expect(sampleBody(routeKey(r)), routeKey(r)).toBeDefined();
    }
  });

  const idLike = fc.oneof(
    fc.integer().map(String),
    fc.constantFrom('0', '-1', '2147483648', '1e3', '0x10', 'abc', '%00', 'open', '2030-06-01'),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
  it.each([
    '/api/checkpoints?node=',
    '/api/checkpoints?command=',
    '/api/checkpoints?status=',
    '/api/checkpoints?unknown=',
    '/api/rosters/coverage?from=2030-05-31T00:00:00Z&to=2030-06-02T00:00:00Z&node=',
    '/api/rosters/coverage?from=2030-05-31T00:00:00Z&to=2030-06-02T00:00:00Z&checkpointId=',
    '/api/rosters/coverage?to=2030-06-02T00:00:00Z&from=',
    '/api/rosters/coverage?from=2030-05-31T00:00:00Z&to=',
    '/api/swaps?checkpointId=',
    '/api/swaps?node=',
    '/api/swaps?mine=',
    '/api/swaps?status=',
  ])('GET %s<random> gives <500', async (u) => {
    await fc.assert(
      fc.asyncProperty(idLike, async (v) => {
        await sendAndJudge(admin, 'GET', u + v, { payload: '', headers: {} });
      }),
      { numRuns: 25, examples: [['2147483648'], ['%00']] },
    );
  });

  it('a coverage window longer than a roster allows → 400 shift.range, and the fuzzer’s shift is listed', async () => {
    const long = await admin.get<{ code: string }>(
      `/api/rosters/coverage?node=${defencePlace.node.id}&from=2030-01-01T00:00:00Z&to=2031-01-01T00:00:00Z`,
    );
    expect(long.status).toBe(400);
    expect(long.body.code).toBe('shift.range');
    const ok = await admin.get<{ items: { id: number }[] }>(
      `/api/rosters/coverage?checkpointId=${defencePlace.checkpoint}&from=2030-05-31T00:00:00Z&to=2030-06-02T00:00:00Z`,
    );
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.items.map((s) => s.id)).toContain(defencePlace.shift);
  });
});

// ================================================================== passages and hand-offs
// A checkpoint in a grid of the fuzzer's own with a risky passage handed off to that grid: the
// targets of the passage and hand-off routes. The write loop above fuzzes their bodies (a
// registration needs its Idempotency-Key header too, so its bodies meet the schema and then the
// header check); the suite below fuzzes the list, statistics and region queries.
let passagePlace: { node: TreeNode; checkpoint: number; passage: number; handoff: number };
beforeAll(async () => {
  const node = await scratchChild(db, tree.villages[3]!, 'grid');
  const cp = await admin.post<{ id: number }>('/api/checkpoints', {
    name: '模糊登记卡口',
    type: 'road',
    nodeId: node.id,
    staffPerShift: 1,
  });
  expect(cp.status, JSON.stringify(cp.body)).toBe(201);
  const body = {
    checkpointId: cp.body.id,
    direction: 'in',
    plate: '浙A12345',
    people: [{ name: '模糊旅客', phone: '13900000009' }],
    originRegion: '420102',
    destinationNodeId: node.id,
    answers: { caseContact: true },
  };
  const p = await admin.request<{ id: number; people: { handoffId: number }[] }>({
    method: 'POST',
    url: '/api/passages',
    headers: { 'idempotency-key': 'fuzz-passage-0001' },
    payload: body,
  });
  expect(p.status, JSON.stringify(p.body)).toBe(201);
  passagePlace = { node, checkpoint: cp.body.id, passage: p.body.id, handoff: p.body.people[0]!.handoffId };
  Object.assign(SECTION_TARGETS, { 'passages:id': p.body.id, 'handoffs:id': p.body.people[0]!.handoffId });
  Object.assign(SECTION_SAMPLES, {
    'POST /api/passages': { ...body, plate: '浙A54321' },
    'PUT /api/commands/:id/risk-rules': { keyRegions: ['420100'], feverAt: 37.5, handoffHours: 12 },
    'POST /api/handoffs/:id/steps': { action: 'visit', note: '已走访' },
  });
});

// ================================================================== home observation
// An order for a person of a grid of the fuzzer's own: the target of the observation routes.
beforeAll(async () => {
  const node = await scratchChild(db, tree.villages[3]!, 'grid');
  const person = await admin.post<{ id: number }>('/api/people', {
    name: '模糊观察对象',
    noIdReason: 'not_collected',
    nodeId: node.id,
    residenceType: 'registered',
  });
  expect(person.status, JSON.stringify(person.body)).toBe(201);
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const o = await admin.post<{ id: number }>('/api/observations', {
    personId: person.body.id,
    startDate: today,
    days: 14,
    reason: '密切接触者',
  });
  expect(o.status, JSON.stringify(o.body)).toBe(201);
  Object.assign(SECTION_TARGETS, { 'observations:id': o.body.id, 'follow-ups:date': today });
  Object.assign(SECTION_SAMPLES, {
    'POST /api/observations': { personId: person.body.id, startDate: today, days: 7, reason: '复查' },
    'PUT /api/observations/:id/follow-ups/:date': { outcome: 'well', temperature: 36.5, symptoms: [] },
    'POST /api/observations/:id/steps': { action: 'extend', days: 1, reason: '延期' },
    'POST /api/observations/:id/follow-ups/:date/handled': {},
  });
});

describe('fuzzing the observation queries', () => {
  it.each([
    '/api/observations?node=',
    '/api/observations?status=',
    '/api/observations/stats?node=',
    '/api/observations/carers?personId=',
  ])('GET %s<random> gives <500', async (u) => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer().map(String), fc.constantFrom('0', '2147483648', '1e3', 'active', '%00')),
        async (v) => {
          await sendAndJudge(admin, 'GET', u + v, { payload: '', headers: {} });
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('fuzzing the passage queries', () => {
  it('every passage and hand-off route has a target for each :id and a sample for each body', () => {
    const routes = t.app.linliRoutes.filter(
      (r) =>
        (/^\/api\/(passages|handoffs|regions)(\/|$)/.test(r.url) || r.url.endsWith('/risk-rules')) &&
        r.method !== 'HEAD',
    );
    expect(routes.length).toBe(13);
    for (const r of routes) {
      expect(() => concreteUrl(r.url), routeKey(r)).not.toThrow();
      if (r.method !== 'GET' && r.method !== 'DELETE')
        expect(sampleBody(routeKey(r)), routeKey(r)).toBeDefined();
    }
  });

  const anyText = fc.oneof(
    fc.integer().map(String),
    fc.constantFrom('0', '-1', '2147483648', '1e3', 'abc', '%00', '浙A12345', 'true', '2030-06-01', '%E4%B8'),
    fc.string({ maxLength: 16 }).map(encodeURIComponent),
  );
  it.each([
    '/api/passages?node=',
    '/api/passages?checkpointId=',
    '/api/passages?plate=',
    '/api/passages?idNumber=',
    '/api/passages?name=',
    '/api/passages?risky=',
    '/api/passages?from=',
    '/api/passages/recall?plate=',
    '/api/passages/recall?idNumber=',
    '/api/passages/stats?to=2030-06-02T00:00:00Z&from=',
    '/api/passages/stats?from=2030-05-31T00:00:00Z&to=2030-06-02T00:00:00Z&node=',
    '/api/passages/outbound-risk?command=',
    '/api/regions?q=',
    '/api/handoffs?node=',
    '/api/handoffs?state=',
  ])('GET %s<random> gives <500', async (u) => {
    await fc.assert(
      fc.asyncProperty(anyText, async (v) => {
        await sendAndJudge(admin, 'GET', u + v, { payload: '', headers: {} });
      }),
      { numRuns: 20, examples: [['2147483648'], ['%00']] },
    );
  });

  it('a registration without its key, or with one reused for another body, writes nothing', async () => {
    const body = {
      checkpointId: passagePlace.checkpoint,
      direction: 'out',
      people: [{ name: '模糊二' }],
    };
    const none = await sendAndJudge(admin, 'POST', '/api/passages', json(body));
    expect(none.status).toBe(400);
    const reused = await sendAndJudge(admin, 'POST', '/api/passages', {
      ...json(body),
      headers: { 'content-type': 'application/json', 'idempotency-key': 'fuzz-passage-0001' },
    });
    expect(reused.status).toBe(409);
    const one = await admin.get<{ id: number }>(`/api/passages/${passagePlace.passage}`);
    expect(one.body.id).toBe(passagePlace.passage);
  });
});

// ================================================================== screening sweeps
// A village of the fuzzer's own with a grid of floating residents, a command there and two sweeps over
// it: the close route's own (the generic loop closes it), and the one every other route aims at, with
// a seconded cadre paired to the grid (the unpairing's target). The write loop above fuzzes their
// bodies; the suite below fuzzes the answers against the questionnaire and the sweeps' queries.
let sweepPlace: { village: TreeNode; grid: TreeNode; sweep: number; targets: number[] };
const calmAnswers = { returned_key_area: false, close_contact: false, temperature: 36.5, symptoms: [] };
beforeAll(async () => {
  const village = await scratchChild(db, tree.towns[1]!, 'village');
  const grid = await scratchChild(db, village, 'grid');
  for (let i = 0; i < 40; i++)
    await insertPerson(db, grid, {
      name: `模糊摸排${i}`,
      idNumber: nthIdNumber(100 + i, '330198'),
      residenceType: 'floating',
    });
  const command = await admin.post<{ id: number }>('/api/commands', {
    name: '模糊摸排指挥部',
    responseLevel: 'III',
    nodeId: village.id,
  });
  expect(command.status, JSON.stringify(command.body)).toBe(201);
  const q = await db
    .selectFrom('questionnaires')
    .select('id')
    .where('code', '=', 'epidemic_screening')
    .orderBy('version')
    .executeTakeFirstOrThrow();
  const body = {
    name: '模糊摸排',
    commandId: command.body.id,
    questionnaireId: q.id,
    nodeId: village.id,
    population: { kind: 'floating' },
    deadline: '2031-12-31',
  };
  const sweep = await admin.post<{ id: number }>('/api/sweeps', body);
  const toClose = await admin.post<{ id: number }>('/api/sweeps', body);
  expect(sweep.status, JSON.stringify(sweep.body)).toBe(201);
  expect(toClose.status, JSON.stringify(toClose.body)).toBe(201);
  const helper = await makeUser(db, 'fuzz_seconded', [{ role: 'seconded_cadre', node: tree.district }]);
  const paired = await admin.post(`/api/sweeps/${sweep.body.id}/pairings`, {
    gridId: grid.id,
    userId: helper,
  });
  expect(paired.status, JSON.stringify(paired.body)).toBe(201);
  const targets = (
    await db
      .selectFrom('sweep_targets')
      .select('id')
      .where('sweep_id', '=', sweep.body.id)
      .orderBy('id')
      .execute()
  ).map((r) => r.id);
  sweepPlace = { village, grid, sweep: sweep.body.id, targets };
  Object.assign(SECTION_TARGETS, {
    'sweeps:id': sweep.body.id,
    // The first target goes to the write loop; the answers suite below takes the others.
    'targets:targetId': targets[0]!,
    'questionnaires:id': q.id,
  });
  Object.assign(SECTION_URLS, {
    '/api/sweeps/:id/close': `/api/sweeps/${toClose.body.id}/close`,
    // Two parameters in a row, which concreteUrl's /<segment>/:<param> pairs cannot name.
    '/api/sweeps/:id/pairings/:gridId/:userId': `/api/sweeps/${sweep.body.id}/pairings/${grid.id}/${helper}`,
  });
  Object.assign(SECTION_SAMPLES, {
    'POST /api/questionnaires': {
      code: 'fuzz_q',
      title: { zh: '模糊问卷', en: 'Fuzz' },
      definition: {
        questions: [
          { key: 'back', type: 'yes_no', label: { zh: '返回', en: 'Back' }, required: true },
          {
            key: 'where',
            type: 'single',
            label: { zh: '哪里', en: 'Where' },
            options: [
              { value: 'north', label: { zh: '北', en: 'North' } },
              { value: 'south', label: { zh: '南', en: 'South' } },
            ],
            showIf: { key: 'back', equals: true },
          },
          { key: 'temp', type: 'number', label: { zh: '体温', en: 'Temp' }, min: 34, max: 43, unit: '°C' },
        ],
        riskRules: [{ level: 'high', when: [{ key: 'temp', op: 'gte', value: 37.3 }] }],
      },
    },
    'POST /api/sweeps': { ...body, name: '模糊新摸排' },
    'POST /api/sweeps/:id/close': {},
    'POST /api/sweeps/:id/targets/:targetId/visit': {
      outcome: 'answered',
      answers: calmAnswers,
      note: '模糊',
    },
    'POST /api/sweeps/:id/found': {
      gridId: grid.id,
      name: '模糊现场',
      idNumber: nthIdNumber(1, '330198'),
      phone: '13900000010',
      address: '模糊路3号',
    },
    'POST /api/sweeps/:id/pairings': { gridId: grid.id, userId: helper },
    'POST /api/sweeps/:id/export': { node: village.id },
  });
});

describe('fuzzing the screening sweeps', () => {
  it('every sweep and questionnaire route has a target for each :id and a sample for each body', () => {
    const routes = t.app.linliRoutes.filter(
      (r) => /^\/api\/(sweeps|questionnaires)(\/|$)/.test(r.url) && r.method !== 'HEAD',
    );
    expect(routes.length).toBe(17);
    for (const r of routes) {
      expect(() => routeUrl(r.url), routeKey(r)).not.toThrow();
      expect(routeUrl(r.url), routeKey(r)).not.toContain('/:');
      if (r.method === 'POST' && !MULTIPART.has(routeKey(r)))
        expect(sampleBody(routeKey(r)), routeKey(r)).toBeDefined();
    }
  });

  it('a sweep list upload of any shape (fields, bytes, CSV of odd numbers, broken XLSX) gives <500 and writes nothing on 4xx', async () => {
    const q = await db.selectFrom('questionnaires').select('id').orderBy('id').executeTakeFirstOrThrow();
    const command = await db
      .selectFrom('sweeps')
      .select('command_id')
      .where('id', '=', sweepPlace.sweep)
      .executeTakeFirstOrThrow();
    const file = fc.oneof(
      fc.record({
        name: fc.constantFrom('a.csv', 'a.xlsx', 'a.txt', 'noext'),
        data: fc.uint8Array({ maxLength: 1000 }).map((u) => Buffer.from(u)),
      }),
      fc
        .array(
          fc.oneof(
            weirdString.filter((s) => s.length < 40),
            fc.constant(nthIdNumber(100, '330198')),
          ),
          {
            maxLength: 5,
          },
        )
        .map((ids) => ({ name: 'l.csv', data: Buffer.from(toCsv([['身份证号'], ...ids.map((i) => [i])])) })),
      fc.uint8Array({ maxLength: 300 }).map((u) => ({
        name: 'z.xlsx',
        data: Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from(u)]),
      })),
    );
    const field = fc.oneof(
      weirdString.filter((s) => s.length < 30),
      fc.constant(''),
    );
    await fc.assert(
      fc.asyncProperty(file, field, fc.boolean(), async (f, junk, good) => {
        const body = multipart([
          { name: 'name', data: good ? '名单模糊' : junk },
          { name: 'commandId', data: good ? String(command.command_id) : junk },
          { name: 'questionnaireId', data: String(q.id) },
          { name: 'nodeId', data: String(sweepPlace.village.id) },
          { name: 'deadline', data: good ? '2031-12-31' : junk },
          { name: 'file', filename: f.name, data: f.data },
        ]);
        await sendAndJudge(admin, 'POST', '/api/sweeps/import', body);
      }),
      { numRuns: 40 },
    );
  });

  // Answers of any shape, to the questions asked and to others, each run on a target not yet visited.
  const answerValue = fc.oneof(
    fc.boolean(),
    fc.double(),
    fc.integer({ min: 30, max: 45 }),
    fc.constantFrom('', ' ', '武汉', '2030-02-30', '2030-01-20', 'fever', 'cough', 'x'.repeat(501)),
    fc.array(fc.constantFrom('fever', 'cough', 'sneeze', 'fever'), { maxLength: 4 }),
    fc.constant(null),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
  );
  const answerKey = fc.constantFrom(
    'returned_key_area',
    'returned_from',
    'returned_on',
    'close_contact',
    'temperature',
    'symptoms',
    'unknown',
    'constructor',
    '__proto__',
    'Bad-Key',
  );
  it('random answers → <500; a 4xx leaves the target unvisited; a 200 stores a risk level', async () => {
    let next = 1;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(answerKey, answerValue, { maxKeys: 7 }),
        fc.boolean(),
        async (edits, fromCalm) => {
          const target = sweepPlace.targets[next++ % sweepPlace.targets.length]!;
          const answers = fromCalm ? { ...calmAnswers, ...edits } : edits;
          const res = await sendAndJudge(
            admin,
            'POST',
            `/api/sweeps/${sweepPlace.sweep}/targets/${target}/visit`,
            json({ outcome: 'answered', answers }),
          );
          const row = await db
            .selectFrom('sweep_targets')
            .select(['status', 'risk', 'visits'])
            .where('id', '=', target)
            .executeTakeFirstOrThrow();
          if (res.status === 200) expect(['low', 'medium', 'high']).toContain(row.risk);
          else if (res.status !== 409) expect(row).toMatchObject({ status: 'pending', visits: 0 });
        },
      ),
      { numRuns: 38 },
    );
  });

  const anyText = fc.oneof(
    fc.integer().map(String),
    fc.constantFrom('0', '-1', '2147483648', '1e3', 'abc', '%00', 'open', 'closed', '%E4%B8'),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
  it.each([
    '/api/sweeps?status=',
    '/api/sweeps?unknown=',
    '/api/sweeps/:id/progress?node=',
    '/api/sweeps/:id/list?node=',
    '/api/sweeps/:id/pairings?node=',
    '/api/sweeps/:id/helpers?gridId=',
  ])('GET %s<random> gives <500', async (u) => {
    const url = u.replace(':id', String(sweepPlace.sweep));
    await fc.assert(
      fc.asyncProperty(anyText, async (v) => {
        await sendAndJudge(admin, 'GET', url + v, { payload: '', headers: {} });
      }),
      { numRuns: 20, examples: [['2147483648'], ['%00']] },
    );
  });

  it('an export with a node outside the sweep is 404, with a node of another type 400; neither writes', async () => {
    const far = await sendAndJudge(
      admin,
      'POST',
      `/api/sweeps/${sweepPlace.sweep}/export`,
      json({ node: tree.grids[0]!.id }),
    );
    expect(far.status).toBe(404);
    const odd = await sendAndJudge(
      admin,
      'POST',
      `/api/sweeps/${sweepPlace.sweep}/export`,
      json({ node: 'x' }),
    );
    expect(odd.status).toBe(400);
  });
});

// ================================================================== joint mediation
// A village of the fuzzer's own in town B with its committee, a court and a micro-court point, a
// mediator of the committee, and a case for each route in the state the route acts on (received,
// consented, mediating with a session, signing, agreed with its follow-up visit, sent for
// confirmation), hearings booked at the point, a party's own link and a one-time signing link: so
// that a body that passes validation reaches the service's rules. The write loop above fuzzes their
// bodies; the suite below fuzzes the evidence and verify uploads and the lists' queries.
let mediationPlace: { village: TreeNode; evidenceCase: number };
beforeAll(async () => {
  const village = await scratchChild(db, tree.towns[1]!, 'village');
  const grid = await scratchChild(db, village, 'grid');
  const org = async (kind: string, name: string) => {
    const res = await admin.post<{ id: number }>('/api/mediation/orgs', { kind, name, nodeId: village.id });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  const committee = await org('committee', '模糊人民调解委员会');
  const court = await org('court', '模糊人民法院');
  const point = await org('micro_court', '模糊微法庭');
  const mediatorUser = await makeUser(db, 'fuzz_mediator', [{ role: 'mediator', node: village }]);
  const spare = await makeUser(db, 'fuzz_mediator2', [{ role: 'mediator', node: village }]);
  const registered = await admin.post<{ id: number }>('/api/mediation/mediators', {
    userId: mediatorUser,
    orgId: committee,
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const mediator = await t.login('fuzz_mediator');
  const step = async <T = CaseView>(url: string, body?: unknown, status = 200, c: Client = admin) => {
    const res = await c.post<T>(url, body);
    expect(res.status, `${url} ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  let k = 0;
  type Stage = 'received' | 'consented' | 'mediating' | 'signing' | 'agreed';
  const caseIn = async (stage: Stage, disputeType = 'neighbour') => {
    const n = ++k;
    const parties = [
      {
        side: 'applicant',
        name: `模糊甲${n}`,
        idNumber: nthIdNumber(600 + 2 * n, '330197'),
        phone: nthPhone(n, '134'),
      },
      { side: 'respondent', name: `模糊乙${n}`, idNumber: nthIdNumber(601 + 2 * n, '330197') },
    ];
    const v = await step(
      '/api/mediation/cases',
      { nodeId: grid.id, source: 'initiative', disputeType, facts: `模糊纠纷${n}`, claims: '模糊', parties },
      201,
    );
    const c = {
      id: v.id,
      parties: v.parties.map((p, i) => ({ id: p.id, name: p.name, idNumber: parties[i]!.idNumber })),
      session: 0,
      agreement: 0,
      followUp: 0,
    };
    const url = `/api/mediation/cases/${c.id}`;
    if (stage === 'received') return c;
    for (const p of c.parties) await step(`${url}/consent`, { partyId: p.id, consent: 'yes' });
    if (stage === 'consented') return c;
    await step(`${url}/assign`, { mediatorId: registered.body.id });
    // A create answers its new record: the session, then the agreement.
    const s = await step<{ id: number }>(
      `${url}/sessions`,
      { startsAt: '2031-03-01T02:00:00Z', mode: 'in_person' },
      201,
    );
    c.session = s.id;
    if (stage === 'mediating') return c;
    const d = await step<{ id: number }>(
      `${url}/agreement`,
      {
        facts: '模糊事实',
        disputedPoints: '模糊争议',
        obligations: [
          { partyId: c.parties[1]!.id, what: '赔偿', amountYuan: 10, manner: '转账', deadline: '2031-06-01' },
        ],
      },
      201,
    );
    c.agreement = d.id;
    if (stage === 'signing') return c;
    for (const p of c.parties)
      await step(`/api/mediation/agreements/${c.agreement}/assisted-sign`, {
        partyId: p.id,
        idChecked: true,
      });
    await step(`/api/mediation/agreements/${c.agreement}/sign`, undefined, 200, mediator);
    c.followUp = (
      await db
        .selectFrom('mediation_follow_ups')
        .select('id')
        .where('case_id', '=', c.id)
        .executeTakeFirstOrThrow()
    ).id;
    return c;
  };
  const apply = async (c: { agreement: number }) => {
    // The application answers itself (a create answers its new record).
    const a = await step<{ id: number }>(
      `/api/mediation/agreements/${c.agreement}/confirmation`,
      { courtId: court, materials: ['application_form', 'agreement'] },
      201,
    );
    return a.id;
  };
  const book = async (startsAt: string, endsAt: string) =>
    (
      await step<HearingView>(
        '/api/hearings',
        {
          pointId: point,
          title: '模糊庭审',
          startsAt,
          endsAt,
          participants: [{ name: '模糊', place: 'point' }],
        },
        201,
      )
    ).id;

  const cases = {
    consent: await caseIn('received'),
    assign: await caseIn('consented'),
    withdraw: await caseIn('received'),
    escalate: await caseIn('received'),
    refer: await caseIn('received'),
    fail: await caseIn('mediating'),
    joint: await caseIn('received', 'marriage_family'),
    reveal: await caseIn('received'),
    partyLinks: await caseIn('received'),
    evidence: await caseIn('received'),
    sessions: await caseIn('mediating'),
    minutes: await caseIn('mediating'),
    messages: await caseIn('received'),
    agreement: await caseIn('mediating'),
    revise: await caseIn('signing'),
    links: await caseIn('signing'),
    sign: await caseIn('signing'),
    assisted: await caseIn('signing'),
    publicSign: await caseIn('signing'),
    confirmation: await caseIn('agreed'),
    followUp: await caseIn('agreed'),
    partyConsent: await caseIn('received'),
  };
  const accept = await apply(await caseIn('agreed'));
  const decide = await apply(await caseIn('agreed'));
  await step(`/api/mediation/confirmations/${decide}/accept`, { accept: true });
  const attend = await book('2031-01-05T01:00:00Z', '2031-01-05T02:00:00Z');
  const cancel = await book('2031-01-05T03:00:00Z', '2031-01-05T04:00:00Z');
  // The respondent's own link, the applicant's own link from the public form, a one-time signing link.
  const own = await step<{ items: { partyId: number; token: string }[] }>(
    `/api/mediation/cases/${cases.partyConsent.id}/party-links`,
  );
  const partyToken = own.items.find((l) => l.partyId === cases.partyConsent.parties[1]!.id)!.token;
  const application = {
    nodeId: grid.id,
    disputeType: 'neighbour',
    facts: '模糊申请',
    claims: '模糊',
    applicant: { name: '模糊申请人', idNumber: nthIdNumber(700, '330197'), phone: '13400000700' },
    respondents: [{ name: '模糊被申请人' }],
  };
  const applied = await anon.post<{ partyToken: string }>('/api/public/mediation/applications', application);
  expect(applied.status, JSON.stringify(applied.body)).toBe(201);
  const signLinks = await step<{ items: { partyId: number; token: string }[] }>(
    `/api/mediation/agreements/${cases.publicSign.agreement}/links`,
  );
  const signer = cases.publicSign.parties.find((p) => p.id === signLinks.items[0]!.partyId)!;

  mediationPlace = { village, evidenceCase: cases.evidence.id };
  const c = (x: { id: number }, rest: string) => `/api/mediation/cases/${x.id}${rest}`;
  const a = (x: { agreement: number }, rest: string) => `/api/mediation/agreements/${x.agreement}${rest}`;
  Object.assign(SECTION_URLS, {
    '/api/mediation/cases/:id/consent': c(cases.consent, '/consent'),
    '/api/mediation/cases/:id/assign': c(cases.assign, '/assign'),
    '/api/mediation/cases/:id/withdraw': c(cases.withdraw, '/withdraw'),
    '/api/mediation/cases/:id/escalate': c(cases.escalate, '/escalate'),
    '/api/mediation/cases/:id/refer': c(cases.refer, '/refer'),
    '/api/mediation/cases/:id/fail': c(cases.fail, '/fail'),
    '/api/mediation/cases/:id/joint': c(cases.joint, '/joint'),
    '/api/mediation/cases/:id/parties/:partyId/reveal': c(
      cases.reveal,
      `/parties/${cases.reveal.parties[0]!.id}/reveal`,
    ),
    '/api/mediation/cases/:id/party-links': c(cases.partyLinks, '/party-links'),
    '/api/mediation/cases/:id/evidence': c(cases.evidence, '/evidence'),
    '/api/mediation/cases/:id/sessions': c(cases.sessions, '/sessions'),
    '/api/mediation/cases/:id/sessions/:sessionId/minutes': c(
      cases.minutes,
      `/sessions/${cases.minutes.session}/minutes`,
    ),
    '/api/mediation/cases/:id/messages': c(cases.messages, '/messages'),
    '/api/mediation/cases/:id/agreement': c(cases.agreement, '/agreement'),
    '/api/mediation/cases/:id/revise': c(cases.revise, '/revise'),
    '/api/mediation/agreements/:id/links': a(cases.links, '/links'),
    '/api/mediation/agreements/:id/sign': a(cases.sign, '/sign'),
    '/api/mediation/agreements/:id/assisted-sign': a(cases.assisted, '/assisted-sign'),
    '/api/mediation/agreements/:id/confirmation': a(cases.confirmation, '/confirmation'),
    '/api/mediation/confirmations/:id/accept': `/api/mediation/confirmations/${accept}/accept`,
    '/api/mediation/confirmations/:id/decide': `/api/mediation/confirmations/${decide}/decide`,
    '/api/hearings/:id/attendance': `/api/hearings/${attend}/attendance`,
    '/api/hearings/:id/cancel': `/api/hearings/${cancel}/cancel`,
    '/api/mediation/follow-ups/:id': `/api/mediation/follow-ups/${cases.followUp.followUp}`,
    '/api/public/mediation/party/:token/consent': `/api/public/mediation/party/${partyToken}/consent`,
    '/api/public/mediation/party/:token/messages': `/api/public/mediation/party/${applied.body.partyToken}/messages`,
    '/api/public/mediation/sign/:token': `/api/public/mediation/sign/${signLinks.items[0]!.token}`,
  });
  Object.assign(SECTION_SAMPLES, {
    'POST /api/mediation/orgs': {
      kind: 'micro_court',
      name: '模糊新微法庭',
      nodeId: village.id,
      address: '模糊路4号',
      equipment: '一体机',
      hours: '9:00-17:00',
      inChargeUserId: spare,
    },
    'POST /api/mediation/mediators': {
      userId: spare,
      orgId: committee,
      specialties: ['neighbour', 'contract'],
      qualification: '模糊',
      profile: '模糊',
    },
    'POST /api/mediation/cases': {
      nodeId: grid.id,
      source: 'event',
      disputeType: 'land_housing',
      facts: '模糊新纠纷',
      claims: '模糊',
      amountYuan: 1000.5,
      eventId: ids.event,
      parties: [
        { side: 'applicant', kind: 'org', name: '模糊公司', agent: '模糊代理人' },
        { side: 'respondent', name: '模糊丙', idNumber: nthIdNumber(702, '330197'), phone: '13400000702' },
      ],
    },
    'POST /api/mediation/cases/:id/consent': {
      partyId: cases.consent.parties[0]!.id,
      consent: 'yes',
      online: true,
    },
    'POST /api/mediation/cases/:id/assign': { mediatorId: registered.body.id, chosenByParties: true },
    'POST /api/mediation/cases/:id/withdraw': { reason: '模糊撤回' },
    'POST /api/mediation/cases/:id/escalate': { reason: '模糊上移' },
    'POST /api/mediation/cases/:id/refer': { reason: '模糊移交' },
    'POST /api/mediation/cases/:id/fail': { route: 'arbitration', note: '模糊' },
    'POST /api/mediation/cases/:id/sessions': {
      startsAt: '2031-04-01T02:00:00+08:00',
      mode: 'micro_court',
      kind: 'caucus',
      pointId: point,
    },
    'POST /api/mediation/cases/:id/sessions/:sessionId/minutes': {
      attendance: cases.minutes.parties.map((p) => p.id),
      attendees: ['模糊甲', '模糊乙'],
      facts: '模糊',
      positions: '模糊',
      result: '模糊',
    },
    'POST /api/mediation/cases/:id/messages': { body: '模糊留言', toAll: true },
    'POST /api/mediation/cases/:id/agreement': {
      facts: '模糊事实',
      disputedPoints: '模糊争议',
      obligations: [
        {
          partyId: cases.agreement.parties[1]!.id,
          what: '模糊',
          amountYuan: 1,
          manner: '现金',
          deadline: '2031-06-01',
        },
      ],
      otherTerms: '模糊',
    },
    'POST /api/mediation/agreements/:id/assisted-sign': {
      partyId: cases.assisted.parties[0]!.id,
      idChecked: true,
    },
    'POST /api/mediation/agreements/:id/confirmation': {
      courtId: court,
      materials: ['application_form', 'agreement', 'identity_documents'],
      matters: ['personal_status'],
    },
    'POST /api/mediation/confirmations/:id/accept': { accept: false, reason: '模糊' },
    'POST /api/mediation/confirmations/:id/decide': { confirm: true, ruling: '模糊裁定' },
    'POST /api/hearings': {
      pointId: point,
      caseId: cases.consent.id,
      title: '模糊新庭审',
      startsAt: '2031-02-01T02:00:00Z',
      endsAt: '2031-02-01T03:00:00Z',
      participants: [
        { name: '模糊', place: 'court' },
        { name: '模糊二', place: 'home' },
      ],
    },
    'POST /api/hearings/:id/attendance': { present: [0], idChecked: true },
    'POST /api/mediation/follow-ups/:id': { performance: 'partial', satisfaction: 3, note: '模糊' },
    'POST /api/public/mediation/applications': { ...application, facts: '模糊新申请', online: false },
    'POST /api/public/mediation/party/:token/consent': { consent: 'yes', online: true },
    'POST /api/public/mediation/party/:token/messages': { body: '模糊当事人留言' },
    'POST /api/public/mediation/sign/:token': { name: signer.name, idNumber: signer.idNumber },
  });
});

describe('fuzzing joint mediation', () => {
  it('every mediation and hearing route has a target for each :id and a sample for each body', () => {
    const routes = t.app.linliRoutes.filter(
      (r) =>
        /^\/api\/(mediation|hearings|public\/mediation)(\/|$)/.test(r.url) &&
        r.method !== 'HEAD' &&
        r.method !== 'GET',
    );
    expect(routes.length).toBe(33);
    // Routes without a body, or with a multipart one, have no sample.
    const NO_BODY = new Set([
      'POST /api/mediation/cases/:id/joint',
      'POST /api/mediation/cases/:id/parties/:partyId/reveal',
      'POST /api/mediation/cases/:id/party-links',
      'POST /api/mediation/cases/:id/evidence',
      'POST /api/mediation/cases/:id/revise',
      'POST /api/mediation/agreements/:id/links',
      'POST /api/mediation/agreements/:id/sign',
      'POST /api/mediation/agreements/verify',
      'POST /api/hearings/:id/cancel',
    ]);
    for (const r of routes) {
      expect(() => routeUrl(r.url), routeKey(r)).not.toThrow();
      expect(routeUrl(r.url), routeKey(r)).not.toContain('/:');
      if (!NO_BODY.has(routeKey(r))) expect(sampleBody(routeKey(r)), routeKey(r)).toBeDefined();
    }
  });

  const file = fc.oneof(
    fc.record({
      name: fc.constantFrom('e.txt', 'e.pdf', 'e.png', 'e.docx', 'e.exe', 'noext', '../../e.txt', '证据.txt'),
      data: fc.uint8Array({ maxLength: 600 }).map((u) => Buffer.from(u)),
    }),
    fc
      .string({ unit: 'grapheme', maxLength: 200 })
      .map((s) => ({ name: 'note.txt', data: Buffer.from(s, 'utf8') })),
    fc.uint8Array({ maxLength: 300 }).map((u) => ({
      name: 'a.pdf',
      data: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(u)]),
    })),
  );
  const partyField = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('1', '0', '-1', '2147483648', 'abc', '', '999999'),
    fc.integer().map(String),
  );
  it('evidence of any shape (bytes, odd names, odd party ids) gives <500; a 4xx keeps nothing', async () => {
    await fc.assert(
      fc.asyncProperty(file, partyField, async (f, partyId) => {
        const body = multipart([
          ...(partyId === undefined ? [] : [{ name: 'partyId', data: partyId }]),
          { name: 'file', filename: f.name, data: f.data },
        ]);
        await sendAndJudge(
          admin,
          'POST',
          `/api/mediation/cases/${mediationPlace.evidenceCase}/evidence`,
          body,
        );
      }),
      { numRuns: 40 },
    );
  });

  it('a file of any shape to verify gives <500 and writes nothing; no match says nothing of any agreement', async () => {
    await fc.assert(
      fc.asyncProperty(file, async (f) => {
        const res = await sendAndJudge(
          anon,
          'POST',
          '/api/mediation/agreements/verify',
          multipart([{ name: 'file', filename: f.name, data: f.data }]),
        );
        if (res.status === 200) expect(res.body).toEqual({ matches: false });
      }),
      { numRuns: 30 },
    );
  });

  const anyText = fc.oneof(
    fc.integer().map(String),
    fc.constantFrom(
      '0',
      '-1',
      '2147483648',
      '1e3',
      'abc',
      '%00',
      'received',
      'committee',
      '2030-02-30',
      '2031-01-05',
      '%E4%B8',
      '1',
    ),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
  it.each([
    '/api/mediation/orgs?kind=',
    '/api/mediation/orgs?node=',
    '/api/mediation/mediators?org=',
    '/api/mediation/cases?node=',
    '/api/mediation/cases?status=',
    '/api/mediation/cases?mine=',
    '/api/mediation/cases?page=',
    '/api/mediation/cases?pageSize=',
    '/api/mediation/agreements?status=',
    '/api/mediation/agreements?confirmation=',
    '/api/mediation/confirmations?status=',
    '/api/hearings?day=',
    '/api/hearings?point=',
    '/api/mediation/stats?node=',
    '/api/mediation/stats?org=',
    '/api/mediation/stats?mediator=',
    '/api/mediation/stats?from=',
    '/api/mediation/stats?from=2026-01-01&to=',
    '/api/mediation/stats/export?to=2026-12-31&from=',
  ])('GET %s<random> gives <500', async (u) => {
    await fc.assert(
      fc.asyncProperty(anyText, async (v) => {
        await sendAndJudge(admin, 'GET', u + v, { payload: '', headers: {} });
      }),
      { numRuns: 20, examples: [['2147483648'], ['%00']] },
    );
  });

  it('a statistics period that ends before it starts → 400 mediation.period; a node outside the tree → 404', async () => {
    const back = await sendAndJudge(admin, 'GET', '/api/mediation/stats?from=2026-02-01&to=2026-01-01', {
      payload: '',
      headers: {},
    });
    expect(back.status).toBe(400);
    expect((back.body as { code: string }).code).toBe('mediation.period');
    const far = await sendAndJudge(admin, 'GET', '/api/mediation/stats?node=999999', {
      payload: '',
      headers: {},
    });
    expect(far.status).toBe(404);
  });
});

// ================================================================== joint services
// A village of the fuzzer's own in town B with an organisation, a volunteer with an account (joined
// by invitation), call-outs (one starting tomorrow, one under way with the volunteer checked in),
// service requests in each state a step acts on (open, accepted by the volunteer, done) and a care
// roster entry: so that a body that passes validation reaches the service's rules. The write loop
// above fuzzes their bodies; the suite below fuzzes the two uploads and the lists' queries.
let servicesPlace: { grid: TreeNode; accepted: number };
beforeAll(async () => {
  const village = await scratchChild(db, tree.towns[1]!, 'village');
  const grid = await scratchChild(db, village, 'grid');
  const made = async <T = { id: number }>(p: Promise<TestResponse<unknown>>, status = 201) => {
    const res = await p;
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body as T;
  };
  const org = await made(
    admin.post('/api/services/orgs', { kind: 'ngo', name: '模糊志愿队', nodeId: village.id }),
  );
  const inv = await made<{ token: string }>(
    admin.post('/api/services/invitations', { nodeId: village.id, orgId: org.id }),
  );
  const joined = await made<{ volunteerId: number }>(
    anon.post(`/api/public/join/${inv.token}`, {
      name: '模糊志愿者',
      idNumber: nthIdNumber(800, '330197'),
      phone: '13400000800',
      nodeId: grid.id,
      username: 'fuzz_volunteer',
      password: 'correct-horse-battery',
      consent: true,
      skills: ['companionship'],
    }),
  );
  const volunteer = await t.login('fuzz_volunteer');
  const soon = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
  const callout = (startsIn: number, title: string) =>
    made(
      admin.post('/api/callouts', {
        nodeId: village.id,
        title,
        meetingPoint: '模糊广场',
        startsAt: soon(startsIn),
        endsAt: soon(startsIn + 240),
        capacity: 5,
      }),
    );
  const tomorrow = await callout(24 * 60, '模糊召集');
  const underWay = await callout(-5, '模糊进行中召集');
  await made(volunteer.post(`/api/callouts/${tomorrow.id}/signups`));
  await made(volunteer.post(`/api/callouts/${underWay.id}/signups`));
  await made(volunteer.post(`/api/callouts/${underWay.id}/check-in`, {}), 200);
  const closing = await callout(24 * 60, '模糊待结束召集');
  const cancelling = await callout(24 * 60, '模糊待取消召集');
  const request = async (name: string) =>
    (
      await made(
        admin.post('/api/service-requests', {
          personId: await insertPerson(db, grid, { name, tags: ['elderly_alone'] }),
          kind: 'companionship',
        }),
      )
    ).id;
  // The volunteer of the grid is matched at once: assigned, then taken (accepted), then done.
  const assigned = await request('模糊求助甲');
  const accepted = await request('模糊求助乙');
  await made(volunteer.post(`/api/service-requests/${accepted}/accept`), 200);
  const done = await request('模糊求助丙');
  await made(volunteer.post(`/api/service-requests/${done}/accept`), 200);
  await made(
    volunteer.request({
      method: 'POST',
      url: `/api/service-requests/${done}/complete`,
      ...multipart([
        { name: 'note', data: '模糊完成' },
        { name: 'minutes', data: '10' },
        { name: 'file', filename: 'p.png', data: FUZZ_PNG, contentType: 'image/png' },
      ]),
    }),
    200,
  );
  const cancel = await request('模糊求助丁');
  expect(
    (await admin.put('/api/care/rules', { rules: [{ tag: 'elderly_alone', everyDays: 7 }] })).status,
  ).toBe(200);
  const entry = (
    await db
      .selectFrom('care_roster')
      .select('id')
      .where('node_id', '=', grid.id)
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id;
  const resident = { name: '模糊居民', idNumber: nthIdNumber(801, '330197') };
  await insertPerson(db, grid, resident);
  servicesPlace = { grid, accepted };
  Object.assign(SECTION_TARGETS, {
    'volunteers:id': joined.volunteerId,
    'join:token': inv.token,
    'callouts:id': tomorrow.id,
    'service-requests:id': assigned,
    'roster:id': entry,
  });
  Object.assign(SECTION_URLS, {
    '/api/callouts/:id/check-in': `/api/callouts/${underWay.id}/check-in`,
    '/api/callouts/:id/check-out': `/api/callouts/${underWay.id}/check-out`,
    '/api/callouts/:id/close': `/api/callouts/${closing.id}/close`,
    '/api/callouts/:id/cancel': `/api/callouts/${cancelling.id}/cancel`,
    '/api/service-requests/:id/complete': `/api/service-requests/${accepted}/complete`,
    '/api/service-requests/:id/satisfaction': `/api/service-requests/${done}/satisfaction`,
    '/api/service-requests/:id/cancel': `/api/service-requests/${cancel}/cancel`,
  });
  Object.assign(SECTION_SAMPLES, {
    'POST /api/services/orgs': {
      kind: 'party_branch',
      name: '模糊新队',
      nodeId: village.id,
      description: '模糊',
      coordinatorUserIds: [ids.user],
    },
    'POST /api/services/volunteers': {
      nodeId: grid.id,
      orgId: org.id,
      name: '模糊新志愿者',
      idNumber: nthIdNumber(802, '330197'),
      phone: '13400000802',
      consent: true,
      partyMember: true,
      skills: ['driving'],
      certifications: ['first_aid'],
      languages: ['mandarin', 'english'],
      availability: [{ day: 1, from: '08:00', to: '12:00' }],
    },
    'PATCH /api/services/volunteers/:id': {
      orgId: org.id,
      status: 'paused',
      skills: ['shopping'],
      availability: [{ day: 6, from: '09:00', to: '17:00' }],
    },
    'POST /api/services/invitations': { nodeId: village.id, orgId: org.id, days: 30, maxUses: 10 },
    'POST /api/public/join/:token': {
      name: '模糊加入',
      idNumber: nthIdNumber(803, '330197'),
      phone: '13400000803',
      nodeId: grid.id,
      username: 'fuzz_joiner',
      password: 'correct-horse-battery',
      consent: true,
      skills: ['first_aid'],
    },
    'POST /api/callouts': {
      nodeId: village.id,
      title: '模糊新召集',
      details: '模糊',
      meetingPoint: '模糊路',
      lat: 30.2,
      lng: 119.7,
      startsAt: soon(48 * 60),
      endsAt: soon(48 * 60 + 120),
      capacity: 3,
      skills: ['guard_duty'],
      orgId: org.id,
    },
    'POST /api/callouts/from-shift': { shiftId: 999_999, capacity: 2, details: '模糊' },
    'POST /api/callouts/:id/check-in': { lat: 30.2, lng: 119.7 },
    'POST /api/callouts/:id/check-out': { lat: 30.2, lng: 119.7 },
    'POST /api/callouts/:id/cancel': { reason: '模糊取消' },
    'POST /api/service-requests': { personId: ids.person, kind: 'medicine', details: '模糊' },
    'POST /api/public/service-requests': { nodeId: grid.id, ...resident, kind: 'meals', details: '模糊' },
    'POST /api/service-requests/:id/assign': { volunteerId: joined.volunteerId },
    'POST /api/service-requests/:id/satisfaction': { score: 4 },
    'POST /api/service-requests/:id/cancel': { reason: '模糊取消' },
    'PUT /api/care/rules': { rules: [{ tag: 'widowed', everyDays: 10 }] },
    'POST /api/care/roster/:id/visitor': { volunteerId: joined.volunteerId },
    'POST /api/care/roster/:id/visits': {
      visitedOn: '2026-01-01',
      need: 'meals',
      note: '模糊',
      lat: 30.2,
      lng: 119.7,
    },
  });
});
const FUZZ_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

describe('fuzzing joint services', () => {
  it('every services route has a target for each :id and a sample for each body', () => {
    const routes = t.app.linliRoutes.filter(
      (r) => SERVICES_URL.test(r.url) && r.method !== 'HEAD' && r.method !== 'GET',
    );
    expect(routes.length).toBe(25);
    // Routes without a body, or with a multipart one, have no sample.
    const NO_BODY = new Set([
      'POST /api/services/volunteers/import',
      'POST /api/callouts/:id/signups',
      'POST /api/callouts/:id/withdraw',
      'POST /api/callouts/:id/close',
      'POST /api/service-requests/:id/accept',
      'POST /api/service-requests/:id/decline',
      'POST /api/service-requests/:id/complete',
    ]);
    for (const r of routes) {
      expect(() => routeUrl(r.url), routeKey(r)).not.toThrow();
      expect(routeUrl(r.url), routeKey(r)).not.toContain('/:');
      if (!NO_BODY.has(routeKey(r))) expect(sampleBody(routeKey(r)), routeKey(r)).toBeDefined();
    }
  });

  const file = fc.oneof(
    fc.record({
      name: fc.constantFrom('v.csv', 'v.xlsx', 'p.png', 'p.jpg', 'noext', '../../v.csv', '志愿者.csv'),
      data: fc.uint8Array({ maxLength: 600 }).map((u) => Buffer.from(u)),
    }),
    fc
      .array(fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { maxLength: 5 }), { maxLength: 6 })
      .map((rows) => ({
        name: 'v.csv',
        data: Buffer.from(
          toCsv([['姓名', '身份证号', '手机号', '居住地编码', '党员', '技能', '证书'], ...rows]),
        ),
      })),
    fc.uint8Array({ maxLength: 300 }).map((u) => ({
      name: 'p.png',
      data: Buffer.concat([FUZZ_PNG.subarray(0, 16), Buffer.from(u)]),
    })),
  );
  const field = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('1', '0', '-1', '2147483648', 'abc', '', '999999', '1e3', '600', '601'),
    fc.integer().map(String),
  );
  it('a volunteer workbook of any shape gives <500; a 4xx writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(file, field, async (f, nodeId) => {
        const res = await sendAndJudge(
          admin,
          'POST',
          '/api/services/volunteers/import',
          multipart([
            ...(nodeId === undefined ? [] : [{ name: 'nodeId', data: nodeId }]),
            { name: 'file', filename: f.name, data: f.data },
          ]),
        );
        expect(res.status, JSON.stringify(res.body)).not.toBe(201);
      }),
      { numRuns: 40 },
    );
  });
  it('a completion photo of any shape with any note and minutes gives <500; a 4xx keeps nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        file,
        field,
        fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
        async (f, minutes, note) => {
          await sendAndJudge(
            admin,
            'POST',
            `/api/service-requests/${servicesPlace.accepted}/complete`,
            multipart([
              ...(note === undefined ? [] : [{ name: 'note', data: note }]),
              ...(minutes === undefined ? [] : [{ name: 'minutes', data: minutes }]),
              { name: 'file', filename: f.name, data: f.data },
            ]),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  const anyText = fc.oneof(
    fc.integer().map(String),
    fc.constantFrom(
      '0',
      '-1',
      '2147483648',
      '1e3',
      'abc',
      '%00',
      'open',
      '1',
      '2026',
      '2026-13',
      '2026-02',
      '%E4%B8',
    ),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
  it.each([
    '/api/services/orgs?node=',
    '/api/services/volunteers?node=',
    '/api/services/volunteers?org=',
    '/api/services/volunteers?status=',
    '/api/services/volunteers?skill=',
    '/api/services/volunteers?q=',
    '/api/services/volunteers?page=',
    '/api/callouts?node=',
    '/api/callouts?status=',
    '/api/callouts?near=',
    '/api/callouts?mine=',
    '/api/service-requests?node=',
    '/api/service-requests?status=',
    '/api/service-requests?mine=',
    '/api/service-requests?escalated=',
    '/api/service-requests?pageSize=',
    '/api/care/roster?node=',
    '/api/care/roster?overdue=',
    '/api/care/roster?mine=',
    '/api/care/overdue?node=',
    '/api/services/hours/rankings?period=',
    '/api/services/hours/rankings?period=2026&node=',
    '/api/services/hours/rankings?period=2026&org=',
    '/api/services/hours/rankings?period=2026&by=',
    '/api/services/hours/rankings?period=2026&limit=',
    '/api/services/hours/rankings.xlsx?period=',
  ])('GET %s<random> gives <500', async (u) => {
    await fc.assert(
      fc.asyncProperty(anyText, async (v) => {
        await sendAndJudge(admin, 'GET', u + v, { payload: '', headers: {} });
      }),
      { numRuns: 20, examples: [['2147483648'], ['%00']] },
    );
  });
});

// ================================================================== psychological care
// A grid of the fuzzer's own in town B with people in home observation: PHQ-9 links sent to them (one
// for the write loop's submission, one for its drafts), an urgent alert to acknowledge (item 9 at 1),
// and cases for the case steps (one each for referring and closing, which a first valid body ends):
// so that a body that passes validation reaches the service's rules. The write loop above fuzzes their
// bodies; the suite below fuzzes scale definitions, answers and the lists' queries.
/** PHQ-9's ten answers (the tenth unscored): calm, and item 9 at 1 (an urgent alert). */
const PHQ9_CALM = [0, 0, 0, 0, 0, 0, 0, 0, 0, null];
const PHQ9_CRISIS = [0, 0, 0, 0, 0, 0, 0, 0, 1, null];
let carePlace: { draftToken: string; observed: number };
/** A fresh PHQ-9 link to the person in observation of the care section. */
const careLink = async () => {
  const res = await admin.post<{ token: string }>('/api/scales/PHQ-9/links', {
    personId: carePlace.observed,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.token;
};
beforeAll(async () => {
  const grid = await scratchChild(db, tree.villages[3]!, 'grid');
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const made = async <T = { id: number }>(p: Promise<TestResponse<unknown>>, status = 201) => {
    const res = await p;
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body as T;
  };
  let k = 0;
  const observed = async () => {
    const personId = await insertPerson(db, grid, { name: `模糊关爱${++k}` });
    await made(
      admin.post('/api/observations', { personId, startDate: today, days: 14, reason: '密切接触者' }),
    );
    return personId;
  };
  const link = async (personId: number) =>
    (await made<{ token: string }>(admin.post('/api/scales/PHQ-9/links', { personId }))).token;
  const first = await observed();
  carePlace = { draftToken: await link(first), observed: first };
  const submitToken = await link(first);
  // An alert to acknowledge: a person who answered item 9 at 1.
  const alerted = await observed();
  await made(anon.post(`/api/public/scales/${await link(alerted)}`, { answers: PHQ9_CRISIS }), 200);
  const alert = await db
    .selectFrom('care_alerts')
    .select('id')
    .where('person_id', '=', alerted)
    .executeTakeFirstOrThrow();
  const openCase = async () => (await made(admin.post('/api/care/cases', { personId: await observed() }))).id;
  const [worked, referred, closed] = [await openCase(), await openCase(), await openCase()];
  Object.assign(SECTION_TARGETS, { 'scales:code': 'PHQ-9', 'scales:token': carePlace.draftToken });
  Object.assign(SECTION_URLS, {
    '/api/public/scales/:token': `/api/public/scales/${submitToken}`,
    '/api/care/alerts/:id/acknowledge': `/api/care/alerts/${alert.id}/acknowledge`,
    '/api/care/cases/:id': `/api/care/cases/${worked}`,
    '/api/care/cases/:id/contacts': `/api/care/cases/${worked}/contacts`,
    '/api/care/cases/:id/refer': `/api/care/cases/${referred}/refer`,
    '/api/care/cases/:id/close': `/api/care/cases/${closed}/close`,
  });
  Object.assign(SECTION_SAMPLES, {
    'POST /api/scales': {
      code: 'FUZZ-1',
      title: { zh: '模糊量表', en: 'Fuzz scale' },
      loinc: '12345-6',
      totalLoinc: '12345-7',
      definition: {
        intro: { zh: '请回答', en: 'Please answer' },
        options: [
          { value: 0, label: { zh: '否', en: 'No' } },
          { value: 2, label: { zh: '是', en: 'Yes' }, loinc: 'LA33-6' },
        ],
        items: [
          { key: 'a', label: { zh: '睡眠', en: 'Sleep' }, scored: true },
          {
            key: 'b',
            label: { zh: '想法', en: 'Thoughts' },
            scored: true,
            options: [
              { value: 0, label: { zh: '无', en: 'None' } },
              { value: 3, label: { zh: '有', en: 'Some' } },
            ],
          },
        ],
        bands: [
          { code: 'low', min: 0, max: 2, label: { zh: '低', en: 'Low' } },
          { code: 'high', min: 3, max: 5, label: { zh: '高', en: 'High' } },
        ],
        crisis: [
          { kind: 'item', key: 'b', atLeast: 3 },
          { kind: 'band', code: 'high' },
        ],
      },
    },
    'POST /api/scales/:code/links': { personId: first, hours: 24 },
    'PUT /api/public/scales/:token/draft': {
      answers: [1, 2, null, null, null, null, null, null, null, null],
    },
    'POST /api/public/scales/:token': { answers: PHQ9_CRISIS },
    'POST /api/care/alerts/:id/acknowledge': {},
    'POST /api/care/cases': { personId: await observed() },
    'PATCH /api/care/cases/:id': { risk: 'moderate', nextContactOn: '2031-01-01' },
    'POST /api/care/cases/:id/contacts': {
      kind: 'call',
      note: '模糊联系',
      nextContactOn: '2031-01-02',
      risk: 'high',
    },
    'POST /api/care/cases/:id/refer': { kind: 'hotline', note: '模糊转介' },
    'POST /api/care/cases/:id/close': { note: '模糊结案' },
  });
});

describe('fuzzing psychological care', () => {
  it('every care route has a target for each :param and a sample for each body', () => {
    const routes = t.app.linliRoutes.filter(
      (r) => CARE_URL.test(r.url) && r.method !== 'HEAD' && r.method !== 'GET',
    );
    expect(routes.length).toBe(10);
    for (const r of routes) {
      expect(() => routeUrl(r.url), routeKey(r)).not.toThrow();
      expect(routeUrl(r.url), routeKey(r)).not.toContain('/:');
      expect(sampleBody(routeKey(r)), routeKey(r)).toBeDefined();
    }
  });

  // Definitions of two kinds: rough ones (empty labels, one option, values out of range, keys that
  // clash), which the schema or the definition's check refuses; and ones near the valid, whose bands
  // are cut from the items' own range of totals and then sometimes nudged off it, and whose crisis
  // rules name items and bands that may not exist: so that some are kept, and scored.
  const label = fc.oneof(
    fc.constant({ zh: '题目', en: 'Item' }),
    fc.record({ zh: fc.constantFrom('甲', '乙'), en: fc.constantFrom('A', 'B') }),
  );
  const roughLabel = fc.record({ zh: fc.constantFrom('甲', ' ', ''), en: fc.constantFrom('A', ' ') });
  const option = fc.record({ value: fc.integer({ min: 0, max: 4 }), label });
  const options = fc.uniqueArray(option, { selector: (o) => o.value, minLength: 2, maxLength: 4 });
  const items = fc.uniqueArray(
    fc.record(
      {
        key: fc.constantFrom('a', 'b', '9'),
        label,
        scored: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)),
        options,
      },
      { requiredKeys: ['key', 'label', 'scored'] },
    ),
    { selector: (i) => i.key, minLength: 1, maxLength: 3 },
  );
  const nearValid = fc.record({ intro: label, options, items }).chain((d) => {
    const range = totalRange({ ...d, bands: [], crisis: [] });
    return fc
      .tuple(
        fc.uniqueArray(fc.integer({ min: range.min + 1, max: Math.max(range.min + 1, range.max) }), {
          maxLength: 3,
        }),
        fc.constantFrom(0, 0, 0, 1, -1),
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('item' as const),
              key: fc.constantFrom('a', 'b', '9', 'z'),
              atLeast: fc.integer({ min: 0, max: 5 }),
            }),
            fc.record({ kind: fc.constant('band' as const), code: fc.constantFrom('b0', 'b1', 'none') }),
          ),
          { maxLength: 2 },
        ),
      )
      .map(([cuts, nudge, crisis]) => {
        const edges = [range.min, ...cuts.filter((c) => c <= range.max).sort((a, b) => a - b), range.max + 1];
        const bands = edges.slice(0, -1).map((lo, i) => ({
          code: `b${i}`,
          min: lo,
          max: edges[i + 1]! - 1,
          label: { zh: `档${i}`, en: `Band ${i}` },
        }));
        bands[bands.length - 1]!.max += nudge;
        return { ...d, bands, crisis };
      });
  });
  const rough = fc.record({
    intro: roughLabel,
    options: fc.array(fc.record({ value: fc.integer({ min: -1, max: 101 }), label: roughLabel }), {
      maxLength: 3,
    }),
    items: fc.array(
      fc.record({ key: fc.constantFrom('a', 'a', 'a b', ''), label: roughLabel, scored: fc.boolean() }),
      {
        maxLength: 3,
      },
    ),
    bands: fc.array(
      fc.record({
        code: fc.constantFrom('low', 'low', '?'),
        min: fc.integer({ min: -1, max: 12 }),
        max: fc.integer({ min: -1, max: 12 }),
        label: roughLabel,
      }),
      { maxLength: 3 },
    ),
    crisis: fc.array(
      fc.record({ kind: fc.constantFrom('band', 'total'), code: fc.constantFrom('low', 'x') }),
      {
        maxLength: 2,
      },
    ),
  });
  const definition = fc.oneof({ weight: 3, arbitrary: nearValid }, { weight: 1, arbitrary: rough });
  const answers = fc.array(fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 4 }), fc.double()), {
    maxLength: 12,
  });
  let scaleSeq = 0;
  it('a scale definition of any shape gives <500; a 4xx keeps nothing; one kept is read as FHIR and scores any answers', async () => {
    let kept = 0;
    await fc.assert(
      fc.asyncProperty(definition, answers, async (d, a) => {
        const code = `FZ-${++scaleSeq}`;
        const res = await sendAndJudge(
          admin,
          'POST',
          '/api/scales',
          json({ code, title: { zh: '模糊', en: 'Fuzz' }, definition: d }),
        );
        if (res.status !== 201) return;
        kept++;
        expect((await admin.get(`/api/scales/${code}/fhir`)).status).toBe(200);
        const sent = await sendAndJudge(
          admin,
          'POST',
          `/api/scales/${code}/links`,
          json({ personId: carePlace.observed }),
        );
        expect(sent.status, JSON.stringify(sent.body)).toBe(201);
        const url = `/api/public/scales/${(sent.body as { token: string }).token}`;
        await sendAndJudge(anon, 'PUT', `${url}/draft`, json({ answers: a }));
        const done = await sendAndJudge(anon, 'POST', url, json({ answers: a }));
        // Refused, the link is still unused: every item at its highest option scores the scale's top.
        if (done.status !== 200) {
          const top = d.items.map((it) =>
            Math.max(...('options' in it && it.options ? it.options : d.options).map((o) => o.value)),
          );
          const full = await sendAndJudge(anon, 'POST', url, json({ answers: top }));
          expect(full.status, JSON.stringify(full.body)).toBe(200);
          expect((full.body as { total: number }).total).toBe((res.body as { maxTotal: number }).maxTotal);
        }
      }),
      { numRuns: 60 },
    );
    // The near-valid definitions reached the scoring.
    expect(kept).toBeGreaterThan(0);
  });
  it('answers of any shape to a PHQ-9 link give <500; a 4xx keeps no draft and scores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(answers, async (a) => {
        await sendAndJudge(
          anon,
          'PUT',
          `/api/public/scales/${carePlace.draftToken}/draft`,
          json({ answers: a }),
        );
        await sendAndJudge(anon, 'POST', `/api/public/scales/${await careLink()}`, json({ answers: a }));
      }),
      { numRuns: 40, examples: [[PHQ9_CALM], [PHQ9_CRISIS], [[]]] },
    );
  });

  const anyText = fc.oneof(
    fc.integer().map(String),
    fc.constantFrom('0', '-1', '2147483648', '1e3', 'abc', '%00', 'open', 'closed', '1', '%E4%B8', '%', '_'),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
  it.each([
    '/api/care/cases?status=',
    '/api/care/cases?due=',
    '/api/care/cases?node=',
    '/api/care/cases?page=',
    '/api/care/cases?pageSize=',
    '/api/care/stats?node=',
    '/api/scale-links?personId=',
    '/api/care/people?q=',
  ])('GET %s<random> gives <500', async (u) => {
    await fc.assert(
      fc.asyncProperty(anyText, async (v) => {
        await sendAndJudge(admin, 'GET', u + v, { payload: '', headers: {} });
      }),
      { numRuns: 20, examples: [['2147483648'], ['%00']] },
    );
  });
});
