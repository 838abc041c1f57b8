// SQL for notifications: who is assigned where (a notice's recipients), writing them, reading and marking them.
import type { Message } from '../../../common/messages/index.js';
import type { Executor } from '../../db/index.js';

/** Users with a role assignment exactly at one of these nodes (by path) whose role grants the permission. */
export async function usersAssignedAt(db: Executor, paths: readonly string[], permission: string) {
  if (paths.length === 0) return [];
  const rows = await db
    .selectFrom('role_assignments as a')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.user_id', 'r.permissions'])
    .where('n.path', 'in', paths)
    .where('u.disabled', '=', 0)
    .execute();
  return [
    ...new Set(
      rows.filter((r) => (JSON.parse(r.permissions) as string[]).includes(permission)).map((r) => r.user_id),
    ),
  ];
}
export async function notify(
  db: Executor,
  userIds: readonly number[],
  n: { at: string; kind: string; message: Message; entityType: string; entityId: number },
) {
  if (userIds.length === 0) return;
  await db
    .insertInto('notifications')
    .values(
      userIds.map((u) => ({
        user_id: u,
        at: n.at,
        kind: n.kind,
        text_zh: '',
        text_en: '',
        message_code: n.message.code,
        message_params: n.message.params ? JSON.stringify(n.message.params) : null,
        entity_type: n.entityType,
        entity_id: n.entityId,
        read_at: null,
      })),
    )
    .execute();
}
export function notificationsOf(db: Executor, userId: number, limit: number) {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
/** All of the user's unread notifications, or only those up to `upToId` (the newest the user has seen). */
export function markNotificationsRead(db: Executor, userId: number, now: string, upToId?: number) {
  return db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .$if(upToId !== undefined, (q) => q.where('id', '<=', upToId!))
    .execute();
}
