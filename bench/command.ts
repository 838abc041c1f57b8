// The command workload: the district tree with its demo command, a large volume of cases and
// directive targets (bulk-loaded with the counters they imply), then over real HTTP:
// (a) the district's cockpit through the API (maintained counters) against the same figures by a
// naive GROUP BY over cases, targets and daily reports, checked equal; (b) a directive to every grid
// delivered over SSE to 2,000 connected clients (one per grid worker, the rest commanders), in a
// process of their own, with each client's delivery latency; (c) the server's memory. The server runs
// in a process of its own (bench/app-server.ts), started on the loaded database, so its memory is
// not mixed with what the bulk loader left behind in this one.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { sql } from 'kysely';
import { ancestorPaths } from '../common/tree.js';
import { localDate } from '../common/worktime.js';
import type { CockpitResponse } from '../common/contracts/command.js';
import { migrateToLatest, type DB } from '../server/db/index.js';
import { seedDemo } from '../server/demo/index.js';
import { ensureBuiltinRoles, newUserRow } from '../server/modules/accounts/index.js';
import { createSession } from '../server/platform/auth.js';
import { startBenchServer } from './child-server.js';
import type { ServerMemory } from './app-server.js';
import { loadEvents } from './events.js';
import { cell, prng, sample, summarize, type Summary, type Workload } from './lib.js';
import { ratio, runSideBySide, type DialectName, type Opened } from './targets.js';

const PASSWORD = 'bench-password-330112';
// BENCH_COMMAND_EVENTS / BENCH_COMMAND_DIRECTIVES / BENCH_SSE_CLIENTS override the volume for a quick look.
const EVENTS = Number(process.env.BENCH_COMMAND_EVENTS ?? 300_000);
const DIRECTIVES = Number(process.env.BENCH_COMMAND_DIRECTIVES ?? 400);
const CLIENTS = Number(process.env.BENCH_SSE_CLIENTS ?? 2000);
const N = { cockpit: 200, naive: 10 };
/** The acceptance goal for the server's resident memory with every client connected. */
const RSS_GOAL_MB = 400;
const HOUR = 3_600_000;
const OPEN = [
  'reported',
  'accepted',
  'dispatched',
  'returned',
  'in_progress',
  'extension_requested',
  'parked',
  'handled',
  'reopened',
];

type Latency = Summary & { p99: number };
interface TargetResult {
  dialect: DialectName;
  where: string;
  seed: {
    ms: number;
    events: number;
    openEvents: number;
    directives: number;
    targets: number;
    counterRows: number;
  };
  cockpit: {
    apiMs: Summary;
    naiveMs: Summary;
    naiveOverApiP50: number;
    naiveOverApiP95: number;
    same: boolean;
  };
  sse: {
    clients: number;
    connected: number;
    received: number;
    errors: number;
    connectMs: number;
    issueMs: number;
    latencyMs: Latency;
  };
  /** The bench process after the bulk load, in MB: the loader's memory, not the server's. */
  loader: MemoryMb;
  /** The server's process, in MB: `raw` as the system sees it, `live` after a full GC. */
  server: Record<ServerPhase, { raw: MemoryMb; live: MemoryMb; streams: number }>;
}

type ServerPhase = 'started' | 'beforeClients' | 'clientsIdle' | 'afterDelivery' | 'clientsGone';
interface MemoryMb {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}
const mb = (m: NodeJS.MemoryUsage): MemoryMb => {
  const r = (x: number) => Math.round((x / 1_048_576) * 10) / 10;
  return {
    rss: r(m.rss),
    heapTotal: r(m.heapTotal),
    heapUsed: r(m.heapUsed),
    external: r(m.external),
    arrayBuffers: r(m.arrayBuffers),
  };
};

/** Adds to counters of a node path and its ancestors, in memory, as bumpCounters would in the database. */
function addCounters(into: Map<string, number>, nodePath: string, deltas: Record<string, number>) {
  for (const [metric, v] of Object.entries(deltas))
    if (v !== 0)
      for (const p of ancestorPaths(nodePath))
        into.set(`${metric} ${p}`, (into.get(`${metric} ${p}`) ?? 0) + v);
}
async function writeCounters(db: DB, sums: Map<string, number>) {
  const rows = [...sums].map(([k, value]) => {
    const [metric, node_path] = k.split(' ') as [string, string];
    return { command_id: 0, metric, node_path, value };
  });
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('live_counters')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['command_id', 'metric', 'node_path']).doUpdateSet((eb) => ({
          value: sql<number>`${eb.ref('live_counters.value')} + ${eb.ref('excluded.value')}`,
        })),
      )
      .execute();
  return rows.length;
}

/** Directives from the district and the towns to a level, with targets in every state: what months of command leave. */
async function loadDirectives(db: DB, sums: Map<string, number>) {
  const r = prng(20_200_301);
  const nodes = await db
    .selectFrom('nodes')
    .select(['id', 'path', 'level'])
    .where('retired_at', 'is', null)
    .execute();
  const district = nodes.find((n) => n.level === 'district')!;
  const towns = nodes.filter((n) => n.level === 'town');
  const user = (
    await db.selectFrom('users').select('id').where('username', '=', 'commander').executeTakeFirstOrThrow()
  ).id;
  const now = Date.now();
  let targets = 0;
  for (let i = 0; i < DIRECTIVES; i++) {
    const fromTown = i % 3 === 2;
    const issuer = fromTown ? towns[r(towns.length)]! : district;
    const level = (['grid', 'village', 'town'] as const)[i % 3 === 2 ? r(2) : r(3)]!;
    const at = now - r(60 * 24) * HOUR;
    const signDue = at + 4 * HOUR;
    const reportDue = at + 48 * HOUR;
    const under = nodes.filter(
      (n) => n.level === level && n.path.startsWith(issuer.path) && n.path !== issuer.path,
    );
    if (under.length === 0) continue;
    await db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('directives')
        .values({
          command_id: null,
          parent_id: null,
          parent_target_id: null,
          root_id: null,
          depth: 0,
          issuer_node_id: issuer.id,
          issuer_node_path: issuer.path,
          issued_by_user_id: user,
          title: `基准指令${i}`,
          body: '基准',
          priority: 'normal',
          sign_due_at: new Date(signDue).toISOString(),
          report_due_at: new Date(reportDue).toISOString(),
          target_kind: 'level',
          target_level: level,
          target_count: under.length,
          created_at: new Date(at).toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.updateTable('directives').set({ root_id: id }).where('id', '=', id).execute();
      // Older ones mostly done; recent ones mostly waiting; some late.
      const age = (now - at) / (24 * HOUR);
      const rows = under.map((n) => {
        const roll = r(100) / 100;
        const state =
          roll < Math.min(0.9, age / 10) ? 'reported' : roll < Math.min(0.95, age / 5) ? 'signed' : 'pending';
        const overdue =
          (state === 'pending' && signDue < now) || (state !== 'reported' && reportDue < now) ? 1 : 0;
        addCounters(sums, n.path, {
          [`directives.unsigned.${level}`]: state === 'pending' ? 1 : 0,
          [`directives.unreported.${level}`]: state === 'signed' ? 1 : 0,
          [`directives.overdue.${level}`]: overdue,
        });
        const iso = new Date(at).toISOString();
        return {
          directive_id: id,
          root_id: id,
          command_id: null,
          node_id: n.id,
          node_path: n.path,
          node_level: level,
          state,
          overdue,
          sign_due_at: new Date(signDue).toISOString(),
          report_due_at: new Date(reportDue).toISOString(),
          signed_at: state === 'pending' ? null : iso,
          signed_by_user_id: null,
          reported_at: state === 'reported' ? iso : null,
          reported_by_user_id: null,
          report_text: state === 'reported' ? '完成' : null,
          report_figures: null,
          sign_escalated_at: overdue ? iso : null,
          report_escalated_at: null,
          reminded_at: null,
          relay_id: null,
          created_at: iso,
          updated_at: iso,
        };
      });
      for (let k = 0; k < rows.length; k += 500)
        await trx
          .insertInto('directive_targets')
          .values(rows.slice(k, k + 500))
          .execute();
      targets += rows.length;
    });
  }
  return targets;
}

/** The cockpit's figures of the district and its towns straight from the records: what the counters save. */
async function naiveCockpit(db: DB, nowIso: string) {
  const towns = sql`(select id, path, substr(path, 1, length(path) - 1) || '0' as hi from nodes where level = 'town')`;
  const today = localDate(nowIso);
  const [events, targets, reports, expected] = await Promise.all([
    sql<{ town: number; open: number; overdue: number }>`
      select t.id as town, sum(case when e.state in (${sql.join(OPEN)}) then 1 else 0 end) as open, sum(case when e.due_at < ${nowIso} then 1 else 0 end) as overdue
      from events e join ${towns} t on e.node_path >= t.path and e.node_path < t.hi group by t.id`.execute(
      db,
    ),
    sql<{ town: number; level: string; state: string; overdue: number; n: number }>`
      select t.id as town, d.node_level as level, d.state, d.overdue, count(*) as n
      from directive_targets d join ${towns} t on d.node_path >= t.path and d.node_path < t.hi group by t.id, d.node_level, d.state, d.overdue`.execute(
      db,
    ),
    sql<{ town: number; n: number }>`
      select t.id as town, count(*) as n from report_submissions s join report_templates r on r.id = s.template_id join ${towns} t on s.node_path >= t.path and s.node_path < t.hi
      where s.day = ${today} and r.retired_at is null group by t.id`.execute(db),
    sql<{ town: number; n: number }>`
      select t.id as town, count(*) as n from report_templates r join nodes v on v.level = r.target_level and v.retired_at is null and v.path >= r.node_path and v.path < substr(r.node_path, 1, length(r.node_path) - 1) || '0'
      join ${towns} t on v.path >= t.path and v.path < t.hi where r.retired_at is null and r.start_day <= ${today} and (r.end_day is null or r.end_day >= ${today}) group by t.id`.execute(
      db,
    ),
  ]);
  const byTown = new Map<
    number,
    {
      eventsOpen: number;
      eventsOverdue: number;
      unsigned: number;
      unreported: number;
      overdue: number;
      submitted: number;
      expected: number;
    }
  >();
  const of = (town: number) =>
    byTown.get(town) ??
    byTown
      .set(town, {
        eventsOpen: 0,
        eventsOverdue: 0,
        unsigned: 0,
        unreported: 0,
        overdue: 0,
        submitted: 0,
        expected: 0,
      })
      .get(town)!;
  for (const e of events.rows)
    Object.assign(of(e.town), { eventsOpen: Number(e.open), eventsOverdue: Number(e.overdue) });
  for (const x of targets.rows) {
    const o = of(x.town);
    if (x.state === 'pending') o.unsigned += Number(x.n);
    if (x.state === 'signed') o.unreported += Number(x.n);
    if (Number(x.overdue) === 1) o.overdue += Number(x.n);
  }
  for (const x of reports.rows) of(x.town).submitted = Number(x.n);
  for (const x of expected.rows) of(x.town).expected = Number(x.n);
  return byTown;
}

function sameFigures(api: CockpitResponse, naive: Awaited<ReturnType<typeof naiveCockpit>>): boolean {
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  return api.children.every((c) => {
    const n = naive.get(c.node.id) ?? {
      eventsOpen: 0,
      eventsOverdue: 0,
      unsigned: 0,
      unreported: 0,
      overdue: 0,
      submitted: 0,
      expected: 0,
    };
    const f = c.figures;
    return (
      f.eventsOpen === n.eventsOpen &&
      f.eventsOverdue === n.eventsOverdue &&
      sum(f.directivesUnsigned) === n.unsigned &&
      sum(f.directivesUnreported) === n.unreported &&
      sum(f.directivesOverdue) === n.overdue &&
      f.reportsSubmitted === n.submitted &&
      f.reportsExpected === n.expected
    );
  });
}

/** Starts the SSE clients' process and resolves once every stream is open. */
function startClients(url: string, cookies: string[]) {
  const cfg = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'linli-sse-')), 'clients.json');
  fs.writeFileSync(cfg, JSON.stringify({ url, cookies, kind: 'directive.issued' }));
  const child = spawn(process.execPath, [path.resolve('bench/sse-clients.mjs'), cfg], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      lines.once('line', (l) => resolve(JSON.parse(l) as Record<string, unknown>));
      child.once('exit', (code) => reject(new Error(`SSE clients exited (${code})`)));
    });
  return { child, next, cleanup: () => fs.rmSync(path.dirname(cfg), { recursive: true, force: true }) };
}

/** Starts the app in its own process on the loaded database (as `npm start` runs it, under tsx). */
async function startServer(opened: Opened) {
  const server = await startBenchServer('bench/app-server.ts', {
    dataDir: opened.config.dataDir,
    databaseUrl: opened.config.databaseUrl,
    schema: opened.schema,
  });
  return {
    base: server.base,
    memory: async () => {
      const m = await server.ask<ServerMemory>({ type: 'memory' }, 'memory');
      return { raw: mb(m.raw), live: mb(m.live), streams: m.streams };
    },
    close: server.close,
  };
}

async function measure(open: () => Promise<Opened>, log: (s: string) => void): Promise<TargetResult> {
  const opened = await open();
  const { database, where, cleanup, schema } = opened;
  const { db } = database;
  try {
    const t0 = performance.now();
    await migrateToLatest(db, schema);
    await ensureBuiltinRoles(db);
    // The tree, accounts, departments, the demo command with its directives and the daily report.
    await seedDemo(db, { scale: 'district', password: PASSWORD });
    log(`  seeded the district with its demo command; loading ${EVENTS} cases and ${DIRECTIVES} directives…`);
    await loadEvents(db, log, EVENTS);
    const sums = new Map<string, number>();
    // The bulk-loaded cases bypassed the service: their open counts are written as intake would have.
    const openRows = await db
      .selectFrom('events')
      .select(['node_path', (eb) => eb.fn.countAll<number>().as('n')])
      .where('state', 'in', OPEN)
      .groupBy('node_path')
      .execute();
    await db.deleteFrom('live_counters').where('metric', '=', 'events.open').execute();
    for (const row of openRows) addCounters(sums, row.node_path, { 'events.open': Number(row.n) });
    const targets = await loadDirectives(db, sums);
    const counterRows = await writeCounters(db, sums);
    if (database.dialect === 'postgres')
      await sql`vacuum (analyze) events, directive_targets, live_counters, report_submissions`.execute(db);
    const seedMs = performance.now() - t0;
    const loader = mb(process.memoryUsage());
    const openEvents = openRows.reduce((a, x) => a + Number(x.n), 0);
    log(
      `  loaded in ${(seedMs / 1000).toFixed(1)} s: ${openEvents} open cases, ${targets} directive targets`,
    );

    const server = await startServer(opened);
    const { base } = server;
    const memory: Partial<TargetResult['server']> = { started: await server.memory() };
    let cockpit: TargetResult['cockpit'];
    let sse: TargetResult['sse'];
    try {
      const commanderId = (
        await db
          .selectFrom('users')
          .select('id')
          .where('username', '=', 'commander')
          .executeTakeFirstOrThrow()
      ).id;
      const s = await createSession(db, commanderId, 12, {});
      const cookie = `linli_session=${s.token}; csrf=${s.csrfToken}`;
      const headers = { cookie, 'x-csrf-token': s.csrfToken, 'content-type': 'application/json' };

      // (a) The district's cockpit: the API against the naive GROUP BY, and their figures compared.
      const get = async () => {
        const res = await fetch(`${base}/api/cockpit`, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`cockpit ${res.status}: ${await res.text()}`);
        return (await res.json()) as CockpitResponse;
      };
      const apiMs = summarize(await sample(N.cockpit, 10, get));
      const naiveMs = summarize(await sample(N.naive, 1, () => naiveCockpit(db, new Date().toISOString())));
      const same = sameFigures(await get(), await naiveCockpit(db, new Date().toISOString()));
      if (!same) log('  the cockpit and the naive query disagree');
      cockpit = {
        apiMs,
        naiveMs,
        naiveOverApiP50: ratio(naiveMs.p50, apiMs.p50),
        naiveOverApiP95: ratio(naiveMs.p95, apiMs.p95),
        same,
      };
      log(`  cockpit: API p95 ${apiMs.p95} ms, naive p50 ${naiveMs.p50} ms`);

      // (b) SSE: a grid worker signed in at every grid, commanders for the rest, each on its own connection.
      const grids = await db
        .selectFrom('nodes')
        .select(['id'])
        .where('level', '=', 'grid')
        .where('retired_at', 'is', null)
        .execute();
      const role = (
        await db.selectFrom('roles').select('id').where('code', '=', 'grid_worker').executeTakeFirstOrThrow()
      ).id;
      const now = new Date().toISOString();
      const cookies: string[] = [];
      for (const [i, g] of grids.slice(0, CLIENTS).entries()) {
        // Signed in by a session row: 972 argon2 logins would measure the password hash, not the stream.
        const { id } = await db
          .insertInto('users')
          .values(newUserRow(`bench_gw${i}`, `基准网格员${i}`, 'x', now))
          .returning('id')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('role_assignments')
          .values({ user_id: id, role_id: role, node_id: g.id, created_at: now })
          .execute();
        cookies.push(`linli_session=${(await createSession(db, id, 12, {})).token}`);
      }
      while (cookies.length < CLIENTS)
        cookies.push(`linli_session=${(await createSession(db, commanderId, 12, {})).token}`);
      // The cockpit runs leave garbage that the first GC frees and V8 hands back to the system only
      // lazily: a second reading a moment after that GC is the baseline the streams are added to.
      await server.memory();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      memory.beforeClients = await server.memory();
      const t1 = performance.now();
      const clients = startClients(`${base}/api/stream`, cookies);
      try {
        const ready = await clients.next();
        const connectMs = performance.now() - t1;
        memory.clientsIdle = await server.memory();
        log(
          `  ${String(ready.ready)} SSE clients connected in ${(connectMs / 1000).toFixed(1)} s; issuing a directive to ${grids.length} grids…`,
        );
        const district = (
          await db.selectFrom('nodes').select('id').where('level', '=', 'district').executeTakeFirstOrThrow()
        ).id;
        const result = clients.next();
        const issuedAt = performance.timeOrigin + performance.now();
        const res = await fetch(`${base}/api/directives`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            issuerNodeId: district,
            title: '基准：全区网格排查',
            body: '各网格立即排查',
            targets: { kind: 'level', level: 'grid', within: [district] },
            signDueAt: new Date(Date.now() + 2 * HOUR).toISOString(),
            reportDueAt: new Date(Date.now() + 24 * HOUR).toISOString(),
          }),
        });
        if (res.status !== 201) throw new Error(`issue ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        const issueMs = performance.timeOrigin + performance.now() - issuedAt;
        clients.child.stdin.write('go\n');
        const out = (await result) as { received: number[]; connected: number; errors: number };
        memory.afterDelivery = await server.memory();
        const latencies = out.received.map((x) => x - issuedAt);
        const sorted = [...latencies].sort((a, b) => a - b);
        const p99 =
          Math.round((sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)] ?? Number.NaN) * 1000) / 1000;
        sse = {
          clients: CLIENTS,
          connected: out.connected,
          received: out.received.length,
          errors: out.errors,
          connectMs: Math.round(connectMs),
          issueMs: Math.round(issueMs),
          latencyMs: { ...summarize(latencies), p99 },
        };
        log(
          `  delivered to ${out.received.length}/${CLIENTS}: p50 ${sse.latencyMs.p50} ms, p99 ${p99} ms (the POST itself ${sse.issueMs} ms)`,
        );
      } finally {
        // The clients' process exits by itself once every stream has its update.
        const gone =
          clients.child.exitCode !== null || clients.child.signalCode !== null
            ? Promise.resolve()
            : new Promise((resolve) => clients.child.once('exit', resolve));
        clients.child.kill();
        clients.cleanup();
        await gone;
      }
      // The server sees the sockets close a moment after the clients' process is gone.
      for (let i = 0; i < 50 && (await server.memory()).streams > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      memory.clientsGone = await server.memory();
    } finally {
      await server.close();
    }
    return {
      dialect: database.dialect,
      where,
      seed: {
        ms: Math.round(seedMs),
        events: EVENTS,
        openEvents,
        directives: DIRECTIVES,
        targets,
        counterRows,
      },
      cockpit,
      sse,
      loader,
      server: memory as TargetResult['server'],
    };
  } finally {
    await cleanup();
  }
}

function tableRows(): [string, (r: TargetResult) => string][] {
  const { ms, p50p95: pp, count: k, goal } = cell;
  return [
    [
      'cases (open) / directive targets / counter rows',
      (r) =>
        `${k(r.seed.events)} (${k(r.seed.openEvents)}) / ${k(r.seed.targets)} / ${k(r.seed.counterRows)}`,
    ],
    ['load, s', (r) => (r.seed.ms / 1000).toFixed(1)],
    ['(a) district cockpit via API p50 / p95, ms (goal p95 ≤ 50)', (r) => pp(r.cockpit.apiMs)],
    ['    goal', (r) => goal(r.cockpit.apiMs.p95 <= 50, `${ms(r.cockpit.apiMs.p95 - 50)} ms`)],
    [`    naive GROUP BY p50 / p95, ms (n=${N.naive})`, (r) => pp(r.cockpit.naiveMs)],
    [
      '    naive ÷ API at p50 / p95 (goal ≥ 5×)',
      (r) => `${r.cockpit.naiveOverApiP50}× / ${r.cockpit.naiveOverApiP95}×`,
    ],
    ['    goal', (r) => goal(r.cockpit.naiveOverApiP95 >= 5, `${r.cockpit.naiveOverApiP95}×`)],
    ['    counters and naive agree', (r) => (r.cockpit.same ? 'yes' : 'NO')],
    [
      '(b) SSE clients connected / received the directive / errors',
      (r) => `${k(r.sse.connected)} / ${k(r.sse.received)} / ${r.sse.errors}`,
    ],
    ['    connect all, s', (r) => (r.sse.connectMs / 1000).toFixed(1)],
    ['    issue to every grid (the POST), ms', (r) => ms(r.sse.issueMs)],
    [
      '    delivery latency p50 / p95 / p99, ms (goal p99 ≤ 1,000)',
      (r) => `${ms(r.sse.latencyMs.p50)} / ${ms(r.sse.latencyMs.p95)} / ${ms(r.sse.latencyMs.p99)}`,
    ],
    [
      '    goal',
      (r) =>
        goal(
          r.sse.latencyMs.p99 <= 1000 && r.sse.received === r.sse.clients,
          `${ms(r.sse.latencyMs.p99 - 1000)} ms`,
        ),
    ],
    [
      '(c) server RSS (its own process): started / before clients / clients idle / after delivery / clients gone, MB',
      (r) =>
        (['started', 'beforeClients', 'clientsIdle', 'afterDelivery', 'clientsGone'] as const)
          .map((p) => r.server[p].raw.rss)
          .join(' / '),
    ],
    [
      `    RSS with every client connected, MB (goal ≤ ${RSS_GOAL_MB})`,
      (r) => `${withClientsRss(r)} (${k(r.server.clientsIdle.streams)} streams)`,
    ],
    [
      '    goal',
      (r) =>
        goal(
          withClientsRss(r) <= RSS_GOAL_MB && r.server.clientsIdle.streams === r.sse.clients,
          r.server.clientsIdle.streams === r.sse.clients
            ? `${(withClientsRss(r) - RSS_GOAL_MB).toFixed(1)} MB`
            : `${r.sse.clients - r.server.clientsIdle.streams} streams not open`,
        ),
    ],
    [
      '    clients idle: heap used / heap total / external / array buffers, MB',
      (r) => {
        const m = r.server.clientsIdle.raw;
        return `${m.heapUsed} / ${m.heapTotal} / ${m.external} / ${m.arrayBuffers}`;
      },
    ],
    [
      '    the streams: RSS growth / live heap growth, MB (per stream, KB)',
      (r) => {
        const { beforeClients: b, clientsIdle: i } = r.server;
        const n = Math.max(1, i.streams);
        const perKb = (x: number) => Math.round(((x * 1024) / n) * 10) / 10;
        const rss = Math.round((i.raw.rss - b.raw.rss) * 10) / 10;
        const heap = Math.round((i.live.heapUsed - b.live.heapUsed) * 10) / 10;
        return `${rss} / ${heap} (${perKb(rss)} / ${perKb(heap)})`;
      },
    ],
    [
      'the bench process after the load (the loader, not the server): RSS / heap used / external, MB',
      (r) => `${r.loader.rss} / ${r.loader.heapUsed} / ${r.loader.external}`,
    ],
  ];
}

/** The server's resident memory with every client connected: the larger of idle and just after the delivery. */
const withClientsRss = (r: TargetResult) =>
  Math.max(r.server.clientsIdle.raw.rss, r.server.afterDelivery.raw.rss);

export const command: Workload = {
  summary: `district with ${EVENTS.toLocaleString('en')} cases and ${DIRECTIVES} directives; cockpit via counters vs a naive GROUP BY; a directive to every grid over SSE to ${CLIENTS.toLocaleString('en')} clients; RSS`,
  usage:
    '[--pg | --no-pg]   (env BENCH_COMMAND_EVENTS, BENCH_COMMAND_DIRECTIVES, BENCH_SSE_CLIENTS change the volume)',
  run: (args, log) =>
    runSideBySide('command', args, log, measure, tableRows(), {
      ...N,
      events: EVENTS,
      directives: DIRECTIVES,
      clients: CLIENTS,
    }),
};
