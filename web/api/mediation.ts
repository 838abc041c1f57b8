// Joint mediation and micro courts (矛盾联调): cases from intake to a signed agreement, sessions and
// messages, judicial confirmation, cloud hearings at micro-court points, follow-up visits, statistics,
// and the public pages (a resident's application, a party's own link, the one-time signing link, the
// check of a PDF). Types from the shared contract (type-only), query keys, reads and the calls. Keys
// start with the area ('mediation') so one invalidation refreshes every page of the module.
import { useCallback } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, requestBlob, withQuery } from './client.js';
import type { ListOf, OkResponse, Paged } from './types.js';
import type {
  AgendaItem,
  RevealedParty,
  AgreementView,
  CaseState,
  CaseSummary,
  CaseView,
  ConfirmationState,
  ConfirmationView,
  CreateCaseInput,
  DraftAgreementInput,
  EvidenceView,
  FollowUpView,
  HearingView,
  MessageView,
  OrgKind,
  OrgView,
  PublicMediatorView,
  SessionView,
  StatsView,
  acceptBody,
  applicationBody,
  applicationResult,
  applyConfirmationBody,
  assignBody,
  attendanceBody,
  bookHearingBody,
  consentBody,
  decideBody,
  failBody,
  followUpBody,
  messageBody,
  minutesBody,
  partyCaseView,
  partyConsentBody,
  scheduleBody,
  signBody,
  signView,
  suggestionView,
  verifyResult,
} from '../../common/contracts/mediation.js';

export type {
  AgendaItem,
  RevealedParty,
  AgreementView,
  CaseState,
  CaseSummary,
  CaseView,
  ConfirmationState,
  ConfirmationView,
  CreateCaseInput,
  DisputeType,
  DraftAgreementInput,
  EvidenceView,
  FollowUpView,
  HearingView,
  MediatorView,
  MessageView,
  OrgKind,
  OrgView,
  PartyInput,
  PartyView,
  PublicMediatorView,
  SessionView,
  StatsFigures,
  StatsView,
} from '../../common/contracts/mediation.js';
export type SuggestionView = z.infer<typeof suggestionView>;
export type PartyCaseView = z.infer<typeof partyCaseView>;
export type SignView = z.infer<typeof signView>;
export type VerifyResult = z.infer<typeof verifyResult>;
export type ApplicationInput = z.input<typeof applicationBody>;
export type ApplicationResult = z.infer<typeof applicationResult>;
export type ConsentInput = z.input<typeof consentBody>;
export type AssignInput = z.input<typeof assignBody>;
export type FailInput = z.input<typeof failBody>;
export type ScheduleInput = z.input<typeof scheduleBody>;
export type MinutesInput = z.input<typeof minutesBody>;
export type MessageInput = z.input<typeof messageBody>;
export type ApplyConfirmationInput = z.input<typeof applyConfirmationBody>;
export type AcceptInput = z.input<typeof acceptBody>;
export type DecideInput = z.input<typeof decideBody>;
export type BookHearingInput = z.input<typeof bookHearingBody>;
export type AttendanceInput = z.input<typeof attendanceBody>;
export type FollowUpInput = z.input<typeof followUpBody>;
export type PartyConsentInput = z.input<typeof partyConsentBody>;
export type SignInput = z.input<typeof signBody>;

/** A link per party: to follow the case (`/m/<token>`) or to sign the agreement (`/sign/<token>`). */
export interface PartyLink {
  partyId: number;
  name: string;
  token: string;
}

export interface CaseFilters {
  mine?: boolean;
  node?: number;
  status?: CaseState;
  page: number;
  pageSize: number;
}
export interface StatsFilters {
  node?: number;
  from?: string;
  to?: string;
}

export const mediationKeys = {
  all: ['mediation'] as const,
  cases: (f: CaseFilters) => ['mediation', 'cases', f] as const,
  case: (id: number) => ['mediation', 'case', id] as const,
  suggestions: (id: number) => ['mediation', 'suggestions', id] as const,
  messages: (id: number) => ['mediation', 'messages', id] as const,
  agenda: ['mediation', 'agenda'] as const,
  followUps: ['mediation', 'follow-ups'] as const,
  orgs: (kind: OrgKind | undefined) => ['mediation', 'orgs', kind ?? 'all'] as const,
  confirmations: (status: ConfirmationState | undefined) =>
    ['mediation', 'confirmations', status ?? 'all'] as const,
  hearings: (day: string | undefined) => ['mediation', 'hearings', day ?? 'today'] as const,
  stats: (f: StatsFilters) => ['mediation', 'stats', f] as const,
  party: (token: string) => ['mediation', 'party', token] as const,
  sign: (token: string) => ['mediation', 'sign', token] as const,
  publicMediator: (id: number) => ['mediation', 'public-mediator', id] as const,
};

// ---- reads

export function useMediationCases(f: CaseFilters, enabled = true) {
  return useQuery({
    queryKey: mediationKeys.cases(f),
    queryFn: ({ signal }) =>
      api.get<Paged<CaseSummary>>(
        '/api/mediation/cases',
        {
          mine: f.mine ? '1' : undefined,
          node: f.node,
          status: f.status,
          page: f.page,
          pageSize: f.pageSize,
        },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}
export function useMediationCase(id: number) {
  return useQuery({
    queryKey: mediationKeys.case(id),
    queryFn: ({ signal }) => api.get<CaseView>(`/api/mediation/cases/${id}`, undefined, signal),
  });
}
export function useMediatorSuggestions(id: number, enabled: boolean) {
  return useQuery({
    queryKey: mediationKeys.suggestions(id),
    queryFn: ({ signal }) =>
      api.get<ListOf<SuggestionView>>(`/api/mediation/cases/${id}/suggestions`, undefined, signal),
    enabled,
  });
}
export function useCaseMessages(id: number, enabled: boolean) {
  return useQuery({
    queryKey: mediationKeys.messages(id),
    queryFn: ({ signal }) =>
      api.get<ListOf<MessageView>>(`/api/mediation/cases/${id}/messages`, undefined, signal),
    enabled,
  });
}
export function useAgenda(enabled = true) {
  return useQuery({
    queryKey: mediationKeys.agenda,
    queryFn: ({ signal }) => api.get<ListOf<AgendaItem>>('/api/mediation/agenda', undefined, signal),
    enabled,
    retry: false,
  });
}
export function useFollowUps(enabled = true) {
  return useQuery({
    queryKey: mediationKeys.followUps,
    queryFn: ({ signal }) => api.get<ListOf<FollowUpView>>('/api/mediation/follow-ups', undefined, signal),
    enabled,
    retry: false,
  });
}
export function useMediationOrgs(kind: OrgKind | undefined, enabled = true) {
  return useQuery({
    queryKey: mediationKeys.orgs(kind),
    queryFn: ({ signal }) => api.get<ListOf<OrgView>>('/api/mediation/orgs', { kind }, signal),
    enabled,
    staleTime: 5 * 60_000,
  });
}
export function useConfirmations(status?: ConfirmationState) {
  return useQuery({
    queryKey: mediationKeys.confirmations(status),
    queryFn: ({ signal }) =>
      api.get<ListOf<ConfirmationView>>('/api/mediation/confirmations', { status }, signal),
  });
}
/** A day's hearings (YYYY-MM-DD, Asia/Shanghai; today when not given). */
export function useHearings(day?: string) {
  return useQuery({
    queryKey: mediationKeys.hearings(day),
    queryFn: ({ signal }) => api.get<ListOf<HearingView>>('/api/hearings', { day }, signal),
    placeholderData: keepPreviousData,
  });
}
export function useMediationStats(f: StatsFilters) {
  return useQuery({
    queryKey: mediationKeys.stats(f),
    queryFn: ({ signal }) => api.get<StatsView>('/api/mediation/stats', { ...f }, signal),
    placeholderData: keepPreviousData,
  });
}
/** A party's own view through their link (public). */
export function usePartyCase(token: string) {
  return useQuery({
    queryKey: mediationKeys.party(token),
    queryFn: ({ signal }) =>
      api.get<PartyCaseView>(`/api/public/mediation/party/${encodeURIComponent(token)}`, undefined, signal),
    retry: false,
  });
}
/** A mediator's public profile (no sign-in), fetched when a party opens it. */
export function usePublicMediator(id: number, enabled: boolean) {
  return useQuery({
    queryKey: mediationKeys.publicMediator(id),
    queryFn: ({ signal }) =>
      api.get<PublicMediatorView>(`/api/public/mediation/mediators/${id}`, undefined, signal),
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
}
/** What a one-time signing link asks to sign (public). */
export function useSignPage(token: string) {
  return useQuery({
    queryKey: mediationKeys.sign(token),
    queryFn: ({ signal }) =>
      api.get<SignView>(`/api/public/mediation/sign/${encodeURIComponent(token)}`, undefined, signal),
    retry: false,
  });
}

/**
 * After a step on a case: the case answered is put in the cache as is, and the module's other reads
 * (lists, agenda, follow-ups, confirmations) are refetched. Without an answer (a create answers its
 * new record — a session, a piece of evidence, a message, the agreement, an application — not the
 * case), the case and its agreement are refetched too, so the page shows the new record in place.
 */
export function useCaseUpdate(id: number) {
  const qc = useQueryClient();
  return useCallback(
    (v?: CaseView) => {
      if (v) qc.setQueryData(mediationKeys.case(id), v);
      void qc.invalidateQueries({
        queryKey: mediationKeys.all,
        predicate: (q) => !v || q.queryKey[1] !== 'case' || q.queryKey[2] !== id,
      });
    },
    [qc, id],
  );
}

// ---- addresses the browser opens itself (files)

export const agreementPdfUrl = (agreementId: number) => `/api/mediation/agreements/${agreementId}/pdf`;
export const signPdfUrl = (token: string) => `/api/public/mediation/sign/${encodeURIComponent(token)}/pdf`;
export const evidenceUrl = (caseId: number, evidenceId: number) =>
  `/api/mediation/cases/${caseId}/evidence/${evidenceId}`;
export const statsExportUrl = (f: StatsFilters) => withQuery('/api/mediation/stats/export', { ...f });
/** The party's own page and the signing page, as links to hand to a party. */
export const partyPageUrl = (token: string) => `${window.location.origin}/m/${token}`;
export const signPageUrl = (token: string) => `${window.location.origin}/sign/${token}`;

// ---- calls

const casePath = (id: number) => `/api/mediation/cases/${id}`;

export const createCase = (body: CreateCaseInput) => api.post<CaseView>('/api/mediation/cases', body);
export const recordConsent = (id: number, body: ConsentInput) =>
  api.post<CaseView>(`${casePath(id)}/consent`, body);
export const assignMediator = (id: number, body: AssignInput) =>
  api.post<CaseView>(`${casePath(id)}/assign`, body);
export const concludeCase = (id: number, action: 'withdraw' | 'escalate' | 'refer', reason: string) =>
  api.post<CaseView>(`${casePath(id)}/${action}`, { reason });
export const failCase = (id: number, body: FailInput) => api.post<CaseView>(`${casePath(id)}/fail`, body);
export const setJoint = (id: number) => api.post<CaseView>(`${casePath(id)}/joint`, {});
export const revealParty = (id: number, partyId: number) =>
  api.post<RevealedParty>(`${casePath(id)}/parties/${partyId}/reveal`, {});
export const newPartyLinks = (id: number) => api.post<ListOf<PartyLink>>(`${casePath(id)}/party-links`, {});
export function addEvidence(id: number, file: File, partyId?: number) {
  const form = new FormData();
  if (partyId !== undefined) form.append('partyId', String(partyId));
  form.append('file', file, file.name);
  return api.post<EvidenceView>(`${casePath(id)}/evidence`, form);
}
export const scheduleSession = (id: number, body: ScheduleInput) =>
  api.post<SessionView>(`${casePath(id)}/sessions`, body);
export const minuteSession = (id: number, sessionId: number, body: MinutesInput) =>
  api.post<CaseView>(`${casePath(id)}/sessions/${sessionId}/minutes`, body);
export const postCaseMessage = (id: number, body: MessageInput) =>
  api.post<MessageView>(`${casePath(id)}/messages`, body);
export const draftAgreement = (id: number, body: DraftAgreementInput) =>
  api.post<AgreementView>(`${casePath(id)}/agreement`, body);
export const reviseAgreement = (id: number) => api.post<CaseView>(`${casePath(id)}/revise`, {});
export const newSignLinks = (agreementId: number) =>
  api.post<ListOf<PartyLink>>(`/api/mediation/agreements/${agreementId}/links`, {});
export const signAsMediator = (agreementId: number) =>
  api.post<AgreementView>(`/api/mediation/agreements/${agreementId}/sign`, {});
export const assistedSign = (agreementId: number, partyId: number) =>
  api.post<AgreementView>(`/api/mediation/agreements/${agreementId}/assisted-sign`, {
    partyId,
    idChecked: true,
  });
export const applyConfirmation = (agreementId: number, body: ApplyConfirmationInput) =>
  api.post<ConfirmationView>(`/api/mediation/agreements/${agreementId}/confirmation`, body);
export const acceptConfirmation = (id: number, body: AcceptInput) =>
  api.post<ConfirmationView>(`/api/mediation/confirmations/${id}/accept`, body);
export const decideConfirmation = (id: number, body: DecideInput) =>
  api.post<ConfirmationView>(`/api/mediation/confirmations/${id}/decide`, body);
export const bookHearing = (body: BookHearingInput) => api.post<HearingView>('/api/hearings', body);
export const recordAttendance = (id: number, body: AttendanceInput) =>
  api.post<HearingView>(`/api/hearings/${id}/attendance`, body);
export const cancelHearing = (id: number) => api.post<HearingView>(`/api/hearings/${id}/cancel`, {});
export const recordFollowUp = (id: number, body: FollowUpInput) =>
  api.post<FollowUpView>(`/api/mediation/follow-ups/${id}`, body);
/** The statistics as a workbook, in the UI's language (the client sends it). */
export const exportStats = (f: StatsFilters) => requestBlob('GET', statsExportUrl(f));

// ---- public calls (no sign-in)

export const applyForMediation = (body: ApplicationInput) =>
  api.post<ApplicationResult>('/api/public/mediation/applications', body);
export const partyConsent = (token: string, body: PartyConsentInput) =>
  api.post<PartyCaseView>(`/api/public/mediation/party/${encodeURIComponent(token)}/consent`, body);
export const partyMessage = (token: string, body: string) =>
  api.post<MessageView>(`/api/public/mediation/party/${encodeURIComponent(token)}/messages`, { body });
export const signByLink = (token: string, body: SignInput) =>
  api.post<OkResponse>(`/api/public/mediation/sign/${encodeURIComponent(token)}`, body);
export function verifyAgreement(file: File) {
  const form = new FormData();
  form.append('file', file, file.name);
  return api.post<VerifyResult>('/api/mediation/agreements/verify', form);
}
