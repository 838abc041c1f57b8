// The demo's psychological care, made through the care service with a clock that walks back through
// the last days: the demo counsellor (district) sent scales to people in home observation; most came
// back with their bands spread from minimal to moderately severe, one raised a crisis alert two days
// ago that the counsellor acknowledged (a case with a call recorded and the next call due today),
// one raised an urgent alert minutes ago that waits for the counsellor, and some links are still
// waiting (one half filled). The grid worker sent one too. seed.ts calls it after home observation.
import { addDays, localDate } from '../../common/worktime.js';
import type { DB } from '../db/index.js';
import { nowIso } from '../db/index.js';
import { createCareService } from '../modules/care/index.js';
import { loadActor } from '../platform/auth.js';
import type { PiiCipher } from '../platform/pii.js';

export interface SeedCareOptions {
  pii: PiiCipher;
  counsellorUserId: number;
  gridWorkerUserId: number;
  now?: string;
}

type Plan =
  | {
      scale: 'PHQ-9' | 'GAD-7';
      sentAgoMin: number;
      answers: (number | null)[];
      then?: 'acknowledge' | 'case';
    }
  | { scale: 'PHQ-9' | 'GAD-7'; sentAgoMin: number; draft?: (number | null)[] };

const MIN = 60_000;
const DAY_MIN = 24 * 60;
// PHQ-9 answers are nine items and the unscored tenth; GAD-7 seven.
const PLANS: readonly Plan[] = [
  { scale: 'PHQ-9', sentAgoMin: 4 * DAY_MIN, answers: [1, 0, 1, 1, 0, 0, 0, 0, 0, 0] },
  { scale: 'PHQ-9', sentAgoMin: 3 * DAY_MIN, answers: [1, 1, 2, 1, 1, 1, 0, 1, 0, 1] },
  { scale: 'GAD-7', sentAgoMin: 3 * DAY_MIN, answers: [2, 2, 2, 1, 1, 2, 1] },
  {
    scale: 'PHQ-9',
    sentAgoMin: 3 * DAY_MIN,
    answers: [2, 2, 2, 2, 2, 2, 2, 2, 0, 2],
    then: 'case',
  },
  // Item 9 at "several days" with a low total: the crisis rule holds whatever the total.
  {
    scale: 'PHQ-9',
    sentAgoMin: 2 * DAY_MIN + 60,
    answers: [1, 1, 1, 0, 1, 1, 0, 0, 1, 1],
    then: 'acknowledge',
  },
  { scale: 'GAD-7', sentAgoMin: 2 * DAY_MIN, answers: [0, 1, 0, 0, 1, 0, 0] },
  { scale: 'PHQ-9', sentAgoMin: DAY_MIN, draft: [1, 2, 1, null, null, null, null, null, null, null] },
  { scale: 'GAD-7', sentAgoMin: 6 * 60 },
  // The one waiting for the counsellor: item 9 at "more than half the days", sent this morning.
  { scale: 'PHQ-9', sentAgoMin: 3 * 60, answers: [2, 2, 1, 2, 1, 2, 1, 0, 2, 2] },
];

export async function seedCare(db: DB, opts: SeedCareOptions) {
  const real = opts.now ?? nowIso();
  let clock = real;
  const at = (agoMin: number) => new Date(Date.parse(real) - agoMin * MIN).toISOString();
  const svc = createCareService({ db, pii: opts.pii, now: () => clock });
  const load = async (id: number) => {
    const actor = await loadActor(db, id, 'session');
    if (!actor) throw new Error(`demo care seed: user ${id} cannot act`);
    return { actor, requestId: 'demo-care' };
  };
  const counsellor = await load(opts.counsellorUserId);
  const worker = await load(opts.gridWorkerUserId);
  // People in home observation now, the grid worker's own first.
  const grid = await db
    .selectFrom('role_assignments')
    .select('node_id')
    .where('user_id', '=', opts.gridWorkerUserId)
    .executeTakeFirstOrThrow();
  const observed = await db
    .selectFrom('observation_orders')
    .select(['person_id', 'node_id'])
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
  const people = [...new Set(observed.map((o) => o.person_id))];
  const inGrid = observed.find((o) => o.node_id === grid.node_id)?.person_id;
  if (people.length === 0) return;

  for (const [i, p] of PLANS.entries()) {
    const personId = people[i % people.length]!;
    clock = at(p.sentAgoMin);
    const link = await svc.sendLink(counsellor, p.scale, { personId, hours: 7 * 24 });
    if ('answers' in p) {
      clock = at(p.sentAgoMin - 40);
      await svc.submit({ actor: null, requestId: 'demo-care' }, link.token, p.answers);
      if (p.then === 'acknowledge') {
        clock = at(p.sentAgoMin - 55);
        const alert = (await svc.alerts(counsellor)).items.find(
          (a) => a.person.id === personId && a.status === 'open',
        );
        if (alert) {
          const acked = await svc.acknowledge(counsellor, alert.id);
          if (acked.caseId) {
            clock = at(p.sentAgoMin - 70);
            await svc.addContact(counsellor, acked.caseId, {
              kind: 'call',
              note: '电话联系本人，情绪低落，睡眠差；已告知心理援助热线，约定每两天电话随访',
              nextContactOn: localDate(real),
              risk: 'high',
            });
          }
        }
      }
      if (p.then === 'case') {
        clock = at(p.sentAgoMin - 24 * 60);
        const c = await svc.openCase(counsellor, personId);
        await svc.addContact(counsellor, c.id, {
          kind: 'visit',
          note: '与网格员一同上门，隔窗交流；家属陪伴，愿意继续沟通',
          nextContactOn: addDays(localDate(real), 0),
          risk: 'moderate',
        });
      }
    } else if (p.draft) {
      clock = at(p.sentAgoMin - 30);
      await svc.saveDraft(link.token, p.draft);
    }
  }
  // The grid worker sends one to a person of their own grid, not filled yet.
  if (inGrid !== undefined) {
    clock = at(90);
    await svc.sendLink(worker, 'GAD-7', { personId: inGrid });
  }
}
