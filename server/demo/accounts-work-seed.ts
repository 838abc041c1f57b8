// Work waiting for the demo's own accounts: cases in the cadre's village and the grid worker's grid in
// every state of the closed loop, taken there step by step by the accounts themselves through the
// events service (its role checks, clocks, notifications, rollup and audit), and by residents through
// the public form and the tracking page. So on a fresh start the cadre has cases to file and dispatch,
// the handler cases to sign for and handle, the grid worker cases to verify — each in their tasks.
// Runs after the 90 days of history; its steps fall in the last few days, its clocks mostly still run.
import type { EventActionBody } from '../../common/contracts/events.js';
import type { DB } from '../db/index.js';
import { loadActor } from '../platform/auth.js';
import type { RequestContext } from '../platform/actor.js';
import type { PiiCipher } from '../platform/pii.js';
import { createEventsService } from '../modules/events/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Who takes a step: the demo accounts by their username, or the resident who reported. */
type Who = 'cadre' | 'gridworker' | 'handler' | 'resident';
type Step =
  | { by: Exclude<Who, 'resident'>; body: Omit<EventActionBody, 'departmentId'>; gapH: number }
  | { by: 'resident'; satisfied: boolean; comment?: string; gapH: number };

interface Case {
  /** The state the case is left in (checked after its last step). */
  state: string;
  /** 0: the grid worker's grid; 1: another grid of the cadre's village. */
  grid: 0 | 1;
  category: string;
  title: string;
  description: string;
  /** Patrol by the grid worker (grid 0) or the cadre, or the public form by a resident. */
  reportedBy: 'staff' | 'resident';
  /** Hours between the report and the first step, then each step's own gap to the one before. */
  steps: Step[];
  /** Minutes before now of the last step (or of the report when there is none). */
  lastMinutesAgo: number;
}

// Who does what, as in real use: the cadre files, dispatches, parks and closes (events.triage at the
// village); the department's handler signs, returns, asks for more time and feeds back; the grid
// worker verifies on site (events.verify in the grid); the resident rates from the tracking page.
const accept: Step = { by: 'cadre', body: { action: 'accept' }, gapH: 1.5 };
const dispatch = (gapH = 0.5): Step => ({ by: 'cadre', body: { action: 'dispatch' }, gapH });
const sign = (gapH = 1): Step => ({ by: 'handler', body: { action: 'sign' }, gapH });
const feedBack = (note: string, gapH = 6): Step => ({
  by: 'handler',
  body: { action: 'feed_back', note },
  gapH,
});
const verifyPass = (gapH = 2): Step => ({ by: 'gridworker', body: { action: 'verify_pass' }, gapH });

// The clocked states (dispatched, in progress, extension requested, handled) take their last step
// recently, so the sweep leaves them in the village; one dispatched case is left overdue on purpose.
const CASES: readonly Case[] = [
  {
    state: 'reported',
    grid: 0,
    category: 'environment.garbage',
    title: '河边垃圾堆放',
    description: '章坂溪边有人倾倒生活垃圾，约两车，气味较大。',
    reportedBy: 'staff',
    steps: [],
    lastMinutesAgo: 40,
  },
  {
    state: 'reported',
    grid: 1,
    category: 'streetscape.facility',
    title: '路灯不亮',
    description: '村口到文化礼堂一段路灯连续三晚不亮，老人晚上出行不便。',
    reportedBy: 'resident',
    steps: [],
    lastMinutesAgo: 180,
  },
  {
    state: 'accepted',
    grid: 0,
    category: 'streetscape.street_vendor',
    title: '早市占道经营',
    description: '早市摊位摆到机动车道上，早高峰车辆通行困难。',
    reportedBy: 'staff',
    steps: [accept],
    lastMinutesAgo: 25,
  },
  {
    state: 'rejected',
    grid: 0,
    category: 'environment.burning',
    title: '田间焚烧秸秆',
    description: '反映后山田里有人焚烧秸秆。',
    reportedBy: 'resident',
    steps: [
      { by: 'cadre', body: { action: 'reject', reason: '经核实为清明祭扫，已现场劝导，不属实' }, gapH: 3 },
    ],
    lastMinutesAgo: 60 * 30,
  },
  {
    state: 'closed',
    grid: 0,
    category: 'streetscape.facility',
    title: '公交站台座椅损坏',
    description: '章坂公交站台座椅一块木板断裂。',
    reportedBy: 'staff',
    steps: [
      {
        by: 'cadre',
        body: { action: 'close', closeReason: 'cancelled', reason: '公交公司已自行更换，撤销' },
        gapH: 5,
      },
    ],
    lastMinutesAgo: 60 * 50,
  },
  {
    state: 'dispatched',
    grid: 0,
    category: 'streetscape.facility',
    title: '井盖破损',
    description: '村委会门口路面井盖破损下陷，已临时摆放警示锥。',
    reportedBy: 'staff',
    steps: [accept, dispatch()],
    lastMinutesAgo: 15,
  },
  {
    // Dispatched two days ago and not yet signed for: overdue, the first thing in the handler's tasks.
    state: 'dispatched',
    grid: 1,
    category: 'environment.garbage',
    title: '小区门口建筑垃圾',
    description: '装修建筑垃圾堆在路口，占了半幅路面。',
    reportedBy: 'staff',
    steps: [accept, dispatch()],
    lastMinutesAgo: 60 * 50,
  },
  {
    state: 'returned',
    grid: 0,
    category: 'streetscape.facility',
    title: '桥面护栏松动',
    description: '章坂桥西侧护栏有两段松动，小孩常在桥上玩耍。',
    reportedBy: 'staff',
    steps: [
      accept,
      dispatch(),
      { by: 'handler', body: { action: 'return', reason: '桥梁护栏属交通部门养护，请改派' }, gapH: 2 },
    ],
    lastMinutesAgo: 90,
  },
  {
    state: 'in_progress',
    grid: 0,
    category: 'streetscape.street_vendor',
    title: '校门口流动摊贩',
    description: '放学时段校门口流动摊贩聚集，堵塞接送通道。',
    reportedBy: 'resident',
    steps: [accept, dispatch(), sign()],
    lastMinutesAgo: 30,
  },
  {
    state: 'in_progress',
    grid: 1,
    category: 'environment.garbage',
    title: '路边垃圾桶满溢',
    description: '路边三个垃圾桶满溢两天无人清运。',
    reportedBy: 'staff',
    steps: [accept, dispatch(), sign(2)],
    lastMinutesAgo: 50,
  },
  {
    state: 'extension_requested',
    grid: 0,
    category: 'streetscape.facility',
    title: '村道路面塌陷',
    description: '村道一处路面塌陷约一平方米，需要重新浇筑。',
    reportedBy: 'staff',
    steps: [
      accept,
      dispatch(),
      sign(),
      {
        by: 'handler',
        body: { action: 'request_extension', hours: 16, reason: '需等混凝土养护期，申请延期' },
        gapH: 0.5,
      },
    ],
    lastMinutesAgo: 20,
  },
  {
    state: 'parked',
    grid: 0,
    category: 'streetscape.facility',
    title: '文化礼堂屋顶漏雨',
    description: '文化礼堂屋顶多处漏雨，需整体翻修。',
    reportedBy: 'staff',
    steps: [
      accept,
      dispatch(),
      sign(),
      {
        by: 'cadre',
        body: { action: 'park', reviewOn: '', reason: '需纳入明年村级项目解决' },
        gapH: 24,
      },
    ],
    lastMinutesAgo: 60 * 20,
  },
  {
    state: 'handled',
    grid: 0,
    category: 'environment.garbage',
    title: '河边垃圾堆放',
    description: '溪滩上堆放了废弃家具和生活垃圾。',
    reportedBy: 'resident',
    steps: [accept, dispatch(), sign(), feedBack('已清理并拍照留存')],
    lastMinutesAgo: 35,
  },
  {
    state: 'handled',
    grid: 0,
    category: 'streetscape.street_vendor',
    title: '早市占道经营',
    description: '早市摊位占用人行道，行人只能走机动车道。',
    reportedBy: 'staff',
    steps: [accept, dispatch(), sign(), feedBack('已劝离并划定临时摊位', 3)],
    lastMinutesAgo: 10,
  },
  {
    state: 'closed',
    grid: 0,
    category: 'environment.garbage',
    title: '小区门口建筑垃圾',
    description: '路口堆放装修垃圾。',
    reportedBy: 'staff',
    steps: [accept, dispatch(), sign(), feedBack('已联系责任单位整改到位'), verifyPass()],
    lastMinutesAgo: 60 * 26,
  },
  {
    state: 'evaluated',
    grid: 0,
    category: 'streetscape.facility',
    title: '路灯不亮',
    description: '章坂溪边步道路灯不亮。',
    reportedBy: 'resident',
    steps: [
      accept,
      dispatch(),
      sign(),
      feedBack('已修复，恢复正常'),
      verifyPass(),
      { by: 'resident', satisfied: true, gapH: 10 },
    ],
    lastMinutesAgo: 60 * 40,
  },
  {
    state: 'reopened',
    grid: 0,
    category: 'environment.garbage',
    title: '路边垃圾桶满溢',
    description: '垃圾桶满溢，周边污水横流。',
    reportedBy: 'resident',
    steps: [
      accept,
      dispatch(),
      sign(),
      feedBack('已清理'),
      verifyPass(),
      { by: 'resident', satisfied: false, comment: '第二天又满了，应增加清运次数', gapH: 20 },
    ],
    lastMinutesAgo: 120,
  },
];

/** The states the cases are left in, every one of the workflow's: the seed test checks them all. */
export const ACCOUNTS_WORK_STATES: readonly string[] = [...new Set(CASES.map((c) => c.state))];

/**
 * Seeds the cases above into the cadre's village: the grid worker's grid and one other grid of the
 * village, dispatched to the handler's department. Returns how many cases it made.
 */
export async function seedDemoAccountsWork(db: DB, opts: { pii: PiiCipher; now?: Date }): Promise<number> {
  const realNow = (opts.now ?? new Date()).getTime();
  let clock = realNow;
  const events = createEventsService({ db, pii: opts.pii, now: () => new Date(clock).toISOString() });

  const placed = await db
    .selectFrom('users as u')
    .innerJoin('role_assignments as a', 'a.user_id', 'u.id')
    .innerJoin('nodes as n', 'n.id', 'a.node_id')
    .select(['u.id', 'u.username', 'n.id as nodeId', 'n.path', 'n.parent_id'])
    .where('u.username', 'in', ['cadre', 'gridworker', 'handler'])
    .execute();
  const at = (username: string) => {
    const p = placed.find((x) => x.username === username);
    if (!p) throw new Error(`demo has no account ${username}`);
    return p;
  };
  const cadre = at('cadre');
  const gridworker = at('gridworker');
  if (gridworker.parent_id !== cadre.nodeId)
    throw new Error('demo: the grid worker’s grid is not in the cadre’s village');
  const otherGrid = await db
    .selectFrom('nodes')
    .select(['id', 'path'])
    .where('parent_id', '=', cadre.nodeId)
    .where('id', '!=', gridworker.nodeId)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const grids = await db
    .selectFrom('nodes')
    .select(['id', 'centroid_lat', 'centroid_lng'])
    .where('id', 'in', [gridworker.nodeId, otherGrid.id])
    .execute();
  const gridOf = (i: 0 | 1) => grids.find((g) => g.id === (i === 0 ? gridworker.nodeId : otherGrid.id))!;
  const team = await db
    .selectFrom('department_members')
    .select('department_id')
    .where('user_id', '=', at('handler').id)
    .orderBy('department_id')
    .executeTakeFirstOrThrow();
  const categories = new Map(
    (await db.selectFrom('event_categories').selectAll().where('parent_id', 'is not', null).execute()).map(
      (c) => [c.code, c],
    ),
  );

  const ctxOf = new Map<string, RequestContext>();
  for (const who of ['cadre', 'gridworker', 'handler'] as const)
    ctxOf.set(who, { actor: await loadActor(db, at(who).id, 'session'), requestId: 'demo-accounts-work' });
  const resident: RequestContext = { actor: null, requestId: 'demo-accounts-work' };

  let made = 0;
  for (const [n, c] of CASES.entries()) {
    const category = categories.get(c.category);
    if (!category) throw new Error(`demo: no event category ${c.category}`);
    // Back from the last step to the report, each step its gap earlier.
    const times: number[] = [];
    let t = realNow - c.lastMinutesAgo * 60_000;
    for (let i = c.steps.length - 1; i >= 0; i--) {
      times.unshift(t);
      t -= c.steps[i]!.gapH * HOUR;
    }
    const reportedAt = t;

    const grid = gridOf(c.grid);
    const attributes: Record<string, string | number> = {};
    for (const f of JSON.parse(category.extra_fields) as {
      code: string;
      type: string;
      required: boolean;
      choices?: string[];
    }[])
      if (f.required)
        attributes[f.code] = f.type === 'choice' ? f.choices![0]! : f.type === 'text' ? '见描述' : 3;
    // A point inside the grid, spread a little so the case map shows them apart.
    const point =
      grid.centroid_lat !== null && grid.centroid_lng !== null
        ? {
            lat: Math.round((grid.centroid_lat + ((n % 5) - 2) * 0.0004) * 1e6) / 1e6,
            lng: Math.round((grid.centroid_lng + ((Math.floor(n / 5) % 4) - 1.5) * 0.0004) * 1e6) / 1e6,
          }
        : {};
    const base = {
      categoryId: category.id,
      nodeId: grid.id,
      description: c.description,
      attributes,
      ...point,
    };

    clock = reportedAt;
    let id: number;
    let trackingCode: string;
    if (c.reportedBy === 'resident') {
      ({ id, trackingCode } = await events.reportPublic(resident, {
        ...base,
        title: c.title,
        name: '群众',
        phone: `1380571${String(2000 + n * 37).padStart(4, '0')}`,
      }));
    } else {
      // The grid worker patrols their own grid; the cadre reports in the village's other grids.
      const reporter = ctxOf.get(c.grid === 0 ? 'gridworker' : 'cadre')!;
      const res = await events.report(reporter, { ...base, title: c.title, channel: 'patrol' });
      ({ id, trackingCode } = res.event);
    }
    made++;

    for (const [i, step] of c.steps.entries()) {
      clock = times[i]!;
      if (step.by === 'resident') {
        await events.evaluatePublic(resident, trackingCode, {
          satisfied: step.satisfied,
          ...(step.comment ? { comment: step.comment } : {}),
        });
        continue;
      }
      const body: EventActionBody =
        step.body.action === 'dispatch'
          ? { ...step.body, departmentId: team.department_id }
          : step.body.action === 'park'
            ? { ...step.body, reviewOn: new Date(clock + 60 * DAY).toISOString().slice(0, 10) }
            : step.body;
      await events.act(ctxOf.get(step.by)!, id, body);
    }
    const state = await db
      .selectFrom('events')
      .select('state')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (state.state !== c.state)
      throw new Error(`demo: case “${c.title}” ended ${state.state}, planned ${c.state}`);
  }
  return made;
}
