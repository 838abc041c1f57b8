// The demo's week of passages at checkpoints another seed set up (their ids given): registered
// through the passages service itself, as by a member of staff whose clock walks through the week,
// so that every passage carries its people (ID numbers and phones encrypted and blind-indexed), its
// hourly count, its cockpit counters and its audit row as a real one would. Some travellers are
// risky (from a key region of the checkpoint's command, or with a fever) and bound for the demo grid
// worker's grid: they become hand-offs there; those older than a day were visited by the worker, the
// rest are open, and the sweep at the end escalates the ones past due. seed.ts calls it after the
// defence seed has set up the checkpoints.
import { idCheckChar } from '../../common/validators.js';
import type { DB } from '../db/index.js';
import { createPassagesService } from '../modules/defence/index.js';
import { loadActor } from '../platform/auth.js';
import type { PiiCipher } from '../platform/pii.js';
import { personName, pick, prng } from './names.js';

export interface SeedPassagesOptions {
  pii: PiiCipher;
  /** The checkpoints to register at (open ones; others are skipped by the service's refusal). */
  checkpointIds: readonly number[];
  /** Who registers: a user with passages.register over every checkpoint (the demo admin will do). */
  registeredByUserId: number;
  /** The grid risky travellers are bound for (the demo grid worker's). */
  destinationGridId: number;
  /** Who visits the older hand-offs (the demo grid worker); none are visited without one. */
  gridWorkerUserId?: number;
  /** The end of the week (now by default). */
  now?: string;
  days?: number;
  perCheckpointPerDay?: number;
  /** One passage in this many has a risky traveller. */
  riskyEvery?: number;
}

// Where the demo's travellers come from: mostly Hangzhou and Zhejiang, some further; 420106 is Wuhan's Wuchang.
const ORIGINS = [
  '330106',
  '330110',
  '330105',
  '330111',
  '330781',
  '330282',
  '310115',
  '320505',
  '340104',
  '420106',
];
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const VEHICLES = ['car', 'car', 'car', 'van', 'truck', 'motorcycle', 'bus'] as const;

const MS_PER_DAY = 86_400_000;

export async function seedPassages(db: DB, opts: SeedPassagesOptions) {
  const end = Date.parse(opts.now ?? new Date().toISOString());
  const days = opts.days ?? 7;
  const perDay = opts.perCheckpointPerDay ?? 12;
  const riskyEvery = opts.riskyEvery ?? 15;
  const rng = prng(20261206);
  let clock = new Date(end - days * MS_PER_DAY).toISOString();
  const svc = createPassagesService({ db, pii: opts.pii, now: () => clock });
  const actor = await loadActor(db, opts.registeredByUserId, 'session');
  if (!actor) throw new Error('seedPassages: the registering user does not exist');
  const ctx = { actor, requestId: 'demo-passages' };

  // Every passage's time, spread over the week by day and hour, in order.
  const times: { at: number; checkpointId: number }[] = [];
  for (const checkpointId of opts.checkpointIds)
    for (let d = 0; d < days; d++)
      for (let i = 0; i < perDay; i++) {
        // More traffic by day (06:00–22:00 local) than at night.
        const hourLocal = rng() < 0.85 ? 6 + Math.floor(rng() * 16) : Math.floor(rng() * 24);
        const at =
          end - (days - d) * MS_PER_DAY + (hourLocal - 8) * 3_600_000 + Math.floor(rng() * 3_600_000);
        if (at < end && at >= end - days * MS_PER_DAY) times.push({ at, checkpointId });
      }
  times.sort((a, b) => a.at - b.at);

  let n = 0;
  let risky = 0;
  const handoffs: { id: number; at: number }[] = [];
  for (const t of times) {
    n++;
    clock = new Date(t.at).toISOString();
    const isRisky = n % riskyEvery === 0;
    const aboard = 1 + Math.floor(rng() * 3);
    const people = Array.from({ length: aboard }, (_, j) => {
      const year = 1950 + Math.floor(rng() * 55);
      const birth = `${year}${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}${String(1 + Math.floor(rng() * 28)).padStart(2, '0')}`;
      const first17 = `${pick(rng, ORIGINS)}${birth}${String(Math.floor(rng() * 1000)).padStart(3, '0')}`;
      return {
        name: personName(rng),
        idNumber: first17 + idCheckChar(first17),
        phone: `13${Math.floor(rng() * 10)}${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`,
        // The first traveller of a risky passage has a fever.
        ...(isRisky && j === 0 ? { answers: { temperature: 37.8 + Math.round(rng() * 10) / 10 } } : {}),
      };
    });
    const plate = `浙${pick(rng, ['A', 'A', 'A', 'B', 'C', 'D'])}${Array.from({ length: 5 }, () =>
      rng() < 0.6 ? String(Math.floor(rng() * 10)) : PLATE_LETTERS[Math.floor(rng() * PLATE_LETTERS.length)],
    ).join('')}`;
    const out = await svc.register(ctx, `demo-passage-${n}`, {
      checkpointId: t.checkpointId,
      direction: rng() < 0.55 ? 'in' : 'out',
      plate,
      vehicleType: pick(rng, VEHICLES),
      people,
      originRegion: isRisky ? '420106' : pick(rng, ORIGINS),
      destinationNodeId: isRisky ? opts.destinationGridId : null,
      answers: { keyRegion14d: false, caseContact: false, temperature: 36.5 },
    });
    if (out.passage.risky) risky++;
    for (const p of out.passage.people)
      if (p.handoffId !== null) handoffs.push({ id: p.handoffId, at: t.at });
  }

  // The worker visited the hand-offs older than a day; the sweep escalates the open ones past due.
  clock = new Date(end).toISOString();
  let visited = 0;
  if (opts.gridWorkerUserId !== undefined) {
    const worker = await loadActor(db, opts.gridWorkerUserId, 'session');
    if (worker)
      for (const h of handoffs)
        if (h.at < end - MS_PER_DAY) {
          await svc.step({ actor: worker, requestId: 'demo-handoffs' }, h.id, { action: 'visit' });
          visited++;
        }
  }
  const swept = await svc.sweep({ actor: null, requestId: 'demo-handoff-sweep' });
  return { passages: n, risky, handoffs: handoffs.length, visited, escalated: swept.escalated };
}
