// The demo district's joint handling: events over the past 90 days in every state, channel, level and
// category, replayed through the events service on a simulated clock — so history, deadlines, the
// KPI rollup, escalations by the sweep and the audit are exactly what real use would have left. A few
// carry photos (server/demo/photos.ts), uploaded and claimed through the service like the web's.
import type { EventActionBody } from '../../common/contracts/events.js';
import { addWorkingHours, makeCalendar } from '../../common/worktime.js';
import type { DB } from '../db/index.js';
import { loadActor } from '../platform/auth.js';
import { AppError } from '../platform/errors.js';
import type { PiiCipher } from '../platform/pii.js';
import { createEventsService } from '../modules/events/index.js';
import { prng } from './names.js';
import type { DemoScale } from './layout.js';
import { demoPhoto } from './photos.js';

const DAY = 86_400_000;
const TITLES: Record<string, string[]> = {
  'dispute.neighbour': ['楼上漏水引发邻里争吵', '宅基地界址争议', '噪音扰邻多次协商未果'],
  'dispute.family': ['赡养老人费用分担纠纷', '夫妻矛盾需调解'],
  'dispute.land': ['山林承包边界不清', '土地流转租金纠纷'],
  'dispute.wage': ['工地拖欠农民工工资', '厂里三个月未发工资'],
  'dispute.property': ['物业费上涨业主不满', '小区电梯长期故障物业不修'],
  'security.suspicious': ['出租房内人员频繁进出', '深夜有人撬电动车'],
  'security.gambling': ['棋牌室疑似聚众赌博'],
  'security.fraud': ['老人接到冒充公检法电话'],
  'safety.fire_hazard': ['楼道堆放杂物堵塞通道', '电动车在楼道充电'],
  'safety.gas': ['餐馆液化气瓶摆放不规范', '闻到燃气味'],
  'safety.construction': ['工地脚手架无防护网'],
  'safety.hazardous': ['化工厂旁疑有泄漏气味'],
  'environment.garbage': ['河边垃圾堆放', '小区门口建筑垃圾', '路边垃圾桶满溢'],
  'environment.sewage': ['小河发黑发臭', '餐饮店污水直排'],
  'environment.burning': ['田间焚烧秸秆', '空地焚烧垃圾'],
  'environment.noise': ['夜间施工噪音扰民', '广场舞音响过大'],
  'streetscape.illegal_building': ['屋顶违章搭建', '占用绿地搭棚'],
  'streetscape.street_vendor': ['早市占道经营', '校门口流动摊贩'],
  'streetscape.parking': ['消防通道被占用停车', '人行道乱停车'],
  'streetscape.facility': ['路灯不亮', '井盖破损', '公交站台座椅损坏'],
  'livelihood.elderly_care': ['独居老人需要帮助', '高龄老人行动不便求助'],
  'livelihood.water_power': ['片区停水未通知', '线路老化频繁跳闸'],
  'livelihood.road': ['村道塌陷', '桥面坑洼'],
  'livelihood.medical': ['慢性病老人取药困难'],
  'epidemic.arrival': ['外地返乡人员报备', '中高风险地区来人'],
  'epidemic.fever': ['家中老人发热'],
  'epidemic.gathering': ['村里办酒席聚集'],
  'other.other': ['咨询社保办理', '反映路牌错误'],
};
const NOTES = [
  '已到现场处置完毕',
  '已联系责任单位整改到位',
  '已清理并拍照留存',
  '已调解，双方签订协议',
  '已修复，恢复正常',
];
/** Problems a street photo shows: some of their reports carry one, and the feedback one of the place cleaned up. */
const PHOTO_CATEGORIES = new Set([
  'environment.garbage',
  'environment.burning',
  'safety.fire_hazard',
  'streetscape.illegal_building',
  'streetscape.street_vendor',
  'streetscape.parking',
  'streetscape.facility',
]);
/** At most this many events with photos whatever the scale: enough to see, quick to draw (a few ms each). */
const PHOTO_EVENTS = 16;

/** What becomes of an event: the steps it goes through, as far as time allows. */
function plan(r: () => number, reportedAt: number, now: number): (EventActionBody & { gapH: number })[] {
  const ageDays = (now - reportedAt) / DAY;
  const x = r();
  const gap = (lo: number, hi: number) => lo + r() * (hi - lo);
  const steps: (EventActionBody & { gapH: number })[] = [];
  const add = (b: EventActionBody, lo: number, hi: number) => steps.push({ ...b, gapH: gap(lo, hi) });
  if (x < 0.04) {
    add({ action: 'reject', reason: '经核实不属实' }, 0.5, 6);
    return steps;
  }
  if (x < 0.07) {
    add({ action: 'close', closeReason: 'cancelled', reason: '群众已自行解决，撤销' }, 0.5, 6);
    return steps;
  }
  add({ action: 'accept' }, 0.2, 4);
  if (r() < 0.06) add({ action: 'escalate', reason: '涉及多个部门，需上级协调' }, 0.2, 3);
  add({ action: 'dispatch' }, 0.2, 3);
  if (r() < 0.05) {
    add({ action: 'return', reason: '不属于本部门职责' }, 1, 8);
    add({ action: 'dispatch' }, 0.5, 4);
  }
  // Mostly signed in time; some late, which the sweep notices.
  const onTime = r() < 0.85;
  add({ action: 'sign' }, onTime ? 0.2 : 6, onTime ? 3 : 30);
  if (r() < 0.05) {
    add({ action: 'request_extension', hours: 16, reason: '需协调多部门，申请延期' }, 2, 12);
    add(
      {
        action: r() < 0.7 ? 'approve_extension' : 'refuse_extension',
        ...(r() < 0.3 ? { reason: '时限内必须完成' } : {}),
      },
      1,
      6,
    );
  }
  if (r() < 0.03) {
    add(
      {
        action: 'park',
        reviewOn: new Date(now + 30 * DAY).toISOString().slice(0, 10),
        reason: '需纳入明年项目解决',
      },
      2,
      20,
    );
    return steps;
  }
  // Handling takes longer for older events' categories; a few run past their limit.
  const quick = r() < 0.8;
  add({ action: 'feed_back', note: NOTES[Math.floor(r() * NOTES.length)]! }, quick ? 2 : 30, quick ? 20 : 90);
  if (r() < 0.08) {
    add({ action: 'verify_fail', reason: '现场核查未整改到位' }, 1, 8);
    add({ action: 'feed_back', note: '已返工整改' }, 2, 16);
  }
  add({ action: 'verify_pass' }, 1, 10);
  if (ageDays > 3 && r() < 0.45)
    add(
      {
        action: r() < 0.9 ? 'evaluate_satisfied' : 'evaluate_dissatisfied',
        ...(r() < 0.1 ? { reason: '问题反复出现' } : {}),
      },
      4,
      48,
    );
  return steps;
}

/** Replays `count` events over the past 90 days; returns how many were created. */
export async function seedDemoEvents(db: DB, opts: { pii: PiiCipher; scale: DemoScale; now?: Date }) {
  const realNow = (opts.now ?? new Date()).getTime();
  let clock = realNow - 90 * DAY;
  const events = createEventsService({ db, pii: opts.pii, now: () => new Date(clock).toISOString() });
  const admin = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'admin')
    .executeTakeFirstOrThrow();
  const ctx = { actor: await loadActor(db, admin.id, 'session'), requestId: 'demo-events' };
  const system = { actor: null, requestId: 'demo-events-sweep' };
  const categories = (
    await db.selectFrom('event_categories').selectAll().where('parent_id', 'is not', null).execute()
  ).filter((c) => TITLES[c.code]);
  const grids = await db
    .selectFrom('nodes')
    .select(['id', 'path', 'centroid_lat', 'centroid_lng'])
    .where('level', '=', 'grid')
    .orderBy('id')
    .execute();
  const departments = await db.selectFrom('departments').select(['id', 'node_path', 'kind']).execute();
  const r = prng(20_200_130);
  // Photos and callers' phones draw from their own stream, so the events themselves stay as they were.
  const extra = prng(20_200_131);
  let photoEvents = 0;
  const count = opts.scale === 'district' ? 1200 : 240;
  const cal = makeCalendar();

  // Each event's report time (a working moment within the past 90 days) and its planned steps.
  type Planned = { at: number; run: () => Promise<void> };
  const queue: Planned[] = [];
  for (let i = 0; i < count; i++) {
    const category = categories[Math.floor(r() * categories.length)]!;
    const grid = grids[Math.floor(r() * grids.length)]!;
    // More of them recent than long ago, as a live system has.
    const dayStart = realNow - Math.floor(90 * r() ** 1.5) * DAY - (realNow % DAY);
    const reportedAt = Date.parse(addWorkingHours(cal, new Date(dayStart).toISOString(), r() * 8));
    if (reportedAt >= realNow) continue;
    const kinds = JSON.parse(category.department_kinds) as string[];
    const townPath = `/${grid.path.split('/').filter(Boolean).slice(0, 2).join('/')}/`;
    const department =
      departments.find((d) => d.node_path === townPath && kinds.includes(d.kind)) ??
      departments.find((d) => kinds.includes(d.kind) && d.node_path.split('/').length === 3) ??
      departments.find((d) => d.node_path === townPath && d.kind === 'town_office');
    const titles = TITLES[category.code]!;
    const channelRoll = r();
    const point =
      grid.centroid_lat !== null && grid.centroid_lng !== null
        ? { lat: grid.centroid_lat + (r() - 0.5) * 0.002, lng: grid.centroid_lng + (r() - 0.5) * 0.002 }
        : {};
    const planned = plan(r, reportedAt, realNow);
    // Some stop part-way and stay open (half of the last week's, an eighth of older ones): the
    // older ones become the overdue, escalated backlog a command center chases.
    const stall = r() < ((realNow - reportedAt) / DAY < 7 ? 0.5 : 0.12);
    const steps = stall ? planned.slice(0, Math.floor(r() * planned.length)) : planned;
    // A photo of the problem with the report (not by telephone), and of the place cleaned up with the last
    // feedback: the same scene, before and after.
    const photoSeed =
      PHOTO_CATEGORIES.has(category.code) && photoEvents < PHOTO_EVENTS && extra() < 0.4
        ? 1000 + ++photoEvents
        : 0;
    const lastFeedback = photoSeed ? steps.map((s) => s.action).lastIndexOf('feed_back') : -1;
    const callerPhone = `1390571${String(1000 + Math.floor(extra() * 8999))}`;
    let id = 0;
    queue.push({
      at: reportedAt,
      run: async () => {
        const base = {
          categoryId: category.id,
          description: `${titles[Math.floor(r() * titles.length)]!}，请尽快处理。`,
          nodeId: grid.id,
          attributes: {} as Record<string, string | number>,
        };
        for (const f of JSON.parse(category.extra_fields) as {
          code: string;
          type: string;
          required: boolean;
          choices?: string[];
        }[]) {
          if (f.required)
            base.attributes[f.code] = f.type === 'choice' ? f.choices![0]! : f.type === 'text' ? '见描述' : 3;
        }
        if (channelRoll < 0.25 && category.is_public) {
          // The resident's form: an upload without login, claimed by the report without login.
          const photos = photoSeed
            ? [(await events.uploadPhoto(system, demoPhoto(photoSeed), true)).token]
            : undefined;
          id = (
            await events.reportPublic(system, {
              ...base,
              ...point,
              title: titles[0]!,
              name: '群众',
              phone: `1380571${String(1000 + Math.floor(r() * 8999))}`,
              ...(photos ? { photos } : {}),
            })
          ).id;
        } else {
          const hotline = channelRoll < 0.45;
          const photos =
            photoSeed && !hotline ? [(await events.uploadPhoto(ctx, demoPhoto(photoSeed))).token] : undefined;
          const res = await events.report(ctx, {
            ...base,
            ...point,
            title: titles[Math.floor(r() * titles.length)]!,
            channel: hotline ? 'hotline' : 'patrol',
            ...(hotline ? { reporterName: '来电群众', reporterPhone: callerPhone } : {}),
            ...(photos ? { photos } : {}),
          });
          id = res.event.id;
        }
      },
    });
    let at = reportedAt;
    for (const [i, step] of steps.entries()) {
      at += step.gapH * 3_600_000;
      if (at >= realNow) break;
      const { gapH: _gap, ...body } = step;
      queue.push({
        at,
        run: async () => {
          if (!id) return;
          // Uploaded as the one who takes the step (replay claims with its actor).
          const photos =
            i === lastFeedback
              ? [(await events.uploadPhoto(ctx, demoPhoto(photoSeed, true))).token]
              : undefined;
          const b =
            body.action === 'dispatch'
              ? { ...body, departmentId: department?.id ?? 0 }
              : { ...body, ...(photos ? { photos } : {}) };
          try {
            await events.replay(ctx, id, b, b.action.startsWith('evaluate') ? '群众' : 'demo');
          } catch (e) {
            // A step the sweep or an earlier step made impossible (e.g. escalating at the top): skipped.
            if (!(e instanceof AppError)) throw e;
          }
        },
      });
    }
  }

  queue.sort((a, b) => a.at - b.at);
  // The sweep runs every six simulated hours, so escalations fall where they would have.
  let nextSweep = clock + 6 * 3_600_000;
  for (const q of queue) {
    while (nextSweep <= q.at) {
      clock = nextSweep;
      await events.sweep(system, 5000);
      nextSweep += 6 * 3_600_000;
    }
    clock = q.at;
    await q.run();
  }
  clock = realNow;
  await events.sweep(system, 5000);
  return queue.length;
}
