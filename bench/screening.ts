// The screening workload (issue 16), in two halves on one district-scale demo with its 700,000
// residents. Home observation: ordered for 100,000 of them at once through the observation service
// (`orderMany`: 14 days each, 1.4 million follow-up rows, their counters), timed; then the district's
// observation figures over HTTP from the server in its own process (`GET /api/observations/stats`, the
// commander) against a naive GROUP BY over the orders and follow-ups in the same run, the two
// compared; the server's RSS. Sweeps: a sweep over the district's 160,000 floating residents created
// and assigned through the screening service (`create`: one target a person on its grid's list, the
// counters per grid and up the tree), timed; 40,000 visits recorded through `visit`, one after
// another; the sweep's progress at the district and at a town (`progress`, the commander) against a
// naive GROUP BY over the targets per town, and the same progress over HTTP; the server's RSS after.
import { sql } from 'kysely';
import { localDate } from '../common/worktime.js';
import type { ObservationStats } from '../common/contracts/observations.js';
import { subtreeRange } from '../server/db/dialect.js';
import type { DB } from '../server/db/index.js';
import { nowIso } from '../server/db/index.js';
import { createObservationService } from '../server/modules/observation/index.js';
import { createScreeningService, type ScreeningService } from '../server/modules/screening/index.js';
import type { Actor } from '../server/platform/actor.js';
import type { PiiCipher } from '../server/platform/pii.js';
import { createSession, loadActor } from '../server/platform/auth.js';
import { startBenchServer } from './child-server.js';
import type { ServerMemory } from './app-server.js';
import { cell, rssMb, sample, summarize, type Summary, type Workload } from './lib.js';
import { AUDIT_KEY, ratio, runSideBySide, seedDistrict, type Opened } from './targets.js';

const PASSWORD = 'bench-password-330112';
/** Orders made at once, and their days: the issue's 100k orders × 14 days. */
const ORDERS = Number(process.env.BENCH_OBSERVATION_ORDERS ?? 100_000);
const DAYS = 14;
const N = { stats: 200, naive: 10, progress: 200, sweepNaive: 20 };
/** The sweep's population (the issue's 160k targets: the demo's floating residents) and the visits recorded. */
const SWEEP_TARGETS = Number(process.env.BENCH_SWEEP_TARGETS ?? 160_000);
const SWEEP_VISITS = Number(process.env.BENCH_SWEEP_VISITS ?? 40_000);
/** The town whose progress is asked for besides the district's (the demo's town commander's). */
const TOWN = '锦城街道';
const GOAL = { generateSeconds: 30, statsP95Ms: 50, sweepSeconds: 10, progressP95Ms: 50 };

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
  sweep: SweepResult;
  serverRssMb: { started: number; afterStats: number; afterSweep: number };
  benchRssMb: { beforeSweep: number; afterSweep: number };
}

interface SweepResult {
  floating: { seeded: number; madeFloating: number };
  create: { targets: number; lists: number; ms: number; targetsPerSecond: number };
  visits: { n: number; finished: number; ms: number; perSecond: number; latencyMs: Summary };
  progress: {
    districtMs: Summary;
    townMs: Summary;
    apiMs: Summary;
    naiveMs: Summary;
    ratioP95: number;
    same: boolean;
    targets: number;
    done: number;
    townTargets: number;
    laggards: number;
  };
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

type VisitBody = Parameters<ScreeningService['visit']>[3];
/** A visit's outcome, one in twenty of each kind that is not an answer; answers mostly low risk. */
function visitBody(i: number): VisitBody {
  const base = { returned_key_area: false, close_contact: false, temperature: 36.6 };
  switch (i % 20) {
    case 0:
      return { outcome: 'not_home' };
    case 1:
      return { outcome: 'moved', note: '已搬离' };
    case 2:
      return { outcome: 'refused' };
    case 3:
      return { outcome: 'answered', answers: { ...base, close_contact: true } };
    case 4:
      return { outcome: 'answered', answers: { ...base, temperature: 37.5, symptoms: ['cough'] } };
    default:
      return { outcome: 'answered', answers: base };
  }
}

/** Each town's targets and finished visits the long way: one GROUP BY over the targets joined to the towns by path range. */
async function naiveProgress(db: DB, sweepId: number, parentId: number) {
  const { rows } = await sql<{ id: number; targets: number | string; done: number | string }>`
    select n.id, count(t.id) as targets,
      sum(case when t.status in ('answered', 'moved', 'refused') then 1 else 0 end) as done
    from nodes n
    inner join sweep_targets t on t.sweep_id = ${sweepId}
      and t.node_path >= n.path and t.node_path < substr(n.path, 1, length(n.path) - 1) || '0'
    where n.parent_id = ${parentId}
    group by n.id`.execute(db);
  return new Map(rows.map((r) => [Number(r.id), { targets: Number(r.targets), done: Number(r.done) }]));
}

/**
 * The sweep half: a sweep over ~160k floating residents of the district, created through the
 * service as the commander (timed); visits through the service as the admin (timed); progress.
 */
async function measureSweep(o: {
  database: Opened['database'];
  pii: PiiCipher;
  admin: Actor;
  commander: Actor;
  api: (path: string) => Promise<unknown>;
  log: (s: string) => void;
}): Promise<SweepResult> {
  const { database, pii, admin, commander, log } = o;
  const { db } = database;
  // Untimed preparation: the district, an open command over it, the shipped questionnaire, and enough
  // floating residents (the demo seeds 160,000; more are marked floating if the target asks for more).
  const district = await db
    .selectFrom('nodes')
    .select(['id', 'path'])
    .where('level', '=', 'district')
    .executeTakeFirstOrThrow();
  const town = await db
    .selectFrom('nodes')
    .select(['id', 'path'])
    .where('level', '=', 'town')
    .where('name', '=', TOWN)
    .executeTakeFirstOrThrow();
  const at = nowIso();
  const command = await db
    .insertInto('incident_commands')
    .values({
      name: '新冠肺炎疫情防控指挥部（基准）',
      response_level: 'I',
      node_id: district.id,
      node_path: district.path,
      started_at: at,
      closed_at: null,
      summary: null,
      created_by_user_id: admin.userId,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const questionnaire = await db
    .selectFrom('questionnaires')
    .select('id')
    .where('code', '=', 'epidemic_screening')
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow();
  const floatingNow = async () =>
    Number(
      (
        await db
          .selectFrom('persons')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('merged_into_id', 'is', null)
          .where('residence_type', '=', 'floating')
          .executeTakeFirstOrThrow()
      ).n,
    );
  const seeded = await floatingNow();
  let madeFloating = 0;
  if (seeded < SWEEP_TARGETS) {
    const r = await sql`update persons set residence_type = 'floating' where id in (
        select id from persons where merged_into_id is null and residence_type <> 'floating'
        order by id limit ${SWEEP_TARGETS - seeded})`.execute(db);
    madeFloating = Number(r.numAffectedRows ?? 0);
  }
  if (database.dialect === 'postgres') await sql`vacuum (analyze) persons`.execute(db);
  log(`  sweep: ${seeded} floating residents seeded${madeFloating ? `, ${madeFloating} more marked` : ''}`);

  const svc = createScreeningService({ db, pii });
  const byCommander = { actor: commander, requestId: 'bench-sweep' };
  // (c) The sweep, created and assigned in one call.
  const c0 = performance.now();
  const view = await svc.create(byCommander, {
    name: '流动人口健康摸排',
    commandId: command.id,
    questionnaireId: questionnaire.id,
    nodeId: district.id,
    population: { kind: 'floating' },
    deadline: localDate(new Date(Date.now() + 7 * 86_400_000).toISOString()),
  });
  const createMs = performance.now() - c0;
  const rows = Number(
    (
      await db
        .selectFrom('sweep_targets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('sweep_id', '=', view.id)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const lists = Number(
    (
      await db
        .selectFrom('sweep_targets')
        .select(sql<number>`count(distinct node_id)`.as('n'))
        .where('sweep_id', '=', view.id)
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (rows !== view.targets)
    throw new Error(`the sweep counts ${view.targets} targets, its rows are ${rows}`);
  log(`  sweep of ${rows} targets on ${lists} lists created in ${(createMs / 1000).toFixed(1)} s`);
  if (database.dialect === 'postgres') await sql`vacuum (analyze) sweep_targets, live_counters`.execute(db);

  // (d) Visits, one after another as the admin, spread over the lists (every k-th target).
  const all = (
    await db.selectFrom('sweep_targets').select('id').where('sweep_id', '=', view.id).orderBy('id').execute()
  ).map((r) => r.id);
  const every = Math.max(1, Math.floor(all.length / SWEEP_VISITS));
  const picked = all.filter((_, i) => i % every === 0).slice(0, SWEEP_VISITS);
  const byAdmin = { actor: admin, requestId: 'bench-sweep-visit' };
  const latencies: number[] = [];
  let finished = 0;
  const v0 = performance.now();
  for (let i = 0; i < picked.length; i++) {
    const body = visitBody(i);
    const t0 = performance.now();
    await svc.visit(byAdmin, view.id, picked[i]!, body);
    latencies.push(performance.now() - t0);
    if (body.outcome !== 'not_home') finished++;
    if ((i + 1) % 10_000 === 0) log(`    ${i + 1} visits`);
  }
  const visitMs = performance.now() - v0;
  log(`  ${picked.length} visits in ${(visitMs / 1000).toFixed(1)} s`);
  if (database.dialect === 'postgres') await sql`vacuum (analyze) sweep_targets, live_counters`.execute(db);

  // (e) Progress at the district and at a town, the commander's, against the naive count.
  const asCommander = { actor: commander, requestId: 'bench-sweep-progress' };
  const districtMs = summarize(await sample(N.progress, 20, () => svc.progress(asCommander, view.id)));
  const townMs = summarize(await sample(N.progress, 20, () => svc.progress(asCommander, view.id, town.id)));
  const apiMs = summarize(await sample(N.progress, 20, () => o.api(`/api/sweeps/${view.id}/progress`)));
  const naiveMs = summarize(await sample(N.sweepNaive, 2, () => naiveProgress(db, view.id, district.id)));
  const p = await svc.progress(asCommander, view.id);
  const pt = await svc.progress(asCommander, view.id, town.id);
  const naive = await naiveProgress(db, view.id, district.id);
  const sum = (k: 'targets' | 'done') => [...naive.values()].reduce((a, b) => a + b[k], 0);
  const same =
    p.targets === rows &&
    p.done === finished &&
    sum('targets') === p.targets &&
    sum('done') === p.done &&
    p.children.length === naive.size &&
    p.children.every(
      (c) => naive.get(c.nodeId)?.targets === c.targets && naive.get(c.nodeId)?.done === c.done,
    ) &&
    naive.get(town.id)?.targets === pt.targets;
  if (!same) log('  the sweep progress and the naive count disagree');
  log(`  sweep progress: district p95 ${districtMs.p95} ms, town ${townMs.p95} ms (naive ${naiveMs.p95} ms)`);
  return {
    floating: { seeded, madeFloating },
    create: {
      targets: rows,
      lists,
      ms: Math.round(createMs),
      targetsPerSecond: Math.round((rows / createMs) * 1000),
    },
    visits: {
      n: picked.length,
      finished,
      ms: Math.round(visitMs),
      perSecond: Math.round((picked.length / visitMs) * 1000),
      latencyMs: summarize(latencies),
    },
    progress: {
      districtMs,
      townMs,
      apiMs,
      naiveMs,
      ratioP95: ratio(naiveMs.p95, districtMs.p95),
      same,
      targets: p.targets,
      done: p.done,
      townTargets: pt.targets,
      laggards: p.laggards.length,
    },
  };
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
      const afterStats = await memory();

      // The sweep half, on the same district, with the server still up (its progress over HTTP too).
      const commander = await loadActor(db, commanderId, 'session');
      if (!commander) throw new Error('the commander cannot act');
      const beforeSweep = rssMb();
      const sweep = await measureSweep({
        database,
        pii,
        admin: actor,
        commander,
        api: async (path) => {
          const res = await fetch(`${server.base}${path}`, { headers: { cookie } });
          if (res.status !== 200) throw new Error(`${path} ${res.status}: ${await res.text()}`);
          return res.json();
        },
        log,
      });
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
        sweep,
        serverRssMb: { started, afterStats, afterSweep: await memory() },
        benchRssMb: { beforeSweep, afterSweep: rssMb() },
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
    'district demo with 700k residents; home observation for 100k of them at once (14 days each), the district’s observation figures via API vs a naive GROUP BY; a sweep over 160k floating residents, 40k visits, its progress vs a naive GROUP BY; server RSS (SQLite, and PostgreSQL when reachable)',
  usage:
    '[--pg | --no-pg | --no-sqlite]   (env BENCH_OBSERVATION_ORDERS overrides the 100,000 orders, BENCH_SWEEP_TARGETS the 160,000 targets, BENCH_SWEEP_VISITS the 40,000 visits)',
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
        [
          '(c) sweep over floating residents: targets on lists',
          (r) => `${cell.count(r.sweep.create.targets)} on ${cell.count(r.sweep.create.lists)}`,
        ],
        [
          `    created and assigned, s (goal ≤ ${GOAL.sweepSeconds})`,
          (r) =>
            `${(r.sweep.create.ms / 1000).toFixed(1)} ${r.sweep.create.ms / 1000 <= GOAL.sweepSeconds ? '(met)' : '(missed)'}`,
        ],
        ['    targets/s', (r) => cell.count(r.sweep.create.targetsPerSecond)],
        [
          `(d) ${SWEEP_VISITS.toLocaleString('en')} visits one at a time, s`,
          (r) => `${(r.sweep.visits.ms / 1000).toFixed(1)} (${cell.count(r.sweep.visits.n)})`,
        ],
        [
          '    visits/s, visit p50 / p95 ms',
          (r) => `${cell.count(r.sweep.visits.perSecond)}, ${cell.p50p95(r.sweep.visits.latencyMs)}`,
        ],
        [
          `(e) sweep progress, district p50 / p95, ms (goal p95 ≤ ${GOAL.progressP95Ms})`,
          (r) =>
            `${cell.p50p95(r.sweep.progress.districtMs)} ${r.sweep.progress.districtMs.p95 <= GOAL.progressP95Ms ? '(met)' : '(missed)'}`,
        ],
        [
          `    at a town (${TOWN}) p50 / p95, ms (goal p95 ≤ ${GOAL.progressP95Ms})`,
          (r) =>
            `${cell.p50p95(r.sweep.progress.townMs)} ${r.sweep.progress.townMs.p95 <= GOAL.progressP95Ms ? '(met)' : '(missed)'}`,
        ],
        ['    district via API (server) p50 / p95, ms', (r) => cell.p50p95(r.sweep.progress.apiMs)],
        ['    naive GROUP BY per town p50 / p95, ms', (r) => cell.p50p95(r.sweep.progress.naiveMs)],
        ['    naive ÷ counters, p95', (r) => `${r.sweep.progress.ratioP95}×`],
        [
          '    same figures (targets, done)',
          (r) =>
            r.sweep.progress.same
              ? `yes (${cell.count(r.sweep.progress.targets)}, ${cell.count(r.sweep.progress.done)})`
              : 'NO',
        ],
        ['server RSS after the sweep half, MB', (r) => String(r.serverRssMb.afterSweep)],
        [
          'bench process (ran the service) RSS before / after sweeps, MB',
          (r) => `${r.benchRssMb.beforeSweep} / ${r.benchRssMb.afterSweep}`,
        ],
      ],
      {
        orders: ORDERS,
        days: DAYS,
        stats: N.stats,
        naive: N.naive,
        sweepTargets: SWEEP_TARGETS,
        sweepVisits: SWEEP_VISITS,
        progress: N.progress,
        sweepNaive: N.sweepNaive,
      },
    );
  },
};
