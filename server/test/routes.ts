// Helpers for the route-level suites: multipart bodies, scope arithmetic, table fingerprints.
import crypto from 'node:crypto';
import type { DB } from '../db/index.js';
import { nowIso } from '../db/index.js';
import { subtreeRange } from '../db/dialect.js';
import type { TreeNode } from './factories.js';

/** The /api routes that are not HEAD mirrors of a GET: what the matrices enumerate. */
export interface RouteRow {
  method: string;
  url: string;
  access: string | undefined;
}
export const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

export interface MultipartPart {
  name: string;
  /** Present for a file part. */
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A hand-built multipart/form-data body, ready for `app.inject({ payload, headers })`. */
export function multipart(parts: readonly MultipartPart[]): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = `----linli${crypto.randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.filename !== undefined) head += `Content-Type: ${p.contentType ?? 'application/octet-stream'}\r\n`;
    head += '\r\n';
    chunks.push(
      Buffer.from(head, 'utf8'),
      typeof p.data === 'string' ? Buffer.from(p.data, 'utf8') : p.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** CSV text (always quoted, CRLF) from rows of cells. */
export function toCsv(rows: readonly (readonly string[])[], bom = false): string {
  const body = rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n') + '\r\n';
  return (bom ? '\uFEFF' : '') + body;
}

export const isWithin = (path: string, scope: string) => path.startsWith(scope);
export const withinAny = (path: string, scopes: readonly string[]) => scopes.some((s) => isWithin(path, s));

/** Ids of the live and retired nodes at and under a path, straight from the database. */
export async function subtreeIds(db: DB, path: string): Promise<number[]> {
  const [lo, hi] = subtreeRange(path);
  const rows = await db
    .selectFrom('nodes')
    .select('id')
    .where('path', '>=', lo)
    .where('path', '<', hi)
    .where('retired_at', 'is', null)
    .execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

export async function roleIdOf(db: DB, code: string): Promise<number> {
  const r = await db.selectFrom('roles').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return r.id;
}

export async function userIdOf(db: DB, username: string): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function nodeById(db: DB, id: number): Promise<TreeNode> {
  const n = await db
    .selectFrom('nodes')
    .select(['id', 'path', 'name', 'level', 'full_code'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { id: n.id, path: n.path, name: n.name, level: n.level, fullCode: n.full_code };
}

let scratchSeq = 100;
/** A fresh child node (next level down) straight in the database, with an unused 3-digit code. */
export async function scratchChild(db: DB, parent: TreeNode, levelBelow: string): Promise<TreeNode> {
  for (;;) {
    const code = String(scratchSeq++ % 1000).padStart(3, '0');
    const fullCode = parent.fullCode + code;
    const taken = await db
      .selectFrom('nodes')
      .select('id')
      .where('full_code', '=', fullCode)
      .executeTakeFirst();
    if (taken) continue;
    const now = nowIso();
    const { id } = await db
      .insertInto('nodes')
      .values({
        parent_id: parent.id,
        level: levelBelow,
        code,
        full_code: fullCode,
        name: `scratch-${fullCode}`,
        path: `/pending-${fullCode}/`,
        depth: parent.path.split('/').filter(Boolean).length + 1,
        polygon: null,
        centroid_lat: null,
        centroid_lng: null,
        responsible_name: null,
        retired_at: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = `${parent.path}${id}/`;
    await db.updateTable('nodes').set({ path }).where('id', '=', id).execute();
    return { id, path, name: `scratch-${fullCode}`, level: levelBelow, fullCode };
  }
}

/** An unused 3-digit code under a parent. */
export async function freeCode(db: DB, parentFullCode: string): Promise<string> {
  for (;;) {
    const code = String(scratchSeq++ % 1000).padStart(3, '0');
    const taken = await db
      .selectFrom('nodes')
      .select('id')
      .where('full_code', '=', parentFullCode + code)
      .executeTakeFirst();
    if (!taken) return code;
  }
}

/**
 * Counts and last-change stamps of the tables a write can touch: equal fingerprints before and after
 * a request mean the request wrote nothing.
 */
export async function fingerprint(db: DB) {
  const count = async (
    table: 'audit_log' | 'nodes' | 'users' | 'roles' | 'role_assignments' | 'api_keys' | 'sessions',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const maxUpdated = async (table: 'nodes' | 'users' | 'roles') =>
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.max('updated_at').as('m'))
        .executeTakeFirstOrThrow()
    ).m ?? null;
  const lastAudit = await db
    .selectFrom('audit_log')
    .select(['id', 'action'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    audit_log: await count('audit_log'),
    lastAuditId: lastAudit?.id ?? 0,
    nodes: await count('nodes'),
    users: await count('users'),
    roles: await count('roles'),
    role_assignments: await count('role_assignments'),
    api_keys: await count('api_keys'),
    nodesUpdated: await maxUpdated('nodes'),
    usersUpdated: await maxUpdated('users'),
    rolesUpdated: await maxUpdated('roles'),
  };
}
export type Fingerprint = Awaited<ReturnType<typeof fingerprint>>;

/** Audit rows written after a given id, oldest first. */
export function auditRowsAfter(db: DB, id: number) {
  return db.selectFrom('audit_log').selectAll().where('id', '>', id).orderBy('id').execute();
}

/** Checks the problem+json shape every error response must have; returns the parsed body. */
export function problemShape(res: {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
}): string[] {
  const errs: string[] = [];
  const ct = res.headers['content-type'];
  const type = typeof ct === 'string' ? ct : '';
  if (!type.startsWith('application/problem+json')) errs.push(`content-type ${type}`);
  const b = res.body as Record<string, unknown> | null;
  if (!b || typeof b !== 'object') return [...errs, 'body is not an object'];
  if (typeof b.code !== 'string' || b.code === '') errs.push('no code');
  if (typeof b.requestId !== 'string' || b.requestId === '') errs.push('no requestId');
  else if (b.requestId !== res.headers['x-request-id']) errs.push('requestId differs from x-request-id');
  if (b.status !== res.status) errs.push(`status field ${String(b.status)} != ${res.status}`);
  if (res.status === 400 && b.code === 'validation_failed') {
    const issues = b.issues;
    if (!Array.isArray(issues) || issues.length === 0) errs.push('validation problem without issues');
    else
      for (const i of issues as unknown[]) {
        const it = i as Record<string, unknown>;
        if (typeof it.path !== 'string' || typeof it.message !== 'string')
          errs.push(`bad issue ${JSON.stringify(i)}`);
      }
  }
  return errs;
}
