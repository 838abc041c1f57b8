// Joint handling: types from the shared contract (type-only), query keys, reads and the action call.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from './client.js';
import type { Paged } from './types.js';
import type {
  calendarDay,
  department,
  eventActionBody,
  possibleDuplicate,
  publicReportBody,
  reportEventBody,
  EventCategory,
  EventDetail,
  EventSummary,
  TrackingView,
} from '../../common/contracts/events.js';

export type {
  EventCategory,
  EventDetail,
  EventSummary,
  RevealReporterPhoneResponse,
  TrackingView,
} from '../../common/contracts/events.js';
export type Department = z.infer<typeof department>;
export type CalendarDay = z.infer<typeof calendarDay>;
export type PossibleDuplicate = z.infer<typeof possibleDuplicate>;
export type EventActionInput = z.input<typeof eventActionBody>;
export type ReportEventInput = z.input<typeof reportEventBody>;
export type PublicReportInput = z.input<typeof publicReportBody>;
export type EventState = EventSummary['state'];
export type EventAction = EventDetail['actions'][number];

export interface EventFilters {
  node?: number;
  state?: EventState[];
  category?: number;
  level?: EventSummary['ownerLevel'];
  channel?: EventSummary['channel'];
  overdue?: 'true' | 'false';
  q?: string;
}

export const eventKeys = {
  all: ['events'] as const,
  list: (f: EventFilters & { page: number; pageSize: number }) => ['events', 'list', f] as const,
  tasks: ['events', 'tasks'] as const,
  detail: (id: number) => ['events', 'detail', id] as const,
  categories: ['events', 'categories'] as const,
  publicCategories: ['events', 'public-categories'] as const,
  departments: (node?: number) => ['events', 'departments', node ?? 0] as const,
  track: (code: string) => ['events', 'track', code] as const,
};

export function useEvents(f: EventFilters & { page: number; pageSize: number }) {
  return useQuery({
    queryKey: eventKeys.list(f),
    queryFn: ({ signal }) =>
      api.get<Paged<EventSummary>>(
        '/api/events',
        {
          node: f.node,
          state: f.state,
          category: f.category,
          level: f.level,
          channel: f.channel,
          overdue: f.overdue,
          q: f.q,
          page: f.page,
          pageSize: f.pageSize,
        },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useTasks(enabled = true) {
  return useQuery({
    queryKey: eventKeys.tasks,
    queryFn: ({ signal }) => api.get<{ items: EventSummary[] }>('/api/events/tasks', undefined, signal),
    refetchInterval: 30_000,
    enabled,
  });
}

export function useEvent(id: number | undefined) {
  return useQuery({
    queryKey: eventKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api.get<EventDetail>(`/api/events/${id}`, undefined, signal),
    enabled: id !== undefined,
  });
}

export function useCategories() {
  return useQuery({
    queryKey: eventKeys.categories,
    queryFn: ({ signal }) => api.get<{ items: EventCategory[] }>('/api/event-categories', undefined, signal),
    staleTime: 60_000,
  });
}

export function usePublicCategories() {
  return useQuery({
    queryKey: eventKeys.publicCategories,
    queryFn: ({ signal }) =>
      api.get<{ items: EventCategory[] }>('/api/public/event-categories', undefined, signal),
    staleTime: 60_000,
  });
}

/** Departments that serve a node (attached to it or above it), for dispatching. */
export function useDepartments(node: number | undefined, enabled = true) {
  return useQuery({
    queryKey: eventKeys.departments(node),
    queryFn: ({ signal }) => api.get<{ items: Department[] }>('/api/departments', { node }, signal),
    enabled,
  });
}

export function useTracking(code: string | undefined) {
  return useQuery({
    queryKey: eventKeys.track(code ?? ''),
    queryFn: ({ signal }) => api.get<TrackingView>(`/api/public/events/${code}`, undefined, signal),
    enabled: Boolean(code),
    retry: false,
  });
}

/** Takes a workflow action; on success the event, the lists and the tasks are fresh again. */
export function useEventAction(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: EventActionInput) => api.post<EventDetail>(`/api/events/${id}/actions`, body),
    onSuccess: (e) => {
      qc.setQueryData(eventKeys.detail(id), e);
      void qc.invalidateQueries({ queryKey: eventKeys.all });
    },
  });
}

/** Categories as a two-level tree for a Cascader: groups with their active sub-categories. */
export function categoryTree(items: readonly EventCategory[], label: (c: EventCategory) => string) {
  const groups = items.filter((c) => c.parentId === null && !c.retired);
  return groups
    .map((g) => ({
      value: g.id,
      label: label(g),
      children: items
        .filter((c) => c.parentId === g.id && !c.retired)
        .map((c) => ({ value: c.id, label: label(c) })),
    }))
    .filter((g) => g.children.length > 0);
}
