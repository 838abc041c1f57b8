// Shared helpers of the bench workloads: timing, percentiles, PostgreSQL probing, table output.
import { Worker } from 'node:worker_threads';
import pg from 'pg';

/** A named workload of `npm run bench -- <name>`: returns one JSON object and a table (header row first). */
export interface Workload {
  summary: string;
  usage: string;
  run(args: string[], log: (line: string) => void): Promise<{ json: object; table: string[][] }>;
}

/** A wrong command line: run.ts prints the usage and exits with 2. */
export class UsageError extends Error {}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Milliseconds, rounded to microseconds. */
export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: r3(percentile(s, 50)),
    p95: r3(percentile(s, 95)),
    mean: r3(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
    min: r3(s[0] ?? Number.NaN),
    max: r3(s.at(-1) ?? Number.NaN),
  };
}

/** Runs `fn` `warmup` times untimed, then `n` times timed; returns the samples in ms. */
export async function sample(
  n: number,
  warmup: number,
  fn: (i: number) => Promise<unknown>,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

/** Seeded PRNG (mulberry32) so every run picks the same "random" parents. */
export function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
}

export const rssMb = () => Math.round((process.memoryUsage().rss / 1_048_576) * 10) / 10;

export async function postgresReachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** Runs statements on a short-lived connection (schema creation and cleanup). */
export async function pgAdmin(url: string, ...statements: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

/** Terminal columns of a string: CJK characters take two. */
const widthOf = (s: string) =>
  [...s].reduce(
    (w, ch) =>
      w +
      (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1),
    0,
  );

/** A plain text table; the first row is the header. Columns after the first are right-aligned. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => widthOf(r[i] ?? ''))));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => {
        const padding = ' '.repeat(widths[i]! - widthOf(c));
        return i === 0 ? c + padding : padding + c;
      })
      .join(' | ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join(
    '\n',
  );
}

/** Cell formatters for the side-by-side tables: ms, p50 / p95, thousands, and a goal verdict. */
export const cell = {
  ms: (x: number) => x.toFixed(2),
  p50p95: (s: Summary) => `${s.p50.toFixed(2)} / ${s.p95.toFixed(2)}`,
  count: (x: number) => x.toLocaleString('en'),
  goal: (ok: boolean, by: string) => (ok ? 'met' : `missed by ${by}`),
};

/**
 * Sends each body once over HTTP from a worker thread, `concurrency` at a time; answers the wall time
 * and each request's latency. Any answer other than 2xx fails the run.
 */
export function httpLoad(o: {
  url: string;
  method: string;
  headers: Record<string, string>;
  bodies: string[];
  concurrency: number;
  /** A header whose value differs per request (values[i] goes with bodies[i]). */
  headerPerBody?: { name: string; values: string[] };
}): Promise<{ ms: number; latencies: number[] }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./http-load.mjs', import.meta.url), { workerData: o });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load worker stopped with ${code}`));
    });
  });
}

/**
 * With BENCH_PROFILE=dir, records a CPU profile of this process's main thread (the server's) from
 * now until the returned function is called, into dir/name.cpuprofile (open it in Chrome's DevTools).
 * Without it, does nothing. The profiler costs about a tenth of the throughput: figures from a
 * profiled run are not the bench's figures.
 */
export async function profileIf(name: string): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return () => Promise.resolve();
  const { Session } = await import('node:inspector/promises');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}
