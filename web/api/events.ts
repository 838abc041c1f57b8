// Joint handling: types from the shared contract (type-only), query keys, reads, the action call and
// the settings pages' changes (categories, departments, the work calendar).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, requestBlob } from './client.js';
import type { ListOf, Paged } from './types.js';
import type {
  calendarDay,
  createDepartmentBody,
  department,
  evaluateBody,
  eventActionBody,
  putCalendarDayBody,
  publicReportResponse,
  reportResponse,
  updateCategoryBody,
  KpiResponse,
  RevealReporterPhoneResponse,
  possibleDuplicate,
  publicReportBody,
  reportEventBody,
  EventCategory,
  EventDetail,
  EventSummary,
  TrackingView,
} from '../../common/contracts/events.js';
import type { EventPoints, EventPointsQuery, ExportEventsBody } from '../../common/contracts/event-views.js';
import type { publicPlaceAt } from '../../common/contracts/nodes.js';

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
export type ReportEventResponse = z.infer<typeof reportResponse>;
export type PublicReportResponse = z.infer<typeof publicReportResponse>;
export type EvaluateInput = z.input<typeof evaluateBody>;
export type UpdateCategoryInput = z.input<typeof updateCategoryBody>;
export type CreateDepartmentInput = z.input<typeof createDepartmentBody>;
export type PutCalendarDayInput = z.input<typeof putCalendarDayBody>;
export type { EventPoints, KpiResponse };
export type PublicPlaceAt = z.infer<typeof publicPlaceAt>;
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
  allDepartments: ['events', 'departments'] as const,
  departments: (node?: number) => ['events', 'departments', node ?? 0] as const,
  track: (code: string) => ['events', 'track', code] as const,
  placeAt: (lat: number, lng: number) => ['events', 'place-at', lat, lng] as const,
  points: (f: EventPointsQuery) =>
    ['events', 'points', f.node ?? 0, f.category ?? 0, f.overdue ?? ''] as const,
  kpis: (node: number | undefined, from: string, to: string) =>
    ['events', 'kpis', node ?? 0, from, to] as const,
};
/** Not under 'events': a change of the calendar is no event update. */
export const calendarKeys = { all: ['work-calendar'] as const };

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
    queryFn: ({ signal }) => api.get<ListOf<EventSummary>>('/api/events/tasks', undefined, signal),
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
    queryFn: ({ signal }) => api.get<ListOf<EventCategory>>('/api/event-categories', undefined, signal),
    staleTime: 60_000,
  });
}

export function usePublicCategories() {
  return useQuery({
    queryKey: eventKeys.publicCategories,
    queryFn: ({ signal }) =>
      api.get<ListOf<EventCategory>>('/api/public/event-categories', undefined, signal),
    staleTime: 60_000,
  });
}

/** Departments that serve a node (attached to it or above it), for dispatching. */
export function useDepartments(node: number | undefined, enabled = true) {
  return useQuery({
    queryKey: eventKeys.departments(node),
    queryFn: ({ signal }) => api.get<ListOf<Department>>('/api/departments', { node }, signal),
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

/** Where a resident's report placed at this point goes (the grid holding it), asked before it is sent. */
export function usePlaceAt(point: { lat: number; lng: number } | null) {
  return useQuery({
    queryKey: eventKeys.placeAt(point?.lat ?? 0, point?.lng ?? 0),
    queryFn: ({ signal }) =>
      api.get<PublicPlaceAt>(
        '/api/public/places/at',
        { lat: point!.lat.toFixed(6), lng: point!.lng.toFixed(6) },
        signal,
      ),
    enabled: point !== null,
    staleTime: 10 * 60_000,
  });
}

/** The open events on a map, with counts per grid; refreshed every minute. */
export function useEventPoints(f: EventPointsQuery) {
  return useQuery({
    queryKey: eventKeys.points(f),
    queryFn: ({ signal }) =>
      api.get<EventPoints>(
        '/api/events/points',
        { node: f.node, category: f.category, overdue: f.overdue },
        signal,
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

export function useKpis(node: number | undefined, from: string, to: string) {
  return useQuery({
    queryKey: eventKeys.kpis(node, from, to),
    queryFn: ({ signal }) => api.get<KpiResponse>('/api/events/kpis', { node, from, to }, signal),
  });
}

export const reportEvent = (body: ReportEventInput) => api.post<ReportEventResponse>('/api/events', body);
export const submitPublicReport = (body: PublicReportInput) =>
  api.post<PublicReportResponse>('/api/public/events', body);
export const evaluateEvent = (code: string, body: EvaluateInput) =>
  api.post<TrackingView>(`/api/public/events/${code}/evaluation`, body);
/** Shows the reporter's phone in full; the server logs who asked and why. */
export const revealReporterPhone = (id: number, reason: string) =>
  api.post<RevealReporterPhoneResponse>(`/api/events/${id}/reveal-reporter-phone`, { reason });
/** The filtered list as a workbook (a strict body: leave empty filters out). */
export const exportEvents = (body: Partial<ExportEventsBody>) =>
  requestBlob('POST', '/api/events/export', { body });

export const updateCategory = (id: number, body: UpdateCategoryInput) =>
  api.patch<EventCategory>(`/api/event-categories/${id}`, body);
export const createDepartment = (body: CreateDepartmentInput) =>
  api.post<Department>('/api/departments', body);
export const addDepartmentMember = (id: number, userId: number) =>
  api.post<Department>(`/api/departments/${id}/members`, { userId });
export const removeDepartmentMember = (id: number, userId: number) =>
  api.delete<Department>(`/api/departments/${id}/members/${userId}`);

export function useWorkCalendar() {
  return useQuery({
    queryKey: calendarKeys.all,
    queryFn: ({ signal }) => api.get<ListOf<CalendarDay>>('/api/work-calendar', undefined, signal),
  });
}
export const putCalendarDay = (day: string, body: PutCalendarDayInput) =>
  api.put<ListOf<CalendarDay>>(`/api/work-calendar/${day}`, body);
export const deleteCalendarDay = (day: string) =>
  api.delete<ListOf<CalendarDay>>(`/api/work-calendar/${day}`);

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
