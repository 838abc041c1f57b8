// Each user's own notifications: the latest, and marking them read.
import type { Notification } from '../../../common/contracts/notifications.js';
import { DEFAULT_LANG, renderStored, type Message } from '../../../common/messages/index.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { actorOf, type RequestContext } from '../../platform/actor.js';
import * as repo from './notifications.repository.js';

export function createNotificationsService(deps: { db: DB }) {
  const { db } = deps;
  return {
    async list(ctx: RequestContext): Promise<{ items: Notification[] }> {
      const lang = ctx.lang ?? DEFAULT_LANG;
      const rows = await repo.notificationsOf(db, actorOf(ctx).userId, 100);
      return {
        items: rows.map((n) => ({
          id: n.id,
          at: n.at,
          kind: n.kind,
          // Rows before migration 0017 kept both texts; later ones keep the code.
          text: n.message_code
            ? renderStored(
                n.message_code,
                n.message_params ? (JSON.parse(n.message_params) as Message['params']) : undefined,
                lang,
              )
            : lang === 'en'
              ? n.text_en
              : n.text_zh,
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
