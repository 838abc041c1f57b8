// Helpers for the route-level suites: multipart bodies, scope arithmetic, table fingerprints.
import crypto from 'node:crypto';
import { idCheckChar, normalizePhone, parseIdNumber } from '../../common/validators.js';
import type { DB } from '../db/index.js';
import { nowIso } from '../db/index.js';
import { spellName } from '../platform/spelling.js';
import { protectedColumns } from '../modules/people/people.service.js';
import type { TreeNode } from './factories.js';
import { TEST_PII, type Client, type TestResponse } from './harness.js';

/** The /api routes that are not HEAD mirrors of a GET: what the matrices enumerate. */
export interface RouteRow {
  method: string;
  url: string;
  access: string | undefined;
}
export const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

export interface MultipartPart {
  name: string;
  /** Present for a file part. */
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A hand-built multipart/form-data body, ready for `app.inject({ payload, headers })`. */
export function multipart(parts: readonly MultipartPart[]): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = `----linli${crypto.randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.filename !== undefined) head += `Content-Type: ${p.contentType ?? 'application/octet-stream'}\r\n`;
    head += '\r\n';
    chunks.push(
      Buffer.from(head, 'utf8'),
      typeof p.data === 'string' ? Buffer.from(p.data, 'utf8') : p.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** CSV text (always quoted, CRLF) from rows of cells. */
export function toCsv(rows: readonly (readonly string[])[], bom = false): string {
  const body = rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n') + '\r\n';
  return (bom ? '\uFEFF' : '') + body;
}

export const isWithin = (path: string, scope: string) => path.startsWith(scope);
export const withinAny = (path: string, scopes: readonly string[]) => scopes.some((s) => isWithin(path, s));

/** Ids of the live and retired nodes at and under a path, straight from the database. */
export async function subtreeIds(db: DB, path: string): Promise<number[]> {
  // Paths below, by prefix: independent of the production range (dialect.subtreeRange).
  const under = path;
  const rows = await db
    .selectFrom('nodes')
    .select('id')
    .where('path', 'like', `${under}%`)
    .where('retired_at', 'is', null)
    .execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

export async function roleIdOf(db: DB, code: string): Promise<number> {
  const r = await db.selectFrom('roles').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return r.id;
}

export async function userIdOf(db: DB, username: string): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function nodeById(db: DB, id: number): Promise<TreeNode> {
  const n = await db
    .selectFrom('nodes')
    .select(['id', 'path', 'name', 'level', 'full_code'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { id: n.id, path: n.path, name: n.name, level: n.level, fullCode: n.full_code };
}

let scratchSeq = 100;
/** A fresh child node (next level down) straight in the database, with an unused 3-digit code. */
export async function scratchChild(db: DB, parent: TreeNode, levelBelow: string): Promise<TreeNode> {
  for (;;) {
    const code = String(scratchSeq++ % 1000).padStart(3, '0');
    const fullCode = parent.fullCode + code;
    const taken = await db
      .selectFrom('nodes')
      .select('id')
      .where('full_code', '=', fullCode)
      .executeTakeFirst();
    if (taken) continue;
    const now = nowIso();
    const { id } = await db
      .insertInto('nodes')
      .values({
        parent_id: parent.id,
        level: levelBelow,
        code,
        full_code: fullCode,
        name: `scratch-${fullCode}`,
        ...spellName(`scratch-${fullCode}`),
        path: `/pending-${fullCode}/`,
        depth: parent.path.split('/').filter(Boolean).length + 1,
        polygon: null,
        centroid_lat: null,
        centroid_lng: null,
        responsible_name: null,
        retired_at: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = `${parent.path}${id}/`;
    await db.updateTable('nodes').set({ path }).where('id', '=', id).execute();
    return { id, path, name: `scratch-${fullCode}`, level: levelBelow, fullCode };
  }
}

/** An unused 3-digit code under a parent. */
export async function freeCode(db: DB, parentFullCode: string): Promise<string> {
  for (;;) {
    const code = String(scratchSeq++ % 1000).padStart(3, '0');
    const taken = await db
      .selectFrom('nodes')
      .select('id')
      .where('full_code', '=', parentFullCode + code)
      .executeTakeFirst();
    if (!taken) return code;
  }
}

/**
 * Counts and last-change stamps of the tables a write can touch: equal fingerprints before and after
 * a request mean the request wrote nothing.
 */
export async function fingerprint(db: DB) {
  const count = async (
    table:
      | 'audit_log'
      | 'live_events'
      | 'nodes'
      | 'users'
      | 'roles'
      | 'role_assignments'
      | 'api_keys'
      | 'sessions'
      | 'persons'
      | 'households'
      | 'person_tags'
      | 'person_history'
      | 'import_jobs'
      | 'tags'
      | 'events'
      | 'event_history'
      | 'event_departments'
      | 'event_categories'
      | 'departments'
      | 'department_members'
      | 'notifications'
      | 'event_photos'
      | 'report_templates'
      | 'report_submissions'
      | 'notices'
      | 'notice_deliveries',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const maxUpdated = async (
    table:
      'nodes' | 'users' | 'roles' | 'persons' | 'households' | 'events' | 'event_categories' | 'departments',
  ) =>
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.max('updated_at').as('m'))
        .executeTakeFirstOrThrow()
    ).m ?? null;
  const lastAudit = await db
    .selectFrom('audit_log')
    .select(['id', 'action'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    audit_log: await count('audit_log'),
    lastAuditId: lastAudit?.id ?? 0,
    nodes: await count('nodes'),
    users: await count('users'),
    roles: await count('roles'),
    role_assignments: await count('role_assignments'),
    api_keys: await count('api_keys'),
    nodesUpdated: await maxUpdated('nodes'),
    usersUpdated: await maxUpdated('users'),
    rolesUpdated: await maxUpdated('roles'),
    persons: await count('persons'),
    households: await count('households'),
    person_tags: await count('person_tags'),
    person_history: await count('person_history'),
    import_jobs: await count('import_jobs'),
    lastImportJobId:
      (await db.selectFrom('import_jobs').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst())
        ?.id ?? 0,
    tags: await count('tags'),
    personsUpdated: await maxUpdated('persons'),
    householdsUpdated: await maxUpdated('households'),
    // Tags have no updated_at: their whole content stands in for it.
    tagsContent: JSON.stringify(await db.selectFrom('tags').selectAll().orderBy('code').execute()),
    events: await count('events'),
    event_history: await count('event_history'),
    // A held upload and its claim (event_id set) are both writes.
    event_photos: await count('event_photos'),
    claimedPhotos: Number(
      (
        await db
          .selectFrom('event_photos')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('event_id', 'is not', null)
          .executeTakeFirstOrThrow()
      ).n,
    ),
    event_departments: await count('event_departments'),
    event_categories: await count('event_categories'),
    departments: await count('departments'),
    department_members: await count('department_members'),
    notifications: await count('notifications'),
    eventsUpdated: await maxUpdated('events'),
    eventCategoriesUpdated: await maxUpdated('event_categories'),
    departmentsUpdated: await maxUpdated('departments'),
    // Calendar days, members and read marks have no updated_at either: their content stands in for it.
    calendarContent: JSON.stringify(
      await db.selectFrom('work_calendar_days').selectAll().orderBy('day').execute(),
    ),
    membersContent: JSON.stringify(
      await db
        .selectFrom('department_members')
        .selectAll()
        .orderBy('department_id')
        .orderBy('user_id')
        .execute(),
    ),
    // The KPI rollup is bumped in place: its content stands in for a stamp.
    kpiContent: JSON.stringify(
      await db.selectFrom('event_kpi_daily').selectAll().orderBy('node_path').orderBy('day').execute(),
    ),
    unreadNotifications: Number(
      (
        await db
          .selectFrom('notifications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('read_at', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    ),
    report_templates: await count('report_templates'),
    report_submissions: await count('report_submissions'),
    // Templates are retired and submissions corrected in place.
    reportsChanged:
      JSON.stringify(
        await db
          .selectFrom('report_submissions')
          .select((eb) => [eb.fn.max('updated_at').as('submission'), eb.fn.count('id').as('n')])
          .executeTakeFirstOrThrow(),
      ) +
      String(
        (
          await db
            .selectFrom('report_templates')
            .select((eb) => eb.fn.max('retired_at').as('m'))
            .executeTakeFirstOrThrow()
        ).m,
      ),
    // Open311 keys are issued, revoked and stamped with their last use in place.
    open311KeysContent: JSON.stringify(
      await db.selectFrom('open311_keys').selectAll().orderBy('id').execute(),
    ),
    // Notices: delivery progress is counted in place, so its content stands in for a stamp.
    notices: await count('notices'),
    notice_deliveries: await count('notice_deliveries'),
    noticeProgressContent: JSON.stringify(
      await db.selectFrom('notice_progress').selectAll().orderBy('notice_id').orderBy('node_path').execute(),
    ),
    // The command system: incident commands, directives and their targets, the cockpit's counters, the live outbox.
    ...(await commandFingerprint(db)),
  };
}
export type Fingerprint = Awaited<ReturnType<typeof fingerprint>>;

/**
 * The command system's part of the fingerprint. Targets, commands and counters change in place
 * (signed, closed, reminded, bumped): their content stands in for a stamp.
 */
async function commandFingerprint(db: DB) {
  const count = async (
    table: 'incident_command_officers' | 'directives' | 'directive_history' | 'live_events',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    commandsContent: JSON.stringify(
      await db.selectFrom('incident_commands').selectAll().orderBy('id').execute(),
    ),
    incident_command_officers: await count('incident_command_officers'),
    directives: await count('directives'),
    directiveTargetsContent: JSON.stringify(
      await db.selectFrom('directive_targets').selectAll().orderBy('id').execute(),
    ),
    directive_history: await count('directive_history'),
    // Which upload belongs to which directive or report-back: a failed claim must leave no row attached.
    directiveFilesContent: JSON.stringify(
      await db
        .selectFrom('directive_files')
        .select(['id', 'directive_id', 'target_id', 'attached_at'])
        .orderBy('id')
        .execute(),
    ),
    live_events: await count('live_events'),
    liveCountersContent: JSON.stringify(
      await db
        .selectFrom('live_counters')
        .selectAll()
        .orderBy('command_id')
        .orderBy('metric')
        .orderBy('node_path')
        .execute(),
    ),
  };
}

/** Audit rows written after a given id, oldest first. */
export function auditRowsAfter(db: DB, id: number) {
  return db.selectFrom('audit_log').selectAll().where('id', '>', id).orderBy('id').execute();
}

/** Checks the problem+json shape every error response must have; returns the parsed body. */
export function problemShape(res: {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
}): string[] {
  const errs: string[] = [];
  const ct = res.headers['content-type'];
  const type = typeof ct === 'string' ? ct : '';
  if (!type.startsWith('application/problem+json')) errs.push(`content-type ${type}`);
  const b = res.body as Record<string, unknown> | null;
  if (!b || typeof b !== 'object') return [...errs, 'body is not an object'];
  if (typeof b.code !== 'string' || b.code === '') errs.push('no code');
  if (typeof b.requestId !== 'string' || b.requestId === '') errs.push('no requestId');
  else if (b.requestId !== res.headers['x-request-id']) errs.push('requestId differs from x-request-id');
  if (b.status !== res.status) errs.push(`status field ${String(b.status)} != ${res.status}`);
  if (res.status === 400 && b.code === 'validation_failed') {
    const issues = b.issues;
    if (!Array.isArray(issues) || issues.length === 0) errs.push('validation problem without issues');
    else
      for (const i of issues as unknown[]) {
        const it = i as Record<string, unknown>;
        if (typeof it.path !== 'string' || typeof it.message !== 'string')
          errs.push(`bad issue ${JSON.stringify(i)}`);
      }
  }
  return errs;
}

// ---------------------------------------------------------------- people

/** A valid GB 11643 number: 6-digit region, YYYYMMDD birth date, 3-digit sequence, computed check character. */
export function makeIdNumber(region: string, birth: string, seq: number): string {
  const first17 = `${region}${birth}${String(seq % 1000).padStart(3, '0')}`;
  if (!/^[1-9]\d{16}$/.test(first17)) throw new Error(`makeIdNumber: bad parts ${first17}`);
  return first17 + idCheckChar(first17);
}

const DAY_MS = 86_400_000;
/**
 * The n-th of a run of distinct valid ID numbers for a region: 1,000 per birth day from 1950-01-01
 * (so n up to ~20 million stays in the past).
 */
export function nthIdNumber(n: number, region = '330112'): string {
  const d = new Date(Date.UTC(1950, 0, 1) + Math.floor(n / 1000) * DAY_MS);
  const birth = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return makeIdNumber(region, birth, n % 1000);
}

/** The n-th of a run of distinct mainland mobile numbers, 11 digits without +86. */
export function nthPhone(n: number, prefix = '139'): string {
  return `${prefix}${String(n).padStart(8, '0')}`;
}

/** Column headers of a people import file as the tests write them. */
export const PEOPLE_HEAD = [
  '姓名',
  '身份证号',
  '手机号',
  '现住址',
  '所属网格',
  '人员类型',
  '标签',
  '户号',
  '与户主关系',
] as const;

export interface PeopleImportReport {
  jobId: number;
  status: string;
  total: number;
  processed: number;
  imported: number;
  rejected: number;
  errors: { row: number; column: string; message: string }[];
  errorWorkbook: string | null;
  skipped: { total: number; rows: { row: number; reason: string; message: string }[] };
}

/** POST /api/people/import with a file and optional mode/ref form fields. */
export function importPeople(
  c: Client,
  file: { name: string; data: Buffer | string },
  opts: { mode?: string; ref?: string } = {},
): Promise<TestResponse<PeopleImportReport>> {
  const body = multipart([
    ...(opts.mode ? [{ name: 'mode', data: opts.mode }] : []),
    ...(opts.ref ? [{ name: 'ref', data: opts.ref }] : []),
    {
      name: 'file',
      filename: file.name,
      contentType: file.name.endsWith('.xlsx')
        ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        : 'text/csv',
      data: file.data,
    },
  ]);
  return c.request<PeopleImportReport>({
    method: 'POST',
    url: '/api/people/import',
    payload: body.payload,
    headers: body.headers,
  });
}

/** A person straight in the database (normalised, encrypted and indexed with the test key, as the service does); returns the id. */
export async function insertPerson(
  db: DB,
  node: TreeNode,
  p: {
    name?: string;
    idNumber?: string | null;
    phone?: string | null;
    tags?: string[];
    householdId?: number | null;
    residenceType?: string;
  } = {},
): Promise<number> {
  const now = nowIso();
  const parsed = p.idNumber ? parseIdNumber(p.idNumber) : null;
  if (parsed && !parsed.ok) throw new Error(`insertPerson: ${p.idNumber}: ${parsed.reason}`);
  const idNumber = parsed?.ok ? parsed.value.value : null;
  const phone = p.phone ? normalizePhone(p.phone) : null;
  if (phone && !phone.ok) throw new Error(`insertPerson: ${p.phone}: ${phone.reason}`);
  const { id } = await db
    .insertInto('persons')
    .values({
      node_id: node.id,
      node_path: node.path,
      name: p.name ?? '测试人',
      id_number_enc: null,
      id_number_bidx: null,
      id_number_masked: null,
      phone_enc: null,
      phone_bidx: null,
      phone_masked: null,
      ...protectedColumns(TEST_PII, idNumber, phone?.ok ? phone.value : null),
      gender: parsed?.ok ? parsed.value.gender : null,
      birth_date: parsed?.ok ? parsed.value.birthDate : null,
      ethnicity: null,
      household_id: p.householdId ?? null,
      relation_to_head: null,
      address: null,
      residence_type: p.residenceType ?? 'registered',
      arrival_date: null,
      origin_region: null,
      no_id_reason: idNumber ? null : 'not_collected',
      notes: null,
      merged_into_id: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (p.tags?.length)
    await db
      .insertInto('person_tags')
      .values(p.tags.map((t) => ({ person_id: id, tag_code: t })))
      .execute();
  return id;
}

/** A household straight in the database at a node, with an optional head; returns the id. */
export async function insertHousehold(db: DB, node: TreeNode, address = '测试地址'): Promise<number> {
  const now = nowIso();
  const { id } = await db
    .insertInto('households')
    .values({
      node_id: node.id,
      node_path: node.path,
      address,
      head_person_id: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A workbook cell as text: strings and numbers as they are, an empty cell as ''. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Rows of a table, as text, for "this value is nowhere at rest" checks. */
export async function tableText(
  db: DB,
  table: 'persons' | 'person_history' | 'audit_log' | 'import_jobs' | 'households' | 'person_tags',
): Promise<string> {
  return JSON.stringify(await db.selectFrom(table).selectAll().execute());
}
