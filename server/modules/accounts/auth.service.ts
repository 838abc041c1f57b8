// Sign-in, sign-out, password change, TOTP and API keys. Failed attempts, throttles and locks are audited.
import { msg } from '../../../common/messages/index.js';
import type { z } from 'zod';
import type { changePasswordBody, loginBody, Me } from '../../../common/contracts/accounts.js';
import { DISTRICT_WIDE, PERMISSION_CODES, type Permission } from '../../../common/permissions.js';
import type { AppConfig } from '../../config.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import {
  actorOf,
  isTreeRoot,
  scopesFor,
  type Actor,
  type ActorAssignment,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { API_KEY_PREFIX, createSession, loadActor, type NewSession } from '../../platform/auth.js';
import { hashPassword, randomToken, sha256, verifyPassword } from '../../platform/crypto.js';
import { AppError, badRequest, conflict, notFound, unauthorized } from '../../platform/errors.js';
import { newTotpSecret, otpauthUrl, verifyTotp } from '../../platform/totp.js';
import * as repo from './accounts.repository.js';
import type { LoginThrottles } from './login-throttle.js';

// Verified against when the username is unknown, so both paths cost the same. Made on first use.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword(randomToken()));

export function toAssignmentDto(a: ActorAssignment | repo.AssignmentRow) {
  if ('roleCode' in a) {
    return {
      id: a.id,
      role: { id: a.roleId, code: a.roleCode, nameZh: a.roleNameZh, nameEn: a.roleNameEn },
      node: {
        id: a.nodeId,
        name: a.nodeName,
        level: a.nodeLevel,
        path: a.nodePath,
        fullCode: a.nodeFullCode,
      },
    };
  }
  return {
    id: a.id,
    role: { id: a.role_id, code: a.role_code, nameZh: a.name_zh, nameEn: a.name_en },
    node: {
      id: a.node_id,
      name: a.node_name,
      level: a.node_level,
      path: a.node_path,
      fullCode: a.node_full_code,
    },
  };
}

export function meOf(actor: Actor): Me {
  const abilities = new Set<string>();
  for (const a of actor.assignments) for (const p of a.permissions) abilities.add(p);
  // Roles and tags are district-wide: editing them is an ability only where it reaches a tree root.
  for (const p of DISTRICT_WIDE) if (!scopesFor(actor, p).some(isTreeRoot)) abilities.delete(p);
  return {
    user: {
      id: actor.userId,
      username: actor.username,
      displayName: actor.displayName,
      totpEnabled: actor.totpEnabled,
    },
    assignments: actor.assignments.map(toAssignmentDto) as Me['assignments'],
    abilities: Object.fromEntries(PERMISSION_CODES.map((p) => [p, abilities.has(p)])) as Record<
      Permission,
      boolean
    >,
    via: actor.via,
  };
}

type LoginOutcome = { ok: true; session: NewSession; actor: Actor } | { ok: false; error: AppError };

/** The error, carrying how long to wait before the next attempt will be checked. */
const withRetryAfter = (error: AppError, seconds: number) =>
  seconds > 0
    ? new AppError(error.status, error.code, error.title, { ...error.extra, retryAfter: seconds })
    : error;

export function createAuthService(deps: { db: DB; config: AppConfig; throttles: LoginThrottles }) {
  const { db, config, throttles } = deps;

  return {
    async login(ctx: RequestContext, body: z.infer<typeof loginBody>, meta: { userAgent?: string }) {
      // A pairing or address held back is refused before the password is even checked (ADR 0008).
      const { rows: throttleRows, refusal } = await throttles.check(ctx, body.username);
      if (refusal) throw refusal;
      const user = await repo.findUserByUsername(db, body.username);
      const passwordOk = await verifyPassword(user?.password_hash ?? (await getDummyHash()), body.password);
      const invalid = () => unauthorized('auth.invalid_credentials');
      // Failures are committed before the error is thrown, so the counts and the audit rows stay.
      const outcome = await db.transaction().execute(async (trx): Promise<LoginOutcome> => {
        const fail = async (reason: string, error: AppError): Promise<LoginOutcome> => {
          await recordAudit(trx, ctx, {
            action: 'auth.login_failed',
            entityType: 'user',
            entityId: user?.id ?? null,
            detail: { username: body.username.slice(0, 64), reason },
          });
          // Unknown and disabled usernames count like wrong passwords: the answers stay the same.
          const { lock, retryAfter } = await throttles.recordFailure(trx, ctx, body.username);
          return { ok: false, error: lock ?? withRetryAfter(error, retryAfter) };
        };
        if (!user) return fail('unknown_user', invalid());
        if (user.disabled) return fail('disabled', invalid());
        const totpMissing = user.totp_enabled === 1 && passwordOk && !body.totp;
        if (totpMissing)
          return {
            ok: false,
            error: unauthorized('auth.totp_required'),
          };
        const totpOk =
          user.totp_enabled !== 1 ||
          (body.totp !== undefined && user.totp_secret !== null && verifyTotp(user.totp_secret, body.totp));
        if (!passwordOk || !totpOk)
          return fail(
            passwordOk ? 'wrong_totp' : 'wrong_password',
            passwordOk ? unauthorized('auth.totp_invalid') : invalid(),
          );
        const actor = await loadActor(trx, user.id, 'session');
        if (!actor) return fail('no_actor', invalid());
        await throttles.clearPairing(trx, throttleRows);
        await repo.updateUser(trx, user.id, { last_login_at: nowIso() });
        const session = await createSession(trx, user.id, config.sessionTtlHours, {
          ...(ctx.ip ? { ip: ctx.ip } : {}),
          ...(meta.userAgent ? { userAgent: meta.userAgent } : {}),
        });
        await recordAudit(
          trx,
          { ...ctx, actor },
          { action: 'auth.login', entityType: 'user', entityId: user.id },
        );
        return { ok: true, session, actor };
      });
      if (!outcome.ok) throw outcome.error;
      return { session: outcome.session, me: meOf(outcome.actor) };
    },

    async logout(ctx: RequestContext, sessionId: number | null) {
      if (sessionId === null) return;
      await db.transaction().execute(async (trx) => {
        await repo.deleteSession(trx, sessionId);
        await recordAudit(trx, ctx, {
          action: 'auth.logout',
          entityType: 'user',
          entityId: ctx.actor?.userId ?? null,
        });
      });
    },

    async changePassword(
      ctx: RequestContext,
      sessionId: number | null,
      body: z.infer<typeof changePasswordBody>,
    ) {
      const actor = actorOf(ctx);
      const user = await repo.findUser(db, actor.userId);
      if (!user) throw notFound('user');
      if (!(await verifyPassword(user.password_hash, body.currentPassword))) {
        throw badRequest('auth.wrong_password', {}, [
          { path: 'body.currentPassword', message: msg('issue.wrong_password'), code: 'wrong_password' },
        ]);
      }
      const hash = await hashPassword(body.newPassword);
      await db.transaction().execute(async (trx) => {
        await repo.updateUser(trx, user.id, { password_hash: hash, updated_at: nowIso() });
        await repo.deleteSessionsOfUser(trx, user.id, sessionId ?? undefined);
        await recordAudit(trx, ctx, {
          action: 'auth.password_change',
          entityType: 'user',
          entityId: user.id,
        });
      });
    },

    async totpSetup(ctx: RequestContext) {
      const actor = actorOf(ctx);
      if (actor.totpEnabled) throw conflict('auth.totp_enabled');
      const secret = newTotpSecret();
      await db.transaction().execute(async (trx) => {
        await repo.updateUser(trx, actor.userId, { totp_secret: secret, updated_at: nowIso() });
        await recordAudit(trx, ctx, {
          action: 'auth.totp_setup',
          entityType: 'user',
          entityId: actor.userId,
        });
      });
      return { secret, otpauthUrl: otpauthUrl(secret, actor.username) };
    },

    async totpSet(ctx: RequestContext, code: string, enable: boolean) {
      const actor = actorOf(ctx);
      const user = await repo.findUser(db, actor.userId);
      if (!user?.totp_secret) throw conflict('auth.totp_not_setup');
      if ((user.totp_enabled === 1) === enable) throw conflict('auth.totp_state');
      if (!verifyTotp(user.totp_secret, code)) {
        throw badRequest('auth.totp_invalid', {}, [
          { path: 'body.code', message: msg('issue.wrong_code'), code: 'totp_invalid' },
        ]);
      }
      await db.transaction().execute(async (trx) => {
        await repo.updateUser(trx, user.id, {
          totp_enabled: enable ? 1 : 0,
          ...(enable ? {} : { totp_secret: null }),
          updated_at: nowIso(),
        });
        await recordAudit(trx, ctx, {
          action: enable ? 'auth.totp_enable' : 'auth.totp_disable',
          entityType: 'user',
          entityId: user.id,
        });
      });
    },

    async listApiKeys(ctx: RequestContext) {
      const actor = actorOf(ctx);
      return (await repo.listApiKeys(db, actor.userId)).map(apiKeyDto);
    },

    async createApiKey(ctx: RequestContext, name: string) {
      const actor = actorOf(ctx);
      const key = API_KEY_PREFIX + randomToken(32);
      const row = await db.transaction().execute(async (trx) => {
        const r = await trx
          .insertInto('api_keys')
          .values({
            user_id: actor.userId,
            name,
            prefix: key.slice(0, 10),
            key_hash: sha256(key),
            created_at: nowIso(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, {
          action: 'apikey.create',
          entityType: 'api_key',
          entityId: r.id,
          detail: { name },
        });
        return r;
      });
      return { ...apiKeyDto(row), key };
    },

    async revokeApiKey(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .selectFrom('api_keys')
          .selectAll()
          .where('id', '=', id)
          .where('user_id', '=', actor.userId)
          .executeTakeFirst();
        if (!r) throw notFound('api_key');
        if (r.revoked_at) throw conflict('apikey.revoked');
        await trx.updateTable('api_keys').set({ revoked_at: nowIso() }).where('id', '=', id).execute();
        await recordAudit(trx, ctx, { action: 'apikey.revoke', entityType: 'api_key', entityId: id });
      });
    },
  };
}

function apiKeyDto(r: {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}) {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
