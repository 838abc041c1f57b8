// A real Server-Sent Events connection to a listening test app (inject cannot stream): signed in
// with a Client's session cookie, optionally resuming after a Last-Event-ID; collects parsed events.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Client } from './harness.js';

export interface SseEvent {
  id: string | null;
  /** The SSE event name: `message` for an update, `reset` for a reset. */
  event: string;
  /** The update's kind (from the data), or the event name when the data has none. */
  kind: string;
  data: string;
  /** `data` parsed as JSON (undefined when it is not JSON). */
  json: { kind: string; commandId: number | null; payload: Record<string, unknown>; at: string } | undefined;
}

export interface SseConnection {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every event so far, in order (heartbeat comments are counted in `comments`, not here). */
  events: SseEvent[];
  comments: number;
  /** The `retry:` the server sent, if any. */
  retry: number | null;
  /** For a refused request: the body (problem+json). */
  body: string;
  /** The first event (already here or still to come) matching the predicate; rejects after the timeout. */
  waitFor(predicate: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Settles when the server ends the response (or close() is called). */
  ended: Promise<void>;
  close(): void;
}

/** The app's address, listening on 127.0.0.1 on a free port the first time it is asked. */
export async function listenForSse(app: FastifyInstance): Promise<string> {
  if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function openSse(
  app: FastifyInstance,
  opts: {
    client?: Client;
    lastEventId?: string | number;
    query?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<SseConnection> {
  const base = await listenForSse(app);
  const headers: Record<string, string> = { accept: 'text/event-stream', ...opts.headers };
  const session = opts.client?.cookie('linli_session');
  if (session) headers.cookie = `linli_session=${session}`;
  if (opts.lastEventId !== undefined) headers['last-event-id'] = String(opts.lastEventId);
  const url = `${base}/api/stream${opts.query ? `?${opts.query}` : ''}`;

  return new Promise<SseConnection>((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      const waiters: { predicate: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
      let buffer = '';
      const ended = new Promise<void>((ok) => res.on('close', () => ok()));
      const conn: SseConnection = {
        ended,
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        comments: 0,
        retry: null,
        body: '',
        waitFor(predicate, timeoutMs = 2000) {
          const found = conn.events.find(predicate);
          if (found) return Promise.resolve(found);
          return new Promise<SseEvent>((ok, fail) => {
            const w = {
              predicate,
              resolve: (e: SseEvent) => {
                clearTimeout(timer);
                ok(e);
              },
            };
            const timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(w), 1);
              fail(
                new Error(
                  `no matching SSE event within ${timeoutMs} ms; got ${JSON.stringify(conn.events.map((e) => [e.id, e.event]))}`,
                ),
              );
            }, timeoutMs);
            waiters.push(w);
          });
        },
        close() {
          req.destroy();
        },
      };
      res.setEncoding('utf8');
      if (conn.status !== 200) {
        res.on('data', (chunk: string) => (conn.body += chunk));
        res.on('end', () => resolve(conn));
        return;
      }
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e = parseBlock(block, conn);
          if (!e) continue;
          conn.events.push(e);
          for (const w of [...waiters])
            if (w.predicate(e)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(e);
            }
        }
      });
      res.on('error', () => {});
      resolve(conn);
    });
    req.on('error', (err) => {
      // A close() of our own is not a failure.
      if (!req.destroyed || (err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
  });
}

function parseBlock(block: string, conn: SseConnection): SseEvent | null {
  let id: string | null = null;
  let event = 'message';
  const data: string[] = [];
  let any = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      conn.comments++;
      continue;
    }
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'retry') conn.retry = Number(value);
    else if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else continue;
    if (field !== 'retry') any = true;
  }
  if (!any) return null;
  const text = data.join('\n');
  let json: SseEvent['json'];
  try {
    json = JSON.parse(text) as SseEvent['json'];
  } catch {
    json = undefined;
  }
  return { id, event, kind: json?.kind ?? event, data: text, json };
}
