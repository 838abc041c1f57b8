// Resolves the actor of each request (session cookie or API key), enforces each route's declared
// access, and defends cookie-authenticated unsafe requests against CSRF.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RouteAccess } from '../../common/permissions.js';
import { isPermission } from '../../common/permissions.js';
import type { DB, Executor } from '../db/index.js';
import { nowIso } from '../db/index.js';
import { fixedQuery } from '../db/fixed-query.js';
import type { Actor, RequestContext } from './actor.js';
import { holdsAnywhere } from './actor.js';
import { randomToken, sha256 } from './crypto.js';
import { appError, forbidden, unauthorized } from './errors.js';
import { requestLang } from './lang.js';

export const SESSION_COOKIE = 'linli_session';
export const CSRF_COOKIE = 'csrf';
export const API_KEY_PREFIX = 'lk_';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route declares what it needs: a permission, any signed-in user, or 'public'. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    ctx: RequestContext;
    sessionId: number | null;
  }
}

/** A user's live assignments with their roles and places; retired nodes grant nothing. */
const liveAssignments = (db: Executor) =>
  db
    .selectFrom('role_assignments as a')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .where('n.retired_at', 'is', null)
    .select([
      'a.user_id',
      'a.id',
      'a.role_id',
      'r.code as role_code',
      'r.name_zh',
      'r.name_en',
      'r.permissions',
      'n.id as node_id',
      'n.name as node_name',
      'n.level as node_level',
      'n.path as node_path',
      'n.full_code as node_full_code',
    ]);
type AssignmentRow = {
  [
    K in
      | 'id'
      | 'role_id'
      | 'role_code'
      | 'name_zh'
      | 'name_en'
      | 'permissions'
      | 'node_id'
      | 'node_name'
      | 'node_level'
      | 'node_path'
      | 'node_full_code'
  ]: K extends 'id' | 'role_id' | 'node_id' ? number : string;
};
type UserRow = { id: number; username: string; display_name: string; totp_enabled: number };

function actorOf(user: UserRow, rows: readonly AssignmentRow[], via: Actor['via']): Actor {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    totpEnabled: user.totp_enabled === 1,
    via,
    assignments: rows.map((r) => ({
      id: r.id,
      roleId: r.role_id,
      roleCode: r.role_code,
      roleNameZh: r.name_zh,
      roleNameEn: r.name_en,
      nodeId: r.node_id,
      nodeName: r.node_name,
      nodeLevel: r.node_level,
      nodePath: r.node_path,
      nodeFullCode: r.node_full_code,
      permissions: new Set((JSON.parse(r.permissions) as string[]).filter(isPermission)),
    })),
  };
}

const userById = fixedQuery((db, id: number) =>
  db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'disabled', 'totp_enabled'])
    .where('id', '=', id),
);
const assignmentsOf = fixedQuery((db, userId: number) =>
  db
    .selectFrom(liveAssignments(db).as('x'))
    .selectAll()
    .where('x.user_id', '=', userId)
    .orderBy('x.node_path')
    .orderBy('x.id'),
);
/**
 * A session, its user and the user's assignments in one query, a row per assignment (one row with
 * empty assignment columns when there is none): every request with a cookie makes it, and on
 * PostgreSQL each query is a round trip.
 */
const sessionWithActor = fixedQuery((db, tokenHash: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin(liveAssignments(db).as('x'), 'x.user_id', 'u.id')
    .select([
      's.id as session_id',
      's.user_id',
      's.csrf_token',
      's.expires_at',
      's.last_seen_at',
      'u.username',
      'u.display_name',
      'u.disabled',
      'u.totp_enabled',
    ])
    .select([
      'x.id',
      'x.role_id',
      'x.role_code',
      'x.name_zh',
      'x.name_en',
      'x.permissions',
      'x.node_id',
      'x.node_name',
      'x.node_level',
      'x.node_path',
      'x.node_full_code',
    ])
    .where('s.token_hash', '=', tokenHash)
    .orderBy('x.node_path')
    .orderBy('x.id'),
);
const liveApiKeyByHash = fixedQuery((db, keyHash: string) =>
  db
    .selectFrom('api_keys')
    .select(['id', 'user_id', 'last_used_at'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null),
);

/** Loads a user's live assignments with their roles' permissions; retired nodes grant nothing. */
export async function loadActor(db: Executor, userId: number, via: Actor['via']): Promise<Actor | null> {
  const [user] = await userById(db, userId);
  if (!user || user.disabled) return null;
  return actorOf(user, await assignmentsOf(db, userId), via);
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: string;
}

export async function createSession(
  db: Executor,
  userId: number,
  ttlHours: number,
  meta: { ip?: string; userAgent?: string },
): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
  await db
    .insertInto('sessions')
    .values({
      token_hash: sha256(token),
      csrf_token: csrfToken,
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      last_seen_at: now.toISOString(),
      ip: meta.ip ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export function setSessionCookies(request: FastifyRequest, reply: FastifyReply, s: NewSession): void {
  // Browser-session cookies: the server enforces the sliding expiry; closing the browser ends it too.
  const secure = request.protocol === 'https';
  reply.setCookie(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  reply.setCookie(CSRF_COOKIE, s.csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

interface AuthOptions {
  db: DB;
  /** Who is calling is read here: on a SQLite file it does not wait for a running write (DatabaseHandle.reader). */
  reader: DB;
  sessionTtlHours: number;
}

async function resolve(request: FastifyRequest, opts: AuthOptions): Promise<void> {
  const authz = request.headers.authorization;
  if (authz?.startsWith('Bearer ')) {
    const key = authz.slice(7).trim();
    const [row] = await liveApiKeyByHash(opts.reader, sha256(key));
    if (!row) throw unauthorized('auth.invalid_api_key');
    const actor = await loadActor(opts.reader, row.user_id, 'apiKey');
    if (!actor) throw unauthorized('auth.invalid_api_key');
    request.ctx.actor = actor;
    if (!row.last_used_at || Date.now() - Date.parse(row.last_used_at) > 60_000) {
      await opts.db
        .updateTable('api_keys')
        .set({ last_used_at: nowIso() })
        .where('id', '=', row.id)
        .execute();
    }
    return;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return;
  const rows = await sessionWithActor(opts.reader, sha256(token));
  const s = rows[0];
  if (!s || s.expires_at <= nowIso() || s.disabled) return;
  const assignments = s.id === null ? [] : (rows as AssignmentRow[]);
  const actor = actorOf(
    { id: s.user_id, username: s.username, display_name: s.display_name, totp_enabled: s.totp_enabled },
    assignments,
    'session',
  );
  if (UNSAFE.has(request.method)) {
    const header = request.headers['x-csrf-token'];
    if (typeof header !== 'string' || header !== s.csrf_token) {
      throw appError(403, 'csrf.invalid');
    }
  }
  request.ctx.actor = actor;
  request.sessionId = s.session_id;
  // Sliding expiry, written at most once a minute.
  if (Date.now() - Date.parse(s.last_seen_at) > 60_000) {
    const expires = new Date(Date.now() + opts.sessionTtlHours * 3_600_000).toISOString();
    await opts.db
      .updateTable('sessions')
      .set({ last_seen_at: nowIso(), expires_at: expires })
      .where('id', '=', s.session_id)
      .execute();
  }
}

export const authPlugin = fp(
  (app: FastifyInstance, opts: AuthOptions, done: (err?: Error) => void) => {
    app.decorateRequest('ctx', null as unknown as RequestContext);
    app.decorateRequest('sessionId', null);
    app.addHook('onRequest', async (request) => {
      request.ctx = { actor: null, requestId: request.id, ip: request.ip, lang: requestLang(request) };
      request.sessionId = null;
      const access = request.routeOptions.config.access;
      if (!request.routeOptions.url) return; // 404: nothing to protect
      if (access === undefined) throw forbidden('no_access_rule');
      await resolve(request, opts);
      if (access === 'public') return;
      const actor = request.ctx.actor;
      if (!actor) throw unauthorized();
      if (access === 'authenticated') return;
      if (!holdsAnywhere(actor, access)) throw forbidden('no_action');
    });
    done();
  },
  { name: 'linli-auth' },
);
