// Notices: types from the shared contract (type-only), query keys under 'notices' (live updates of
// kind notice.* refresh them), reads and the publish and delivery calls.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from './client.js';
import type { OkResponse, Paged } from './types.js';
import type {
  DeliverResponse,
  NoticeDetail,
  NoticeHousehold,
  NoticeSummary,
  noticeHouseholdsQuery,
  publishNoticeBody,
  deliverBody,
} from '../../common/contracts/notices.js';

export type {
  DeliverResponse,
  DeliveryMethod,
  NoticeDetail,
  NoticeHousehold,
  NoticeSummary,
  NoticeProgress,
} from '../../common/contracts/notices.js';
export { DELIVERY_METHODS, DELIVERY_BATCH_MAX } from '../../common/contracts/notices-codes.js';
export type PublishNoticeInput = z.input<typeof publishNoticeBody>;
export type DeliverInput = z.input<typeof deliverBody>;
export type ChecklistStatus = z.infer<typeof noticeHouseholdsQuery>['status'];

export interface NoticeFilters {
  node?: number | undefined;
  command?: number | undefined;
  page: number;
  pageSize: number;
}

export const noticeKeys = {
  all: ['notices'] as const,
  list: (f: NoticeFilters) => ['notices', 'list', f] as const,
  detail: (id: number, node: number | undefined) => ['notices', 'detail', id, node ?? null] as const,
  households: (
    id: number,
    f: { node?: number | undefined; status: ChecklistStatus; page: number; pageSize: number },
  ) => ['notices', 'households', id, f] as const,
};

export function useNotices(f: NoticeFilters) {
  return useQuery({
    queryKey: noticeKeys.list(f),
    queryFn: ({ signal }) =>
      api.get<Paged<NoticeSummary>>(
        '/api/notices',
        { node: f.node, command: f.command, page: f.page, pageSize: f.pageSize },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useNotice(id: number, node: number | undefined) {
  return useQuery({
    queryKey: noticeKeys.detail(id, node),
    queryFn: ({ signal }) => api.get<NoticeDetail>(`/api/notices/${id}`, { node }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useNoticeHouseholds(
  id: number,
  f: { node?: number | undefined; status: ChecklistStatus; page: number; pageSize: number },
  enabled: boolean,
) {
  return useQuery({
    queryKey: noticeKeys.households(id, f),
    queryFn: ({ signal }) =>
      api.get<Paged<NoticeHousehold>>(
        `/api/notices/${id}/households`,
        { node: f.node, status: f.status, page: f.page, pageSize: f.pageSize },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function usePublishNotice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PublishNoticeInput) => api.post<NoticeDetail>('/api/notices', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: noticeKeys.all }),
  });
}

export function useDeliver(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DeliverInput) => api.post<DeliverResponse>(`/api/notices/${id}/deliveries`, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: noticeKeys.all }),
  });
}

export function useUndeliver(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (householdId: number) =>
      api.delete<OkResponse>(`/api/notices/${id}/deliveries/${householdId}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: noticeKeys.all }),
  });
}
