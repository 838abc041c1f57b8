// SQL for users, roles, role assignments, sessions and API keys.
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
