// The demo's screening sweep (摸排), made through the screening service itself so that its targets,
// counters, audit rows and live updates are those of a real one: the floating residents of the
// street the demo accounts work in, under the demo's command, the demo seconded cadre paired with the
// grid worker's grid. Grids stand at different completion; the grid worker's list is half done (one
// answer at high risk, not yet ordered home observation) and its other half waits for them and the
// cadre. seed.ts calls it after home observation.
import { addDays, localDate } from '../../common/worktime.js';
import type { Answers } from '../../common/questionnaire.js';
import type { DB } from '../db/index.js';
import { nowIso } from '../db/index.js';
import { createScreeningService } from '../modules/screening/index.js';
import { loadActor } from '../platform/auth.js';
import type { PiiCipher } from '../platform/pii.js';

export interface SeedSweepOptions {
  pii: PiiCipher;
  commandId: number;
  /** Starts the sweep (the town commander of the street). */
  townCommanderUserId: number;
  gridWorkerUserId: number;
  /** Sent down from a district office: paired with the grid worker's grid. */
  secondedUserId: number;
  /** Records the visits of the other grids (the district's administrator stands in for their workers). */
  adminUserId: number;
  now?: string;
}

/** The share of each other grid's list visited, in turn: some grids ahead, some behind, one not started. */
const SHARES = [0.9, 0.7, 0.35, 1, 0.15, 0, 0.6];
/** Visits recorded per grid at most (the district-scale demo's grids are large). */
const MAX_VISITS_PER_GRID = 80;

const LOW: Answers = { returned_key_area: false, close_contact: false, temperature: 36.5, symptoms: [] };
const medium = (today: string): Answers => ({
  returned_key_area: true,
  returned_from: '湖北省武汉市',
  returned_on: addDays(today, -9),
  close_contact: false,
  temperature: 36.7,
  symptoms: [],
});
const high = (today: string): Answers => ({
  returned_key_area: true,
  returned_from: '湖北省武汉市',
  returned_on: addDays(today, -4),
  close_contact: true,
  temperature: 37.6,
  symptoms: ['fever', 'cough'],
});

export async function seedSweep(db: DB, opts: SeedSweepOptions) {
  const today = localDate(opts.now ?? nowIso());
  const svc = createScreeningService({ db, pii: opts.pii, ...(opts.now ? { now: () => opts.now! } : {}) });
  const load = async (id: number) => {
    const actor = await loadActor(db, id, 'session');
    if (!actor) throw new Error(`demo sweep seed: user ${id} cannot act`);
    return { actor, requestId: 'demo-sweep' };
  };
  const commander = await load(opts.townCommanderUserId);
  const worker = await load(opts.gridWorkerUserId);
  const admin = await load(opts.adminUserId);
  const grid = await db
    .selectFrom('role_assignments as a')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .select(['n.id', 'n.path'])
    .where('a.user_id', '=', opts.gridWorkerUserId)
    .executeTakeFirstOrThrow();
  const town = await db
    .selectFrom('role_assignments')
    .select('node_id')
    .where('user_id', '=', opts.townCommanderUserId)
    .executeTakeFirstOrThrow();
  const questionnaire = await db
    .selectFrom('questionnaires')
    .select('id')
    .where('code', '=', 'epidemic_screening')
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow();
  const sweep = await svc.create(commander, {
    name: '流动人口入户摸排',
    commandId: opts.commandId,
    questionnaireId: questionnaire.id,
    nodeId: town.node_id,
    population: { kind: 'floating' },
    deadline: addDays(today, 5),
  });
  await svc.pair(commander, sweep.id, { gridId: grid.id, userId: opts.secondedUserId });

  const targets = await db
    .selectFrom('sweep_targets')
    .select(['id', 'node_id'])
    .where('sweep_id', '=', sweep.id)
    .orderBy('node_path')
    .orderBy('household_id')
    .orderBy('id')
    .execute();
  const byGrid = new Map<number, number[]>();
  for (const t of targets) byGrid.set(t.node_id, [...(byGrid.get(t.node_id) ?? []), t.id]);
  let other = 0;
  for (const [gridId, ids] of byGrid) {
    const mine = gridId === grid.id;
    const share = mine ? 0.5 : SHARES[other++ % SHARES.length]!;
    const n = Math.min(MAX_VISITS_PER_GRID, Math.floor(ids.length * share));
    for (let i = 0; i < n; i++) {
      // Mostly answered and low; now and then nobody home (still to visit), moved away, refused; one
      // medium and, in the grid worker's list, one high-risk answer waiting for an observation order.
      const body =
        mine && i === 1
          ? { outcome: 'answered' as const, answers: high(today) }
          : i % 11 === 3
            ? { outcome: 'not_home' as const }
            : i % 17 === 5
              ? { outcome: 'moved' as const }
              : i % 23 === 7
                ? { outcome: 'refused' as const }
                : i % 7 === 2
                  ? { outcome: 'answered' as const, answers: medium(today) }
                  : { outcome: 'answered' as const, answers: LOW };
      await svc.visit(mine ? worker : admin, sweep.id, ids[i]!, body);
    }
  }
  return { sweepId: sweep.id, targets: targets.length };
}
