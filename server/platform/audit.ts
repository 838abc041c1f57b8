// The append-only, hash-chained audit log. Rows are written in the same transaction as the change.
import type { Selectable } from 'kysely';
import type { Executor } from '../db/index.js';
import type { AuditLogTable } from '../db/schema.js';
import { nowIso } from '../db/index.js';
import { lockAuditChain } from '../db/dialect.js';
import { insertRows } from '../db/insert-rows.js';
import { canonicalJson, digest, sha256 } from './crypto.js';
import type { RequestContext } from './actor.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  nodePath?: string | null;
  before?: unknown;
  after?: unknown;
  /** Free facts worth keeping in clear: a reason given, a row count, a field revealed. Never secrets. */
  detail?: Record<string, unknown>;
}

type Unhashed = Omit<Selectable<AuditLogTable>, 'id' | 'hash'>;

function rowHash(row: Unhashed): string {
  return sha256(
    canonicalJson([
      row.prev_hash,
      row.at,
      row.actor_user_id,
      row.actor_label,
      row.action,
      row.entity_type,
      row.entity_id,
      row.node_path,
      row.before_digest,
      row.after_digest,
      row.detail,
      row.request_id,
    ]),
  );
}

export function recordAudit(trx: Executor, ctx: RequestContext, input: AuditInput): Promise<void> {
  return recordAuditMany(trx, [{ ctx, input }]);
}

/**
 * Several audit rows at once (a batch of reports sharing a commit): one read of the chain's end, each
 * row hashed onto the one before in order, one insert. The chain is the same as one call a row.
 */
const insertAuditRows = insertRows('audit_log');
export async function recordAuditMany(
  trx: Executor,
  entries: readonly { ctx: RequestContext; input: AuditInput }[],
): Promise<void> {
  if (entries.length === 0) return;
  await lockAuditChain(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  let prev = last?.hash ?? GENESIS_HASH;
  const rows = entries.map(({ ctx, input }) => {
    const row: Unhashed = {
      prev_hash: prev,
      at: nowIso(),
      actor_user_id: ctx.actor?.userId ?? null,
      actor_label: ctx.actor ? ctx.actor.username : ctx.ip ? `anonymous@${ctx.ip}` : 'system',
      action: input.action,
      entity_type: input.entityType,
      entity_id: input.entityId == null ? null : String(input.entityId),
      node_path: input.nodePath ?? null,
      before_digest: digest(input.before),
      after_digest: digest(input.after),
      detail: input.detail ? canonicalJson(input.detail) : null,
      request_id: ctx.requestId,
    };
    prev = rowHash(row);
    return { ...row, hash: prev };
  });
  // In order, so that ids follow the chain.
  await insertAuditRows(trx, rows);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenId: number | null;
  reason: string | null;
}

/** Walks the chain in id order, in pages, and names the first row whose hash or link does not hold. */
export async function verifyAuditChain(db: Executor, pageSize = 5000): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return { ok: true, checked, firstBrokenId: null, reason: null };
    for (const r of rows) {
      if (r.prev_hash !== prev)
        return { ok: false, checked, firstBrokenId: r.id, reason: 'link to previous row broken' };
      const { id: _id, hash, ...rest } = r;
      if (rowHash(rest) !== hash)
        return { ok: false, checked, firstBrokenId: r.id, reason: 'row content altered' };
      prev = hash;
      lastId = r.id;
      checked++;
    }
  }
}
