// Joint services (服务联办): volunteer organisations and volunteers, invitations, call-outs and their
// sign-ups, service requests, care rosters and visits, the hours and their rankings, and the public
// pages (joining through an invitation, a resident asking for help). Types from the shared contract
// (type-only), query keys, reads and the calls. Keys start with the area ('services') so that one
// invalidation, or a live update of any of the module's areas (web/app/live.ts), refreshes them all.
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { z } from 'zod';
import { api, requestBlob, withQuery } from './client.js';
import type { ListOf, OkResponse, Paged } from './types.js';
import type {
  CalloutState,
  CalloutView,
  RequestState,
  RosterEntryView,
  ServiceRequestView,
  SignupView,
  Skill,
  VolunteerOrgView,
  VolunteerState,
  VolunteerView,
  assignVisitorBody,
  calloutFromShiftBody,
  careRule,
  careRulesBody,
  createCalloutBody,
  createInvitationBody,
  createOrgBody,
  createVolunteerBody,
  importResult,
  invitationInfo,
  invitationView,
  joinBody,
  joinResult,
  overdueByGrid,
  publicRequestBody,
  publicRequestResult,
  rankingList,
  suggestionList,
  updateVolunteerBody,
  visitBody,
  visitView,
} from '../../common/contracts/services.js';

export type {
  CalloutState,
  CalloutView,
  CareTag,
  Certification,
  Language,
  RequestKind,
  RequestState,
  RosterEntryView,
  ServiceRequestView,
  SignupState,
  SignupView,
  Skill,
  VolunteerOrgKind,
  VolunteerOrgView,
  VolunteerState,
  VolunteerView,
} from '../../common/contracts/services.js';
export type SuggestionView = z.infer<typeof suggestionList>['items'][number];
export type CareRule = z.infer<typeof careRule>;
export type GridOverdue = z.infer<typeof overdueByGrid>['items'][number];
export type RankingRow = z.infer<typeof rankingList>['items'][number];
export type InvitationView = z.infer<typeof invitationView>;
export type InvitationInfo = z.infer<typeof invitationInfo>;
export type ImportResult = z.infer<typeof importResult>;
export type JoinResult = z.infer<typeof joinResult>;
export type PublicRequestResult = z.infer<typeof publicRequestResult>;
export type VisitView = z.infer<typeof visitView>;
export type CreateOrgInput = z.input<typeof createOrgBody>;
export type CreateVolunteerInput = z.input<typeof createVolunteerBody>;
export type UpdateVolunteerInput = z.input<typeof updateVolunteerBody>;
export type CreateInvitationInput = z.input<typeof createInvitationBody>;
export type JoinInput = z.input<typeof joinBody>;
export type CreateCalloutInput = z.input<typeof createCalloutBody>;
export type CalloutFromShiftInput = z.input<typeof calloutFromShiftBody>;
export type PublicRequestInput = z.input<typeof publicRequestBody>;
export type CareRulesInput = z.input<typeof careRulesBody>;
export type AssignVisitorInput = z.input<typeof assignVisitorBody>;
export type VisitInput = z.input<typeof visitBody>;
/** Where the phone is, when it says: a check-in or a visit goes without it (null) otherwise. */
export interface Position {
  lat: number | null;
  lng: number | null;
}

export interface VolunteerFilters {
  node?: number;
  org?: number;
  status?: VolunteerState;
  skill?: Skill;
  q?: string;
  page: number;
  pageSize: number;
}
export interface CalloutFilters {
  node?: number;
  status?: CalloutState;
  near?: boolean;
  mine?: boolean;
}
export interface RequestFilters {
  node?: number;
  status?: RequestState;
  mine?: boolean;
  escalated?: boolean;
  page: number;
  pageSize: number;
}
export interface RosterFilters {
  node?: number;
  overdue?: boolean;
  mine?: boolean;
  page: number;
  pageSize: number;
}
export interface RankingFilters {
  node?: number;
  /** YYYY or YYYY-MM. */
  period: string;
  by: 'volunteer' | 'org';
  org?: number;
}

const flag = (b: boolean | undefined) => (b ? '1' : undefined);

export const servicesKeys = {
  all: ['services'] as const,
  orgs: (node: number | undefined) => ['services', 'orgs', node ?? 'all'] as const,
  volunteers: (f: VolunteerFilters) => ['services', 'volunteers', f] as const,
  me: ['services', 'me'] as const,
  volunteer: (id: number) => ['services', 'volunteer', id] as const,
  invitation: (token: string) => ['services', 'invitation', token] as const,
  callouts: (f: CalloutFilters) => ['services', 'callouts', f] as const,
  callout: (id: number) => ['services', 'callout', id] as const,
  requests: (f: RequestFilters) => ['services', 'requests', f] as const,
  request: (id: number) => ['services', 'request', id] as const,
  suggestions: (id: number) => ['services', 'suggestions', id] as const,
  careRules: ['services', 'care-rules'] as const,
  roster: (f: RosterFilters) => ['services', 'roster', f] as const,
  overdue: (node: number | undefined) => ['services', 'overdue', node ?? 'all'] as const,
  rankings: (f: RankingFilters) => ['services', 'rankings', f] as const,
};

// ---- reads

export function useVolunteerOrgs(node?: number, enabled = true) {
  return useQuery({
    queryKey: servicesKeys.orgs(node),
    queryFn: ({ signal }) => api.get<ListOf<VolunteerOrgView>>('/api/services/orgs', { node }, signal),
    enabled,
  });
}
export function useVolunteers(f: VolunteerFilters, enabled = true) {
  return useQuery({
    queryKey: servicesKeys.volunteers(f),
    queryFn: ({ signal }) => api.get<Paged<VolunteerView>>('/api/services/volunteers', { ...f }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}
/** The caller's own volunteer record (404 for someone who is not one). */
export function useMyVolunteer() {
  return useQuery({
    queryKey: servicesKeys.me,
    queryFn: ({ signal }) => api.get<VolunteerView>('/api/services/volunteers/me', undefined, signal),
    retry: false,
  });
}
export function useCallouts(f: CalloutFilters, enabled = true) {
  return useQuery({
    queryKey: servicesKeys.callouts(f),
    queryFn: ({ signal }) =>
      api.get<ListOf<CalloutView>>(
        '/api/callouts',
        { node: f.node, status: f.status, near: flag(f.near), mine: flag(f.mine) },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
    retry: false,
  });
}
export function useCallout(id: number) {
  return useQuery({
    queryKey: servicesKeys.callout(id),
    queryFn: ({ signal }) => api.get<CalloutView>(`/api/callouts/${id}`, undefined, signal),
  });
}
export function useServiceRequests(f: RequestFilters, enabled = true) {
  return useQuery({
    queryKey: servicesKeys.requests(f),
    queryFn: ({ signal }) =>
      api.get<Paged<ServiceRequestView>>(
        '/api/service-requests',
        {
          node: f.node,
          status: f.status,
          mine: flag(f.mine),
          escalated: flag(f.escalated),
          page: f.page,
          pageSize: f.pageSize,
        },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
    retry: false,
  });
}
export function useServiceRequest(id: number) {
  return useQuery({
    queryKey: servicesKeys.request(id),
    queryFn: ({ signal }) => api.get<ServiceRequestView>(`/api/service-requests/${id}`, undefined, signal),
  });
}
export function useRequestSuggestions(id: number, enabled: boolean) {
  return useQuery({
    queryKey: servicesKeys.suggestions(id),
    queryFn: ({ signal }) =>
      api.get<ListOf<SuggestionView>>(`/api/service-requests/${id}/suggestions`, undefined, signal),
    enabled,
  });
}
export function useCareRules() {
  return useQuery({
    queryKey: servicesKeys.careRules,
    queryFn: ({ signal }) => api.get<ListOf<CareRule>>('/api/care/rules', undefined, signal),
  });
}
export function useCareRoster(f: RosterFilters, enabled = true) {
  return useQuery({
    queryKey: servicesKeys.roster(f),
    queryFn: ({ signal }) =>
      api.get<Paged<RosterEntryView>>(
        '/api/care/roster',
        { node: f.node, overdue: flag(f.overdue), mine: flag(f.mine), page: f.page, pageSize: f.pageSize },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
    retry: false,
  });
}
export function useCareOverdue(node?: number) {
  return useQuery({
    queryKey: servicesKeys.overdue(node),
    queryFn: ({ signal }) => api.get<ListOf<GridOverdue>>('/api/care/overdue', { node }, signal),
    placeholderData: keepPreviousData,
  });
}
export function useHourRankings(f: RankingFilters) {
  return useQuery({
    queryKey: servicesKeys.rankings(f),
    queryFn: ({ signal }) => api.get<ListOf<RankingRow>>('/api/services/hours/rankings', { ...f }, signal),
    placeholderData: keepPreviousData,
  });
}
/** What an invitation is for (public). */
export function useInvitation(token: string) {
  return useQuery({
    queryKey: servicesKeys.invitation(token),
    queryFn: ({ signal }) =>
      api.get<InvitationInfo>(`/api/public/join/${encodeURIComponent(token)}`, undefined, signal),
    retry: false,
  });
}

/**
 * After a change: a record answered is put in the cache as is, and the module's other reads are
 * refetched (lists, my record, the hours), since a sign-up, a check-out or a match shows in several.
 */
export function useServicesRefresh() {
  const qc = useQueryClient();
  return useCallback(
    (v?: { callout?: CalloutView; request?: ServiceRequestView }) => {
      if (v?.callout) qc.setQueryData(servicesKeys.callout(v.callout.id), v.callout);
      if (v?.request) qc.setQueryData(servicesKeys.request(v.request.id), v.request);
      void qc.invalidateQueries({
        queryKey: servicesKeys.all,
        predicate: (q) =>
          !(v?.callout && q.queryKey[1] === 'callout' && q.queryKey[2] === v.callout.id) &&
          !(v?.request && q.queryKey[1] === 'request' && q.queryKey[2] === v.request.id),
      });
    },
    [qc],
  );
}

// ---- addresses the browser opens itself (files)

export const certificateUrl = (volunteerId: number) => `/api/services/volunteers/${volunteerId}/certificate`;
export const requestPhotoUrl = (id: number) => `/api/service-requests/${id}/photo`;
export const rankingsXlsxUrl = (f: RankingFilters) =>
  withQuery('/api/services/hours/rankings.xlsx', { ...f });
/** An invitation's whole address, to copy and hand on. */
export const joinPageUrl = (path: string) => `${window.location.origin}${path}`;

// ---- calls

export const createOrg = (body: CreateOrgInput) => api.post<VolunteerOrgView>('/api/services/orgs', body);
export const createVolunteer = (body: CreateVolunteerInput) =>
  api.post<VolunteerView>('/api/services/volunteers', body);
/** Changes what is given of a volunteer's record (their organisation, state, profile); answers it. */
export const updateVolunteer = (id: number, body: UpdateVolunteerInput) =>
  api.patch<VolunteerView>(`/api/services/volunteers/${id}`, body);
export function importVolunteers(file: File, nodeId: number, orgId: number | null) {
  const form = new FormData();
  form.append('nodeId', String(nodeId));
  if (orgId !== null) form.append('orgId', String(orgId));
  form.append('file', file, file.name);
  return api.post<ImportResult>('/api/services/volunteers/import', form);
}
export const createInvitation = (body: CreateInvitationInput) =>
  api.post<InvitationView>('/api/services/invitations', body);
/** The rankings as a workbook, in the UI's language (the client sends it). */
export const exportRankings = (f: RankingFilters) => requestBlob('GET', rankingsXlsxUrl(f));

const calloutPath = (id: number) => `/api/callouts/${id}`;
export const createCallout = (body: CreateCalloutInput) => api.post<CalloutView>('/api/callouts', body);
export const calloutFromShift = (body: CalloutFromShiftInput) =>
  api.post<CalloutView>('/api/callouts/from-shift', body);
export const signUpForCallout = (id: number) => api.post<SignupView>(`${calloutPath(id)}/signups`, {});
export const withdrawFromCallout = (id: number) => api.post<CalloutView>(`${calloutPath(id)}/withdraw`, {});
export const checkInCallout = (id: number, at: Position) =>
  api.post<SignupView>(`${calloutPath(id)}/check-in`, at);
export const checkOutCallout = (id: number, at: Position) =>
  api.post<SignupView>(`${calloutPath(id)}/check-out`, at);
export const closeCallout = (id: number) => api.post<CalloutView>(`${calloutPath(id)}/close`, {});
export const cancelCallout = (id: number, reason: string) =>
  api.post<CalloutView>(`${calloutPath(id)}/cancel`, { reason });

const requestPath = (id: number) => `/api/service-requests/${id}`;
export const assignRequest = (id: number, volunteerId: number) =>
  api.post<ServiceRequestView>(`${requestPath(id)}/assign`, { volunteerId });
export const acceptRequest = (id: number) => api.post<ServiceRequestView>(`${requestPath(id)}/accept`, {});
export const declineRequest = (id: number) => api.post<OkResponse>(`${requestPath(id)}/decline`, {});
/** Done: a note, the minutes spent and the photo taken (multipart). */
export function completeRequest(id: number, b: { note: string; minutes: number; photo: File }) {
  const form = new FormData();
  form.append('note', b.note);
  form.append('minutes', String(b.minutes));
  form.append('file', b.photo, b.photo.name);
  return api.post<ServiceRequestView>(`${requestPath(id)}/complete`, form);
}
export const rateRequest = (id: number, score: number) =>
  api.post<ServiceRequestView>(`${requestPath(id)}/satisfaction`, { score });
export const cancelRequest = (id: number, reason: string) =>
  api.post<ServiceRequestView>(`${requestPath(id)}/cancel`, { reason });

export const setCareRules = (body: CareRulesInput) => api.put<ListOf<CareRule>>('/api/care/rules', body);
export const assignVisitor = (rosterId: number, body: AssignVisitorInput) =>
  api.post<RosterEntryView>(`/api/care/roster/${rosterId}/visitor`, body);
export const recordVisit = (rosterId: number, body: VisitInput) =>
  api.post<VisitView>(`/api/care/roster/${rosterId}/visits`, body);

// ---- public calls (no sign-in)

export const joinByInvitation = (token: string, body: JoinInput) =>
  api.post<JoinResult>(`/api/public/join/${encodeURIComponent(token)}`, body);
export const askForHelp = (body: PublicRequestInput) =>
  api.post<PublicRequestResult>('/api/public/service-requests', body);
