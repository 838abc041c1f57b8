// Who receives what on the live stream: the caller's jurisdiction (every node they hold a role at),
// resumed after the id the client last saw.
import { liveEventId } from '../../../common/contracts/live.js';
import type { LiveBus, LiveSend } from '../../platform/live-bus.js';
import { isWithin, actorOf, type RequestContext } from '../../platform/actor.js';
import { validationFailed } from '../../platform/errors.js';

export interface StreamRequest {
  /** The `Last-Event-ID` header, which EventSource sends on its own reconnects. */
  lastEventIdHeader?: string | string[] | undefined;
  /** The `lastEventId` query parameter, for a page's first connection. */
  lastEventId?: number | undefined;
}

export interface StreamService {
  /** Subscribes the caller; throws (before anything is sent) on a bad Last-Event-ID. Returns the unsubscribe. */
  open(ctx: RequestContext, req: StreamRequest, send: LiveSend): () => void;
}

export function createStreamService(deps: { live: LiveBus }): StreamService {
  return {
    open(ctx, req, send) {
      const actor = actorOf(ctx);
      const lastEventId = resumeAfter(req);
      return deps.live.subscribe(jurisdiction(actor.assignments.map((a) => a.nodePath)), lastEventId, send);
    },
  };
}

/** The minimal set of subtree roots: every role counts, whatever it permits, since updates carry ids only. */
export function jurisdiction(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of [...paths].sort()) if (!out.some((o) => isWithin(p, o))) out.push(p);
  return out;
}

function resumeAfter(req: StreamRequest): number | null {
  const header = Array.isArray(req.lastEventIdHeader) ? req.lastEventIdHeader[0] : req.lastEventIdHeader;
  if (header !== undefined && header.trim() !== '') {
    const v = liveEventId.safeParse(/^\d+$/.test(header.trim()) ? header.trim() : NaN);
    if (!v.success) throw validationFailed([{ path: 'headers.last-event-id', message: 'must be an event id (a whole number)', code: 'invalid_type' }]);
    return v.data;
  }
  return req.lastEventId ?? null;
}
