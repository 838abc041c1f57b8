// Joint services (服务联办) over HTTP, on both databases: a call-out for 10 fills at 10 and refuses the
// 11th, and two volunteers tapping for the last place at once get one place between them (on
// PostgreSQL the two requests are held in flight together on the pool); a "needs food" follow-up of a
// home observation becomes a meals request matched to the volunteer of the person's own grid, and
// escalates to the village, then the town, when nobody takes it; care visits overdue per grid are
// the numbers worked out by hand; coordinators and volunteers never read the registry and meet a
// resident only through a task naming them; check-out credits the minutes everywhere they count, the
// certificate prints them; joining by invitation, the workbook import (all rows or none), a
// checkpoint's shift called out; bad input is a 4xx problem and nothing answers 500.
import ExcelJS from 'exceljs';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CalloutView,
  RosterEntryView,
  ServiceRequestView,
  SignupView,
  VolunteerOrgView,
  VolunteerView,
} from '../../../common/contracts/services.js';
import type { DB } from '../../db/index.js';
import { counterAt, makeCast, makeTree, makeUser, type Tree, type TreeNode } from '../../test/factories.js';
import {
  buildTestApp,
  TEST_DB,
  TEST_PASSWORD,
  type Client,
  type TestApp,
  type TestResponse,
} from '../../test/harness.js';
import {
  insertHousehold,
  insertPerson,
  multipart,
  nthIdNumber,
  nthPhone,
  problemShape,
  userIdOf,
} from '../../test/routes.js';
import { pdfText } from '../../test/pdf-text.js';

let t: TestApp;
let db: DB;
let tree: Tree;
// 10:00 in Shanghai on Monday 2026-03-02; each part of the suite sets the clock it needs.
let clock = '2026-03-02T02:00:00.000Z';
let admin: Client, commander: Client, towncmd: Client, cadre: Client, gridworker: Client, coord: Client;
/** The village cadre of town B's second village: visits and assigns visitors on its care roster. */
let cadreD: Client;
let orgA: VolunteerOrgView, orgB: VolunteerOrgView;
/** Invitation tokens: town A's (organisation A), town B's (organisation B). */
let tokenA: string, tokenB: string;
/** Every answer of 500 or above, wherever it came from. */
const serverErrors: string[] = [];

interface Problem {
  code: string;
  issues?: { path: string; code: string }[];
}

let seq = 0;
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

/** The answer's status as expected (its body in the failure message), and its body. */
async function ok<T>(p: Promise<TestResponse<T>>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}
/** The answer's status, its problem code, and the problem+json shape every refusal has. */
async function refused(p: Promise<TestResponse<unknown>>, status: number, code?: string) {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(problemShape(res)).toEqual([]);
  if (code) expect((res.body as Problem).code).toBe(code);
  return res.body as Problem;
}

/** Joins through an invitation (a volunteer record and an account) and signs in. */
async function join(
  token: string,
  home: TreeNode,
  username: string,
  extra: { skills?: string[]; partyMember?: boolean; idNumber?: string } = {},
) {
  const n = ++seq;
  const res = await ok(
    t.anon().post<{ volunteerId: number; username: string }>(`/api/public/join/${token}`, {
      name: `志愿者${username}`,
      idNumber: extra.idNumber ?? nthIdNumber(30_000 + n),
      phone: nthPhone(5_000 + n),
      nodeId: home.id,
      username,
      password: TEST_PASSWORD,
      consent: true,
      skills: extra.skills ?? [],
      partyMember: extra.partyMember ?? false,
    }),
    201,
  );
  return { id: res.volunteerId, name: `志愿者${username}`, client: await t.login(username) };
}
type Joined = Awaited<ReturnType<typeof join>>;

const at = (iso: string) => {
  clock = iso;
};
const newCallout = (c: Client, node: TreeNode, extra: object = {}) =>
  c.post<CalloutView>('/api/callouts', {
    nodeId: node.id,
    title: '社区核酸检测秩序维护',
    meetingPoint: '村委会门口',
    startsAt: '2026-03-20T00:00:00.000Z',
    endsAt: '2026-03-20T04:00:00.000Z',
    capacity: 10,
    ...extra,
  });
const signUp = (c: Client, id: number) => c.post<SignupView>(`/api/callouts/${id}/signups`);
const notified = async (kind: string, entityId: number) =>
  (
    await db
      .selectFrom('notifications as n')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .select('u.username')
      .where('n.kind', '=', kind)
      .where('n.entity_id', '=', entityId)
      .execute()
  )
    .map((r) => r.username)
    .sort();

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => clock });
  // Every answer passes here: the last test says none was a server error.
  const inject = t.app.inject.bind(t.app) as (opts: InjectOptions) => Promise<LightMyRequestResponse>;
  Object.assign(t.app, {
    inject: async (opts: InjectOptions) => {
      const res = await inject(opts);
      if (res.statusCode >= 500) serverErrors.push(`${res.statusCode} ${res.body.slice(0, 300)}`);
      return res;
    },
  });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  const coordId = await makeUser(db, 'coord', [{ role: 'volunteer_coordinator', node: tree.towns[0]! }]);
  await makeUser(db, 'cadreD', [{ role: 'village_cadre', node: tree.villages[3]! }]);
  [admin, commander, towncmd, cadre, gridworker, coord, cadreD] = await Promise.all([
    t.login('admin'),
    t.login('commander'),
    t.login('towncmd'),
    t.login('cadre'),
    t.login('gridworker'),
    t.login('coord'),
    t.login('cadreD'),
  ]);
  orgA = await ok(
    coord.post<VolunteerOrgView>('/api/services/orgs', {
      kind: 'ngo',
      name: '寸草心志愿服务队',
      nodeId: tree.towns[0]!.id,
      coordinatorUserIds: [coordId],
    }),
    201,
  );
  orgB = await ok(
    admin.post<VolunteerOrgView>('/api/services/orgs', {
      kind: 'party_branch',
      name: '镇2党员先锋队',
      nodeId: tree.towns[1]!.id,
    }),
    201,
  );
  tokenA = (
    await ok(
      coord.post<{ token: string }>('/api/services/invitations', {
        nodeId: tree.towns[0]!.id,
        orgId: orgA.id,
      }),
      201,
    )
  ).token;
  tokenB = (
    await ok(
      admin.post<{ token: string }>('/api/services/invitations', {
        nodeId: tree.towns[1]!.id,
        orgId: orgB.id,
      }),
      201,
    )
  ).token;
});
afterAll(async () => t.close());

describe('joining by invitation', () => {
  it('an invitation says where it is for; joining makes a record and an account that signs in and finds itself', async () => {
    const info = await ok(
      t.anon().get<{ node: { id: number }; org: { id: number } | null }>(`/api/public/join/${tokenA}`),
    );
    expect(info.node.id).toBe(tree.towns[0]!.id);
    expect(info.org?.id).toBe(orgA.id);
    const usersBefore = await db.selectFrom('users').select('id').execute();
    const v = await join(tokenA, tree.grids[3]!, 'joiner', { skills: ['shopping'], partyMember: true });
    expect((await db.selectFrom('users').select('id').execute()).length).toBe(usersBefore.length + 1);
    const me = await ok(v.client.get<VolunteerView>('/api/services/volunteers/me'));
    expect(me).toMatchObject({
      id: v.id,
      name: '志愿者joiner',
      home: { id: tree.grids[3]!.id },
      org: { id: orgA.id, name: orgA.name },
      partyMember: true,
      skills: ['shopping'],
      joinedVia: 'invitation',
      hasAccount: true,
      status: 'active',
      hours: 0,
    });
    // Their account is a volunteer's, at their home.
    const role = await db
      .selectFrom('role_assignments as a')
      .innerJoin('roles as r', 'r.id', 'a.role_id')
      .select(['r.code', 'a.node_id'])
      .where('a.user_id', '=', await userIdOf(db, 'joiner'))
      .execute();
    expect(role).toEqual([{ code: 'volunteer', node_id: tree.grids[3]!.id }]);
    // Someone who is no volunteer has no record to find.
    await refused(gridworker.get('/api/services/volunteers/me'), 404);
  });

  it('refuses a home outside the invitation’s place, a taken username and a spent invitation, writing nothing', async () => {
    const before = await db.selectFrom('volunteers').select('id').execute();
    const body = (extra: object) => ({
      name: '志愿者乙',
      idNumber: nthIdNumber(39_001),
      phone: nthPhone(9_001),
      nodeId: tree.grids[0]!.id,
      username: 'joiner2',
      password: TEST_PASSWORD,
      consent: true,
      ...extra,
    });
    const outside = await refused(
      t.anon().post(`/api/public/join/${tokenA}`, body({ nodeId: tree.grids[4]!.id })),
      400,
    );
    expect(outside.issues?.map((i) => [i.path, i.code])).toEqual([['body.nodeId', 'outside_place']]);
    await refused(t.anon().post(`/api/public/join/${tokenA}`, body({ username: 'joiner' })), 409);
    await refused(t.anon().post(`/api/public/join/${tokenA}`, body({ consent: false })), 400);
    const once = await ok(
      coord.post<{ token: string }>('/api/services/invitations', {
        nodeId: tree.towns[0]!.id,
        maxUses: 1,
        days: 1,
      }),
      201,
    );
    await join(once.token, tree.villages[1]!, 'onceonly');
    await refused(t.anon().get(`/api/public/join/${once.token}`), 404);
    await refused(t.anon().post(`/api/public/join/${once.token}`, body({ username: 'twice' })), 404);
    expect((await db.selectFrom('volunteers').select('id').execute()).length).toBe(before.length + 1);
    // A day on, an invitation of one day is over.
    const daily = await ok(
      coord.post<{ token: string }>('/api/services/invitations', { nodeId: tree.towns[0]!.id, days: 1 }),
      201,
    );
    at('2026-03-03T02:00:01.000Z');
    try {
      await refused(t.anon().get(`/api/public/join/${daily.token}`), 404);
      await refused(t.anon().post(`/api/public/join/${daily.token}`, body({ username: 'late' })), 404);
    } finally {
      at('2026-03-02T02:00:00.000Z');
    }
    // Only whoever manages volunteers there invites.
    await refused(coord.post('/api/services/invitations', { nodeId: tree.towns[1]!.id, orgId: null }), 403);
  });
});

describe('call-outs fill to their capacity and never past it', () => {
  let crowd: Joined[];
  beforeAll(async () => {
    at('2026-03-02T02:00:00.000Z');
    crowd = [];
    for (let i = 0; i < 12; i++)
      crowd.push(await join(tokenB, tree.grids[4 + (i % 2)]!, `crowd${i + 1}`, { skills: ['guard_duty'] }));
  });

  it('fills at 10 and refuses the 11th with 409', async () => {
    const c = await ok(newCallout(commander, tree.villages[2]!), 201);
    expect(c).toMatchObject({ capacity: 10, filled: 0, full: false, status: 'open' });
    for (const v of crowd.slice(0, 10)) {
      const s = await ok(signUp(v.client, c.id), 201);
      expect(s).toMatchObject({ calloutId: c.id, volunteer: { id: v.id }, status: 'signed_up' });
    }
    await refused(signUp(crowd[10]!.client, c.id), 409, 'services.callout_full');
    const after = await ok(crowd[10]!.client.get<CalloutView>(`/api/callouts/${c.id}`));
    expect(after).toMatchObject({ filled: 10, full: true, mine: null });
    expect(after.abilities.signUp).toBe(false);
    const rows = await db
      .selectFrom('callout_signups')
      .select('volunteer_id')
      .where('callout_id', '=', c.id)
      .execute();
    expect(rows.map((r) => r.volunteer_id).sort()).toEqual(
      crowd
        .slice(0, 10)
        .map((v) => v.id)
        .sort(),
    );
    // Signing up twice is refused too, without taking a place.
    await refused(signUp(crowd[0]!.client, c.id), 409, 'services.signed_up_already');
    // A place given back is a place again.
    await ok(crowd[9]!.client.post<CalloutView>(`/api/callouts/${c.id}/withdraw`));
    await ok(signUp(crowd[10]!.client, c.id), 201);
    expect((await ok(commander.get<CalloutView>(`/api/callouts/${c.id}`))).filled).toBe(10);
  });

  it('two volunteers tapping for the last place at the same moment: one 201, one 409, filled = capacity', async () => {
    const c = await ok(newCallout(commander, tree.villages[2]!, { title: '防汛沙袋转运' }), 201);
    for (const v of crowd.slice(0, 9)) await ok(signUp(v.client, c.id), 201);
    const [a, b] = [crowd[10]!, crowd[11]!];
    let race: TestResponse<SignupView>[];
    if (TEST_DB === 'postgres') {
      // Hold the call-out's row from another connection, so that both sign-ups are provably inside
      // their transactions on the pool, waiting on it together, before either may take the place.
      const conn = t.database.connection!;
      const blocker = new pg.Client({ connectionString: conn.url });
      await blocker.connect();
      try {
        await blocker.query('begin');
        await blocker.query(`select id from "${conn.schema}".callouts where id = $1 for update`, [c.id]);
        const me = Number(
          (await blocker.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid,
        );
        const pending = Promise.all([signUp(a.client, c.id), signUp(b.client, c.id)]);
        // Waiting behind the blocker, directly or behind each other.
        const waiting = async () => {
          const rows = (
            await blocker.query<{ pid: number; by: number[] }>(
              "select pid, pg_blocking_pids(pid) as by from pg_stat_activity where wait_event_type = 'Lock'",
            )
          ).rows;
          const behind = new Set<number>([me]);
          for (let grew = true; grew;) {
            grew = false;
            for (const r of rows)
              if (!behind.has(r.pid) && r.by.some((p) => behind.has(p))) {
                behind.add(r.pid);
                grew = true;
              }
          }
          return behind.size - 1;
        };
        const deadline = Date.now() + 10_000;
        let n = 0;
        while ((n = await waiting()) < 2 && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        expect(n).toBe(2);
        await blocker.query('commit');
        race = await pending;
      } finally {
        await blocker.end();
      }
    } else race = await Promise.all([signUp(a.client, c.id), signUp(b.client, c.id)]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = race.find((r) => r.status === 409)!;
    expect((loser.body as unknown as Problem).code).toBe('services.callout_full');
    expect(problemShape(loser)).toEqual([]);
    const after = await ok(commander.get<CalloutView>(`/api/callouts/${c.id}`));
    expect(after.filled).toBe(10);
    expect(after.capacity).toBe(10);
    expect(after.signups!.filter((s) => s.status === 'signed_up')).toHaveLength(10);
    const count = await db
      .selectFrom('callout_signups')
      .select('id')
      .where('callout_id', '=', c.id)
      .where('status', '=', 'signed_up')
      .execute();
    expect(count).toHaveLength(10);
    expect(await counterAt(db, 'services.callouts.open', tree.villages[2]!.path)).toBeGreaterThanOrEqual(2);
  });

  it('a paused volunteer takes no place; a call-out cancelled before it starts gives its places back and tells those signed up', async () => {
    const c = await ok(newCallout(commander, tree.villages[2]!, { title: '垃圾分类宣传', capacity: 5 }), 201);
    await ok(signUp(crowd[0]!.client, c.id), 201);
    const paused = await ok(
      admin.patch<VolunteerView>(`/api/services/volunteers/${crowd[11]!.id}`, { status: 'paused' }),
    );
    expect(paused.status).toBe('paused');
    await refused(signUp(crowd[11]!.client, c.id), 409, 'services.volunteer_inactive');
    // Town A's coordinator manages no volunteer of town B.
    await refused(coord.patch(`/api/services/volunteers/${crowd[10]!.id}`, { status: 'paused' }), 403);
    const openBefore = await counterAt(db, 'services.callouts.open', tree.villages[2]!.path);
    await refused(crowd[0]!.client.post(`/api/callouts/${c.id}/cancel`, { reason: '下雨' }), 403);
    const cancelled = await ok(
      commander.post<CalloutView>(`/api/callouts/${c.id}/cancel`, { reason: '下雨' }),
    );
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.signups!.map((s) => [s.volunteer.id, s.status])).toEqual([[crowd[0]!.id, 'withdrawn']]);
    expect(await counterAt(db, 'services.callouts.open', tree.villages[2]!.path)).toBe(openBefore - 1);
    expect(await notified('callout.cancelled', c.id)).toEqual(['crowd1']);
    await refused(signUp(crowd[1]!.client, c.id), 409, 'services.callout_closed');
  });

  it('a volunteer finds call-outs of their town near them, and their own', async () => {
    const v = crowd[0]!;
    const near = await ok(v.client.get<{ items: CalloutView[] }>('/api/callouts?near=1'));
    expect(near.items.length).toBeGreaterThanOrEqual(2);
    expect(near.items.every((c) => c.status === 'open')).toBe(true);
    const mine = await ok(v.client.get<{ items: CalloutView[] }>('/api/callouts?mine=1'));
    expect(mine.items.map((c) => c.mine?.volunteer.id)).toEqual(mine.items.map(() => v.id));
    // Not a volunteer: nothing near them.
    await refused(gridworker.get('/api/callouts?near=1'), 404);
  });
});

describe('on site: check-in, check-out, close', () => {
  let v1: Joined, v2: Joined;
  let callout: CalloutView;
  beforeAll(async () => {
    at('2026-03-02T02:00:00.000Z');
    v1 = await join(tokenB, tree.grids[5]!, 'onsite1');
    v2 = await join(tokenB, tree.grids[5]!, 'onsite2');
    // 09:00 to 13:00 in Shanghai on 03-03.
    callout = await ok(
      newCallout(commander, tree.villages[2]!, {
        title: '敬老院陪伴',
        startsAt: '2026-03-03T01:00:00.000Z',
        endsAt: '2026-03-03T05:00:00.000Z',
        capacity: 3,
      }),
      201,
    );
    await ok(signUp(v1.client, callout.id), 201);
    await ok(signUp(v2.client, callout.id), 201);
  });

  it('check-in opens an hour before; check-out credits the minutes to the volunteer, their organisation, the month and the cockpit', async () => {
    const town = tree.towns[1]!;
    const cockpit = async () =>
      (
        await ok(
          commander.get<{ figures: { volunteerHoursMonth: number; calloutsOpen: number } }>(
            `/api/cockpit?node=${town.id}`,
          ),
        )
      ).figures;
    at('2026-03-02T23:59:00.000Z');
    const hoursBefore = (await cockpit()).volunteerHoursMonth;
    await refused(v1.client.post(`/api/callouts/${callout.id}/check-in`, {}), 409, 'services.check_in_early');
    // 08:30 in Shanghai: in.
    at('2026-03-03T00:30:00.000Z');
    const inn = await ok(
      v1.client.post<SignupView>(`/api/callouts/${callout.id}/check-in`, { lat: 30.205, lng: 119.705 }),
    );
    expect(inn).toMatchObject({ status: 'checked_in', checkedInAt: '2026-03-03T00:30:00.000Z' });
    await refused(v1.client.post(`/api/callouts/${callout.id}/check-in`, {}), 409, 'services.signup_state');
    // 12:00 in Shanghai: out after 3 h 30 min = 210 minutes (within the 4 h + 1 h grace cap).
    at('2026-03-03T04:00:00.000Z');
    const out = await ok(v1.client.post<SignupView>(`/api/callouts/${callout.id}/check-out`, {}));
    expect(out).toMatchObject({ status: 'done', minutes: 210, checkedOutAt: '2026-03-03T04:00:00.000Z' });
    await refused(v1.client.post(`/api/callouts/${callout.id}/check-out`, {}), 409, 'services.signup_state');
    // The place is not given back once it has started.
    await refused(v2.client.post(`/api/callouts/${callout.id}/withdraw`), 409, 'services.callout_started');
    const me = await ok(v1.client.get<VolunteerView>('/api/services/volunteers/me'));
    expect(me.hours).toBe(3.5);
    const vol = await db
      .selectFrom('volunteers')
      .select(['minutes_total', 'org_id'])
      .where('id', '=', v1.id)
      .executeTakeFirstOrThrow();
    expect(vol).toEqual({ minutes_total: 210, org_id: orgB.id });
    const org = await db
      .selectFrom('volunteer_orgs')
      .select('minutes_total')
      .where('id', '=', orgB.id)
      .executeTakeFirstOrThrow();
    expect(org.minutes_total).toBe(210);
    expect(
      await db.selectFrom('volunteer_hours').selectAll().where('volunteer_id', '=', v1.id).execute(),
    ).toEqual([
      {
        volunteer_id: v1.id,
        month: '2026-03',
        org_id: orgB.id,
        home_path: tree.grids[5]!.path,
        minutes: 210,
      },
    ]);
    // The year's sum beside the month, for the year's rankings.
    expect(
      await db.selectFrom('volunteer_hours_yearly').selectAll().where('volunteer_id', '=', v1.id).execute(),
    ).toEqual([
      { volunteer_id: v1.id, year: '2026', org_id: orgB.id, home_path: tree.grids[5]!.path, minutes: 210 },
    ]);
    expect((await cockpit()).volunteerHoursMonth).toBeCloseTo(hoursBefore + 3.5, 5);
    const orgs = await ok(admin.get<{ items: VolunteerOrgView[] }>(`/api/services/orgs?node=${town.id}`));
    expect(orgs.items.find((o) => o.id === orgB.id)!.hours).toBe(3.5);
    const ranks = await ok(
      admin.get<{ items: { rank: number; id: number; hours: number; org: string | null }[] }>(
        `/api/services/hours/rankings?period=2026-03&node=${town.id}`,
      ),
    );
    expect(ranks.items[0]).toMatchObject({ rank: 1, id: v1.id, hours: 3.5, org: orgB.name });
    const yearRanks = await ok(
      admin.get<{ items: { rank: number; id: number; hours: number }[] }>(
        `/api/services/hours/rankings?period=2026&node=${town.id}`,
      ),
    );
    expect(yearRanks.items[0]).toMatchObject({ rank: 1, id: v1.id, hours: 3.5 });
    const byOrg = await ok(
      admin.get<{ items: { id: number; hours: number }[] }>(
        `/api/services/hours/rankings?period=2026&by=org&node=${town.id}`,
      ),
    );
    expect(byOrg.items).toEqual([expect.objectContaining({ id: orgB.id, hours: 3.5 })]);
    const sheet = await admin.request({
      method: 'GET',
      url: `/api/services/hours/rankings.xlsx?period=2026-03&node=${town.id}`,
      headers: { 'accept-language': 'en' },
    });
    expect(sheet.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(sheet.raw.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    // Headed in the language asked.
    expect(rows[0]!.slice(1)).toEqual(['Rank', 'Name', 'Organisation', 'Hours']);
    expect(rows[1]!.slice(1)).toEqual([1, v1.name, orgB.name, 3.5]);
  });

  it('closing records who signed up and never came as a no-show', async () => {
    at('2026-03-03T05:30:00.000Z');
    await refused(v1.client.post(`/api/callouts/${callout.id}/close`), 403);
    const openBefore = await counterAt(db, 'services.callouts.open', tree.villages[2]!.path);
    const closed = await ok(commander.post<CalloutView>(`/api/callouts/${callout.id}/close`));
    expect(closed.status).toBe('closed');
    expect(closed.signups!.map((s) => [s.volunteer.id, s.status])).toEqual([
      [v1.id, 'done'],
      [v2.id, 'no_show'],
    ]);
    expect(await counterAt(db, 'services.callouts.open', tree.villages[2]!.path)).toBe(openBefore - 1);
    expect((await ok(v2.client.get<VolunteerView>('/api/services/volunteers/me'))).noShows).toBe(1);
    expect((await ok(v1.client.get<VolunteerView>('/api/services/volunteers/me'))).noShows).toBe(0);
    await refused(commander.post(`/api/callouts/${callout.id}/close`), 409, 'services.callout_closed');
  });

  it('the certificate PDF carries the volunteer’s name, organisation and hours', async () => {
    const res = await v1.client.get(`/api/services/volunteers/${v1.id}/certificate`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const text = pdfText(res.raw.rawPayload).replace(/\s+/g, '');
    expect(text).toContain('志愿服务证明');
    expect(text).toContain(v1.name);
    expect(text).toContain(orgB.name);
    expect(text).toContain('3.5小时');
    expect(text).toContain('2026年：3.5小时');
    // Another volunteer's certificate, or one outside the coordinator's town: refused.
    await refused(v2.client.get(`/api/services/volunteers/${v1.id}/certificate`), 403);
    await refused(coord.get(`/api/services/volunteers/${v1.id}/certificate`), 403);
  });
});

describe('a checkpoint’s uncovered shift as a call-out', () => {
  it('takes the missing places; who signs up stands the shift, and leaves it on withdrawing', async () => {
    at('2026-03-03T06:00:00.000Z');
    const node = tree.villages[2]!;
    const cp = await db
      .insertInto('checkpoints')
      .values({
        name: '村口卡点',
        type: 'village_entrance',
        lat: 30.2,
        lng: 119.7,
        node_id: node.id,
        node_path: node.path,
        command_id: null,
        status: 'open',
        status_from: clock,
        staff_per_shift: 3,
        lead_user_id: null,
        created_by_user_id: null,
        created_at: clock,
        updated_at: clock,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const shift = await db
      .insertInto('shifts')
      .values({
        checkpoint_id: cp.id,
        node_path: node.path,
        day: '2026-03-04',
        slot: 0,
        starts_at: '2026-03-04T00:00:00.000Z',
        ends_at: '2026-03-04T08:00:00.000Z',
        required: 3,
        created_at: clock,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('shift_assignments')
      .values({
        shift_id: shift.id,
        user_id: await userIdOf(db, 'cadre'),
        role: 'cadre',
        assigned_by_user_id: null,
        assigned_at: clock,
      })
      .execute();
    const c = await ok(commander.post<CalloutView>('/api/callouts/from-shift', { shiftId: shift.id }), 201);
    expect(c).toMatchObject({
      title: '村口卡点',
      capacity: 2,
      filled: 0,
      skills: ['guard_duty'],
      startsAt: '2026-03-04T00:00:00.000Z',
      shift: { id: shift.id, checkpoint: { id: cp.id, name: '村口卡点' } },
    });
    await refused(
      commander.post('/api/callouts/from-shift', { shiftId: shift.id }),
      409,
      'services.shift_called_out',
    );
    await refused(commander.post('/api/callouts/from-shift', { shiftId: 987_654 }), 404);
    // Without the guard-duty skill, no place.
    const plain = await join(tokenB, tree.grids[4]!, 'noguard');
    await refused(signUp(plain.client, c.id), 409, 'services.callout_skills');
    const guard = await join(tokenB, tree.grids[4]!, 'guard1', { skills: ['guard_duty'], partyMember: true });
    await ok(signUp(guard.client, c.id), 201);
    const guardUser = await userIdOf(db, 'guard1');
    const onShift = () =>
      db
        .selectFrom('shift_assignments')
        .select(['user_id', 'role'])
        .where('shift_id', '=', shift.id)
        .orderBy('id')
        .execute();
    expect(await onShift()).toEqual([
      { user_id: await userIdOf(db, 'cadre'), role: 'cadre' },
      { user_id: guardUser, role: 'party_member' },
    ]);
    await ok(guard.client.post<CalloutView>(`/api/callouts/${c.id}/withdraw`));
    expect((await onShift()).map((r) => r.user_id)).toEqual([await userIdOf(db, 'cadre')]);
    await ok(signUp(guard.client, c.id), 201);
    expect((await onShift()).map((r) => r.user_id)).toContain(guardUser);
  });
});

describe('a "needs food" follow-up becomes a service request, matched near and escalated', () => {
  let vGrid: Joined, vVillage: Joined;
  let personId: number;
  let requestId: number;
  beforeAll(async () => {
    at('2026-03-02T02:00:00.000Z');
    // In the person's own grid: one with an account (no meal skill), one without an account (with it).
    vGrid = await join(tokenA, tree.grids[0]!, 'vgrid', { skills: ['shopping'] });
    await ok(
      coord.post<VolunteerView>('/api/services/volunteers', {
        nodeId: tree.grids[0]!.id,
        orgId: orgA.id,
        name: '无账号志愿者',
        idNumber: nthIdNumber(38_001),
        consent: true,
        skills: ['meal_delivery'],
      }),
      201,
    );
    // In the same village's other grid, with the skill: nearer by skill, farther by place.
    vVillage = await join(tokenA, tree.grids[1]!, 'vvillage', { skills: ['meal_delivery'] });
    const household = await insertHousehold(db, tree.grids[0]!, '镇1村1幸福路8号');
    personId = await insertPerson(db, tree.grids[0]!, {
      name: '独居张奶奶',
      idNumber: nthIdNumber(37_001),
      phone: '13912345678',
      householdId: household,
    });
  });

  it('the follow-up raises a meals request (source follow_up), assigned to the volunteer of the person’s own grid', async () => {
    at('2026-03-05T02:00:00.000Z');
    const order = await ok(
      gridworker.post<{ id: number }>('/api/observations', {
        personId,
        startDate: '2026-03-05',
        days: 3,
        reason: '密切接触者',
      }),
      201,
    );
    const openBefore = await counterAt(db, 'services.requests.open', tree.grids[0]!.path);
    await ok(
      gridworker.put(`/api/observations/${order.id}/follow-ups/2026-03-05`, {
        outcome: 'well',
        temperature: 36.5,
        needs: ['food'],
        note: '家中缺米面',
      }),
    );
    const rows = await db
      .selectFrom('service_requests')
      .selectAll()
      .where('person_id', '=', personId)
      .execute();
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    const followUp = await db
      .selectFrom('observation_follow_ups')
      .select('id')
      .where('order_id', '=', order.id)
      .where('date', '=', '2026-03-05')
      .executeTakeFirstOrThrow();
    expect(r).toMatchObject({
      kind: 'meals',
      source: 'follow_up',
      follow_up_id: followUp.id,
      status: 'assigned',
      volunteer_id: vGrid.id,
      org_id: orgA.id,
      escalation_level: 0,
      // Two hours to take a meals request.
      respond_by: '2026-03-05T04:00:00.000Z',
    });
    requestId = r.id;
    expect(await counterAt(db, 'services.requests.open', tree.grids[0]!.path)).toBe(openBefore + 1);
    expect(await notified('service_request.assigned', requestId)).toEqual(['vgrid']);
    // The volunteer's task names the person, their address and a masked phone, nothing more.
    const mine = await ok(vGrid.client.get<{ items: ServiceRequestView[] }>('/api/service-requests?mine=1'));
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({
      id: requestId,
      kind: 'meals',
      source: 'follow_up',
      status: 'assigned',
      person: { name: '独居张奶奶', address: '镇1村1幸福路8号' },
      contact: '139****5678',
      volunteer: { id: vGrid.id },
      abilities: { accept: true, decline: true, complete: false },
    });
    expect(JSON.stringify(mine.items[0])).not.toContain(nthIdNumber(37_001));
    expect(JSON.stringify(mine.items[0])).not.toContain('13912345678');
  });

  it('a need in a grid without volunteers goes to its village before the town, even to one without the skill', async () => {
    const household = await insertHousehold(db, tree.grids[2]!, '镇1村2东街1号');
    const elsewhere = await insertPerson(db, tree.grids[2]!, {
      name: '李爷爷',
      idNumber: nthIdNumber(37_002),
      householdId: household,
    });
    // The village cadre of another village may not raise it; a town commander raises no needs.
    await refused(cadre.post('/api/service-requests', { personId: elsewhere, kind: 'meals' }), 403);
    await refused(towncmd.post('/api/service-requests', { personId: elsewhere, kind: 'meals' }), 403);
    // Nobody lives in grid 2; its village holds 'joiner' (grid 3) and 'onceonly' (the village
    // itself), neither with the meal skill; 'vvillage', who has it, lives in the town's other village.
    const raised = await ok(
      coord.post<ServiceRequestView>('/api/service-requests', { personId: elsewhere, kind: 'meals' }),
      201,
    );
    expect(raised).toMatchObject({ source: 'coordinator', status: 'assigned' });
    // Both have no open task: the first registered.
    expect(raised.volunteer!.name).toBe('志愿者joiner');
    await ok(coord.post(`/api/service-requests/${raised.id}/cancel`, { reason: '家属已送达' }));
  });

  it('nobody takes it in time: the sweep raises its level and tells the village’s assigners, then the town’s', async () => {
    at('2026-03-05T03:59:00.000Z');
    await t.app.linliServices.escalate({ actor: null, requestId: 'services-sweep-early' });
    const level = async () =>
      await db
        .selectFrom('service_requests')
        .select(['escalation_level', 'status', 'volunteer_id', 'respond_by'])
        .where('id', '=', requestId)
        .executeTakeFirstOrThrow();
    expect((await level()).escalation_level).toBe(0);
    expect(await notified('service_request.escalated', requestId)).toEqual([]);
    at('2026-03-05T04:00:01.000Z');
    const first = await t.app.linliServices.escalate({ actor: null, requestId: 'services-sweep-1' });
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    expect(await level()).toEqual({
      escalation_level: 1,
      status: 'assigned',
      volunteer_id: vGrid.id,
      respond_by: '2026-03-05T06:00:01.000Z',
    });
    // Level 1: the village (cadre assigns there); the town is not told yet.
    expect(await notified('service_request.escalated', requestId)).toEqual(['cadre']);
    const view = await ok(cadre.get<ServiceRequestView>(`/api/service-requests/${requestId}`));
    expect(view).toMatchObject({ escalationLevel: 1, overdue: false, contact: null });
    // The same sweep again changes nothing before the new deadline.
    await t.app.linliServices.escalate({ actor: null, requestId: 'services-sweep-2' });
    expect((await level()).escalation_level).toBe(1);
    at('2026-03-05T06:00:02.000Z');
    await t.app.linliServices.escalate({ actor: null, requestId: 'services-sweep-3' });
    expect((await level()).escalation_level).toBe(2);
    // Level 2: the town's assigners (its commander, its volunteer coordinator, its administrator).
    expect(await notified('service_request.escalated', requestId)).toEqual([
      'cadre',
      'coord',
      'townadmin',
      'towncmd',
    ]);
    const escalated = await ok(
      towncmd.get<{ items: ServiceRequestView[] }>('/api/service-requests?escalated=1'),
    );
    expect(escalated.items.map((i) => i.id)).toContain(requestId);
    const audit = await db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'service_request.escalate')
      .where('entity_id', '=', String(requestId))
      .execute();
    expect(audit).toHaveLength(2);
  });

  it('a volunteer declining passes it to the next nearest; the holder accepts, completes with a photo, and the contact is gone', async () => {
    at('2026-03-05T06:30:00.000Z');
    await ok(vGrid.client.post(`/api/service-requests/${requestId}/decline`));
    // No longer theirs: the decliner reads it no more.
    await refused(vGrid.client.get(`/api/service-requests/${requestId}`), 403);
    const passed = await ok(vVillage.client.get<ServiceRequestView>(`/api/service-requests/${requestId}`));
    expect(passed).toMatchObject({
      status: 'assigned',
      volunteer: { id: vVillage.id },
      contact: '139****5678',
    });
    const accepted = await ok(
      vVillage.client.post<ServiceRequestView>(`/api/service-requests/${requestId}/accept`),
    );
    expect(accepted).toMatchObject({ status: 'accepted', contact: '139****5678' });
    at('2026-03-05T07:15:00.000Z');
    const form = multipart([
      { name: 'note', data: '已送米面油' },
      { name: 'minutes', data: '45' },
      { name: 'file', filename: 'done.png', contentType: 'image/png', data: PNG },
    ]);
    const openBefore = await counterAt(db, 'services.requests.open', tree.grids[0]!.path);
    const done = await ok(
      vVillage.client.request<ServiceRequestView>({
        method: 'POST',
        url: `/api/service-requests/${requestId}/complete`,
        payload: form.payload,
        headers: form.headers,
      }),
    );
    expect(done).toMatchObject({ status: 'done', minutes: 45, hasPhoto: true, doneNote: '已送米面油' });
    // Done: the task no longer carries the phone, even to its volunteer.
    expect(done.contact).toBeNull();
    expect(await counterAt(db, 'services.requests.open', tree.grids[0]!.path)).toBe(openBefore - 1);
    const photo = await vVillage.client.get(`/api/service-requests/${requestId}/photo`);
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect((await ok(vVillage.client.get<VolunteerView>('/api/services/volunteers/me'))).hours).toBe(0.8);
    const rated = await ok(
      gridworker.post<ServiceRequestView>(`/api/service-requests/${requestId}/satisfaction`, { score: 5 }),
    );
    expect(rated.satisfaction).toBe(5);
    await refused(
      gridworker.post(`/api/service-requests/${requestId}/satisfaction`, { score: 4 }),
      409,
      'services.request_state',
    );
  });
});

describe('coordinators and volunteers never read the registry', () => {
  let volunteer: Client;
  let personB: number;
  let requestB: number;
  beforeAll(async () => {
    at('2026-03-05T08:00:00.000Z');
    volunteer = await t.login('vgrid');
    const household = await insertHousehold(db, tree.grids[4]!, '镇2村1南街3号');
    personB = await insertPerson(db, tree.grids[4]!, {
      name: '王大爷',
      idNumber: nthIdNumber(37_003),
      phone: '13800001111',
      householdId: household,
    });
    requestB = (
      await ok(
        admin.post<ServiceRequestView>('/api/service-requests', { personId: personB, kind: 'shopping' }),
        201,
      )
    ).id;
  });

  it('answers 403 on the people and households lists and a person’s record', async () => {
    for (const c of [coord, volunteer]) {
      await refused(c.get('/api/people'), 403);
      await refused(c.get('/api/households'), 403);
      await refused(c.get(`/api/people/${personB}`), 403);
    }
    // The grid worker, for contrast, reads them.
    expect((await gridworker.get('/api/people')).status).toBe(200);
  });

  it('a request not theirs is 403: the volunteer’s and the coordinator’s outside their town', async () => {
    await refused(volunteer.get(`/api/service-requests/${requestB}`), 403);
    await refused(volunteer.post(`/api/service-requests/${requestB}/accept`), 403);
    await refused(coord.get(`/api/service-requests/${requestB}`), 403);
    await refused(coord.get(`/api/service-requests?node=${tree.towns[1]!.id}`), 403);
    await refused(volunteer.get('/api/service-requests'), 403);
    // The coordinator reads the needs of their own town: a name and an address, no phone.
    const own = await ok(coord.get<{ items: ServiceRequestView[] }>('/api/service-requests'));
    expect(own.items.length).toBeGreaterThan(0);
    expect(own.items.every((i) => i.contact === null)).toBe(true);
    expect(own.items.map((i) => i.id)).not.toContain(requestB);
  });
});

describe('care rosters: overdue visits per grid, worked by hand', () => {
  // Village 4 (town B's second village): grid 7 and grid 8 of the tree.
  //
  // On 2026-03-06 the district sets: elderly_alone 5 days, widowed 10, disabled 20,
  // left_behind_child 10, orphaned 8 (key_care keeps its default 7). Each person is put on the
  // roster under the tag with the shortest rhythm, first due that many days after 03-06:
  //   grid 7: P1 elderly_alone (5) → due 03-11
  //           P2 widowed (10) + key_care (7) → key_care, due 03-13
  //           P3 disabled (20) → due 03-26
  //   grid 8: P4 left_behind_child (10) → due 03-16
  //           P5 orphaned (8) → due 03-14
  //           P6 elderly_alone (5) + disabled (20) → elderly_alone, due 03-11
  //           P7 party_member only → not on the roster
  // Visits: on 03-08, P1 visited that day → next 03-13. On 03-14, P6 visited that day → next 03-19;
  //         P4's visit of 03-06 recorded late → next 03-16.
  // On 03-16, overdue means due before 03-16:
  //   grid 7: P1 (03-13) yes, P2 (03-13) yes, P3 (03-26) no → 3 on the roster, 2 overdue
  //   grid 8: P4 (03-16, due today) no, P5 (03-14) yes, P6 (03-19) no → 3 on the roster, 1 overdue
  //   the village: 3 overdue. P8 (disabled, due 03-26) lives in grid 5, in the town's other village.
  const people: Record<string, number> = {};
  const roster: Record<string, RosterEntryView> = {};
  let g7: TreeNode, g8: TreeNode, village: TreeNode;

  beforeAll(async () => {
    village = tree.villages[3]!;
    [g7, g8] = [tree.grids[6]!, tree.grids[7]!];
    const tagged: [string, TreeNode, string[]][] = [
      ['P1', g7, ['elderly_alone']],
      ['P2', g7, ['widowed', 'key_care']],
      ['P3', g7, ['disabled']],
      ['P4', g8, ['left_behind_child']],
      ['P5', g8, ['orphaned']],
      ['P6', g8, ['elderly_alone', 'disabled']],
      ['P7', g8, ['party_member']],
      // In the home grid of the volunteer below (town B's first village), due 03-26: never overdue here.
      ['P8', tree.grids[4]!, ['disabled']],
    ];
    for (const [name, grid, tags] of tagged) {
      const household = await insertHousehold(db, grid, `${name}家`);
      people[name] = await insertPerson(db, grid, { name, tags, householdId: household });
    }
  });

  it('only the district sets the rhythms; the roster follows at once', async () => {
    at('2026-03-06T02:00:00.000Z');
    const rules = {
      rules: [
        { tag: 'elderly_alone', everyDays: 5 },
        { tag: 'widowed', everyDays: 10 },
        { tag: 'disabled', everyDays: 20 },
        { tag: 'left_behind_child', everyDays: 10 },
        { tag: 'orphaned', everyDays: 8 },
      ],
    };
    await refused(towncmd.put('/api/care/rules', rules), 403);
    await refused(cadreD.put('/api/care/rules', rules), 403);
    const set = await ok(
      commander.put<{ items: { tag: string; everyDays: number }[] }>('/api/care/rules', rules),
    );
    expect(set.items).toEqual([
      { tag: 'elderly_alone', everyDays: 5 },
      { tag: 'widowed', everyDays: 10 },
      { tag: 'orphaned', everyDays: 8 },
      { tag: 'left_behind_child', everyDays: 10 },
      { tag: 'disabled', everyDays: 20 },
      { tag: 'key_care', everyDays: 7 },
    ]);
    const list = await ok(
      cadreD.get<{ items: RosterEntryView[]; total: number }>(
        `/api/care/roster?node=${village.id}&pageSize=50`,
      ),
    );
    expect(list.total).toBe(6);
    for (const e of list.items) roster[e.person.name] = e;
    expect(
      Object.fromEntries(
        list.items.map((e) => [e.person.name, [e.node.id, e.tag, e.everyDays, e.nextDueOn]]),
      ),
    ).toEqual({
      P1: [g7.id, 'elderly_alone', 5, '2026-03-11'],
      P2: [g7.id, 'key_care', 7, '2026-03-13'],
      P3: [g7.id, 'disabled', 20, '2026-03-26'],
      P4: [g8.id, 'left_behind_child', 10, '2026-03-16'],
      P5: [g8.id, 'orphaned', 8, '2026-03-14'],
      P6: [g8.id, 'elderly_alone', 5, '2026-03-11'],
    });
  });

  it('visits move the next due day; the future and a day before the roster are refused', async () => {
    at('2026-03-08T02:00:00.000Z');
    const v1 = await ok(
      cadreD.post<{ visitedOn: string; nextDueOn: string; requestId: number | null }>(
        `/api/care/roster/${roster.P1!.id}/visits`,
        { note: '身体尚好' },
      ),
      201,
    );
    expect(v1).toMatchObject({ visitedOn: '2026-03-08', nextDueOn: '2026-03-13', requestId: null });
    await refused(
      cadreD.post(`/api/care/roster/${roster.P4!.id}/visits`, { visitedOn: '2026-03-09' }),
      400,
      'services.visit_future',
    );
    await refused(
      cadreD.post(`/api/care/roster/${roster.P4!.id}/visits`, { visitedOn: '2026-03-05' }),
      400,
      'services.visit_before_roster',
    );
    at('2026-03-14T02:00:00.000Z');
    expect(
      (await ok(cadreD.post<{ nextDueOn: string }>(`/api/care/roster/${roster.P6!.id}/visits`, {}), 201))
        .nextDueOn,
    ).toBe('2026-03-19');
    expect(
      (
        await ok(
          cadreD.post<{ nextDueOn: string }>(`/api/care/roster/${roster.P4!.id}/visits`, {
            visitedOn: '2026-03-06',
          }),
          201,
        )
      ).nextDueOn,
    ).toBe('2026-03-16');
    // The grid worker of town A's grid visits nobody here.
    await refused(gridworker.post(`/api/care/roster/${roster.P3!.id}/visits`, {}), 403);
  });

  it('on 03-16: grid 7 has 2 overdue of 3, grid 8 has 1 of 3; the cockpit says the same', async () => {
    at('2026-03-16T02:00:00.000Z');
    const overdue = await ok(
      commander.get<{ items: { node: { id: number }; onRoster: number; overdue: number }[] }>(
        `/api/care/overdue?node=${village.id}`,
      ),
    );
    expect(overdue.items.map((i) => [i.node.id, i.onRoster, i.overdue])).toEqual([
      [g7.id, 3, 2],
      [g8.id, 3, 1],
    ]);
    const cockpit = await ok(
      commander.get<{
        figures: { careVisitsOverdue: number };
        children: { node: { id: number }; figures: { careVisitsOverdue: number } }[];
      }>(`/api/cockpit?node=${village.id}`),
    );
    expect(cockpit.figures.careVisitsOverdue).toBe(3);
    expect(Object.fromEntries(cockpit.children.map((c) => [c.node.id, c.figures.careVisitsOverdue]))).toEqual(
      { [g7.id]: 2, [g8.id]: 1 },
    );
    // The town above counts the same three (no other roster in town B).
    const town = await ok(
      commander.get<{ figures: { careVisitsOverdue: number } }>(`/api/cockpit?node=${tree.towns[1]!.id}`),
    );
    expect(town.figures.careVisitsOverdue).toBe(3);
    const late = await ok(
      cadreD.get<{ items: RosterEntryView[] }>(`/api/care/roster?node=${g7.id}&overdue=1`),
    );
    expect(late.items.map((e) => [e.person.name, e.overdueDays])).toEqual([
      ['P1', 3],
      ['P2', 3],
    ]);
    await refused(towncmd.get(`/api/care/overdue?node=${village.id}`), 403);
  });

  it('a volunteer meets a resident through the roster entry they visit, and no other', async () => {
    const visitor = await t.login('crowd1');
    const crowd1 = await db
      .selectFrom('volunteers')
      .select('id')
      .where('user_id', '=', await userIdOf(db, 'crowd1'))
      .executeTakeFirstOrThrow();
    await refused(visitor.post(`/api/care/roster/${roster.P3!.id}/visitor`, { volunteerId: crowd1.id }), 403);
    const assigned = await ok(
      cadreD.post<RosterEntryView>(`/api/care/roster/${roster.P3!.id}/visitor`, { volunteerId: crowd1.id }),
    );
    expect(assigned.visitor).toEqual({ id: crowd1.id, name: '志愿者crowd1' });
    const mine = await ok(visitor.get<{ items: RosterEntryView[] }>('/api/care/roster?mine=1'));
    expect(mine.items.map((e) => [e.person.name, e.person.address, e.tag])).toEqual([
      ['P3', 'P3家', 'disabled'],
    ]);
    expect(mine.items[0]!.abilities.visit).toBe(true);
    const visit = await ok(
      visitor.post<{ requestId: number | null; nextDueOn: string }>(
        `/api/care/roster/${roster.P3!.id}/visits`,
        {
          need: 'home_repair',
          note: '水管漏水',
        },
      ),
      201,
    );
    expect(visit.nextDueOn).toBe('2026-04-05');
    // The need found is a request for the person, raised by the carer.
    const raised = await db
      .selectFrom('service_requests')
      .select(['kind', 'source', 'person_id'])
      .where('id', '=', visit.requestId!)
      .executeTakeFirstOrThrow();
    expect(raised).toEqual({ kind: 'home_repair', source: 'carer', person_id: people.P3 });
    // An entry not theirs: no visit recorded, no registry.
    await refused(visitor.post(`/api/care/roster/${roster.P1!.id}/visits`, {}), 403);
    await refused(visitor.get('/api/people'), 403);
    // Not even the entry of a neighbour in their own home grid: the roster is no registry for them.
    await refused(visitor.get('/api/care/roster'), 403);
    await refused(visitor.get(`/api/care/roster?node=${tree.grids[4]!.id}`), 403);
    const p8 = await db
      .selectFrom('care_roster')
      .select('id')
      .where('person_id', '=', people.P8!)
      .executeTakeFirstOrThrow();
    await refused(visitor.post(`/api/care/roster/${p8.id}/visits`, {}), 403);
  });
});

describe('the volunteer workbook: all rows or none', () => {
  async function workbook(rows: (string | number)[][]) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('志愿者');
    ws.addRow(['姓名', '身份证号', '手机号', '居住地编码', '党员', '技能']);
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const upload = (c: Client, data: Buffer, nodeId: number, orgId?: number) => {
    const form = multipart([
      { name: 'nodeId', data: String(nodeId) },
      ...(orgId === undefined ? [] : [{ name: 'orgId', data: String(orgId) }]),
      {
        name: 'file',
        filename: '志愿者名册.xlsx',
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        data,
      },
    ]);
    return c.request<{ created: number; linked: number } & Problem>({
      method: 'POST',
      url: '/api/services/volunteers/import',
      payload: form.payload,
      headers: form.headers,
    });
  };
  const counts = async () => ({
    volunteers: (await db.selectFrom('volunteers').select('id').execute()).length,
    persons: (await db.selectFrom('persons').select('id').execute()).length,
    audit: (await db.selectFrom('audit_log').select('id').execute()).length,
  });

  it('a bad row is a 400 naming the row, and nothing is written', async () => {
    at('2026-03-16T03:00:00.000Z');
    const before = await counts();
    const g = tree.grids[2]!.fullCode;
    const res = await refused(
      upload(
        coord,
        await workbook([
          ['赵一', nthIdNumber(36_001), nthPhone(7_001), g, '是', '送餐'],
          ['钱二', '330112199001011234', nthPhone(7_002), g, '', ''],
          ['孙三', nthIdNumber(36_003), '', g, '', '不会的技能'],
        ]),
        tree.towns[0]!.id,
        orgA.id,
      ),
      400,
      'validation_failed',
    );
    expect(res.issues!.map((i) => [i.path, i.code])).toEqual([
      ['rows.3.idNumber', expect.any(String)],
      ['rows.4.skills', 'unknown'],
    ]);
    expect(await counts()).toEqual(before);
    // A home outside the place: refused whole, after the rows parsed, naming the sheet's row (a
    // blank row above it counted).
    const outside = await refused(
      upload(
        coord,
        await workbook([
          ['赵一', nthIdNumber(36_001), nthPhone(7_001), g, '是', '送餐'],
          [],
          ['李四', nthIdNumber(36_004), '', tree.grids[4]!.fullCode, '', ''],
        ]),
        tree.towns[0]!.id,
      ),
      400,
    );
    expect(outside.issues!.map((i) => [i.path, i.code])).toEqual([['rows.4.homeCode', 'outside_place']]);
    expect(await counts()).toEqual(before);
    // A row for someone already a volunteer, after a good one: the good one is not kept either.
    const exists = await refused(
      upload(
        coord,
        await workbook([
          ['赵一', nthIdNumber(36_001), nthPhone(7_001), g, '是', '送餐'],
          ['老志愿者', nthIdNumber(38_001), '', g, '', ''],
        ]),
        tree.towns[0]!.id,
      ),
      409,
      'services.volunteer_exists_row',
    );
    expect((exists as Problem & { title: string }).title).toBe('第 3 行：此人已登记为志愿者');
    expect(await counts()).toEqual(before);
    // Another town's coordinator-less place: not the coordinator's to import into.
    await refused(
      upload(coord, await workbook([['周五', nthIdNumber(36_005), '', g, '', '']]), tree.towns[1]!.id),
      403,
    );
  });

  it('a good workbook registers every row, linking those already in the registry', async () => {
    const known = nthIdNumber(36_010);
    await insertPerson(db, tree.grids[3]!, { name: '吴六', idNumber: known });
    const before = await counts();
    const res = await ok(
      upload(
        coord,
        await workbook([
          ['吴六', known, nthPhone(7_010), tree.grids[3]!.fullCode, '党员', 'Meal delivery, 代购'],
          ['郑七', nthIdNumber(36_011), '', tree.grids[2]!.fullCode, '否', ''],
        ]),
        tree.towns[0]!.id,
        orgA.id,
      ),
      201,
    );
    expect(res).toEqual({ created: 2, linked: 1 });
    const after = await counts();
    expect(after.volunteers).toBe(before.volunteers + 2);
    expect(after.persons).toBe(before.persons + 1);
    const list = await ok(
      coord.get<{ items: VolunteerView[] }>(`/api/services/volunteers?org=${orgA.id}&q=吴六`),
    );
    expect(list.items).toEqual([
      expect.objectContaining({
        name: '吴六',
        partyMember: true,
        skills: ['meal_delivery', 'shopping'],
        joinedVia: 'import',
        hasAccount: false,
        home: { id: tree.grids[3]!.id, name: tree.grids[3]!.name },
      }),
    ]);
  });
});

describe('bad input', () => {
  it('answers 4xx problem+json for bad bodies, unknown records and wrong states', async () => {
    at('2026-03-16T04:00:00.000Z');
    const bad = await refused(
      commander.post('/api/callouts', {
        nodeId: tree.villages[2]!.id,
        title: '倒序',
        meetingPoint: '村口',
        startsAt: '2026-03-20T04:00:00.000Z',
        endsAt: '2026-03-20T00:00:00.000Z',
        capacity: 0,
      }),
      400,
      'validation_failed',
    );
    expect(bad.issues!.map((i) => i.path).sort()).toEqual(['body.capacity', 'body.endsAt']);
    await refused(
      commander.post('/api/callouts', {
        nodeId: tree.villages[2]!.id,
        title: '已过',
        meetingPoint: '村口',
        startsAt: '2026-03-01T00:00:00.000Z',
        endsAt: '2026-03-01T04:00:00.000Z',
        capacity: 3,
      }),
      400,
      'services.callout_past',
    );
    await refused(newCallout(commander, { ...tree.villages[2]!, id: 987_654 }), 404);
    await refused(newCallout(gridworker, tree.grids[0]!), 403);
    await refused(commander.get('/api/callouts/987654'), 404);
    await refused(commander.get('/api/callouts/abc'), 400);
    await refused(t.anon().get('/api/callouts'), 401);
    await refused(admin.get('/api/service-requests/987654'), 404);
    await refused(admin.post('/api/service-requests', { personId: 987_654, kind: 'meals' }), 404);
    await refused(admin.post('/api/service-requests', { personId: 1, kind: 'massage' }), 400);
    await refused(admin.post('/api/service-requests/987654/assign', { volunteerId: 1 }), 404);
    await refused(admin.get('/api/services/volunteers/987654'), 404);
    await refused(admin.get('/api/services/hours/rankings?period=2026-13'), 400);
    await refused(admin.get(`/api/care/overdue?node=987654`), 404);
    await refused(admin.put('/api/care/rules', { rules: [{ tag: 'elderly_alone', everyDays: 0 }] }), 400);
    await refused(admin.post('/api/care/roster/987654/visits', {}), 404);
    await refused(t.anon().get(`/api/public/join/${'x'.repeat(43)}`), 404);
    await refused(t.anon().get('/api/public/join/short'), 400);
    await refused(
      t.anon().post('/api/public/service-requests', {
        nodeId: tree.grids[0]!.id,
        name: '不存在',
        idNumber: nthIdNumber(35_999),
        kind: 'meals',
      }),
      400,
      'services.resident_not_found',
    );
    await refused(
      admin.post('/api/services/volunteers', {
        nodeId: tree.grids[0]!.id,
        name: '无同意',
        idNumber: nthIdNumber(35_998),
        consent: false,
      }),
      400,
    );
    // A volunteer registered twice (the same ID number): 409 naming the field.
    const dup = await refused(
      admin.post('/api/services/volunteers', {
        nodeId: tree.grids[0]!.id,
        name: '无账号志愿者',
        idNumber: nthIdNumber(38_001),
        consent: true,
      }),
      409,
      'services.volunteer_exists',
    );
    expect(dup.issues?.map((i) => i.path)).toEqual(['body.idNumber']);
    // An empty photo, or not an image, on completing.
    const form = multipart([
      { name: 'note', data: '完成' },
      { name: 'minutes', data: '10' },
      { name: 'file', filename: 'x.txt', contentType: 'text/plain', data: 'hello' },
    ]);
    await refused(
      admin.request({ method: 'POST', url: '/api/service-requests/1/complete', ...form }),
      400,
      'photo.invalid',
    );
  });

  it('a resident asks for themselves through the public form and is answered a reference', async () => {
    const household = await insertHousehold(db, tree.grids[1]!, '镇1村1北巷2号');
    await insertPerson(db, tree.grids[1]!, {
      name: '陈阿姨',
      idNumber: nthIdNumber(37_020),
      householdId: household,
    });
    const res = await ok(
      t.anon().post<{ reference: string }>('/api/public/service-requests', {
        nodeId: tree.villages[0]!.id,
        name: '陈阿姨',
        idNumber: nthIdNumber(37_020),
        kind: 'shopping',
      }),
      201,
    );
    expect(res.reference).toMatch(/^FW\d{6}$/);
    const row = await db
      .selectFrom('service_requests')
      .select(['source', 'kind'])
      .where('id', '=', Number(res.reference.slice(2)))
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ source: 'public', kind: 'shopping' });
  });
});

describe('the whole suite', () => {
  it('answered no 500 anywhere', () => {
    expect(serverErrors).toEqual([]);
  });
});
