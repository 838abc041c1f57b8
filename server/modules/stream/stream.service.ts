// Who receives what on the live stream: the caller's jurisdiction (every node they hold a role at),
// resumed after the id the client last saw.
import { msg } from '../../../common/messages/index.js';
import { liveEventId } from '../../../common/contracts/live.js';
import type { DB } from '../../db/index.js';
import type { LiveBus, LiveSend } from '../../platform/live-bus.js';
import { isWithin, actorOf, type RequestContext } from '../../platform/actor.js';
import { validationFailed } from '../../platform/errors.js';
import { liveSessions } from './stream.repository.js';

export interface StreamRequest {
  /** The `Last-Event-ID` header, which EventSource sends on its own reconnects. */
  lastEventIdHeader?: string | string[] | undefined;
  /** The `lastEventId` query parameter, for a page's first connection. */
  lastEventId?: number | undefined;
  /** The session the stream was opened with: signing out of it ends the stream. */
  sessionId: number | null;
}

export interface StreamService {
  /**
   * Subscribes the caller; throws (before anything is sent) on a bad Last-Event-ID. `end` is called
   * when the session behind the stream is signed out or expires. Returns the unsubscribe.
   */
  open(ctx: RequestContext, req: StreamRequest, send: LiveSend, end: () => void): () => void;
  close(): void;
}

export function createStreamService(deps: {
  db: DB;
  live: LiveBus;
  sessionCheckMs?: number;
  now?: () => string;
}): StreamService {
  const now = deps.now ?? (() => new Date().toISOString());
  // Open streams by session, checked together in one query per round: a stream outlives no sign-out.
  const bySession = new Map<number, Set<() => void>>();
  let checking = false;
  const timer = setInterval(() => {
    if (checking || bySession.size === 0) return;
    checking = true;
    liveSessions(deps.db, [...bySession.keys()], now())
      .then((alive) => {
        for (const [id, enders] of bySession) if (!alive.has(id)) for (const end of enders) end();
      })
      .catch(() => {})
      .finally(() => (checking = false));
  }, deps.sessionCheckMs ?? 20_000);
  timer.unref();

  return {
    open(ctx, req, send, end) {
      const actor = actorOf(ctx);
      const lastEventId = resumeAfter(req);
      const stop = deps.live.subscribe(
        jurisdiction(actor.assignments.map((a) => a.nodePath)),
        lastEventId,
        send,
      );
      const { sessionId } = req;
      if (sessionId === null) return stop;
      let enders = bySession.get(sessionId);
      if (!enders) bySession.set(sessionId, (enders = new Set()));
      enders.add(end);
      return () => {
        stop();
        enders.delete(end);
        if (enders.size === 0) bySession.delete(sessionId);
      };
    },
    close() {
      clearInterval(timer);
      bySession.clear();
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
    if (!v.success)
      throw validationFailed([
        {
          path: 'headers.last-event-id',
          message: msg('issue.event_id'),
          code: 'invalid_type',
        },
      ]);
    return v.data;
  }
  return req.lastEventId ?? null;
}
