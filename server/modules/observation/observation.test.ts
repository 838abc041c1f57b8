// Home observation over HTTP, on both databases: a 14-day order starting 2026-03-07 ends 2026-03-20
// with exactly 14 follow-ups whatever the server's time zone; scope before state; carers named on an
// order read and record it from outside the place; "seen unwell" reaches the village over the live
// stream within a second; a day left without a follow-up is flagged missed the next morning, once,
// and told to the village; release, extension and transfer keep the counters; below town level a
// count under five shows as "<5".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import {
  counterAt,
  makeCast,
  makeCommand,
  makeTree,
  makeUser,
  type Tree,
  type TreeNode,
} from '../../test/factories.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeIdNumber } from '../../test/routes.js';
import { openSse } from '../../test/sse.js';
import { loadActor } from '../../platform/auth.js';

let t: TestApp;
let db: DB;
let tree: Tree;
// 10:00 in Shanghai on 2026-03-07.
let clock = '2026-03-07T02:00:00.000Z';
let admin: Client,
  towncmd: Client,
  towncmdB: Client,
  gridworker: Client,
  cadre: Client,
  carer: Client,
  stranger: Client;
let carerId: number;
let seq = 0;

interface Problem {
  code: string;
  issues?: { path: string; code: string }[];
}
interface Observation {
  id: number;
  startDate: string;
  endDate: string;
  days: number;
  status: string;
  today: string;
  reason: string;
  carers: { userId: number; kind: string }[];
  followUps: {
    date: string;
    status: string;
    temperature: number | null;
    symptoms: string[];
    handledAt: string | null;
  }[];
  abilities: { followUp: boolean; release: boolean; extend: boolean; transfer: boolean };
}
interface Figures {
  active: number | '<5';
  dueToday: number | '<5';
  doneToday: number | '<5';
  missed: number | '<5';
  unwell: number | '<5';
  released: number | '<5';
}
interface Stats {
  node: { id: number };
  figures: Figures;
  children: { id: number; name: string; figures: Figures }[];
}

const counter = (metric: string, path: string) => counterAt(db, metric, path);
async function personAt(c: Client, node: TreeNode): Promise<number> {
  const res = await c.post<{ id: number }>('/api/people', {
    name: `观察对象${++seq}`,
    idNumber: makeIdNumber('330112', '19800101', 500 + seq),
    nodeId: node.id,
    residenceType: 'registered',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}
const order = (c: Client, personId: number, extra: object = {}) =>
  c.post<Observation & Problem>('/api/observations', {
    personId,
    startDate: '2026-03-07',
    days: 14,
    reason: '密切接触者',
    ...extra,
  });

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => clock });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  await makeUser(db, 'towncmdB', [{ role: 'town_commander', node: tree.towns[1]! }]);
  // A party member among the volunteers, in the town's other village: a carer by naming, not by place.
  carerId = await makeUser(db, 'partymember', [{ role: 'volunteer', node: tree.villages[1]! }]);
  // One in another town: never offered, never accepted as carer here.
  await makeUser(db, 'farvolunteer', [{ role: 'volunteer', node: tree.villages[3]! }]);
  await makeUser(db, 'volunteer2', [{ role: 'volunteer', node: tree.villages[0]! }]);
  admin = await t.login('admin');
  towncmd = await t.login('towncmd');
  towncmdB = await t.login('towncmdB');
  gridworker = await t.login('gridworker');
  cadre = await t.login('cadre');
  carer = await t.login('partymember');
  stranger = await t.login('volunteer2');
});
afterAll(async () => t.close());

describe('orders and their days', () => {
  it('a 14-day order from 2026-03-07 ends 03-20 with one follow-up a day, in any server time zone', async () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['UTC', 'Asia/Shanghai', 'America/Los_Angeles']) {
        process.env.TZ = tz;
        const personId = await personAt(gridworker, tree.grids[0]!);
        const res = await order(gridworker, personId);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body.startDate).toBe('2026-03-07');
        expect(res.body.endDate).toBe('2026-03-20');
        expect(res.body.today).toBe('2026-03-07');
        expect(res.body.followUps.map((f) => f.date)).toEqual(
          Array.from({ length: 14 }, (_, i) => `2026-03-${String(7 + i).padStart(2, '0')}`),
        );
        expect(res.body.followUps.every((f) => f.status === 'due')).toBe(true);
        const again = await gridworker.get<Observation>(`/api/observations/${res.body.id}`);
        expect(again.body.endDate).toBe('2026-03-20');
        expect(again.body.followUps).toHaveLength(14);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('one order at a time per person; a start far from today, a stranger carer or a member elsewhere are refused', async () => {
    const personId = await personAt(gridworker, tree.grids[0]!);
    expect((await order(gridworker, personId)).status).toBe(201);
    const twice = await order(gridworker, personId);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('observation.already_active');
    const other = await personAt(gridworker, tree.grids[0]!);
    const late = await order(gridworker, other, { startDate: '2026-02-01' });
    expect(late.status).toBe(400);
    expect(late.body.code).toBe('observation.start_window');
    const elsewhere = await personAt(admin, tree.grids[1]!);
    const bad = await order(gridworker, other, {
      carers: [{ userId: 999_999, kind: 'party_member' }],
      members: [elsewhere],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues!.map((i) => [i.path, i.code])).toEqual([
      ['body.carers.0.userId', 'observation.not_carer'],
      ['body.members.0', 'observation.member_elsewhere'],
    ]);
    expect(
      await db.selectFrom('observation_orders').select('id').where('person_id', '=', other).execute(),
    ).toEqual([]);
  });

  it('scope before state: a sibling grid’s worker and another town cannot order, read or step', async () => {
    const personId = await personAt(admin, tree.grids[1]!);
    const refused = await order(gridworker, personId);
    expect(refused.status).toBe(403);
    const made = await order(cadre, personId);
    expect(made.status).toBe(201);
    for (const c of [gridworker, towncmdB, stranger]) {
      expect((await c.get(`/api/observations/${made.body.id}`)).status).toBe(403);
    }
    expect((await towncmd.get(`/api/observations/${made.body.id}`)).status).toBe(200);
    expect((await gridworker.get('/api/observations/999999')).status).toBe(404);
    const list = await towncmdB.get<{ items: { id: number }[] }>('/api/observations?pageSize=200');
    expect(list.body.items.map((i) => i.id)).not.toContain(made.body.id);
    expect((await towncmdB.get(`/api/observations?node=${tree.towns[0]!.id}`)).status).toBe(403);
  });
});

describe('carers', () => {
  it('the accounts that follow up in the person’s town or above are offered as carers, the village’s first', async () => {
    const personId = await personAt(gridworker, tree.grids[0]!);
    const res = await gridworker.get<{ items: { name: string; kind: string }[] }>(
      `/api/observations/carers?personId=${personId}`,
    );
    expect(res.status).toBe(200);
    const names = res.body.items.map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['gridworker', 'cadre', 'volunteer2', 'partymember']));
    expect(names).not.toContain('farvolunteer');
    // The person's own village first.
    expect(names.indexOf('volunteer2')).toBeLessThan(names.indexOf('partymember'));
    const far = (
      await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'farvolunteer')
        .executeTakeFirstOrThrow()
    ).id;
    const refused = await order(gridworker, personId, { carers: [{ userId: far, kind: 'party_member' }] });
    expect(refused.status).toBe(400);
    expect(refused.body.issues!.map((i) => i.code)).toEqual(['observation.not_carer']);
    expect(res.body.items.find((i) => i.name === 'gridworker')!.kind).toBe('grid_worker');
    expect(res.body.items.find((i) => i.name === 'volunteer2')!.kind).toBe('party_member');
    const elsewhere = await personAt(admin, tree.grids[1]!);
    expect((await gridworker.get(`/api/observations/carers?personId=${elsewhere}`)).status).toBe(403);
  });
});

describe('follow-ups', () => {
  let id: number;
  beforeAll(async () => {
    // Made on 03-06 (its first day is the carers' to miss), read from 03-07 on.
    clock = '2026-03-06T02:00:00.000Z';
    const personId = await personAt(gridworker, tree.grids[0]!);
    const res = await order(gridworker, personId, {
      startDate: '2026-03-06',
      days: 3,
      carers: [{ userId: carerId, kind: 'party_member' }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.id;
    clock = '2026-03-07T02:00:00.000Z';
  });

  it('an order starting tomorrow is in its carer’s tasks as coming, with nothing to record; a running one shows only its day due', async () => {
    const personId = await personAt(gridworker, tree.grids[0]!);
    const next = await order(gridworker, personId, {
      startDate: '2026-03-08',
      days: 14,
      carers: [{ userId: carerId, kind: 'party_member' }],
    });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    const tasks = await carer.get<{
      items: { observationId: number; date: string; upcoming: boolean; overdue: boolean }[];
    }>('/api/observations/tasks');
    expect(tasks.body.items.filter((i) => i.observationId === next.body.id)).toEqual([
      expect.objectContaining({ date: '2026-03-08', upcoming: true, overdue: false }),
    ]);
    // The running order: its oldest day due, never tomorrow's as well.
    expect(tasks.body.items.filter((i) => i.observationId === id)).toEqual([
      expect.objectContaining({ date: '2026-03-06', upcoming: false }),
    ]);
    expect(
      (
        await carer.put<Problem>(`/api/observations/${next.body.id}/follow-ups/2026-03-08`, {
          outcome: 'well',
        })
      ).status,
    ).toBe(400);
    // Stepped out of the way of the tests below, which count the village's orders.
    const gone = await gridworker.post(`/api/observations/${next.body.id}/steps`, {
      action: 'transfer',
      to: 'moved_away',
    });
    expect(gone.status, JSON.stringify(gone.body)).toBe(200);
  });

  it('the named carer finds the day in their tasks, reads the order and records it; the future cannot be recorded', async () => {
    const tasks = await carer.get<{ items: { observationId: number; date: string; carer: boolean }[] }>(
      '/api/observations/tasks',
    );
    expect(tasks.status).toBe(200);
    // Yesterday's (not yet flagged) first: one task per order.
    expect(tasks.body.items.filter((i) => i.observationId === id)).toEqual([
      expect.objectContaining({ date: '2026-03-06', carer: true }),
    ]);
    const view = await carer.get<Observation>(`/api/observations/${id}`);
    expect(view.status).toBe(200);
    expect(view.body.abilities).toEqual({
      followUp: true,
      release: false,
      extend: false,
      transfer: false,
      handleAlert: false,
    });
    const future = await carer.put<Problem>(`/api/observations/${id}/follow-ups/2026-03-08`, {
      outcome: 'well',
    });
    expect(future.status).toBe(400);
    expect(future.body.code).toBe('observation.follow_up_future');
    const doneBefore = await counter('observation.done.2026-03-07', tree.district.path);
    const ok = await carer.put<Observation>(`/api/observations/${id}/follow-ups/2026-03-07`, {
      outcome: 'well',
      temperature: 36.6,
      symptoms: [],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.followUps.find((f) => f.date === '2026-03-07')).toMatchObject({
      status: 'well',
      temperature: 36.6,
    });
    expect(await counter('observation.done.2026-03-07', tree.district.path)).toBe(doneBefore + 1);
    const twice = await gridworker.put<Problem>(`/api/observations/${id}/follow-ups/2026-03-07`, {
      outcome: 'well',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('observation.follow_up_closed');
    expect(
      (await stranger.put(`/api/observations/${id}/follow-ups/2026-03-06`, { outcome: 'well' })).status,
    ).toBe(403);
  });

  it('the findings are stored encrypted and kept out of the audit log', async () => {
    const row = await db
      .selectFrom('observation_follow_ups')
      .select('detail_enc')
      .where('order_id', '=', id)
      .where('date', '=', '2026-03-07')
      .executeTakeFirstOrThrow();
    expect(row.detail_enc).toMatch(/^v1:/);
    expect(row.detail_enc).not.toContain('36.6');
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'observation.follow_up')
      .where('entity_id', '=', String(id))
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).not.toContain('36.6');
  });

  it('"seen unwell" reaches the village over the live stream within a second, and its bell', async () => {
    const personId = await personAt(gridworker, tree.grids[0]!);
    const made = await order(gridworker, personId, { startDate: '2026-03-07', days: 2 });
    const stream = await openSse(t.app, { client: cadre });
    try {
      const sent = Date.now();
      const res = await gridworker.put(`/api/observations/${made.body.id}/follow-ups/2026-03-07`, {
        outcome: 'unwell',
        temperature: 38.4,
        symptoms: ['fever', 'cough'],
      });
      expect(res.status).toBe(200);
      // The stream names no outcome (every role at the place receives it); the tasks it refreshes do.
      const e = await stream.waitFor(
        (x) => x.kind === 'observation.followed_up' && x.json?.payload.id === made.body.id,
        1000,
      );
      expect(e.json?.payload).toEqual({ id: made.body.id });
      expect(Date.now() - sent).toBeLessThan(1000);
    } finally {
      stream.close();
    }
    const cadreId = (
      await db.selectFrom('users').select('id').where('username', '=', 'cadre').executeTakeFirstOrThrow()
    ).id;
    const bell = await db
      .selectFrom('notifications')
      .select(['kind', 'entity_id'])
      .where('user_id', '=', cadreId)
      .where('kind', '=', 'observation.unwell')
      .execute();
    expect(bell).toEqual([{ kind: 'observation.unwell', entity_id: made.body.id }]);
    // At the top of the village's tasks until someone handles it.
    const tasks = async () =>
      (await cadre.get<{ items: { kind: string; observationId: number }[] }>('/api/observations/tasks')).body
        .items;
    expect((await tasks())[0]).toMatchObject({ kind: 'unwell', observationId: made.body.id });
    const path = `/api/observations/${made.body.id}/follow-ups/2026-03-07/handled`;
    expect((await towncmd.post(path, {})).status).toBe(403);
    const handled = await cadre.post<
      Observation & { followUps: { date: string; handledAt: string | null }[] }
    >(path, {});
    expect(handled.status, JSON.stringify(handled.body)).toBe(200);
    expect(handled.body.followUps.find((f) => f.date === '2026-03-07')!.handledAt).not.toBeNull();
    expect((await tasks()).filter((i) => i.kind === 'unwell')).toEqual([]);
    expect((await cadre.post<Problem>(path, {})).body.code).toBe('observation.alert_not_open');
  });

  it('a day left without a follow-up is flagged missed at 08:00 the next morning, once, and told to the village', async () => {
    const missedBefore = await counter('observation.missed', tree.district.path);
    // 07:30 on 03-08 in Shanghai: 03-07 may still be recorded; 03-06 (two days back) is flagged.
    clock = '2026-03-07T23:30:00.000Z';
    const early = await t.app.linliObservation.sweep({ actor: null, requestId: 'obs-sweep-1' });
    const day = async (date: string) =>
      (
        await db
          .selectFrom('observation_follow_ups')
          .select('status')
          .where('order_id', '=', id)
          .where('date', '=', date)
          .executeTakeFirstOrThrow()
      ).status;
    expect(await day('2026-03-06')).toBe('missed');
    expect(await day('2026-03-08')).toBe('due');
    clock = '2026-03-08T00:30:00.000Z';
    const later = await t.app.linliObservation.sweep({ actor: null, requestId: 'obs-sweep-2' });
    const again = await t.app.linliObservation.sweep({ actor: null, requestId: 'obs-sweep-3' });
    expect(again.flagged).toBe(0);
    expect(early.flagged + later.flagged).toBeGreaterThanOrEqual(1);
    expect(await counter('observation.missed', tree.district.path)).toBe(
      missedBefore + early.flagged + later.flagged,
    );
    const told = await db
      .selectFrom('notifications as n')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .select('u.username')
      .where('n.kind', '=', 'observation.missed')
      .where('n.entity_id', '=', id)
      .execute();
    expect(told.map((r) => r.username).sort()).toEqual(expect.arrayContaining(['cadre', 'partymember']));
    const late = await carer.put<Problem>(`/api/observations/${id}/follow-ups/2026-03-06`, {
      outcome: 'well',
    });
    expect(late.status).toBe(409);
  });

  it('release waits for the end date; the carer releases then, and the counters follow', async () => {
    clock = '2026-03-08T02:00:00.000Z';
    const path = tree.grids[0]!.path;
    const activeBefore = await counter('observation.active', path);
    const dueBefore = await counter('observation.due.2026-03-08', path);
    const released = await carer.post<Observation>(`/api/observations/${id}/steps`, { action: 'release' });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body.status).toBe('released');
    expect(await counter('observation.active', path)).toBe(activeBefore - 1);
    // The end date's follow-up was still due: released with it.
    expect(await counter('observation.due.2026-03-08', path)).toBe(dueBefore - 1);
    const after = await gridworker.put<Problem>(`/api/observations/${id}/follow-ups/2026-03-08`, {
      outcome: 'well',
    });
    expect(after.status).toBe(409);
    expect(after.body.code).toBe('observation.transition');
  });

  it('an order is extended with new days, or transferred with its days to come dropped', async () => {
    clock = '2026-03-07T02:00:00.000Z';
    const personId = await personAt(gridworker, tree.grids[0]!);
    const made = await order(gridworker, personId, { days: 3 });
    const soon = await gridworker.post<Problem>(`/api/observations/${made.body.id}/steps`, {
      action: 'release',
    });
    expect(soon.status).toBe(400);
    expect(soon.body.code).toBe('observation.release_early');
    const longer = await gridworker.post<Observation>(`/api/observations/${made.body.id}/steps`, {
      action: 'extend',
      days: 4,
      reason: '同住人员确诊',
    });
    expect(longer.status).toBe(200);
    expect(longer.body.endDate).toBe('2026-03-13');
    expect(longer.body.followUps).toHaveLength(7);
    // 7 + 28 days is within the 56 an order may last; 28 more is not.
    const further = (reason: string) =>
      gridworker.post<Problem>(`/api/observations/${made.body.id}/steps`, {
        action: 'extend',
        days: 28,
        reason,
      });
    expect((await further('复查')).status).toBe(200);
    const tooLong = await further('再查');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.code).toBe('observation.max_days');
    const out = await gridworker.post<Observation>(`/api/observations/${made.body.id}/steps`, {
      action: 'transfer',
      to: 'hospital',
    });
    expect(out.body.status).toBe('transferred');
    expect(out.body.followUps).toEqual([]);
    expect((await carer.post(`/api/observations/${made.body.id}/steps`, { action: 'release' })).status).toBe(
      403,
    );
  });
});

describe('figures', () => {
  it('below town level a grid with 3 in observation shows "<5"; the town commander sees 3', async () => {
    clock = '2026-03-07T02:00:00.000Z';
    const grid = tree.grids[6]!;
    const village = tree.villages[3]!;
    for (let i = 0; i < 3; i++) expect((await order(admin, await personAt(admin, grid))).status).toBe(201);
    const town = await towncmdB.get<Stats>('/api/observations/stats');
    expect(town.status).toBe(200);
    expect(town.body.node.id).toBe(tree.towns[1]!.id);
    expect(town.body.figures.active).toBe(3);
    expect(town.body.figures.dueToday).toBe(3);
    expect(town.body.children.find((c) => c.id === village.id)!.figures.active).toBe('<5');
    const inVillage = await towncmdB.get<Stats>(`/api/observations/stats?node=${village.id}`);
    expect(inVillage.body.figures.active).toBe('<5');
    expect(inVillage.body.children.find((c) => c.id === grid.id)!.figures).toMatchObject({
      active: '<5',
      missed: 0,
    });
    expect((await towncmdB.get(`/api/observations/stats?node=${tree.towns[0]!.id}`)).status).toBe(403);
    // The cockpit reads the same counters: the town exact, its villages masked.
    const cockpit = await towncmdB.get<{
      figures: { observationsActive: number | '<5'; observationsDueToday: number | '<5' };
      children: { node: { id: number }; figures: { observationsActive: number | '<5' } }[];
    }>(`/api/cockpit?node=${tree.towns[1]!.id}`);
    expect(cockpit.status).toBe(200);
    expect(cockpit.body.figures).toMatchObject({ observationsActive: 3, observationsDueToday: 3 });
    expect(cockpit.body.children.find((c) => c.node.id === village.id)!.figures.observationsActive).toBe(
      '<5',
    );
  });
});

describe('retention', () => {
  it('a command’s orders go 28 days after it closed, with their days and counters, audited; others stay', async () => {
    clock = '2026-03-07T02:00:00.000Z';
    const commandId = await makeCommand(db, tree.district, clock);
    const grid = tree.grids[2]!;
    const activeBefore = await counter('observation.active', grid.path);
    const under = await order(admin, await personAt(admin, grid), { commandId });
    const outside = await order(admin, await personAt(admin, grid));
    expect(under.status, JSON.stringify(under.body)).toBe(201);
    expect(await counter('observation.active', grid.path)).toBe(activeBefore + 2);
    const dueBefore = await counter('observation.due.2026-03-10', grid.path);
    await db
      .updateTable('incident_commands')
      .set({ closed_at: '2026-03-08T00:00:00.000Z' })
      .where('id', '=', commandId)
      .execute();
    clock = '2026-04-01T00:00:00.000Z';
    expect(await t.app.linliObservation.purgeExpired({ actor: null, requestId: 'obs-purge-1' })).toEqual({
      deleted: 0,
    });
    clock = '2026-04-06T00:00:00.000Z';
    expect(await t.app.linliObservation.purgeExpired({ actor: null, requestId: 'obs-purge-2' })).toEqual({
      deleted: 1,
    });
    expect((await admin.get(`/api/observations/${under.body.id}`)).status).toBe(404);
    expect((await admin.get(`/api/observations/${outside.body.id}`)).status).toBe(200);
    expect(
      await db
        .selectFrom('observation_follow_ups')
        .select('id')
        .where('order_id', '=', under.body.id)
        .execute(),
    ).toEqual([]);
    expect(await counter('observation.active', grid.path)).toBe(activeBefore + 1);
    expect(await counter('observation.due.2026-03-10', grid.path)).toBe(dueBefore - 1);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', '=', 'observation.purge')
      .execute();
    expect(audit).toEqual([{ action: 'observation.purge', entity_id: String(commandId) }]);
    // A closed command serves no new order.
    clock = '2026-04-06T02:00:00.000Z';
    const late = await order(admin, await personAt(admin, grid), { startDate: '2026-04-06', commandId });
    expect(late.status).toBe(400);
    expect(late.body.issues!.map((i) => i.code)).toEqual(['observation.command_elsewhere']);
  });
});

describe('many at once', () => {
  it('orders observation for a list of people in one call: their days and counters, those already observed skipped, nothing outside the scope', async () => {
    clock = '2026-03-07T02:00:00.000Z';
    const grid = tree.grids[3]!;
    const people = [await personAt(admin, grid), await personAt(admin, grid), await personAt(admin, grid)];
    expect((await order(admin, people[0]!)).status).toBe(201);
    const activeBefore = await counter('observation.active', grid.path);
    const ctxOf = async (username: string) => {
      const u = await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      return { actor: (await loadActor(db, u.id, 'session'))!, requestId: `many-${username}` };
    };
    const body = { personIds: people, startDate: '2026-03-07', days: 14, reason: '重点地区返回人员' };
    // The grid worker of grid 0 holds no scope over grid 3: nothing is written.
    await expect(t.app.linliObservation.orderMany(await ctxOf('gridworker'), body)).rejects.toMatchObject({
      status: 403,
    });
    const res = await t.app.linliObservation.orderMany(await ctxOf('admin'), body);
    expect(res).toEqual({ created: 2, skipped: 1, endDate: '2026-03-20' });
    expect(await counter('observation.active', grid.path)).toBe(activeBefore + 2);
    const days = await db
      .selectFrom('observation_follow_ups as f')
      .innerJoin('observation_orders as o', 'o.id', 'f.order_id')
      .select(['o.person_id', 'f.date'])
      .where('o.person_id', 'in', people.slice(1))
      .execute();
    expect(days).toHaveLength(28);
    const list = await admin.get<{ items: { person: { id: number } }[] }>(
      `/api/observations?node=${grid.id}&pageSize=50`,
    );
    expect(list.body.items.map((o) => o.person.id)).toEqual(expect.arrayContaining(people));
  });
});
