// Passage registration at checkpoints (卡口登记), its search and statistics, risk rules and the hand-offs
// to the destination grid: types from the shared contract (type-only), query keys, reads and the calls.
// Keys start with the area ('passages', 'handoff-tasks', 'risk-rules', 'regions') so that a live update
// of that area can refresh them (web/app/live).
// The checkpoints and the caller's shift are read through web/api/defence.ts.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, request, requestBlob, withQuery } from './client.js';
import type { ListOf, Paged } from './types.js';
import type {
  createPassageBody,
  handoffStepBody,
  passageStats,
  recallResponse,
  riskRulesBody,
  riskRulesView,
  HandoffView,
  PassageView,
  RegionView,
} from '../../common/contracts/passages.js';

export type {
  HandoffView,
  PassageDirection,
  PassagePersonInput,
  PassagePersonView,
  PassageView,
  RegionView,
  RiskReason,
  ScreeningAnswers,
  VehicleType,
} from '../../common/contracts/passages.js';
export type { CheckpointView } from '../../common/contracts/defence.js';
/** What the registration form sends (before the server's transforms). */
export type CreatePassageInput = z.input<typeof createPassageBody>;
export type RecallResponse = z.infer<typeof recallResponse>;
export type PassageStats = z.infer<typeof passageStats>;
export type RiskRulesInput = z.input<typeof riskRulesBody>;
export type RiskRulesView = z.infer<typeof riskRulesView>;
export type HandoffStepInput = z.input<typeof handoffStepBody>;

/** The search's filters, as `GET /api/passages` takes them (instants as ISO strings). */
export interface PassageFilters {
  plate?: string;
  idNumber?: string;
  name?: string;
  checkpointId?: number;
  node?: number;
  direction?: 'in' | 'out';
  risky?: 'true' | 'false';
  from?: string;
  to?: string;
}

export interface StatsFilters {
  checkpointId?: number;
  node?: number;
  from: string;
  to: string;
  bucket: 'hour' | 'day';
}

export const passageKeys = {
  all: ['passages'] as const,
  list: (f: PassageFilters & { page: number; pageSize: number }) => ['passages', 'list', f] as const,
  detail: (id: number) => ['passages', 'detail', id] as const,
  stats: (f: StatsFilters) => ['passages', 'stats', f] as const,
  recall: (by: 'plate' | 'idNumber', value: string) => ['passages', 'recall', by, value] as const,
  regions: (q: string) => ['regions', q] as const,
  riskRules: (command: number) => ['risk-rules', command] as const,
  handoffTasks: ['handoff-tasks'] as const,
};

export function usePassages(f: PassageFilters & { page: number; pageSize: number }, enabled = true) {
  return useQuery({
    queryKey: passageKeys.list(f),
    queryFn: ({ signal }) =>
      api.get<Paged<PassageView>>('/api/passages', { ...f, page: f.page, pageSize: f.pageSize }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function usePassage(id: number | undefined) {
  return useQuery({
    queryKey: passageKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api.get<PassageView>(`/api/passages/${id}`, undefined, signal),
    enabled: id !== undefined,
  });
}

export function usePassageStats(f: StatsFilters, enabled = true) {
  return useQuery({
    queryKey: passageKeys.stats(f),
    queryFn: ({ signal }) => api.get<PassageStats>('/api/passages/stats', { ...f }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** What a plate or an ID number seen before fills in; asked once per value. */
export const fetchRecall = (by: 'plate' | 'idNumber', value: string, signal?: AbortSignal) =>
  api.get<RecallResponse>('/api/passages/recall', { [by]: value }, signal);

/** Regions of China by name, pinyin or six-digit code; nothing is asked for an empty `q`. */
export function useRegions(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: passageKeys.regions(text),
    queryFn: async ({ signal }) =>
      (await api.get<ListOf<RegionView>>('/api/regions', { q: text, limit: 20 }, signal)).items,
    enabled: text.length > 0,
    staleTime: 10 * 60_000,
    placeholderData: (previous) => previous,
  });
}

/**
 * Registers one passage. `key` is the entry's `Idempotency-Key`, made once when the entry was made
 * and sent again with every retry, so the server registers it once.
 */
export const createPassage = (body: CreatePassageInput, key: string) =>
  request<PassageView>('POST', '/api/passages', { body, headers: { 'Idempotency-Key': key } });

/** The list's filters to XLSX (`GET /api/passages/export.xlsx`), always masked. */
export const exportPassages = (f: PassageFilters) =>
  requestBlob('GET', withQuery('/api/passages/export.xlsx', { ...f }));

export function useRiskRules(command: number | undefined) {
  return useQuery({
    queryKey: passageKeys.riskRules(command ?? 0),
    queryFn: ({ signal }) => api.get<RiskRulesView>(`/api/commands/${command}/risk-rules`, undefined, signal),
    enabled: command !== undefined,
  });
}

export const saveRiskRules = (command: number, body: RiskRulesInput) =>
  api.put<RiskRulesView>(`/api/commands/${command}/risk-rules`, body);

/** The caller's open hand-offs (`GET /api/handoffs/tasks`), overdue first. */
export function useHandoffTasks(enabled = true) {
  return useQuery({
    queryKey: passageKeys.handoffTasks,
    queryFn: ({ signal }) => api.get<ListOf<HandoffView>>('/api/handoffs/tasks', undefined, signal),
    enabled,
    refetchInterval: 30_000,
    retry: false,
  });
}

/** Visited (screened) or closed; the answer is the hand-off as it now stands. */
export const stepHandoff = (id: number, body: HandoffStepInput) =>
  api.post<HandoffView>(`/api/handoffs/${id}/steps`, body);
