// `npm run bench -- care`: psychological care (心理关爱) at district scale. On each database: the
// district-scale demo with its 700,000 residents (seedDistrict), then
//   (1) 20,000 residents put in home observation at once through the observation service
//       (`orderMany`, as the screening bench does; untimed here), and a PHQ-9 link sent to each through
//       the care service as the demo counsellor (`sendLink`, one after another): links per second;
//   (2) all 20,000 submitted by the person's phone through the public route
//       `POST /api/public/scales/:token`, 16 at once from a load worker thread, against the app in its
//       own process (bench/app-server.ts, public rate limit lifted by serveBench): one in ten with
//       PHQ-9 item 9 at 1 or more (a crisis alert each), the totals spread over the five bands:
//       submissions per second and their latency;
//   (3) over HTTP as the counsellor (a session row): the open alerts list (`GET /api/care/alerts`,
//       ~2,000 open, the service answers at most 200), the caseload due today
//       (`GET /api/care/cases?due=1`) after 500 alerts acknowledged through the service (each opens a
//       case), and the district's statistics as the district commander (`GET /api/care/stats`); the
//       alerts and statistics also through the service in this process, their statements timed and planned;
//   (4) the server's RSS.
import http from 'node:http';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { sql, type KyselyPlugin } from 'kysely';
import { PHQ9, scoreAnswers } from '../common/care-scales.js';
import { localDate } from '../common/worktime.js';
import { migrateToLatest, nowIso, type DB } from '../server/db/index.js';
import { createCareService, ensureShippedScales } from '../server/modules/care/index.js';
import { createObservationService } from '../server/modules/observation/index.js';
import type { RequestContext } from '../server/platform/actor.js';
import { createSession, loadActor } from '../server/platform/auth.js';
import type { ServerMemory } from './app-server.js';
import { startBenchServer } from './child-server.js';
import { cell, prng, rssMb, sample, summarize, type Summary, type Workload } from './lib.js';
import {
  AUDIT_KEY,
  explainCall,
  runSideBySide,
  seedDistrict,
  type Opened,
  type StatementFigures,
} from './targets.js';

const PASSWORD = 'bench-password-330112';
/** People in observation sent a link, and submitting it: the 20,000. */
const PEOPLE = Number(process.env.BENCH_CARE_PEOPLE ?? 20_000);
/** Concurrent submitters (phones) and the untimed first submissions. */
const CONCURRENCY = Number(process.env.BENCH_CARE_CONCURRENCY ?? 16);
const WARMUP = Math.min(200, Math.floor(PEOPLE / 10));
/**
 * Extra people sent a link, whose answers go through the service in this process one at a time
 * (SOLO), then SOLO more with each statement timed: a submission's own cost, without the crowd.
 */
const SOLO = 100;
/** Alerts acknowledged through the service (each opens a case, next contact due today). */
const ACKS = Number(process.env.BENCH_CARE_ACKS ?? 500);
const N = { alerts: 100, cases: 200, stats: 200, warmup: 10, service: 50, statement: 20 };
const GOAL = { submitsPerSecond: 200, submitP95Ms: 100, alertsP95Ms: 50, casesP95Ms: 50, statsP95Ms: 50 };
const mb = (m: NodeJS.MemoryUsage) => Math.round((m.rss / 1_048_576) * 10) / 10;
const loadNow = () => Math.round(os.loadavg()[0]! * 10) / 10;
const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
const cellCount = (n: number) => n.toLocaleString('en');

interface Read {
  apiMs: Summary;
  items: number;
  total?: number;
  bytes: number;
}
interface TargetResult {
  people: number;
  seedSeconds: number;
  observation: { created: number; skipped: number; ms: number };
  links: { n: number; ms: number; perSecond: number; latencyMs: Summary };
  submit: {
    n: number;
    warmup: number;
    concurrency: number;
    ms: number;
    perSecond: number;
    latencyMs: Summary;
    /** What the bench sent, scored by the same code (common/care-scales.ts). */
    bands: Record<string, number>;
    crisis: number;
    /** From the database after the load: responses, crisis responses, open alerts (the demo's too). */
    responses: number;
    crisisResponses: number;
    openAlerts: number;
    same: boolean;
    /** SOLO submissions through the service in this process, one after another. */
    soloMs: Summary;
    /** Statements a submission sends (without / with an alert), and where a timed one's time went. */
    statements: { plain: number; crisis: number };
    breakdown: { label: string; count: number; msPerSubmit: number }[];
    /** Of a timed submission's mean, the part spent in its statements (the rest: JS, begin, commit). */
    inStatementsMs: number;
    timedMeanMs: number;
  };
  alerts: Read & {
    serviceMs: Summary;
    statementsPerCall: number;
    statements: StatementFigures[];
  };
  acks: { n: number; ms: number; latencyMs: Summary; openAfter: number };
  cases: Read;
  stats: Read & { serviceMs: Summary; statements: StatementFigures[]; districtSubmitted: string | number };
  server: { started: number; afterSubmits: number; afterReads: number };
  rssMb: { start: number; end: number };
  /** os.loadavg() (1 min): start, before the links, before the submissions, before the reads, end. */
  loadAverage: number[];
}

// ------------------------------------------------------------------------------------------------
// The answers: PHQ-9 is nine scored items (0–3) and the unscored tenth. Every tenth person answers
// item 9 at 1–3 (a crisis alert) with any total; the others 0 at item 9 and a total of 0–19, spread
// evenly over minimal, mild, moderate and moderately severe (a severe total is a crisis too).

function answersFor(i: number, rand: (n: number) => number): number[] {
  const crisis = i % 10 === 0;
  const a = Array.from({ length: 10 }, () => 0);
  let left = crisis ? rand(25) : rand(20);
  while (left > 0) {
    const k = rand(8);
    if (a[k]! < 3) {
      a[k]!++;
      left--;
    }
  }
  a[8] = crisis ? 1 + rand(3) : 0;
  a[9] = rand(4);
  return a;
}

// ------------------------------------------------------------------------------------------------
// The load worker: as bench/http-load.mjs (node:http, keep-alive, one socket a client, in a worker
// thread), but each request to its own path (the token is in the URL, which httpLoad keeps fixed).

const LOAD_WORKER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { base, method, headers, paths, bodies, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(base);
function send(path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, hostname: target.hostname, port: target.port, path, method,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(60000, () => req.destroy(new Error(method + ' ' + path + ': no answer in 60 s')));
    req.end(body);
  });
}
(async () => {
  const latencies = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const i = next++;
      const t = performance.now();
      const r = await send(paths[i], bodies[i]);
      if (r.status < 200 || r.status > 299)
        throw new Error(method + ' ' + paths[i] + ' -> ' + r.status + ': ' + r.text.slice(0, 300));
      latencies.push(performance.now() - t);
    }
  }));
  const ms = performance.now() - t0;
  agent.destroy();
  parentPort.postMessage({ ms, latencies });
})().catch((e) => { throw e; });
`;

function loadPaths(o: {
  base: string;
  method: string;
  headers: Record<string, string>;
  paths: string[];
  bodies: string[];
  concurrency: number;
}): Promise<{ ms: number; latencies: number[] }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(LOAD_WORKER, { eval: true, workerData: o });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load worker stopped with ${code}`));
    });
  });
}

// ------------------------------------------------------------------------------------------------
// Reads one at a time over a keep-alive socket (node:http: fetch costs the client twice the CPU).

function get(agent: http.Agent, base: string, path: string, cookie: string) {
  const target = new URL(path, base);
  return new Promise<string>((resolve, reject) => {
    const req = http.request(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        headers: { cookie },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200)
            reject(new Error(`GET ${path} → ${res.statusCode}: ${text.slice(0, 300)}`));
          else resolve(text);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`GET ${path}: no answer in 60 s`)));
    req.end();
  });
}

/** Counts the statements a call sends, without changing them. */
function counting(db: DB) {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      n++;
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  };
  return { db: db.withPlugin(plugin), count: () => n };
}

/** The table a statement works on, with its verb: "insert care_responses", "select care_links"… */
function statementLabel(text: string): string {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
  const table = /(?:from|into|update)\s+"?(\w+)"?/i.exec(text)?.[1] ?? text.slice(0, 30);
  return `${verb} ${table}`;
}

/** Times each statement a call sends (from its compilation to its result), by label; changes nothing. */
function timing(db: DB) {
  const started = new Map<unknown, { label: string; t: number }>();
  const done: { label: string; ms: number }[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      const label = statementLabel(db.getExecutor().compileQuery(args.node, args.queryId).sql);
      started.set(args.queryId, { label, t: performance.now() });
      return args.node;
    },
    transformResult: (args) => {
      const s = started.get(args.queryId);
      if (s) {
        done.push({ label: s.label, ms: performance.now() - s.t });
        started.delete(args.queryId);
      }
      return Promise.resolve(args.result);
    },
  };
  return { db: db.withPlugin(plugin), done };
}

const countOf = async (db: DB, table: 'care_responses' | 'care_alerts', where?: 'crisis' | 'open') => {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where === 'crisis') q = q.where('crisis', '!=', '[]');
  if (where === 'open') q = q.where('status', '=', 'open');
  return Number((await q.executeTakeFirstOrThrow()).n);
};

async function measure(open: () => Promise<Opened>, log: (s: string) => void): Promise<TargetResult> {
  const rssStart = rssMb();
  const loadAverage = [loadNow()];
  const opened = await open();
  const { database, cleanup, schema } = opened;
  const { db } = database;
  try {
    const t0 = performance.now();
    // The demo's care seed sends scales: the shipped ones must be rows first (server/boot.ts does it
    // after migrating; seedDemo does not). seedDistrict's own migration then finds nothing to do.
    await migrateToLatest(db, schema);
    await ensureShippedScales(db);
    const { pii, piiKey } = await seedDistrict(db, schema, PASSWORD);
    const people = Number(
      (
        await db
          .selectFrom('persons')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
    log(`  seeded the district (${people} people) in ${seedSeconds} s`);
    const userId = async (username: string) =>
      (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow())
        .id;
    const ctxOf = async (username: string): Promise<RequestContext> => {
      const actor = await loadActor(db, await userId(username), 'session');
      if (!actor) throw new Error(`${username} cannot act`);
      return { actor, requestId: `bench-care-${username}`, lang: 'zh-CN' };
    };
    const admin = await ctxOf('admin');
    const counsellor = await ctxOf('counsellor');

    // (1) PEOPLE residents spread over the district put in home observation (untimed), then a link each.
    const step = Math.max(1, Math.floor(people / (PEOPLE + 2 * SOLO)));
    const ids = (
      await db
        .selectFrom('persons')
        .select('id')
        .where('merged_into_id', 'is', null)
        .where(sql<boolean>`id % ${step} = 0`)
        .orderBy('id')
        .limit(PEOPLE + 2 * SOLO)
        .execute()
    ).map((r) => r.id);
    if (ids.length < PEOPLE + 2 * SOLO) throw new Error(`only ${ids.length} residents to observe`);
    const o0 = performance.now();
    const made = await createObservationService({ db, pii }).orderMany(admin, {
      personIds: ids,
      startDate: localDate(nowIso()),
      days: 14,
      reason: '重点地区返回人员',
    });
    const observationMs = performance.now() - o0;
    log(
      `  ${made.created} in home observation (${made.skipped} already) in ${(observationMs / 1000).toFixed(1)} s`,
    );
    if (database.dialect === 'postgres')
      await sql`vacuum (analyze) observation_orders, observation_follow_ups, live_counters`.execute(db);

    loadAverage.push(loadNow());
    const care = createCareService({ db, pii });
    const tokens: string[] = [];
    const linkMs = await sample(ids.length, 0, async (i) => {
      tokens.push((await care.sendLink(counsellor, 'PHQ-9', { personId: ids[i]! })).token);
      if ((i + 1) % 5_000 === 0) log(`    ${i + 1} links`);
    });
    const linksTotal = linkMs.reduce((a, b) => a + b, 0);
    const links = {
      n: tokens.length,
      ms: Math.round(linksTotal),
      perSecond: perSecond(tokens.length, linksTotal),
      latencyMs: summarize(linkMs),
    };
    log(
      `  ${links.n} PHQ-9 links sent in ${(links.ms / 1000).toFixed(1)} s (${links.perSecond}/s, p95 ${links.latencyMs.p95} ms)`,
    );
    if (database.dialect === 'postgres')
      await sql`vacuum (analyze) care_links, audit_log, live_counters`.execute(db);

    // The answers, and what the scale makes of them.
    const rand = prng(9_2026);
    const answers = tokens.map((_, i) => answersFor(i, rand));
    const bands: Record<string, number> = {};
    let crisisSent = 0;
    for (const a of answers) {
      const s = scoreAnswers(PHQ9.definition, a);
      bands[s.band.code] = (bands[s.band.code] ?? 0) + 1;
      if (s.crisis.length > 0) crisisSent++;
    }
    const before = {
      responses: await countOf(db, 'care_responses'),
      crisis: await countOf(db, 'care_responses', 'crisis'),
    };

    const server = await startBenchServer('bench/app-server.ts', {
      dataDir: opened.config.dataDir,
      databaseUrl: opened.config.databaseUrl,
      schema,
      piiKey,
      auditKey: AUDIT_KEY,
    });
    const memory = async () => mb((await server.ask<ServerMemory>({ type: 'memory' }, 'memory')).raw);
    try {
      const started = await memory();
      // (2) The submissions, CONCURRENCY at once; the first WARMUP untimed.
      loadAverage.push(loadNow());
      const paths = tokens.map((t) => `/api/public/scales/${t}`);
      const bodies = answers.map((a) => JSON.stringify({ answers: a }));
      const load = (lo: number, hi: number) =>
        loadPaths({
          base: server.base,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          paths: paths.slice(lo, hi),
          bodies: bodies.slice(lo, hi),
          concurrency: CONCURRENCY,
        });
      await load(0, WARMUP);
      const timed = await load(WARMUP, PEOPLE);
      const submitted = PEOPLE - WARMUP;
      const afterSubmits = await memory();
      log(
        `  ${submitted} submissions (after ${WARMUP}) in ${(timed.ms / 1000).toFixed(1)} s: ${perSecond(submitted, timed.ms)}/s`,
      );

      // The rest through the service in this process, one at a time: plain, then each statement timed.
      const byPhone: RequestContext = { actor: null, requestId: 'bench-care-solo' };
      const soloMs = summarize(
        await sample(SOLO, 0, (i) => care.submit(byPhone, tokens[PEOPLE + i]!, answers[PEOPLE + i]!)),
      );
      const timer = timing(db);
      const timedCare = createCareService({ db: timer.db, pii });
      const perSubmit = { plain: 0, crisis: 0 };
      const timedMs = await sample(SOLO, 0, async (i) => {
        const k = PEOPLE + SOLO + i;
        const before = timer.done.length;
        await timedCare.submit(byPhone, tokens[k]!, answers[k]!);
        perSubmit[k % 10 === 0 ? 'crisis' : 'plain'] = timer.done.length - before;
      });
      const byLabel = new Map<string, { count: number; ms: number }>();
      for (const d of timer.done) {
        const x = byLabel.get(d.label) ?? { count: 0, ms: 0 };
        x.count++;
        x.ms += d.ms;
        byLabel.set(d.label, x);
      }
      const r2 = (x: number) => Math.round(x * 100) / 100;
      const breakdown = [...byLabel]
        .map(([label, x]) => ({ label, count: x.count, msPerSubmit: r2(x.ms / SOLO) }))
        .sort((a, b) => b.msPerSubmit - a.msPerSubmit);
      const inStatementsMs = r2(timer.done.reduce((a, d) => a + d.ms, 0) / SOLO);
      const timedMeanMs = summarize(timedMs).mean;
      log(
        `  ${SOLO} submissions one at a time through the service: p50 ${soloMs.p50} ms, p95 ${soloMs.p95} ms; ` +
          `${perSubmit.plain} statements (${perSubmit.crisis} with an alert); of a timed one's ${timedMeanMs} ms, ${inStatementsMs} in statements:`,
      );
      for (const b of breakdown.slice(0, 12))
        log(`    ${b.label}: ${b.msPerSubmit} ms a submission (${b.count} statements)`);

      const responses = (await countOf(db, 'care_responses')) - before.responses;
      const crisisResponses = (await countOf(db, 'care_responses', 'crisis')) - before.crisis;
      const openAlerts = await countOf(db, 'care_alerts', 'open');
      const same = responses === tokens.length && crisisResponses === crisisSent;
      if (!same)
        log(
          `  !! ${responses} responses (${crisisResponses} crisis) for ${tokens.length} submitted (${crisisSent} crisis)`,
        );
      const submit = {
        n: submitted,
        warmup: WARMUP,
        concurrency: CONCURRENCY,
        ms: Math.round(timed.ms),
        perSecond: perSecond(submitted, timed.ms),
        latencyMs: summarize(timed.latencies),
        bands,
        crisis: crisisSent,
        responses,
        crisisResponses,
        openAlerts,
        same,
        soloMs,
        statements: perSubmit,
        breakdown,
        inStatementsMs,
        timedMeanMs,
      };
      log(
        `  submissions over HTTP: p50 ${submit.latencyMs.p50} ms, p95 ${submit.latencyMs.p95} ms; ${cellCount(responses)} responses, ${openAlerts} open alerts`,
      );
      if (database.dialect === 'postgres')
        await sql`vacuum (analyze) care_links, care_responses, care_alerts, notifications, live_counters, audit_log`.execute(
          db,
        );

      // (3) Reads as the counsellor and the district's commander.
      loadAverage.push(loadNow());
      const session = async (username: string) => {
        const s = await createSession(db, await userId(username), 12, {});
        return `linli_session=${s.token}; csrf=${s.csrfToken}`;
      };
      const counsellorCookie = await session('counsellor');
      const commanderCookie = await session('commander');
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const read = async (path: string, cookie: string, n: number): Promise<Read> => {
        let text = '';
        const apiMs = summarize(
          await sample(n, N.warmup, async () => {
            text = await get(agent, server.base, path, cookie);
          }),
        );
        const body = JSON.parse(text) as { items?: unknown[]; children?: unknown[]; total?: number };
        return {
          apiMs,
          items: (body.items ?? body.children ?? []).length,
          ...(body.total !== undefined ? { total: body.total } : {}),
          bytes: Buffer.byteLength(text),
        };
      };

      const alertsRead = await read('/api/care/alerts', counsellorCookie, N.alerts);
      log(
        `  GET /api/care/alerts: p50 ${alertsRead.apiMs.p50} ms, p95 ${alertsRead.apiMs.p95} ms (${alertsRead.items} items, ${alertsRead.bytes} bytes)`,
      );
      const alertsServiceMs = summarize(await sample(N.service, 3, () => care.alerts(counsellor)));
      const counted = counting(db);
      await createCareService({ db: counted.db, pii }).alerts(counsellor);
      const statementsPerCall = counted.count();
      log(
        `  alerts through the service: p50 ${alertsServiceMs.p50} ms, p95 ${alertsServiceMs.p95} ms, ${statementsPerCall} statements a call`,
      );
      log('  alerts, statement by statement (each kind once):');
      const seenKinds = new Set<string>();
      const alertStatements = await explainCall(
        database,
        (x) => createCareService({ db: x, pii }).alerts(counsellor),
        (q) => {
          const kind = /from "care_alerts"/.test(q)
            ? 'alerts in scope'
            : /from "care_responses"/.test(q)
              ? 'an alert’s response'
              : /from "care_scales"/.test(q)
                ? 'its scale'
                : 'other';
          if (seenKinds.has(kind)) return null;
          seenKinds.add(kind);
          return kind;
        },
        log,
        N.statement,
      );

      // 500 alerts acknowledged through the service, the oldest first: each opens a case due today.
      const toAck = (
        await db
          .selectFrom('care_alerts')
          .select('id')
          .where('status', '=', 'open')
          .orderBy('id')
          .limit(ACKS)
          .execute()
      ).map((r) => r.id);
      const ackMs = await sample(toAck.length, 0, (i) => care.acknowledge(counsellor, toAck[i]!));
      const acks = {
        n: toAck.length,
        ms: Math.round(ackMs.reduce((a, b) => a + b, 0)),
        latencyMs: summarize(ackMs),
        openAfter: await countOf(db, 'care_alerts', 'open'),
      };
      log(`  ${acks.n} alerts acknowledged: p50 ${acks.latencyMs.p50} ms, p95 ${acks.latencyMs.p95} ms`);
      if (database.dialect === 'postgres')
        await sql`vacuum (analyze) care_alerts, care_cases, live_counters`.execute(db);

      const casesRead = await read('/api/care/cases?due=1', counsellorCookie, N.cases);
      log(
        `  GET /api/care/cases?due=1: p50 ${casesRead.apiMs.p50} ms, p95 ${casesRead.apiMs.p95} ms (${casesRead.items} of ${casesRead.total})`,
      );

      const statsRead = await read('/api/care/stats', commanderCookie, N.stats);
      const commander = await ctxOf('commander');
      const statsServiceMs = summarize(await sample(N.service, 3, () => care.stats(commander, {})));
      const districtStats = await care.stats(commander, {});
      log(
        `  GET /api/care/stats: p50 ${statsRead.apiMs.p50} ms, p95 ${statsRead.apiMs.p95} ms; service p50 ${statsServiceMs.p50} ms`,
      );
      log('  statistics, statement by statement:');
      const statsStatements = await explainCall(
        database,
        (x) => createCareService({ db: x, pii }).stats(commander, {}),
        (q) => {
          const t = /from "(care_\w+)"/.exec(q)?.[1];
          if (!t) return null;
          return /crisis/.test(q) ? `${t} (crisis)` : /"status"/.test(q) ? `${t} (open)` : t;
        },
        log,
        N.statement,
      );
      agent.destroy();
      const afterReads = await memory();
      return {
        people,
        seedSeconds,
        observation: { created: made.created, skipped: made.skipped, ms: Math.round(observationMs) },
        links,
        submit,
        alerts: {
          ...alertsRead,
          serviceMs: alertsServiceMs,
          statementsPerCall,
          statements: alertStatements,
        },
        acks,
        cases: casesRead,
        stats: {
          ...statsRead,
          serviceMs: statsServiceMs,
          statements: statsStatements,
          districtSubmitted: districtStats.totals.submitted,
        },
        server: { started, afterSubmits, afterReads },
        rssMb: { start: rssStart, end: rssMb() },
        loadAverage: [...loadAverage, loadNow()],
      };
    } finally {
      await server.close();
    }
  } finally {
    await cleanup();
  }
}

const goalMs = (s: Summary, goal: number) => cell.goal(s.p95 <= goal, `${cell.ms(s.p95 - goal)} ms`);
const statement = (xs: StatementFigures[], label: string) => {
  const s = xs.find((x) => x.label === label);
  return s ? `${s.ms.p50.toFixed(2)} (${s.kind})` : '—';
};
const BANDS = ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'];

export const care: Workload = {
  summary: `psychological care: ${PEOPLE.toLocaleString('en')} residents in observation sent a PHQ-9 link (sendLink), all submitted over the public route ${CONCURRENCY} at once (1 in 10 a crisis alert), the counsellor's alerts and due cases, the district's statistics; RSS`,
  usage:
    '[--pg | --no-pg | --no-sqlite]   (env BENCH_CARE_PEOPLE overrides the 20,000 people, BENCH_CARE_CONCURRENCY the 16 submitters, BENCH_CARE_ACKS the 500 acknowledged)',
  run: (args, log) =>
    runSideBySide(
      'care',
      args,
      log,
      measure,
      [
        ['people in the registry; seed, s', (r) => `${cell.count(r.people)}; ${r.seedSeconds}`],
        [
          'put in home observation (orderMany, untimed), s',
          (r) =>
            `${cell.count(r.observation.created + r.observation.skipped)}, ${(r.observation.ms / 1000).toFixed(1)}`,
        ],
        [
          `(1) PHQ-9 links sent one at a time (sendLink), s`,
          (r) => `${cell.count(r.links.n)} in ${(r.links.ms / 1000).toFixed(1)}`,
        ],
        [
          '    links/s; a link p50 / p95, ms',
          (r) => `${cell.count(r.links.perSecond)}; ${cell.p50p95(r.links.latencyMs)}`,
        ],
        [
          `(2) submissions/s, POST /api/public/scales/:token, ${CONCURRENCY} at once (goal ≥ ${GOAL.submitsPerSecond})`,
          (r) =>
            `${cell.count(r.submit.perSecond)} (${cell.count(r.submit.n)} in ${(r.submit.ms / 1000).toFixed(1)} s)`,
        ],
        [
          '    goal',
          (r) =>
            cell.goal(
              r.submit.perSecond >= GOAL.submitsPerSecond,
              `${cell.count(GOAL.submitsPerSecond - r.submit.perSecond)}/s`,
            ),
        ],
        [
          `    latency p50 / p95, ms (goal p95 ≤ ${GOAL.submitP95Ms})`,
          (r) => cell.p50p95(r.submit.latencyMs),
        ],
        ['    goal', (r) => goalMs(r.submit.latencyMs, GOAL.submitP95Ms)],
        [
          `    ${SOLO} one at a time through the service in-process p50 / p95, ms`,
          (r) => cell.p50p95(r.submit.soloMs),
        ],
        [
          '    Kysely statements a submission (with an alert); of its mean ms, in them',
          (r) =>
            `${r.submit.statements.plain} (${r.submit.statements.crisis}); ${r.submit.inStatementsMs} of ${r.submit.timedMeanMs.toFixed(2)}`,
        ],
        [
          '    its costliest statements, ms a submission',
          (r) =>
            r.submit.breakdown
              .slice(0, 3)
              .map((b) => `${b.label} ${b.msPerSubmit.toFixed(2)}`)
              .join(', '),
        ],
        [
          '    bands sent: minimal / mild / moderate / mod. severe / severe',
          (r) => BANDS.map((b) => cell.count(r.submit.bands[b] ?? 0)).join(' / '),
        ],
        [
          '    responses (crisis) stored = sent; open alerts',
          (r) =>
            `${r.submit.same ? 'yes' : 'NO'}: ${cell.count(r.submit.responses)} (${cell.count(r.submit.crisisResponses)}); ${cell.count(r.submit.openAlerts)}`,
        ],
        [
          `(3) GET /api/care/alerts p50 / p95, ms (goal p95 ≤ ${GOAL.alertsP95Ms})`,
          (r) => cell.p50p95(r.alerts.apiMs),
        ],
        ['    goal', (r) => goalMs(r.alerts.apiMs, GOAL.alertsP95Ms)],
        ['    items listed; answer, KB', (r) => `${r.alerts.items}; ${Math.round(r.alerts.bytes / 1024)}`],
        [
          '    through the service in-process p50 / p95, ms; statements a call',
          (r) => `${cell.p50p95(r.alerts.serviceMs)}; ${r.alerts.statementsPerCall}`,
        ],
        [
          '    statement p50, ms: alerts in scope / a response / its scale',
          (r) =>
            ['alerts in scope', 'an alert’s response', 'its scale']
              .map((l) => statement(r.alerts.statements, l))
              .join(' / '),
        ],
        [
          `    ${ACKS} acknowledged through the service: p50 / p95, ms`,
          (r) => `${cell.p50p95(r.acks.latencyMs)} (${cell.count(r.acks.openAfter)} left open)`,
        ],
        [
          `    GET /api/care/cases?due=1 p50 / p95, ms (goal p95 ≤ ${GOAL.casesP95Ms})`,
          (r) => `${cell.p50p95(r.cases.apiMs)} (${r.cases.items} of ${cell.count(r.cases.total ?? 0)})`,
        ],
        ['    goal', (r) => goalMs(r.cases.apiMs, GOAL.casesP95Ms)],
        [
          `    GET /api/care/stats as the district's commander p50 / p95, ms (goal p95 ≤ ${GOAL.statsP95Ms})`,
          (r) => cell.p50p95(r.stats.apiMs),
        ],
        ['    goal', (r) => goalMs(r.stats.apiMs, GOAL.statsP95Ms)],
        [
          '    through the service p50 / p95, ms; district submitted',
          (r) => `${cell.p50p95(r.stats.serviceMs)}; ${String(r.stats.districtSubmitted)}`,
        ],
        [
          '    statement p50, ms: links / responses / crisis / open alerts / open cases',
          (r) =>
            [
              'care_links',
              'care_responses',
              'care_responses (crisis)',
              'care_alerts (open)',
              'care_cases (open)',
            ]
              .map((l) => r.stats.statements.find((x) => x.label === l)?.ms.p50.toFixed(2) ?? '—')
              .join(' / '),
        ],
        [
          '(4) server RSS: started / after submissions / after reads, MB',
          (r) => `${r.server.started} / ${r.server.afterSubmits} / ${r.server.afterReads}`,
        ],
        ['load average (1 min): start, links, submissions, reads, end', (r) => r.loadAverage.join(', ')],
        ['this process RSS: start / end, MB', (r) => `${r.rssMb.start} / ${r.rssMb.end}`],
      ],
      { people: PEOPLE, concurrency: CONCURRENCY, submitWarmup: WARMUP, acks: ACKS, ...N },
    ),
};
