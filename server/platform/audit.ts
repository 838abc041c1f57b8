// The append-only, keyed hash chain of audit rows (ADR 0007). Rows are written in the same
// transaction as the change; each row's hash is an HMAC, under a key held outside the database, of the
// previous row's hash and the row's content, so rewriting history needs the key as well as the
// database. Rows written before the key existed keep their plain SHA-256 hashes up to a seal.
import type { Selectable } from 'kysely';
import type { DB, Executor } from '../db/index.js';
import type { AuditLogTable } from '../db/schema.js';
import { nowIso } from '../db/index.js';
import { lockAuditChain } from '../db/dialect.js';
import { insertRows } from '../db/insert-rows.js';
import { canonicalJson, digest, sha256 } from './crypto.js';
import type { RequestContext } from './actor.js';
import type { AuditKey, AuditKeyring } from './audit-key.js';
import { anchorSignedText, signAnchor, type AnchorLog, type AuditAnchor } from './audit-anchors.js';
import type { AuditFailure } from '../../common/contracts/audit.js';

export const GENESIS_HASH = '0'.repeat(64);
/** The row that closes the plain SHA-256 chain and opens the keyed one. */
export const SEAL_ACTION = 'audit.seal';

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

type AuditRow = Selectable<AuditLogTable>;
type Unhashed = Omit<AuditRow, 'id' | 'hash'>;

function content(row: Unhashed): unknown[] {
  return [
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
  ];
}

/** The hash of a row written before the chain was keyed: anyone could compute it. */
export function legacyRowHash(row: Omit<Unhashed, 'key_id'>): string {
  return sha256(canonicalJson([row.prev_hash, ...content(row as Unhashed)]));
}

/** A keyed row's hash: HMAC-SHA-256 of the previous hash, the key's id and the content. */
function keyedRowHash(key: AuditKey, row: Unhashed): string {
  return key.mac(canonicalJson([row.prev_hash, row.key_id, ...content(row)]));
}

// One deployment, one audit key: loaded at start (boot.ts, buildApp) and used by every recordAudit,
// whose callers (every service) need not carry it.
let installed: AuditKeyring | null = null;
export function useAuditKeyring(keyring: AuditKeyring): void {
  installed = keyring;
}
function currentKeyring(): AuditKeyring {
  if (!installed) throw new Error('The audit key is not loaded: call useAuditKeyring at start');
  return installed;
}

export function recordAudit(trx: Executor, ctx: RequestContext, input: AuditInput): Promise<void> {
  return recordAuditMany(trx, [{ ctx, input }]);
}

function unhashedRow(prev: string, keyId: string, ctx: RequestContext, input: AuditInput): Unhashed {
  return {
    prev_hash: prev,
    key_id: keyId,
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
}

/**
 * Several audit rows at once (a batch of reports sharing a commit, group-commit.ts): one read of the
 * chain's end, each row hashed onto the one before in order, one insert. The chain is the same as one
 * call a row.
 */
const insertAuditRows = insertRows('audit_log');
export async function recordAuditMany(
  trx: Executor,
  entries: readonly { ctx: RequestContext; input: AuditInput }[],
): Promise<void> {
  if (entries.length === 0) return;
  const key = currentKeyring().current;
  await lockAuditChain(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select(['hash', 'key_id'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  // A keyed row straight after an unsealed plain one would pass off the plain chain as checked.
  if (last && last.key_id === null)
    throw new Error('The audit chain has plain SHA-256 rows not yet sealed: start the app once to seal them');
  await appendKeyedRows(trx, key, last?.hash ?? GENESIS_HASH, entries);
}

async function appendKeyedRows(
  trx: Executor,
  key: AuditKey,
  after: string,
  entries: readonly { ctx: RequestContext; input: AuditInput }[],
): Promise<void> {
  let prev = after;
  const rows = entries.map(({ ctx, input }) => {
    const row = unhashedRow(prev, key.id, ctx, input);
    prev = keyedRowHash(key, row);
    return { ...row, hash: prev };
  });
  // In order, so that ids follow the chain.
  await insertAuditRows(trx, rows);
}

export interface VerifyResult {
  ok: boolean;
  /** Rows that held before the first failure. */
  checked: number;
  /** Anchor lines checked (all of them when ok). */
  anchors: number;
  firstBrokenId: number | null;
  /** The anchor log's line at fault, when the fault is an anchor's. */
  brokenAnchorLine: number | null;
  reason: AuditFailure | null;
}

export interface VerifyOptions {
  /** The anchor log to hold the chain against; without it only the rows are checked. */
  anchors?: AnchorLog | null;
  keyring?: AuditKeyring;
  pageSize?: number;
}

/**
 * Walks the chain in id order, in pages, and names the first row that does not hold: its link, its
 * hash (SHA-256 up to the seal, the HMAC of the key it names after it), the seal itself, and every
 * anchor (signature, and the anchored row still there with exactly that hash).
 */
export async function verifyAuditChain(db: Executor, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const keyring = opts.keyring ?? currentKeyring();
  const pageSize = opts.pageSize ?? 5000;
  let checked = 0;
  const fail = (
    firstBrokenId: number | null,
    reason: AuditFailure,
    brokenAnchorLine: number | null = null,
  ) => ({
    ok: false,
    checked,
    anchors: anchorCount,
    firstBrokenId,
    brokenAnchorLine,
    reason,
  });

  // Anchors first: a line that is not a valid signed anchor is named before any row is read.
  const lines = opts.anchors ? await opts.anchors.readAll() : [];
  const anchored = new Map<number, { hash: string; line: number }[]>();
  let sealedAfter: number | null = null;
  let anchorCount = 0;
  for (const l of lines) {
    if (!l.anchor) return fail(null, 'anchorUnreadable', l.line);
    const key = keyring.byId.get(l.anchor.keyId);
    if (!key) return fail(l.anchor.rowId, 'anchorUnknownKey', l.line);
    if (!key.verifySignature(anchorText(l.anchor), l.anchor.sig))
      return fail(l.anchor.rowId, 'anchorSignature', l.line);
    const list = anchored.get(l.anchor.rowId) ?? [];
    list.push({ hash: l.anchor.hash, line: l.line });
    anchored.set(l.anchor.rowId, list);
    if (l.anchor.kind === 'seal')
      sealedAfter = sealedAfter === null ? l.anchor.rowId : Math.min(sealedAfter, l.anchor.rowId);
    anchorCount++;
  }
  for (const a of anchored.get(0) ?? []) if (a.hash !== GENESIS_HASH) return fail(0, 'anchorGenesis', a.line);
  anchored.delete(0);

  let prev = GENESIS_HASH;
  let lastId = 0;
  let keyedSeen = false;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.prev_hash !== prev) return fail(r.id, 'link');
      const { id: _id, hash, ...rest } = r;
      if (r.key_id === null) {
        if (keyedSeen) return fail(r.id, 'plainInKeyed');
        if (sealedAfter !== null && r.id > sealedAfter) return fail(r.id, 'plainAfterSeal');
        if (legacyRowHash(rest) !== hash) return fail(r.id, 'altered');
      } else {
        const key = keyring.byId.get(r.key_id);
        if (!key) return fail(r.id, 'unknownKey');
        if (keyedRowHash(key, rest) !== hash) return fail(r.id, 'altered');
        if (!keyedSeen && lastId > 0 && !sealsRow(r, lastId, prev)) return fail(r.id, 'noSeal');
        keyedSeen = true;
      }
      for (const a of anchored.get(r.id) ?? [])
        if (a.hash !== hash) return fail(r.id, 'differsFromAnchor', a.line);
      anchored.delete(r.id);
      prev = hash;
      lastId = r.id;
      checked++;
    }
  }
  if (sealedAfter !== null && sealedAfter > 0 && keyedSeen === false && lastId === sealedAfter) {
    // Sealed, and nothing written since: the seal row itself is missing.
    return fail(sealedAfter, 'sealMissing');
  }
  // An anchor whose row is gone: the chain was cut short (or rebuilt) after it was anchored.
  const missing = [...anchored.entries()].sort(([a], [b]) => a - b)[0];
  if (missing) return fail(missing[0], 'cutShort', missing[1][0]!.line);
  return {
    ok: true,
    checked,
    anchors: anchorCount,
    firstBrokenId: null,
    brokenAnchorLine: null,
    reason: null,
  };
}

function anchorText(a: AuditAnchor): string {
  const { sig: _sig, ...rest } = a;
  return anchorSignedText(rest);
}

function sealsRow(r: AuditRow, lastId: number, lastHash: string): boolean {
  if (r.action !== SEAL_ACTION || !r.detail) return false;
  const d = JSON.parse(r.detail) as { lastLegacyId?: unknown; lastLegacyHash?: unknown };
  return d.lastLegacyId === lastId && d.lastLegacyHash === lastHash;
}

export interface SealOutcome {
  /** `sealed`: plain rows were verified and sealed now; `fresh`: an empty chain, keyed from its first row; `keyed`: sealed before. */
  state: 'sealed' | 'fresh' | 'keyed';
  /** The last plain SHA-256 row (0 when there is none). */
  lastLegacyId: number;
  legacyRows: number;
  /** Whether a seal anchor was written to the anchor log now. */
  anchored: boolean;
}

/**
 * At start, before anything else writes the chain: plain SHA-256 rows from before the key are
 * verified once and closed by a keyed `audit.seal` row naming the last of them, and the anchor log
 * gets a signed `seal` line naming it (row 0 for a chain keyed from the start), so that plain rows
 * appearing after it later are caught. A broken plain chain, or plain rows after a recorded seal,
 * stop the start: the chain was altered and nothing should be written onto it.
 */
export async function sealAuditChain(db: DB, anchors: AnchorLog): Promise<SealOutcome> {
  const keyring = currentKeyring();
  const lines = await anchors.readAll();
  const seals = lines.flatMap((l) => (l.anchor?.kind === 'seal' ? [l.anchor] : []));
  const plan = await db.transaction().execute(async (trx) => {
    await lockAuditChain(trx);
    const last = await trx
      .selectFrom('audit_log')
      .select(['id', 'hash', 'at', 'key_id'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!last) return { state: 'fresh' as const, rowId: 0, hash: GENESIS_HASH, rowAt: null, legacyRows: 0 };
    if (last.key_id !== null) {
      const first = await trx
        .selectFrom('audit_log')
        .selectAll()
        .where('key_id', 'is not', null)
        .orderBy('id')
        .limit(1)
        .executeTakeFirstOrThrow();
      if (first.action !== SEAL_ACTION)
        return { state: 'keyed' as const, rowId: 0, hash: GENESIS_HASH, rowAt: null, legacyRows: 0 };
      const d = JSON.parse(first.detail!) as {
        lastLegacyId: number;
        lastLegacyHash: string;
        lastLegacyAt: string;
        legacyRows: number;
      };
      return {
        state: 'keyed' as const,
        rowId: d.lastLegacyId,
        hash: d.lastLegacyHash,
        rowAt: d.lastLegacyAt,
        legacyRows: d.legacyRows,
      };
    }
    const sealedBefore = seals.find((a) => a.rowId !== last.id || a.hash !== last.hash);
    if (sealedBefore)
      throw new Error(
        `The audit chain was sealed at row ${sealedBefore.rowId} (${anchors.file}), but row ${last.id} after it is a plain SHA-256 row: the chain was altered. Run npm run audit:verify.`,
      );
    const check = await verifyAuditChain(trx, { keyring });
    if (!check.ok)
      throw new Error(
        `The audit chain is broken at row ${check.firstBrokenId} (${check.reason}) and cannot be sealed. Run npm run audit:verify.`,
      );
    await appendKeyedRows(trx, keyring.current, last.hash, [
      {
        ctx: { actor: null, requestId: 'audit-seal' },
        input: {
          action: SEAL_ACTION,
          entityType: 'audit_log',
          entityId: last.id,
          detail: {
            legacyRows: check.checked,
            lastLegacyId: last.id,
            lastLegacyHash: last.hash,
            lastLegacyAt: last.at,
          },
        },
      },
    ]);
    return {
      state: 'sealed' as const,
      rowId: last.id,
      hash: last.hash,
      rowAt: last.at,
      legacyRows: check.checked,
    };
  });
  // After the commit: a seal line names a row that exists. A crash in between leaves the seal row,
  // and the next start writes the line from it.
  let anchored = false;
  if (seals.length === 0) {
    await anchors.append(
      signAnchor(keyring.current, {
        kind: 'seal',
        rowId: plan.rowId,
        hash: plan.hash,
        rowAt: plan.rowAt,
        at: nowIso(),
      }),
    );
    anchored = true;
  }
  return { state: plan.state, lastLegacyId: plan.rowId, legacyRows: plan.legacyRows, anchored };
}

/**
 * Signs the chain's head (row id, hash, time) into the anchor log. `ifMoved`: only when the head moved
 * since the newest anchor (the schedule). Returns the anchor written, or null.
 */
export async function anchorAuditHead(
  db: Executor,
  anchors: AnchorLog,
  opts: { ifMoved?: boolean } = {},
): Promise<AuditAnchor | null> {
  const key = currentKeyring().current;
  const head = await db
    .selectFrom('audit_log')
    .select(['id', 'hash', 'at'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!head) return null;
  if (opts.ifMoved) {
    const [newest] = await anchors.latest(1);
    if (newest && newest.rowId === head.id && newest.hash === head.hash) return null;
  }
  const anchor = signAnchor(key, {
    kind: 'anchor',
    rowId: head.id,
    hash: head.hash,
    rowAt: head.at,
    at: nowIso(),
  });
  await anchors.append(anchor);
  return anchor;
}

/** The public half of the key anchors are signed with, and its id: for a level above to check them. */
export function auditAnchorKey(): { keyId: string; publicKey: string } {
  const { id, publicKey } = currentKeyring().current;
  return { keyId: id, publicKey };
}
