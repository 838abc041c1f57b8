// Joint services' SQL: organisations, volunteers, invitations, call-outs and sign-ups, service
// requests, care rosters and visits, hours. Every list filters by scope in SQL (inScopes).
import { sql, type SelectQueryBuilder, type UpdateResult } from 'kysely';
import type { Executor } from '../../db/index.js';
import type {
  CalloutSignupsTable,
  CalloutsTable,
  CareRosterTable,
  CareVisitsTable,
  ServiceRequestsTable,
  VolunteerInvitationsTable,
  VolunteerOrgsTable,
  UsersTable,
  VolunteersTable,
  Database,
} from '../../db/schema.js';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { inScopes, isWithin } from '../../platform/actor.js';

export type VolunteerRow = Selectable<VolunteersTable>;
export type CalloutRow = Selectable<CalloutsTable>;
export type SignupRow = Selectable<CalloutSignupsTable>;
/** A service request as read: everything but the photo's bytes (only `requestPhoto` reads them). */
export type RequestRow = Omit<Selectable<ServiceRequestsTable>, 'photo'>;

/** One row changed: a guarded update (state, capacity, uses) found its row still as it expected. */
const one = (r: UpdateResult) => Number(r.numUpdatedRows) === 1;

/** A page of a filtered query, and how many rows the filter matches in all. */
async function paged<TB extends keyof Database, O, R>(
  base: SelectQueryBuilder<Database, TB, O>,
  rows: (q: SelectQueryBuilder<Database, TB, O>) => SelectQueryBuilder<Database, TB, R>,
  page: number,
  pageSize: number,
) {
  const [items, total] = await Promise.all([
    rows(base)
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: items, total: Number(total.n) };
}

// Names only: the nodes module's findNodesByIds reads every column (the polygon too) and counts children.
export async function nodeNames(db: Executor, ids: readonly number[]) {
  const uniq = [...new Set(ids)];
  if (uniq.length === 0) return new Map<number, string>();
  const rows = await db.selectFrom('nodes').select(['id', 'name']).where('id', 'in', uniq).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
export async function orgNames(db: Executor, ids: readonly number[]) {
  const uniq = [...new Set(ids)];
  if (uniq.length === 0) return new Map<number, string>();
  const rows = await db.selectFrom('volunteer_orgs').select(['id', 'name']).where('id', 'in', uniq).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
export async function volunteerNames(db: Executor, ids: readonly number[]) {
  const uniq = [...new Set(ids)];
  if (uniq.length === 0) return new Map<number, string>();
  const rows = await db.selectFrom('volunteers').select(['id', 'name']).where('id', 'in', uniq).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
export async function districtName(db: Executor) {
  const r = await db.selectFrom('nodes').select('name').where('depth', '=', 1).executeTakeFirst();
  return r?.name ?? null;
}
export async function usernameTaken(db: Executor, username: string) {
  return (
    (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) !==
    undefined
  );
}
/** A volunteer's own account: the user, and the built-in volunteer role at their home. */
export async function insertVolunteerAccount(db: Executor, user: Insertable<UsersTable>, homeNodeId: number) {
  const { id } = await db.insertInto('users').values(user).returning('id').executeTakeFirstOrThrow();
  const role = await db
    .selectFrom('roles')
    .select('id')
    .where('code', '=', 'volunteer')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('role_assignments')
    .values({ user_id: id, role_id: role.id, node_id: homeNodeId, created_at: user.created_at })
    .execute();
  return { id, roleId: role.id };
}
/** Active volunteers with an account living under a place: whom a call-out there tells. */
export function activeWithAccountUnder(db: Executor, path: string, limit: number) {
  return db
    .selectFrom('volunteers')
    .select(['user_id', 'home_path', 'party_member', 'skills'])
    .where('status', '=', 'active')
    .where('user_id', 'is not', null)
    .where((eb) => inScopes(eb, 'home_path', [path]))
    .limit(limit)
    .execute();
}
export function signupWithName(db: Executor, id: number) {
  return db
    .selectFrom('callout_signups as s')
    .innerJoin('volunteers as v', 'v.id', 's.volunteer_id')
    .selectAll('s')
    .select('v.name as volunteer_name')
    .where('s.id', '=', id)
    .executeTakeFirstOrThrow();
}
export function requestPhoto(db: Executor, id: number) {
  return db
    .selectFrom('service_requests')
    .select(['photo', 'photo_mime'])
    .where('id', '=', id)
    .executeTakeFirst();
}
export function calloutsEndedBefore(db: Executor, before: string, limit: number) {
  return db
    .selectFrom('callouts')
    .select('id')
    .where('status', '=', 'open')
    .where('ends_at', '<', before)
    .limit(limit)
    .execute();
}
/** Rated once: false when a rating came first. */
export async function setSatisfaction(db: Executor, id: number, score: number, at: string) {
  return one(
    await db
      .updateTable('service_requests')
      .set({ satisfaction: score, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'done')
      .where('satisfaction', 'is', null)
      .executeTakeFirst(),
  );
}

export function nodesByCodes(db: Executor, codes: readonly string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('nodes')
    .select(['id', 'path', 'full_code'])
    .where('full_code', 'in', [...codes])
    .execute();
}

// ---- organisations
export function insertOrg(db: Executor, v: Insertable<VolunteerOrgsTable>) {
  return db.insertInto('volunteer_orgs').values(v).returning('id').executeTakeFirstOrThrow();
}
export function findOrg(db: Executor, id: number) {
  return db.selectFrom('volunteer_orgs').selectAll().where('id', '=', id).executeTakeFirst();
}
export function listOrgs(db: Executor, scopes: readonly string[], under: string | null) {
  return db
    .selectFrom('volunteer_orgs')
    .selectAll()
    .where((eb) => inScopes(eb, 'node_path', scopes))
    .$if(under !== null, (q) => q.where((eb) => inScopes(eb, 'node_path', [under!])))
    .orderBy('name')
    .limit(500)
    .execute();
}
export async function setCoordinators(db: Executor, orgId: number, userIds: readonly number[]) {
  if (userIds.length === 0) return;
  await db
    .insertInto('volunteer_org_coordinators')
    .values(userIds.map((user_id) => ({ org_id: orgId, user_id })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}
export function coordinatorsOf(db: Executor, orgIds: readonly number[]) {
  if (orgIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('volunteer_org_coordinators as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.org_id', 'u.id', 'u.display_name as name'])
    .where('c.org_id', 'in', orgIds)
    .execute();
}
export function countVolunteersByOrg(db: Executor, orgIds: readonly number[]) {
  if (orgIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('volunteers')
    .select(['org_id', sql<number>`count(*)`.as('n')])
    .where('org_id', 'in', orgIds)
    .where('status', '=', 'active')
    .groupBy('org_id')
    .execute();
}
export function usersExist(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select('id').where('id', 'in', ids).execute();
}

// ---- volunteers
export function insertVolunteer(db: Executor, v: Insertable<VolunteersTable>) {
  return db.insertInto('volunteers').values(v).returning('id').executeTakeFirstOrThrow();
}
export function findVolunteer(db: Executor, id: number) {
  return db.selectFrom('volunteers').selectAll().where('id', '=', id).executeTakeFirst();
}
export function volunteerOfUser(db: Executor, userId: number) {
  return db.selectFrom('volunteers').selectAll().where('user_id', '=', userId).executeTakeFirst();
}
export function volunteerOfPerson(db: Executor, personId: number) {
  return db.selectFrom('volunteers').select('id').where('person_id', '=', personId).executeTakeFirst();
}
export interface VolunteerFilter {
  scopes: readonly string[];
  under: string | null;
  orgId?: number | undefined;
  status?: string | undefined;
  skill?: string | undefined;
  q?: string | undefined;
}
function volunteerQuery(db: Executor, f: VolunteerFilter) {
  return db
    .selectFrom('volunteers')
    .where((eb) => inScopes(eb, 'home_path', f.scopes))
    .$if(f.under !== null, (q) => q.where((eb) => inScopes(eb, 'home_path', [f.under!])))
    .$if(f.orgId !== undefined, (q) => q.where('org_id', '=', f.orgId!))
    .$if(f.status !== undefined, (q) => q.where('status', '=', f.status as VolunteerRow['status']))
    .$if(f.skill !== undefined, (q) => q.where('skills', 'like', `%"${f.skill!}"%`))
    .$if(f.q !== undefined, (q) => q.where('name', 'like', `%${f.q!.replace(/[%_]/g, '')}%`));
}
export function listVolunteers(db: Executor, f: VolunteerFilter, page: number, pageSize: number) {
  return paged(volunteerQuery(db, f), (q) => q.selectAll().orderBy('id', 'desc'), page, pageSize);
}
export function updateVolunteer(db: Executor, id: number, v: Updateable<VolunteersTable>) {
  return db.updateTable('volunteers').set(v).where('id', '=', id).executeTakeFirst();
}

// ---- invitations
export function insertInvitation(db: Executor, v: Insertable<VolunteerInvitationsTable>) {
  return db.insertInto('volunteer_invitations').values(v).returning('id').executeTakeFirstOrThrow();
}
export function invitationByHash(db: Executor, hash: string) {
  return db.selectFrom('volunteer_invitations').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}
/** Counts one use if the invitation is still good: false when it ran out or expired meanwhile. */
export async function useInvitation(db: Executor, id: number, now: string) {
  return one(
    await db
      .updateTable('volunteer_invitations')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('id', '=', id)
      .where((eb) => eb('uses', '<', eb.ref('max_uses')))
      .where('expires_at', '>', now)
      .executeTakeFirst(),
  );
}

// ---- call-outs
export function insertCallout(db: Executor, v: Insertable<CalloutsTable>) {
  return db.insertInto('callouts').values(v).returning('id').executeTakeFirstOrThrow();
}
export function findCallout(db: Executor, id: number) {
  return db.selectFrom('callouts').selectAll().where('id', '=', id).executeTakeFirst();
}
export function calloutOfShift(db: Executor, shiftId: number) {
  return db.selectFrom('callouts').select('id').where('shift_id', '=', shiftId).executeTakeFirst();
}
export function listCallouts(
  db: Executor,
  f: { scopes: readonly string[]; status?: string | undefined; endsAfter?: string; ids?: readonly number[] },
) {
  return db
    .selectFrom('callouts')
    .selectAll()
    .where((eb) => inScopes(eb, 'node_path', f.scopes))
    .$if(f.status !== undefined, (q) => q.where('status', '=', f.status as CalloutRow['status']))
    .$if(f.endsAfter !== undefined, (q) => q.where('ends_at', '>', f.endsAfter!))
    .$if(f.ids !== undefined, (q) => q.where('id', 'in', f.ids!.length ? [...f.ids!] : [0]))
    .orderBy('starts_at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
}
/** Takes one place if one is left: the guarded update is the lock, so two at once never overfill. */
export async function takePlace(db: Executor, id: number) {
  return one(
    await db
      .updateTable('callouts')
      .set((eb) => ({ filled: eb('filled', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'open')
      .where((eb) => eb('filled', '<', eb.ref('capacity')))
      .executeTakeFirst(),
  );
}
export function releasePlace(db: Executor, id: number) {
  return db
    .updateTable('callouts')
    .set((eb) => ({ filled: eb('filled', '-', 1) }))
    .where('id', '=', id)
    .where('filled', '>', 0)
    .execute();
}
/** Guarded state changes: false when the row is no longer in one of the `from` states. */
export async function setCalloutStatus(
  db: Executor,
  id: number,
  from: CalloutRow['status'],
  to: CalloutRow['status'],
  at: string,
) {
  return one(
    await db
      .updateTable('callouts')
      .set({ status: to, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst(),
  );
}
export function findSignup(db: Executor, calloutId: number, volunteerId: number) {
  return db
    .selectFrom('callout_signups')
    .selectAll()
    .where('callout_id', '=', calloutId)
    .where('volunteer_id', '=', volunteerId)
    .executeTakeFirst();
}
export function insertSignup(db: Executor, v: Insertable<CalloutSignupsTable>) {
  return db.insertInto('callout_signups').values(v).returning('id').executeTakeFirstOrThrow();
}
export async function updateSignup(
  db: Executor,
  id: number,
  from: readonly SignupRow['status'][],
  v: Updateable<CalloutSignupsTable>,
) {
  return one(
    await db
      .updateTable('callout_signups')
      .set(v)
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .executeTakeFirst(),
  );
}
export function signupsOf(db: Executor, calloutIds: readonly number[]) {
  if (calloutIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('callout_signups as s')
    .innerJoin('volunteers as v', 'v.id', 's.volunteer_id')
    .selectAll('s')
    .select('v.name as volunteer_name')
    .where('s.callout_id', 'in', [...calloutIds])
    .orderBy('s.id')
    .execute();
}
export function signupsOfVolunteer(db: Executor, volunteerId: number, calloutIds?: readonly number[]) {
  return db
    .selectFrom('callout_signups as s')
    .innerJoin('volunteers as v', 'v.id', 's.volunteer_id')
    .selectAll('s')
    .select('v.name as volunteer_name')
    .where('s.volunteer_id', '=', volunteerId)
    .$if(calloutIds !== undefined, (q) =>
      q.where('s.callout_id', 'in', calloutIds!.length ? [...calloutIds!] : [0]),
    )
    .orderBy('s.id', 'desc')
    .limit(200)
    .execute();
}
/**
 * Sign-ups still waiting to check in, with the volunteer's account: no-shows when their call-out
 * closes, given their place back when it is cancelled.
 */
export function signedUpOf(db: Executor, calloutId: number) {
  return db
    .selectFrom('callout_signups as s')
    .innerJoin('volunteers as v', 'v.id', 's.volunteer_id')
    .select(['s.id', 's.volunteer_id', 'v.user_id'])
    .where('s.callout_id', '=', calloutId)
    .where('s.status', '=', 'signed_up')
    .execute();
}
export function shiftInfo(db: Executor, shiftId: number) {
  return db
    .selectFrom('shifts as s')
    .innerJoin('checkpoints as c', 'c.id', 's.checkpoint_id')
    .select([
      's.id',
      's.starts_at',
      's.ends_at',
      's.required',
      'c.id as checkpoint_id',
      'c.name as checkpoint_name',
      'c.node_id',
      'c.node_path',
      'c.lat',
      'c.lng',
      'c.status as checkpoint_status',
      (eb) =>
        eb
          .selectFrom('shift_assignments as a')
          .select(sql<number>`count(*)`.as('n'))
          .whereRef('a.shift_id', '=', 's.id')
          .as('assigned'),
    ])
    .where('s.id', '=', shiftId)
    .executeTakeFirst();
}
export function checkpointsOfShifts(db: Executor, shiftIds: readonly number[]) {
  if (shiftIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('shifts as s')
    .innerJoin('checkpoints as c', 'c.id', 's.checkpoint_id')
    .select(['s.id as shift_id', 'c.id', 'c.name'])
    .where('s.id', 'in', [...shiftIds])
    .execute();
}
/** Stands the volunteer on the shift their call-out fills (a roster row like any other). */
export async function assignToShift(db: Executor, shiftId: number, userId: number, role: string, at: string) {
  await db
    .insertInto('shift_assignments')
    .values({ shift_id: shiftId, user_id: userId, role, assigned_by_user_id: null, assigned_at: at })
    .onConflict((oc) => oc.columns(['shift_id', 'user_id']).doNothing())
    .execute();
}
export function unassignFromShift(db: Executor, shiftId: number, userId: number) {
  return db
    .deleteFrom('shift_assignments')
    .where('shift_id', '=', shiftId)
    .where('user_id', '=', userId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('shift_check_ins as ci')
            .select('ci.id')
            .whereRef('ci.assignment_id', '=', 'shift_assignments.id'),
        ),
      ),
    )
    .execute();
}

// ---- hours
/** Credits minutes to a volunteer (their month and year, their organisation) in the change's transaction. */
export async function creditMinutes(
  db: Executor,
  v: { id: number; org_id: number | null; home_path: string },
  month: string,
  minutes: number,
) {
  if (minutes <= 0) return;
  const row = { volunteer_id: v.id, org_id: v.org_id ?? 0, home_path: v.home_path, minutes };
  await db
    .insertInto('volunteer_hours')
    .values({ ...row, month })
    .onConflict((oc) =>
      oc.columns(['volunteer_id', 'month']).doUpdateSet((eb) => ({
        minutes: sql<number>`${eb.ref('volunteer_hours.minutes')} + ${eb.ref('excluded.minutes')}`,
      })),
    )
    .execute();
  await db
    .insertInto('volunteer_hours_yearly')
    .values({ ...row, year: month.slice(0, 4) })
    .onConflict((oc) =>
      oc.columns(['volunteer_id', 'year', 'org_id', 'home_path']).doUpdateSet((eb) => ({
        minutes: sql<number>`${eb.ref('volunteer_hours_yearly.minutes')} + ${eb.ref('excluded.minutes')}`,
      })),
    )
    .execute();
  await db
    .updateTable('volunteers')
    .set((eb) => ({ minutes_total: eb('minutes_total', '+', minutes) }))
    .where('id', '=', v.id)
    .execute();
  if (v.org_id !== null)
    await db
      .updateTable('volunteer_orgs')
      .set((eb) => ({ minutes_total: eb('minutes_total', '+', minutes) }))
      .where('id', '=', v.org_id)
      .execute();
}
/**
 * The yearly sums made again from the months: after the months were written in bulk (the demo's
 * history, the bench's load), not through creditMinutes.
 */
export async function rebuildYearlyHours(db: Executor) {
  await db.deleteFrom('volunteer_hours_yearly').execute();
  await sql`insert into volunteer_hours_yearly (volunteer_id, year, org_id, home_path, minutes)
    select volunteer_id, substr(month, 1, 4), org_id, home_path, sum(minutes) from volunteer_hours
    group by volunteer_id, substr(month, 1, 4), org_id, home_path`.execute(db);
}
export function addNoShow(db: Executor, volunteerId: number) {
  return db
    .updateTable('volunteers')
    .set((eb) => ({ no_shows: eb('no_shows', '+', 1) }))
    .where('id', '=', volunteerId)
    .execute();
}
/**
 * The credited minutes of a period: a month's from volunteer_hours, a year's from its yearly sums (one
 * row a volunteer, not twelve). Both tables have the columns the rankings read; the year's builder is
 * typed as the month's for them.
 */
function hoursOfPeriod(db: Executor, period: string) {
  return period.length === 4
    ? (db.selectFrom('volunteer_hours_yearly as h').where('h.year', '=', period) as unknown as ReturnType<
        typeof monthHours
      >)
    : monthHours(db, period);
}
function monthHours(db: Executor, month: string) {
  return db.selectFrom('volunteer_hours as h').where('h.month', '=', month);
}
export function rankVolunteers(
  db: Executor,
  f: { scopes: readonly string[]; period: string; orgId?: number | undefined; limit: number },
) {
  // The hours summed and ranked first (from the covering index of the period's table), then only the
  // ranked few joined to their names: joined first, every row of the period looked up its volunteer
  // (bench/README.md, `services`).
  const ranked = hoursOfPeriod(db, f.period)
    .select(['h.volunteer_id', sql<number>`sum(h.minutes)`.as('minutes')])
    .where((eb) => inScopes(eb, 'h.home_path', f.scopes))
    .$if(f.orgId !== undefined, (q) => q.where('h.org_id', '=', f.orgId!))
    .groupBy('h.volunteer_id')
    .orderBy('minutes', 'desc')
    .orderBy('h.volunteer_id')
    .limit(f.limit);
  return db
    .selectFrom(ranked.as('t'))
    .innerJoin('volunteers as v', 'v.id', 't.volunteer_id')
    .leftJoin('volunteer_orgs as o', 'o.id', 'v.org_id')
    .select(['v.id', 'v.name', 'o.name as org_name', 't.minutes'])
    .orderBy('t.minutes', 'desc')
    .orderBy('v.id')
    .execute();
}
export function rankOrgs(db: Executor, f: { scopes: readonly string[]; period: string; limit: number }) {
  // As rankVolunteers: summed and ranked from the index, then named (org_id 0 is no organisation).
  const ranked = hoursOfPeriod(db, f.period)
    .select(['h.org_id', sql<number>`sum(h.minutes)`.as('minutes')])
    .where((eb) => inScopes(eb, 'h.home_path', f.scopes))
    .where('h.org_id', '<>', 0)
    .groupBy('h.org_id')
    .orderBy('minutes', 'desc')
    .orderBy('h.org_id')
    .limit(f.limit);
  return db
    .selectFrom(ranked.as('t'))
    .innerJoin('volunteer_orgs as o', 'o.id', 't.org_id')
    .select(['o.id', 'o.name', 't.minutes'])
    .orderBy('t.minutes', 'desc')
    .orderBy('o.id')
    .execute();
}
export function hoursByMonth(db: Executor, volunteerId: number) {
  return db
    .selectFrom('volunteer_hours')
    .select(['month', 'minutes'])
    .where('volunteer_id', '=', volunteerId)
    .orderBy('month')
    .execute();
}

// ---- people, as a task needs them
export function personForTask(db: Executor, id: number) {
  return db
    .selectFrom('persons as p')
    .leftJoin('households as h', 'h.id', 'p.household_id')
    .select([
      'p.id',
      'p.name',
      'p.node_id',
      'p.node_path',
      'p.phone_masked',
      'p.merged_into_id',
      sql<string | null>`coalesce(p.address, h.address)`.as('address'),
    ])
    .where('p.id', '=', id)
    .executeTakeFirst();
}
export function peopleForTasks(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('persons as p')
    .leftJoin('households as h', 'h.id', 'p.household_id')
    .select([
      'p.id',
      'p.name',
      'p.phone_masked',
      sql<string | null>`coalesce(p.address, h.address)`.as('address'),
    ])
    .where('p.id', 'in', [...new Set(ids)])
    .execute();
}
export function personByIdBidx(db: Executor, bidx: string) {
  return db
    .selectFrom('persons')
    .select(['id', 'name', 'node_id', 'node_path'])
    .where('id_number_bidx', '=', bidx)
    .where('merged_into_id', 'is', null)
    .executeTakeFirst();
}

// ---- service requests
export function insertRequest(db: Executor, v: Insertable<ServiceRequestsTable>) {
  return db.insertInto('service_requests').values(v).returning('id').executeTakeFirstOrThrow();
}
const REQUEST_COLUMNS = [
  'id',
  'person_id',
  'node_id',
  'node_path',
  'kind',
  'details',
  'source',
  'follow_up_id',
  'status',
  'volunteer_id',
  'org_id',
  'respond_by',
  'escalation_level',
  'escalated_at',
  'accepted_at',
  'done_at',
  'done_note',
  'photo_sha256',
  'photo_mime',
  'minutes',
  'satisfaction',
  'cancel_reason',
  'created_by',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof RequestRow)[];
export function findRequest(db: Executor, id: number): Promise<RequestRow | undefined> {
  return db.selectFrom('service_requests').select(REQUEST_COLUMNS).where('id', '=', id).executeTakeFirst();
}
export interface RequestFilter {
  scopes: readonly string[] | null;
  under: string | null;
  status?: string | undefined;
  volunteerId?: number | undefined;
  escalated?: boolean;
}
function requestQuery(db: Executor, f: RequestFilter) {
  return db
    .selectFrom('service_requests')
    .$if(f.scopes !== null, (q) => q.where((eb) => inScopes(eb, 'node_path', f.scopes!)))
    .$if(f.under !== null, (q) => q.where((eb) => inScopes(eb, 'node_path', [f.under!])))
    .$if(f.status !== undefined, (q) => q.where('status', '=', f.status as RequestRow['status']))
    .$if(f.volunteerId !== undefined, (q) => q.where('volunteer_id', '=', f.volunteerId!))
    .$if(f.escalated === true, (q) => q.where('escalation_level', '>', 0));
}
export function listRequests(db: Executor, f: RequestFilter, page: number, pageSize: number) {
  return paged(requestQuery(db, f), (q) => q.select(REQUEST_COLUMNS).orderBy('id', 'desc'), page, pageSize);
}
export async function updateRequest(
  db: Executor,
  id: number,
  from: readonly RequestRow['status'][],
  v: Updateable<ServiceRequestsTable>,
) {
  return one(
    await db
      .updateTable('service_requests')
      .set(v)
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .executeTakeFirst(),
  );
}
export function requestsDue(db: Executor, now: string, limit: number) {
  return db
    .selectFrom('service_requests')
    .select('id')
    .where('status', 'in', ['open', 'assigned'])
    .where('respond_by', '<', now)
    .orderBy('respond_by')
    .limit(limit)
    .execute();
}
/**
 * Active volunteers with an account living under a place, with their open tasks: the candidates
 * for a request there. Nearest first is the caller's order (grid, then village, then town).
 */
export function candidatesUnder(db: Executor, path: string, limit: number) {
  return db
    .selectFrom('volunteers as v')
    .select([
      'v.id',
      'v.name',
      'v.user_id',
      'v.home_node_id',
      'v.home_path',
      'v.skills',
      'v.org_id',
      (eb) =>
        eb
          .selectFrom('service_requests as r')
          .select(sql<number>`count(*)`.as('n'))
          .whereRef('r.volunteer_id', '=', 'v.id')
          .where('r.status', 'in', ['assigned', 'accepted'])
          .as('open_tasks'),
    ])
    .where((eb) => inScopes(eb, 'v.home_path', [path]))
    .where('v.status', '=', 'active')
    .where('v.user_id', 'is not', null)
    .orderBy('v.id')
    .limit(limit)
    .execute();
}

// ---- care
export function careRules(db: Executor) {
  return db.selectFrom('care_rules').selectAll().orderBy('tag_code').execute();
}
export async function upsertCareRule(db: Executor, tag: string, everyDays: number, by: number, at: string) {
  await db
    .insertInto('care_rules')
    .values({ tag_code: tag, every_days: everyDays, updated_by: by, updated_at: at })
    .onConflict((oc) =>
      oc.column('tag_code').doUpdateSet({ every_days: everyDays, updated_by: by, updated_at: at }),
    )
    .execute();
}
/** Everyone carrying a care tag, with each tag: the roster is rebuilt from these. */
export function taggedPeople(db: Executor, tags: readonly string[]) {
  if (tags.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('person_tags as t')
    .innerJoin('persons as p', 'p.id', 't.person_id')
    .select(['p.id', 'p.node_id', 'p.node_path', 't.tag_code'])
    .where('t.tag_code', 'in', [...tags])
    .where('p.merged_into_id', 'is', null)
    .execute();
}
export function rosterRows(db: Executor) {
  return db
    .selectFrom('care_roster')
    .select(['id', 'person_id', 'tag_code', 'every_days', 'started_on', 'last_visit_on', 'next_due_on'])
    .execute();
}
export async function insertRoster(db: Executor, rows: Insertable<CareRosterTable>[]) {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('care_roster')
      .values(rows.slice(i, i + 500))
      .execute();
}
export function updateRoster(db: Executor, id: number, v: Updateable<CareRosterTable>) {
  return db.updateTable('care_roster').set(v).where('id', '=', id).execute();
}
export async function deleteRoster(db: Executor, ids: readonly number[]) {
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await db.deleteFrom('care_visits').where('roster_id', 'in', chunk).execute();
    await db.deleteFrom('care_roster').where('id', 'in', chunk).execute();
  }
}
export function findRoster(db: Executor, id: number) {
  return db.selectFrom('care_roster').selectAll().where('id', '=', id).executeTakeFirst();
}
export interface RosterFilter {
  scopes: readonly string[] | null;
  under: string | null;
  overdueBefore?: string | undefined;
  visitorId?: number | undefined;
}
function rosterQuery(db: Executor, f: RosterFilter) {
  return db
    .selectFrom('care_roster')
    .$if(f.scopes !== null, (q) => q.where((eb) => inScopes(eb, 'node_path', f.scopes!)))
    .$if(f.under !== null, (q) => q.where((eb) => inScopes(eb, 'node_path', [f.under!])))
    .$if(f.overdueBefore !== undefined, (q) => q.where('next_due_on', '<', f.overdueBefore!))
    .$if(f.visitorId !== undefined, (q) => q.where('visitor_id', '=', f.visitorId!));
}
export function listRoster(db: Executor, f: RosterFilter, page: number, pageSize: number) {
  return paged(rosterQuery(db, f), (q) => q.selectAll().orderBy('next_due_on').orderBy('id'), page, pageSize);
}
/** On the roster and overdue (due before today) per grid under the places given. */
export function overdueByGrid(db: Executor, scopes: readonly string[], today: string) {
  return db
    .selectFrom('care_roster')
    .select([
      'node_id',
      sql<number>`count(*)`.as('on_roster'),
      sql<number>`sum(case when next_due_on < ${today} then 1 else 0 end)`.as('overdue'),
    ])
    .where((eb) => inScopes(eb, 'node_path', scopes))
    .groupBy('node_id')
    .execute();
}
/**
 * Care visits overdue (due before today) under each of `paths`, a node and its children: one count
 * per grid within the node's subtree (the due-day index), rolled up to each place.
 */
export async function countOverdueByPlace(db: Executor, paths: readonly string[], today: string) {
  const out = new Map<string, number>(paths.map((p) => [p, 0]));
  if (paths.length === 0) return out;
  const rows = await db
    .selectFrom('care_roster')
    .select(['node_path', sql<number>`count(*)`.as('n')])
    .where((eb) => inScopes(eb, 'node_path', [paths[0]!]))
    .where('next_due_on', '<', today)
    .groupBy('node_path')
    .execute();
  for (const r of rows)
    for (const p of paths) if (isWithin(r.node_path, p)) out.set(p, out.get(p)! + Number(r.n));
  return out;
}
export function insertVisit(db: Executor, v: Insertable<CareVisitsTable>) {
  return db.insertInto('care_visits').values(v).returning('id').executeTakeFirstOrThrow();
}
