// Screening sweeps (摸排): the sweeps of my place, their progress per node, a grid's list household by
// household, visits, people met on the spot, seconded cadres' pairings and the results workbook. Types
// from the shared contract (type-only), query keys, reads and the calls. Keys start with the area
// ('sweep') so that a live update of that area refreshes them (web/app/live).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client.js';
import type { ListOf } from './types.js';
import type {
  CreateSweepInput,
  FoundInput,
  GridList,
  QuestionnaireView,
  SweepListResult,
  SweepProgress,
  SweepView,
  TargetView,
  VisitInput,
  VisitResult,
} from '../../common/contracts/screening.js';

export type {
  CreateSweepInput,
  FoundInput,
  GridList,
  PopulationKind,
  QuestionnaireView,
  RiskLevel,
  SweepProgress,
  SweepView,
  TargetStatus,
  TargetView,
  VisitInput,
  VisitOutcome,
} from '../../common/contracts/screening.js';
export { POPULATION_KINDS, VISIT_OUTCOMES } from '../../common/contracts/screening-codes.js';

export interface Pairing {
  grid: { id: number; name: string };
  user: { id: number; name: string; node: string };
}
export interface QuestionnaireSummary {
  id: number;
  code: string;
  version: number;
  title: { zh: string; en: string };
  createdAt: string;
}

export const sweepKeys = {
  all: ['sweep'] as const,
  list: ['sweep', 'list'] as const,
  detail: (id: number) => ['sweep', 'detail', id] as const,
  progress: (id: number, node: number | undefined) => ['sweep', 'progress', id, node ?? 0] as const,
  grid: (id: number, node: number | undefined) => ['sweep', 'grid', id, node ?? 0] as const,
  pairings: (id: number, node: number | undefined) => ['sweep', 'pairings', id, node ?? 0] as const,
  helpers: (id: number, grid: number) => ['sweep', 'helpers', id, grid] as const,
  questionnaires: ['sweep', 'questionnaires'] as const,
};

export function useSweeps(enabled = true) {
  return useQuery({
    queryKey: sweepKeys.list,
    queryFn: ({ signal }) => api.get<ListOf<SweepView>>('/api/sweeps', { status: 'open' }, signal),
    enabled,
    retry: false,
  });
}
export function useSweep(id: number) {
  return useQuery({
    queryKey: sweepKeys.detail(id),
    queryFn: ({ signal }) => api.get<SweepView>(`/api/sweeps/${id}`, undefined, signal),
  });
}
export function useSweepProgress(id: number, node: number | undefined) {
  return useQuery({
    queryKey: sweepKeys.progress(id, node),
    queryFn: ({ signal }) =>
      api.get<SweepProgress>(`/api/sweeps/${id}/progress`, node === undefined ? {} : { node }, signal),
    placeholderData: keepPreviousData,
  });
}
export function useGridList(id: number, node: number | undefined) {
  return useQuery({
    queryKey: sweepKeys.grid(id, node),
    queryFn: ({ signal }) =>
      api.get<GridList>(`/api/sweeps/${id}/list`, node === undefined ? {} : { node }, signal),
  });
}
export function usePairings(id: number, node: number | undefined, enabled = true) {
  return useQuery({
    queryKey: sweepKeys.pairings(id, node),
    queryFn: ({ signal }) =>
      api.get<ListOf<Pairing>>(`/api/sweeps/${id}/pairings`, node === undefined ? {} : { node }, signal),
    enabled,
  });
}
export function useHelperCandidates(id: number, gridId: number | undefined) {
  return useQuery({
    queryKey: sweepKeys.helpers(id, gridId ?? 0),
    queryFn: ({ signal }) =>
      api.get<ListOf<{ userId: number; name: string; node: string }>>(
        `/api/sweeps/${id}/helpers`,
        { gridId },
        signal,
      ),
    enabled: gridId !== undefined,
  });
}
export function useQuestionnaires(enabled = true) {
  return useQuery({
    queryKey: sweepKeys.questionnaires,
    queryFn: ({ signal }) => api.get<ListOf<QuestionnaireSummary>>('/api/questionnaires', undefined, signal),
    enabled,
  });
}

export const createSweep = (body: CreateSweepInput) => api.post<SweepView>('/api/sweeps', body);
/** Starts a sweep of the people a workbook lists by ID number (a 身份证号 column). */
export function createSweepFromList(
  fields: { name: string; commandId: number; questionnaireId: number; nodeId: number; deadline: string },
  file: File,
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
  form.append('file', file, file.name);
  return api.post<SweepListResult>('/api/sweeps/import', form);
}
export const closeSweep = (id: number) => api.post<SweepView>(`/api/sweeps/${id}/close`, {});
export const recordVisit = (id: number, targetId: number, body: VisitInput) =>
  api.post<VisitResult>(`/api/sweeps/${id}/targets/${targetId}/visit`, body);
export const addFound = (id: number, body: FoundInput) =>
  api.post<{ target: TargetView; registered: boolean }>(`/api/sweeps/${id}/found`, body);
export const pairHelper = (id: number, gridId: number, userId: number) =>
  api.post<ListOf<Pairing>>(`/api/sweeps/${id}/pairings`, { gridId, userId });
export const unpairHelper = (id: number, gridId: number, userId: number) =>
  api.delete<ListOf<Pairing>>(`/api/sweeps/${id}/pairings/${gridId}/${userId}`);
export const exportSweep = (id: number, node: number | undefined) =>
  api.postForBlob(`/api/sweeps/${id}/export`, node === undefined ? {} : { node });
export type { QuestionnaireView as Questionnaire };
