// The demo's epidemic notice (疫情防控告知书): published to the whole district five days ago through
// the notices service, then about half the households marked delivered, unevenly (some grids done,
// some untouched), over the last four days. Deliveries go in set-based: one INSERT … SELECT per
// (share, day) group of grids and one UPDATE of the progress rows, whatever the district's size.
import { sql } from 'kysely';
import type { DB } from '../db/index.js';
import { loadActor } from '../platform/auth.js';
import { recordAudit } from '../platform/audit.js';
import { bumpCounters } from '../platform/live.js';
import { createNoticesService } from '../modules/notices/index.js';
import { prng } from './names.js';

const DAY = 86_400_000;
/** Shares of a grid's households delivered, and how many grids get each: about half in all. */
const SHARES: readonly { share: number; upTo: number }[] = [
  { share: 10, upTo: 0.3 }, // done
  { share: 6, upTo: 0.55 },
  { share: 3, upTo: 0.75 },
  { share: 0, upTo: 1 }, // untouched
];
/** Times of day (Asia/Shanghai, UTC+8) a delivery is recorded at, picked by household id. */
const HOURS_UTC = ['00:40', '01:55', '03:10', '06:20', '07:35', '09:05'];
const METHODS = ['door', 'door', 'door', 'door', 'door', 'door', 'phone', 'phone', 'wechat', 'loudspeaker'];

export const DEMO_NOTICE = {
  title: '疫情防控告知书',
  body: [
    '各位居民朋友：',
    '为切实做好新冠肺炎疫情防控工作，请您做到：一、近14天内有中高风险地区旅居史的，请主动向所在村（社区）报告，配合落实居家观察；二、减少外出、不聚集、不串门，外出规范佩戴口罩；三、出现发热、咳嗽等症状的，及时到发热门诊就诊，不要自行前往其他医疗机构；四、配合网格员入户排查登记，如实提供相关信息。',
    '感谢您的理解与支持！',
    '临安区新冠肺炎疫情防控工作指挥部',
  ].join('\n'),
};

export interface NoticeSeedOptions {
  /** The incident command the notice belongs to (the lead passes the demo's epidemic command). */
  commandId: number | null;
  /** The seed's "now" in ms; deliveries fall on the four days before it. */
  now?: number;
}

export async function seedDemoNotice(
  db: DB,
  opts: NoticeSeedOptions,
): Promise<{ noticeId: number; households: number; delivered: number } | null> {
  const now = opts.now ?? Date.now();
  const anyHousehold = await db.selectFrom('households').select('id').limit(1).executeTakeFirst();
  if (!anyHousehold) return null;
  const userId = async (username: string) =>
    (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst())?.id ??
    null;
  const commanderId = await userId('commander');
  if (commanderId === null) throw new Error('the demo has no commander account');
  const district = await db
    .selectFrom('nodes')
    .select(['id', 'path'])
    .where('parent_id', 'is', null)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const ctx = { actor: await loadActor(db, commanderId, 'session'), requestId: 'demo-notices' };
  const publishedAt = new Date(now - 5 * DAY).toISOString();
  const notices = createNoticesService({ db, now: () => publishedAt });
  const notice = await notices.publish(ctx, {
    nodeId: district.id,
    title: DEMO_NOTICE.title,
    body: DEMO_NOTICE.body,
    ...(opts.commandId ? { commandId: opts.commandId } : {}),
  });
  const { last_household_id: lastId } = await db
    .selectFrom('notices')
    .select('last_household_id')
    .where('id', '=', notice.id)
    .executeTakeFirstOrThrow();

  // Who delivered: the demo's grid worker in their grid (left partly done, to finish in the demo),
  // the village cadre in the rest of their village; the other grids have no demo account.
  const workerAt = async (username: string) => {
    const id = await userId(username);
    if (id === null) return null;
    const a = await db
      .selectFrom('role_assignments as a')
      .innerJoin('nodes as n', 'n.id', 'a.node_id')
      .select('n.path')
      .where('a.user_id', '=', id)
      .executeTakeFirst();
    return a ? { id, path: a.path } : null;
  };
  const worker = await workerAt('gridworker');
  const cadre = await workerAt('cadre');
  const [lo, hi] = [district.path, district.path.slice(0, -1) + '0'];
  const grids = await db
    .selectFrom('nodes')
    .select(['path'])
    .where('level', '=', 'grid')
    .where('path', '>=', lo)
    .where('path', '<', hi)
    .orderBy('full_code')
    .execute();
  const r = prng(20_200_205);
  const groups = new Map<string, { share: number; day: number; by: number | null; paths: string[] }>();
  for (const g of grids) {
    const x = r();
    let share = SHARES.find((s) => x < s.upTo)!.share;
    const day = 1 + Math.floor(r() * 4);
    let by: number | null = null;
    if (worker && g.path === worker.path) [share, by] = [6, worker.id];
    else if (cadre && g.path.startsWith(cadre.path)) by = cadre.id;
    if (share === 0) continue;
    const key = `${share} ${day} ${by}`;
    const group = groups.get(key) ?? { share, day, by, paths: [] };
    group.paths.push(g.path);
    groups.set(key, group);
  }

  return db.transaction().execute(async (trx) => {
    const mod = (n: number) => sql<number>`h.id % ${sql.lit(n)}`;
    const pick = (values: readonly string[]) => {
      let c = sql<string>`case ${mod(values.length)}`;
      values.forEach((v, i) => (c = sql<string>`${c} when ${sql.lit(i)} then ${v}`));
      return sql<string>`${c} end`;
    };
    for (const g of groups.values()) {
      const date = new Date(now - g.day * DAY).toISOString().slice(0, 10);
      const times = HOURS_UTC.map((h) => `${date}T${h}:00.000Z`);
      for (let i = 0; i < g.paths.length; i += 500) {
        await trx
          .insertInto('notice_deliveries')
          .columns([
            'notice_id',
            'household_id',
            'node_path',
            'method',
            'note',
            'delivered_at',
            'delivered_by_user_id',
          ])
          .expression(
            trx
              .selectFrom('households as h')
              .select([
                sql<number>`cast(${notice.id} as integer)`.as('notice_id'),
                'h.id',
                'h.node_path',
                pick(METHODS).as('method'),
                sql<null>`null`.as('note'),
                pick(times).as('delivered_at'),
                sql<number | null>`cast(${g.by} as integer)`.as('delivered_by_user_id'),
              ])
              .where('h.node_path', 'in', g.paths.slice(i, i + 500))
              .where('h.id', '<=', lastId)
              .where(sql<boolean>`${mod(10)} < ${sql.lit(g.share)}`),
          )
          .execute();
      }
    }
    // Progress of every node from the deliveries under it: one statement, by the (notice, path) index.
    await sql`update notice_progress set delivered = (
        select count(*) from notice_deliveries d
        where d.notice_id = notice_progress.notice_id
          and d.node_path >= notice_progress.node_path
          and d.node_path < substr(notice_progress.node_path, 1, length(notice_progress.node_path) - 1) || '0')
      where notice_id = ${notice.id}`.execute(trx);
    const perGrid = await trx
      .selectFrom('notice_deliveries')
      .select(['node_path', (eb) => eb.fn.countAll<number>().as('n')])
      .where('notice_id', '=', notice.id)
      .groupBy('node_path')
      .execute();
    let delivered = 0;
    for (const p of perGrid) {
      delivered += Number(p.n);
      await bumpCounters(trx, p.node_path, { 'notices.delivered': Number(p.n) }, opts.commandId);
    }
    await recordAudit(
      trx,
      { actor: null, requestId: 'demo-notices' },
      {
        action: 'notice.deliver',
        entityType: 'notice',
        entityId: notice.id,
        nodePath: district.path,
        detail: { count: delivered, demo: true },
      },
    );
    return { noticeId: notice.id, households: notice.households, delivered };
  });
}
