// The audit log: a page of entries within a node, and the chain's verification.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client.js';
import type { AuditEntry, AuditVerifyResult, Paged } from './types.js';

export interface AuditFilters {
  actor?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
}

export const auditKeys = {
  all: ['audit'] as const,
  list: (f: AuditFilters & { node: number | undefined; page: number; pageSize: number }) =>
    ['audit', f] as const,
};

export function useAuditLog(
  f: AuditFilters & { node: number | undefined; page: number; pageSize: number },
  enabled: boolean,
) {
  return useQuery({
    queryKey: auditKeys.list(f),
    queryFn: ({ signal }) => api.get<Paged<AuditEntry>>('/api/audit', { ...f }, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Walks the whole chain on the server; the answer names the first row that fails, if any. */
export const verifyAuditChain = () => api.get<AuditVerifyResult>('/api/audit/verify');
