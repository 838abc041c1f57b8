// The load generator of the intake figure, run in a worker thread: its HTTP, JSON and socket work
// would otherwise share the server's event loop and count as the server's cost. node:http with a
// keep-alive agent, one socket a client: fetch cost about twice the CPU a request, and on two cores
// every cycle the load generator spends is one the server does not get.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

// `headerPerBody` (optional): a header whose value differs per request, as Idempotency-Key does.
const { url, method, headers, bodies, concurrency, headerPerBody } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);

/** One request; resolves with its status and body text. */
function send(body, i) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers: {
          ...headers,
          ...(headerPerBody ? { [headerPerBody.name]: headerPerBody.values[i] } : {}),
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    // A stalled server fails the run instead of hanging it (fetch gave up after 300 s).
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${url}: no answer in 60 s`)));
    req.end(body);
  });
}

const latencies = [];
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const i = next++;
      const t = performance.now();
      const r = await send(bodies[i], i);
      if (r.status < 200 || r.status > 299)
        throw new Error(`${method} ${url} → ${r.status}: ${r.text.slice(0, 300)}`);
      latencies.push(performance.now() - t);
    }
  }),
);
const ms = performance.now() - t0;
agent.destroy();
parentPort.postMessage({ ms, latencies });
