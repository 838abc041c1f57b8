// GET /api/stream: the caller's live updates as Server-Sent Events. Fastify's reply is hijacked so
// the response stays open; the route keeps its open streams to end them before the server closes.
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
  const open = new Set<ServerResponse>();
  // Open streams would keep server.close() waiting for ever.
  app.addHook('preClose', (done) => {
    for (const res of open) res.end();
    open.clear();
    stream.close();
    done();
  });

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
      let started = false;
      const queued: string[] = [];
      const write = (chunk: string) => {
        if (res.destroyed || res.writableEnded) return;
        if (!started) return void queued.push(chunk);
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
        (u) => write(frame(u)),
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
      res.write(`retry: ${LIVE_RETRY_MS}\n\n`);
      started = true;
      for (const chunk of queued.splice(0)) write(chunk);
      const heartbeat = setInterval(() => write(`: ping\n\n`), heartbeatMs);
      heartbeat.unref();
      open.add(res);
      const cleanup = () => {
        clearInterval(heartbeat);
        stop();
        open.delete(res);
      };
      res.on('close', cleanup);
      if (res.destroyed) cleanup();
    },
  );
}

function frame(u: LiveMessage): string {
  const data = JSON.stringify({ kind: u.kind, commandId: u.commandId, payload: u.payload, at: u.at });
  // Updates go unnamed, so EventSource hands every one to `onmessage` (it has no wildcard for named
  // events, and the kinds are open-ended); the kind is in the data. A reset is the one named event.
  return u.kind === LIVE_RESET
    ? `id: ${u.id}\nevent: ${LIVE_RESET}\ndata: ${data}\n\n`
    : `id: ${u.id}\ndata: ${data}\n\n`;
}
