// Notifications: the caller's latest (the server keeps no push yet, so the bell polls every half
// minute and whenever the window regains focus) and marking them read.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from './client.js';
import type { ListOf, OkResponse } from './types.js';
import type { markNotificationsReadBody, notification } from '../../common/contracts/notifications.js';

export type Notification = z.infer<typeof notification>;
export type MarkNotificationsReadInput = z.input<typeof markNotificationsReadBody>;
export type NotificationList = ListOf<Notification>;

export const notificationKeys = {
  all: ['notifications'] as const,
};

export const NOTIFICATIONS_POLL_MS = 30_000;

export function useNotifications() {
  return useQuery({
    queryKey: notificationKeys.all,
    queryFn: ({ signal }) => api.get<NotificationList>('/api/notifications', undefined, signal),
    refetchInterval: NOTIFICATIONS_POLL_MS,
    refetchOnWindowFocus: true,
  });
}

/**
 * Marks read every notification up to the newest one shown (one that arrived since stays unread);
 * the list shows them read at once and is fetched again.
 */
export function useMarkNotificationsRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: MarkNotificationsReadInput) => api.post<OkResponse>('/api/notifications/read', body),
    onMutate: async (body) => {
      await qc.cancelQueries({ queryKey: notificationKeys.all });
      qc.setQueryData<NotificationList>(notificationKeys.all, (old) =>
        old
          ? {
              items: old.items.map((n) =>
                body.upToId === undefined || n.id <= body.upToId ? { ...n, read: true } : n,
              ),
            }
          : old,
      );
    },
    onSettled: () => qc.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
