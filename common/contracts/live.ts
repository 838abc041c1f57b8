// The live-update stream (GET /api/stream): Server-Sent Events, one per committed change the caller's
// jurisdiction holds. Each event's data is a LiveEventData; its SSE id is the outbox id.
import { z } from 'zod';
import { MAX_ID } from './shared.js';

/** An outbox id to resume after: 0 means "from the start of what is kept". */
export const liveEventId = z.coerce.number().int().min(0).max(MAX_ID);
export const streamQuery = z.strictObject({
  /** For a page that loaded its data as of this id (e.g. the cockpit's asOf); `Last-Event-ID` wins. */
  lastEventId: liveEventId.optional(),
});

export const liveEventData = z.object({
  kind: z.string(),
  commandId: z.number().int().nullable(),
  payload: z.unknown(),
  at: z.string(),
});
export type LiveEventData = z.infer<typeof liveEventData>;

export { LIVE_RESET, LIVE_RETRY_MS } from './live-codes.js';
