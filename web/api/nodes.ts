// Reads of the jurisdiction tree shared by the switcher, the node pickers and the tree page.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api } from './client.js';
import type { AppConfigInfo, GeoFeatureCollection, NodeDetail, NodeSummary } from './types.js';

type ListResponse = NodeSummary[] | { items: NodeSummary[] };
const asList = (r: ListResponse): NodeSummary[] => (Array.isArray(r) ? r : r.items);

export const nodeKeys = {
  all: ['nodes'] as const,
  roots: () => ['nodes', 'roots'] as const,
  children: (id: number) => ['nodes', 'children', id] as const,
  detail: (id: number) => ['nodes', 'detail', id] as const,
  polygons: (id: number, level: string | undefined) =>
    ['nodes', 'polygons', id, level ?? 'children'] as const,
  search: (q: string) => ['nodes', 'search', q] as const,
};

export const fetchRoots = async (signal?: AbortSignal) =>
  asList(await api.get<ListResponse>('/api/nodes', undefined, signal));
export const fetchChildren = async (id: number, signal?: AbortSignal) =>
  asList(await api.get<ListResponse>('/api/nodes', { parent: id }, signal));
export const searchNodes = async (q: string, signal?: AbortSignal) =>
  asList(await api.get<ListResponse>('/api/nodes/search', { q, limit: 20 }, signal));

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
    queryKey: ['config'],
    queryFn: ({ signal }) => api.get<AppConfigInfo>('/api/config', undefined, signal),
    staleTime: Infinity,
  });
}
