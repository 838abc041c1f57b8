// `npm run bench -- defence`: joint defence at district scale (issue 15). The district with its
// 700,000 residents, 700 checkpoints and 5M passages registered over four weeks (1–3 people each);
// then, against the app in its own process:
//   (a) registrations per second through POST /api/passages (each with its Idempotency-Key, from
//       several clients at once, some travellers in the registry, some risky), beside a bare insert
//       of the same rows in the same run (one transaction a passage, as each request has its own);
//   (b) plate search: GET /api/passages?plate= for plates seen, p95;
//   (c) a checkpoint's hourly statistics for a week: GET /api/passages/stats, p95;
//   (d) the server's RSS.
// The passages are generated inside the database (a recursive CTE on SQLite, generate_series on
// PostgreSQL): 5M rows built in JavaScript would measure the loader, not the registry.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import { parsePlate } from '../common/validators.js';
import type { DB } from '../server/db/index.js';
import { insertRows } from '../server/db/insert-rows.js';
import { newUserRow } from '../server/modules/accounts/index.js';
import { createSession } from '../server/platform/auth.js';
import { createPiiCipher, type PiiCipher } from '../server/platform/pii.js';
import type { ServerMemory } from './app-server.js';
import { startBenchServer } from './child-server.js';
import { cell, httpLoad, prng, rssMb, sample, summarize, type Summary, type Workload } from './lib.js';
import { AUDIT_KEY, explain, ratio, runSideBySide, seedDistrict, type Opened } from './targets.js';

const PASSAGES = Number(process.env.BENCH_DEFENCE_PASSAGES ?? 5_000_000);
const CHECKPOINTS = 700;
/** The passages are spread over this many days before now. */
const DAYS = 28;
const CLIENTS = 16;
/** Phones at 700 checkpoints send independently: at 1,000/s and tens of ms each, dozens are in flight (ADR 0005). */
const MANY_CLIENTS = 64;
const N = {
  register: Number(process.env.BENCH_DEFENCE_REGISTRATIONS ?? 4000),
  warmup: 200,
  bare: 2000,
  plate: 300,
  stats: 200,
};
const GOALS = { perSecond: 1000, plateP95: 20, statsP95: 50 };
const PASSWORD = 'bench-password-1';
const HOUR = 3_600_000;
const mb = (m: NodeJS.MemoryUsage) => Math.round((m.rss / 1_048_576) * 10) / 10;

interface TargetResult {
  load: { ms: number; passages: number; people: number; hourly: number };
  register: {
    n: number;
    clients: number;
    perSecond: number;
    latencyMs: Summary;
    handoffs: number;
    linked: number;
    bare: { n: number; perSecond: number };
    apiOverBare: number;
    many: { clients: number; perSecond: number; latencyMs: Summary; apiOverBare: number };
  };
  plate: { apiMs: Summary; hits: number };
  stats: { apiMs: Summary; buckets: number };
  server: { started: number; afterRegister: number; afterReads: number };
  loader: number;
}

/** Distinct plates among the loaded passages: each recurs about 25 times over the four weeks. */
const PLATES = 200_000;
const PROVINCES = '浙浙浙浙皖苏沪赣';
const LETTERS = 'ABCDEFGHJKL';
/** Plate number n as parsePlate keeps it: 浙A–浙L and a few neighbours', one in ten new-energy. */
function plateOf(n: number) {
  const digits = String(n % 100_000).padStart(5, '0');
  const p = `${PROVINCES[n % 8]}${LETTERS[Math.floor(n / 8) % 11]}`;
  return n % 10 === 0 ? `${p}D${digits}` : `${p}${digits}`;
}
/** plateOf in SQL, for the passages generated in the database. */
function plateSql(dialect: 'sqlite' | 'postgres', n: RawBuilder<unknown>) {
  const digits =
    dialect === 'sqlite' ? sql`printf('%05d', ${n} % 100000)` : sql`lpad((${n} % 100000)::text, 5, '0')`;
  return sql`substr(${PROVINCES}, ${n} % 8 + 1, 1) || substr(${LETTERS}, (${n} / 8) % 11 + 1, 1)
    || case when ${n} % 10 = 0 then 'D' else '' end || ${digits}`;
}

type LoadedTable = 'passages' | 'passage_people' | 'passage_hourly';
async function rowCount(db: DB, table: LoadedTable) {
  const { n } = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Loads checkpoints at village entrances and `PASSAGES` passages with their people and hourly counts. */
async function loadPassages(db: DB, dialect: 'sqlite' | 'postgres', log: (s: string) => void) {
  const t0 = performance.now();
  for (let n = 0; n < 40; n++) parsePlateOrThrow(plateOf(n));
  const villages = await db
    .selectFrom('nodes')
    .select(['id', 'path', 'name', 'centroid_lat', 'centroid_lng'])
    .where('level', '=', 'village')
    .orderBy('id')
    .execute();
  const now = new Date().toISOString();
  const cps = Array.from({ length: CHECKPOINTS }, (_, i) => {
    const v = villages[i % villages.length]!;
    return {
      name: `${v.name}${i >= villages.length ? '二号' : ''}卡口`,
      type: i % 7 === 0 ? ('road' as const) : ('village_entrance' as const),
      lat: v.centroid_lat,
      lng: v.centroid_lng,
      node_id: v.id,
      node_path: v.path,
      command_id: null,
      status: 'open' as const,
      status_from: now,
      staff_per_shift: 2,
      lead_user_id: null,
      created_by_user_id: null,
      created_at: now,
      updated_at: now,
    };
  });
  const ids = (await insertRows('checkpoints', ['id'])(db, cps)).map((r) => r.id);
  const first = ids[0]!;
  if (ids.at(-1) !== first + CHECKPOINTS - 1) throw new Error('the checkpoints did not get consecutive ids');
  const registrar = (
    await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
  ).id;
  // The demo's seed has registered a week at its own checkpoints already: the load starts after them.
  const seeded = Number(
    (
      await db
        .selectFrom('passages')
        .select((eb) => eb.fn.coalesce(eb.fn.max('id'), eb.lit(0)).as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const startSec = Math.floor(Date.now() / 1000) - DAYS * 86_400;
  const step = (DAYS * 86_400) / PASSAGES;
  const CHUNK = 250_000;
  for (let lo = 1; lo <= PASSAGES; lo += CHUNK) {
    const hi = Math.min(PASSAGES, lo + CHUNK - 1);
    // i → checkpoint, time, plate (one of 200,000, so a plate recurs about 25 times), direction, risk.
    const series =
      dialect === 'sqlite'
        ? sql`with recursive s(i) as (select ${lo} union all select i + 1 from s where i < ${hi}) select i from s`
        : sql`select generate_series(${lo}::int, ${hi}::int) as i`;
    const at =
      dialect === 'sqlite'
        ? sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${startSec} + s.i * ${step}, 'unixepoch')`
        : sql`to_char(to_timestamp(${startSec} + s.i * ${step}::float8) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    await sql`
      insert into passages (checkpoint_id, node_path, command_id, direction, plate, vehicle_type, origin_region,
        destination_node_id, destination_region, purpose, answers, risky, people_count, registered_at,
        registered_by_user_id, created_at)
      select c.id, c.node_path, null, case when s.i % 2 = 0 then 'in' else 'out' end, ${plateSql(dialect, dialect === 'sqlite' ? sql`((s.i * 7919) % ${PLATES})` : sql`((s.i::bigint * 7919) % ${PLATES})::int`)},
        'car', '330112', null, null, null, null, case when s.i % 50 = 0 then 1 else 0 end, 1 + s.i % 3, ${at},
        ${registrar}, ${at}
      from (${series}) as s join checkpoints as c on c.id = ${first} + s.i % ${CHECKPOINTS}`.execute(db);
    log(`    ${hi.toLocaleString('en')} passages…`);
  }
  // The database spelt the plates as plateOf does: passage i = 1 has plate number 7919.
  const firstPlate = await db
    .selectFrom('passages')
    .select('plate')
    .where('id', '>', seeded)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  if (firstPlate.plate !== plateOf(7919))
    throw new Error(`plate spelt ${firstPlate.plate}, not ${plateOf(7919)}`);
  log('    the people aboard…');
  const random = dialect === 'sqlite' ? sql`hex(randomblob(16))` : sql`md5(random()::text)`;
  await sql`
    insert into passage_people (passage_id, name, id_number_enc, id_number_bidx, id_number_masked, phone_enc,
      phone_bidx, phone_masked, no_id_reason, person_id, answers, temperature, risky, reasons)
    select p.id, '旅客' || p.id || '-' || k.k, ${random}, ${random}, '330112********000X', ${random}, ${random},
      '138****0000', null, null, null, 36.5, p.risky, ${sql.raw("'[]'")}
    from passages as p join (select 1 as k union all select 2 union all select 3) as k on k.k <= p.people_count
    where p.id > ${seeded}`.execute(db);
  log('    hourly counts…');
  const hour = sql`substr(registered_at, 1, 13)`;
  await sql`
    insert into passage_hourly (checkpoint_id, node_path, hour, in_count, out_count, risky_count)
    select checkpoint_id, min(node_path), ${hour},
      sum(case when direction = 'in' then 1 else 0 end), sum(case when direction = 'out' then 1 else 0 end),
      sum(risky)
    from passages where id > ${seeded} group by checkpoint_id, ${hour}`.execute(db);
  if (dialect === 'postgres')
    await sql`vacuum (analyze) passages, passage_people, passage_hourly`.execute(db);
  else await sql`analyze`.execute(db);
  const count = (t: LoadedTable) => rowCount(db, t);
  return {
    ms: performance.now() - t0,
    passages: await count('passages'),
    people: await count('passage_people'),
    hourly: await count('passage_hourly'),
    checkpoints: ids,
  };
}

function parsePlateOrThrow(raw: string) {
  const r = parsePlate(raw);
  if (!r.ok) throw new Error(`bench plate ${raw}: ${r.reason}`);
  return r.value.value;
}

/** Registration bodies: random checkpoints and plates, 1–3 people, a third from the registry, one in twenty risky. */
async function registrations(db: DB, pii: PiiCipher, checkpoints: number[], count: number) {
  const r = prng(15);
  const registered = await db
    .selectFrom('persons')
    .select(['name', 'id_number_enc'])
    .where('id_number_enc', 'is not', null)
    .orderBy('id')
    .limit(3000)
    .execute();
  const grids = await db.selectFrom('nodes').select('id').where('level', '=', 'grid').execute();
  const idOf = (n: number) => {
    // A valid GB 11643 number outside the registry: Lin'an (330112), born 1960–1999.
    const first17 = `330112${1960 + (n % 40)}${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const sum = [...first17].reduce((a, c, i) => a + Number(c) * w[i]!, 0);
    return first17 + '10X98765432'[sum % 11]!;
  };
  return Array.from({ length: count }, (_, i) => {
    const aboard = 1 + r(3);
    const risky = r(20) === 0;
    return {
      checkpointId: checkpoints[r(checkpoints.length)]!,
      direction: r(2) === 0 ? 'in' : 'out',
      plate: plateOf(PLATES + i),
      vehicleType: 'car',
      people: Array.from({ length: aboard }, (_, k) => {
        const known = r(3) === 0 ? registered[r(registered.length)] : undefined;
        return {
          name: known?.name ?? `基准旅客${i}-${k}`,
          idNumber: known ? pii.decrypt(known.id_number_enc!) : idOf(i * 3 + k),
          phone: `139${String(10_000_000 + ((i * 3 + k) % 89_999_999)).padStart(8, '0')}`,
          answers: { keyRegion14d: risky && k === 0, caseContact: false, temperature: 36.4 },
        };
      }),
      originRegion: r(4) === 0 ? '340100' : '330112',
      destinationNodeId: grids[r(grids.length)]!.id,
      purpose: '返乡',
    };
  });
}

/** The PII key a kept SQLite directory was seeded with, beside its database. */
const KEY_FILE = 'bench-pii-key';

/**
 * Seeds the district and loads the passages; or, on a SQLite directory copied from a kept one
 * (BENCH_SQLITE_FROM), finds what that run loaded, so that changes can be measured in pairs
 * without loading 5M passages each time.
 */
async function seededAndLoaded(opened: Opened, log: (s: string) => void) {
  const { db } = opened.database;
  const keyFile = path.join(opened.config.dataDir, KEY_FILE);
  if (opened.database.dialect === 'sqlite' && process.env.BENCH_SQLITE_FROM && fs.existsSync(keyFile)) {
    const piiKey = fs.readFileSync(keyFile, 'utf8').trim();
    const count = (t: LoadedTable) => rowCount(db, t);
    const checkpoints = (
      await db.selectFrom('checkpoints').select('id').orderBy('id', 'desc').limit(CHECKPOINTS).execute()
    )
      .map((c) => c.id)
      .reverse();
    const loaded = {
      ms: 0,
      passages: await count('passages'),
      people: await count('passage_people'),
      hourly: await count('passage_hourly'),
      checkpoints,
    };
    log(`  started from ${process.env.BENCH_SQLITE_FROM}: ${loaded.passages.toLocaleString('en')} passages`);
    return { pii: createPiiCipher(Buffer.from(piiKey, 'base64')), piiKey, loaded };
  }
  const { pii, piiKey, seedMs } = await seedDistrict(db, opened.schema, PASSWORD);
  if (opened.database.dialect === 'sqlite') fs.writeFileSync(keyFile, piiKey);
  log(
    `  seeded the district (700,000 residents) in ${(seedMs / 1000).toFixed(1)} s; loading ${PASSAGES.toLocaleString('en')} passages…`,
  );
  const loaded = await loadPassages(db, opened.database.dialect, log);
  log(
    `  loaded ${loaded.passages.toLocaleString('en')} passages, ${loaded.people.toLocaleString('en')} people aboard in ${(loaded.ms / 1000).toFixed(1)} s`,
  );
  return { pii, piiKey, loaded };
}

async function measure(open: () => Promise<Opened>, log: (s: string) => void): Promise<TargetResult> {
  const opened = await open();
  const { database, cleanup, schema } = opened;
  const { db } = database;
  try {
    const { pii, piiKey, loaded } = await seededAndLoaded(opened, log);
    const loader = rssMb();
    // The plate search's statements (as passages.repository.ts builds them for the district's root), planned.
    const rootPath = (
      await db.selectFrom('nodes').select('path').where('parent_id', 'is', null).executeTakeFirstOrThrow()
    ).path;
    const [lo, hi] = [rootPath, `${rootPath.slice(0, -1)}0`];
    const where = sql`(p.node_path >= ${lo} and p.node_path < ${hi}) and p.plate = ${plateOf(7919)}`;
    log(`  plan, count: ${await explain(database, sql`select count(*) from passages as p where ${where}`)}`);
    log(
      `  plan, page: ${await explain(database, sql`select p.id from passages as p where ${where} order by p.registered_at desc, p.id desc limit 20`)}`,
    );
    const bodies = await registrations(db, pii, loaded.checkpoints, N.warmup + 2 * N.register);

    // Staff at the district's root: every checkpoint is in their jurisdiction.
    const root = await db
      .selectFrom('nodes')
      .select('id')
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    const role = await db
      .selectFrom('roles')
      .select('id')
      .where('code', '=', 'checkpoint_staff')
      .executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    // A database kept by an earlier run has its checkpoint staff already.
    const kept = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'bench_checkpoint')
      .executeTakeFirst();
    const { id: staffId } =
      kept ??
      (await db
        .insertInto('users')
        .values(newUserRow('bench_checkpoint', '基准卡口值守', 'x', now))
        .returning('id')
        .executeTakeFirstOrThrow());
    if (!kept)
      await db
        .insertInto('role_assignments')
        .values({ user_id: staffId, role_id: role.id, node_id: root.id, created_at: now })
        .execute();
    const session = await createSession(db, staffId, 12, {});
    const cookie = `linli_session=${session.token}; csrf=${session.csrfToken}`;
    const headers = { cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' };
    // The reads as the district's commander: the chain of command reads passages, the staff register them.
    const commander = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'commander')
      .executeTakeFirstOrThrow();
    const reader = { cookie: `linli_session=${(await createSession(db, commander.id, 12, {})).token}` };

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
      const key = () => crypto.randomUUID();
      // (a) Registrations: a warm-up, then the measured run, each with its own key.
      const handoffsBefore = Number(
        (
          await db
            .selectFrom('handoffs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const send = (from: number, to: number, concurrency = CLIENTS) =>
        httpLoad({
          url: `${server.base}/api/passages`,
          method: 'POST',
          headers,
          bodies: bodies.slice(from, to).map((b) => JSON.stringify(b)),
          concurrency,
          headerPerBody: { name: 'idempotency-key', values: bodies.slice(from, to).map(key) },
        });
      await send(0, N.warmup);
      const load = await send(N.warmup, N.warmup + N.register);
      const perSecond = Math.round((N.register / load.ms) * 1000);
      log(`  registrations: ${perSecond}/s through the API from ${CLIENTS} clients`);
      const loadMany = await send(N.warmup + N.register, N.warmup + 2 * N.register, MANY_CLIENTS);
      const manyPerSecond = Math.round((N.register / loadMany.ms) * 1000);
      log(`  registrations: ${manyPerSecond}/s through the API from ${MANY_CLIENTS} clients`);
      const handoffs =
        Number(
          (
            await db
              .selectFrom('handoffs')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ) - handoffsBefore;
      const linked = Number(
        (
          await db
            .selectFrom('passage_people')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('person_id', 'is not', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
      const afterRegister = await memory();

      // The same rows bare: a passage and its people in one transaction, one after another.
      const template = await db
        .selectFrom('passages')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      const aboard = await db
        .selectFrom('passage_people')
        .selectAll()
        .where('passage_id', '=', template.id)
        .execute();
      const insertPassage = insertRows('passages', ['id']);
      const insertPeople = insertRows('passage_people');
      const t0 = performance.now();
      for (let i = 0; i < N.bare; i++) {
        await db.transaction().execute(async (trx) => {
          const { id: _id, ...row } = template;
          const [p] = await insertPassage(trx, [{ ...row, registered_at: new Date().toISOString() }]);
          await insertPeople(
            trx,
            aboard.map(({ id: _pid, ...person }) => ({ ...person, passage_id: p!.id })),
          );
        });
      }
      const bare = Math.round((N.bare / (performance.now() - t0)) * 1000);
      log(`  bare insert: ${bare}/s`);

      // (b) Plate search for plates seen (each recurs about 25 times over the four weeks).
      const r = prng(3);
      let hits = 0;
      const plateMs = summarize(
        await sample(N.plate, 20, async () => {
          const plate = plateOf(r(PLATES));
          const res = await fetch(`${server.base}/api/passages?plate=${encodeURIComponent(plate)}`, {
            headers: reader,
          });
          if (res.status !== 200) throw new Error(`plate search ${res.status}: ${await res.text()}`);
          hits += ((await res.json()) as { total: number }).total;
        }),
      );
      log(`  plate search p95 ${plateMs.p95} ms`);

      // (c) A checkpoint's week, by the hour.
      const to = new Date();
      const from = new Date(to.getTime() - 7 * 24 * HOUR);
      let buckets = 0;
      const statsMs = summarize(
        await sample(N.stats, 20, async () => {
          const cp = loaded.checkpoints[r(loaded.checkpoints.length)]!;
          const q = new URLSearchParams({
            checkpointId: String(cp),
            from: from.toISOString(),
            to: to.toISOString(),
            bucket: 'hour',
          });
          const res = await fetch(`${server.base}/api/passages/stats?${q.toString()}`, {
            headers: reader,
          });
          if (res.status !== 200) throw new Error(`stats ${res.status}: ${await res.text()}`);
          buckets = ((await res.json()) as { buckets: unknown[] }).buckets.length;
        }),
      );
      log(`  a checkpoint's week by the hour p95 ${statsMs.p95} ms`);
      return {
        load: { ms: loaded.ms, passages: loaded.passages, people: loaded.people, hourly: loaded.hourly },
        register: {
          n: N.register,
          clients: CLIENTS,
          perSecond,
          latencyMs: summarize(load.latencies),
          handoffs,
          linked,
          bare: { n: N.bare, perSecond: bare },
          apiOverBare: ratio(perSecond, bare),
          many: {
            clients: MANY_CLIENTS,
            perSecond: manyPerSecond,
            latencyMs: summarize(loadMany.latencies),
            apiOverBare: ratio(manyPerSecond, bare),
          },
        },
        plate: { apiMs: plateMs, hits: Math.round(hits / (N.plate + 20)) },
        stats: { apiMs: statsMs, buckets },
        server: { started, afterRegister, afterReads: await memory() },
        loader,
      };
    } finally {
      await server.close();
    }
  } finally {
    await cleanup();
  }
}

function tableRows(): [string, (r: TargetResult) => string][] {
  const { ms, p50p95, count: k, goal } = cell;
  return [
    [
      'passages / people aboard / hourly rows',
      (r) => `${k(r.load.passages)} / ${k(r.load.people)} / ${k(r.load.hourly)}`,
    ],
    ['load, s', (r) => (r.load.ms / 1000).toFixed(1)],
    [
      `(a) registrations through the API, per s (${CLIENTS} clients; goal ≥ ${k(GOALS.perSecond)})`,
      (r) => k(r.register.perSecond),
    ],
    [
      '    goal',
      (r) => goal(r.register.perSecond >= GOALS.perSecond, `${k(GOALS.perSecond - r.register.perSecond)}/s`),
    ],
    ['    latency p50 / p95, ms', (r) => p50p95(r.register.latencyMs)],
    [
      '    bare insert (a passage and its people, one transaction each), per s',
      (r) => k(r.register.bare.perSecond),
    ],
    ['    API ÷ bare', (r) => `${r.register.apiOverBare}×`],
    [
      `(a') registrations through the API, per s (${MANY_CLIENTS} clients)`,
      (r) => k(r.register.many.perSecond),
    ],
    [
      '    goal',
      (r) =>
        goal(
          r.register.many.perSecond >= GOALS.perSecond,
          `${k(GOALS.perSecond - r.register.many.perSecond)}/s`,
        ),
    ],
    ['    latency p50 / p95, ms', (r) => p50p95(r.register.many.latencyMs)],
    ['    API ÷ bare', (r) => `${r.register.many.apiOverBare}×`],
    [
      '    hand-offs created / travellers linked to the registry',
      (r) => `${k(r.register.handoffs)} / ${k(r.register.linked)}`,
    ],
    [`(b) plate search p50 / p95, ms (goal p95 ≤ ${GOALS.plateP95})`, (r) => p50p95(r.plate.apiMs)],
    [
      '    goal',
      (r) => goal(r.plate.apiMs.p95 <= GOALS.plateP95, `${ms(r.plate.apiMs.p95 - GOALS.plateP95)} ms`),
    ],
    ['    passages per plate found', (r) => String(r.plate.hits)],
    [
      `(c) a checkpoint's week by the hour p50 / p95, ms (goal p95 ≤ ${GOALS.statsP95})`,
      (r) => p50p95(r.stats.apiMs),
    ],
    [
      '    goal',
      (r) => goal(r.stats.apiMs.p95 <= GOALS.statsP95, `${ms(r.stats.apiMs.p95 - GOALS.statsP95)} ms`),
    ],
    [
      '(d) server RSS: started / after registrations / after reads, MB',
      (r) => `${r.server.started} / ${r.server.afterRegister} / ${r.server.afterReads}`,
    ],
    ['the bench process after the load (the loader, not the server), MB', (r) => String(r.loader)],
  ];
}

export const defence: Workload = {
  summary: `district with ${PASSAGES.toLocaleString('en')} passages at ${CHECKPOINTS} checkpoints; registrations/s through the API vs a bare insert; plate search; a checkpoint's hourly week; RSS`,
  usage:
    '[--pg | --no-pg | --no-sqlite]   (env BENCH_DEFENCE_PASSAGES changes the volume, BENCH_DEFENCE_REGISTRATIONS the registrations timed; BENCH_SQLITE_FROM: bench/README.md)',
  run: (args, log) =>
    runSideBySide(
      'defence',
      args,
      log,
      measure,
      tableRows(),
      { ...N, passages: PASSAGES, clients: CLIENTS },
      // BENCH_SQLITE_FROM: a SQLite directory kept by an earlier run (BENCH_KEEP_SCHEMA=1), copied: no load.
      { sqliteFrom: process.env.BENCH_SQLITE_FROM },
    ),
};
