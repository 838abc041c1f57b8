import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { markNotificationsReadBody, notification } from '../../../common/contracts/notifications.js';
import { okResponse } from '../../../common/contracts/shared.js';
import type { NotificationsService } from './notifications.service.js';

export function notificationsRoutes(app: FastifyInstance, notifications: NotificationsService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/notifications',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['platform'],
        summary: 'Your latest notifications',
        response: { 200: z.object({ items: z.array(notification) }) },
      },
    },
    async (req) => notifications.list(req.ctx),
  );
  r.post(
    '/api/notifications/read',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['platform'],
        summary: 'Mark your notifications read (all, or up to an id)',
        body: markNotificationsReadBody.nullish(),
        response: { 200: okResponse },
      },
    },
    async (req) => notifications.markRead(req.ctx, req.body?.upToId),
  );
}
