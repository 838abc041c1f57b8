// The command system: types from the shared contract (type-only), query keys, reads and the calls.
// Keys start with the area ('commands', 'directives', 'directive-tasks', 'directive-board', 'cockpit')
// so that a live update of that area refreshes them (web/app/live).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, request } from './client.js';
import type { ListOf, Paged } from './types.js';
import type {
  remindResponse,
  BoardResponse,
  CockpitMetric,
  DirectiveFileUpload,
  CockpitResponse,
  DirectiveDetail,
  DirectiveSummary,
  DirectiveTask,
  IncidentCommand,
  issueDirectiveBody,
  openCommandBody,
  relayDirectiveBody,
  reportTargetBody,
} from '../../common/contracts/command.js';

export type {
  BoardResponse,
  CockpitMetric,
  CockpitResponse,
  DirectiveDetail,
  DirectiveFile,
  DirectiveFileUpload,
  DirectiveSummary,
  DirectiveTarget,
  DirectiveTask,
  IncidentCommand,
  StateCounts,
  TargetSpec,
} from '../../common/contracts/command.js';
export type IssueDirectiveInput = z.input<typeof issueDirectiveBody>;
export type RelayDirectiveInput = z.input<typeof relayDirectiveBody>;
export type ReportTargetInput = z.input<typeof reportTargetBody>;
export type OpenCommandInput = z.input<typeof openCommandBody>;
export type RemindResponse = z.infer<typeof remindResponse>;

export const commandKeys = {
  allCommands: ['commands'] as const,
  commands: (open?: string) => ['commands', open ?? 'all'] as const,
  allDirectives: ['directives'] as const,
  directives: (f: { box: string; command?: number; page: number }) => ['directives', 'list', f] as const,
  directive: (id: number) => ['directives', 'detail', id] as const,
  allBoards: ['directive-board'] as const,
  board: (id: number, node?: number, status?: string) =>
    ['directive-board', id, node ?? 0, status ?? 'all'] as const,
  tasks: ['directive-tasks'] as const,
  allCockpit: ['cockpit'] as const,
  cockpit: (node?: number, command?: number, metric?: string) =>
    ['cockpit', node ?? 0, command ?? 0, metric ?? ''] as const,
};

export function useCommands(open?: 'true' | 'false', enabled = true) {
  return useQuery({
    queryKey: commandKeys.commands(open),
    queryFn: ({ signal }) => api.get<ListOf<IncidentCommand>>('/api/commands', { open }, signal),
    enabled,
  });
}
export function useOpenCommand() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: OpenCommandInput) => api.post<IncidentCommand>('/api/commands', b),
    onSuccess: () => qc.invalidateQueries({ queryKey: commandKeys.allCommands }),
  });
}
export function useCloseCommand() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; summary: string }) =>
      api.post<IncidentCommand>(`/api/commands/${v.id}/close`, { summary: v.summary }),
    onSuccess: () => qc.invalidateQueries({ queryKey: commandKeys.allCommands }),
  });
}

export function useDirectives(f: {
  box: 'all' | 'issued' | 'received';
  command?: number;
  page: number;
  pageSize: number;
}) {
  return useQuery({
    queryKey: commandKeys.directives(f),
    queryFn: ({ signal }) =>
      api.get<Paged<DirectiveSummary>>(
        '/api/directives',
        { box: f.box, command: f.command, page: f.page, pageSize: f.pageSize },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}
export function useDirective(id: number) {
  return useQuery({
    queryKey: commandKeys.directive(id),
    queryFn: ({ signal }) => api.get<DirectiveDetail>(`/api/directives/${id}`, undefined, signal),
  });
}
export function useBoard(id: number, node: number | undefined, status: string, enabled = true) {
  return useQuery({
    queryKey: commandKeys.board(id, node, status),
    queryFn: ({ signal }) => api.get<BoardResponse>(`/api/directives/${id}/board`, { node, status }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}
export function useDirectiveTasks(enabled = true) {
  return useQuery({
    queryKey: commandKeys.tasks,
    queryFn: ({ signal }) => api.get<ListOf<DirectiveTask>>('/api/directives/tasks', undefined, signal),
    enabled,
  });
}

/** Every directive read: after a step of one's own, before the live update arrives. */
function useRefreshDirectives() {
  const qc = useQueryClient();
  return () =>
    Promise.all(
      [commandKeys.allDirectives, commandKeys.allBoards, commandKeys.tasks, commandKeys.allCockpit].map(
        (queryKey) => qc.invalidateQueries({ queryKey }),
      ),
    );
}
export function useIssueDirective() {
  const refresh = useRefreshDirectives();
  return useMutation({
    mutationFn: (b: IssueDirectiveInput) => api.post<DirectiveDetail>('/api/directives', b),
    onSuccess: refresh,
  });
}
export function useTargetStep() {
  const refresh = useRefreshDirectives();
  return useMutation({
    mutationFn: (
      v: { targetId: number } & (
        { action: 'sign'; note?: string } | { action: 'report'; body: ReportTargetInput }
      ),
    ) =>
      v.action === 'sign'
        ? api.post<DirectiveDetail>(
            `/api/directive-targets/${v.targetId}/sign`,
            v.note ? { note: v.note } : {},
          )
        : api.post<DirectiveDetail>(`/api/directive-targets/${v.targetId}/report`, v.body),
    onSuccess: refresh,
  });
}
export function useRelay() {
  const refresh = useRefreshDirectives();
  return useMutation({
    mutationFn: (v: { directiveId: number; body: RelayDirectiveInput }) =>
      api.post<DirectiveDetail>(`/api/directives/${v.directiveId}/relay`, v.body),
    onSuccess: refresh,
  });
}
export function useRemind() {
  const refresh = useRefreshDirectives();
  return useMutation({
    mutationFn: (v: { id: number; nodeId?: number }) =>
      api.post<RemindResponse>(`/api/directives/${v.id}/remind`, v.nodeId ? { nodeId: v.nodeId } : {}),
    onSuccess: refresh,
  });
}

export function useCockpit(node: number | undefined, command: number | undefined, metric: CockpitMetric) {
  return useQuery({
    queryKey: commandKeys.cockpit(node, command, metric),
    queryFn: ({ signal }) => api.get<CockpitResponse>('/api/cockpit', { node, command, metric }, signal),
    placeholderData: keepPreviousData,
  });
}

/** Holds an attachment on the server; the token goes with the directive, relay or report-back that uses it. */
export function uploadDirectiveFile(file: Blob, filename: string): Promise<DirectiveFileUpload> {
  const form = new FormData();
  form.append('file', file, filename);
  return request<DirectiveFileUpload>('POST', '/api/directive-files', { body: form });
}
/** Where an attachment is downloaded, seen through a directive the caller may read. */
export const directiveFileUrl = (directiveId: number, fileId: number) =>
  `/api/directives/${directiveId}/files/${fileId}`;
