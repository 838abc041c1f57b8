// `npm run bench -- services`: joint services (服务联办, issue 18) at district scale. On each database:
// the district's tree and the demo accounts (seedDemo without the personal-data key: no residents;
// the volunteers' and the people in need's person rows are written directly), then, untimed and
// written directly: volunteer organisations (a party branch in every village, three more in every
// town), 20,000 volunteers over the district's grids (some thousands with an account and the role
// volunteer), 200,000 service requests over the past year (most done by a volunteer of the person's
// town), a year of call-outs with their sign-ups and credited minutes, a few hundred open call-outs,
// and the volunteer_hours those imply. Then, against the app in its own process, over real HTTP:
//   (1) sign-ups: one call-out of 150 places and 200 volunteers (each signed in, a socket each)
//       tapping "sign up" at the same moment, a few rounds with fresh call-outs: sign-ups per second,
//       201s and 409s, and no overfill (filled = capacity = rows signed up);
//   (2) "near me": GET /api/callouts?near=1 as volunteers of every town, p95; the same through the
//       service in this process (no socket, no JSON), and the statements it sends, planned;
//   (3) hours rankings: GET /api/services/hours/rankings for a year and a month, by volunteer and by
//       organisation, as the district's commander and a town's, p95; the answer checked against the
//       loaded minutes; the ranking statements planned;
//   (4) the server's RSS, and this process's.
import crypto from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { sql } from 'kysely';
import {
  REQUEST_KINDS,
  REQUEST_SOURCES,
  RESPOND_HOURS,
  SKILLS,
  type RequestKind,
  type RequestState,
  type VolunteerOrgKind,
  type VolunteerState,
} from '../common/contracts/services-codes.js';
import { localDate } from '../common/worktime.js';
import { migrateToLatest, nowIso, type DB } from '../server/db/index.js';
import { insertRows } from '../server/db/insert-rows.js';
import { seedDemo } from '../server/demo/index.js';
import { ensureBuiltinRoles, newUserRow } from '../server/modules/accounts/index.js';
import { createServicesService, rebuildYearlyHours } from '../server/modules/services/index.js';
import type { RequestContext } from '../server/platform/actor.js';
import { createSession, loadActor } from '../server/platform/auth.js';
import { hashPassword } from '../server/platform/crypto.js';
import { createPiiCipher } from '../server/platform/pii.js';
import type { ServerMemory } from './app-server.js';
import { startBenchServer } from './child-server.js';
import { cell, prng, rssMb, sample, summarize, type Summary, type Workload } from './lib.js';
import { AUDIT_KEY, explainCall, runSideBySide, type Opened, type StatementFigures } from './targets.js';

const PASSWORD = 'bench-password-330112';
const VOLUNTEERS = Number(process.env.BENCH_SERVICES_VOLUNTEERS ?? 20_000);
/** Volunteers with an account (role volunteer at their home grid): only they sign up, take tasks, earn hours. */
const ACCOUNTS = Number(process.env.BENCH_SERVICES_ACCOUNTS ?? 8_000);
const REQUESTS = Number(process.env.BENCH_SERVICES_REQUESTS ?? 200_000);
/** The people the requests serve: the district's elderly living alone, disabled, in hardship. */
const RECIPIENTS = Math.max(100, Math.round(REQUESTS / 14));
/** Call-outs over the past year (closed or cancelled), and open ones not yet over. */
const PAST_CALLOUTS = Number(process.env.BENCH_SERVICES_PAST_CALLOUTS ?? 6_000);
const OPEN_CALLOUTS = Number(process.env.BENCH_SERVICES_OPEN_CALLOUTS ?? 400);
const CLIENTS = Number(process.env.BENCH_SERVICES_CLIENTS ?? 200);
const CAPACITY = Number(process.env.BENCH_SERVICES_CAPACITY ?? 150);
const ROUNDS = Number(process.env.BENCH_SERVICES_ROUNDS ?? 5);
/** Sign-ups timed one after another through the service (different volunteers from the rounds' first). */
const SEQUENTIAL = 100;
const N = { near: 300, nearWarmup: 20, rank: 50, rankWarmup: 5, statement: 20 };
const GOAL = { nearP95Ms: 30, rankP95Ms: 50 };
/** The town commander's town (the demo's towncmd). */
const COMMANDER_TOWN = '锦城街道';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const mb = (m: NodeJS.MemoryUsage) => Math.round((m.rss / 1_048_576) * 10) / 10;
const iso = (ms: number) => new Date(ms).toISOString();
const monthOf = (at: string) => localDate(at).slice(0, 7);
const loadNow = () => Math.round(os.loadavg()[0]! * 10) / 10;

type Ctx = RequestContext;

interface Place {
  id: number;
  path: string;
  name: string;
  level: string;
  parent_id: number | null;
  centroid_lat: number | null;
  centroid_lng: number | null;
}
interface Vol {
  id: number;
  userId: number | null;
  orgId: number | null;
  homePath: string;
  town: number;
  active: boolean;
}
interface Loaded {
  volunteers: Vol[];
  orgs: number;
  accounts: number;
  recipients: number;
  requests: number;
  requestsOpen: number;
  pastCallouts: number;
  pastSignups: number;
  openCallouts: number;
  hoursRows: number;
  /** volunteer id → month → minutes, as loaded: the rankings are checked against it. */
  minutes: Map<number, Map<string, number>>;
}

interface Round {
  calloutId: number;
  created: number;
  conflicts: number;
  other: number;
  /** From the first request sent to the last answer, and to the last 201. */
  allMs: number;
  fillMs: number;
  answeredPerSecond: number;
  signupsPerSecond: number;
  latencyMs: Summary;
  filled: number;
  signedUp: number;
  ok: boolean;
}
interface RankFigures {
  label: string;
  ms: Summary;
  items: number;
}
interface TargetResult {
  nodes: { towns: number; villages: number; grids: number };
  seedSeconds: number;
  loadSeconds: number;
  loaded: Omit<Loaded, 'volunteers' | 'minutes'> & { volunteers: number };
  signups: {
    clients: number;
    capacity: number;
    rounds: Round[];
    /** Medians over the rounds. */
    answeredPerSecond: number;
    signupsPerSecond: number;
    /** Every sign-up request of every round. */
    latencyMs: Summary;
    noOverfill: boolean;
    /** SEQUENTIAL sign-ups one after another through the service in this process. */
    oneAtATimeMs: Summary;
  };
  near: {
    apiMs: Summary;
    serviceMs: Summary;
    volunteers: number;
    listedMean: number;
    statements: StatementFigures[];
  };
  rankings: {
    district: RankFigures[];
    town: RankFigures[];
    /** The district's year by volunteer, and its year by organisation, against the loaded minutes. */
    same: boolean;
    statements: StatementFigures[];
  };
  server: { started: number; afterSignups: number; afterReads: number };
  rssMb: { start: number; afterLoad: number; end: number };
  /** os.loadavg() (1 min) at the start, before the sign-ups, before the reads, at the end: the machine is shared. */
  loadAverage: number[];
}

// ------------------------------------------------------------------------------------------------
// The load.

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁';
const GIVEN = '建国 志强 秀兰 海燕 卫东 文斌 丽萍 春华 思远 德明 立新 红梅 国庆 美玲 晓东 玉芬'.split(' ');
const nameOf = (i: number) => `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / 7) % GIVEN.length]}`;

/** The town (its id) a path lies in: /district/town/… */
const townOfPath = (path: string) => Number(path.split('/')[2]);

async function loadServices(
  db: DB,
  o: { places: Place[]; commanderId: number; coordinatorId: number; log: (s: string) => void },
): Promise<Loaded> {
  const rand = prng(18_2026);
  const r = () => rand(1_000_000) / 1_000_000;
  const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)]!;
  const at = nowIso();
  const now = Date.parse(at);
  const towns = o.places.filter((p) => p.level === 'town');
  const villages = o.places.filter((p) => p.level === 'village');
  const grids = o.places.filter((p) => p.level === 'grid');
  const villageOf = new Map(o.places.map((p) => [p.id, p.parent_id]));

  // Organisations: a party branch in every village, an NGO, an enterprise and an owners' committee in every town.
  const orgRows: { kind: VolunteerOrgKind; name: string; place: Place }[] = [
    ...villages.map((v) => ({
      kind: 'party_branch' as const,
      name: `${v.name}党支部志愿服务队`,
      place: v,
    })),
    ...towns.flatMap((t) => [
      { kind: 'ngo' as const, name: `${t.name}寸草心志愿服务中心`, place: t },
      { kind: 'enterprise' as const, name: `${t.name}企业志愿者联盟`, place: t },
      { kind: 'owners_committee' as const, name: `${t.name}业委会志愿队`, place: t },
    ]),
  ];
  const orgIds = (
    await insertRows('volunteer_orgs', ['id'])(
      db,
      orgRows.map((g) => ({
        kind: g.kind,
        name: g.name,
        node_id: g.place.id,
        node_path: g.place.path,
        description: null,
        created_at: at,
      })),
    )
  ).map((x) => x.id);
  const branchOf = new Map(villages.map((v, i) => [v.id, orgIds[i]!]));
  const townOrgs = new Map(
    towns.map((t, i) => [t.id, orgIds.slice(villages.length + 3 * i, villages.length + 3 * i + 3)]),
  );
  if (orgIds.length > 0)
    await db
      .insertInto('volunteer_org_coordinators')
      .values(orgIds.slice(0, 50).map((org_id) => ({ org_id, user_id: o.coordinatorId })))
      .execute();

  // The volunteers' person rows, their accounts, then the volunteers.
  const homes = Array.from({ length: VOLUNTEERS }, () => pick(grids));
  const persons = insertRows('persons', ['id']);
  const personRow = (i: number, g: Place, address: string | null) => ({
    node_id: g.id,
    node_path: g.path,
    name: nameOf(i),
    residence_type: 'registered',
    address,
    created_at: at,
    updated_at: at,
  });
  const volunteerPersons = (
    await persons(
      db,
      homes.map((g, i) => personRow(i, g, null)),
    )
  ).map((x) => x.id);
  const hash = await hashPassword(`bench-${crypto.randomBytes(8).toString('hex')}-unusable`);
  const accounts = Math.min(ACCOUNTS, VOLUNTEERS);
  const userIds = (
    await insertRows('users', ['id'])(
      db,
      Array.from({ length: accounts }, (_, i) => newUserRow(`bench_vol_${i + 1}`, nameOf(i), hash, at)),
    )
  ).map((x) => x.id);
  const role = await db
    .selectFrom('roles')
    .select('id')
    .where('code', '=', 'volunteer')
    .executeTakeFirstOrThrow();
  await insertRows('role_assignments')(
    db,
    userIds.map((user_id, i) => ({ user_id, role_id: role.id, node_id: homes[i]!.id, created_at: at })),
  );
  const volRows = homes.map((g, i) => {
    const x = r();
    const village = villageOf.get(g.id)!;
    const orgId = x < 0.5 ? branchOf.get(village)! : x < 0.8 ? pick(townOrgs.get(townOfPath(g.path))!) : null;
    const skills = [...new Set([pick(SKILLS), pick(SKILLS), pick(SKILLS)])].slice(0, 1 + rand(3));
    // Those with an account are the ones at work: active, but for a few who paused.
    const status: VolunteerState =
      i < accounts ? (r() < 0.97 ? 'active' : 'paused') : r() < 0.85 ? 'active' : 'left';
    return {
      person_id: volunteerPersons[i]!,
      user_id: i < accounts ? userIds[i]! : null,
      org_id: orgId,
      name: nameOf(i),
      home_node_id: g.id,
      home_path: g.path,
      party_member: r() < 0.4 ? 1 : 0,
      skills: JSON.stringify(skills),
      certifications: '[]',
      languages: '["mandarin"]',
      availability: '[]',
      status,
      consent_at: iso(now - r() * 3 * 365 * DAY),
      consent_recorded_by: o.coordinatorId,
      joined_via: (i < accounts ? 'invitation' : pick(['coordinator', 'import'])) as 'import',
      created_at: at,
      updated_at: at,
    };
  });
  const volIds = (await insertRows('volunteers', ['id'])(db, volRows)).map((x) => x.id);
  const volunteers: Vol[] = volRows.map((v, i) => ({
    id: volIds[i]!,
    userId: v.user_id,
    orgId: v.org_id,
    homePath: v.home_path,
    town: townOfPath(v.home_path),
    active: v.status === 'active',
  }));
  o.log(`    ${VOLUNTEERS} volunteers (${accounts} with an account), ${orgIds.length} organisations`);
  // Who works in each town: the volunteers with an account, active.
  const workers = new Map<number, Vol[]>(towns.map((t) => [t.id, []]));
  for (const v of volunteers) if (v.userId !== null && v.active) workers.get(v.town)!.push(v);
  const anyWorker = volunteers.filter((v) => v.userId !== null && v.active);

  const minutes = new Map<number, Map<string, number>>();
  const credit = (v: number, month: string, m: number) => {
    let byMonth = minutes.get(v);
    if (!byMonth) minutes.set(v, (byMonth = new Map<string, number>()));
    byMonth.set(month, (byMonth.get(month) ?? 0) + m);
  };
  const workerIn = (town: number) => {
    const ws = workers.get(town)!;
    return ws.length ? pick(ws) : pick(anyWorker);
  };

  // The people in need, and a year of their requests.
  const recipientHomes = Array.from({ length: RECIPIENTS }, () => pick(grids));
  const recipientIds = (
    await persons(
      db,
      recipientHomes.map((g, i) => personRow(VOLUNTEERS + i, g, `${g.name}${1 + (i % 60)}号`)),
    )
  ).map((x) => x.id);
  let requestsOpen = 0;
  const insertRequests = insertRows('service_requests');
  const CHUNK = 20_000;
  for (let lo = 0; lo < REQUESTS; lo += CHUNK) {
    const rows = [];
    for (let i = lo; i < Math.min(REQUESTS, lo + CHUNK); i++) {
      const who = rand(RECIPIENTS);
      const g = recipientHomes[who]!;
      const kind: RequestKind = pick(REQUEST_KINDS);
      // The last 0.5 % of the year (about two days) is still in hand; the rest done or cancelled.
      const age = r();
      const created = now - (age * 365 + 0.01) * DAY;
      const recent = age < 0.005;
      const status: RequestState = recent
        ? pick(['open', 'assigned', 'accepted', 'accepted', 'done'] as const)
        : r() < 0.94
          ? 'done'
          : 'cancelled';
      if (status !== 'done' && status !== 'cancelled') requestsOpen++;
      const v = status === 'open' || status === 'cancelled' ? null : workerIn(townOfPath(g.path));
      const accepted = v && status !== 'assigned' ? created + (0.2 + r()) * HOUR : null;
      const done = status === 'done' ? Math.min(now - 60_000, accepted! + (1 + r() * 24) * HOUR) : null;
      const m = status === 'done' ? 30 + rand(151) : 0;
      if (v && done !== null) credit(v.id, monthOf(iso(done)), m);
      rows.push({
        person_id: recipientIds[who]!,
        node_id: g.id,
        node_path: g.path,
        kind,
        details: null,
        source: pick(REQUEST_SOURCES),
        follow_up_id: null,
        status,
        volunteer_id: v?.id ?? null,
        org_id: v?.orgId ?? null,
        respond_by: iso(created + RESPOND_HOURS[kind] * HOUR),
        escalation_level: 0,
        escalated_at: null,
        accepted_at: accepted === null ? null : iso(accepted),
        done_at: done === null ? null : iso(done),
        done_note: done === null ? null : '已上门服务，老人情况良好。',
        photo_sha256: null,
        photo_mime: null,
        photo: null,
        minutes: m,
        satisfaction: done !== null && r() < 0.6 ? 4 + rand(2) : null,
        cancel_reason: status === 'cancelled' ? '家属已处理' : null,
        created_by: o.coordinatorId,
        created_at: iso(created),
        updated_at: iso(done ?? accepted ?? created),
      });
    }
    await insertRequests(db, rows);
    o.log(`    ${Math.min(REQUESTS, lo + CHUNK).toLocaleString('en')} service requests…`);
  }

  // A year of call-outs, closed (a tenth cancelled before the day), their sign-ups done or no-shows;
  // then the open ones, not yet started, partly filled.
  const insertCallouts = insertRows('callouts', ['id']);
  const insertSignups = insertRows('callout_signups');
  const calloutsAt = async (count: number, open: boolean) => {
    const specs = Array.from({ length: count }, () => {
      const v = pick(villages);
      const start = open ? now + (1 + r() * 14 * 24) * HOUR : now - (1 + r() * 364) * DAY;
      const end = start + (2 + rand(3)) * HOUR;
      const capacity = 5 + rand(open ? 46 : 26);
      const cancelled = !open && r() < 0.1;
      const takers = cancelled ? 0 : Math.floor(capacity * (open ? r() * 0.5 : 0.5 + r() * 0.5));
      return { v, start, end, capacity, cancelled, takers };
    });
    const ids = (
      await insertCallouts(
        db,
        specs.map((s, i) => ({
          title: `${s.v.name}${pick(['敬老院助餐', '垃圾分类宣传', '防汛巡查', '核酸检测引导', '义诊服务', '环境整治'])}`,
          details: null,
          node_id: s.v.id,
          node_path: s.v.path,
          meeting_point: `${s.v.name}村委会门口`,
          lat: s.v.centroid_lat,
          lng: s.v.centroid_lng,
          starts_at: iso(s.start),
          ends_at: iso(s.end),
          capacity: s.capacity,
          filled: s.takers,
          skills: i % 4 === 0 ? JSON.stringify([pick(SKILLS)]) : '[]',
          shift_id: null,
          org_id: i % 3 === 0 ? branchOf.get(s.v.id)! : null,
          status: (open ? 'open' : s.cancelled ? 'cancelled' : 'closed') as 'open',
          posted_by: o.commanderId,
          created_at: iso(Math.min(now, s.start) - 3 * DAY),
          updated_at: iso(Math.min(now, s.end)),
        })),
      )
    ).map((x) => x.id);
    const rows = [];
    for (const [i, s] of specs.entries()) {
      const ws = workers.get(townOfPath(s.v.path))!;
      const chosen = new Set<Vol>();
      for (let k = 0; chosen.size < Math.min(s.takers, ws.length) && k < s.takers * 4; k++)
        chosen.add(pick(ws));
      for (const v of chosen) {
        const noShow = !open && r() < 0.08;
        const m = open || noShow ? 0 : Math.round((s.end - s.start) / 60_000);
        if (m > 0) credit(v.id, monthOf(iso(s.start)), m);
        rows.push({
          callout_id: ids[i]!,
          volunteer_id: v.id,
          status: (open ? 'signed_up' : noShow ? 'no_show' : 'done') as 'done',
          signed_at: iso(Math.min(now, s.start) - r() * 2 * DAY),
          checked_in_at: m > 0 ? iso(s.start - 10 * 60_000) : null,
          in_lat: null,
          in_lng: null,
          checked_out_at: m > 0 ? iso(s.end) : null,
          out_lat: null,
          out_lng: null,
          minutes: m,
        });
      }
    }
    // The chosen may fall short of the takers in a town with few workers: filled follows the rows.
    const taken = new Map<number, number>();
    for (const x of rows) taken.set(x.callout_id, (taken.get(x.callout_id) ?? 0) + 1);
    for (const [i, s] of specs.entries())
      if ((taken.get(ids[i]!) ?? 0) !== s.takers)
        await db
          .updateTable('callouts')
          .set({ filled: taken.get(ids[i]!) ?? 0 })
          .where('id', '=', ids[i]!)
          .execute();
    await insertSignups(db, rows);
    return rows.length;
  };
  const pastSignups = await calloutsAt(PAST_CALLOUTS, false);
  await calloutsAt(OPEN_CALLOUTS, true);
  o.log(`    ${PAST_CALLOUTS} past call-outs (${pastSignups} sign-ups), ${OPEN_CALLOUTS} open`);

  // The hours those imply, per volunteer and local month, with the organisation and home then; the
  // totals on the volunteers and organisations.
  const byId = new Map(volunteers.map((v) => [v.id, v]));
  const hours = [...minutes].flatMap(([id, byMonth]) =>
    [...byMonth].map(([month, m]) => ({
      volunteer_id: id,
      month,
      org_id: byId.get(id)!.orgId ?? 0,
      home_path: byId.get(id)!.homePath,
      minutes: m,
    })),
  );
  await insertRows('volunteer_hours')(db, hours);
  await rebuildYearlyHours(db);
  await sql`update volunteers set minutes_total = coalesce((select sum(h.minutes) from volunteer_hours as h
    where h.volunteer_id = volunteers.id), 0)`.execute(db);
  await sql`update volunteer_orgs set minutes_total = coalesce((select sum(h.minutes) from volunteer_hours as h
    where h.org_id = volunteer_orgs.id), 0)`.execute(db);
  return {
    volunteers,
    orgs: orgIds.length,
    accounts,
    recipients: RECIPIENTS,
    requests: REQUESTS,
    requestsOpen,
    pastCallouts: PAST_CALLOUTS,
    pastSignups,
    openCallouts: OPEN_CALLOUTS,
    hoursRows: hours.length,
    minutes,
  };
}

// ------------------------------------------------------------------------------------------------
// HTTP: one socket a client (node:http, keep-alive), so that 200 clients are 200 connections.

interface Answer {
  status: number;
  text: string;
  /** Sent and answered, performance.now(). */
  sent: number;
  done: number;
}
function send(
  agent: http.Agent,
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  const target = new URL(path, base);
  return new Promise((resolve, reject) => {
    const sent = performance.now();
    const req = http.request(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers: {
          ...headers,
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            sent,
            done: performance.now(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
    req.end(body);
  });
}

interface Client {
  userId: number;
  headers: Record<string, string>;
  agent: http.Agent;
}
async function signIn(db: DB, userId: number): Promise<Client> {
  // A session row, as a sign-in makes it: 200 argon2 logins would measure the password hash.
  const s = await createSession(db, userId, 12, {});
  return {
    userId,
    headers: { cookie: `linli_session=${s.token}; csrf=${s.csrfToken}`, 'x-csrf-token': s.csrfToken },
    agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
  };
}
const ok = (a: Answer, want: number, what: string) => {
  if (a.status !== want) throw new Error(`${what} → ${a.status}: ${a.text.slice(0, 300)}`);
  return a;
};

/**
 * One round: a fresh call-out of CAPACITY places posted by the commander; each client reads it (its
 * socket opened, its sign-up button shown), then all tap "sign up" at once. Checked in the database.
 */
async function signupRound(
  db: DB,
  base: string,
  o: { poster: Client; village: Place; clients: Client[]; round: number; log: (s: string) => void },
): Promise<{ round: Round; ms: number[] }> {
  const start = Date.now() + 2 * DAY;
  const posted = ok(
    await send(
      o.poster.agent,
      base,
      'POST',
      '/api/callouts',
      o.poster.headers,
      JSON.stringify({
        nodeId: o.village.id,
        title: `${o.village.name}防汛物资搬运 第${o.round + 1}批`,
        meetingPoint: `${o.village.name}村委会门口`,
        startsAt: iso(start),
        endsAt: iso(start + 3 * HOUR),
        capacity: CAPACITY,
      }),
    ),
    201,
    'POST /api/callouts',
  );
  const calloutId = (JSON.parse(posted.text) as { id: number }).id;
  const views = await Promise.all(
    o.clients.map((c) => send(c.agent, base, 'GET', `/api/callouts/${calloutId}`, c.headers)),
  );
  for (const v of views) {
    ok(v, 200, `GET /api/callouts/${calloutId}`);
    if (!(JSON.parse(v.text) as { abilities: { signUp: boolean } }).abilities.signUp)
      throw new Error(`a client may not sign up for call-out ${calloutId}: ${v.text.slice(0, 300)}`);
  }
  const t0 = performance.now();
  const answers = await Promise.all(
    o.clients.map((c) => send(c.agent, base, 'POST', `/api/callouts/${calloutId}/signups`, c.headers, '{}')),
  );
  const created = answers.filter((a) => a.status === 201);
  const conflicts = answers.filter((a) => a.status === 409);
  const other = answers.filter((a) => a.status !== 201 && a.status !== 409);
  for (const a of other.slice(0, 3)) o.log(`    !! sign-up answered ${a.status}: ${a.text.slice(0, 300)}`);
  const allMs = Math.max(...answers.map((a) => a.done)) - t0;
  const fillMs = created.length ? Math.max(...created.map((a) => a.done)) - t0 : Number.NaN;
  const row = await db
    .selectFrom('callouts')
    .select(['filled', 'capacity'])
    .where('id', '=', calloutId)
    .executeTakeFirstOrThrow();
  const signedUp = Number(
    (
      await db
        .selectFrom('callout_signups')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('callout_id', '=', calloutId)
        .where('status', '=', 'signed_up')
        .executeTakeFirstOrThrow()
    ).n,
  );
  const expected = Math.min(CAPACITY, o.clients.length);
  const good =
    row.filled === expected &&
    row.filled <= row.capacity &&
    signedUp === expected &&
    created.length === expected &&
    conflicts.length === o.clients.length - expected &&
    other.length === 0;
  if (!good)
    o.log(
      `    !!!!!!!! round ${o.round + 1}, call-out ${calloutId}: capacity ${row.capacity}, filled ${row.filled}, ` +
        `${signedUp} rows signed up, ${created.length} × 201, ${conflicts.length} × 409, ${other.length} other — ` +
        'NOT filled exactly to capacity',
    );
  const round: Round = {
    calloutId,
    created: created.length,
    conflicts: conflicts.length,
    other: other.length,
    allMs: Math.round(allMs * 10) / 10,
    fillMs: Math.round(fillMs * 10) / 10,
    answeredPerSecond: Math.round((answers.length / allMs) * 1000),
    signupsPerSecond: Math.round((created.length / fillMs) * 1000),
    latencyMs: summarize(answers.map((a) => a.done - a.sent)),
    filled: row.filled,
    signedUp,
    ok: good,
  };
  o.log(
    `    round ${o.round + 1}: ${round.created} × 201, ${round.conflicts} × 409 in ${round.allMs} ms ` +
      `(full after ${round.fillMs} ms: ${round.signupsPerSecond} sign-ups/s), filled ${round.filled}/${row.capacity}`,
  );
  return { round, ms: answers.map((a) => a.done - a.sent) };
}

/** The ranking the long way: the loaded minutes of the months summed per volunteer (or organisation). */
function rankInJs(
  l: Loaded,
  months: readonly string[],
  by: 'volunteer' | 'org',
  under: string,
  limit: number,
) {
  const totals = new Map<number, number>();
  const vol = new Map(l.volunteers.map((v) => [v.id, v]));
  for (const [id, byMonth] of l.minutes) {
    const v = vol.get(id)!;
    if (!v.homePath.startsWith(under)) continue;
    const key = by === 'org' ? v.orgId : id;
    if (key === null) continue;
    for (const m of months) totals.set(key, (totals.get(key) ?? 0) + (byMonth.get(m) ?? 0));
  }
  return [...totals]
    .filter(([, m]) => m > 0)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, limit)
    .map(([id, m]) => ({ id, hours: Math.round(m / 6) / 10 }));
}

// ------------------------------------------------------------------------------------------------

async function measure(open: () => Promise<Opened>, log: (s: string) => void): Promise<TargetResult> {
  const rssStart = rssMb();
  const loadAverage = [loadNow()];
  const opened = await open();
  const { database, cleanup, schema } = opened;
  const { db } = database;
  try {
    const t0 = performance.now();
    await migrateToLatest(db, schema);
    await ensureBuiltinRoles(db);
    await seedDemo(db, { scale: 'district', password: PASSWORD, events: false });
    const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
    const places = (await db
      .selectFrom('nodes')
      .select(['id', 'path', 'name', 'level', 'parent_id', 'centroid_lat', 'centroid_lng'])
      .orderBy('path')
      .execute()) as Place[];
    const count = (level: string) => places.filter((p) => p.level === level).length;
    log(
      `  seeded the district's tree and accounts (${count('town')} towns, ${count('village')} villages, ${count('grid')} grids) in ${seedSeconds} s`,
    );
    const userId = async (username: string) =>
      (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow())
        .id;
    const commanderId = await userId('commander');
    const l0 = performance.now();
    const loaded = await loadServices(db, {
      places,
      commanderId,
      coordinatorId: await userId('volcoord'),
      log,
    });
    if (database.dialect === 'postgres')
      await sql`vacuum (analyze) persons, users, role_assignments, volunteer_orgs, volunteers, service_requests, callouts, callout_signups, volunteer_hours, volunteer_hours_yearly`.execute(
        db,
      );
    else await sql`analyze`.execute(db);
    const loadSeconds = Math.round((performance.now() - l0) / 100) / 10;
    log(
      `  loaded ${loaded.requests.toLocaleString('en')} service requests, ${loaded.hoursRows.toLocaleString('en')} volunteer-months of hours in ${loadSeconds} s`,
    );
    const afterLoad = rssMb();

    const towns = places.filter((p) => p.level === 'town');
    const villages = places.filter((p) => p.level === 'village');
    const r = prng(7);
    // Volunteers who may sign up: an account, active; CLIENTS different ones each round.
    const able = loaded.volunteers.filter((v) => v.userId !== null && v.active);
    const shuffled = [...able];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = r(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    if (shuffled.length < CLIENTS) throw new Error(`only ${shuffled.length} volunteers may sign up`);

    const server = await startBenchServer('bench/app-server.ts', {
      dataDir: opened.config.dataDir,
      databaseUrl: opened.config.databaseUrl,
      schema,
      auditKey: AUDIT_KEY,
    });
    const memory = async () => mb((await server.ask<ServerMemory>({ type: 'memory' }, 'memory')).raw);
    try {
      const started = await memory();
      loadAverage.push(loadNow());
      // (1) Sign-ups: each round a call-out at a village of another town, CLIENTS other volunteers.
      const poster = await signIn(db, commanderId);
      log(`  sign-ups: ${CLIENTS} clients at once on a call-out of ${CAPACITY} places, ${ROUNDS} rounds`);
      const rounds: Round[] = [];
      const latencies: number[] = [];
      for (let k = 0; k < ROUNDS; k++) {
        const who = Array.from({ length: CLIENTS }, (_, i) => shuffled[(k * CLIENTS + i) % shuffled.length]!);
        const clients = await Promise.all(who.map((v) => signIn(db, v.userId!)));
        const town = towns[k % towns.length]!;
        const village = villages.find((v) => v.parent_id === town.id)!;
        const { round, ms } = await signupRound(db, server.base, { poster, village, clients, round: k, log });
        rounds.push(round);
        latencies.push(...ms);
        for (const c of clients) c.agent.destroy();
      }
      const noOverfill = rounds.every((x) => x.ok);
      if (!noOverfill)
        log(
          '  !!!!!!!! SIGN-UPS OVERFILLED OR MISCOUNTED: see the rounds above (JSON: signups.noOverfill false)',
        );
      const pii = createPiiCipher(crypto.randomBytes(32));
      const svc = createServicesService({ db, pii });
      const ctxOf = async (id: number): Promise<Ctx> => {
        const actor = await loadActor(db, id, 'session');
        if (!actor) throw new Error(`user ${id} cannot act`);
        return { actor, requestId: `bench-services-${id}`, lang: 'zh-CN' };
      };
      // The same sign-up through the service in this process, one volunteer after another on a
      // call-out with room for all: a sign-up's own cost, without the 200 at once.
      const commanderCtx = await ctxOf(commanderId);
      const later = Date.now() + 3 * DAY;
      const solo = await svc.createCallout(commanderCtx, {
        nodeId: villages[0]!.id,
        title: '基准逐一报名',
        details: null,
        meetingPoint: '村委会门口',
        lat: null,
        lng: null,
        startsAt: iso(later),
        endsAt: iso(later + 3 * HOUR),
        capacity: SEQUENTIAL,
        skills: [],
        orgId: null,
      });
      const soloCtx = await Promise.all(shuffled.slice(-SEQUENTIAL).map((v) => ctxOf(v.userId!)));
      const soloMs = summarize(await sample(SEQUENTIAL, 0, (i) => svc.signUp(soloCtx[i]!, solo.id)));
      log(`  sign-ups one at a time through the service: p50 ${soloMs.p50} ms, p95 ${soloMs.p95} ms`);
      const afterSignups = await memory();
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

      loadAverage.push(loadNow());
      // (2) "Near me", as volunteers of every town (a few each), one request at a time.
      const nearby: Vol[] = towns.flatMap((t) => able.filter((v) => v.town === t.id).slice(0, 5));
      const nearClients = await Promise.all(nearby.map((v) => signIn(db, v.userId!)));
      const reader = new http.Agent({ keepAlive: true, maxSockets: 1 });
      let listed = 0;
      const apiMs = summarize(
        await sample(N.near, N.nearWarmup, async (i) => {
          const c = nearClients[i % nearClients.length]!;
          const a = ok(
            await send(reader, server.base, 'GET', '/api/callouts?near=1', c.headers),
            200,
            'near me',
          );
          listed += (JSON.parse(a.text) as { items: unknown[] }).items.length;
        }),
      );
      const listedMean = Math.round((listed / (N.near + N.nearWarmup)) * 10) / 10;
      log(`  near me over HTTP: p50 ${apiMs.p50} ms, p95 ${apiMs.p95} ms (${listedMean} call-outs listed)`);
      // The same through the service in this process: no socket, no JSON, no request hooks.
      const nearCtx = await Promise.all(nearby.map((v) => ctxOf(v.userId!)));
      const serviceMs = summarize(
        await sample(N.near, N.nearWarmup, (i) => svc.callouts(nearCtx[i % nearCtx.length]!, { near: '1' })),
      );
      log(`  near me through the service: p50 ${serviceMs.p50} ms, p95 ${serviceMs.p95} ms`);
      log('  near me, statement by statement:');
      const nearStatements = await explainCall(
        database,
        (x) => createServicesService({ db: x, pii }).callouts(nearCtx[0]!, { near: '1' }),
        (q) =>
          /from "callouts"/.test(q)
            ? 'call-outs of the town'
            : /from "callout_signups"/.test(q)
              ? 'my sign-ups'
              : /from "volunteers"/.test(q)
                ? 'me'
                : /from "nodes"/.test(q)
                  ? 'places'
                  : 'other',
        log,
        N.statement,
      );

      // (3) Rankings, as the district's commander and the town's.
      const year = localDate(nowIso()).slice(0, 4);
      const month = (() => {
        const d = new Date(`${localDate(nowIso()).slice(0, 7)}-01T00:00:00+08:00`);
        return localDate(new Date(d.getTime() - DAY).toISOString()).slice(0, 7);
      })();
      const commander = await signIn(db, commanderId);
      const townCommander = await signIn(db, await userId('towncmd'));
      const rankOf = async (c: Client, period: string, by: 'volunteer' | 'org', label: string) => {
        let items = 0;
        const ms = summarize(
          await sample(N.rank, N.rankWarmup, async () => {
            const a = ok(
              await send(
                reader,
                server.base,
                'GET',
                `/api/services/hours/rankings?period=${period}&by=${by}`,
                c.headers,
              ),
              200,
              'rankings',
            );
            items = (JSON.parse(a.text) as { items: unknown[] }).items.length;
          }),
        );
        log(`  rankings ${label}: p50 ${ms.p50} ms, p95 ${ms.p95} ms (${items} ranked)`);
        return { label, ms, items };
      };
      const district: RankFigures[] = [];
      const town: RankFigures[] = [];
      for (const [period, p] of [
        [year, 'year'],
        [month, 'month'],
      ] as const)
        for (const by of ['volunteer', 'org'] as const) {
          district.push(await rankOf(commander, period, by, `district, ${p} ${period}, by ${by}`));
          town.push(await rankOf(townCommander, period, by, `${COMMANDER_TOWN}, ${p} ${period}, by ${by}`));
        }
      const afterReads = await memory();
      // Checked against the loaded minutes (the district's year, both ways).
      const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
      const root = places.find((p) => p.parent_id === null)!;
      let same = true;
      for (const by of ['volunteer', 'org'] as const) {
        const got = (await svc.rankings(commanderCtx, { period: year, by, limit: 50 })).items.map((x) => ({
          id: x.id,
          hours: x.hours,
        }));
        const want = rankInJs(loaded, months, by, root.path, 50);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          same = false;
          log(
            `  !! the ${by} ranking differs from the loaded minutes: ${JSON.stringify(got.slice(0, 5))} vs ${JSON.stringify(want.slice(0, 5))}`,
          );
        }
      }
      log('  rankings, statement by statement (district, year):');
      const rankStatements = [
        ...(await explainCall(
          database,
          (x) =>
            createServicesService({ db: x, pii }).rankings(commanderCtx, {
              period: year,
              by: 'volunteer',
              limit: 50,
            }),
          (q) => (/volunteer_hours/.test(q) ? 'by volunteer' : null),
          log,
          N.statement,
        )),
        ...(await explainCall(
          database,
          (x) =>
            createServicesService({ db: x, pii }).rankings(commanderCtx, {
              period: year,
              by: 'org',
              limit: 50,
            }),
          (q) => (/volunteer_hours/.test(q) ? 'by organisation' : null),
          log,
          N.statement,
        )),
      ];
      reader.destroy();
      for (const c of [poster, commander, townCommander, ...nearClients]) c.agent.destroy();
      const { volunteers: _v, minutes: _m, ...counts } = loaded;
      return {
        nodes: { towns: count('town'), villages: count('village'), grids: count('grid') },
        seedSeconds,
        loadSeconds,
        loaded: { ...counts, volunteers: loaded.volunteers.length },
        signups: {
          clients: CLIENTS,
          capacity: CAPACITY,
          rounds,
          answeredPerSecond: median(rounds.map((x) => x.answeredPerSecond)),
          signupsPerSecond: median(rounds.map((x) => x.signupsPerSecond)),
          latencyMs: summarize(latencies),
          noOverfill,
          oneAtATimeMs: soloMs,
        },
        near: { apiMs, serviceMs, volunteers: nearby.length, listedMean, statements: nearStatements },
        rankings: { district, town, same, statements: rankStatements },
        server: { started, afterSignups, afterReads },
        rssMb: { start: rssStart, afterLoad, end: rssMb() },
        loadAverage: [...loadAverage, loadNow()],
      };
    } finally {
      await server.close();
    }
  } finally {
    await cleanup();
  }
}

const worst = (xs: RankFigures[]) => Math.max(...xs.map((x) => x.ms.p95));
const rankCell = (xs: RankFigures[], i: number) => {
  const x = xs[i];
  return x ? cell.p50p95(x.ms) : '—';
};
const statement = (xs: StatementFigures[], label: string) => {
  const s = xs.find((x) => x.label === label);
  return s ? `${s.ms.p50.toFixed(2)} (${s.kind})` : '—';
};

export const services: Workload = {
  summary: `joint services: ${VOLUNTEERS.toLocaleString('en')} volunteers, ${REQUESTS.toLocaleString('en')} past service requests; ${CLIENTS} volunteers signing up at once for ${CAPACITY} places (no overfill), the "near me" list, hours rankings; RSS`,
  usage:
    '[--pg | --no-pg | --no-sqlite]   (env BENCH_SERVICES_VOLUNTEERS, _ACCOUNTS, _REQUESTS, _PAST_CALLOUTS, _OPEN_CALLOUTS, _CLIENTS, _CAPACITY, _ROUNDS scale it: bench/README.md)',
  run: (args, log) =>
    runSideBySide(
      'services',
      args,
      log,
      measure,
      [
        [
          'towns / villages / grids; seed of the tree and accounts, s',
          (r) => `${r.nodes.towns} / ${r.nodes.villages} / ${cell.count(r.nodes.grids)}; ${r.seedSeconds}`,
        ],
        [
          'volunteers (with an account); organisations',
          (r) =>
            `${cell.count(r.loaded.volunteers)} (${cell.count(r.loaded.accounts)}); ${cell.count(r.loaded.orgs)}`,
        ],
        [
          'service requests (in hand); people served',
          (r) =>
            `${cell.count(r.loaded.requests)} (${cell.count(r.loaded.requestsOpen)}); ${cell.count(r.loaded.recipients)}`,
        ],
        [
          'call-outs past (sign-ups) / open; volunteer-months of hours; load s',
          (r) =>
            `${cell.count(r.loaded.pastCallouts)} (${cell.count(r.loaded.pastSignups)}) / ${r.loaded.openCallouts}; ${cell.count(r.loaded.hoursRows)}; ${r.loadSeconds}`,
        ],
        [
          `(1) sign-ups/s: ${CAPACITY} places filled by ${CLIENTS} clients at once (median of rounds)`,
          (r) => cell.count(r.signups.signupsPerSecond),
        ],
        ['    answered/s (201s and 409s)', (r) => cell.count(r.signups.answeredPerSecond)],
        [
          '    201 / 409 / other, each round',
          (r) => r.signups.rounds.map((x) => `${x.created}/${x.conflicts}/${x.other}`).join(' '),
        ],
        ['    full after, ms, each round', (r) => r.signups.rounds.map((x) => x.fillMs.toFixed(0)).join(' ')],
        ["    a sign-up's latency p50 / p95 (every round), ms", (r) => cell.p50p95(r.signups.latencyMs)],
        [
          `    one at a time through the service in-process p50 / p95, ms (${SEQUENTIAL})`,
          (r) => cell.p50p95(r.signups.oneAtATimeMs),
        ],
        [
          '    no overfill (filled = capacity = rows signed up, every round)',
          (r) => (r.signups.noOverfill ? 'yes' : 'NO — OVERFILLED OR MISCOUNTED'),
        ],
        [
          `(2) near me over HTTP p50 / p95, ms (goal p95 ≤ ${GOAL.nearP95Ms})`,
          (r) => cell.p50p95(r.near.apiMs),
        ],
        [
          '    goal',
          (r) =>
            cell.goal(r.near.apiMs.p95 <= GOAL.nearP95Ms, `${cell.ms(r.near.apiMs.p95 - GOAL.nearP95Ms)} ms`),
        ],
        ['    through the service in-process p50 / p95, ms', (r) => cell.p50p95(r.near.serviceMs)],
        [
          '    call-outs listed (mean); volunteers asking',
          (r) => `${r.near.listedMean}; ${r.near.volunteers}`,
        ],
        [
          "    the town's call-outs statement p50, ms (plan)",
          (r) => statement(r.near.statements, 'call-outs of the town'),
        ],
        [
          `(3) rankings, district year by volunteer p50 / p95, ms (goal p95 ≤ ${GOAL.rankP95Ms})`,
          (r) => rankCell(r.rankings.district, 0),
        ],
        ['    district year by organisation', (r) => rankCell(r.rankings.district, 1)],
        ['    district month by volunteer', (r) => rankCell(r.rankings.district, 2)],
        ['    district month by organisation', (r) => rankCell(r.rankings.district, 3)],
        [`    ${COMMANDER_TOWN} year by volunteer`, (r) => rankCell(r.rankings.town, 0)],
        [`    ${COMMANDER_TOWN} year by organisation`, (r) => rankCell(r.rankings.town, 1)],
        [`    ${COMMANDER_TOWN} month by volunteer`, (r) => rankCell(r.rankings.town, 2)],
        [`    ${COMMANDER_TOWN} month by organisation`, (r) => rankCell(r.rankings.town, 3)],
        [
          '    goal (the worst p95)',
          (r) => {
            const w = Math.max(worst(r.rankings.district), worst(r.rankings.town));
            return cell.goal(w <= GOAL.rankP95Ms, `${cell.ms(w - GOAL.rankP95Ms)} ms`);
          },
        ],
        [
          '    same as the loaded minutes (district year, both ways)',
          (r) => (r.rankings.same ? 'yes' : 'NO'),
        ],
        [
          '    by volunteer statement p50, ms (plan)',
          (r) => statement(r.rankings.statements, 'by volunteer'),
        ],
        [
          '    by organisation statement p50, ms (plan)',
          (r) => statement(r.rankings.statements, 'by organisation'),
        ],
        [
          '(4) server RSS: started / after sign-ups / after reads, MB',
          (r) => `${r.server.started} / ${r.server.afterSignups} / ${r.server.afterReads}`,
        ],
        ['load average (1 min): start, sign-ups, reads, end', (r) => r.loadAverage.join(', ')],
        [
          'this process RSS: start / after load / end, MB',
          (r) => `${r.rssMb.start} / ${r.rssMb.afterLoad} / ${r.rssMb.end}`,
        ],
      ],
      {
        volunteers: VOLUNTEERS,
        accounts: ACCOUNTS,
        requests: REQUESTS,
        pastCallouts: PAST_CALLOUTS,
        openCallouts: OPEN_CALLOUTS,
        clients: CLIENTS,
        capacity: CAPACITY,
        rounds: ROUNDS,
        ...N,
      },
    ),
};
