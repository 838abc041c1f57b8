// The demo district seeded into a fresh database (SQLite and PostgreSQL), then signed into through the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_STATE_CODES } from '../../common/contracts/events.js';
import { BUILTIN_ROLES } from '../../common/roles.js';
import { localDate } from '../../common/worktime.js';
import { maskIdNumber, maskPhone, parseIdNumber } from '../../common/validators.js';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/index.js';
import type { NodeRow } from '../db/schema.js';
import { verifyAuditChain } from '../platform/audit.js';
import { Client, createTestDatabase, TEST_PII, testConfig } from '../test/harness.js';
import { makeIdNumber } from '../test/routes.js';
import { DISTRICT_BBOX, SEAT } from './layout.js';
import { seedDemo, type DemoLogin } from './index.js';
import { DEMO_REFERENCE_DATE } from './people.js';

interface Ring {
  type: string;
  coordinates: [number, number][][];
}

/** Shoelace area of a polygon's outer ring, in square degrees. */
function area(p: Ring): number {
  const ring = p.coordinates[0]!;
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++)
    a += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return a / 2;
}

/** Ray casting: is the point strictly inside the ring? */
function contains(p: Ring, [x, y]: [number, number]): boolean {
  const ring = p.coordinates[0]!;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** As DEMO_OPEN311_KEY would give it. */
const DEMO_OPEN311_KEY = 'demo-open311-key-for-the-tests';

let database: DatabaseHandle;
let logins: DemoLogin[];
let nodes: NodeRow[];

beforeAll(async () => {
  database = await createTestDatabase();
  logins = await seedDemo(database.db, { scale: 'small', pii: TEST_PII, open311Key: DEMO_OPEN311_KEY });
  nodes = await database.db.selectFrom('nodes').selectAll().orderBy('path').execute();
  // The whole small demo, 20,000 residents to a week of passages: over half a minute on a busy machine.
}, 180_000);
afterAll(async () => database.close());

const ofLevel = (level: string) => nodes.filter((n) => n.level === level);

describe('demo district (small)', () => {
  it('has the shape of Lin’an: 1 district, 18 towns and streets, ~60 villages, ~200 grids', () => {
    const [district] = ofLevel('district');
    expect(ofLevel('district')).toHaveLength(1);
    expect(district).toMatchObject({
      code: '330112',
      full_code: '330112',
      name: '临安区',
      parent_id: null,
      depth: 1,
    });
    expect(ofLevel('town')).toHaveLength(18);
    expect(
      ofLevel('town')
        .map((t) => t.code)
        .sort(),
    ).toEqual(Array.from({ length: 18 }, (_, i) => String(i + 1).padStart(3, '0')));
    expect(ofLevel('town').filter((t) => t.name.endsWith('街道'))).toHaveLength(5);
    expect(ofLevel('village').length).toBeGreaterThanOrEqual(55);
    expect(ofLevel('village').length).toBeLessThanOrEqual(65);
    expect(ofLevel('grid').length).toBeGreaterThanOrEqual(190);
    expect(ofLevel('grid').length).toBeLessThanOrEqual(210);
    for (const n of [...ofLevel('town'), ...ofLevel('village'), ...ofLevel('grid')])
      expect(n.responsible_name).toBeTruthy();
  });

  it('has consistent codes, paths and depths', () => {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    for (const g of ofLevel('grid')) expect(g.full_code).toMatch(/^\d{15}$/);
    const siblings = new Set<string>();
    for (const n of nodes) {
      expect(siblings.has(`${n.parent_id}:${n.code}`)).toBe(false);
      siblings.add(`${n.parent_id}:${n.code}`);
      if (n.parent_id === null) {
        expect(n.path).toBe(`/${n.id}/`);
        continue;
      }
      const parent = byId.get(n.parent_id)!;
      expect(n.path).toBe(`${parent.path}${n.id}/`);
      expect(n.full_code).toBe(parent.full_code + n.code);
      expect(n.depth).toBe(parent.depth + 1);
    }
  });

  it('tiles the district with polygons: the grids add up to the bounding box', () => {
    expect(nodes.every((n) => n.polygon !== null && n.centroid_lat !== null && n.centroid_lng !== null)).toBe(
      true,
    );
    const polygon = (n: NodeRow) => JSON.parse(n.polygon!) as Ring;
    const sum = ofLevel('grid').reduce((s, g) => s + area(polygon(g)), 0);
    const bbox = (DISTRICT_BBOX.e - DISTRICT_BBOX.w) * (DISTRICT_BBOX.n - DISTRICT_BBOX.s);
    expect(Math.abs(sum - bbox) / bbox).toBeLessThan(1e-6);
    for (const n of nodes) {
      const ring = polygon(n).coordinates[0]!;
      expect(ring[0]).toEqual(ring.at(-1));
      for (const [x, y] of ring) {
        expect(Math.round(x * 1e6) / 1e6).toBe(x);
        expect(Math.round(y * 1e6) / 1e6).toBe(y);
      }
      expect(contains(polygon(n), [n.centroid_lng!, n.centroid_lat!])).toBe(true);
    }
    const seat = ofLevel('town').find((t) => t.name === '锦城街道')!;
    expect(contains(polygon(seat), [SEAT.lng, SEAT.lat])).toBe(true);
  });

  it('has one account per built-in role, and the admin can sign in through the app', async () => {
    expect(logins).toHaveLength(BUILTIN_ROLES.length);
    expect(new Set(logins.map((l) => l.username)).size).toBe(BUILTIN_ROLES.length);
    for (const r of BUILTIN_ROLES) expect(logins.some((l) => l.role.startsWith(r.zh))).toBe(true);
    for (const l of logins) expect(l.password.length).toBeGreaterThanOrEqual(10);
    expect(logins.find((l) => l.username === 'towncmd')?.node).toBe('锦城街道');

    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const admin = logins.find((l) => l.username === 'admin')!;
      const ok = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: admin.password },
      });
      expect(ok.statusCode).toBe(200);
      const me = ok.json<{ assignments: { role: { code: string }; node: { name: string } }[] }>();
      expect(me.assignments.map((a) => [a.role.code, a.node.name])).toEqual([['system_admin', '临安区']]);
      const gw = logins.find((l) => l.username === 'gridworker')!;
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'gridworker', password: gw.password },
      });
      expect(res.json<{ assignments: { node: { level: string } }[] }>().assignments[0]?.node.level).toBe(
        'grid',
      );
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: 'not-the-password' },
      });
      expect(wrong.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('writes one demo.seed audit row, chained, and refuses a second seed', async () => {
    const rows = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'demo.seed')
      .execute();
    expect(rows).toHaveLength(1);
    const detail = JSON.parse(rows[0]!.detail!) as Record<string, unknown>;
    const people = await database.db
      .selectFrom('persons')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(detail).toMatchObject({
      scale: 'small',
      towns: 18,
      villages: ofLevel('village').length,
      grids: ofLevel('grid').length,
      users: 14,
      people: Number(people.n),
    });
    expect(rows[0]!.node_path).toBe(ofLevel('district')[0]!.path);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
    await expect(seedDemo(database.db, { scale: 'small', password: 'whatever-123' })).rejects.toThrow(
      /already has nodes/,
    );
  });
});

/** A client signed in to the app as a demo account, with the password the seed gave it. */
async function signIn(app: Awaited<ReturnType<typeof buildApp>>, username: string) {
  const c = new Client(app);
  const password = logins.find((l) => l.username === username)!.password;
  expect((await c.post('/api/auth/login', { username, password })).status).toBe(200);
  return c;
}

/** Whole years between a YYYY-MM-DD birth date and the demo's reference date. */
function ageOf(birthDate: string): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const [ry, rm, rd] = DEMO_REFERENCE_DATE.split('-').map(Number) as [number, number, number];
  return ry - y - (rm < m || (rm === m && rd < d) ? 1 : 0);
}

describe('demo residents (small)', () => {
  const persons = () =>
    database.db
      .selectFrom('persons as p')
      .innerJoin('nodes as n', 'n.id', 'p.node_id')
      .select([
        'p.id',
        'p.name',
        'p.node_id',
        'p.node_path',
        'p.household_id',
        'p.relation_to_head',
        'p.address',
        'p.residence_type',
        'p.birth_date',
        'p.gender',
        'p.id_number_enc',
        'p.id_number_bidx',
        'p.id_number_masked',
        'p.phone_enc',
        'p.phone_masked',
        'p.no_id_reason',
        'p.origin_region',
        'p.arrival_date',
        'n.level as node_level',
        'n.path as real_path',
      ])
      .orderBy('p.id')
      .execute();
  let all: Awaited<ReturnType<typeof persons>>;
  beforeAll(async () => {
    all = await persons();
  });

  it('has about 20,000 people, each in a grid of the tree, about a quarter floating', () => {
    expect(all.length).toBeGreaterThanOrEqual(18_000);
    expect(all.length).toBeLessThanOrEqual(22_000);
    for (const p of all) {
      expect(p.node_level).toBe('grid');
      expect(p.node_path).toBe(p.real_path);
      expect(p.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
    }
    const share = (type: string) => all.filter((p) => p.residence_type === type).length / all.length;
    // The district's 160,000 of 700,000: 23%.
    expect(share('floating')).toBeGreaterThan(0.18);
    expect(share('floating')).toBeLessThan(0.28);
    expect(share('returnee')).toBeGreaterThan(0);
    expect(share('returnee')).toBeLessThan(0.03);
    expect(new Set(all.map((p) => p.node_id)).size).toBe(ofLevel('grid').length);
  });

  it('stores valid, unique ID numbers only encrypted, with regions that fit the residence type', () => {
    const withId = all.filter((p) => p.id_number_enc !== null);
    expect(new Set(withId.map((p) => p.id_number_bidx)).size).toBe(withId.length);
    const step = Math.floor(withId.length / 500);
    const sample = withId.filter((_, i) => i % step === 0).slice(0, 500);
    expect(sample).toHaveLength(500);
    let local = 0;
    let registered = 0;
    for (const p of sample) {
      expect(p.id_number_enc).toMatch(/^v1:/);
      const id = TEST_PII.decrypt(p.id_number_enc!);
      const parsed = parseIdNumber(id, DEMO_REFERENCE_DATE);
      expect(parsed.ok, `${id} invalid`).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.value.value).toBe(id);
      expect(parsed.value.birthDate).toBe(p.birth_date);
      expect(parsed.value.gender).toBe(p.gender);
      expect(p.id_number_masked).toBe(maskIdNumber(id));
      expect(p.id_number_bidx).toBe(TEST_PII.blindIndex('id', id));
      if (p.residence_type === 'floating') {
        // From other provinces' (or other Zhejiang counties') region codes, never Lin'an's own.
        expect(parsed.value.region).not.toBe('330112');
        expect(p.origin_region).toMatch(/[省市]/);
        expect(p.arrival_date! >= p.birth_date!).toBe(true);
        expect(p.arrival_date! <= DEMO_REFERENCE_DATE).toBe(true);
      } else {
        registered++;
        if (parsed.value.region === '330112') local++;
        else expect(parsed.value.region).toMatch(/^3[34]/); // married in from a neighbouring county
        if (p.residence_type === 'returnee') expect(p.arrival_date).not.toBeNull();
      }
    }
    expect(local / registered).toBeGreaterThan(0.8);
    // Without a number: a few young children, each with the reason.
    const noId = all.filter((p) => p.id_number_enc === null);
    expect(noId.length).toBeGreaterThan(0);
    expect(noId.length / all.length).toBeLessThan(0.02);
    for (const p of noId) {
      expect(p.no_id_reason).toBe('child');
      expect(p.id_number_bidx).toBeNull();
      expect(ageOf(p.birth_date!)).toBeLessThan(16);
    }
  });

  it('gives most adults a valid mobile number and young children none', () => {
    const adults = all.filter((p) => ageOf(p.birth_date!) >= 18);
    expect(adults.filter((p) => p.phone_enc !== null).length / adults.length).toBeGreaterThan(0.8);
    for (const p of all.filter((x) => ageOf(x.birth_date!) < 12)) expect(p.phone_enc).toBeNull();
    const phones = all.filter((p) => p.phone_enc !== null);
    for (const p of phones.filter((_, i) => i % Math.floor(phones.length / 200) === 0)) {
      const phone = TEST_PII.decrypt(p.phone_enc!);
      expect(phone).toMatch(/^\+861[3-9]\d{9}$/);
      expect(p.phone_masked).toBe(maskPhone(phone));
    }
  });

  it('puts everyone in a household of 1–6 in one grid, headed by a member marked 户主', async () => {
    const households = await database.db.selectFrom('households').selectAll().execute();
    const members = new Map<number, typeof all>();
    for (const p of all) {
      expect(p.household_id).not.toBeNull();
      const list = members.get(p.household_id!);
      if (list) list.push(p);
      else members.set(p.household_id!, [p]);
    }
    expect(members.size).toBe(households.length);
    for (const h of households) {
      const m = members.get(h.id)!;
      expect(m.length).toBeGreaterThanOrEqual(1);
      expect(m.length).toBeLessThanOrEqual(6);
      const head = m.find((p) => p.id === h.head_person_id);
      expect(head?.relation_to_head).toBe('户主');
      expect(m.filter((p) => p.relation_to_head === '户主')).toHaveLength(1);
      for (const p of m) {
        expect(p.node_id).toBe(h.node_id);
        expect(p.node_path).toBe(h.node_path);
        expect(p.address).toBe(h.address);
      }
      expect(h.address).toMatch(/(号|室|（租住）)$/);
    }
    const mean = all.length / households.length;
    expect(mean).toBeGreaterThan(2.5);
    expect(mean).toBeLessThan(3);
    const relations = new Set(all.map((p) => p.relation_to_head));
    for (const r of ['户主', '配偶', '子女', '父母', '孙子女']) expect(relations.has(r)).toBe(true);
  });

  it('tags vulnerable groups in plausible proportions', async () => {
    const tags = await database.db.selectFrom('person_tags').selectAll().execute();
    const byPerson = new Map(all.map((p) => [p.id, p]));
    const householdSize = new Map<number, number>();
    for (const p of all) householdSize.set(p.household_id!, (householdSize.get(p.household_id!) ?? 0) + 1);
    const holders = (code: string) =>
      tags.filter((t) => t.tag_code === code).map((t) => byPerson.get(t.person_id)!);
    const adults = all.filter((p) => ageOf(p.birth_date!) >= 18).length;
    for (const p of holders('elderly_alone')) {
      expect(ageOf(p.birth_date!)).toBeGreaterThanOrEqual(70);
      expect(householdSize.get(p.household_id!)).toBe(1);
    }
    for (const p of holders('left_behind_child')) {
      expect(ageOf(p.birth_date!)).toBeLessThan(16);
      expect(p.relation_to_head).toBe('孙子女');
    }
    const share = (code: string, of: number) => holders(code).length / of;
    expect(share('elderly_alone', all.length)).toBeGreaterThan(0.005);
    expect(share('widowed', all.length)).toBeGreaterThan(0.02);
    expect(share('left_behind_child', all.length)).toBeGreaterThan(0.002);
    expect(share('disabled', all.length)).toBeGreaterThan(0.01);
    expect(share('disabled', all.length)).toBeLessThan(0.03);
    expect(share('party_member', adults)).toBeGreaterThan(0.04);
    expect(share('party_member', adults)).toBeLessThan(0.08);
    expect(share('volunteer', adults)).toBeGreaterThan(0.01);
    expect(share('volunteer', adults)).toBeLessThan(0.04);
    expect(share('key_care', all.length)).toBeGreaterThan(0.003);
    expect(share('orphaned', all.length)).toBeLessThan(0.002);
  });

  it('serves the residents through the API: found by ID number, masked; new records get fresh ids', async () => {
    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const admin = new Client(app);
      expect(
        (
          await admin.post('/api/auth/login', {
            username: 'admin',
            password: logins.find((l) => l.username === 'admin')!.password,
          })
        ).status,
      ).toBe(200);
      const p = all.find((x) => x.residence_type === 'floating' && x.id_number_enc !== null)!;
      const id = TEST_PII.decrypt(p.id_number_enc!);
      const found = await admin.get<{
        total: number;
        items: { id: number; idNumber: string; name: string }[];
      }>(`/api/people?q=${id}`);
      expect(found.status).toBe(200);
      expect(found.body.total).toBe(1);
      expect(found.body.items[0]).toMatchObject({ id: p.id, name: p.name, idNumber: maskIdNumber(id) });
      const town = ofLevel('town').find((t) => t.name === '锦城街道')!;
      const list = await admin.get<{ total: number; items: unknown[] }>(`/api/people?node=${town.id}&page=2`);
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(all.filter((x) => x.node_path.startsWith(town.path)).length);
      expect(list.body.items).toHaveLength(20);
      const created = await admin.post<{ id: number }>('/api/people', {
        name: '测试新人',
        nodeId: p.node_id,
        residenceType: 'registered',
        noIdReason: 'not_collected',
      });
      expect(created.status).toBe(201);
      expect(created.body.id).toBeGreaterThan(all.at(-1)!.id);
    } finally {
      await app.close();
    }
  });
});

describe('demo joint handling (small)', () => {
  it('has departments in every town and the handler in one of them', async () => {
    const db = database.db;
    const perTown = await db
      .selectFrom('departments')
      .select(['node_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('node_id')
      .execute();
    expect(perTown.filter((r) => ofLevel('town').some((t) => t.id === r.node_id))).toHaveLength(18);
    const handlerTeams = await db
      .selectFrom('department_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .innerJoin('departments as d', 'd.id', 'm.department_id')
      .select('d.name')
      .where('u.username', '=', 'handler')
      .execute();
    expect(handlerTeams.map((d) => d.name)).toEqual(['锦城街道综合执法队']);
  });

  it('has 90 days of events in every state, channel and level, some overdue, escalated and reopened, with KPIs that add up', async () => {
    const db = database.db;
    const events = await db
      .selectFrom('events')
      .select([
        'state',
        'channel',
        'owner_level',
        'created_at',
        'due_at',
        'escalation_count',
        'reopen_count',
        'category_id',
      ])
      .execute();
    expect(events.length).toBeGreaterThan(150);
    const now = new Date().toISOString();
    const states = new Set(events.map((e) => e.state));
    for (const s of [
      'reported',
      'accepted',
      'dispatched',
      'in_progress',
      'handled',
      'closed',
      'evaluated',
      'rejected',
      'parked',
    ])
      expect(states, s).toContain(s);
    expect(new Set(events.map((e) => e.channel))).toEqual(new Set(['patrol', 'hotline', 'public']));
    expect(new Set(events.map((e) => e.owner_level))).toEqual(
      new Set(['grid', 'village', 'town', 'district']),
    );
    expect(new Set(events.map((e) => e.category_id)).size).toBeGreaterThan(20);
    expect(events.filter((e) => e.due_at !== null && e.due_at < now).length).toBeGreaterThan(0);
    expect(events.filter((e) => e.escalation_count > 0).length).toBeGreaterThan(0);
    expect(events.filter((e) => e.reopen_count > 0).length).toBeGreaterThan(0);
    const oldest = events.map((e) => e.created_at).sort()[0]!;
    expect(Date.now() - Date.parse(oldest)).toBeGreaterThan(60 * 86_400_000);
    // The rollup at the district equals the events themselves: received = every event, closed ≤ due.
    const district = ofLevel('district')[0]!;
    const kpi = await db
      .selectFrom('event_kpi_daily')
      .select((eb) => [
        eb.fn.sum<number>('received').as('received'),
        eb.fn.sum<number>('due').as('due'),
        eb.fn.sum<number>('closed').as('closed'),
      ])
      .where('node_path', '=', district.path)
      .executeTakeFirstOrThrow();
    expect(Number(kpi.received)).toBe(events.length);
    expect(Number(kpi.closed)).toBeLessThanOrEqual(Number(kpi.due));
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
  it('shows photos in some timelines: real PNGs with reports and with feedback, and callers left a phone to call back', async () => {
    const db = database.db;
    const photos = await db
      .selectFrom('event_photos as p')
      .leftJoin('event_history as h', 'h.id', 'p.history_id')
      .select([
        'p.event_id',
        'p.mime',
        'p.data',
        'p.size_bytes',
        'h.action',
        'h.event_id as history_event_id',
      ])
      .execute();
    const claimed = photos.filter((p) => p.event_id !== null);
    expect(claimed.filter((p) => p.action === 'report').length).toBeGreaterThanOrEqual(5);
    expect(claimed.filter((p) => p.action === 'feed_back').length).toBeGreaterThanOrEqual(3);
    expect(new Set(claimed.map((p) => p.event_id)).size).toBeLessThanOrEqual(16);
    for (const p of claimed) {
      expect(p.history_event_id).toBe(p.event_id);
      expect(p.mime).toBe('image/png');
      const bytes = Buffer.from(p.data);
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(bytes.length).toBe(p.size_bytes);
      // 320×240, from the IHDR chunk.
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([320, 240]);
    }
    const hotline = await db
      .selectFrom('events')
      .select(['reporter_phone_enc', 'reporter_phone_masked'])
      .where('channel', '=', 'hotline')
      .execute();
    expect(hotline.length).toBeGreaterThan(0);
    for (const e of hotline) expect(e.reporter_phone_masked).toMatch(/^139\*{4}\d{4}$/);
  });

  // Last: it adds an Open311 event, which the channel check above does not expect.
  it('has the Open311 key DEMO_OPEN311_KEY gave, and Open311 clients can post with it at once', async () => {
    const keys = await database.db.selectFrom('open311_keys').selectAll().execute();
    expect(keys.map((k) => [k.name, k.prefix, k.revoked_at])).toEqual([
      ['demo', DEMO_OPEN311_KEY.slice(0, 8), null],
    ]);
    expect(keys[0]!.key_hash).not.toContain(DEMO_OPEN311_KEY);
    const grid = ofLevel('grid')[0]!;
    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `api_key=${DEMO_OPEN311_KEY}&service_code=environment.garbage&lat=${grid.centroid_lat}&long=${grid.centroid_lng}&description=demo`,
      });
      expect(res.statusCode, res.body).toBe(200);
      const [made] = res.json<{ service_request_id: string }[]>();
      const e = await database.db
        .selectFrom('events')
        .select(['channel', 'api_key_id', 'node_id'])
        .where('id', '=', Number(made!.service_request_id))
        .executeTakeFirstOrThrow();
      expect(e).toEqual({ channel: 'open311', api_key_id: keys[0]!.id, node_id: grid.id });
    } finally {
      await app.close();
    }
  });
});

describe('demo command (small)', () => {
  it('opens the epidemic-response command with directives in every stage of the cascade', async () => {
    const db = database.db;
    const [command] = await db.selectFrom('incident_commands').selectAll().execute();
    expect(command).toMatchObject({ name: '新冠肺炎疫情防控指挥部', response_level: 'I', closed_at: null });
    const directives = await db
      .selectFrom('directives')
      .select(['id', 'depth', 'parent_id', 'command_id', 'title'])
      .orderBy('id')
      .execute();
    expect(directives.every((d) => d.command_id === command!.id)).toBe(true);
    // A relay of the first one by a street to its communities.
    expect(directives.filter((d) => d.depth === 1).map((d) => d.parent_id)).toEqual([directives[0]!.id]);
    const targets = await db
      .selectFrom('directive_targets')
      .select([
        'directive_id',
        'state',
        'overdue',
        'sign_escalated_at',
        'report_escalated_at',
        'node_path',
        'node_level',
      ])
      .execute();
    const states = (id: number) => new Set(targets.filter((t) => t.directive_id === id).map((t) => t.state));
    expect(states(directives[0]!.id)).toEqual(new Set(['reported']));
    expect([...states(directives[2]!.id)].sort()).toEqual(['pending', 'reported', 'signed']);
    expect(targets.some((t) => t.overdue === 1 && t.sign_escalated_at !== null)).toBe(true);
    // This morning's, to every grid: about half signed.
    expect(targets.filter((t) => t.directive_id === directives[3]!.id).length).toBe(ofLevel('grid').length);
    expect([...states(directives[3]!.id)].sort()).toEqual(['pending', 'signed']);
    expect(states(directives.at(-1)!.id)).toEqual(new Set(['pending']));
    // The cockpit's counters agree with the targets.
    const district = ofLevel('district')[0]!;
    const counters = new Map(
      (
        await db
          .selectFrom('live_counters')
          .select(['metric', 'value'])
          .where('command_id', '=', 0)
          .where('node_path', '=', district.path)
          .execute()
      ).map((c) => [c.metric, c.value]),
    );
    for (const level of ['town', 'village', 'grid']) {
      const at = targets.filter((t) => t.node_level === level);
      expect(counters.get(`directives.unsigned.${level}`) ?? 0).toBe(
        at.filter((t) => t.state === 'pending').length,
      );
      expect(counters.get(`directives.unreported.${level}`) ?? 0).toBe(
        at.filter((t) => t.state === 'signed').length,
      );
      expect(counters.get(`directives.overdue.${level}`) ?? 0).toBe(at.filter((t) => t.overdue === 1).length);
    }
    const open = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', 'in', [
        'reported',
        'accepted',
        'dispatched',
        'returned',
        'in_progress',
        'extension_requested',
        'parked',
        'handled',
        'reopened',
      ])
      .executeTakeFirstOrThrow();
    expect(counters.get('events.open')).toBe(Number(open.n));
  });
});

describe('demo accounts’ own work (small)', () => {
  type Summary = { id: number; state: string; node: { id: number }; leadDepartment: { name: string } | null };
  it('leaves the cadre, the grid worker and the handler at least two tasks each, as each sees them', async () => {
    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const village = nodes.find((n) => n.name === logins.find((l) => l.username === 'cadre')!.node)!;
      const grid = nodes.find((n) => n.name === logins.find((l) => l.username === 'gridworker')!.node)!;
      expect(grid.parent_id).toBe(village.id);
      const tasksOf = async (username: string) => {
        const c = new Client(app);
        const password = logins.find((l) => l.username === username)!.password;
        expect((await c.post('/api/auth/login', { username, password })).status).toBe(200);
        const res = await c.get<{ items: Summary[] }>('/api/events/tasks');
        expect(res.status).toBe(200);
        return res.body.items;
      };
      const cadre = await tasksOf('cadre');
      expect(cadre.length).toBeGreaterThanOrEqual(2);
      const within = (s: Summary, at: NodeRow) =>
        nodes.find((n) => n.id === s.node.id)!.path.startsWith(at.path);
      expect(cadre.filter((s) => within(s, village)).length).toBeGreaterThanOrEqual(2);
      for (const s of cadre)
        expect(['reported', 'accepted', 'returned', 'extension_requested', 'reopened']).toContain(s.state);
      const gridworker = await tasksOf('gridworker');
      expect(
        gridworker.filter((s) => s.state === 'handled' && within(s, grid)).length,
      ).toBeGreaterThanOrEqual(2);
      const handler = await tasksOf('handler');
      expect(handler.length).toBeGreaterThanOrEqual(2);
      for (const s of handler) {
        expect(['dispatched', 'in_progress']).toContain(s.state);
        expect(s.leadDepartment?.name).toBe('锦城街道综合执法队');
      }
      expect(handler.filter((s) => within(s, village)).length).toBeGreaterThanOrEqual(2);
    } finally {
      await app.close();
    }
  });

  it('shows the cadre at least ten cases in their village, in every state, and the grid worker every state in their grid', async () => {
    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const listAs = async (username: string, nodeId?: number) => {
        const c = new Client(app);
        const password = logins.find((l) => l.username === username)!.password;
        expect((await c.post('/api/auth/login', { username, password })).status).toBe(200);
        const res = await c.get<{ total: number; items: Summary[] }>(
          `/api/events?pageSize=100${nodeId ? `&node=${nodeId}` : ''}`,
        );
        expect(res.status).toBe(200);
        return res.body;
      };
      const village = nodes.find((n) => n.name === logins.find((l) => l.username === 'cadre')!.node)!;
      const grid = nodes.find((n) => n.name === logins.find((l) => l.username === 'gridworker')!.node)!;
      const cadre = await listAs('cadre');
      expect(cadre.total).toBeGreaterThanOrEqual(10);
      expect(cadre.items.length).toBe(Math.min(cadre.total, 100));
      expect(new Set(cadre.items.map((s) => s.state))).toEqual(new Set(EVENT_STATE_CODES));
      expect((await listAs('cadre', village.id)).total).toBe(cadre.total);
      const gridworker = await listAs('gridworker', grid.id);
      expect(new Set(gridworker.items.map((s) => s.state))).toEqual(new Set(EVENT_STATE_CODES));
    } finally {
      await app.close();
    }
  });

  it('sets up checkpoints on the roads and village entrances with a week of rosters, and the checkpoint account is on shift now', async () => {
    const db = database.db;
    const checkpoints = await db
      .selectFrom('checkpoints')
      .select(['id', 'name', 'type', 'command_id'])
      .execute();
    expect(checkpoints.length).toBeGreaterThanOrEqual(10);
    expect(checkpoints.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        '杭徽高速昌化出口',
        '杭徽高速於潜出口',
        '杭徽高速临安出口',
        '02省道昌化段检查点',
      ]),
    );
    expect(new Set(checkpoints.map((c) => c.type))).toEqual(
      new Set(['expressway_exit', 'road', 'village_entrance', 'compound_gate']),
    );
    expect(checkpoints.filter((c) => c.command_id !== null).length).toBeGreaterThan(checkpoints.length / 2);
    // A week of 3 × 8 h shifts at each.
    const shifts = await db.selectFrom('shifts').select(['id']).execute();
    expect(shifts.length).toBe(checkpoints.length * 7 * 3);

    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const c = new Client(app);
      const password = logins.find((l) => l.username === 'checkpoint')!.password;
      expect((await c.post('/api/auth/login', { username: 'checkpoint', password })).status).toBe(200);
      const mine = await c.get<{
        current: { checkpoint: { name: string; node: { id: number } }; canCheckIn: boolean } | null;
        upcoming: unknown[];
      }>('/api/shifts/mine');
      expect(mine.status, JSON.stringify(mine.body)).toBe(200);
      expect(mine.body.current).toMatchObject({ checkpoint: { name: '杭徽高速昌化出口' }, canCheckIn: true });
      const town = nodes.find((n) => n.name === '昌化镇')!;
      const place = nodes.find((n) => n.id === mine.body.current!.checkpoint.node.id)!;
      expect(place.path.startsWith(town.path)).toBe(true);
      expect(mine.body.upcoming.length).toBeGreaterThanOrEqual(1);

      // The district's roster: gaps ahead and one no-show on a shift running now.
      const commander = new Client(app);
      const cp = logins.find((l) => l.username === 'commander')!.password;
      expect((await commander.post('/api/auth/login', { username: 'commander', password: cp })).status).toBe(
        200,
      );
      const from = new Date(Date.now() - 3 * 86_400_000).toISOString();
      const to = new Date(Date.now() + 3 * 86_400_000).toISOString();
      const grid = await commander.get<{
        items: { status: string; startsAt: string; endsAt: string; noShows: number[] }[];
        uncoveredAhead: number;
        understaffedAhead: number;
      }>(`/api/rosters/coverage?from=${from}&to=${to}`);
      expect(grid.status, JSON.stringify(grid.body)).toBe(200);
      expect(grid.body.uncoveredAhead).toBeGreaterThan(0);
      expect(grid.body.understaffedAhead).toBeGreaterThan(0);
      // Exactly one person missed a shift's check-in (the 02省道 at 昌化, its last window gone by).
      expect(grid.body.items.reduce((n, s) => n + s.noShows.length, 0)).toBe(1);
      const cockpit = await commander.get<{ figures: { staffedNow: number; uncoveredNext24h: number } }>(
        '/api/cockpit',
      );
      expect(cockpit.body.figures.staffedNow).toBeGreaterThan(0);
      expect(cockpit.body.figures.uncoveredNext24h).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('has a week of passages at the checkpoints, and the grid worker finds risky travellers handed to the grid', async () => {
    const passages = await database.db.selectFrom('passages').select(['registered_at', 'risky']).execute();
    expect(passages.length).toBeGreaterThan(300);
    const weekAgo = new Date(Date.now() - 7.5 * 86_400_000).toISOString();
    expect(passages.every((p) => p.registered_at >= weekAgo)).toBe(true);
    expect(passages.filter((p) => p.risky === 1).length).toBeGreaterThan(0);
    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const c = new Client(app);
      const password = logins.find((l) => l.username === 'gridworker')!.password;
      expect((await c.post('/api/auth/login', { username: 'gridworker', password })).status).toBe(200);
      const tasks = await c.get<{ items: { state: string; person: { idNumber: string | null } }[] }>(
        '/api/handoffs/tasks',
      );
      expect(tasks.status, JSON.stringify(tasks.body)).toBe(200);
      expect(tasks.body.items.length).toBeGreaterThan(0);
      expect(tasks.body.items.every((h) => h.state === 'open')).toBe(true);
      // Masked as everywhere: the worker reveals a number only through the registry.
      expect(tasks.body.items.some((h) => h.person.idNumber?.includes('*'))).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('has people observed at home: today’s follow-ups waiting for the grid worker and the volunteer, a day missed, one seen unwell, figures on the cockpit', async () => {
    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const as = (username: string) => signIn(app, username);
      const worker = await as('gridworker');
      const tasks = await worker.get<{ items: { observationId: number }[] }>('/api/observations/tasks');
      expect(tasks.status).toBe(200);
      expect(tasks.body.items.length).toBeGreaterThanOrEqual(3);
      const volunteer = await as('volunteer');
      const cares = await volunteer.get<{ items: { observationId: number; carer: boolean }[] }>(
        '/api/observations/tasks',
      );
      expect(cares.body.items.length).toBeGreaterThanOrEqual(2);
      expect(cares.body.items.every((i) => i.carer)).toBe(true);
      const list = await worker.get<{
        items: { status: string; missed: number; abilities: { release: boolean } }[];
      }>('/api/observations?pageSize=50');
      const orders = list.body.items;
      expect(orders.filter((o) => o.status === 'active').length).toBeGreaterThanOrEqual(4);
      expect(orders.some((o) => o.status === 'released')).toBe(true);
      expect(orders.some((o) => o.status === 'transferred')).toBe(true);
      expect(orders.some((o) => o.missed > 0)).toBe(true);
      expect(orders.some((o) => o.abilities.release)).toBe(true);
      // The cadre heard of the person seen unwell, and of the day missed.
      const cadre = await as('cadre');
      const bell = await cadre.get<{ items: { kind: string }[] }>('/api/notifications');
      const kinds = bell.body.items.map((n) => n.kind);
      expect(kinds).toEqual(expect.arrayContaining(['observation.unwell', 'observation.missed']));
      const towncmd = await as('towncmd');
      const cockpit = await towncmd.get<{ figures: { observationsActive: number | '<5' } }>('/api/cockpit');
      expect(cockpit.body.figures.observationsActive).toBeGreaterThanOrEqual(5);
    } finally {
      await app.close();
    }
  });

  it('has a sweep in progress: grids at different completion, the grid worker’s list half done, the seconded cadre paired with it, figures on the cockpit', async () => {
    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const as = (username: string) => signIn(app, username);
      type Sweeps = { items: { id: number; done: number; targets: number; myGrids: { id: number }[] }[] };
      const worker = await as('gridworker');
      const mine = (await worker.get<Sweeps>('/api/sweeps')).body.items;
      expect(mine).toHaveLength(1);
      const [sweep] = mine as [Sweeps['items'][number]];
      expect(sweep.myGrids).toHaveLength(1);
      // Half the grid's list finished or tried: some still to visit, the list not empty.
      expect(sweep.targets).toBeGreaterThanOrEqual(4);
      expect(sweep.done).toBeGreaterThan(0);
      expect(sweep.done).toBeLessThan(sweep.targets);
      const list = await worker.get<{ households: { targets: { status: string; risk: string | null }[] }[] }>(
        `/api/sweeps/${sweep.id}/list`,
      );
      const targets = list.body.households.flatMap((h) => h.targets);
      expect(targets.some((t) => t.risk === 'high')).toBe(true);
      expect(targets.filter((t) => t.status === 'pending').length).toBeGreaterThanOrEqual(2);
      // The seconded cadre lands on the same grid's list, and may visit it.
      const seconded = await as('seconded');
      const theirs = (await seconded.get<Sweeps>('/api/sweeps')).body.items;
      expect(theirs.map((s) => s.myGrids.map((g) => g.id))).toEqual([sweep.myGrids.map((g) => g.id)]);
      const helperList = await seconded.get<{ visit: boolean }>(`/api/sweeps/${sweep.id}/list`);
      expect(helperList.body.visit).toBe(true);
      // The street's progress: its villages at different completion, some grids behind.
      const towncmd = await as('towncmd');
      const progress = await towncmd.get<{
        done: number;
        targets: number;
        children: { done: number; targets: number }[];
        laggards: unknown[];
      }>(`/api/sweeps/${sweep.id}/progress`);
      expect(progress.status).toBe(200);
      const shares = new Set(progress.body.children.map((c) => Math.round((c.done / c.targets) * 10)));
      expect(shares.size).toBeGreaterThan(1);
      expect(progress.body.laggards.length).toBeGreaterThan(0);
      const cockpit = await towncmd.get<{ figures: { sweepDone: number; sweepTargets: number } }>(
        '/api/cockpit',
      );
      expect(cockpit.body.figures.sweepTargets).toBe(progress.body.targets);
      expect(cockpit.body.figures.sweepDone).toBe(progress.body.done);
    } finally {
      await app.close();
    }
  });

  it('has mediation work waiting: the mediator’s caseload in every state and today’s session, the judge’s confirmations, the invited mediator’s bookings at 太源村, figures on the cockpit', async () => {
    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const as = (username: string) => signIn(app, username);
      type Cases = { items: { id: number; status: string; applicants: number }[]; total: number };
      const mediator = await as('mediator');
      const mine = await mediator.get<Cases>('/api/mediation/cases?mine=1&pageSize=100');
      expect(mine.status).toBe(200);
      const states = new Set(mine.body.items.map((c) => c.status));
      for (const s of ['mediating', 'signing', 'agreed', 'failed', 'withdrawn']) expect(states).toContain(s);
      // The town's cases include those not assigned to anybody: received, refused, referred.
      const town = await mediator.get<Cases>('/api/mediation/cases?pageSize=100');
      const townStates = new Set(town.body.items.map((c) => c.status));
      for (const s of ['received', 'refused', 'referred']) expect(townStates).toContain(s);
      // The 77 wage claimants: one agreement, in effect and confirmed by the court.
      const wage = mine.body.items.find((c) => c.applicants === 77)!;
      expect(wage.status).toBe('agreed');
      const wageCase = await mediator.get<{
        agreement: { status: string; toSign: number; confirmation: { status: string } | null };
        followUps: { status: string }[];
      }>(`/api/mediation/cases/${wage.id}`);
      expect(wageCase.body.agreement).toMatchObject({ status: 'in_effect', toSign: 79 });
      expect(wageCase.body.agreement.confirmation!.status).toBe('confirmed');
      // A follow-up visit is due; today a session is scheduled.
      const follow = await mediator.get<{ items: { status: string }[] }>('/api/mediation/follow-ups');
      expect(follow.body.items.some((f) => f.status === 'due')).toBe(true);
      const agenda = await mediator.get<{ items: unknown[] }>('/api/mediation/agenda');
      expect(agenda.body.items.length).toBeGreaterThan(0);
      // The judge: an application to accept and one to rule on.
      const judge = await as('judge');
      const confs = await judge.get<{
        items: { status: string; abilities: { accept: boolean; decide: boolean } }[];
      }>('/api/mediation/confirmations');
      expect(confs.body.items.some((c) => c.abilities.accept)).toBe(true);
      expect(confs.body.items.some((c) => c.status === 'confirmed')).toBe(true);
      // The invited mediator: today's two bookings at 太源村's micro court.
      const invited = await as('invited');
      const hearings = await invited.get<{
        items: { point: { name: string }; abilities: { attend: boolean } }[];
      }>('/api/hearings');
      expect(hearings.body.items).toHaveLength(2);
      expect(hearings.body.items.every((h) => h.point.name === '太源村微法庭' && h.abilities.attend)).toBe(
        true,
      );
      // The cockpit counts the district's open cases and pending confirmations.
      const commander = await as('commander');
      const cockpit = await commander.get<{
        figures: { mediationOpen: number; confirmationsPending: number };
      }>('/api/cockpit');
      const open = await database.db
        .selectFrom('mediation_cases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['received', 'mediating', 'signing'])
        .executeTakeFirstOrThrow();
      expect(cockpit.body.figures.mediationOpen).toBe(Number(open.n));
      expect(cockpit.body.figures.confirmationsPending).toBeGreaterThanOrEqual(2);
    } finally {
      await app.close();
    }
  });

  it('has joint services work waiting: the coordinator’s needs and the street’s volunteers without the registry, the volunteer’s call-outs near them and tasks, care visits overdue in the demo grid, figures on the cockpit', async () => {
    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const as = (username: string) => signIn(app, username);
      const { db } = database;
      const byId = new Map(nodes.map((n) => [n.id, n]));
      const street = ofLevel('town').find((t) => t.name === '锦城街道')!;
      const community = nodes.find((n) => n.name === logins.find((l) => l.username === 'volunteer')!.node)!;
      const grid = nodes.find((n) => n.name === logins.find((l) => l.username === 'gridworker')!.node)!;
      const inStreet = (id: number) => byId.get(id)!.path.startsWith(street.path);
      type Request = {
        id: number;
        status: string;
        node: { id: number };
        escalationLevel: number;
        abilities: { accept: boolean; complete: boolean; assign: boolean };
      };
      type Requests = { items: Request[]; total: number };

      // The coordinator: open needs of the street to match, its volunteers, the organisations they
      // coordinate — and never the registry.
      const coord = await as('volcoord');
      const open = await coord.get<Requests>('/api/service-requests?status=open&pageSize=50');
      expect(open.status, JSON.stringify(open.body)).toBe(200);
      expect(open.body.total).toBeGreaterThanOrEqual(2);
      expect(open.body.items.every((r) => inStreet(r.node.id) && r.abilities.assign)).toBe(true);
      const suggestions = await coord.get<{ items: unknown[] }>(
        `/api/service-requests/${open.body.items[0]!.id}/suggestions`,
      );
      expect(suggestions.body.items.length).toBeGreaterThan(0);
      const escalated = await coord.get<Requests>('/api/service-requests?escalated=1');
      expect(escalated.body.items.some((r) => r.escalationLevel >= 1)).toBe(true);
      const states = new Set(
        (await coord.get<Requests>('/api/service-requests?pageSize=100')).body.items.map((r) => r.status),
      );
      for (const s of ['open', 'assigned', 'accepted', 'done', 'cancelled']) expect(states).toContain(s);
      const volunteers = await coord.get<{ items: { home: { id: number } }[]; total: number }>(
        `/api/services/volunteers?node=${street.id}&pageSize=100`,
      );
      expect(volunteers.status).toBe(200);
      expect(volunteers.body.total).toBeGreaterThanOrEqual(20);
      expect(volunteers.body.items.every((v) => inStreet(v.home.id))).toBe(true);
      const orgs = await coord.get<{
        items: { name: string; kind: string; coordinators: { name: string }[]; hours: number }[];
      }>('/api/services/orgs');
      const mine = orgs.body.items.filter((o) => o.coordinators.some((c) => c.name === '葛春华'));
      expect(mine.map((o) => o.name)).toContain('寸草心志愿服务队');
      expect(new Set(mine.map((o) => o.kind))).toEqual(new Set(['ngo', 'party_branch', 'owners_committee']));
      expect((await coord.get('/api/people')).status).toBe(403);

      // The volunteer: a party member of the second community, a real resident; call-outs near them
      // (a checkpoint's short shift, tomorrow's meals) to sign up for, tasks to take, people to visit.
      const volunteer = await as('volunteer');
      const me = await volunteer.get<{
        id: number;
        name: string;
        partyMember: boolean;
        skills: string[];
        org: { name: string } | null;
        home: { id: number };
        hours: number;
      }>('/api/services/volunteers/me');
      expect(me.status, JSON.stringify(me.body)).toBe(200);
      expect(me.body).toMatchObject({ name: '骆思远', partyMember: true, org: { name: '寸草心志愿服务队' } });
      expect(me.body.skills).toEqual(
        expect.arrayContaining(['guard_duty', 'meal_delivery', 'companionship']),
      );
      expect(me.body.hours).toBeGreaterThan(0);
      expect(byId.get(me.body.home.id)!.path.startsWith(community.path)).toBe(true);
      const person = await db
        .selectFrom('volunteers as v')
        .innerJoin('persons as p', 'p.id', 'v.person_id')
        .select(['p.name', 'p.household_id', 'p.node_path', 'v.consent_at'])
        .where('v.id', '=', me.body.id)
        .executeTakeFirstOrThrow();
      expect(person).toMatchObject({ name: '骆思远', node_path: byId.get(me.body.home.id)!.path });
      expect(person.household_id).not.toBeNull();
      expect(person.consent_at < new Date().toISOString()).toBe(true);
      // A few hundred volunteers across the district, every one a resident tagged volunteer or party member.
      const all = await db
        .selectFrom('volunteers as v')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn
            .sum<number>(
              eb
                .case()
                .when(
                  eb.exists(
                    eb
                      .selectFrom('person_tags as t')
                      .select('t.person_id')
                      .whereRef('t.person_id', '=', 'v.person_id')
                      .where('t.tag_code', 'in', ['volunteer', 'party_member']),
                  ),
                )
                .then(1)
                .else(0)
                .end(),
            )
            .as('tagged'),
        ])
        .executeTakeFirstOrThrow();
      expect(Number(all.n)).toBeGreaterThanOrEqual(200);
      expect(Number(all.n)).toBeLessThanOrEqual(800);
      expect(Number(all.tagged)).toBe(Number(all.n));
      type Callouts = {
        items: {
          node: { id: number };
          skills: string[];
          shift: { checkpoint: { name: string } } | null;
          mine: { status: string } | null;
          abilities: { signUp: boolean };
        }[];
      };
      const near = await volunteer.get<Callouts>('/api/callouts?near=1');
      expect(near.status, JSON.stringify(near.body)).toBe(200);
      expect(near.body.items.every((c) => inStreet(c.node.id))).toBe(true);
      expect(near.body.items.some((c) => c.shift !== null && c.abilities.signUp)).toBe(true);
      expect(near.body.items.some((c) => c.skills.includes('meal_delivery') && c.abilities.signUp)).toBe(
        true,
      );
      const signed = await volunteer.get<Callouts>('/api/callouts?mine=1');
      const mineStates = signed.body.items.map((c) => c.mine?.status);
      expect(mineStates).toContain('signed_up');
      expect(mineStates).toContain('done');
      const tasks = await volunteer.get<Requests>('/api/service-requests?mine=1');
      expect(tasks.status).toBe(200);
      expect(
        tasks.body.items.filter((r) => r.status === 'assigned' && r.abilities.accept).length,
      ).toBeGreaterThanOrEqual(2);
      expect(tasks.body.items.some((r) => r.status === 'accepted' && r.abilities.complete)).toBe(true);
      expect(tasks.body.items.some((r) => r.status === 'done')).toBe(true);
      const visits = await volunteer.get<{
        items: { overdueDays: number; abilities: { visit: boolean } }[];
        total: number;
      }>('/api/care/roster?mine=1');
      expect(visits.body.total).toBeGreaterThanOrEqual(3);
      expect(visits.body.items.every((v) => v.abilities.visit)).toBe(true);
      expect(visits.body.items.some((v) => v.overdueDays > 0)).toBe(true);
      expect(visits.body.items.some((v) => v.overdueDays === 0)).toBe(true);
      expect((await volunteer.get('/api/people')).status).toBe(403);

      // The grid worker's grid: some of its care roster overdue, not all.
      const worker = await as('gridworker');
      const overdue = await worker.get<{
        items: { node: { id: number }; onRoster: number; overdue: number }[];
      }>(`/api/care/overdue?node=${grid.id}`);
      expect(overdue.status, JSON.stringify(overdue.body)).toBe(200);
      const mineGrid = overdue.body.items.find((i) => i.node.id === grid.id)!;
      expect(mineGrid.overdue).toBeGreaterThan(0);
      expect(mineGrid.onRoster).toBeGreaterThan(mineGrid.overdue);

      // Hours, no-shows and counters as the service keeps them; the district's cockpit shows them.
      const sum = async (q: Promise<{ n: number | string | null } | undefined>) => Number((await q)?.n ?? 0);
      const credited = await sum(
        db
          .selectFrom('volunteer_hours')
          .select((eb) => eb.fn.sum<number>('minutes').as('n'))
          .executeTakeFirst(),
      );
      expect(credited).toBeGreaterThan(0);
      // Each volunteer's yearly sums are their months' (the year's rankings read them).
      const months = await db.selectFrom('volunteer_hours').selectAll().execute();
      const years = new Map<string, number>();
      for (const m of months) {
        const k = `${m.volunteer_id} ${m.month.slice(0, 4)} ${m.org_id} ${m.home_path}`;
        years.set(k, (years.get(k) ?? 0) + m.minutes);
      }
      const yearly = await db.selectFrom('volunteer_hours_yearly').selectAll().execute();
      expect(
        new Map(yearly.map((y) => [`${y.volunteer_id} ${y.year} ${y.org_id} ${y.home_path}`, y.minutes])),
      ).toEqual(years);
      expect(
        await sum(
          db
            .selectFrom('volunteers')
            .select((eb) => eb.fn.sum<number>('minutes_total').as('n'))
            .executeTakeFirst(),
        ),
      ).toBe(credited);
      for (const o of await db.selectFrom('volunteer_orgs').select(['id', 'minutes_total']).execute())
        expect(
          await sum(
            db
              .selectFrom('volunteer_hours')
              .select((eb) => eb.fn.sum<number>('minutes').as('n'))
              .where('org_id', '=', o.id)
              .executeTakeFirst(),
          ),
        ).toBe(o.minutes_total);
      expect(
        await sum(
          db
            .selectFrom('volunteers')
            .select((eb) => eb.fn.sum<number>('no_shows').as('n'))
            .executeTakeFirst(),
        ),
      ).toBe(
        await sum(
          db
            .selectFrom('callout_signups')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', '=', 'no_show')
            .executeTakeFirst(),
        ),
      );
      const month = localDate(new Date().toISOString()).slice(0, 7);
      const commander = await as('commander');
      const cockpit = await commander.get<{
        figures: {
          calloutsOpen: number;
          serviceRequestsOpen: number;
          volunteerHoursMonth: number;
          careVisitsOverdue: number;
        };
      }>('/api/cockpit');
      expect(cockpit.status).toBe(200);
      const f = cockpit.body.figures;
      expect(f.calloutsOpen).toBeGreaterThan(0);
      expect(f.calloutsOpen).toBe(
        await sum(
          db
            .selectFrom('callouts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', '=', 'open')
            .executeTakeFirst(),
        ),
      );
      expect(f.serviceRequestsOpen).toBeGreaterThan(0);
      expect(f.serviceRequestsOpen).toBe(
        await sum(
          db
            .selectFrom('service_requests')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', 'in', ['open', 'assigned', 'accepted'])
            .executeTakeFirst(),
        ),
      );
      const monthMinutes = await sum(
        db
          .selectFrom('volunteer_hours')
          .select((eb) => eb.fn.sum<number>('minutes').as('n'))
          .where('month', '=', month)
          .executeTakeFirst(),
      );
      expect(monthMinutes).toBeGreaterThan(0);
      expect(f.volunteerHoursMonth).toBe(Math.round(monthMinutes / 6) / 10);
      expect(f.careVisitsOverdue).toBeGreaterThan(0);
      expect(f.careVisitsOverdue).toBe(
        await sum(
          db
            .selectFrom('care_roster')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('next_due_on', '<', localDate(new Date().toISOString()))
            .executeTakeFirst(),
        ),
      );
    } finally {
      await app.close();
    }
  });

  it('a sweep over the whole small demo district puts every floating resident on exactly one grid’s list; progress adds up node by node; someone met on the spot is registered once', async () => {
    const app = await buildApp(testConfig(), { database, pii: TEST_PII });
    try {
      const as = (username: string) => signIn(app, username);
      const { db } = database;
      const district = ofLevel('district')[0]!;
      const command = await db
        .selectFrom('incident_commands')
        .select('id')
        .where('closed_at', 'is', null)
        .executeTakeFirstOrThrow();
      const q = await db.selectFrom('questionnaires').select('id').executeTakeFirstOrThrow();
      const commander = await as('commander');
      const res = await commander.post<{ id: number; targets: number }>('/api/sweeps', {
        name: '全区流动人口摸排',
        commandId: command.id,
        questionnaireId: q.id,
        nodeId: district.id,
        population: { kind: 'floating' },
        deadline: '2031-12-31',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const sweepId = res.body.id;
      const floating = await db
        .selectFrom('persons')
        .select('id')
        .where('residence_type', '=', 'floating')
        .where('merged_into_id', 'is', null)
        .execute();
      const targets = await db
        .selectFrom('sweep_targets as t')
        .innerJoin('nodes as n', 'n.id', 't.node_id')
        .innerJoin('persons as p', 'p.id', 't.person_id')
        .select(['t.id', 't.person_id', 't.node_path', 'n.level', 'p.node_path as person_path'])
        .where('t.sweep_id', '=', sweepId)
        .execute();
      // Every floating resident once, each on one grid's list: the grid holding them.
      expect(targets.length).toBe(floating.length);
      expect(res.body.targets).toBe(floating.length);
      expect(new Set(targets.map((t) => t.person_id)).size).toBe(floating.length);
      expect(targets.every((t) => t.level === 'grid' && t.person_path.startsWith(t.node_path))).toBe(true);

      // Visits in three towns, by the admin standing in for their grid workers.
      const admin = await as('admin');
      const towns = ofLevel('town').slice(0, 3);
      const calm = { returned_key_area: false, close_contact: false, temperature: 36.4, symptoms: [] };
      for (const [i, town] of towns.entries()) {
        const some = targets.filter((t) => t.node_path.startsWith(town.path)).slice(0, 3 + i);
        for (const [k, t] of some.entries()) {
          const body = k === 0 ? { outcome: 'not_home' } : { outcome: 'answered', answers: calm };
          const v = await admin.post(`/api/sweeps/${sweepId}/targets/${t.id}/visit`, body);
          expect(v.status, JSON.stringify(v.body)).toBe(200);
        }
      }
      type Progress = {
        done: number;
        targets: number;
        children: { nodeId: number; done: number; targets: number }[];
      };
      const progress = async (nodeId: number) => {
        const r = await commander.get<Progress>(`/api/sweeps/${sweepId}/progress?node=${nodeId}`);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        return r.body;
      };
      const sum = (p: Progress) => ({
        done: p.children.reduce((a, c) => a + c.done, 0),
        targets: p.children.reduce((a, c) => a + c.targets, 0),
      });
      const top = await progress(district.id);
      expect(top).toMatchObject({ targets: floating.length, done: 2 + 3 + 4 });
      expect(sum(top)).toEqual({ done: top.done, targets: top.targets });
      for (const town of towns) {
        const p = await progress(town.id);
        expect(sum(p)).toEqual({ done: p.done, targets: p.targets });
        for (const v of p.children.slice(0, 3)) {
          const pv = await progress(v.nodeId);
          expect(sum(pv)).toEqual({ done: pv.done, targets: pv.targets });
        }
      }

      // Someone met on the spot, twice: one person, one target.
      const grid = targets[0]!;
      const gridNode = ofLevel('grid').find((g) => g.path === grid.node_path)!;
      const idNumber = makeIdNumber('110101', '19900307', 7);
      const before = floating.length;
      for (let i = 0; i < 2; i++) {
        const f = await admin.post<{ registered: boolean; target: { id: number } }>(
          `/api/sweeps/${sweepId}/found`,
          {
            gridId: gridNode.id,
            name: '现场发现人员',
            idNumber,
          },
        );
        expect(f.status, JSON.stringify(f.body)).toBe(201);
        expect(f.body.registered).toBe(i === 0);
      }
      const found = await db.selectFrom('persons').select('id').where('name', '=', '现场发现人员').execute();
      expect(found).toHaveLength(1);
      expect((await progress(district.id)).targets).toBe(before + 1);
      expect((await admin.post(`/api/sweeps/${sweepId}/close`, {})).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
