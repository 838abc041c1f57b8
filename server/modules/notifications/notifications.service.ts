// Each user's own notifications: the latest, and marking them read.
import type { Notification } from '../../../common/contracts/notifications.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { actorOf, type RequestContext } from '../../platform/actor.js';
import * as repo from './notifications.repository.js';

export function createNotificationsService(deps: { db: DB }) {
  const { db } = deps;
  return {
    async list(ctx: RequestContext): Promise<{ items: Notification[] }> {
      const rows = await repo.notificationsOf(db, actorOf(ctx).userId, 100);
      return {
        items: rows.map((n) => ({
          id: n.id,
          at: n.at,
          kind: n.kind,
          textZh: n.text_zh,
          textEn: n.text_en,
          entityType: n.entity_type,
          entityId: n.entity_id,
          read: n.read_at !== null,
        })),
      };
    },

    async markRead(ctx: RequestContext, upToId?: number) {
      await repo.markNotificationsRead(db, actorOf(ctx).userId, nowIso(), upToId);
      return { ok: true as const };
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
