// The audit viewer: rows placed in the caller's scope; rows not placed in the tree (logins, roles)
// only for those whose audit.read reaches a tree root.
import type { z } from 'zod';
import type { AuditEntry, auditQuery } from '../../../common/contracts/audit.js';
import type { DB } from '../../db/index.js';
import { likeContains, subtreeRange } from '../../db/dialect.js';
import {
  actorOf,
  assertCan,
  inScopes,
  isTreeRoot,
  scopesFor,
  type RequestContext,
} from '../../platform/actor.js';
import { verifyAuditChain } from '../../platform/audit.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { findNode } from '../nodes/index.js';

export function createAuditService(deps: { db: DB }) {
  const { db } = deps;
  return {
    async list(ctx: RequestContext, q: z.infer<typeof auditQuery>) {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'audit.read');
      const seesUnplaced = scopes.some(isTreeRoot);
      let under: string | undefined;
      if (q.node) {
        const node = await findNode(db, q.node);
        if (!node) throw notFound('node');
        assertCan(actor, 'audit.read', node.path);
        under = node.path;
      }
      let base = db.selectFrom('audit_log').where((eb) => {
        const placed = inScopes(eb, 'node_path', scopes);
        return seesUnplaced && !under ? eb.or([placed, eb('node_path', 'is', null)]) : placed;
      });
      if (under) {
        const [lo, hi] = subtreeRange(under);
        base = base.where('node_path', '>=', lo).where('node_path', '<', hi);
      }
      if (q.actor) base = base.where('actor_label', '=', q.actor);
      if (q.entityType) base = base.where('entity_type', '=', q.entityType);
      if (q.entityId) base = base.where('entity_id', '=', q.entityId);
      if (q.action) base = base.where(likeContains('action', q.action, 'prefix'));
      const total = await base
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
      const rows = await base
        .selectAll()
        .orderBy('id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute();
      const items: AuditEntry[] = rows.map((r) => ({
        id: r.id,
        at: r.at,
        actorUserId: r.actor_user_id,
        actorLabel: r.actor_label,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        nodePath: r.node_path,
        detail: r.detail ? (JSON.parse(r.detail) as unknown) : null,
        requestId: r.request_id,
        hash: r.hash,
      }));
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    async verify(ctx: RequestContext) {
      const actor = actorOf(ctx);
      if (!scopesFor(actor, 'audit.read').some(isTreeRoot)) throw forbidden('audit_verify_root');
      return verifyAuditChain(db);
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
