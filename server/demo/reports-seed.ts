// The demo district's daily epidemic report (疫情防控日报): every village by 17:00, with two weeks of
// history — most villages on time, a few late, a few missing on some days (today included).
// Deterministic (its own random stream; days counted back from today) and a few batched inserts.
import { localDate } from '../../common/worktime.js';
import type { ReportField } from '../../common/contracts/reports.js';
import type { DB } from '../db/index.js';
import { recordAudit } from '../platform/audit.js';
import { prng } from './names.js';

const DAY = 86_400_000;
const HISTORY_DAYS = 14;
const BATCH = 500;
export const DEMO_REPORT_TITLE = '疫情防控日报';
export const DEMO_REPORT_FIELDS: ReportField[] = [
  {
    code: 'screened',
    labelZh: '排查人数',
    labelEn: 'People screened',
    type: 'integer',
    aggregation: 'sum',
    required: true,
  },
  {
    code: 'home_observation',
    labelZh: '居家观察人数',
    labelEn: 'People in home observation',
    type: 'integer',
    aggregation: 'sum',
    required: true,
  },
  {
    code: 'fever',
    labelZh: '发热人数',
    labelEn: 'Fever cases',
    type: 'integer',
    aggregation: 'sum',
    required: true,
  },
  {
    code: 'supplies',
    labelZh: '防疫物资',
    labelEn: 'Supplies status',
    type: 'choice',
    aggregation: 'latest',
    required: true,
    choices: ['充足', '基本满足', '紧张', '短缺'],
  },
  {
    code: 'remarks',
    labelZh: '备注',
    labelEn: 'Remarks',
    type: 'text',
    aggregation: 'latest',
    required: false,
  },
];
const REMARKS = [
  '返乡人员已全部登记',
  '卡点24小时值守',
  '独居老人已电话联系',
  '消毒工作已完成',
  '口罩发放到户',
];

/** 'YYYY-MM-DD' + minutes after local midnight in Asia/Shanghai → ISO UTC. */
const localInstant = (day: string, minutes: number) =>
  new Date(Date.parse(`${day}T00:00:00+08:00`) + minutes * 60_000).toISOString();

export async function seedDemoReports(
  db: DB,
  opts: { commandId: number | null; now?: Date },
): Promise<{ templateId: number; submissions: number }> {
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  const today = localDate(nowIso);
  const days = Array.from({ length: HISTORY_DAYS }, (_, i) =>
    localDate(new Date(now.getTime() - (HISTORY_DAYS - 1 - i) * DAY).toISOString()),
  );
  const district = await db
    .selectFrom('nodes')
    .select(['id', 'path'])
    .where('level', '=', 'district')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const villages = await db
    .selectFrom('nodes')
    .select(['id', 'path'])
    .where('level', '=', 'village')
    .where('retired_at', 'is', null)
    .orderBy('full_code')
    .execute();
  const commander = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'commander')
    .executeTakeFirst();
  const cadre = await db.selectFrom('users').select('id').where('username', '=', 'cadre').executeTakeFirst();
  const r = prng(20_200_210);
  const dueMinutes = 17 * 60;

  return db.transaction().execute(async (trx) => {
    const template = await trx
      .insertInto('report_templates')
      .values({
        command_id: opts.commandId,
        node_id: district.id,
        node_path: district.path,
        target_level: 'village',
        title: DEMO_REPORT_TITLE,
        fields: JSON.stringify(DEMO_REPORT_FIELDS),
        due_time: '17:00',
        start_day: days[0]!,
        end_day: null,
        created_by_user_id: commander?.id ?? null,
        created_at: localInstant(days[0]!, 8 * 60),
        retired_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(
      trx,
      { actor: null, requestId: 'demo-reports' },
      {
        action: 'report_template.create',
        entityType: 'report_template',
        entityId: template.id,
        nodePath: district.path,
        detail: { title: DEMO_REPORT_TITLE, demo: true },
      },
    );

    // Each village's own scale, and a screening sweep that peaks in the first days and then eases.
    const base = villages.map(() => ({
      screened: 60 + Math.floor(r() * 240),
      observed: 2 + Math.floor(r() * 15),
      supplies: Math.floor(r() * 3),
    }));
    // The first cadre's village always reports on time, so the demo's own login shows a filled history.
    const cadreVillage = cadre
      ? await trx
          .selectFrom('role_assignments')
          .select('node_id')
          .where('user_id', '=', cadre.id)
          .executeTakeFirst()
      : undefined;
    // And one other village of the same street is missing today, so its commander has someone to chase.
    const cadreStreet = villages
      .find((v) => v.id === cadreVillage?.node_id)
      ?.path.split('/')
      .slice(0, 3)
      .join('/');
    const laggard = [...villages]
      .reverse()
      .find(
        (v) =>
          v.id !== cadreVillage?.node_id && cadreStreet !== undefined && v.path.startsWith(`${cadreStreet}/`),
      );
    const rows = [];
    for (const [d, day] of days.entries()) {
      const ease = 1 - (d / HISTORY_DAYS) * 0.6;
      const isToday = day === today;
      for (const [i, v] of villages.entries()) {
        const roll = r();
        const lateRoll = r();
        const minuteRoll = r();
        const own = v.id === cadreVillage?.node_id;
        // A few missing every day, a few more today (the day is not over).
        if (!own && roll < (isToday ? 0.1 : 0.035)) continue;
        if (isToday && v.id === laggard?.id) continue;
        const late = !own && lateRoll < 0.07;
        let minutes = late
          ? dueMinutes + 10 + Math.floor(minuteRoll * 180)
          : 14 * 60 + Math.floor(minuteRoll * 170);
        let submittedAt = localInstant(day, minutes);
        // Today's reports can only have come in by now.
        if (submittedAt > nowIso) {
          minutes = Math.max(
            0,
            Math.floor((Date.parse(nowIso) - Date.parse(localInstant(day, 0))) / 60_000) - 5 - (i % 30),
          );
          submittedAt = localInstant(day, minutes);
        }
        const b = base[i]!;
        const values = {
          screened: Math.round(b.screened * ease * (0.85 + r() * 0.3)),
          home_observation: Math.max(0, Math.round(b.observed * ease + (r() - 0.5) * 3)),
          fever: r() < 0.12 ? 1 + Math.floor(r() * 2) : 0,
          supplies: DEMO_REPORT_FIELDS[3]!.choices![Math.min(3, b.supplies + (r() < 0.1 ? 1 : 0))]!,
          ...(r() < 0.2 ? { remarks: REMARKS[Math.floor(r() * REMARKS.length)]! } : {}),
        };
        rows.push({
          template_id: template.id,
          node_id: v.id,
          node_path: v.path,
          day,
          values: JSON.stringify(values),
          late: minutes > dueMinutes ? 1 : 0,
          submitted_at: submittedAt,
          submitted_by_user_id: own ? (cadre?.id ?? null) : null,
          updated_at: submittedAt,
        });
      }
    }
    for (let i = 0; i < rows.length; i += BATCH)
      await trx
        .insertInto('report_submissions')
        .values(rows.slice(i, i + BATCH))
        .execute();
    return { templateId: template.id, submissions: rows.length };
  });
}
