// The screening workload, its home-observation half (issue 16; the sweeps join it with their module):
// the district-scale demo with its 700,000 residents, then home observation ordered for 100,000 of
// them at once through the observation service (`orderMany`: 14 days each, 1.4 million follow-up rows,
// their counters), timed; then the district's observation figures over HTTP from the server in its
// own process (`GET /api/observations/stats`, the commander) against a naive GROUP BY over the orders
// and follow-ups in the same run, the two compared; the server's RSS.
import { sql } from 'kysely';
import { localDate } from '../common/worktime.js';
import type { ObservationStats } from '../common/contracts/observations.js';
import { subtreeRange } from '../server/db/dialect.js';
import type { DB } from '../server/db/index.js';
import { nowIso } from '../server/db/index.js';
import { createObservationService } from '../server/modules/observation/index.js';
import { createSession, loadActor } from '../server/platform/auth.js';
import { startBenchServer } from './child-server.js';
import type { ServerMemory } from './app-server.js';
import { cell, rssMb, sample, summarize, type Summary, type Workload } from './lib.js';
import { AUDIT_KEY, ratio, runSideBySide, seedDistrict, type Opened } from './targets.js';

const PASSWORD = 'bench-password-330112';
/** Orders made at once, and their days: the 100k orders × 14 days. */
const ORDERS = Number(process.env.BENCH_OBSERVATION_ORDERS ?? 100_000);
const DAYS = 14;
const N = { stats: 200, naive: 10 };
const GOAL = { generateSeconds: 30, statsP95Ms: 50 };

interface TargetResult {
  people: number;
  seedSeconds: number;
  generate: { orders: number; followUps: number; ms: number; ordersPerSecond: number; rowsPerSecond: number };
  stats: {
    apiMs: Summary;
    naiveMs: Summary;
    ratioP95: number;
    same: boolean;
    active: number;
    dueToday: number;
  };
  serverRssMb: { started: number; afterStats: number };
  benchRssMb: number;
}

const mb = (b: number) => Math.round((b / 1_048_576) * 10) / 10;

/** The district's and each town's figures the long way: counts over the orders and days by path range. */
async function naiveStats(db: DB, today: string) {
  const towns = await db
    .selectFrom('nodes')
    .select(['id', 'path', 'level'])
    .where('level', 'in', ['district', 'town'])
    .orderBy('path')
    .execute();
  const out = new Map<number, { active: number; dueToday: number }>();
  for (const t of towns) {
    const [lo, hi] = subtreeRange(t.path);
    const a = await sql<{ n: number }>`select count(*) as n from observation_orders
      where status = 'active' and node_path >= ${lo} and node_path < ${hi}`.execute(db);
    const d = await sql<{ n: number }>`select count(*) as n from observation_follow_ups f
      inner join observation_orders o on o.id = f.order_id
      where f.date = ${today} and f.status = 'due' and o.status = 'active'
        and f.node_path >= ${lo} and f.node_path < ${hi}`.execute(db);
    out.set(t.id, { active: Number(a.rows[0]!.n), dueToday: Number(d.rows[0]!.n) });
  }
  return out;
}

async function measure(open: () => Promise<Opened>, log: (s: string) => void): Promise<TargetResult> {
  const opened = await open();
  const { database, cleanup, schema } = opened;
  const { db } = database;
  try {
    const t0 = performance.now();
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

    // (a) 100,000 orders at once, spread over the district (every seventh resident), as the admin.
    const step = Math.max(1, Math.floor(people / ORDERS));
    const ids = (
      await db
        .selectFrom('persons')
        .select('id')
        .where('merged_into_id', 'is', null)
        .where(sql<boolean>`id % ${step} = 0`)
        .orderBy('id')
        .limit(ORDERS)
        .execute()
    ).map((r) => r.id);
    const adminId = (
      await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
    ).id;
    const actor = await loadActor(db, adminId, 'session');
    if (!actor) throw new Error('the admin cannot act');
    const svc = createObservationService({ db, pii });
    const today = localDate(nowIso());
    const g0 = performance.now();
    const made = await svc.orderMany(
      { actor, requestId: 'bench-observation' },
      { personIds: ids, startDate: today, days: DAYS, reason: '重点地区返回人员' },
    );
    const genMs = performance.now() - g0;
    // The demo's own orders (the grid worker's grid) may include a few of them: skipped, as the service does.
    if (made.created + made.skipped !== ids.length)
      throw new Error(`made ${made.created} orders of ${ids.length} (${made.skipped} skipped)`);
    const followUps = made.created * DAYS;
    log(`  ${made.created} orders with ${followUps} follow-up days in ${(genMs / 1000).toFixed(1)} s`);
    if (database.dialect === 'postgres')
      await sql`vacuum (analyze) observation_orders, observation_follow_ups, live_counters`.execute(db);

    // (b) The district's figures through the API, as the district's commander, against the naive count.
    const server = await startBenchServer('bench/app-server.ts', {
      dataDir: opened.config.dataDir,
      databaseUrl: opened.config.databaseUrl,
      schema: opened.schema,
      piiKey,
      auditKey: AUDIT_KEY,
    });
    try {
      const memory = async () => mb((await server.ask<ServerMemory>({ type: 'memory' }, 'memory')).raw.rss);
      const started = await memory();
      const commanderId = (
        await db
          .selectFrom('users')
          .select('id')
          .where('username', '=', 'commander')
          .executeTakeFirstOrThrow()
      ).id;
      const s = await createSession(db, commanderId, 12, {});
      const cookie = `linli_session=${s.token}; csrf=${s.csrfToken}`;
      const get = async () => {
        const res = await fetch(`${server.base}/api/observations/stats`, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`stats ${res.status}: ${await res.text()}`);
        return (await res.json()) as ObservationStats;
      };
      const apiMs = summarize(await sample(N.stats, 20, get));
      const naiveMs = summarize(await sample(N.naive, 1, () => naiveStats(db, today)));
      const api = await get();
      const naive = await naiveStats(db, today);
      const same =
        naive.get(api.node.id)?.active === api.figures.active &&
        naive.get(api.node.id)?.dueToday === api.figures.dueToday &&
        api.children.every(
          (c) =>
            naive.get(c.id)?.active === c.figures.active && naive.get(c.id)?.dueToday === c.figures.dueToday,
        );
      if (!same) log('  the figures and the naive count disagree');
      log(`  district figures: p95 ${apiMs.p95} ms (naive ${naiveMs.p95} ms)`);
      return {
        people,
        seedSeconds,
        generate: {
          orders: made.created,
          followUps,
          ms: Math.round(genMs),
          ordersPerSecond: Math.round((made.created / genMs) * 1000),
          rowsPerSecond: Math.round((followUps / genMs) * 1000),
        },
        stats: {
          apiMs,
          naiveMs,
          ratioP95: ratio(naiveMs.p95, apiMs.p95),
          same,
          active: Number(api.figures.active),
          dueToday: Number(api.figures.dueToday),
        },
        serverRssMb: { started, afterStats: await memory() },
        benchRssMb: rssMb(),
      };
    } finally {
      await server.close();
    }
  } finally {
    await cleanup();
  }
}

export const screening: Workload = {
  summary:
    'district demo with 700k residents; home observation for 100k of them at once (14 days each), the district’s observation figures via API vs a naive GROUP BY, server RSS (SQLite, and PostgreSQL when reachable)',
  usage: '[--pg | --no-pg | --no-sqlite]   (env BENCH_OBSERVATION_ORDERS overrides the 100,000 orders)',
  async run(args, log) {
    return runSideBySide(
      'screening',
      args,
      log,
      measure,
      [
        ['people in the registry', (r) => cell.count(r.people)],
        ['seed, s', (r) => String(r.seedSeconds)],
        [
          `(a) ${ORDERS.toLocaleString('en')} orders × ${DAYS} days, s (goal ≤ ${GOAL.generateSeconds})`,
          (r) =>
            `${(r.generate.ms / 1000).toFixed(1)} ${r.generate.ms / 1000 <= GOAL.generateSeconds ? '(met)' : '(missed)'}`,
        ],
        [
          '    orders/s, follow-up rows/s',
          (r) => `${cell.count(r.generate.ordersPerSecond)} / ${cell.count(r.generate.rowsPerSecond)}`,
        ],
        [
          `(b) district figures p50 / p95, ms (goal p95 ≤ ${GOAL.statsP95Ms})`,
          (r) =>
            `${cell.p50p95(r.stats.apiMs)} ${r.stats.apiMs.p95 <= GOAL.statsP95Ms ? '(met)' : '(missed)'}`,
        ],
        ['    naive GROUP BY p50 / p95, ms', (r) => cell.p50p95(r.stats.naiveMs)],
        ['    naive ÷ counters, p95', (r) => `${r.stats.ratioP95}×`],
        [
          '    same figures (active, due today)',
          (r) => (r.stats.same ? `yes (${r.stats.active}, ${r.stats.dueToday})` : 'NO'),
        ],
        ['server RSS started / after, MB', (r) => `${r.serverRssMb.started} / ${r.serverRssMb.afterStats}`],
      ],
      { orders: ORDERS, days: DAYS, stats: N.stats, naive: N.naive },
    );
  },
};
