// People, households and tags: types from the shared contract (type-only), query keys, reads and the
// calls that change them.
import { keepPreviousData, useQuery, type UseQueryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, requestBlob } from './client.js';
import type { Paged } from './types.js';
import type {
  createPersonBody,
  createTagBody,
  revealBody,
  updateTagBody,
  ImportReport,
  importList,
  exportBody,
  householdDetail,
  householdSummary,
  mergeBody,
  personHistoryEntry,
  revealResponse,
  updatePersonBody,
  PersonDetail,
  PersonSummary,
  ResidenceType,
  Tag,
} from '../../common/contracts/people.js';

export type {
  PersonSummary,
  PersonDetail,
  ImportReport,
  Tag,
  ResidenceType,
  SensitiveField,
} from '../../common/contracts/people.js';

export type HouseholdSummary = z.infer<typeof householdSummary>;
type ImportList = z.infer<typeof importList>;
export type HouseholdDetail = z.infer<typeof householdDetail>;
export type HouseholdMember = HouseholdDetail['members'][number];
export type PersonHistoryEntry = z.infer<typeof personHistoryEntry>;
export type RevealResponse = z.infer<typeof revealResponse>;
/** What the forms send (before the server's transforms). */
export type CreatePersonInput = z.input<typeof createPersonBody>;
export type UpdatePersonInput = z.input<typeof updatePersonBody>;
export type MergeInput = z.input<typeof mergeBody>;
export type ExportInput = z.input<typeof exportBody>;
export type RevealInput = z.input<typeof revealBody>;
export type CreateTagInput = z.input<typeof createTagBody>;
export type UpdateTagInput = z.input<typeof updateTagBody>;
export type NoIdReason = NonNullable<PersonDetail['noIdReason']>;
export type Gender = NonNullable<PersonSummary['gender']>;

export interface PeopleFilters {
  node?: number;
  q?: string;
  tag?: string[];
  type?: ResidenceType;
}

export const peopleKeys = {
  all: ['people'] as const,
  list: (f: PeopleFilters & { page: number; pageSize: number }) => ['people', 'list', f] as const,
  detail: (id: number) => ['people', 'detail', id] as const,
  importProgress: (ref: string) => ['people', 'import', ref] as const,
};
export const householdKeys = {
  all: ['households'] as const,
  list: (f: { node?: number; q?: string; page: number; pageSize: number }) =>
    ['households', 'list', f] as const,
  detail: (id: number) => ['households', 'detail', id] as const,
};
export const tagKeys = { all: ['tags'] as const };

export function fetchPeople(
  f: PeopleFilters & { page: number; pageSize: number },
  signal?: AbortSignal,
): Promise<Paged<PersonSummary>> {
  return api.get<Paged<PersonSummary>>(
    '/api/people',
    { node: f.node, q: f.q, tag: f.tag, type: f.type, page: f.page, pageSize: f.pageSize },
    signal,
  );
}

export function usePeople(f: PeopleFilters & { page: number; pageSize: number }, enabled = true) {
  return useQuery({
    queryKey: peopleKeys.list(f),
    queryFn: ({ signal }) => fetchPeople(f, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function usePerson(id: number | undefined) {
  return useQuery({
    queryKey: peopleKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api.get<PersonDetail>(`/api/people/${id}`, undefined, signal),
    enabled: id !== undefined,
  });
}

export const createPerson = (body: CreatePersonInput) => api.post<PersonDetail>('/api/people', body);
export const updatePerson = (id: number, body: UpdatePersonInput) =>
  api.patch<PersonDetail>(`/api/people/${id}`, body);
/** Merges `body.otherId` into person `id`; the answer is the surviving record. */
export const mergePeople = (id: number, body: MergeInput) =>
  api.post<PersonDetail>(`/api/people/${id}/merge`, body);
/** Shows one masked field in full; the server logs who asked and why. */
export const revealPersonField = (id: number, body: RevealInput) =>
  api.post<RevealResponse>(`/api/people/${id}/reveal`, body);
export const exportPeople = (body: ExportInput) => requestBlob('POST', '/api/people/export', { body });

/**
 * Uploads a spreadsheet of residents. The fields go first: the server reads them before it streams
 * the file. `ref` names the run, so that its progress can be followed even if this answer is lost.
 */
export function importPeople(file: File, mode: 'all-or-nothing' | 'valid-rows', ref: string) {
  const form = new FormData();
  form.append('mode', mode);
  form.append('ref', ref);
  form.append('file', file, file.name);
  return api.post<ImportReport>('/api/people/import', form);
}

/**
 * Progress of the import run `ref`: null until the server has registered it. The list of one's runs
 * under a ref answers an empty list then, so that polling from the start of the upload meets no 404.
 */
export function useImportProgress(
  ref: string | undefined,
  opts: Pick<UseQueryOptions<ImportReport | null>, 'enabled' | 'refetchInterval'>,
) {
  return useQuery({
    queryKey: peopleKeys.importProgress(ref ?? ''),
    queryFn: async ({ signal }) =>
      (await api.get<ImportList>('/api/people/imports', { ref }, signal)).items[0] ?? null,
    ...opts,
    retry: false,
    gcTime: 0,
  });
}

/** The bad rows of an import as a workbook with a reason column, in the UI's language. */
export const importErrorsWorkbook = (errorWorkbook: string) => requestBlob('GET', errorWorkbook);

export function useTags(enabled = true) {
  return useQuery({
    queryKey: tagKeys.all,
    queryFn: ({ signal }) => api.get<Tag[]>('/api/tags', undefined, signal),
    staleTime: 60_000,
    enabled,
  });
}

/** Tags answer the whole list after a change. */
export const createTag = (body: CreateTagInput) => api.post<Tag[]>('/api/tags', body);
export const updateTag = (code: string, body: UpdateTagInput) =>
  api.patch<Tag[]>(`/api/tags/${encodeURIComponent(code)}`, body);

export function fetchHouseholds(
  f: { node?: number; q?: string; page: number; pageSize: number },
  signal?: AbortSignal,
): Promise<Paged<HouseholdSummary>> {
  return api.get<Paged<HouseholdSummary>>(
    '/api/households',
    { node: f.node, q: f.q, page: f.page, pageSize: f.pageSize },
    signal,
  );
}

export function useHouseholds(f: { node?: number; q?: string; page: number; pageSize: number }) {
  return useQuery({
    queryKey: householdKeys.list(f),
    queryFn: ({ signal }) => fetchHouseholds(f, signal),
    placeholderData: keepPreviousData,
  });
}

/** The first households a picker offers at `node` (none without a node). */
export function useHouseholdPick(node: number | undefined, q: string) {
  return useQuery({
    queryKey: householdKeys.list({ node, q, page: 1, pageSize: 20 }),
    queryFn: ({ signal }) => fetchHouseholds({ node, q: q || undefined, page: 1, pageSize: 20 }, signal),
    enabled: node !== undefined,
  });
}

export function useHousehold(id: number | undefined) {
  return useQuery({
    queryKey: householdKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api.get<HouseholdDetail>(`/api/households/${id}`, undefined, signal),
    enabled: id !== undefined,
  });
}

/** A random v4 uuid; crypto.randomUUID only exists in secure contexts (not plain http on a LAN address). */
export function newRef(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
