// The jurisdiction tree: reads shared by the switcher, the node pickers and the tree page, and the
// tree page's changes (edit, add a child, move, retire, import).
import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from './client.js';
import type { createNodeBody, moveNodeBody, updateNodeBody } from '../../common/contracts/nodes.js';
import type {
  ClientConfig,
  GeoFeatureCollection,
  ListOf,
  NodeDetail,
  NodeHit,
  NodeImportReport,
  NodeSummary,
  PublicAreas,
  PublicPlace,
} from './types.js';

export type CreateNodeInput = z.input<typeof createNodeBody>;
export type UpdateNodeInput = z.input<typeof updateNodeBody>;
export type MoveNodeInput = z.input<typeof moveNodeBody>;
type NodeList = ListOf<NodeSummary>;
const asList = (r: NodeList): NodeSummary[] => r.items;

export const nodeKeys = {
  all: ['nodes'] as const,
  roots: () => ['nodes', 'roots'] as const,
  children: (id: number) => ['nodes', 'children', id] as const,
  detail: (id: number) => ['nodes', 'detail', id] as const,
  polygons: (id: number, level: string | undefined) =>
    ['nodes', 'polygons', id, level ?? 'children'] as const,
  search: (q: string) => ['nodes', 'search', q] as const,
  publicSearch: (q: string) => ['nodes', 'public-search', q] as const,
  publicAreas: (within: number | undefined) => ['nodes', 'public-areas', within ?? 0] as const,
};
export const configKeys = { all: ['config'] as const };

export const fetchRoots = async (signal?: AbortSignal) =>
  asList(await api.get<NodeList>('/api/nodes', undefined, signal));
export const fetchChildren = async (id: number, signal?: AbortSignal) =>
  asList(await api.get<NodeList>('/api/nodes', { parent: id }, signal));
/** Places in the caller's scope found by name, full pinyin, initials or code, with the names above each. */
export const searchNodes = async (q: string, signal?: AbortSignal) =>
  (await api.get<ListOf<NodeHit>>('/api/nodes', { q, pageSize: 20 }, signal)).items;

export function useRootNodes(enabled = true) {
  return useQuery({
    queryKey: nodeKeys.roots(),
    queryFn: ({ signal }) => fetchRoots(signal),
    enabled,
    staleTime: 60_000,
  });
}

export function loadChildren(qc: QueryClient, id: number) {
  return qc.fetchQuery({
    queryKey: nodeKeys.children(id),
    queryFn: ({ signal }) => fetchChildren(id, signal),
    staleTime: 60_000,
  });
}

/** One node in full (from the cache when there), e.g. the one chosen among search hits. */
export function loadNode(qc: QueryClient, id: number) {
  return qc.fetchQuery({
    queryKey: nodeKeys.detail(id),
    queryFn: ({ signal }) => api.get<NodeDetail>(`/api/nodes/${id}`, undefined, signal),
    staleTime: 60_000,
  });
}

/** A node's children, fetched while `enabled` (e.g. while a dialog that offers them is open). */
export function useNodeChildren(id: number, enabled: boolean) {
  return useQuery({
    queryKey: nodeKeys.children(id),
    queryFn: ({ signal }) => fetchChildren(id, signal),
    enabled,
  });
}

/** Places whose name, pinyin, initials or code match `q`; nothing is asked for an empty `q`. */
export function useNodeSearch(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: nodeKeys.search(text),
    queryFn: ({ signal }) => searchNodes(text, signal),
    enabled: text.length > 0,
    staleTime: 30_000,
    placeholderData: (previous) => previous,
  });
}

/** The resident's search: towns, villages and communities, and grids, by name, pinyin or initials. */
export function usePublicPlaces(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: nodeKeys.publicSearch(text),
    queryFn: async ({ signal }) =>
      (await api.get<ListOf<PublicPlace>>('/api/public/places', { q: text }, signal)).items,
    enabled: text.length > 0,
    staleTime: 5 * 60_000,
    placeholderData: (previous) => previous,
  });
}

/** The areas the resident's map draws: the towns, or the places one level below `within`. */
export function usePublicAreas(within: number | undefined) {
  return useQuery({
    queryKey: nodeKeys.publicAreas(within),
    queryFn: ({ signal }) => api.get<PublicAreas>('/api/public/places/areas', { within }, signal),
    staleTime: 10 * 60_000,
  });
}

export function useNodeDetail(id: number | undefined) {
  return useQuery({
    queryKey: nodeKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api.get<NodeDetail>(`/api/nodes/${id}`, undefined, signal),
    enabled: id !== undefined,
  });
}

export function useNodePolygons(id: number | undefined, level: 'grid' | undefined) {
  return useQuery({
    queryKey: nodeKeys.polygons(id ?? 0, level),
    queryFn: ({ signal }) => api.get<GeoFeatureCollection>(`/api/nodes/${id}/polygons`, { level }, signal),
    enabled: id !== undefined,
  });
}

export function useAppConfig() {
  return useQuery({
    queryKey: configKeys.all,
    queryFn: ({ signal }) => api.get<ClientConfig>('/api/config', undefined, signal),
    staleTime: Infinity,
  });
}

export const createNode = (body: CreateNodeInput) => api.post<NodeDetail>('/api/nodes', body);
export const updateNode = (id: number, body: UpdateNodeInput) =>
  api.patch<NodeDetail>(`/api/nodes/${id}`, body);
export const moveNode = (id: number, body: MoveNodeInput) =>
  api.post<NodeDetail>(`/api/nodes/${id}/move`, body);
export const retireNode = (id: number) => api.post<NodeDetail>(`/api/nodes/${id}/retire`);

/** Uploads a node spreadsheet; `mode` says whether one bad row stops the whole import. */
export function importNodes(file: File, mode: 'all-or-nothing' | 'valid-rows'): Promise<NodeImportReport> {
  const form = new FormData();
  form.append('mode', mode);
  form.append('file', file, file.name);
  return api.post<NodeImportReport>('/api/nodes/import', form);
}
