import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiKeyInfo,
  assignmentInput,
  changePasswordBody,
  createApiKeyBody,
  createdApiKey,
  createRoleBody,
  createUserBody,
  listUsersQuery,
  loginBody,
  loginThrottle,
  meResponse,
  permissionInfo,
  resetPasswordBody,
  role,
  totpCodeBody,
  totpSetupResponse,
  updateRoleBody,
  updateUserBody,
  userDetail,
  userSummary,
} from '../../../common/contracts/accounts.js';
import { idParam, okResponse, paged, recordIdParam } from '../../../common/contracts/shared.js';
import { clearSessionCookies, setSessionCookies } from '../../platform/auth.js';
import { actorOf } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { meOf, type AuthService } from './auth.service.js';
import type { RolesService } from './roles.service.js';
import type { UsersService } from './users.service.js';
import type { LoginThrottles } from './login-throttle.js';

export interface AccountsServices {
  auth: AuthService;
  users: UsersService;
  roles: RolesService;
  throttles: LoginThrottles;
}

export function accountsRoutes(app: FastifyInstance, s: AccountsServices, opts: { loginRateLimit: number }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = ['auth'];
  const users = ['users'];
  const roles = ['roles'];
  const ok = { ok: true as const };

  r.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: { max: opts.loginRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: auth,
        summary: 'Sign in; sets the session and csrf cookies',
        body: loginBody,
        response: { 200: meResponse },
      },
    },
    async (req, reply) => {
      const ua = req.headers['user-agent'];
      try {
        const { session, me } = await s.auth.login(req.ctx, req.body, ua ? { userAgent: ua } : {});
        setSessionCookies(req, reply, session);
        return me;
      } catch (e) {
        // A throttled answer says when the next attempt will be checked (RFC 9110 Retry-After).
        if (e instanceof AppError && typeof e.extra.retryAfter === 'number')
          void reply.header('retry-after', String(e.extra.retryAfter));
        throw e;
      }
    },
  );
  r.post(
    '/api/auth/logout',
    {
      config: { access: 'public' },
      schema: { tags: auth, summary: 'Sign out', response: { 200: okResponse } },
    },
    async (req, reply) => {
      await s.auth.logout(req.ctx, req.sessionId);
      clearSessionCookies(reply);
      return ok;
    },
  );
  r.get(
    '/api/auth/me',
    {
      config: { access: 'authenticated' },
      schema: { tags: auth, summary: 'The caller, assignments and abilities', response: { 200: meResponse } },
    },
    (req) => meOf(actorOf(req.ctx)),
  );
  r.post(
    '/api/auth/password',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: auth,
        summary: 'Change your password',
        body: changePasswordBody,
        response: { 200: okResponse },
      },
    },
    async (req) => {
      await s.auth.changePassword(req.ctx, req.sessionId, req.body);
      return ok;
    },
  );
  r.post(
    '/api/auth/totp/setup',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: auth,
        summary: 'Start two-factor setup',
        response: { 200: totpSetupResponse },
      },
    },
    async (req) => s.auth.totpSetup(req.ctx),
  );
  r.post(
    '/api/auth/totp/enable',
    {
      config: { access: 'authenticated' },
      schema: { tags: auth, body: totpCodeBody, response: { 200: okResponse } },
    },
    async (req) => {
      await s.auth.totpSet(req.ctx, req.body.code, true);
      return ok;
    },
  );
  r.post(
    '/api/auth/totp/disable',
    {
      config: { access: 'authenticated' },
      schema: { tags: auth, body: totpCodeBody, response: { 200: okResponse } },
    },
    async (req) => {
      await s.auth.totpSet(req.ctx, req.body.code, false);
      return ok;
    },
  );
  r.get(
    '/api/auth/api-keys',
    {
      config: { access: 'authenticated' },
      schema: { tags: auth, summary: 'Your API keys', response: { 200: z.array(apiKeyInfo) } },
    },
    async (req) => s.auth.listApiKeys(req.ctx),
  );
  r.post(
    '/api/auth/api-keys',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: auth,
        summary: 'Create an API key acting as you; shown once',
        body: createApiKeyBody,
        response: { 201: createdApiKey },
      },
    },
    async (req, reply) => reply.status(201).send(await s.auth.createApiKey(req.ctx, req.body.name)),
  );
  r.delete(
    '/api/auth/api-keys/:id',
    {
      config: { access: 'authenticated' },
      schema: { tags: auth, params: idParam, response: { 200: okResponse } },
    },
    async (req) => {
      await s.auth.revokeApiKey(req.ctx, req.params.id);
      return ok;
    },
  );

  r.get(
    '/api/users',
    {
      config: { access: 'users.read' },
      schema: { tags: users, querystring: listUsersQuery, response: { 200: paged(userSummary) } },
    },
    async (req) => s.users.list(req.ctx, req.query),
  );
  r.get(
    '/api/users/:id',
    {
      config: { access: 'users.read' },
      schema: { tags: users, params: idParam, response: { 200: userDetail } },
    },
    async (req) => s.users.get(req.ctx, req.params.id),
  );
  r.post(
    '/api/users',
    {
      config: { access: 'users.manage', auditDenied: 'sensitive' },
      schema: { tags: users, body: createUserBody, response: { 201: userDetail } },
    },
    async (req, reply) => reply.status(201).send(await s.users.create(req.ctx, req.body)),
  );
  r.patch(
    '/api/users/:id',
    {
      config: { access: 'users.manage', auditDenied: 'sensitive' },
      schema: { tags: users, params: idParam, body: updateUserBody, response: { 200: userDetail } },
    },
    async (req) => s.users.update(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/users/:id/password',
    {
      config: { access: 'users.manage', auditDenied: 'sensitive' },
      schema: { tags: users, params: idParam, body: resetPasswordBody, response: { 200: okResponse } },
    },
    async (req) => {
      await s.users.resetPassword(req.ctx, req.params.id, req.body.newPassword);
      return ok;
    },
  );
  r.post(
    '/api/users/:id/assignments',
    {
      config: { access: 'users.manage', auditDenied: 'sensitive' },
      schema: { tags: users, params: idParam, body: assignmentInput, response: { 201: userDetail } },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await s.users.addAssignment(req.ctx, req.params.id, req.body.roleId, req.body.nodeId)),
  );
  r.delete(
    '/api/users/:id/assignments/:assignmentId',
    {
      config: { access: 'users.manage', auditDenied: 'sensitive' },
      schema: {
        tags: users,
        params: z.strictObject({ id: recordIdParam, assignmentId: recordIdParam }),
        response: { 200: userDetail },
      },
    },
    async (req) => s.users.removeAssignment(req.ctx, req.params.id, req.params.assignmentId),
  );

  r.get(
    '/api/login-throttles',
    {
      config: { access: 'users.manage', auditDenied: 'sensitive' },
      schema: {
        tags: users,
        summary: 'Sign-in throttles and locks in force (district-level administrators)',
        response: { 200: z.array(loginThrottle) },
      },
    },
    async (req) => s.throttles.list(req.ctx),
  );
  r.delete(
    '/api/login-throttles/:id',
    {
      config: { access: 'users.manage', auditDenied: 'sensitive' },
      schema: {
        tags: users,
        summary: 'Lift a sign-in throttle or lock',
        params: idParam,
        response: { 200: okResponse },
      },
    },
    async (req) => {
      await s.throttles.lift(req.ctx, req.params.id);
      return ok;
    },
  );

  r.get(
    '/api/roles',
    { config: { access: 'roles.read' }, schema: { tags: roles, response: { 200: z.array(role) } } },
    async () => s.roles.list(),
  );
  r.get(
    '/api/permissions',
    {
      config: { access: 'roles.read' },
      schema: {
        tags: roles,
        summary: 'The permissions registry',
        response: { 200: z.array(permissionInfo) },
      },
    },
    () => s.roles.permissions(),
  );
  r.post(
    '/api/roles',
    {
      config: { access: 'roles.manage', auditDenied: 'sensitive' },
      schema: { tags: roles, body: createRoleBody, response: { 201: role } },
    },
    async (req, reply) => reply.status(201).send(await s.roles.create(req.ctx, req.body)),
  );
  r.patch(
    '/api/roles/:id',
    {
      config: { access: 'roles.manage', auditDenied: 'sensitive' },
      schema: { tags: roles, params: idParam, body: updateRoleBody, response: { 200: role } },
    },
    async (req) => s.roles.update(req.ctx, req.params.id, req.body),
  );
}
