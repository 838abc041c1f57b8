// The people workload: the district-scale demo with its 700,000 residents in SQLite (and PostgreSQL
// when reachable); the scoped list and the ID lookup over real HTTP against the same reads as SQL;
// then 160,000 floating residents through the real importer against a bare batched insert.
import {
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type UnknownRow,
} from 'kysely';
import { buildApp } from '../server/app.js';
import { nowIso, type DB } from '../server/db/index.js';
import type { NewPerson } from '../server/db/schema.js';
import { subtreeRange } from '../server/db/dialect.js';
import { givenName, IdNumbers, mobile, weighted } from '../server/demo/people.js';
import { MARRIED_IN_REGIONS, NATIONAL_SURNAMES, ORIGIN_REGIONS } from '../server/demo/people-data.js';
import { prng as demoPrng } from '../server/demo/names.js';
import { createPeopleImporter, protectedColumns } from '../server/modules/people/index.js';
import { loadActor } from '../server/platform/auth.js';
import type { PiiCipher } from '../server/platform/pii.js';
import { readTable } from '../server/platform/tabular.js';
import { cell, prng, rssMb, sample, summarize, type Summary, type Workload } from './lib.js';
import {
  explain,
  planKind,
  ratio,
  runSideBySide,
  seedDistrict,
  type DialectName,
  type Opened,
  listenOnLoopback,
} from './targets.js';

const PASSWORD = 'bench-password-330112';
const IMPORT_ROWS = 160_000;
const N = { list: 200, lookups: 300, pages: 50 };
/** The town commander's own town: a street, among the most populous. */
const TOWN = '锦城街道';

// Home counties the demo never uses, so that the imported numbers cannot collide with seeded ones.
const BENCH_REGIONS: readonly (readonly [string, string])[] = [
  ['430524', '湖南省邵阳市隆回县'],
  ['431228', '湖南省怀化市芷江侗族自治县'],
  ['450881', '广西壮族自治区贵港市桂平市'],
  ['371326', '山东省临沂市平邑县'],
  ['610528', '陕西省渭南市富平县'],
  ['622421', '甘肃省定西市通渭县'],
];
const demoCodes = new Set([
  ...ORIGIN_REGIONS.map((r) => r.code),
  ...MARRIED_IN_REGIONS.map((r) => r[0]),
  '330112',
]);
if (BENCH_REGIONS.some(([code]) => demoCodes.has(code)))
  throw new Error('a bench region is also a demo region: imported numbers could collide');

interface Grid {
  id: number;
  path: string;
  fullCode: string;
  name: string;
}
interface Floating {
  name: string;
  idNumber: string;
  phone: string | null;
  gender: 'male' | 'female';
  birthDate: string;
  grid: Grid;
  address: string;
  origin: string;
  arrival: string;
  tags: string[];
}

/** `count` floating residents across the grids, with numbers from the bench's own counties. */
function floatingResidents(grids: readonly Grid[], count: number, seed: number, ids: IdNumbers): Floating[] {
  const rng = demoPrng(seed);
  const surname = weighted(NATIONAL_SURNAMES);
  const today = Date.parse(`${nowIso().slice(0, 10)}T00:00:00Z`);
  const day = (msAgo: number) => new Date(today - msAgo).toISOString().slice(0, 10);
  const out: Floating[] = [];
  for (let i = 0; i < count; i++) {
    const gender = rng() < 0.6 ? 'male' : 'female';
    const birthDate = day((18 + rng() * 40) * 365.25 * 86_400_000);
    const [code, origin] = BENCH_REGIONS[Math.floor(rng() * BENCH_REGIONS.length)]!;
    const grid = grids[Math.floor(rng() * grids.length)]!;
    const t = rng();
    out.push({
      name: surname(rng) + givenName(rng, Number(birthDate.slice(0, 4)), gender),
      idNumber: ids.next(code, birthDate, gender),
      phone: rng() < 0.97 ? mobile(rng) : null,
      gender,
      birthDate,
      grid,
      address: `${grid.name}${1 + Math.floor(rng() * 200)}号（租住）`,
      origin,
      arrival: day(rng() * 3 * 365 * 86_400_000),
      tags: t < 0.03 ? ['党员'] : t < 0.05 ? ['志愿者'] : [],
    });
  }
  return out;
}

const IMPORT_HEADERS = [
  '姓名',
  '身份证号',
  '手机号',
  '现住址',
  '所属网格',
  '人员类型',
  '标签',
  '来源地',
  '到达日期',
  '民族',
];

/** The CSV an official would upload: Chinese headers, grid by full code, phone without +86. */
function toCsv(rows: readonly Floating[]): Buffer {
  const lines = [IMPORT_HEADERS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.name,
        r.idNumber,
        r.phone?.slice(3) ?? '',
        r.address,
        r.grid.fullCode,
        '流动人口',
        r.tags.join('、'),
        r.origin,
        r.arrival,
        '汉族',
      ].join(','),
    );
  }
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}

/** The row the importer would write for a resident, encrypted beforehand. */
function toPersonRow(pii: PiiCipher, r: Floating, now: string): NewPerson {
  return {
    node_id: r.grid.id,
    node_path: r.grid.path,
    name: r.name,
    id_number_enc: null,
    id_number_bidx: null,
    id_number_masked: null,
    phone_enc: null,
    phone_bidx: null,
    phone_masked: null,
    ...protectedColumns(pii, r.idNumber, r.phone),
    gender: r.gender,
    birth_date: r.birthDate,
    ethnicity: '汉族',
    household_id: null,
    relation_to_head: null,
    address: r.address,
    residence_type: 'floating',
    arrival_date: r.arrival,
    origin_region: r.origin,
    no_id_reason: null,
    notes: null,
    merged_into_id: null,
    created_at: now,
    updated_at: now,
  };
}

/** Times every statement a Kysely instance runs, by kind and table, and notes the first insert into persons. */
class StatementTimer implements KyselyPlugin {
  readonly ms: Record<string, number> = {};
  readonly count: Record<string, number> = {};
  firstPersonInsertAt: number | null = null;
  /** Time inside statements from the first insert into persons on: the write phase's SQL. */
  writePhaseMs = 0;
  /** Begin and commit of the write phase's transactions (timed by withTransactionTimer). */
  writePhaseTxnMs = 0;
  private readonly started = new WeakMap<object, { at: number; key: string; writing: boolean }>();

  transformQuery(args: PluginTransformQueryArgs) {
    const node = args.node as {
      kind: string;
      into?: { table: { identifier: { name: string } } };
      table?: { table?: { identifier: { name: string } } };
    };
    const table = node.into?.table.identifier.name ?? node.table?.table?.identifier.name ?? '';
    const key = `${node.kind.replace('QueryNode', '').toLowerCase()} ${table}`.trim();
    if (key === 'insert persons' && this.firstPersonInsertAt === null)
      this.firstPersonInsertAt = performance.now();
    this.started.set(args.queryId, {
      at: performance.now(),
      key,
      writing: this.firstPersonInsertAt !== null,
    });
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const s = this.started.get(args.queryId);
    if (s) {
      const ms = performance.now() - s.at;
      this.ms[s.key] = (this.ms[s.key] ?? 0) + ms;
      if (s.writing) this.writePhaseMs += ms;
      this.count[s.key] = (this.count[s.key] ?? 0) + 1;
    }
    return Promise.resolve(args.result);
  }
}

/**
 * The same database whose transactions time their own begin and commit: the time of
 * `transaction().execute()` outside its callback. Kysely sends both through the driver, past plugins.
 */
function withTransactionTimer(db: DB, timer: StatementTimer): DB {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'transaction') {
        // Kysely's methods read private fields: call them on the instance itself, not the proxy.
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      return () => {
        const builder = target.transaction();
        return {
          async execute<T>(cb: Parameters<typeof builder.execute<T>>[0]): Promise<T> {
            const t0 = performance.now();
            let inside = 0;
            const out = await builder.execute(async (trx) => {
              const t1 = performance.now();
              try {
                return await cb(trx);
              } finally {
                inside += performance.now() - t1;
              }
            });
            if (timer.firstPersonInsertAt !== null) timer.writePhaseTxnMs += performance.now() - t0 - inside;
            return out;
          },
        };
      };
    },
  });
}

/** The cipher with a stopwatch: how much of an import is encryption and blind indexing. */
function timedCipher(pii: PiiCipher) {
  const spent = { encryptMs: 0, blindIndexMs: 0, calls: 0 };
  const cipher: PiiCipher = {
    encrypt(plain) {
      const t = performance.now();
      const out = pii.encrypt(plain);
      spent.encryptMs += performance.now() - t;
      spent.calls++;
      return out;
    },
    decrypt: (stored) => pii.decrypt(stored),
    blindIndex(kind, normalized) {
      const t = performance.now();
      const out = pii.blindIndex(kind, normalized);
      spent.blindIndexMs += performance.now() - t;
      return out;
    },
  };
  return { cipher, spent };
}

interface ListResult {
  town: string;
  people: number;
  apiMs: Summary;
  sqlMs: Summary;
  countMs: Summary;
  pageMs: Summary;
  ratioP50: number;
  ratioP95: number;
}

interface TargetResult {
  dialect: DialectName;
  where: string;
  seedMs: number;
  people: { total: number; floating: number; returnee: number; households: number };
  list: { towncmd: ListResult; admin: ListResult & { towns: number }; countPlan: string; pagePlan: string };
  lookup: { apiMs: Summary; sqlMs: Summary; ratioP50: number; plan: string };
  import: {
    rows: number;
    imported: number;
    ms: number;
    rowsPerSecond: number;
    parseMs: number;
    validateMs: number;
    writeMs: number;
    cryptoMs: number;
    writeSqlMs: number;
    /** begin and commit of the write phase's transactions, which Kysely plugins do not see. */
    writeCommitMs: number;
    gcMs: number;
    sqlMsByStatement: Record<string, number>;
    statements: Record<string, number>;
  };
  bare: { rows: number; batchRows: number; ms: number; rowsPerSecond: number };
  importOverBare: number;
  rssMb: {
    before: number;
    afterSeed: number;
    afterHttp: number;
    beforeImport: number;
    peakImport: number;
    after: number;
  };
}

/** The repository's page query and count, written out as SQL: what the list endpoint costs the database. */
/** The query the people repository runs for one page of a node's people: the node's own range (the
 * service checked it lies in scope), the page's ids from the partial index first, then those rows. */
function rawList(db: DB, under: string, offset: number) {
  const [lo, hi] = subtreeRange(under);
  const where = sql`p.merged_into_id is null and p.node_path >= ${lo} and p.node_path < ${hi}`;
  const count = sql<{ n: number }>`select count(*) as n from persons as p where ${where}`;
  const page = sql<{ id: number }>`
    select p.id, p.name, p.id_number_masked, p.phone_masked, p.gender, p.birth_date, p.residence_type, p.node_id,
           p.household_id, p.address, n.name as node_name, n.full_code as node_full_code
    from persons as p inner join nodes as n on n.id = p.node_id
    where p.id in (select p.id from persons as p where ${where} order by p.name, p.id limit 20 offset ${offset})
    order by p.name, p.id`;
  return {
    count,
    page,
    async run() {
      const [, rows] = await Promise.all([count.execute(db), page.execute(db)]);
      const ids = rows.rows.map((r) => r.id);
      if (ids.length > 0)
        await sql`select person_id, tag_code from person_tags where person_id in (${sql.join(ids)}) order by tag_code`.execute(
          db,
        );
    },
  };
}

async function measure(open: () => Promise<Opened>, log: (s: string) => void): Promise<TargetResult> {
  const rssBefore = rssMb();
  const { database, config, where, cleanup, schema } = await open();
  const { db } = database;
  try {
    const { pii, seedMs } = await seedDistrict(db, schema, PASSWORD);
    let t0 = performance.now();
    const rssAfterSeed = rssMb();
    const byType = await db
      .selectFrom('persons')
      .select(['residence_type', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('residence_type')
      .execute();
    const typeCount = (t: string) => Number(byType.find((r) => r.residence_type === t)?.n ?? 0);
    const households = Number(
      (
        await db
          .selectFrom('households')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const people = {
      total: byType.reduce((s, r) => s + Number(r.n), 0),
      floating: typeCount('floating'),
      returnee: typeCount('returnee'),
      households,
    };
    log(`  seeded the district (${people.total} people) in ${seedMs.toFixed(0)} ms`);

    const nodes = await db
      .selectFrom('nodes')
      .select(['id', 'parent_id', 'name', 'level', 'path', 'full_code'])
      .execute();
    const towns = nodes.filter((n) => n.level === 'town');
    const town = towns.find((t) => t.name === TOWN)!;
    const district = nodes.find((n) => n.level === 'district')!;
    const inTown = async (path: string) => {
      const [lo, hi] = subtreeRange(path);
      const r = await db
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('node_path', '>=', lo)
        .where('node_path', '<', hi)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    };

    const app = await buildApp(config, { database, pii, loginRateLimit: 1_000_000 });
    const base = await listenOnLoopback(app);
    let rssAfterHttp: number;
    let list: TargetResult['list'];
    let lookup: TargetResult['lookup'];
    try {
      const login = async (username: string) => {
        const res = await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: PASSWORD }),
        });
        if (res.status !== 200)
          throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
        return res.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');
      };
      const admin = await login('admin');
      const towncmd = await login('towncmd');
      const get = async (cookie: string, url: string) => {
        const res = await fetch(`${base}${url}`, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
        return (await res.json()) as { total: number; items: { id: number }[] };
      };

      // (b) A town's people, page by page: the town commander in his own town, the administrator in any town.
      const listBench = async (
        cookie: string,
        pickTown: () => (typeof towns)[number],
        seed: number,
      ): Promise<ListResult> => {
        const check = pickTown();
        const api = await get(cookie, `/api/people?node=${check.id}&page=3`);
        if (api.total !== (await inTown(check.path)))
          throw new Error('the API and the SQL disagree on the people of a town');
        const pick = prng(seed);
        const pages: { town: (typeof towns)[number]; page: number }[] = Array.from(
          { length: N.list + 20 },
          () => ({ town: pickTown(), page: 1 + pick(N.pages) }),
        );
        let i = 0;
        const apiMs = summarize(
          await sample(N.list, 20, () =>
            get(
              cookie,
              `/api/people?node=${pages[i % pages.length]!.town.id}&page=${pages[i++ % pages.length]!.page}`,
            ),
          ),
        );
        i = 0;
        const run = (what: 'run' | 'count' | 'page') => () => {
          const { town: t, page } = pages[i++ % pages.length]!;
          const q = rawList(db, t.path, (page - 1) * 20);
          return what === 'run' ? q.run() : q[what].execute(db);
        };
        const sqlMs = summarize(await sample(N.list, 20, run('run')));
        i = 0;
        const countMs = summarize(await sample(N.list, 20, run('count')));
        i = 0;
        const pageMs = summarize(await sample(N.list, 20, run('page')));
        return {
          town: check.name,
          people: api.total,
          apiMs,
          sqlMs,
          countMs,
          pageMs,
          ratioP50: ratio(apiMs.p50, sqlMs.p50),
          ratioP95: ratio(apiMs.p95, sqlMs.p95),
        };
      };
      const own = await listBench(towncmd, () => town, 11);
      log(`  ${N.list} pages of ${TOWN} as towncmd: p95 ${own.apiMs.p95} ms`);
      const pickTown = prng(12);
      const any = await listBench(admin, () => towns[pickTown(towns.length)]!, 13);
      log(`  ${N.list} pages of random towns as admin: p95 ${any.apiMs.p95} ms`);
      const plans = rawList(db, town.path, 0);
      list = {
        towncmd: own,
        admin: { ...any, towns: towns.length },
        countPlan: await explain(database, plans.count),
        pagePlan: await explain(database, plans.page),
      };

      // (c) Exact ID lookup through the blind index: numbers of seeded people, decrypted here.
      const pickPerson = prng(21);
      const maxId = Number(
        (
          await db
            .selectFrom('persons')
            .select((eb) => eb.fn.max<number>('id').as('m'))
            .executeTakeFirstOrThrow()
        ).m,
      );
      const wanted = Array.from({ length: N.lookups * 2 }, () => 1 + pickPerson(maxId));
      const numbers: string[] = [];
      for (let k = 0; k < wanted.length; k += 500) {
        const rows = await db
          .selectFrom('persons')
          .select('id_number_enc')
          .where('id', 'in', wanted.slice(k, k + 500))
          .where('id_number_enc', 'is not', null)
          .execute();
        for (const r of rows) numbers.push(pii.decrypt(r.id_number_enc!));
      }
      const one = await get(admin, `/api/people?q=${numbers[0]!}`);
      if (one.total !== 1) throw new Error(`an ID lookup found ${one.total} people`);
      let i = 0;
      const apiMs = summarize(
        await sample(N.lookups, 20, () => get(admin, `/api/people?q=${numbers[i++ % numbers.length]!}`)),
      );
      const [lo, hi] = subtreeRange(district.path);
      const byBidx = (n: string) =>
        sql`select p.id, p.name, p.id_number_masked, p.phone_masked, n.name as node_name from persons as p inner join nodes as n on n.id = p.node_id
            where p.merged_into_id is null and (p.node_path >= ${lo} and p.node_path < ${hi}) and p.id_number_bidx = ${pii.blindIndex('id', n)}
            order by p.name, p.id limit 20 offset 0`;
      i = 0;
      const sqlMs = summarize(
        await sample(N.lookups, 20, () => byBidx(numbers[i++ % numbers.length]!).execute(db)),
      );
      lookup = {
        apiMs,
        sqlMs,
        ratioP50: ratio(apiMs.p50, sqlMs.p50),
        plan: await explain(database, byBidx(numbers[0]!)),
      };
      log(`  ${N.lookups} ID lookups: p95 ${apiMs.p95} ms`);
      rssAfterHttp = rssMb();
    } finally {
      await app.close();
    }

    // (a) 160,000 floating residents: first a bare batched insert (pre-encrypted, no checks), then
    // the real importer on another 160,000 of the same shape, so that it faces the bigger table.
    const gridRows = await db
      .selectFrom('nodes as g')
      .innerJoin('nodes as v', 'v.id', 'g.parent_id')
      .select(['g.id', 'g.path', 'g.full_code', 'v.name'])
      .where('g.level', '=', 'grid')
      .orderBy('g.path')
      .execute();
    const grids: Grid[] = gridRows.map((g) => ({
      id: g.id,
      path: g.path,
      fullCode: g.full_code,
      name: g.name,
    }));
    const ids = new IdNumbers();
    const now = nowIso();
    const bareRows = floatingResidents(grids, IMPORT_ROWS, 31, ids).map((r) => toPersonRow(pii, r, now));
    t0 = performance.now();
    // The same batches as the importer's, so that the ratio is the importer's own cost.
    const bareBatch = config.importBatchRows;
    for (let k = 0; k < bareRows.length; k += bareBatch) {
      const batch = bareRows.slice(k, k + bareBatch);
      await db.transaction().execute(async (trx) => {
        for (let j = 0; j < batch.length; j += 1000)
          await trx
            .insertInto('persons')
            .values(batch.slice(j, j + 1000))
            .execute();
      });
    }
    const bareMs = performance.now() - t0;
    bareRows.length = 0;
    log(`  bare batched insert of ${IMPORT_ROWS} rows in ${bareMs.toFixed(0)} ms`);

    const csv = toCsv(floatingResidents(grids, IMPORT_ROWS, 32, ids));
    // Parsing alone, timed apart (the importer parses again); the table is let go before the import.
    t0 = performance.now();
    const parsedRows = (await readTable('bench.csv', csv)).rows.length;
    const parseMs = performance.now() - t0;
    if (parsedRows !== IMPORT_ROWS) throw new Error(`the CSV parsed into ${parsedRows} rows`);
    const adminId = (
      await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
    ).id;
    const ctx = { actor: await loadActor(db, adminId, 'session'), requestId: 'bench-people-import' };
    const timer = new StatementTimer();
    const { cipher, spent } = timedCipher(pii);
    const importer = createPeopleImporter({
      db: withTransactionTimer(db.withPlugin(timer), timer),
      pii: cipher,
      batchRows: config.importBatchRows,
    });
    // Garbage collection during the import, from V8's own records.
    let gcMs = 0;
    const gcWatch = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcMs += e.duration;
    });
    gcWatch.observe({ entryTypes: ['gc'] });
    const rssBeforeImport = rssMb();
    let peak = rssBeforeImport;
    const watch = setInterval(() => (peak = Math.max(peak, rssMb())), 100);
    t0 = performance.now();
    let report: Awaited<ReturnType<typeof importer.run>>;
    try {
      report = await importer.run(ctx, { filename: 'bench.csv', data: csv }, 'all-or-nothing', null);
    } finally {
      clearInterval(watch);
      gcWatch.disconnect();
    }
    const importMs = performance.now() - t0;
    if (report.imported !== IMPORT_ROWS)
      throw new Error(
        `the importer imported ${report.imported} of ${IMPORT_ROWS}: ${JSON.stringify(report.errors.slice(0, 3))}`,
      );
    const firstInsert = timer.firstPersonInsertAt ?? t0 + importMs;
    log(`  imported ${IMPORT_ROWS} rows in ${importMs.toFixed(0)} ms`);
    const round = (o: Record<string, number>) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v)]));

    return {
      dialect: database.dialect,
      where,
      seedMs: Math.round(seedMs),
      people,
      list,
      lookup,
      import: {
        rows: IMPORT_ROWS,
        imported: report.imported,
        ms: Math.round(importMs),
        rowsPerSecond: Math.round((IMPORT_ROWS / importMs) * 1000),
        parseMs: Math.round(parseMs),
        validateMs: Math.round(firstInsert - t0 - parseMs),
        writeMs: Math.round(t0 + importMs - firstInsert),
        cryptoMs: Math.round(spent.encryptMs + spent.blindIndexMs),
        writeSqlMs: Math.round(timer.writePhaseMs),
        writeCommitMs: Math.round(timer.writePhaseTxnMs),
        gcMs: Math.round(gcMs),
        sqlMsByStatement: round(timer.ms),
        statements: timer.count,
      },
      bare: {
        rows: IMPORT_ROWS,
        batchRows: config.importBatchRows,
        ms: Math.round(bareMs),
        rowsPerSecond: Math.round((IMPORT_ROWS / bareMs) * 1000),
      },
      importOverBare: ratio(importMs, bareMs),
      rssMb: {
        before: rssBefore,
        afterSeed: rssAfterSeed,
        afterHttp: rssAfterHttp,
        beforeImport: rssBeforeImport,
        peakImport: peak,
        after: rssMb(),
      },
    };
  } finally {
    await cleanup();
  }
}

function tableRows(): [string, (r: TargetResult) => string][] {
  const { ms, p50p95: pp, count: k, goal } = cell;
  return [
    [
      'people / floating / returnees',
      (r) => `${k(r.people.total)} / ${k(r.people.floating)} / ${k(r.people.returnee)}`,
    ],
    [
      'households (mean size)',
      (r) => `${k(r.people.households)} (${(r.people.total / r.people.households).toFixed(2)})`,
    ],
    ['seed district scale (tree + people), s', (r) => (r.seedMs / 1000).toFixed(1)],
    [`(a) import ${k(IMPORT_ROWS)} rows, rows/s (goal ≥ 20,000)`, (r) => k(r.import.rowsPerSecond)],
    [
      '    goal',
      (r) =>
        goal(r.import.rowsPerSecond >= 20_000, `${Math.round((1 - r.import.rowsPerSecond / 20_000) * 100)}%`),
    ],
    [
      '    peak server RSS during the import, MB (goal ≤ 400); growth',
      (r) =>
        `${r.rssMb.peakImport} (${goal(r.rssMb.peakImport <= 400, `${Math.round(r.rssMb.peakImport - 400)} MB`)}); +${Math.round(r.rssMb.peakImport - r.rssMb.beforeImport)}`,
    ],
    [
      '    parse / validate / write, s',
      (r) =>
        [r.import.parseMs, r.import.validateMs, r.import.writeMs]
          .map((x) => (x / 1000).toFixed(1))
          .join(' / '),
    ],
    ['    of which encryption + blind index, s', (r) => (r.import.cryptoMs / 1000).toFixed(1)],
    [
      '    write: in statements (insert persons) / begin+commit / other (JS), s',
      (r) =>
        `${(r.import.writeSqlMs / 1000).toFixed(1)} (${((r.import.sqlMsByStatement['insert persons'] ?? 0) / 1000).toFixed(1)}) / ${(r.import.writeCommitMs / 1000).toFixed(1)} / ${((r.import.writeMs - r.import.writeSqlMs - r.import.writeCommitMs) / 1000).toFixed(1)}`,
    ],
    ['    garbage collection during the whole import, s', (r) => (r.import.gcMs / 1000).toFixed(1)],
    [
      '    bare batched insert (same batches, pre-encrypted), rows/s',
      (r) => `${k(r.bare.rowsPerSecond)} (${k(r.bare.batchRows)}-row transactions)`,
    ],
    ['    importer ÷ bare insert, time', (r) => `${r.importOverBare}×`],
    [`(b) ${TOWN} as towncmd, API p50 / p95, ms (goal p95 ≤ 30)`, (r) => pp(r.list.towncmd.apiMs)],
    ['    goal', (r) => goal(r.list.towncmd.apiMs.p95 <= 30, `${ms(r.list.towncmd.apiMs.p95 - 30)} ms`)],
    ['    people in the town', (r) => k(r.list.towncmd.people)],
    ['    same page via SQL (count + page + tags) p50 / p95', (r) => pp(r.list.towncmd.sqlMs)],
    [
      '    SQL count alone / page alone, p50',
      (r) => `${ms(r.list.towncmd.countMs.p50)} / ${ms(r.list.towncmd.pageMs.p50)}`,
    ],
    ['    API ÷ SQL at p50 / p95', (r) => `${r.list.towncmd.ratioP50}× / ${r.list.towncmd.ratioP95}×`],
    ['    random town as admin, API p50 / p95, ms', (r) => pp(r.list.admin.apiMs)],
    ['    same via SQL p50 / p95', (r) => pp(r.list.admin.sqlMs)],
    [
      '    count plan / page plan',
      (r) =>
        `${planKind(r.list.countPlan)} / ${/TEMP B-TREE|Sort/.test(r.list.pagePlan) ? 'sorts' : 'index order'}`,
    ],
    [`(c) exact ID lookup, API p50 / p95, ms (n=${N.lookups})`, (r) => pp(r.lookup.apiMs)],
    ['    same via SQL p50 / p95', (r) => pp(r.lookup.sqlMs)],
    [
      '(d) server RSS after seed / HTTP / import peak / end, MB',
      (r) => `${r.rssMb.afterSeed} / ${r.rssMb.afterHttp} / ${r.rssMb.peakImport} / ${r.rssMb.after}`,
    ],
  ];
}

export const people: Workload = {
  summary:
    'district demo with 700k residents; import 160k rows vs bare insert, town list and ID lookup via API vs SQL, RSS (SQLite, and PostgreSQL when reachable)',
  usage: '[--pg | --no-pg]   (env BENCH_PG=1 forces PostgreSQL, BENCH_PG_URL overrides the URL)',
  run: (args, log) =>
    runSideBySide('people', args, log, measure, tableRows(), { ...N, importRows: IMPORT_ROWS }),
};
