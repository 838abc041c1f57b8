// GET /api/stream: the caller's live updates as Server-Sent Events. Fastify's reply is hijacked so
// the response stays open; the route keeps its open streams to end them before the server closes.
// Thousands of streams stay open at once (every cadre's phone, every cockpit), so what each one holds
// is kept small (ADR 0011): one heartbeat timer for all of them, and an update's frame is encoded
// once into a buffer that every subscriber's socket shares, never once per subscriber.
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LIVE_RESET, LIVE_RETRY_MS, streamQuery } from '../../../common/contracts/live.js';
import type { LiveMessage } from '../../platform/live-bus.js';
import type { StreamService } from './stream.service.js';

export interface StreamRouteOptions {
  /** A comment line this often keeps proxies and the browser from dropping an idle stream. */
  heartbeatMs?: number;
  /** A client this far behind is dropped; it reconnects with Last-Event-ID and replays. */
  maxBufferedBytes?: number;
}

export function streamRoutes(app: FastifyInstance, stream: StreamService, opts: StreamRouteOptions = {}) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const heartbeatMs = opts.heartbeatMs ?? 20_000;
  const maxBuffered = opts.maxBufferedBytes ?? 4 * 1024 * 1024;
  /** Open streams, each with its writer (which drops a client too far behind). */
  const open = new Map<ServerResponse, (chunk: Buffer) => void>();
  // One timer pings every open stream: a timer per stream would be thousands of timers.
  const heartbeat = setInterval(() => {
    for (const write of open.values()) write(PING);
  }, heartbeatMs);
  heartbeat.unref();
  // Open streams would keep server.close() waiting for ever.
  app.addHook('preClose', (done) => {
    clearInterval(heartbeat);
    for (const res of open.keys()) res.end();
    open.clear();
    stream.close();
    done();
  });
  // The bus hands one message object to every subscriber of an update in turn: encode it once.
  let lastMessage: LiveMessage | null = null;
  let lastFrame = Buffer.alloc(0);
  const frameOf = (u: LiveMessage) => {
    if (u !== lastMessage) {
      lastFrame = Buffer.from(frame(u));
      lastMessage = u;
    }
    return lastFrame;
  };

  r.get(
    '/api/stream',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['live'],
        summary: 'Live updates in your jurisdiction (text/event-stream); resumes after Last-Event-ID',
        description:
          'Each update: `id` the outbox id, `data` JSON {kind, commandId, payload, at} (kind e.g. directive.signed). `event: reset` means refetch everything.',
        querystring: streamQuery,
      },
    },
    async (req, reply) => {
      const res = reply.raw;
      // Updates that came (a replay) before the headers went out; null once streaming.
      let queued: Buffer[] | null = [];
      const write = (chunk: Buffer) => {
        if (res.destroyed || res.writableEnded) return;
        if (queued) return void queued.push(chunk);
        res.write(chunk);
        if (res.writableLength > maxBuffered) res.destroy();
      };
      // Subscribing validates Last-Event-ID first: a bad one is a 400 before the stream starts.
      const stop = stream.open(
        req.ctx,
        {
          lastEventIdHeader: req.headers['last-event-id'],
          lastEventId: req.query.lastEventId,
          sessionId: req.sessionId,
        },
        (u) => write(frameOf(u)),
        () => res.end(),
      );
      reply.hijack();
      // Helmet's headers are already on the raw response; these join them.
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': req.id,
      });
      req.raw.socket.setNoDelay(true);
      res.write(RETRY);
      const waiting = queued;
      queued = null;
      for (const chunk of waiting) write(chunk);
      open.set(res, write);
      const cleanup = () => {
        stop();
        open.delete(res);
      };
      res.on('close', cleanup);
      if (res.destroyed) cleanup();
    },
  );
}

const RETRY = Buffer.from(`retry: ${LIVE_RETRY_MS}\n\n`);
const PING = Buffer.from(': ping\n\n');

function frame(u: LiveMessage): string {
  const data = JSON.stringify({ kind: u.kind, commandId: u.commandId, payload: u.payload, at: u.at });
  // Updates go unnamed, so EventSource hands every one to `onmessage` (it has no wildcard for named
  // events, and the kinds are open-ended); the kind is in the data. A reset is the one named event.
  return u.kind === LIVE_RESET
    ? `id: ${u.id}\nevent: ${LIVE_RESET}\ndata: ${data}\n\n`
    : `id: ${u.id}\ndata: ${data}\n\n`;
}
