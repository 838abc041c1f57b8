// Checkpoints and duty rosters through the service and the database, on both databases: a roster
// for 3 checkpoints × 7 days × 3 shifts shows exactly the uncovered shifts after some assignments;
// a check-in outside its window is refused with the reason and the local times; no-shows now;
// opening and closing in bulk under a command; jurisdiction (a caller outside the node is refused,
// lists leave out other towns); an audit row for every change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage as render, type Lang, type Message } from '../../../common/messages/index.js';
import type { DatabaseHandle, DB } from '../../db/index.js';
import { loadActor } from '../../platform/auth.js';
import type { RequestContext } from '../../platform/actor.js';
import { createTestDatabase } from '../../test/harness.js';
import { makeTree, makeUser, type Tree } from '../../test/factories.js';
import { createRostersService, type RostersService } from './index.js';

let database: DatabaseHandle;
let db: DB;
let tree: Tree;
let svc: RostersService;
let clock = '2026-12-07T00:00:00.000Z';
const ctxs: Record<string, RequestContext> = {};
const ids: Record<string, number> = {};
let commandId: number;
const checkpoints: number[] = [];
let otherTownCheckpoint: number;

const renderMessage = (m: Message, lang: Lang) => render(m.code, m.params, lang);
const minutes = (iso: string, m: number) => new Date(Date.parse(iso) + m * 60_000).toISOString();
const auditCount = async (action: string) =>
  Number(
    (
      await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', action)
        .executeTakeFirstOrThrow()
    ).n,
  );
const rejected = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as { status: number; code: string; extra: { issues?: { code: string; message: Message }[] } };
  }
  throw new Error('expected a refusal');
};

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  tree = await makeTree(db);
  const [townA, townB] = tree.towns;
  const [villageA] = tree.villages;
  const users: [string, string, (typeof tree.towns)[number]][] = [
    ['towncmd', 'town_commander', townA!],
    ['towncmdB', 'town_commander', townB!],
    ['cadre', 'village_cadre', villageA!],
    ['staff1', 'checkpoint_staff', villageA!],
    ['staff2', 'checkpoint_staff', villageA!],
    ['staff3', 'checkpoint_staff', villageA!],
    ['staff4', 'checkpoint_staff', villageA!],
    ['staff5', 'checkpoint_staff', villageA!],
    ['staff6', 'checkpoint_staff', villageA!],
  ];
  for (const [name, role, node] of users) {
    ids[name] = await makeUser(db, name, [{ role, node }]);
    const actor = await loadActor(db, ids[name], 'session');
    ctxs[name] = { actor, requestId: `test-${name}` };
  }
  const at = '2026-12-01T00:00:00.000Z';
  commandId = (
    await db
      .insertInto('incident_commands')
      .values({
        name: '疫情防控指挥部',
        response_level: 'I',
        node_id: tree.district.id,
        node_path: tree.district.path,
        started_at: at,
        closed_at: null,
        summary: null,
        created_by_user_id: null,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  svc = createRostersService({ db, now: () => clock });
});
afterAll(async () => {
  await database?.close();
});

describe('checkpoints in the caller’s jurisdiction', () => {
  it('a town commander sets up three checkpoints in the town under the command, audited', async () => {
    const names = ['高速出口', '村口东', '小区北门'] as const;
    const types = ['expressway_exit', 'village_entrance', 'compound_gate'] as const;
    for (let i = 0; i < 3; i++) {
      const c = await svc.createCheckpoint(ctxs.towncmd!, {
        name: names[i]!,
        type: types[i]!,
        nodeId: tree.villages[i % 2]!.id,
        lat: 30.2 + i / 100,
        lng: 119.7,
        commandId,
        status: 'suspended',
        staffPerShift: 2,
        leadUserId: ids.cadre!,
      });
      expect(c).toMatchObject({
        name: names[i],
        type: types[i],
        status: 'suspended',
        staffPerShift: 2,
        commandId,
        lead: { id: ids.cadre },
        abilities: { update: true, roster: true },
      });
      checkpoints.push(c.id);
    }
    otherTownCheckpoint = (
      await svc.createCheckpoint(ctxs.towncmdB!, {
        name: '镇2路口',
        type: 'road',
        nodeId: tree.villages[2]!.id,
        commandId,
        staffPerShift: 1,
      })
    ).id;
    expect(await auditCount('checkpoint.create')).toBe(4);
  });

  it('refuses a caller outside the node, a staff member, a retired node and a command that does not cover it', async () => {
    const input = { name: 'x', type: 'road' as const, nodeId: tree.villages[0]!.id, staffPerShift: 1 };
    expect(await rejected(svc.createCheckpoint(ctxs.towncmdB!, input))).toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    expect(await rejected(svc.createCheckpoint(ctxs.staff1!, input))).toMatchObject({ status: 403 });
    expect(await rejected(svc.createCheckpoint(ctxs.towncmd!, { ...input, nodeId: 999_999 }))).toMatchObject({
      status: 400,
      code: 'checkpoint.node',
    });
    expect(await rejected(svc.getCheckpoint(ctxs.towncmdB!, checkpoints[0]!))).toMatchObject({ status: 403 });
    expect(
      await rejected(svc.updateCheckpoint(ctxs.towncmdB!, checkpoints[0]!, { name: 'y' })),
    ).toMatchObject({
      status: 403,
    });
    expect(await auditCount('checkpoint.create')).toBe(4);
  });

  it('changes a checkpoint in place, audited with before and after; not into another town', async () => {
    const c = await svc.updateCheckpoint(ctxs.cadre!, checkpoints[0]!, {
      name: '高速出口（东）',
      staffPerShift: 2,
    });
    expect(c).toMatchObject({ name: '高速出口（东）', node: { id: tree.villages[0]!.id } });
    expect(
      await rejected(svc.updateCheckpoint(ctxs.towncmd!, checkpoints[0]!, { nodeId: tree.villages[2]!.id })),
    ).toMatchObject({ status: 403 });
    expect(await rejected(svc.updateCheckpoint(ctxs.towncmd!, 999_999, { name: 'x' }))).toMatchObject({
      status: 404,
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'entity_id', 'node_path', 'before_digest', 'after_digest', 'detail'])
      .where('action', '=', 'checkpoint.update')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_user_id: ids.cadre,
      entity_id: String(checkpoints[0]),
      node_path: tree.villages[0]!.path,
    });
    expect(audit[0]!.before_digest).not.toBe(audit[0]!.after_digest);
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ fields: ['name', 'staff_per_shift'] });
  });

  it('lists only the caller’s town, in SQL, and narrows by node', async () => {
    const mine = await svc.listCheckpoints(ctxs.towncmd!);
    expect(mine.items.map((c) => c.id).sort()).toEqual([...checkpoints].sort());
    const theirs = await svc.listCheckpoints(ctxs.towncmdB!);
    expect(theirs.items.map((c) => c.id)).toEqual([otherTownCheckpoint]);
    const staff = await svc.listCheckpoints(ctxs.staff1!);
    expect(staff.items.every((c) => !c.abilities.update && !c.abilities.roster)).toBe(true);
    const village = await svc.listCheckpoints(ctxs.towncmd!, { nodeId: tree.villages[1]!.id });
    expect(village.items.map((c) => c.id)).toEqual([checkpoints[1]]);
    expect(
      await rejected(svc.listCheckpoints(ctxs.towncmd!, { nodeId: tree.villages[2]!.id })),
    ).toMatchObject({
      status: 403,
    });
  });

  it('opens checkpoints in bulk under the command from a given hour; all or none', async () => {
    const from = '2026-12-07T10:00:00.000Z';
    expect(
      await rejected(
        svc.setStatusUnderCommand(ctxs.towncmd!, commandId, {
          status: 'open',
          from,
          checkpointIds: [...checkpoints, otherTownCheckpoint],
        }),
      ),
    ).toMatchObject({ status: 403 });
    expect((await svc.getCheckpoint(ctxs.towncmd!, checkpoints[0]!)).status).toBe('suspended');
    const r = await svc.setStatusUnderCommand(ctxs.towncmd!, commandId, {
      status: 'open',
      from,
      checkpointIds: checkpoints,
    });
    expect(r.items.map((c) => [c.status, c.statusFrom])).toEqual(checkpoints.map(() => ['open', from]));
    expect(await auditCount('checkpoint.status')).toBe(3);
  });
});

describe('a roster of 3 checkpoints × 7 days × 3 shifts', () => {
  // Duty days 8–14 December, 3 × 8 h from 08:00 Asia/Shanghai: shifts start at 00:00, 08:00, 16:00 UTC.
  const from = '2026-12-08T00:00:00.000Z';
  const to = '2026-12-15T00:00:00.000Z';

  it('generates 21 shifts per checkpoint from its pattern, and none twice', async () => {
    expect(
      await rejected(svc.setPattern(ctxs.towncmd!, checkpoints[0]!, { kind: 'custom', slots: [] })),
    ).toMatchObject({
      status: 400,
      code: 'shift.pattern',
      extra: { issues: [{ code: 'shift.pattern_empty' }] },
    });
    for (const id of checkpoints) {
      await svc.setPattern(ctxs.towncmd!, id, { kind: 'three_by_eight', firstStart: '08:00' });
      expect(await svc.generateShifts(ctxs.towncmd!, id, { from: '2026-12-08', to: '2026-12-14' })).toEqual({
        added: 21,
        total: 21,
      });
    }
    expect(
      await svc.generateShifts(ctxs.towncmd!, checkpoints[0]!, { from: '2026-12-08', to: '2026-12-14' }),
    ).toEqual({
      added: 0,
      total: 21,
    });
    expect(
      await rejected(
        svc.generateShifts(ctxs.towncmdB!, checkpoints[0]!, { from: '2026-12-08', to: '2026-12-14' }),
      ),
    ).toMatchObject({ status: 403 });
    for (const range of [
      { from: '2026-02-28', to: '2026-02-30' },
      { from: '2026-12-14', to: '2026-12-08' },
      { from: '2026-12-01', to: '2027-03-31' },
    ])
      expect(await rejected(svc.generateShifts(ctxs.towncmd!, checkpoints[0]!, range))).toMatchObject({
        status: 400,
        code: 'shift.range',
      });
    expect(await auditCount('roster.pattern')).toBe(3);
    expect(await auditCount('roster.generate')).toBe(4);
  });

  it('shows exactly the uncovered and understaffed shifts after some assignments', async () => {
    const before = await svc.coverage(ctxs.towncmd!, { nodeId: tree.towns[0]!.id, from, to });
    expect(before.items).toHaveLength(63);
    expect(before.uncoveredAhead).toBe(63);
    const ofCheckpoint = (i: number) => before.items.filter((s) => s.checkpointId === checkpoints[i]);
    const [a0, a1] = ofCheckpoint(0);
    const b = ofCheckpoint(1).slice(0, 3);
    // Checkpoint 1: its first shift fully staffed, its second with one of two; checkpoint 2: a whole day.
    await svc.assign(ctxs.towncmd!, a0!.id, { userId: ids.staff1!, role: 'volunteer' });
    await svc.assign(ctxs.towncmd!, a0!.id, { userId: ids.staff2!, role: 'police' });
    await svc.assign(ctxs.cadre!, a1!.id, { userId: ids.staff3!, role: 'cadre' });
    for (const s of b) {
      await svc.assign(ctxs.towncmd!, s.id, { userId: ids.staff5!, role: 'grid_worker' });
      await svc.assign(ctxs.towncmd!, s.id, { userId: ids.staff6!, role: 'party_member' });
    }
    // Nobody at two posts at once: staff3 is at checkpoint 1 while checkpoint 2's second shift runs.
    expect(
      await rejected(svc.assign(ctxs.towncmd!, b[1]!.id, { userId: ids.staff3!, role: 'volunteer' })),
    ).toMatchObject({ status: 409, code: 'shift.overlap' });
    expect(
      await rejected(svc.assign(ctxs.towncmd!, a0!.id, { userId: ids.staff1!, role: 'volunteer' })),
    ).toMatchObject({
      status: 409,
      code: 'shift.already_assigned',
    });
    expect(
      await rejected(svc.assign(ctxs.towncmdB!, a1!.id, { userId: ids.staff4!, role: 'volunteer' })),
    ).toMatchObject({
      status: 403,
    });
    // The same person added by two managers at the same moment is on the shift once.
    const twice = await Promise.allSettled([
      svc.assign(ctxs.towncmd!, a1!.id, { userId: ids.staff1!, role: 'volunteer' }),
      svc.assign(ctxs.cadre!, a1!.id, { userId: ids.staff1!, role: 'volunteer' }),
    ]);
    expect(twice.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(twice.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { status: 409, code: 'shift.already_assigned' },
    });
    await svc.unassign(ctxs.towncmd!, a1!.id, ids.staff1!);
    // Someone added and taken off again leaves the shift as it was.
    await svc.assign(ctxs.towncmd!, a1!.id, { userId: ids.staff4!, role: 'volunteer' });
    await svc.unassign(ctxs.towncmd!, a1!.id, ids.staff4!);

    const after = await svc.coverage(ctxs.towncmd!, { nodeId: tree.towns[0]!.id, from, to });
    const covered = new Set([a0!.id, ...b.map((s) => s.id)]);
    const uncovered = before.items.map((s) => s.id).filter((id) => !covered.has(id) && id !== a1!.id);
    expect(after.items.filter((s) => s.status === 'uncovered').map((s) => s.id)).toEqual(uncovered);
    expect(after.items.filter((s) => s.status === 'understaffed').map((s) => s.id)).toEqual([a1!.id]);
    expect(
      after.items
        .filter((s) => s.status === 'covered')
        .map((s) => s.id)
        .sort(),
    ).toEqual([...covered].sort());
    expect([after.uncoveredAhead, after.understaffedAhead, after.noShowsNow]).toEqual([58, 1, 0]);
    expect(after.items.find((s) => s.id === a0!.id)?.people.map((p) => [p.userId, p.role])).toEqual([
      [ids.staff1, 'volunteer'],
      [ids.staff2, 'police'],
    ]);
    // One checkpoint's grid, and the other town's commander refused.
    const one = await svc.coverage(ctxs.towncmd!, { checkpointId: checkpoints[2]!, from, to });
    expect(one.items.map((s) => s.status)).toEqual(Array(21).fill('uncovered'));
    expect(
      await rejected(svc.coverage(ctxs.towncmdB!, { nodeId: tree.towns[0]!.id, from, to })),
    ).toMatchObject({
      status: 403,
    });
    expect((await svc.coverage(ctxs.towncmdB!, { nodeId: tree.towns[1]!.id, from, to })).items).toEqual([]);
    // With no node named, the whole of the caller's jurisdiction and nothing else.
    expect((await svc.coverage(ctxs.towncmdB!, { from, to })).items).toEqual([]);
    expect((await svc.coverage(ctxs.towncmd!, { from, to })).items).toHaveLength(63);
    expect(await auditCount('shift.assign')).toBe(11);
    expect(await auditCount('shift.unassign')).toBe(2);
  });

  it('refuses a check-in outside the window with the reason and the local times; no-shows now', async () => {
    const now = await svc.coverage(ctxs.towncmd!, { checkpointId: checkpoints[0]!, from, to });
    const first = now.items[0]!;
    expect(first.startsAt).toBe(from);

    clock = minutes(from, -45);
    const early = await rejected(svc.checkIn(ctxs.staff1!, first.id, { lat: 30.2, lng: 119.7 }));
    expect(early).toMatchObject({ status: 409, code: 'shift.check_in_window' });
    const issue = early.extra.issues![0]!;
    expect(issue.code).toBe('shift.too_early');
    expect(renderMessage(issue.message, 'zh-CN')).toBe(
      '还未到签到时间：本班 2026-12-08 08:00 开始，2026-12-08 07:30 起可签到',
    );
    expect(renderMessage(issue.message, 'en')).toBe(
      'too early to check in: the shift starts at 2026-12-08 08:00; check-in opens at 2026-12-08 07:30',
    );

    clock = minutes(from, 10);
    // Two check-ins crossing on a bad connection: one counts, the other is told it is done.
    const both = await Promise.allSettled([
      svc.checkIn(ctxs.staff1!, first.id, { lat: 30.2, lng: 119.7 }),
      svc.checkIn(ctxs.staff1!, first.id, { lat: 30.2, lng: 119.7 }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(both.find((r) => r.status === 'fulfilled')).toMatchObject({
      value: { checkedInAt: clock, minutesFromStart: 10 },
    });
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { status: 409, code: 'shift.checked_in' },
    });
    // Someone not on the shift has nothing to check in to.
    expect(await rejected(svc.checkIn(ctxs.staff4!, first.id))).toMatchObject({ status: 404 });

    clock = minutes(from, 40);
    const late = await rejected(svc.checkIn(ctxs.staff2!, first.id));
    expect(late.extra.issues![0]!.code).toBe('shift.too_late');
    expect(renderMessage(late.extra.issues![0]!.message, 'en')).toContain(
      'check-in closed at 2026-12-08 08:30',
    );

    const running = await svc.coverage(ctxs.towncmd!, { nodeId: tree.towns[0]!.id, from, to });
    expect(running.items.find((s) => s.id === first.id)?.noShows).toEqual([ids.staff2]);
    // The second checkpoint's first shift runs at the same time, and nobody there checked in.
    const other = running.items.find((s) => s.checkpointId === checkpoints[1] && s.startsAt === from);
    expect(other?.noShows).toEqual([ids.staff5, ids.staff6].sort((x, y) => x! - y!));
    expect(running.noShowsNow).toBe(3);

    // A checked-in person stays on; one checks out once.
    expect(await rejected(svc.unassign(ctxs.towncmd!, first.id, ids.staff1!))).toMatchObject({
      code: 'shift.checked_in',
    });
    expect(await rejected(svc.checkOut(ctxs.staff2!, first.id))).toMatchObject({
      code: 'shift.not_checked_in',
    });
    clock = minutes(from, 8 * 60);
    expect(await svc.checkOut(ctxs.staff1!, first.id, { lat: 30.2, lng: 119.7 })).toEqual({
      checkedOutAt: clock,
    });
    expect(await rejected(svc.checkOut(ctxs.staff1!, first.id))).toMatchObject({ code: 'shift.checked_out' });
    const row = await db.selectFrom('shift_check_ins').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ lat: 30.2, lng: 119.7, out_lat: 30.2, checked_out_at: clock });
    expect(await auditCount('shift.check_in')).toBe(1);
    expect(await auditCount('shift.check_out')).toBe(1);
    // After it has ended, its people are fixed.
    clock = minutes(from, 8 * 60 + 1);
    expect(
      await rejected(svc.assign(ctxs.towncmd!, first.id, { userId: ids.staff3!, role: 'other' })),
    ).toMatchObject({
      code: 'shift.ended',
    });
  });

  it('moves a checkpoint to another village of the town with its shifts: the roster follows it', async () => {
    const [villageA, villageB] = [tree.villages[0]!, tree.villages[1]!];
    expect(villageB.path.startsWith(tree.towns[0]!.path)).toBe(true);
    const range = { from: '2026-12-08T00:00:00.000Z', to: '2026-12-15T00:00:00.000Z' };
    const inVillage = async (nodeId: number) =>
      (await svc.coverage(ctxs.towncmd!, { ...range, nodeId })).items.filter(
        (s) => s.checkpointId === checkpoints[2],
      ).length;
    expect(await inVillage(villageA.id)).toBe(21);
    await svc.updateCheckpoint(ctxs.towncmd!, checkpoints[2]!, { nodeId: villageB.id });
    expect(await inVillage(villageB.id)).toBe(21);
    expect(await inVillage(villageA.id)).toBe(0);
    // The village's cadre no longer rosters it; the town still does.
    const shift = (await svc.coverage(ctxs.towncmd!, { ...range, checkpointId: checkpoints[2]! })).items[0]!;
    expect(
      await rejected(svc.assign(ctxs.cadre!, shift.id, { userId: ids.staff4!, role: 'other' })),
    ).toMatchObject({ status: 403 });
  });
});
