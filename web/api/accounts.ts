// Accounts: the signed-in caller, sign-in and out, one's own password, two-factor and API keys, and
// the roles and users that the administration pages and pickers read.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, isApiError } from './client.js';
import type {
  assignmentInput,
  changePasswordBody,
  createRoleBody,
  createUserBody,
  loginBody,
  updateRoleBody,
  updateUserBody,
  userDetail,
  ApiKeyInfo,
  CreatedApiKey,
  LoginThrottle,
  Me,
  PermissionInfo,
  Role,
  TotpSetup,
  UserSummary,
} from '../../common/contracts/accounts.js';
import type { OkResponse, Paged } from '../../common/contracts/shared.js';

export type LoginInput = z.input<typeof loginBody>;
export type ChangePasswordInput = z.input<typeof changePasswordBody>;
export type CreateRoleInput = z.input<typeof createRoleBody>;
export type UpdateRoleInput = z.input<typeof updateRoleBody>;
export type CreateUserInput = z.input<typeof createUserBody>;
export type UpdateUserInput = z.input<typeof updateUserBody>;
export type AssignmentInput = z.input<typeof assignmentInput>;
export type UserDetail = z.infer<typeof userDetail>;
export interface UserFilters {
  node?: number | undefined;
  q: string;
  page: number;
  pageSize: number;
}

export const ME_KEY = ['me'] as const;
export const roleKeys = { all: ['roles'] as const, permissions: ['permissions'] as const };
export const apiKeyKeys = { all: ['api-keys'] as const };
export const userKeys = {
  all: ['users'] as const,
  list: (f: UserFilters) => ['users', f] as const,
  /** The users a picker offers: those assigned at or below `node` whose name matches `q`. */
  pick: (node: number | undefined, q: string) => ['users', 'pick', node ?? 0, q] as const,
};

/** The caller, or null when signed out (a 401 here is an answer, not an error). */
export function useMeQuery() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async ({ signal }) => {
      try {
        return await api.get<Me>('/api/auth/me', undefined, signal);
      } catch (e) {
        if (isApiError(e) && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export const login = (body: LoginInput) => api.post<Me>('/api/auth/login', body);
export const logout = () => api.post<OkResponse>('/api/auth/logout');
export const changePassword = (body: ChangePasswordInput) => api.post<OkResponse>('/api/auth/password', body);

export const startTotpSetup = () => api.post<TotpSetup>('/api/auth/totp/setup');
/** Turns two-factor on (after setup) or off; either way the current code proves the device. */
export const setTotp = (on: boolean, code: string) =>
  api.post<OkResponse>(on ? '/api/auth/totp/enable' : '/api/auth/totp/disable', { code });

export function useApiKeys() {
  return useQuery({
    queryKey: apiKeyKeys.all,
    queryFn: ({ signal }) => api.get<ApiKeyInfo[]>('/api/auth/api-keys', undefined, signal),
  });
}
export const createApiKey = (name: string) => api.post<CreatedApiKey>('/api/auth/api-keys', { name });
export const revokeApiKey = (id: number) => api.delete<OkResponse>(`/api/auth/api-keys/${id}`);

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: roleKeys.all,
    queryFn: ({ signal }) => api.get<Role[]>('/api/roles', undefined, signal),
    enabled,
    staleTime: 60_000,
  });
}

export function usePermissions(enabled = true) {
  return useQuery({
    queryKey: roleKeys.permissions,
    queryFn: ({ signal }) => api.get<PermissionInfo[]>('/api/permissions', undefined, signal),
    enabled,
    staleTime: Infinity,
  });
}

export const createRole = (body: CreateRoleInput) => api.post<Role>('/api/roles', body);
export const updateRole = (id: number, body: UpdateRoleInput) => api.patch<Role>(`/api/roles/${id}`, body);

/** The first page of users a picker offers (e.g. a department's members). */
export function useUserPick(node: number | undefined, q: string, enabled: boolean) {
  return useQuery({
    queryKey: userKeys.pick(node, q),
    queryFn: ({ signal }) =>
      api.get<Paged<UserSummary>>('/api/users', { node, q: q || undefined, pageSize: 20 }, signal),
    enabled,
  });
}

/** The users assigned at or below `f.node`, a page at a time. */
export function useUsers(f: UserFilters) {
  return useQuery({
    queryKey: userKeys.list(f),
    queryFn: ({ signal }) =>
      api.get<Paged<UserSummary>>(
        '/api/users',
        { node: f.node, q: f.q || undefined, page: f.page, pageSize: f.pageSize },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}
export const createUser = (body: CreateUserInput) => api.post<UserDetail>('/api/users', body);
/** Disable, enable or unlock an account, or rename it. */
export const updateUser = (id: number, body: UpdateUserInput) =>
  api.patch<UserDetail>(`/api/users/${id}`, body);
export const resetUserPassword = (id: number, newPassword: string) =>
  api.post<OkResponse>(`/api/users/${id}/password`, { newPassword });
export const addAssignment = (userId: number, body: AssignmentInput) =>
  api.post<UserDetail>(`/api/users/${userId}/assignments`, body);
export const removeAssignment = (userId: number, assignmentId: number) =>
  api.delete<UserDetail>(`/api/users/${userId}/assignments/${assignmentId}`);

export const throttleKeys = { all: ['login-throttles'] as const };

/** Sign-in throttles and locks in force; district-level administrators only (others get 403). */
export function useLoginThrottles(enabled = true) {
  return useQuery({
    queryKey: throttleKeys.all,
    queryFn: ({ signal }) => api.get<LoginThrottle[]>('/api/login-throttles', undefined, signal),
    enabled,
    retry: false,
  });
}
export const liftLoginThrottle = (id: number) => api.delete<OkResponse>(`/api/login-throttles/${id}`);
