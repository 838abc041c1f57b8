// Notifications (the web's bell and /notifications): what a user is told, and marking it read.
import { z } from 'zod';
import { recordId } from './shared.js';

export const notification = z.object({
  id: z.number().int(),
  at: z.string(),
  kind: z.string(),
  /** In the language asked. */
  text: z.string(),
  entityType: z.string().nullable(),
  entityId: z.number().int().nullable(),
  read: z.boolean(),
});
/** Mark read: all of yours, or only up to the newest one you have seen, so one that arrived since stays unread. */
export const markNotificationsReadBody = z.strictObject({ upToId: recordId.optional() });
export type Notification = z.infer<typeof notification>;
