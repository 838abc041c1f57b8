// SQL of psychological care: scales, links, responses, alerts, cases and contacts. No rules here:
// care.service.ts decides who may see and do what.
import { sql, type Updateable } from 'kysely';
import type { Executor } from '../../db/index.js';
import type { CareAlertsTable, CareCasesTable, CareLinksTable } from '../../db/schema.js';
import { subtreeRange } from '../../db/dialect.js';
import { inScopes } from '../../platform/actor.js';

// ------------------------------------------------------------------ scales
export function scales(x: Executor) {
  return x.selectFrom('care_scales').selectAll().orderBy('builtin', 'desc').orderBy('code').execute();
}
export function scaleByCode(x: Executor, code: string) {
  return x.selectFrom('care_scales').selectAll().where('code', '=', code).executeTakeFirst();
}
export function scaleById(x: Executor, id: number) {
  return x.selectFrom('care_scales').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
export async function insertScale(
  x: Executor,
  row: {
    code: string;
    title_zh: string;
    title_en: string;
    loinc: string | null;
    total_loinc: string | null;
    definition: string;
    builtin: number;
    created_by: number | null;
    created_at: string;
  },
) {
  const r = await x.insertInto('care_scales').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
export function updateScale(
  x: Executor,
  id: number,
  patch: {
    title_zh: string;
    title_en: string;
    loinc: string | null;
    total_loinc: string | null;
    definition: string;
  },
) {
  return x.updateTable('care_scales').set(patch).where('id', '=', id).execute();
}

// ------------------------------------------------------------------ people
/** A person with their place, if registered and not merged away. */
export function person(x: Executor, id: number) {
  return x
    .selectFrom('persons as p')
    .innerJoin('nodes as n', 'n.id', 'p.node_id')
    .select([
      'p.id',
      'p.name',
      'p.node_id',
      'p.node_path',
      'p.id_number_masked',
      'p.phone_masked',
      'n.name as node_name',
    ])
    .where('p.id', '=', id)
    .where('p.merged_into_id', 'is', null)
    .executeTakeFirst();
}
export type PersonRow = NonNullable<Awaited<ReturnType<typeof person>>>;

/** Whether the person is in home observation now, or on the care roster of joint services. */
export async function onCareList(x: Executor, personId: number) {
  const o = await x
    .selectFrom('observation_orders')
    .select('id')
    .where('person_id', '=', personId)
    .where('status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  if (o) return true;
  const r = await x
    .selectFrom('care_roster')
    .select('id')
    .where('person_id', '=', personId)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}
/** Whether this user sent the person a scale, or holds an open case of theirs. */
export async function reachedBy(x: Executor, personId: number, userId: number) {
  const l = await x
    .selectFrom('care_links')
    .select('id')
    .where('person_id', '=', personId)
    .where('sent_by', '=', userId)
    .limit(1)
    .executeTakeFirst();
  if (l) return true;
  const c = await x
    .selectFrom('care_cases')
    .select('id')
    .where('person_id', '=', personId)
    .where('counsellor_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return c !== undefined;
}

/**
 * The people a counsellor may reach: those in home observation within their scopes, and those of
 * their caseload or sent a scale by them anywhere; a name filter, at most `limit`.
 */
export async function carePeople(
  x: Executor,
  scopes: readonly string[],
  userId: number,
  q: string | undefined,
  limit: number,
) {
  const observed = x
    .selectFrom('observation_orders as o')
    .select('o.person_id')
    .where('o.status', '=', 'active')
    .where((eb) => inScopes(eb, 'o.node_path', scopes));
  const mine = x.selectFrom('care_cases').select('person_id').where('counsellor_id', '=', userId);
  const sent = x.selectFrom('care_links').select('person_id').where('sent_by', '=', userId);
  let query = x
    .selectFrom('persons as p')
    .innerJoin('nodes as n', 'n.id', 'p.node_id')
    .select([
      'p.id',
      'p.name',
      'p.node_id',
      'p.node_path',
      'p.id_number_masked',
      'p.phone_masked',
      'n.name as node_name',
    ])
    .where('p.merged_into_id', 'is', null)
    .where((eb) => eb.or([eb('p.id', 'in', observed), eb('p.id', 'in', mine), eb('p.id', 'in', sent)]));
  if (q) query = query.where('p.name', 'like', `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return query.orderBy('p.node_path').orderBy('p.name').limit(limit).execute();
}
export async function activeObservations(x: Executor, personIds: readonly number[]) {
  if (personIds.length === 0) return new Set<number>();
  const rows = await x
    .selectFrom('observation_orders')
    .select('person_id')
    .where('person_id', 'in', personIds)
    .where('status', '=', 'active')
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

// ------------------------------------------------------------------ links
export async function insertLink(
  x: Executor,
  row: Omit<CareLinksTable, 'id' | 'draft_enc' | 'draft_at' | 'used_at'>,
) {
  const r = await x
    .insertInto('care_links')
    .values({ ...row, draft_enc: null, draft_at: null, used_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
export function linkByHash(x: Executor, hash: string) {
  return x
    .selectFrom('care_links as l')
    .innerJoin('persons as p', 'p.id', 'l.person_id')
    .innerJoin('care_scales as s', 's.id', 'l.scale_id')
    .selectAll('l')
    .select(['p.name as person_name', 's.code as scale_code'])
    .where('l.token_hash', '=', hash)
    .executeTakeFirst();
}
export type LinkRow = NonNullable<Awaited<ReturnType<typeof linkByHash>>>;
export function updateLink(x: Executor, id: number, patch: Updateable<CareLinksTable>, unusedOnly = true) {
  let q = x.updateTable('care_links').set(patch).where('id', '=', id);
  if (unusedOnly) q = q.where('used_at', 'is', null);
  return q.executeTakeFirst().then((r) => Number(r.numUpdatedRows) === 1);
}
/** Links sent, newest first: to one person, or all the caller's; with the state's inputs. */
export function links(
  x: Executor,
  f: { personId?: number; sentBy?: number; scopes?: readonly string[] },
  limit: number,
) {
  let q = x
    .selectFrom('care_links as l')
    .innerJoin('persons as p', 'p.id', 'l.person_id')
    .innerJoin('care_scales as s', 's.id', 'l.scale_id')
    .innerJoin('users as u', 'u.id', 'l.sent_by')
    .select([
      'l.id',
      'l.person_id',
      'l.sent_by',
      'l.sent_at',
      'l.expires_at',
      'l.draft_at',
      'l.used_at',
      'l.node_path',
      's.code as scale_code',
      'p.name as person_name',
      'p.id_number_masked',
      'p.phone_masked',
      'u.display_name as sent_by_name',
    ]);
  if (f.personId !== undefined) q = q.where('l.person_id', '=', f.personId);
  if (f.sentBy !== undefined || f.scopes)
    q = q.where((eb) => {
      const ors = [];
      if (f.sentBy !== undefined) ors.push(eb('l.sent_by', '=', f.sentBy));
      if (f.scopes) ors.push(inScopes(eb, 'l.node_path', f.scopes));
      return eb.or(ors);
    });
  return q.orderBy('l.sent_at', 'desc').orderBy('l.id', 'desc').limit(limit).execute();
}
export type LinkListRow = Awaited<ReturnType<typeof links>>[number];

// ------------------------------------------------------------------ responses
export async function insertResponse(
  x: Executor,
  row: {
    link_id: number;
    scale_id: number;
    person_id: number;
    node_id: number;
    node_path: string;
    answers_enc: string;
    total: number;
    band: string;
    crisis: string;
    submitted_at: string;
  },
) {
  const r = await x.insertInto('care_responses').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
export function response(x: Executor, id: number) {
  return x
    .selectFrom('care_responses as r')
    .innerJoin('persons as p', 'p.id', 'r.person_id')
    .innerJoin('nodes as n', 'n.id', 'r.node_id')
    .selectAll('r')
    .select(['p.name as person_name', 'p.id_number_masked', 'p.phone_masked', 'n.name as node_name'])
    .where('r.id', '=', id)
    .executeTakeFirst();
}
export type ResponseRow = NonNullable<Awaited<ReturnType<typeof response>>>;
export function responsesOf(x: Executor, personId: number) {
  return x
    .selectFrom('care_responses as r')
    .innerJoin('care_scales as s', 's.id', 'r.scale_id')
    .select(['r.id', 'r.scale_id', 's.code as scale_code', 'r.total', 'r.band', 'r.crisis', 'r.submitted_at'])
    .where('r.person_id', '=', personId)
    .orderBy('r.submitted_at', 'desc')
    .limit(50)
    .execute();
}

// ------------------------------------------------------------------ alerts
export async function insertAlert(x: Executor, row: Omit<CareAlertsTable, 'id'>) {
  const r = await x.insertInto('care_alerts').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
const alertColumns = [
  'a.id',
  'a.response_id',
  'a.person_id',
  'a.node_id',
  'a.node_path',
  'a.counsellor_id',
  'a.status',
  'a.raised_at',
  'a.ack_by',
  'a.escalated_at',
  'a.acknowledged_at',
  'a.acknowledged_by',
  'a.case_id',
  'p.name as person_name',
  'p.id_number_masked',
  'p.phone_masked',
  'n.name as node_name',
  'u.display_name as acknowledged_by_name',
] as const;
function alertsQuery(x: Executor) {
  return x
    .selectFrom('care_alerts as a')
    .innerJoin('persons as p', 'p.id', 'a.person_id')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .leftJoin('users as u', 'u.id', 'a.acknowledged_by')
    .select(alertColumns);
}
export function alert(x: Executor, id: number) {
  return alertsQuery(x).where('a.id', '=', id).executeTakeFirst();
}
export type AlertRow = NonNullable<Awaited<ReturnType<typeof alert>>>;
/** Open alerts within the scopes (and acknowledged ones of the last day), the oldest open first. */
export function alertsIn(x: Executor, scopes: readonly string[], since: string, limit: number) {
  return alertsQuery(x)
    .where((eb) => inScopes(eb, 'a.node_path', scopes))
    .where((eb) => eb.or([eb('a.status', '=', 'open'), eb('a.acknowledged_at', '>=', since)]))
    .orderBy(sql`case when a.status = 'open' then 0 else 1 end`)
    .orderBy('a.raised_at')
    .limit(limit)
    .execute();
}
export function updateAlert(x: Executor, id: number, from: 'open', patch: Updateable<CareAlertsTable>) {
  return x
    .updateTable('care_alerts')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst()
    .then((r) => Number(r.numUpdatedRows) === 1);
}
/** Marks an open alert escalated, once: a second sweep finds it already escalated. */
export function markEscalated(x: Executor, id: number, at: string) {
  return x
    .updateTable('care_alerts')
    .set({ escalated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('escalated_at', 'is', null)
    .executeTakeFirst()
    .then((r) => Number(r.numUpdatedRows) === 1);
}
/** Open alerts past their deadline not yet escalated: the sweep's work. */
export function alertsDue(x: Executor, at: string, limit: number) {
  return x
    .selectFrom('care_alerts')
    .select('id')
    .where('status', '=', 'open')
    .where('ack_by', '<=', at)
    .where('escalated_at', 'is', null)
    .orderBy('ack_by')
    .limit(limit)
    .execute();
}
export function openAlertsOf(x: Executor, personId: number) {
  return x
    .selectFrom('care_alerts')
    .select(['id'])
    .where('person_id', '=', personId)
    .where('status', '=', 'open')
    .execute();
}

/**
 * The on-duty counsellors of a place: accounts with a role granting counselling.work at the
 * deepest of the paths (the person's own place first, then upward) that has any.
 */
export async function counsellorsNearest(x: Executor, paths: readonly string[]) {
  if (paths.length === 0) return [];
  const rows = await x
    .selectFrom('role_assignments as a')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.user_id', 'n.path'])
    .where('n.path', 'in', paths)
    .where('u.disabled', '=', 0)
    .where('r.permissions', 'like', '%"counselling.work"%')
    // The administrator holds every permission but is nobody's on-duty counsellor.
    .where('r.code', '!=', 'system_admin')
    .execute();
  for (const p of paths) {
    const at = rows.filter((r) => r.path === p).map((r) => r.user_id);
    if (at.length > 0) return [...new Set(at)].sort((a, b) => a - b);
  }
  return [];
}

// ------------------------------------------------------------------ cases and contacts
export async function insertCase(x: Executor, row: Omit<CareCasesTable, 'id'>) {
  const r = await x.insertInto('care_cases').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
const caseColumns = [
  'c.id',
  'c.person_id',
  'c.node_id',
  'c.node_path',
  'c.counsellor_id',
  'c.status',
  'c.risk',
  'c.next_contact_on',
  'c.last_contact_at',
  'c.referral_kind',
  'c.referral_enc',
  'c.referred_at',
  'c.opened_at',
  'c.closed_at',
  'p.name as person_name',
  'p.id_number_masked',
  'p.phone_masked',
  'n.name as node_name',
  'u.display_name as counsellor_name',
] as const;
function casesBase(x: Executor) {
  return x
    .selectFrom('care_cases as c')
    .innerJoin('persons as p', 'p.id', 'c.person_id')
    .innerJoin('nodes as n', 'n.id', 'c.node_id')
    .innerJoin('users as u', 'u.id', 'c.counsellor_id');
}
export function careCase(x: Executor, id: number) {
  return casesBase(x).select(caseColumns).where('c.id', '=', id).executeTakeFirst();
}
export type CaseRow = NonNullable<Awaited<ReturnType<typeof careCase>>>;
export function openCaseOf(x: Executor, personId: number) {
  return x
    .selectFrom('care_cases')
    .select(['id', 'counsellor_id'])
    .where('person_id', '=', personId)
    .where('status', '!=', 'closed')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}
export interface CaseFilter {
  scopes: readonly string[];
  under?: string;
  status?: CareCasesTable['status'];
  dueBy?: string;
}
export async function casesPage(x: Executor, f: CaseFilter, page: number, pageSize: number) {
  let q = casesBase(x).where((eb) => inScopes(eb, 'c.node_path', f.scopes));
  if (f.under) {
    const [lo, hi] = subtreeRange(f.under);
    q = q.where('c.node_path', '>=', lo).where('c.node_path', '<', hi);
  }
  if (f.status) q = q.where('c.status', '=', f.status);
  else q = q.where('c.status', '!=', 'closed');
  if (f.dueBy) q = q.where('c.next_contact_on', '<=', f.dueBy);
  const [items, total] = await Promise.all([
    q
      .select(caseColumns)
      .orderBy(sql`case when c.next_contact_on is null then 1 else 0 end`)
      .orderBy('c.next_contact_on')
      .orderBy('c.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
export async function openAlertCounts(x: Executor, personIds: readonly number[]) {
  if (personIds.length === 0) return new Map<number, number>();
  const rows = await x
    .selectFrom('care_alerts')
    .select(['person_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('person_id', 'in', personIds)
    .where('status', '=', 'open')
    .groupBy('person_id')
    .execute();
  return new Map(rows.map((r) => [r.person_id, Number(r.n)]));
}
export function updateCase(x: Executor, id: number, patch: Updateable<CareCasesTable>) {
  return x
    .updateTable('care_cases')
    .set(patch)
    .where('id', '=', id)
    .where('status', '!=', 'closed')
    .executeTakeFirst()
    .then((r) => Number(r.numUpdatedRows) === 1);
}
export async function insertContact(
  x: Executor,
  row: {
    case_id: number;
    kind: 'call' | 'message' | 'visit';
    note_enc: string;
    at: string;
    by_user_id: number;
  },
) {
  const r = await x.insertInto('care_contacts').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
export function contactsOf(x: Executor, caseId: number) {
  return x
    .selectFrom('care_contacts as k')
    .innerJoin('users as u', 'u.id', 'k.by_user_id')
    .select(['k.id', 'k.kind', 'k.note_enc', 'k.at', 'k.by_user_id', 'u.display_name as by_name'])
    .where('k.case_id', '=', caseId)
    .orderBy('k.at', 'desc')
    .orderBy('k.id', 'desc')
    .execute();
}

// ------------------------------------------------------------------ statistics
/** Per child of `under` (and the node itself): links sent, responses, crisis responses, open alerts, open cases. */
export async function statsUnder(x: Executor, under: string) {
  const [lo, hi] = subtreeRange(under);
  const count = async (
    table: 'care_links' | 'care_responses' | 'care_alerts' | 'care_cases',
    extra?: 'crisis' | 'open',
  ) => {
    let q = x
      .selectFrom(table)
      .select(['node_path', (eb) => eb.fn.countAll<number>().as('n')])
      .where('node_path', '>=', lo)
      .where('node_path', '<', hi);
    if (extra === 'crisis') q = q.where('crisis', '!=', '[]');
    if (extra === 'open' && table === 'care_alerts') q = q.where('status', '=', 'open');
    if (extra === 'open' && table === 'care_cases') q = q.where('status', '!=', 'closed');
    return q.groupBy('node_path').execute();
  };
  const [sent, submitted, crisis, openAlerts, openCases] = await Promise.all([
    count('care_links'),
    count('care_responses'),
    count('care_responses', 'crisis'),
    count('care_alerts', 'open'),
    count('care_cases', 'open'),
  ]);
  return { sent, submitted, crisis, openAlerts, openCases };
}
