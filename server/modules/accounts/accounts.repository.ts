// SQL for users, roles, role assignments, sessions and API keys.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import type { UserRow } from '../../db/schema.js';
import { inScopes } from '../../platform/actor.js';
import { likeContains, subtreeRange } from '../../db/dialect.js';

export function findUserByUsername(db: Executor, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}
export function findUser(db: Executor, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}
export function updateUser(db: Executor, id: number, set: Partial<UserRow>) {
  return db.updateTable('users').set(set).where('id', '=', id).execute();
}
/** A new, enabled account row: no failures, no lockout, no second factor yet. */
export function newUserRow(
  username: string,
  displayName: string,
  passwordHash: string,
  now: string,
): Omit<UserRow, 'id'> {
  return {
    username,
    display_name: displayName,
    password_hash: passwordHash,
    disabled: 0,
    failed_logins: 0,
    locked_until: null,
    totp_secret: null,
    totp_enabled: 0,
    created_at: now,
    updated_at: now,
    last_login_at: null,
  };
}

export async function insertUser(db: Executor, values: Omit<UserRow, 'id'>) {
  const r = await db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export function assignmentsOf(db: Executor, userIds: readonly number[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('role_assignments as a')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .select([
      'a.id',
      'a.user_id',
      'r.id as role_id',
      'r.code as role_code',
      'r.name_zh',
      'r.name_en',
      'n.id as node_id',
      'n.name as node_name',
      'n.level as node_level',
      'n.path as node_path',
      'n.full_code as node_full_code',
    ])
    .where('a.user_id', 'in', userIds)
    .orderBy('n.path')
    .orderBy('a.id')
    .execute();
}
export type AssignmentRow = Awaited<ReturnType<typeof assignmentsOf>>[number];

/** Users with at least one assignment inside the scopes (and inside `under`, when given). */
export async function listUsersInScope(
  db: Executor,
  opts: { scopes: readonly string[]; under?: string; q?: string; page: number; pageSize: number },
) {
  let base = db.selectFrom('users as u').where((eb) =>
    eb.exists(
      eb
        .selectFrom('role_assignments as a')
        .innerJoin('nodes as n', 'n.id', 'a.node_id')
        .select('a.id')
        .whereRef('a.user_id', '=', 'u.id')
        .where((eb2) => inScopes(eb2, 'n.path', opts.scopes))
        .$if(opts.under !== undefined, (q) => {
          const [lo, hi] = subtreeRange(opts.under!);
          return q.where('n.path', '>=', lo).where('n.path', '<', hi);
        }),
    ),
  );
  if (opts.q) {
    const q = opts.q;
    base = base.where((eb) => eb.or([likeContains('u.username', q), likeContains('u.display_name', q)]));
  }
  const total = await base
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
  const items = await base
    .selectAll('u')
    .orderBy('u.username')
    .limit(opts.pageSize)
    .offset((opts.page - 1) * opts.pageSize)
    .execute();
  return { total, items };
}

export function insertAssignment(db: Executor, userId: number, roleId: number, nodeId: number, now: string) {
  return db
    .insertInto('role_assignments')
    .values({ user_id: userId, role_id: roleId, node_id: nodeId, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
}
export function findAssignment(db: Executor, id: number) {
  return db.selectFrom('role_assignments').selectAll().where('id', '=', id).executeTakeFirst();
}
export function deleteAssignment(db: Executor, id: number) {
  return db.deleteFrom('role_assignments').where('id', '=', id).execute();
}
export function assignmentExists(db: Executor, userId: number, roleId: number, nodeId: number) {
  return db
    .selectFrom('role_assignments')
    .select('id')
    .where('user_id', '=', userId)
    .where('role_id', '=', roleId)
    .where('node_id', '=', nodeId)
    .executeTakeFirst();
}

export function listRoles(db: Executor) {
  return db
    .selectFrom('roles as r')
    .selectAll('r')
    .select((eb) =>
      eb
        .selectFrom('role_assignments as a')
        .select((e) => e.fn.count<number>('a.user_id').distinct().as('n'))
        .whereRef('a.role_id', '=', 'r.id')
        .as('user_count'),
    )
    .orderBy('r.id')
    .execute();
}
export function findRole(db: Executor, id: number) {
  return db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
}
export function findRoleByCode(db: Executor, code: string) {
  return db.selectFrom('roles').selectAll().where('code', '=', code).executeTakeFirst();
}

export function deleteSession(db: Executor, id: number) {
  return db.deleteFrom('sessions').where('id', '=', id).execute();
}
export function deleteSessionsOfUser(db: Executor, userId: number, exceptId?: number) {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return q.execute();
}

export function listApiKeys(db: Executor, userId: number) {
  return db.selectFrom('api_keys').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
}

// Login throttles (ADR 0008): one row per pairing (username from an address) and per address.
export type ThrottleKind = 'pairing' | 'address';
/** The row an address holds whatever the username: usernames are never empty. */
export const ADDRESS_ROW_USERNAME = '';

/** The pairing's and the address's rows still in force: one indexed read on the sign-in path. */
export function liveThrottlesFor(db: Executor, address: string, username: string, now: string) {
  return db
    .selectFrom('login_throttles')
    .selectAll()
    .where('address', '=', address)
    .where('username', 'in', [username, ADDRESS_ROW_USERNAME])
    .where('expires_at', '>', now)
    .execute();
}

/**
 * Counts one failure, atomically on both databases: a row past its expiry or its lock starts over.
 * Returns the count after this failure.
 */
export function bumpThrottle(
  db: Executor,
  key: { kind: ThrottleKind; address: string; username: string },
  now: string,
  expiresAt: string,
) {
  const stale = sql<boolean>`(login_throttles.expires_at <= ${now} or (login_throttles.locked_until is not null and login_throttles.locked_until <= ${now}))`;
  return db
    .insertInto('login_throttles')
    .values({
      ...key,
      failures: 1,
      first_failure_at: now,
      last_failure_at: now,
      next_attempt_at: null,
      locked_until: null,
      expires_at: expiresAt,
    })
    .onConflict((oc) =>
      oc.columns(['address', 'username', 'kind']).doUpdateSet({
        failures: sql<number>`case when ${stale} then 1 else login_throttles.failures + 1 end`,
        first_failure_at: sql<string>`case when ${stale} then excluded.first_failure_at else login_throttles.first_failure_at end`,
        last_failure_at: now,
        expires_at: expiresAt,
      }),
    )
    .returning(['id', 'failures'])
    .executeTakeFirstOrThrow();
}

export function setThrottlePenalty(
  db: Executor,
  id: number,
  set: { next_attempt_at: string | null; locked_until: string | null; expires_at: string },
) {
  return db.updateTable('login_throttles').set(set).where('id', '=', id).execute();
}

export function deleteThrottle(db: Executor, id: number) {
  return db.deleteFrom('login_throttles').where('id', '=', id).execute();
}

export function findThrottle(db: Executor, id: number) {
  return db.selectFrom('login_throttles').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Throttles that hold something back now: a delay not yet over or a lock. */
export function activeThrottles(db: Executor, now: string) {
  return db
    .selectFrom('login_throttles')
    .selectAll()
    .where((eb) => eb.or([eb('next_attempt_at', '>', now), eb('locked_until', '>', now)]))
    .orderBy('last_failure_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
}

/** The usernames among these with a pairing locked now (from any address). */
export async function lockedUsernames(db: Executor, usernames: readonly string[], now: string) {
  if (usernames.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom('login_throttles')
    .select('username')
    .distinct()
    .where('kind', '=', 'pairing')
    .where('username', 'in', usernames)
    .where('locked_until', '>', now)
    .execute();
  return new Set(rows.map((r) => r.username));
}

export function deletePairingsOfUsername(db: Executor, username: string) {
  return db
    .deleteFrom('login_throttles')
    .where('kind', '=', 'pairing')
    .where('username', '=', username)
    .returning(['id', 'address', 'failures', 'locked_until'])
    .execute();
}

export async function pruneThrottles(db: Executor, now: string) {
  const r = await db.deleteFrom('login_throttles').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
