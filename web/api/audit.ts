// The audit chain's anchors (ADR 0007): the newest signed heads with the public key that checks
// them, and anchoring now. Types from the shared contract (type-only); query keys under 'audit'.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './client.js';
import type { AuditAnchors, AuditAnchorView } from '../../common/contracts/audit.js';

export type { AuditAnchors, AuditAnchorView } from '../../common/contracts/audit.js';

export const auditKeys = {
  anchors: ['audit', 'anchors'] as const,
};

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
    onSuccess: () => qc.invalidateQueries({ queryKey: ['audit'] }),
  });
}
