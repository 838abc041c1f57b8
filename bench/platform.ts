// The platform workload: a district-scale demo in SQLite (and PostgreSQL when reachable), the real
// app listening on a port, measured over real HTTP with fetch, and the same reads as direct SQL.
import { sql } from 'kysely';
import { buildApp } from '../server/app.js';
import { subtreeRange } from '../server/db/dialect.js';
import { countSubtreeByLevel } from '../server/modules/nodes/index.js';
import { prng, rssMb, sample, summarize, type Summary, type Workload } from './lib.js';
import {
  explain as plan,
  planKind,
  ratio,
  runSideBySide,
  seedDistrict,
  type DialectName,
  type Opened,
  listenOnLoopback,
} from './targets.js';

const PASSWORD = 'bench-password-330112';
const N = { logins: 50, children: 500, polygons: 100, counts: 500 };

interface TargetResult {
  dialect: DialectName;
  where: string;
  nodes: Record<string, number>;
  seedMs: number;
  loginMs: Summary;
  listChildrenMs: Summary;
  polygons: {
    features: number;
    apiMs: Summary;
    injectMs: Summary;
    sqlMs: Summary;
    ratioP50: number;
    ratioP95: number;
  };
  subtreeCount: { rangeMs: Summary; likeMs: Summary; ratioP50: number; rangePlan: string; likePlan: string };
  /** GET /api/nodes/:id/counts against the same GROUP BY straight on the database. */
  countsApi: { apiMs: Summary; sqlMs: Summary; ratioP50: number; ratioP95: number };
  rssMb: { before: number; afterSeed: number; after: number };
}

async function measure(open: () => Promise<Opened>, log: (s: string) => void): Promise<TargetResult> {
  const rssBefore = rssMb();
  const { database, config, where, cleanup, schema } = await open();
  const { db } = database;
  try {
    const { pii, seedMs } = await seedDistrict(db, schema, PASSWORD);
    let t0 = performance.now();
    const rssAfterSeed = rssMb();
    log(`  seeded the district in ${seedMs.toFixed(0)} ms`);

    const all = await db.selectFrom('nodes').select(['id', 'parent_id', 'level', 'path']).execute();
    const nodes: Record<string, number> = {};
    for (const n of all) nodes[n.level] = (nodes[n.level] ?? 0) + 1;
    const parentIds = [...new Set(all.map((n) => n.parent_id).filter((p): p is number => p !== null))];
    const towns = all.filter((n) => n.level === 'town');
    const subtreeRoots = all.filter((n) => n.level === 'town' || n.level === 'village');

    const app = await buildApp(config, { database, pii, loginRateLimit: 1_000_000 });
    const base = await listenOnLoopback(app);
    try {
      // Sign-in: argon2id verification dominates, by design.
      let cookie = '';
      const login = async () => {
        const res = await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'commander', password: PASSWORD }),
        });
        if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
        cookie = res.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');
      };
      t0 = performance.now();
      const loginMs = summarize(await sample(N.logins, 3, login));
      log(`  ${N.logins} logins in ${(performance.now() - t0).toFixed(0)} ms`);

      const get = async (url: string) => {
        const res = await fetch(`${base}${url}`, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
        return res.json();
      };

      let pick = prng(1);
      const listChildrenMs = summarize(
        await sample(N.children, 20, () => get(`/api/nodes?parent=${parentIds[pick(parentIds.length)]!}`)),
      );
      log(`  ${N.children} child lists done`);

      // Every grid polygon under a town: through the API, and the same rows straight from the database.
      const gridRows = (townPath: string) => {
        const [lo, hi] = subtreeRange(townPath);
        return db
          .selectFrom('nodes')
          .select(['id', 'name', 'level', 'full_code', 'polygon'])
          .where('polygon', 'is not', null)
          .where('retired_at', 'is', null)
          .where('level', '=', 'grid')
          .where('path', '>=', lo)
          .where('path', '<', hi)
          .orderBy('path')
          .execute();
      };
      const check = towns[0]!;
      const features = ((await get(`/api/nodes/${check.id}/polygons?level=grid`)) as { features: unknown[] })
        .features.length;
      if (features !== (await gridRows(check.path)).length)
        throw new Error('the API and the SQL disagree on the grids of a town');
      pick = prng(2);
      const apiMs = summarize(
        await sample(N.polygons, 10, () =>
          get(`/api/nodes/${towns[pick(towns.length)]!.id}/polygons?level=grid`),
        ),
      );
      // The same requests without a socket (app.inject), to tell server work from HTTP and client cost.
      pick = prng(2);
      const injectMs = summarize(
        await sample(N.polygons, 10, async () => {
          const res = await app.inject({
            url: `/api/nodes/${towns[pick(towns.length)]!.id}/polygons?level=grid`,
            headers: { cookie },
          });
          if (res.statusCode !== 200) throw new Error(`inject polygons: ${res.statusCode}`);
          return res.json<unknown>();
        }),
      );
      pick = prng(2);
      const sqlMs = summarize(await sample(N.polygons, 10, () => gridRows(towns[pick(towns.length)]!.path)));
      log(`  ${N.polygons} polygon sets through the API and through SQL`);

      // Subtree count: the half-open path range against LIKE 'prefix%'.
      const byRange = (p: string) => {
        const [lo, hi] = subtreeRange(p);
        return sql<{ n: number }>`select count(*) as n from nodes where path >= ${lo} and path < ${hi}`;
      };
      const byLike = (p: string) =>
        sql<{ n: number }>`select count(*) as n from nodes where path like ${p + '%'}`;
      for (const r of subtreeRoots.slice(0, 20)) {
        const [a, b] = await Promise.all([byRange(r.path).execute(db), byLike(r.path).execute(db)]);
        if (Number(a.rows[0]!.n) !== Number(b.rows[0]!.n))
          throw new Error(`range and LIKE counts differ under ${r.path}`);
      }
      pick = prng(3);
      const rangeMs = summarize(
        await sample(N.counts, 20, () => byRange(subtreeRoots[pick(subtreeRoots.length)]!.path).execute(db)),
      );
      pick = prng(3);
      const likeMs = summarize(
        await sample(N.counts, 20, () => byLike(subtreeRoots[pick(subtreeRoots.length)]!.path).execute(db)),
      );
      // The subtree count through the API against the same query on the database, same towns.
      pick = prng(4);
      const countsApiMs = summarize(
        await sample(N.counts, 20, () => get(`/api/nodes/${towns[pick(towns.length)]!.id}/counts`)),
      );
      pick = prng(4);
      const countsSqlMs = summarize(
        await sample(N.counts, 20, () => countSubtreeByLevel(db, towns[pick(towns.length)]!.path)),
      );
      const planOf = towns[0]!.path;
      log(`  ${N.counts} subtree counts each way`);

      return {
        dialect: database.dialect,
        where,
        nodes,
        seedMs: Math.round(seedMs),
        loginMs,
        listChildrenMs,
        polygons: {
          features,
          apiMs,
          injectMs,
          sqlMs,
          ratioP50: ratio(apiMs.p50, sqlMs.p50),
          ratioP95: ratio(apiMs.p95, sqlMs.p95),
        },
        subtreeCount: {
          rangeMs,
          likeMs,
          ratioP50: ratio(likeMs.p50, rangeMs.p50),
          rangePlan: await plan(database, byRange(planOf)),
          likePlan: await plan(database, byLike(planOf)),
        },
        countsApi: {
          apiMs: countsApiMs,
          sqlMs: countsSqlMs,
          ratioP50: ratio(countsApiMs.p50, countsSqlMs.p50),
          ratioP95: ratio(countsApiMs.p95, countsSqlMs.p95),
        },
        rssMb: { before: rssBefore, afterSeed: rssAfterSeed, after: rssMb() },
      };
    } finally {
      await app.close();
    }
  } finally {
    await cleanup();
  }
}

function tableRows(): [string, (r: TargetResult) => string][] {
  const ms = (x: number) => x.toFixed(2);
  return [
    [
      'nodes (district/town/village/grid)',
      (r) => ['district', 'town', 'village', 'grid'].map((l) => r.nodes[l] ?? 0).join('/'),
    ],
    ['seed district scale, ms', (r) => String(r.seedMs)],
    [`login p50 / p95, ms (n=${N.logins})`, (r) => `${ms(r.loginMs.p50)} / ${ms(r.loginMs.p95)}`],
    [
      `GET /api/nodes?parent= p50 / p95, ms (n=${N.children})`,
      (r) => `${ms(r.listChildrenMs.p50)} / ${ms(r.listChildrenMs.p95)}`,
    ],
    [
      `town's grid polygons via API p50 / p95, ms (n=${N.polygons})`,
      (r) => `${ms(r.polygons.apiMs.p50)} / ${ms(r.polygons.apiMs.p95)}`,
    ],
    [
      '  same, app.inject (no socket) p50 / p95, ms',
      (r) => `${ms(r.polygons.injectMs.p50)} / ${ms(r.polygons.injectMs.p95)}`,
    ],
    [
      'same rows via direct SQL p50 / p95, ms',
      (r) => `${ms(r.polygons.sqlMs.p50)} / ${ms(r.polygons.sqlMs.p95)}`,
    ],
    ['API ÷ SQL at p50 / p95', (r) => `${r.polygons.ratioP50}× / ${r.polygons.ratioP95}×`],
    [
      `subtree count, path range p50 / p95, ms (n=${N.counts})`,
      (r) => `${ms(r.subtreeCount.rangeMs.p50)} / ${ms(r.subtreeCount.rangeMs.p95)}`,
    ],
    [
      "subtree count, LIKE 'prefix%' p50 / p95, ms",
      (r) => `${ms(r.subtreeCount.likeMs.p50)} / ${ms(r.subtreeCount.likeMs.p95)}`,
    ],
    ['LIKE ÷ range at p50', (r) => `${r.subtreeCount.ratioP50}×`],
    ['range plan', (r) => planKind(r.subtreeCount.rangePlan)],
    ['LIKE plan', (r) => planKind(r.subtreeCount.likePlan)],
    [
      `town subtree count via API (/counts) p50 / p95, ms (n=${N.counts})`,
      (r) => `${ms(r.countsApi.apiMs.p50)} / ${ms(r.countsApi.apiMs.p95)}`,
    ],
    [
      'same count via SQL p50 / p95, ms',
      (r) => `${ms(r.countsApi.sqlMs.p50)} / ${ms(r.countsApi.sqlMs.p95)}`,
    ],
    ['API ÷ SQL count at p50 / p95', (r) => `${r.countsApi.ratioP50}× / ${r.countsApi.ratioP95}×`],
    ['process RSS before → after, MB', (r) => `${r.rssMb.before} → ${r.rssMb.after}`],
  ];
}

export const platform: Workload = {
  summary:
    'district-scale demo; login, child lists, polygons API vs SQL, range vs LIKE subtree counts (SQLite, and PostgreSQL when reachable)',
  usage: '[--pg | --no-pg]   (env BENCH_PG=1 forces PostgreSQL, BENCH_PG_URL overrides the URL)',
  run: (args, log) => runSideBySide('platform', args, log, measure, tableRows(), N),
};
