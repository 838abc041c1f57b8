// The demo's home observations, made through the observation service itself with a clock that walks
// through their days, so that every order carries its follow-up rows, counters, notifications and
// audit rows as a real one would. In the demo grid worker's grid: one order with a day missed (the
// sweep at the end flags it and tells the village), one whose carer found the person unwell
// yesterday, one starting today, one ending today (the carer may release it), one released and one
// transferred to hospital; the volunteer (a party member) and the grid worker are their carers. A few
// more in the village's other grids give the cockpit figures above five. seed.ts calls it last.
import { addDays, localDate } from '../../common/worktime.js';
import type { DB } from '../db/index.js';
import { nowIso } from '../db/index.js';
import { createObservationService } from '../modules/observation/index.js';
import { loadActor } from '../platform/auth.js';
import type { PiiCipher } from '../platform/pii.js';

export interface SeedObservationsOptions {
  pii: PiiCipher;
  /** The demo grid worker (orders in their grid, cares for some). */
  gridWorkerUserId: number;
  /** The demo volunteer, a party member caring for some. */
  volunteerUserId: number;
  /** Who orders in the village's other grids (the demo cadre). */
  cadreUserId: number;
  now?: string;
}

interface Plan {
  /** Days before today the order started. */
  startedAgo: number;
  days: number;
  carers: ('gridworker' | 'volunteer')[];
  reason: string;
  /** Days (before today) left without a follow-up: flagged missed by the sweep. */
  missedAgo?: number[];
  /** The day (before today) the person was found unwell. */
  unwellAgo?: number;
  /** Released on its end date, or transferred to hospital, this many days before today. */
  end?: { ago: number; how: 'release' | 'hospital' };
}

const GRID_PLANS: readonly Plan[] = [
  { startedAgo: 10, days: 14, carers: ['volunteer', 'gridworker'], reason: '密切接触者', missedAgo: [3] },
  { startedAgo: 5, days: 14, carers: ['gridworker'], reason: '重点地区返回人员', unwellAgo: 1 },
  { startedAgo: 0, days: 14, carers: ['volunteer'], reason: '卡口转交：14 天内到过重点地区' },
  { startedAgo: 13, days: 14, carers: ['volunteer', 'gridworker'], reason: '密切接触者' },
  {
    startedAgo: 20,
    days: 14,
    carers: ['gridworker'],
    reason: '重点地区返回人员',
    end: { ago: 7, how: 'release' },
  },
  { startedAgo: 8, days: 14, carers: ['gridworker'], reason: '密切接触者', end: { ago: 2, how: 'hospital' } },
];
const REASONS = ['重点地区返回人员', '密切接触者', '次密切接触者'];

/** 10:00 in Asia/Shanghai on a day, as an instant. */
const morningOf = (day: string) => `${day}T02:00:00.000Z`;

export async function seedObservations(db: DB, opts: SeedObservationsOptions) {
  const today = localDate(opts.now ?? nowIso());
  let clock = morningOf(today);
  const svc = createObservationService({ db, pii: opts.pii, now: () => clock });
  const load = async (id: number) => {
    const actor = await loadActor(db, id, 'session');
    if (!actor) throw new Error(`demo observation seed: user ${id} cannot act`);
    return { actor, requestId: 'demo-observation' };
  };
  const worker = await load(opts.gridWorkerUserId);
  const volunteer = await load(opts.volunteerUserId);
  const cadre = await load(opts.cadreUserId);
  const grid = await db
    .selectFrom('role_assignments as a')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .select(['n.id', 'n.path', 'n.parent_id'])
    .where('a.user_id', '=', opts.gridWorkerUserId)
    .executeTakeFirstOrThrow();
  const peopleIn = (nodeId: number, n: number) =>
    db
      .selectFrom('persons')
      .select('id')
      .where('node_id', '=', nodeId)
      .where('merged_into_id', 'is', null)
      .orderBy('residence_type')
      .orderBy('id')
      .limit(n)
      .execute();

  async function run(personId: number, p: Plan, by: typeof worker, carerIds: Record<string, number>) {
    const start = addDays(today, -p.startedAgo);
    clock = morningOf(start);
    const o = await svc.create(by, {
      personId,
      startDate: start,
      days: p.days,
      reason: p.reason,
      place: null,
      carers: p.carers.map((c) => ({
        userId: carerIds[c]!,
        kind: c === 'volunteer' ? ('party_member' as const) : ('grid_worker' as const),
      })),
      members: [],
    });
    const lastAgo = p.end ? p.end.ago : 1;
    for (let ago = p.startedAgo; ago >= lastAgo; ago--) {
      if (p.missedAgo?.includes(ago)) continue;
      const day = addDays(today, -ago);
      // Recorded in the evening of the day: released or transferred orders stop at their last day.
      clock = `${day}T11:00:00.000Z`;
      const unwell = p.unwellAgo === ago;
      const who = p.carers.includes('volunteer') && ago % 2 === 0 ? volunteer : by;
      await svc.recordFollowUp(who, o.id, day, {
        outcome: unwell ? 'unwell' : 'well',
        temperature: unwell ? 38.2 : 36.3 + ((ago * 7) % 6) / 10,
        symptoms: unwell ? ['fever', 'cough'] : [],
        needs: ago % 5 === 0 ? ['food'] : [],
        note: null,
      });
    }
    if (p.end) {
      clock = `${addDays(today, -p.end.ago)}T12:00:00.000Z`;
      await svc.step(by, o.id, { action: 'transfer', to: 'hospital', note: null });
    }
    return o.id;
  }

  const carerIds = { gridworker: opts.gridWorkerUserId, volunteer: opts.volunteerUserId };
  const mine = await peopleIn(grid.id, GRID_PLANS.length);
  let made = 0;
  for (const [i, p] of GRID_PLANS.entries()) {
    const person = mine[i];
    if (!person) break;
    // The released order is made whole: 14 days that ended a week ago, released on its end date.
    if (p.end?.how === 'release') {
      const start = addDays(today, -(p.end.ago + p.days - 1));
      clock = morningOf(start);
      const o = await svc.create(worker, {
        personId: person.id,
        startDate: start,
        days: p.days,
        reason: p.reason,
        place: null,
        carers: [{ userId: opts.gridWorkerUserId, kind: 'grid_worker' }],
        members: [],
      });
      for (let k = 0; k < p.days; k++) {
        const day = addDays(start, k);
        clock = `${day}T11:00:00.000Z`;
        await svc.recordFollowUp(worker, o.id, day, {
          outcome: 'well',
          temperature: 36.5,
          symptoms: [],
          needs: [],
          note: null,
        });
      }
      await svc.step(worker, o.id, { action: 'release', note: null });
    } else await run(person.id, p, worker, carerIds);
    made++;
  }

  // The village's other grids: a few orders each, all followed up, for the cockpit's figures.
  if (grid.parent_id !== null) {
    const others = await db
      .selectFrom('nodes')
      .select('id')
      .where('parent_id', '=', grid.parent_id)
      .where('id', '!=', grid.id)
      .where('level', '=', 'grid')
      .orderBy('code')
      .limit(3)
      .execute();
    for (const [g, other] of others.entries())
      for (const [k, person] of (await peopleIn(other.id, 2 + g)).entries()) {
        await run(
          person.id,
          { startedAgo: (g * 3 + k * 2) % 7, days: 14, carers: [], reason: REASONS[k % 3]! },
          cadre,
          carerIds,
        );
        made++;
      }
  }
  // The morning sweep of missed days, as the scheduler would run it now.
  clock = opts.now ?? nowIso();
  const { flagged } = await svc.sweep({ actor: null, requestId: 'demo-observation-sweep' });
  return { orders: made, flagged };
}
