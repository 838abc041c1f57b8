// The audit viewer: rows placed in the caller's scope; rows not placed in the tree (logins, roles)
// only for those whose audit.read reaches a tree root.
import type { z } from 'zod';
import type { AuditEntry, auditQuery } from '../../../common/contracts/audit.js';
import type { DB } from '../../db/index.js';
import { likeContains, subtreeRange } from '../../db/dialect.js';
import { actorOf, inScopes, isTreeRoot, scopesFor, type RequestContext } from '../../platform/actor.js';
import { anchorAuditHead, auditAnchorKey, recordAudit, verifyAuditChain } from '../../platform/audit.js';
import type { AnchorLog, AuditAnchor } from '../../platform/audit-anchors.js';
import { forbidden } from '../../platform/errors.js';
import { listNode } from '../nodes/index.js';

const view = ({ v: _v, ...a }: AuditAnchor) => a;

export function createAuditService(deps: { db: DB; anchors: AnchorLog }) {
  const { db, anchors } = deps;
  // The whole chain and its anchors are the district's: only an auditor whose scope is a tree root.
  const assertWholeChain = (ctx: RequestContext, what: 'audit_verify_root' | 'audit_anchors_root') => {
    const actor = actorOf(ctx);
    if (!scopesFor(actor, 'audit.read').some(isTreeRoot)) throw forbidden(what);
  };
  return {
    async list(ctx: RequestContext, q: z.infer<typeof auditQuery>) {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'audit.read');
      const seesUnplaced = scopes.some(isTreeRoot);
      let under: string | undefined;
      if (q.node) under = (await listNode(db, scopes, q.node)).path;
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
      assertWholeChain(ctx, 'audit_verify_root');
      return verifyAuditChain(db, { anchors });
    },

    /** The newest anchors, and the public key that checks them. */
    async anchors(ctx: RequestContext, limit = 20) {
      assertWholeChain(ctx, 'audit_anchors_root');
      return { ...auditAnchorKey(), items: (await anchors.latest(limit)).map(view) };
    },

    /**
     * Anchors the head now. The request's own audit row goes first, so the anchor covers it; the
     * line is appended after that commit, so it never names a row that is not there.
     */
    async anchorNow(ctx: RequestContext) {
      assertWholeChain(ctx, 'audit_anchors_root');
      await db
        .transaction()
        .execute((trx) => recordAudit(trx, ctx, { action: 'audit.anchor', entityType: 'audit_log' }));
      const anchor = await anchorAuditHead(db, anchors);
      if (!anchor) throw new Error('the audit chain is empty after writing to it');
      return view(anchor);
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
