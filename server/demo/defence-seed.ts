// The demo's joint defence (治安联防), duty rosters: checkpoints on Lin'an's real roads (the 杭徽高速
// exits at 昌化, 於潜 and 临安, the 02省道 through the western towns) and at the entrances of demo
// villages, most under the epidemic command; a week of 3 × 8 h rosters (three days back, three
// ahead) staffed by the demo's duty volunteers with some gaps, check-ins on the shifts gone by, one
// no-show, and the demo checkpoint account (洪卫东, 昌化镇) on a shift at the 昌化 exit that began
// minutes ago, its check-in window open. Checkpoints and shifts go through the rosters service (audited);
// the week's assignments and check-ins are inserted in batches, with the staffed-now counters they
// imply. Deterministic but for the clock: the same people on the same shifts for the same `now`.
import type { DB } from '../db/index.js';
import type { RequestContext } from '../platform/actor.js';
import { loadActor } from '../platform/auth.js';
import { bumpCountersMany } from '../platform/live.js';
import { newUserRow } from '../modules/accounts/index.js';
import { STAFFED_METRIC, createRostersService } from '../modules/defence/index.js';
import type { CheckpointType } from '../../common/contracts/defence.js';
import { personName, prng } from './names.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SHANGHAI = 8 * HOUR;

/** How many duty volunteers stand the demo's shifts (accounts that cannot sign in): about one shift a day each. */
const VOLUNTEERS = 90;

interface Planned {
  name: string;
  type: CheckpointType;
  town: string;
  /** A village of the town (by its place among the town's villages), or the town itself. */
  village?: number;
  staff: number;
  underCommand: boolean;
  /** Offset from the node's centre, degrees, so that posts of one node do not sit on one point. */
  d: [number, number];
}

const PLANNED: readonly Planned[] = [
  {
    name: '杭徽高速昌化出口',
    type: 'expressway_exit',
    town: '昌化镇',
    staff: 3,
    underCommand: true,
    d: [0.01, 0.02],
  },
  {
    name: '杭徽高速於潜出口',
    type: 'expressway_exit',
    town: '於潜镇',
    staff: 3,
    underCommand: true,
    d: [0.01, -0.01],
  },
  {
    name: '杭徽高速临安出口',
    type: 'expressway_exit',
    town: '锦南街道',
    staff: 3,
    underCommand: true,
    d: [-0.01, 0.01],
  },
  {
    name: '02省道昌化段检查点',
    type: 'road',
    town: '昌化镇',
    staff: 2,
    underCommand: true,
    d: [-0.01, -0.02],
  },
  {
    name: '02省道於潜段检查点',
    type: 'road',
    town: '於潜镇',
    staff: 2,
    underCommand: true,
    d: [-0.015, 0.015],
  },
  { name: '02省道河桥段检查点', type: 'road', town: '河桥镇', staff: 2, underCommand: true, d: [0, 0.01] },
  {
    name: '村口卡点',
    type: 'village_entrance',
    town: '昌化镇',
    village: 0,
    staff: 2,
    underCommand: true,
    d: [0.003, 0.004],
  },
  {
    name: '村口卡点',
    type: 'village_entrance',
    town: '昌化镇',
    village: 1,
    staff: 2,
    underCommand: true,
    d: [0.003, 0.004],
  },
  {
    name: '村口卡点',
    type: 'village_entrance',
    town: '於潜镇',
    village: 0,
    staff: 2,
    underCommand: true,
    d: [0.003, 0.004],
  },
  {
    name: '村口卡点',
    type: 'village_entrance',
    town: '锦城街道',
    village: 0,
    staff: 2,
    underCommand: true,
    d: [0.003, 0.004],
  },
  {
    name: '无物业小区门岗',
    type: 'compound_gate',
    town: '锦城街道',
    village: 1,
    staff: 1,
    underCommand: false,
    d: [-0.002, 0.002],
  },
];

export interface DemoDefence {
  /** The checkpoints made, in PLANNED order (the passages seed registers passages at them). */
  checkpointIds: number[];
  /** The shift the demo checkpoint account is on now. */
  currentShiftId: number;
}

export async function seedDemoDefence(
  db: DB,
  opts: { commandId: number | null; now?: Date },
): Promise<DemoDefence> {
  const realNow = (opts.now ?? new Date()).getTime();
  const nowIso = new Date(realNow).toISOString();
  const rostersAt = createRostersService({ db, now: () => nowIso });
  const r = prng(20_200_315);
  const nameRng = prng(20_200_316);
  const names = () => personName(nameRng);

  const users = new Map(
    (
      await db
        .selectFrom('users')
        .select(['id', 'username'])
        .where('username', 'in', ['commander', 'checkpoint', 'cadre', 'gridworker', 'volunteer'])
        .execute()
    ).map((u) => [u.username, u.id]),
  );
  const commander: RequestContext = {
    actor: await loadActor(db, users.get('commander')!, 'session'),
    requestId: 'demo-defence',
  };
  const nodes = await db
    .selectFrom('nodes')
    .select(['id', 'name', 'level', 'parent_id', 'centroid_lat', 'centroid_lng'])
    .where('retired_at', 'is', null)
    .where('level', 'in', ['town', 'village'])
    .orderBy('path')
    .execute();
  const town = (name: string) => {
    const t = nodes.find((n) => n.level === 'town' && n.name === name);
    if (!t) throw new Error(`demo has no town ${name}`);
    return t;
  };
  const villagesOf = (townId: number) => nodes.filter((n) => n.parent_id === townId);

  // The duty volunteers: real rows, never signed in to.
  const volunteers = (
    await db
      .insertInto('users')
      .values(
        Array.from({ length: VOLUNTEERS }, (_, i) => ({
          ...newUserRow(`duty-vol-${String(i + 1).padStart(2, '0')}`, names(), '!', nowIso),
          disabled: 1,
        })),
      )
      .returning('id')
      .execute()
  )
    .map((u) => u.id)
    .sort((a, b) => a - b);

  // The local day now, and the quarter hour just gone: the 昌化 exit's shifts start there, so the demo
  // account's shift began at most 15 minutes ago and its check-in window is open.
  const localNow = realNow + SHANGHAI;
  const today = new Date(localNow).toISOString().slice(0, 10);
  const quarter = Math.floor((localNow % DAY) / (15 * MINUTE)) * 15;
  const firstStart = `${String(Math.floor(quarter / 60)).padStart(2, '0')}:${String(quarter % 60).padStart(2, '0')}`;
  const dayOf = (offset: number) =>
    new Date(Date.parse(`${today}T00:00:00Z`) + offset * DAY).toISOString().slice(0, 10);

  const checkpointIds: number[] = [];
  for (const [i, p] of PLANNED.entries()) {
    const t = town(p.town);
    const node = p.village === undefined ? t : (villagesOf(t.id)[p.village] ?? t);
    const c = await rostersAt.createCheckpoint(commander, {
      name: p.type === 'village_entrance' || p.type === 'compound_gate' ? `${node.name}${p.name}` : p.name,
      type: p.type,
      nodeId: node.id,
      lat: (node.centroid_lat ?? 30.23) + p.d[0],
      lng: (node.centroid_lng ?? 119.72) + p.d[1],
      commandId: p.underCommand ? opts.commandId : null,
      staffPerShift: p.staff,
      // The cadre leads the post at the entrance of their own village.
      leadUserId: p.town === '锦城街道' && p.village === 0 ? (users.get('cadre') ?? null) : null,
    });
    checkpointIds.push(c.id);
    await rostersAt.setPattern(commander, c.id, {
      kind: 'three_by_eight',
      firstStart: i === 0 ? firstStart : '00:00',
    });
    await rostersAt.generateShifts(commander, c.id, { from: dayOf(-3), to: dayOf(3) });
  }

  const shifts = await db
    .selectFrom('shifts as s')
    .innerJoin('checkpoints as c', 'c.id', 's.checkpoint_id')
    .select([
      's.id',
      's.checkpoint_id',
      's.node_path',
      's.starts_at',
      's.ends_at',
      's.required',
      'c.command_id',
    ])
    .where('s.checkpoint_id', 'in', checkpointIds)
    .orderBy('s.checkpoint_id')
    .orderBy('s.starts_at')
    .execute();
  const running = (s: { starts_at: string; ends_at: string }) =>
    Date.parse(s.starts_at) <= realNow && Date.parse(s.ends_at) > realNow;
  const exitShifts = shifts.filter((s) => s.checkpoint_id === checkpointIds[0]);
  const current = exitShifts.find(running)!;

  // People per shift: a volunteer stands one shift in three (no one on two at once); the demo
  // account stands its exit's shift now and two more this week; some shifts ahead are left short.
  const assignments: { shift_id: number; user_id: number; role: string }[] = [];
  const busy = new Map<number, { s: number; e: number }[]>();
  const free = (u: number, s: number, e: number) =>
    !(busy.get(u) ?? []).some((b) => b.s < e + 8 * HOUR && s < b.e + 8 * HOUR);
  const take = (u: number, shift: (typeof shifts)[number], role: string) => {
    const s = Date.parse(shift.starts_at);
    const e = Date.parse(shift.ends_at);
    busy.set(u, [...(busy.get(u) ?? []), { s, e }]);
    assignments.push({ shift_id: shift.id, user_id: u, role });
  };
  const me = users.get('checkpoint')!;
  for (const s of [
    current,
    ...exitShifts
      .filter((x) => Date.parse(x.starts_at) > realNow)
      .filter((_, i) => i % 3 === 2)
      .slice(0, 2),
  ])
    take(me, s, 'cadre');
  let next = 0;
  for (const s of shifts) {
    const ahead = Date.parse(s.starts_at) > realNow;
    const roll = r();
    // Ahead: about one shift in eight nobody yet, one in six short of people.
    let want = s.required - assignments.filter((a) => a.shift_id === s.id).length;
    if (ahead && roll < 0.12) want = 0;
    else if (ahead && roll < 0.3)
      want = Math.max(0, Math.min(want, s.required - 1 - (s.id === current.id ? 1 : 0)));
    for (let k = 0; k < volunteers.length && want > 0; k++) {
      const u = volunteers[(next + k) % volunteers.length]!;
      if (!free(u, Date.parse(s.starts_at), Date.parse(s.ends_at))) continue;
      take(u, s, k % 5 === 0 ? 'party_member' : 'volunteer');
      next = (next + k + 1) % volunteers.length;
      want--;
    }
  }
  const at = nowIso;
  const rows = assignments.map((a) => ({
    ...a,
    assigned_by_user_id: users.get('commander')!,
    assigned_at: at,
  }));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('shift_assignments')
      .values(rows.slice(i, i + 500))
      .execute();

  // Check-ins: everyone on a shift gone by or running checked in within the window (and out at its
  // end if it ended) — but for one no-show on the last shift of the 02省道 at 昌化 whose window has
  // closed; the demo account has not checked in yet.
  const ids = await db
    .selectFrom('shift_assignments')
    .select(['id', 'shift_id', 'user_id'])
    .where(
      'shift_id',
      'in',
      shifts.map((s) => s.id),
    )
    .orderBy('id')
    .execute();
  const byId = new Map(shifts.map((s) => [s.id, s]));
  const road = shifts.filter(
    (s) => s.checkpoint_id === checkpointIds[3] && Date.parse(s.starts_at) + 30 * MINUTE < realNow,
  );
  const noShowShift = road[road.length - 1]!;
  const noShow = ids.find((a) => a.shift_id === noShowShift.id)?.id;
  const checkIns: {
    assignment_id: number;
    checked_in_at: string;
    lat: number | null;
    lng: number | null;
    checked_out_at: string | null;
    out_lat: number | null;
    out_lng: number | null;
  }[] = [];
  const staffed: { nodePath: string; deltas: Record<string, number>; commandId: number | null }[] = [];
  for (const a of ids) {
    const s = byId.get(a.shift_id)!;
    const start = Date.parse(s.starts_at);
    if (a.user_id === me || a.id === noShow) continue;
    const inAt = start + Math.round((r() * 35 - 20) * MINUTE);
    if (inAt > realNow) continue;
    const ended = Date.parse(s.ends_at) <= realNow;
    checkIns.push({
      assignment_id: a.id,
      checked_in_at: new Date(inAt).toISOString(),
      lat: null,
      lng: null,
      checked_out_at: ended
        ? new Date(Date.parse(s.ends_at) + Math.round(r() * 10 * MINUTE)).toISOString()
        : null,
      out_lat: null,
      out_lng: null,
    });
    if (!ended)
      staffed.push({ nodePath: s.node_path, deltas: { [STAFFED_METRIC]: 1 }, commandId: s.command_id });
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < checkIns.length; i += 500)
      await trx
        .insertInto('shift_check_ins')
        .values(checkIns.slice(i, i + 500))
        .execute();
    // On duty now, counted as check-ins through the service would have.
    for (const commandId of new Set(staffed.map((s) => s.commandId)))
      await bumpCountersMany(
        trx,
        staffed.filter((s) => s.commandId === commandId),
        commandId,
      );
  });
  return { checkpointIds, currentShiftId: current.id };
}
