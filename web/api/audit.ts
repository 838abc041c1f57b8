// The audit log: a page of entries within a node, the chain's verification, and its anchors (ADR
// 0007): the newest signed heads with the public key that checks them, and anchoring now.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './client.js';
import type { AuditEntry, AuditVerifyResult, Paged } from './types.js';
import type { AuditAnchors, AuditAnchorView } from '../../common/contracts/audit.js';

export type { AuditAnchors, AuditAnchorView } from '../../common/contracts/audit.js';

export interface AuditFilters {
  actor?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
}

export const auditKeys = {
  all: ['audit'] as const,
  anchors: ['audit', 'anchors'] as const,
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

/** Only a district-level auditor may read them: anyone else gets 403, which is not an error here. */
export function useAuditAnchors() {
  return useQuery({
    queryKey: auditKeys.anchors,
    queryFn: ({ signal }) => api.get<AuditAnchors>('/api/audit/anchors', undefined, signal),
    retry: (n, err) => !(err instanceof ApiError && err.status === 403) && n < 2,
  });
}

export function useAnchorAuditNow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<AuditAnchorView>('/api/audit/anchors'),
    onSuccess: () => qc.invalidateQueries({ queryKey: auditKeys.all }),
  });
}
