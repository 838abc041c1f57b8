// Reads shared by the users and roles pages.
import { useQuery } from '@tanstack/react-query';
import { api } from './client.js';
import type { LoginThrottle } from '../../common/contracts/accounts.js';
import type { PermissionInfo, RoleInfo } from './types.js';

export const roleKeys = { all: ['roles'] as const, permissions: ['permissions'] as const };

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: roleKeys.all,
    queryFn: ({ signal }) => api.get<RoleInfo[]>('/api/roles', undefined, signal),
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
