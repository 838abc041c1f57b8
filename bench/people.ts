// The people workload: the district-scale demo with its 700,000 residents in SQLite (and PostgreSQL
// when reachable); the scoped list and the ID lookup over real HTTP against the same reads as SQL;
// then 160,000 floating residents through the real importer against a bare batched insert.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { nowIso, type DB } from '../server/db/index.js';
import type { NewPerson } from '../server/db/schema.js';
import { subtreeRange, withBulkWrites } from '../server/db/dialect.js';
import { insertRows } from '../server/db/insert-rows.js';
import { givenName, IdNumbers, mobile, weighted } from '../server/demo/people.js';
import { MARRIED_IN_REGIONS, NATIONAL_SURNAMES, ORIGIN_REGIONS } from '../server/demo/people-data.js';
import { prng as demoPrng } from '../server/demo/names.js';
import { protectedColumns } from '../server/modules/people/index.js';
import type { PiiCipher } from '../server/platform/pii.js';
import { readTable } from '../server/platform/tabular.js';
import { startBenchServer } from './child-server.js';
import type { ServerImport } from './people-server.js';
import { cell, prng, rssMb, sample, summarize, type Summary, type Workload } from './lib.js';
import {
  AUDIT_KEY,
  explain,
  planKind,
  ratio,
  runSideBySide,
  seedDistrict,
  type DialectName,
  type Opened,
} from './targets.js';

const PASSWORD = 'bench-password-330112';
/** The importer's own multi-row insert (SQL written once per row count), without `returning`. */
const insertPersonRows = insertRows('persons');
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
    /** readTable on the same CSV in the bench process, timed apart. */
    parseMs: number;
    /** The importer's own phases (ADR 0009), ms, summed over the run; what they leave is job bookkeeping. */
    phases: Record<string, number>;
    limitsMs: number;
    checkMs: number;
    writeMs: number;
    otherMs: number;
    crypto: ServerImport['crypto'];
    gcMs: number;
  };
  bare: { rows: number; batchRows: number; ms: number; rowsPerSecond: number };
  importOverBare: number;
  /** The bench process (the seeder and loader, not the server), MB. */
  benchRssMb: { before: number; afterSeed: number; atImport: number };
  /** The server's own process, MB. */
  serverRssMb: {
    started: number;
    afterHttp: number;
    beforeImport: number;
    peakImport: number;
    afterImport: number;
    heapUsedPeak: number;
  };
}

/** Starts the app in its own process on the seeded database (as `npm start` runs it, under tsx). */
async function startServer(opened: Opened, piiKey: string) {
  const server = await startBenchServer('bench/people-server.ts', {
    dataDir: opened.config.dataDir,
    databaseUrl: opened.config.databaseUrl,
    schema: opened.schema,
    piiKey,
    auditKey: AUDIT_KEY,
  });
  return {
    base: server.base,
    rss: async () => (await server.ask<{ rss: number }>({ type: 'memory' }, 'memory')).rss,
    import: (file: string, userId: number, batchRows: number) =>
      server.ask<ServerImport>({ type: 'import', file, userId, batchRows }, 'imported'),
    close: server.close,
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
  const opened = await open();
  const { database, config, where, cleanup, schema } = opened;
  const { db } = database;
  try {
    const { pii, piiKey, seedMs } = await seedDistrict(db, schema, PASSWORD);
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

    // The server in a process of its own, so that its memory is not the seeder's (ADR 0009).
    const server = await startServer(opened, piiKey);
    const { base } = server;
    const serverStarted = await server.rss();
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
      rssAfterHttp = await server.rss();
    } catch (e) {
      await server.close();
      throw e;
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
    // The same batches as the importer's, with checkpoints put off as it puts them off, so that the
    // ratio is the importer's own cost.
    const bareBatch = config.importBatchRows;
    await withBulkWrites(db, async () => {
      for (let k = 0; k < bareRows.length; k += bareBatch) {
        const batch = bareRows.slice(k, k + bareBatch);
        await db.transaction().execute(async (trx) => {
          await insertPersonRows(trx, batch);
        });
      }
    });
    const bareMs = performance.now() - t0;
    bareRows.length = 0;
    log(`  bare batched insert of ${IMPORT_ROWS} rows in ${bareMs.toFixed(0)} ms`);

    const csv = toCsv(floatingResidents(grids, IMPORT_ROWS, 32, ids));
    // Parsing alone, timed apart in this process (the importer parses again, in the server).
    t0 = performance.now();
    const parsedRows = (await readTable('bench.csv', csv)).rows.length;
    const parseMs = performance.now() - t0;
    if (parsedRows !== IMPORT_ROWS) throw new Error(`the CSV parsed into ${parsedRows} rows`);
    // The server reads the upload from a file, so that the bench's copy is not counted as its memory.
    const csvDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-csv-'));
    const csvFile = path.join(csvDir, 'bench.csv');
    fs.writeFileSync(csvFile, csv);
    const adminId = (
      await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
    ).id;
    const benchAtImport = rssMb();
    let run: ServerImport;
    try {
      run = await server.import(csvFile, adminId, config.importBatchRows);
    } finally {
      fs.rmSync(csvDir, { recursive: true, force: true });
      await server.close();
    }
    if (run.imported !== IMPORT_ROWS)
      throw new Error(
        `the importer imported ${run.imported} of ${IMPORT_ROWS}: ${JSON.stringify(run.errors)}`,
      );
    const importMs = run.ms;
    log(`  imported ${IMPORT_ROWS} rows in ${importMs.toFixed(0)} ms; server RSS peak ${run.rss.peak} MB`);
    const sum = (prefix: string) =>
      Object.entries(run.phases)
        .filter(([k]) => k.startsWith(prefix))
        .reduce((a, [, v]) => a + v, 0);
    const phases = Object.fromEntries(Object.entries(run.phases).map(([k, v]) => [k, Math.round(v)]));

    return {
      dialect: database.dialect,
      where,
      seedMs: Math.round(seedMs),
      people,
      list,
      lookup,
      import: {
        rows: IMPORT_ROWS,
        imported: run.imported,
        ms: Math.round(importMs),
        rowsPerSecond: Math.round((IMPORT_ROWS / importMs) * 1000),
        parseMs: Math.round(parseMs),
        phases,
        limitsMs: Math.round(sum('limits:')),
        checkMs: Math.round(sum('check:')),
        writeMs: Math.round(sum('write:')),
        otherMs: Math.round(importMs - sum('limits:') - sum('check:') - sum('write:')),
        crypto: {
          ...run.crypto,
          encryptMs: Math.round(run.crypto.encryptMs),
          blindIndexMs: Math.round(run.crypto.blindIndexMs),
        },
        gcMs: Math.round(run.gcMs),
      },
      bare: {
        rows: IMPORT_ROWS,
        batchRows: config.importBatchRows,
        ms: Math.round(bareMs),
        rowsPerSecond: Math.round((IMPORT_ROWS / bareMs) * 1000),
      },
      importOverBare: ratio(importMs, bareMs),
      benchRssMb: { before: rssBefore, afterSeed: rssAfterSeed, atImport: benchAtImport },
      serverRssMb: {
        started: serverStarted,
        afterHttp: rssAfterHttp,
        beforeImport: run.rss.before,
        peakImport: run.rss.peak,
        afterImport: run.rss.after,
        heapUsedPeak: run.heapUsedPeak,
      },
    };
  } finally {
    await cleanup();
  }
}

/** The importer's phases shown one per line (its `phases`, ADR 0009). */
const PHASES = [
  'limits: count the rows',
  'check: read the file',
  'check: look up grids',
  'check: check rows (with blind index)',
  'check: look up registered people',
  'write: read the file again',
  'write: check rows again (with blind index)',
  'write: build rows (with encryption)',
  'write: insert households',
  'write: insert persons',
  'write: insert tags',
  'write: set household heads',
  'write: insert person history',
  'write: job progress + audit row',
  'write: begin + commit',
  'write: checkpoint at the end',
];

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
      '    peak server RSS during the import (its own process), MB (goal ≤ 400); growth',
      (r) =>
        `${r.serverRssMb.peakImport} (${goal(r.serverRssMb.peakImport <= 400, `${Math.round(r.serverRssMb.peakImport - 400)} MB`)}); +${Math.round(r.serverRssMb.peakImport - r.serverRssMb.beforeImport)}`,
    ],
    ['    server heap used at its peak, MB', (r) => String(r.serverRssMb.heapUsedPeak)],
    [
      '    parse alone (apart) / limits pass / checking pass / writing pass / other, s',
      (r) =>
        [r.import.parseMs, r.import.limitsMs, r.import.checkMs, r.import.writeMs, r.import.otherMs]
          .map((x) => (x / 1000).toFixed(1))
          .join(' / '),
    ],
    ...PHASES.map((phase): [string, (r: TargetResult) => string] => [
      `      ${phase}, s`,
      (r) => ((r.import.phases[phase] ?? 0) / 1000).toFixed(2),
    ]),
    [
      '    encryption (values) / blind index (values), s',
      (r) =>
        `${(r.import.crypto.encryptMs / 1000).toFixed(2)} (${k(r.import.crypto.encrypts)}) / ${(r.import.crypto.blindIndexMs / 1000).toFixed(2)} (${k(r.import.crypto.blindIndexes)})`,
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
      '(d) server RSS (its own process): started / after HTTP / before import / import peak / after, MB',
      (r) => {
        const m = r.serverRssMb;
        return `${m.started} / ${m.afterHttp} / ${m.beforeImport} / ${m.peakImport} / ${m.afterImport}`;
      },
    ],
    [
      '    the bench process (seeder, generated rows; not the server): after seed / at the import, MB',
      (r) => `${r.benchRssMb.afterSeed} / ${r.benchRssMb.atImport}`,
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
