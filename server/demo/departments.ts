// The demo district's departments: district bureaus, and in every town its police station,
// urban-management team, judicial office, health centre, market-regulation office and governance office.
import type { Executor } from '../db/index.js';

const DISTRICT: [string, string][] = [
  ['emergency', '区应急管理局'],
  ['environment', '区生态环境分局'],
  ['housing', '区住房和城乡建设局'],
  ['traffic', '区公安分局交警大队'],
  ['civil', '区民政局'],
  ['human_resources', '区人力社保局'],
  ['fire', '区消防救援大队'],
  ['water', '区水务公司'],
  ['power', '区供电公司'],
  ['agriculture', '区农业农村局'],
];
const TOWN: [string, string][] = [
  ['police', '派出所'],
  ['urban', '综合执法队'],
  ['judicial', '司法所'],
  ['health', '卫生院'],
  ['market', '市场监管所'],
  ['town_office', '综治办'],
];

export interface DemoPlace {
  id: number;
  path: string;
  name: string;
}

/** Inserts the departments and puts the demo handler into the first town's urban-management team. */
export async function seedDepartments(
  trx: Executor,
  v: { district: DemoPlace; towns: DemoPlace[]; handlerTown: string; handlerUserId: number; now: string },
) {
  const rows = [
    ...DISTRICT.map(([kind, name]) => ({ node_id: v.district.id, node_path: v.district.path, kind, name })),
    ...v.towns.flatMap((t) =>
      TOWN.map(([kind, name]) => ({ node_id: t.id, node_path: t.path, kind, name: `${t.name}${name}` })),
    ),
  ].map((r) => ({ ...r, retired_at: null, created_at: v.now, updated_at: v.now }));
  const inserted = await trx.insertInto('departments').values(rows).returning(['id', 'name']).execute();
  const team = inserted.find((d) => d.name === `${v.handlerTown}综合执法队`);
  if (!team) throw new Error(`demo has no urban-management team in ${v.handlerTown}`);
  await trx
    .insertInto('department_members')
    .values({ department_id: team.id, user_id: v.handlerUserId, created_at: v.now })
    .execute();
  return inserted.length;
}
