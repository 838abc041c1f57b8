// Daily situation reports: types from the shared contract (type-only), query keys, reads and writes.
// Query keys start with 'reports' so that live updates of kind report.* refresh them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from './client.js';
import type { ListOf } from './types.js';
import type {
  createTemplateBody,
  formsResponse,
  exportBody,
  HistoryResponse,
  ReportForm,
  ReportTemplate,
  ReportValue,
  SummaryResponse,
} from '../../common/contracts/reports.js';

export type {
  HistoryResponse,
  ReportField,
  ReportForm,
  ReportTemplate,
  ReportValue,
  SummaryResponse,
} from '../../common/contracts/reports.js';
export type CreateTemplateInput = z.input<typeof createTemplateBody>;
export type ExportInput = z.input<typeof exportBody>;
export type FormsResponse = z.infer<typeof formsResponse>;

export const reportKeys = {
  all: ['reports'] as const,
  list: (command?: number) => ['reports', 'list', command ?? 0] as const,
  detail: (id: number) => ['reports', 'detail', id] as const,
  forms: (id: number, day: string) => ['reports', 'forms', id, day] as const,
  summary: (id: number, node: number | undefined, day: string) =>
    ['reports', 'summary', id, node ?? 0, day] as const,
  history: (id: number, node: number | undefined, from: string, to: string) =>
    ['reports', 'history', id, node ?? 0, from, to] as const,
};

export function useReportTemplates(command?: number) {
  return useQuery({
    queryKey: reportKeys.list(command),
    queryFn: ({ signal }) => api.get<ListOf<ReportTemplate>>('/api/report-templates', { command }, signal),
  });
}

export function useReportTemplate(id: number) {
  return useQuery({
    queryKey: reportKeys.detail(id),
    queryFn: ({ signal }) => api.get<ReportTemplate>(`/api/report-templates/${id}`, undefined, signal),
  });
}

export function useReportForms(id: number, day: string, enabled: boolean) {
  return useQuery({
    queryKey: reportKeys.forms(id, day),
    queryFn: ({ signal }) => api.get<FormsResponse>(`/api/report-templates/${id}/forms`, { day }, signal),
    enabled,
  });
}

export function useReportSummary(id: number, node: number | undefined, day: string, enabled: boolean) {
  return useQuery({
    queryKey: reportKeys.summary(id, node, day),
    queryFn: ({ signal }) =>
      api.get<SummaryResponse>(`/api/report-templates/${id}/summary`, { node, day }, signal),
    enabled,
  });
}

export function useReportHistory(
  id: number,
  node: number | undefined,
  from: string,
  to: string,
  enabled: boolean,
) {
  return useQuery({
    queryKey: reportKeys.history(id, node, from, to),
    queryFn: ({ signal }) =>
      api.get<HistoryResponse>(`/api/report-templates/${id}/history`, { node, from, to }, signal),
    enabled,
  });
}

export function useCreateTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTemplateInput) => api.post<ReportTemplate>('/api/report-templates', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: reportKeys.all }),
  });
}

export function useRetireTemplate(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.patch<ReportTemplate>(`/api/report-templates/${id}`, { retired: true }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: reportKeys.all }),
  });
}

export function useSubmitReport(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { nodeId: number; day: string; values: Record<string, ReportValue> }) =>
      api.put<ReportForm>(`/api/report-templates/${id}/submissions`, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: reportKeys.all }),
  });
}

export function exportReport(id: number, body: ExportInput) {
  return api.postForBlob(`/api/report-templates/${id}/export`, body);
}
