// Psychological care (心理关爱): the scales, one-time links and the person's own page, urgent alerts,
// counsellors' caseloads and contacts, the answers (audited) and the figures. Types from the shared
// contract (type-only, no zod in the bundle), query keys, reads and the calls. Keys start with the area
// ('care') so that one invalidation, or a live update of the module (web/app/live.ts imports careKeys),
// refreshes every page; a filled scale's answers never change and are read under their own root
// ('care-response': each read is audited, so a live update does not read them again), and the person's
// page under another ('care-public': it has no live updates).
import { useCallback } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, readCookie } from './client.js';
import type { ListOf, Paged } from './types.js';
import type {
  AlertView,
  CarePerson,
  CareStats,
  CaseSummary,
  CaseView,
  ContactBody,
  CreateScaleBody,
  LinkCreated,
  LinkView,
  PublicScale,
  ResponseView,
  ScaleView,
  closeCaseBody,
  createLinkBody,
  draftSaved,
  referBody,
  submitResult,
  updateCaseBody,
} from '../../common/contracts/care.js';
import type { CareCaseStatus } from '../../common/contracts/care-codes.js';

export type {
  AlertView,
  CarePerson,
  CareStats,
  CaseSummary,
  CaseView,
  ContactBody,
  CreateScaleBody,
  LinkCreated,
  LinkView,
  PublicScale,
  ResponseView,
  ScaleView,
} from '../../common/contracts/care.js';
export type {
  AlertStatus,
  CareCaseStatus,
  CareRiskLevel,
  ContactKind,
  CrisisKind,
  LinkState,
  ReferralKind,
} from '../../common/contracts/care-codes.js';
export {
  ALERT_ACK_MINUTES,
  CASE_STATUSES,
  CONTACT_KINDS,
  LINK_STATES,
  REFERRAL_KINDS,
  RISK_LEVELS,
  SCALE_LINK_DEFAULT_HOURS,
  SCALE_LINK_MAX_HOURS,
} from '../../common/contracts/care-codes.js';

export type CreateLinkInput = z.input<typeof createLinkBody>;
export type UpdateCaseInput = z.input<typeof updateCaseBody>;
export type ReferInput = z.input<typeof referBody>;
export type CloseCaseInput = z.input<typeof closeCaseBody>;
export type DraftSaved = z.infer<typeof draftSaved>;
export type SubmitResult = z.infer<typeof submitResult>;
/** One filled scale of a case (its list on the case page). */
export type CaseResponse = CaseView['responses'][number];
export type ContactView = CaseView['contacts'][number];
/** An item with its answer, in a filled scale or as an alert's trigger. */
export type AnsweredItem = ResponseView['items'][number];
/** Answers in the items' order: an option's value, or null where not (yet) answered. */
export type ScaleAnswers = (number | null)[];

export interface CareCaseFilters {
  status?: CareCaseStatus;
  /** Only those with a contact due on or before today. */
  due?: boolean;
  node?: number;
  page: number;
  pageSize: number;
}

export const careKeys = {
  all: ['care'] as const,
  scales: ['care', 'scales'] as const,
  alerts: ['care', 'alerts'] as const,
  cases: (f: CareCaseFilters) => ['care', 'cases', f] as const,
  case: (id: number) => ['care', 'case', id] as const,
  people: (q: string) => ['care', 'people', q] as const,
  links: (personId: number | undefined) => ['care', 'links', personId ?? 'mine'] as const,
  stats: (node: number | undefined) => ['care', 'stats', node ?? 0] as const,
  /** A filled scale's answers: never invalidated by live updates (they do not change; reads are audited). */
  response: (id: number) => ['care-response', id] as const,
  /** The person's own page (no sign-in, no live updates). */
  publicScale: (token: string) => ['care-public', token] as const,
};

// ---- reads

/** The scales (PHQ-9, GAD-7 and those added): to pick one to send. */
export function useScales(enabled = true) {
  return useQuery({
    queryKey: careKeys.scales,
    queryFn: ({ signal }) => api.get<ListOf<ScaleView>>('/api/scales', undefined, signal),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** Urgent alerts of the caller's area, open first (the answers for counsellors only). */
export function useCareAlerts(enabled = true) {
  return useQuery({
    queryKey: careKeys.alerts,
    queryFn: ({ signal }) => api.get<ListOf<AlertView>>('/api/care/alerts', undefined, signal),
    enabled,
    // Live updates refresh it; the poll is the fallback when the stream is down (an alert is urgent).
    refetchInterval: 30_000,
    retry: false,
  });
}

export function useCareCases(f: CareCaseFilters, enabled = true) {
  return useQuery({
    queryKey: careKeys.cases(f),
    queryFn: ({ signal }) =>
      api.get<Paged<CaseSummary>>(
        '/api/care/cases',
        { status: f.status, due: f.due ? '1' : undefined, node: f.node, page: f.page, pageSize: f.pageSize },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCareCase(id: number | undefined) {
  return useQuery({
    queryKey: careKeys.case(id ?? 0),
    queryFn: ({ signal }) => api.get<CaseView>(`/api/care/cases/${id}`, undefined, signal),
    enabled: id !== undefined,
  });
}

/** A filled scale with every answer (audited by the server): fetched when opened, kept while open. */
export function useCareResponse(id: number | undefined) {
  return useQuery({
    queryKey: careKeys.response(id ?? 0),
    queryFn: ({ signal }) => api.get<ResponseView>(`/api/care/responses/${id}`, undefined, signal),
    enabled: id !== undefined,
    staleTime: Infinity,
  });
}

/** Whom the counsellor may reach, found by name (in observation, their caseload, those sent a scale). */
export function useCarePeople(q: string, enabled = true) {
  return useQuery({
    queryKey: careKeys.people(q),
    queryFn: ({ signal }) =>
      api.get<ListOf<CarePerson>>('/api/care/people', { q: q.trim() || undefined }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Links sent (to one person, or all the caller's), with their state only. */
export function useScaleLinks(personId?: number, enabled = true) {
  return useQuery({
    queryKey: careKeys.links(personId),
    queryFn: ({ signal }) => api.get<ListOf<LinkView>>('/api/scale-links', { personId }, signal),
    enabled,
    retry: false,
  });
}

export function useCareStats(node?: number, enabled = true) {
  return useQuery({
    queryKey: careKeys.stats(node),
    queryFn: ({ signal }) => api.get<CareStats>('/api/care/stats', { node }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The questions of a one-time link and the answers kept so far (public; used or expired: 410). */
export function usePublicScale(token: string) {
  return useQuery({
    queryKey: careKeys.publicScale(token),
    queryFn: ({ signal }) =>
      api.get<PublicScale>(`/api/public/scales/${encodeURIComponent(token)}`, undefined, signal),
    retry: false,
    // What is on screen is the person's own answers: never replaced by a refetch.
    staleTime: Infinity,
  });
}

/**
 * After a step on a case: the case answered goes into the cache as is, and the module's other reads
 * (alerts, lists, people) are refetched.
 */
export function useCareCaseUpdate(id: number) {
  const qc = useQueryClient();
  return useCallback(
    (v?: CaseView) => {
      if (v) qc.setQueryData(careKeys.case(id), v);
      void qc.invalidateQueries({
        queryKey: careKeys.all,
        predicate: (q) => !v || q.queryKey[1] !== 'case' || q.queryKey[2] !== id,
      });
    },
    [qc, id],
  );
}

/** Refetches every read of the module (after an alert acknowledged, a link sent, a case opened). */
export function useCareRefresh() {
  const qc = useQueryClient();
  return useCallback(() => void qc.invalidateQueries({ queryKey: careKeys.all }), [qc]);
}

// ---- addresses the browser opens itself

/** A filled scale as a FHIR R4 Bundle (QuestionnaireResponse and the total as an Observation; audited). */
export const responseFhirUrl = (id: number) => `/api/care/responses/${id}/fhir`;
/** A scale as a FHIR R4 Questionnaire. */
export const scaleFhirUrl = (code: string) => `/api/scales/${encodeURIComponent(code)}/fhir`;
/** The person's page as a whole address to hand them (the server answers `/s/<token>`). */
export const scalePageUrl = (url: string) => `${window.location.origin}${url}`;

// ---- calls

export const createScale = (body: CreateScaleBody) => api.post<ScaleView>('/api/scales', body);
export const sendScaleLink = (code: string, body: CreateLinkInput) =>
  api.post<LinkCreated>(`/api/scales/${encodeURIComponent(code)}/links`, body);
export const acknowledgeAlert = (id: number) => api.post<AlertView>(`/api/care/alerts/${id}/acknowledge`, {});
export const openCareCase = (personId: number) => api.post<CaseView>('/api/care/cases', { personId });
export const updateCareCase = (id: number, body: UpdateCaseInput) =>
  api.patch<CaseView>(`/api/care/cases/${id}`, body);
export const addCareContact = (id: number, body: ContactBody) =>
  api.post<CaseView>(`/api/care/cases/${id}/contacts`, body);
export const referCareCase = (id: number, body: ReferInput) =>
  api.post<CaseView>(`/api/care/cases/${id}/refer`, body);
export const closeCareCase = (id: number, body: CloseCaseInput) =>
  api.post<CaseView>(`/api/care/cases/${id}/close`, body);

// ---- the person's page (no sign-in)

const publicPath = (token: string) => `/api/public/scales/${encodeURIComponent(token)}`;

export const saveScaleDraft = (token: string, answers: ScaleAnswers) =>
  api.put<DraftSaved>(`${publicPath(token)}/draft`, { answers });
export const submitScale = (token: string, answers: ScaleAnswers) =>
  api.post<SubmitResult>(publicPath(token), { answers });

/**
 * Keeps the answers as the page goes away (closed, switched from, reloaded): a request the browser
 * finishes after the page is gone (`keepalive`). Nothing is waited for or reported.
 */
export function keepScaleDraft(token: string, answers: ScaleAnswers): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  // Someone signed in on this browser (a counsellor trying the link) sends their session's CSRF token.
  const csrf = readCookie('csrf');
  if (csrf) headers['x-csrf-token'] = csrf;
  try {
    void fetch(`${publicPath(token)}/draft`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ answers }),
      credentials: 'same-origin',
      keepalive: true,
    }).catch(() => undefined);
  } catch {
    // the page is going: nothing to do
  }
}
