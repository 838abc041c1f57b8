// Joint defence, duty rosters: types from the shared contract (type-only), query keys under
// 'defence', reads (my shifts, checkpoints, the roster grid, swap requests) and the calls that change
// them. Passages have their own file (passages.ts).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from './client.js';
import type { ListOf, OkResponse } from './types.js';
import type {
  CheckpointStatus,
  CheckpointView,
  CoverageResponse,
  MyShiftsResponse,
  SwapStatus,
  SwapView,
  createCheckpointBody,
  shiftPattern,
  updateCheckpointBody,
} from '../../common/contracts/defence.js';

export type {
  CheckpointStatus,
  CheckpointType,
  CheckpointView,
  CoverageResponse,
  MyShift,
  MyShiftsResponse,
  ShiftRole,
  SwapStatus,
  SwapView,
} from '../../common/contracts/defence.js';
export { CHECKPOINT_STATUSES, CHECKPOINT_TYPES, SHIFT_ROLES } from '../../common/contracts/defence.js';
export type CreateCheckpointInput = z.input<typeof createCheckpointBody>;
export type UpdateCheckpointInput = z.input<typeof updateCheckpointBody>;
export type ShiftPatternInput = z.input<typeof shiftPattern>;
export type CoverageShift = CoverageResponse['items'][number];

export interface CheckpointFilters {
  node?: number | undefined;
  command?: number | undefined;
  status?: CheckpointStatus | undefined;
}
export interface CoverageFilters {
  checkpointId?: number | undefined;
  node?: number | undefined;
  from: string;
  to: string;
}
export interface SwapFilters {
  checkpointId?: number | undefined;
  node?: number | undefined;
  mine?: boolean;
  status?: SwapStatus | undefined;
}
/** Where the person stands, when the phone knows. */
export interface Place {
  lat?: number | null;
  lng?: number | null;
}

export const defenceKeys = {
  all: ['defence'] as const,
  mine: ['defence', 'mine'] as const,
  checkpoints: (f: CheckpointFilters) => ['defence', 'checkpoints', f] as const,
  coverage: (f: CoverageFilters) => ['defence', 'coverage', f] as const,
  swaps: (f: SwapFilters) => ['defence', 'swaps', f] as const,
};

export function useMyShifts() {
  return useQuery({
    queryKey: defenceKeys.mine,
    queryFn: ({ signal }) => api.get<MyShiftsResponse>('/api/shifts/mine', undefined, signal),
    // The check-in window opens and closes with the clock.
    refetchInterval: 60_000,
  });
}

export function useCheckpoints(f: CheckpointFilters, enabled = true) {
  return useQuery({
    queryKey: defenceKeys.checkpoints(f),
    queryFn: ({ signal }) =>
      api.get<ListOf<CheckpointView>>(
        '/api/checkpoints',
        { node: f.node, command: f.command, status: f.status },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCoverage(f: CoverageFilters, enabled = true) {
  return useQuery({
    queryKey: defenceKeys.coverage(f),
    queryFn: ({ signal }) =>
      api.get<CoverageResponse>(
        '/api/rosters/coverage',
        { checkpointId: f.checkpointId, node: f.node, from: f.from, to: f.to },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useSwaps(f: SwapFilters, enabled = true) {
  return useQuery({
    queryKey: defenceKeys.swaps(f),
    queryFn: ({ signal }) =>
      api.get<ListOf<SwapView>>(
        '/api/swaps',
        { checkpointId: f.checkpointId, node: f.node, mine: f.mine ? '1' : undefined, status: f.status },
        signal,
      ),
    enabled,
  });
}

/** Every change here refreshes all of joint defence's reads: they are few and small. */
function useDefenceMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => void qc.invalidateQueries({ queryKey: defenceKeys.all }),
  });
}

export const useCheckIn = () =>
  useDefenceMutation((v: { shiftId: number } & Place) =>
    api.post<{ checkedInAt: string; minutesFromStart: number }>(`/api/shifts/${v.shiftId}/check-in`, {
      lat: v.lat ?? null,
      lng: v.lng ?? null,
    }),
  );
export const useCheckOut = () =>
  useDefenceMutation((v: { shiftId: number } & Place) =>
    api.post<{ checkedOutAt: string }>(`/api/shifts/${v.shiftId}/check-out`, {
      lat: v.lat ?? null,
      lng: v.lng ?? null,
    }),
  );
export const useRequestSwap = () =>
  useDefenceMutation((v: { shiftId: number; toUserId: number | null; toShiftId?: number; reason?: string }) =>
    api.post<SwapView>(`/api/shifts/${v.shiftId}/swaps`, {
      toUserId: v.toUserId,
      ...(v.toShiftId !== undefined ? { toShiftId: v.toShiftId } : {}),
      ...(v.reason ? { reason: v.reason } : {}),
    }),
  );
export const useDecideSwap = () =>
  useDefenceMutation((v: { id: number; decision: 'approve' | 'refuse'; note?: string }) =>
    api.post<SwapView>(`/api/swaps/${v.id}/decision`, {
      decision: v.decision,
      ...(v.note ? { note: v.note } : {}),
    }),
  );
export const useCreateCheckpoint = () =>
  useDefenceMutation((body: CreateCheckpointInput) => api.post<CheckpointView>('/api/checkpoints', body));
export const useUpdateCheckpoint = () =>
  useDefenceMutation((v: { id: number; body: UpdateCheckpointInput }) =>
    api.patch<CheckpointView>(`/api/checkpoints/${v.id}`, v.body),
  );
export const useCommandCheckpointStatus = () =>
  useDefenceMutation(
    (v: { commandId: number; status: CheckpointStatus; from?: string; checkpointIds?: number[] }) =>
      api.post<ListOf<CheckpointView>>(`/api/commands/${v.commandId}/checkpoints/status`, {
        status: v.status,
        ...(v.from ? { from: v.from } : {}),
        ...(v.checkpointIds ? { checkpointIds: v.checkpointIds } : {}),
      }),
  );
export const useSetPattern = () =>
  useDefenceMutation((v: { checkpointId: number; pattern: ShiftPatternInput }) =>
    api.put<OkResponse>(`/api/checkpoints/${v.checkpointId}/pattern`, { pattern: v.pattern }),
  );
export const useGenerateShifts = () =>
  useDefenceMutation((v: { checkpointId: number; from: string; to: string }) =>
    api.post<{ added: number; total: number }>(`/api/checkpoints/${v.checkpointId}/shifts/generate`, {
      from: v.from,
      to: v.to,
    }),
  );
export const useAssign = () =>
  useDefenceMutation((v: { shiftId: number; userId: number; role: string }) =>
    api.post(`/api/shifts/${v.shiftId}/assignments`, { userId: v.userId, role: v.role }),
  );
export const useUnassign = () =>
  useDefenceMutation((v: { shiftId: number; userId: number }) =>
    api.delete<OkResponse>(`/api/shifts/${v.shiftId}/assignments/${v.userId}`),
  );

/** The phone's position if it gives one within a few seconds; a check-in goes without it otherwise. */
export function currentPlace(timeoutMs = 5000): Promise<Place> {
  return new Promise((resolve) => {
    if (typeof navigator === 'undefined' || !('geolocation' in navigator)) return resolve({});
    const timer = setTimeout(() => resolve({}), timeoutMs + 500);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        clearTimeout(timer);
        resolve({ lat: p.coords.latitude, lng: p.coords.longitude });
      },
      () => {
        clearTimeout(timer);
        resolve({});
      },
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}
