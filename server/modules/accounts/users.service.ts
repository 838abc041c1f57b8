// User administration: every list is filtered by the caller's scope in SQL; a user can be managed
// only by someone whose users.manage scope covers every one of that user's assignments.
import { msg } from '../../../common/messages/index.js';
import type { z } from 'zod';
import type {
  createUserBody,
  listUsersQuery,
  updateUserBody,
  UserSummary,
} from '../../../common/contracts/accounts.js';
import type { DB, Executor } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import type { UserRow } from '../../db/schema.js';
import {
  actorOf,
  assertCan,
  can,
  isTreeRoot,
  permissionsAt,
  scopesFor,
  type Actor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { hashPassword } from '../../platform/crypto.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { findNode, listNode } from '../nodes/index.js';
import { toAssignmentDto } from './auth.service.js';
import * as repo from './accounts.repository.js';

export function createUsersService(deps: { db: DB; now?: () => string }) {
  const { db } = deps;
  const now = deps.now ?? nowIso;

  async function summaries(rows: UserRow[]): Promise<UserSummary[]> {
    const assignments = await repo.assignmentsOf(
      db,
      rows.map((r) => r.id),
    );
    // Locked: some address's pairing with this username is locked now (ADR 0008).
    const locked = await repo.lockedUsernames(
      db,
      rows.map((r) => r.username),
      now(),
    );
    return rows.map((u) => ({
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      disabled: u.disabled === 1,
      locked: locked.has(u.username),
      totpEnabled: u.totp_enabled === 1,
      lastLoginAt: u.last_login_at,
      assignments: assignments
        .filter((a) => a.user_id === u.id)
        .map(toAssignmentDto) as UserSummary['assignments'],
    }));
  }

  /** The user, if any of their assignments lies in the caller's users.read scope. */
  async function loadVisible(x: Executor, actor: Actor, id: number) {
    const user = await repo.findUser(x, id);
    if (!user) throw notFound('user');
    const assignments = await repo.assignmentsOf(x, [id]);
    // A user with no assignment left belongs to no node: only district-level administrators see them.
    const visible =
      actor.userId === id ||
      (assignments.length === 0
        ? scopesFor(actor, 'users.read').some(isTreeRoot)
        : assignments.some((a) => can(actor, 'users.read', a.node_path)));
    if (!visible) throw forbidden();
    return { user, assignments };
  }

  function canManage(actor: Actor, assignments: repo.AssignmentRow[]) {
    if (assignments.length === 0) return scopesFor(actor, 'users.manage').some(isTreeRoot);
    return assignments.every((a) => can(actor, 'users.manage', a.node_path));
  }

  async function assertManageable(x: Executor, actor: Actor, id: number) {
    const v = await loadVisible(x, actor, id);
    if (!canManage(actor, v.assignments)) throw forbidden('user_outside');
    return v;
  }

  /** A role may be granted at a node only by someone who holds every one of its permissions there. */
  async function checkGrant(x: Executor, actor: Actor, roleId: number, nodeId: number) {
    const [role, node] = await Promise.all([repo.findRole(x, roleId), findNode(x, nodeId)]);
    if (!role) throw notFound('role');
    if (!node) throw notFound('node');
    // Scope before state: a node outside the caller's jurisdiction answers 403, retired or not.
    assertCan(actor, 'users.manage', node.path);
    if (node.retired_at) throw conflict('node.retired');
    const held = permissionsAt(actor, node.path);
    const missing = (JSON.parse(role.permissions) as string[]).filter((p) => !held.has(p));
    if (missing.length > 0) throw forbidden('grant_missing', { permissions: missing.join(', ') });
    return { role, node };
  }

  return {
    async list(ctx: RequestContext, q: z.infer<typeof listUsersQuery>) {
      const actor = actorOf(ctx);
      let under: string | undefined;
      if (q.node) under = (await listNode(db, scopesFor(actor, 'users.read'), q.node)).path;
      const { total, items } = await repo.listUsersInScope(db, {
        scopes: scopesFor(actor, 'users.read'),
        ...(under ? { under } : {}),
        ...(q.q ? { q: q.q } : {}),
        page: q.page,
        pageSize: q.pageSize,
      });
      return { items: await summaries(items), total, page: q.page, pageSize: q.pageSize };
    },

    async get(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const { user, assignments } = await loadVisible(db, actor, id);
      const [summary] = await summaries([user]);
      const manage = canManage(actor, assignments);
      return {
        ...summary!,
        abilities: {
          update: manage,
          disable: manage && id !== actor.userId,
          resetPassword: manage,
          assign: manage,
        },
      };
    },

    async create(ctx: RequestContext, body: z.infer<typeof createUserBody>) {
      const actor = actorOf(ctx);
      const hash = await hashPassword(body.password);
      const id = await db.transaction().execute(async (trx) => {
        for (const a of body.assignments) await checkGrant(trx, actor, a.roleId, a.nodeId);
        if (await repo.findUserByUsername(trx, body.username)) {
          throw conflict(
            'user.username_taken',
            { username: body.username },
            {
              issues: [{ path: 'body.username', message: msg('issue.taken'), code: 'taken' }],
            },
          );
        }
        const now = nowIso();
        const userId = await repo.insertUser(
          trx,
          repo.newUserRow(body.username, body.displayName, hash, now),
        );
        const unique = new Map(body.assignments.map((a) => [`${a.roleId}:${a.nodeId}`, a]));
        for (const a of unique.values()) await repo.insertAssignment(trx, userId, a.roleId, a.nodeId, now);
        const first = await findNode(trx, body.assignments[0]!.nodeId);
        await recordAudit(trx, ctx, {
          action: 'user.create',
          entityType: 'user',
          entityId: userId,
          nodePath: first?.path ?? null,
          after: { username: body.username, displayName: body.displayName, assignments: [...unique.keys()] },
        });
        return userId;
      });
      return this.get(ctx, id);
    },

    async update(ctx: RequestContext, id: number, body: z.infer<typeof updateUserBody>) {
      const actor = actorOf(ctx);
      await db.transaction().execute(async (trx) => {
        const { user, assignments } = await assertManageable(trx, actor, id);
        if (body.disabled === true && id === actor.userId) throw conflict('user.self_disable');
        const set: Partial<UserRow> = { updated_at: nowIso() };
        if (body.displayName !== undefined) set.display_name = body.displayName;
        if (body.disabled !== undefined) set.disabled = body.disabled ? 1 : 0;
        await repo.updateUser(trx, id, set);
        // Unlocking lifts every address's throttle on this username; the rows go into the audit row.
        const lifted = body.unlock ? await repo.deletePairingsOfUsername(trx, user.username) : [];
        if (body.disabled) await repo.deleteSessionsOfUser(trx, id);
        await recordAudit(trx, ctx, {
          action:
            body.disabled === true
              ? 'user.disable'
              : body.disabled === false
                ? 'user.enable'
                : body.unlock
                  ? 'user.unlock'
                  : 'user.update',
          entityType: 'user',
          entityId: id,
          nodePath: assignments[0]?.node_path ?? null,
          before: {
            displayName: user.display_name,
            disabled: user.disabled,
            ...(body.unlock ? { throttles: lifted } : {}),
          },
          after: {
            displayName: set.display_name ?? user.display_name,
            disabled: set.disabled ?? user.disabled,
          },
        });
      });
      return this.get(ctx, id);
    },

    async resetPassword(ctx: RequestContext, id: number, newPassword: string) {
      const actor = actorOf(ctx);
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        const { user, assignments } = await assertManageable(trx, actor, id);
        await repo.updateUser(trx, id, { password_hash: hash, updated_at: nowIso() });
        // A new password given by an administrator starts the username's sign-in throttles over.
        await repo.deletePairingsOfUsername(trx, user.username);
        await repo.deleteSessionsOfUser(trx, id);
        await recordAudit(trx, ctx, {
          action: 'user.password_reset',
          entityType: 'user',
          entityId: id,
          nodePath: assignments[0]?.node_path ?? null,
        });
      });
    },

    async addAssignment(ctx: RequestContext, id: number, roleId: number, nodeId: number) {
      const actor = actorOf(ctx);
      await db.transaction().execute(async (trx) => {
        await loadVisible(trx, actor, id);
        const { role, node } = await checkGrant(trx, actor, roleId, nodeId);
        if (await repo.assignmentExists(trx, id, roleId, nodeId)) throw conflict('assignment.exists');
        const a = await repo.insertAssignment(trx, id, roleId, nodeId, nowIso());
        await recordAudit(trx, ctx, {
          action: 'assignment.create',
          entityType: 'user',
          entityId: id,
          nodePath: node.path,
          after: { assignmentId: a.id, role: role.code, nodeId },
        });
      });
      return this.get(ctx, id);
    },

    async removeAssignment(ctx: RequestContext, id: number, assignmentId: number) {
      const actor = actorOf(ctx);
      await db.transaction().execute(async (trx) => {
        // Scope before state: a user outside the caller's view answers 403 whatever the assignment id.
        await loadVisible(trx, actor, id);
        const a = await repo.findAssignment(trx, assignmentId);
        if (!a || a.user_id !== id) throw notFound('assignment');
        const node = await findNode(trx, a.node_id);
        assertCan(actor, 'users.manage', node!.path);
        await repo.deleteAssignment(trx, assignmentId);
        await recordAudit(trx, ctx, {
          action: 'assignment.delete',
          entityType: 'user',
          entityId: id,
          nodePath: node!.path,
          before: { assignmentId, roleId: a.role_id, nodeId: a.node_id },
        });
      });
      return this.get(ctx, id);
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
