// The load generator of the intake figure, run in a worker thread: its fetch, JSON and socket work
// would otherwise share the server's event loop and count as the server's cost.
import { parentPort, workerData } from 'node:worker_threads';

const { url, method, headers, bodies, concurrency } = workerData;
const latencies = [];
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const t = performance.now();
      const r = await fetch(url, { method, headers, body });
      const text = await r.text();
      if (r.status !== 200) throw new Error(`${method} ${url} → ${r.status}: ${text.slice(0, 300)}`);
      latencies.push(performance.now() - t);
    }
  }),
);
parentPort.postMessage({ ms: performance.now() - t0, latencies });
