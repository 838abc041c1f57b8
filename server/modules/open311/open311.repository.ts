// SQL for Open311 GeoReport v2: the public sub-categories as services, events in them as service
// requests (public columns only: never a reporter's name or phone), and the Open311 keys.
import type { Executor } from '../../db/index.js';

// ---- services: active public sub-categories, with their parent as the group

function publicServices(db: Executor) {
  return db
    .selectFrom('event_categories as c')
    .innerJoin('event_categories as p', 'p.id', 'c.parent_id')
    .select([
      'c.id',
      'c.code',
      'c.name_zh',
      'c.name_en',
      'c.closing_criteria',
      'c.extra_fields',
      'c.updated_at',
      'p.name_zh as group_zh',
      'p.name_en as group_en',
    ])
    .where('c.is_public', '=', 1)
    .where('c.retired_at', 'is', null)
    .where('c.handling_level', 'is not', null);
}
export type ServiceRow = Awaited<ReturnType<typeof listServices>>[number];

export function listServices(db: Executor) {
  return publicServices(db).orderBy('c.sort').orderBy('c.id').execute();
}
export function findService(db: Executor, code: string) {
  return publicServices(db).where('c.code', '=', code).executeTakeFirst();
}
/** When the taxonomy last changed: discovery's changeset tells clients to refresh cached services. */
export async function servicesChangedAt(db: Executor) {
  const r = await db
    .selectFrom('event_categories')
    .select((eb) => eb.fn.max('updated_at').as('at'))
    .executeTakeFirst();
  return (r?.at as string | null | undefined) ?? null;
}

// ---- service requests: events in public categories

export interface RequestFilter {
  ids?: readonly number[] | undefined;
  serviceCodes?: readonly string[] | undefined;
  /** Inclusive bounds on created_at (ISO-8601 UTC text). */
  from?: string | undefined;
  to?: string | undefined;
  /** Only these states, or every state except these. */
  states?: { in: readonly string[] } | { notIn: readonly string[] } | undefined;
  limit: number;
}

function requests(db: Executor) {
  return db
    .selectFrom('events as e')
    .innerJoin('event_categories as c', 'c.id', 'e.category_id')
    .leftJoin('departments as d', 'd.id', 'e.lead_department_id')
    .select([
      'e.id',
      'e.state',
      'e.channel',
      'e.description',
      'e.address',
      'e.lat',
      'e.lng',
      'e.handle_due_at',
      'e.created_at',
      'e.updated_at',
      'c.code as service_code',
      'c.name_zh as service_name',
      'c.closing_criteria',
      'd.name as agency',
    ])
    .where('c.is_public', '=', 1);
}
export type RequestRow = Awaited<ReturnType<typeof listRequests>>[number];

/** Newest first. */
export function listRequests(db: Executor, f: RequestFilter) {
  let q = requests(db);
  if (f.ids) q = q.where('e.id', 'in', f.ids.length > 0 ? f.ids : [0]);
  if (f.serviceCodes && f.serviceCodes.length > 0) q = q.where('c.code', 'in', f.serviceCodes);
  if (f.from) q = q.where('e.created_at', '>=', f.from);
  if (f.to) q = q.where('e.created_at', '<=', f.to);
  if (f.states && 'in' in f.states) q = q.where('e.state', 'in', f.states.in);
  if (f.states && 'notIn' in f.states) q = q.where('e.state', 'not in', f.states.notIn);
  return q.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(f.limit).execute();
}

export function findRequest(db: Executor, id: number) {
  return requests(db).where('e.id', '=', id).executeTakeFirst();
}

export function findRequestByToken(db: Executor, token: string) {
  return db
    .selectFrom('events as e')
    .innerJoin('event_categories as c', 'c.id', 'e.category_id')
    .select(['e.id', 'e.tracking_code'])
    .where('e.tracking_code', '=', token)
    .where('c.is_public', '=', 1)
    .executeTakeFirst();
}

/** The public notes of these events (feedback and rejections), oldest first. */
export function publicNotes(db: Executor, eventIds: readonly number[]) {
  if (eventIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('event_history')
    .select(['id', 'event_id', 'action', 'reason', 'detail'])
    .where('event_id', 'in', eventIds)
    .where('action', 'in', ['feed_back', 'reject'])
    .where('is_public', '=', 1)
    .orderBy('id')
    .execute();
}

// ---- keys

export function listKeys(db: Executor) {
  return db
    .selectFrom('open311_keys as k')
    .leftJoin('users as u', 'u.id', 'k.created_by')
    .select([
      'k.id',
      'k.name',
      'k.prefix',
      'k.created_at',
      'k.last_used_at',
      'k.revoked_at',
      'u.username as created_by',
    ])
    .orderBy('k.id', 'desc')
    .execute();
}
export type KeyRow = Awaited<ReturnType<typeof listKeys>>[number];

export function findKey(db: Executor, id: number) {
  return db.selectFrom('open311_keys').selectAll().where('id', '=', id).executeTakeFirst();
}
export function findKeyByHash(db: Executor, keyHash: string) {
  return db.selectFrom('open311_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}
export async function insertKey(
  db: Executor,
  v: { name: string; key_hash: string; prefix: string; created_by: number | null; created_at: string },
) {
  const r = await db
    .insertInto('open311_keys')
    .values({ ...v, revoked_at: null, last_used_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
export function revokeKey(db: Executor, id: number, at: string) {
  return db.updateTable('open311_keys').set({ revoked_at: at }).where('id', '=', id).execute();
}
export function touchKey(db: Executor, id: number, at: string) {
  return db.updateTable('open311_keys').set({ last_used_at: at }).where('id', '=', id).execute();
}
