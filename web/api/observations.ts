// Home observation (居家观察): orders, their daily follow-ups, the caller's follow-ups due and a
// place's figures. Types from the shared contract (type-only), query keys, reads and the calls. Keys
// start with the area ('observation') so that a live update of that area refreshes them (web/app/live).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client.js';
import type { ListOf, Paged } from './types.js';
import type {
  CarerCandidate,
  CreateObservationInput,
  FollowUpInput,
  ObservationStats,
  ObservationStatus,
  ObservationStepBody,
  ObservationSummary,
  ObservationTask,
  ObservationView,
} from '../../common/contracts/observations.js';

export type {
  CarerKind,
  CreateObservationInput,
  FollowUpInput,
  FollowUpOutcome,
  FollowUpStatus,
  FollowUpView,
  Need,
  ObservationFigures,
  ObservationStats,
  ObservationStatus,
  ObservationSummary,
  ObservationTask,
  ObservationView,
  Symptom,
  TransferReason,
} from '../../common/contracts/observations.js';
export {
  CARER_KINDS,
  FOLLOW_UP_OUTCOMES,
  NEEDS,
  OBSERVATION_MAX_CARERS,
  OBSERVATION_MAX_DAYS,
  SYMPTOMS,
  TRANSFER_REASONS,
} from '../../common/contracts/observation-codes.js';

export interface ObservationFilters {
  node?: number;
  status?: ObservationStatus;
}

export const observationKeys = {
  all: ['observation'] as const,
  list: (f: ObservationFilters & { page: number; pageSize: number }) => ['observation', 'list', f] as const,
  detail: (id: number) => ['observation', 'detail', id] as const,
  tasks: ['observation', 'tasks'] as const,
  stats: (node: number | undefined) => ['observation', 'stats', node ?? 0] as const,
  carers: (personId: number) => ['observation', 'carers', personId] as const,
};

export function useObservations(f: ObservationFilters & { page: number; pageSize: number }) {
  return useQuery({
    queryKey: observationKeys.list(f),
    queryFn: ({ signal }) => api.get<Paged<ObservationSummary>>('/api/observations', { ...f }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useObservation(id: number | undefined) {
  return useQuery({
    queryKey: observationKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api.get<ObservationView>(`/api/observations/${id}`, undefined, signal),
    enabled: id !== undefined,
  });
}

/** The caller's follow-ups due (`GET /api/observations/tasks`), oldest first, one per order. */
export function useObservationTasks(enabled = true) {
  return useQuery({
    queryKey: observationKeys.tasks,
    queryFn: ({ signal }) => api.get<ListOf<ObservationTask>>('/api/observations/tasks', undefined, signal),
    enabled,
    refetchInterval: 30_000,
    retry: false,
  });
}

export function useObservationStats(node: number | undefined, enabled = true) {
  return useQuery({
    queryKey: observationKeys.stats(node),
    queryFn: ({ signal }) =>
      api.get<ObservationStats>('/api/observations/stats', node === undefined ? {} : { node }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Who may be named carer of this person's order (`GET /api/observations/carers`). */
export function useCarerCandidates(personId: number | undefined) {
  return useQuery({
    queryKey: observationKeys.carers(personId ?? 0),
    queryFn: ({ signal }) =>
      api.get<ListOf<CarerCandidate>>('/api/observations/carers', { personId }, signal),
    enabled: personId !== undefined,
  });
}

export const createObservation = (body: CreateObservationInput) =>
  api.post<ObservationView>('/api/observations', body);

/** Records a day's follow-up; the answer is the order as it now stands. */
export const recordFollowUp = (id: number, date: string, body: FollowUpInput) =>
  api.put<ObservationView>(`/api/observations/${id}/follow-ups/${date}`, body);

/** Marks the alert of a day that found the person unwell handled. */
export const handleAlert = (id: number, date: string) =>
  api.post<ObservationView>(`/api/observations/${id}/follow-ups/${date}/handled`, {});

export const stepObservation = (id: number, body: ObservationStepBody) =>
  api.post<ObservationView>(`/api/observations/${id}/steps`, body);
