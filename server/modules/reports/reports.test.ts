// Daily situation reports through the HTTP API, on a moved clock: templates, filling, roll-ups up the
// tree, late and missing reporters, history, the workbook, and the cockpit's completion figures.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  SummaryResponse,
  HistoryResponse,
  ReportTemplate,
  ReportForm,
} from '../../../common/contracts/reports.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { makeCast, makeTree, makeUser, type Tree, type TreeNode } from '../../test/factories.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { cellText, scratchChild } from '../../test/routes.js';
import { reportCompletion } from './index.js';

let clock = '2026-03-10T02:00:00.000Z'; // 10:00 in Shanghai, 2026-03-10
const at = (iso: string) => (clock = iso);
let t: TestApp;
let db: DB;
let tree: Tree;
/** Town A's four villages (two from makeTree, two added) and town B's two. */
let villagesA: TreeNode[];
let villagesB: TreeNode[];
let commander: Client;
let towncmd: Client;
const cadres: Client[] = [];
const cadresB: Client[] = [];

const FIELDS = [
  {
    code: 'screened',
    labelZh: '排查人数',
    labelEn: 'People screened',
    type: 'integer',
    aggregation: 'sum',
    required: true,
  },
  {
    code: 'observed',
    labelZh: '居家观察人数',
    labelEn: 'In home observation',
    type: 'integer',
    aggregation: 'sum',
    required: true,
  },
  {
    code: 'temp',
    labelZh: '最高体温',
    labelEn: 'Highest temperature',
    type: 'decimal',
    aggregation: 'max',
    required: false,
  },
  {
    code: 'supplies',
    labelZh: '防疫物资',
    labelEn: 'Supplies',
    type: 'choice',
    aggregation: 'latest',
    required: false,
    choices: ['充足', '紧张', '短缺'],
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

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => clock });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  villagesA = [
    tree.villages[0]!,
    tree.villages[1]!,
    await scratchChild(db, tree.towns[0]!, 'village'),
    await scratchChild(db, tree.towns[0]!, 'village'),
  ];
  villagesB = [tree.villages[2]!, tree.villages[3]!];
  for (const [i, v] of villagesA.entries()) {
    if (i > 0) await makeUser(db, `cadreA${i}`, [{ role: 'village_cadre', node: v }]);
    cadres.push(await t.login(i === 0 ? 'cadre' : `cadreA${i}`));
  }
  for (const [i, v] of villagesB.entries()) {
    await makeUser(db, `cadreB${i}`, [{ role: 'village_cadre', node: v }]);
    cadresB.push(await t.login(`cadreB${i}`));
  }
  commander = await t.login('commander');
  towncmd = await t.login('towncmd');
});
afterAll(async () => t.close());

async function createTemplate(c: Client, over: Record<string, unknown> = {}) {
  return c.post<ReportTemplate>('/api/report-templates', {
    title: '疫情防控日报',
    nodeId: tree.district.id,
    targetLevel: 'village',
    dueTime: '17:00',
    startDay: '2026-03-01',
    fields: FIELDS,
    ...over,
  });
}
const submissions = async () =>
  Number(
    (
      await db
        .selectFrom('report_submissions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const submit = (c: Client, id: number, nodeId: number, day: string, values: Record<string, unknown>) =>
  c.put<ReportForm>(`/api/report-templates/${id}/submissions`, { nodeId, day, values });

describe('templates', () => {
  it('lists every problem of a bad template and writes nothing', async () => {
    const before = await db.selectFrom('report_templates').select('id').execute();
    const res = await createTemplate(commander, {
      targetLevel: 'grid',
      nodeId: tree.grids[0]!.id,
      commandId: 999_999,
      fields: [{ code: 'notes', labelZh: '备注', labelEn: 'Notes', type: 'text', aggregation: 'sum' }],
    });
    expect(res.status).toBe(400);
    const paths = (res.body as unknown as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toContain('body.fields.0.aggregation');
    const res2 = await createTemplate(commander, {
      targetLevel: 'grid',
      nodeId: tree.grids[0]!.id,
      commandId: 999_999,
    });
    expect(res2.status).toBe(400);
    expect((res2.body as unknown as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual(
      ['body.commandId', 'body.targetLevel'],
    );
    expect(await db.selectFrom('report_templates').select('id').execute()).toEqual(before);
  });

  it('needs reports.manage at the node; a command must be open and cover it', async () => {
    expect((await createTemplate(towncmd)).status).toBe(403);
    expect((await createTemplate(cadres[0]!, { nodeId: villagesA[0]!.id, targetLevel: 'grid' })).status).toBe(
      403,
    );
    const now = nowIso();
    const cmd = await db
      .insertInto('incident_commands')
      .values({
        name: '镇1疫情防控指挥部',
        response_level: 'II',
        node_id: tree.towns[0]!.id,
        node_path: tree.towns[0]!.path,
        started_at: now,
        closed_at: null,
        summary: null,
        created_by_user_id: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The command covers town A only: a district-wide report cannot belong to it; town A's can.
    expect((await createTemplate(commander, { commandId: cmd.id })).status).toBe(400);
    const ok = await createTemplate(towncmd, {
      nodeId: tree.towns[0]!.id,
      commandId: cmd.id,
      title: '镇1日报',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({
      commandId: cmd.id,
      node: { id: tree.towns[0]!.id },
      abilities: { manage: true, view: true },
    });
    const listed = await towncmd.get<{ items: ReportTemplate[] }>(`/api/report-templates?command=${cmd.id}`);
    expect(listed.body.items.map((i) => i.id)).toEqual([ok.body.id]);
    // Town B's commander neither sees nor reads town A's report.
    await makeUser(db, 'towncmdB', [{ role: 'town_commander', node: tree.towns[1]! }]);
    const b = await t.login('towncmdB');
    expect(
      (await b.get<{ items: ReportTemplate[] }>('/api/report-templates')).body.items.map((i) => i.id),
    ).not.toContain(ok.body.id);
    expect((await b.get(`/api/report-templates/${ok.body.id}`)).status).toBe(403);
    const retired = await towncmd.patch<ReportTemplate>(`/api/report-templates/${ok.body.id}`, {
      retired: true,
    });
    expect(retired.status).toBe(200);
    expect(retired.body.retiredAt).toBe(clock);
    expect(
      (await submit(cadres[0]!, ok.body.id, villagesA[0]!.id, '2026-03-10', { screened: 1, observed: 0 }))
        .status,
    ).toBe(409);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'report_template')
      .where('entity_id', '=', String(ok.body.id))
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['report_template.create', 'report_template.retire']);
  });
});

describe('a district daily report to every village', () => {
  let id: number;
  beforeAll(async () => {
    at('2026-03-10T02:00:00.000Z');
    const res = await createTemplate(commander);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.id;
  });

  it('is listed for the cadres who fill it, not for a grid worker', async () => {
    const mine = await cadres[1]!.get<{ items: ReportTemplate[] }>('/api/report-templates');
    expect(mine.body.items.find((i) => i.id === id)?.abilities).toEqual({
      manage: false,
      fill: true,
      view: true,
    });
    const grid = await (
      await t.login('gridworker')
    ).get<{ items: ReportTemplate[] }>('/api/report-templates');
    expect(grid.status).toBe(200);
    expect(grid.body.items.map((i) => i.id)).not.toContain(id);
    const forms = await cadres[1]!.get<{ items: ReportForm[] }>(`/api/report-templates/${id}/forms`);
    expect(forms.body.items.map((f) => f.node.id)).toEqual([villagesA[1]!.id]);
    expect(forms.body.items[0]).toMatchObject({
      day: '2026-03-10',
      values: null,
      dueAt: '2026-03-10T09:00:00.000Z',
      node: { parentName: '镇1' },
    });
  });

  it('lists every bad value, refuses future days and days before the start, and writes nothing', async () => {
    const before = await submissions();
    const res = await submit(cadres[0]!, id, villagesA[0]!.id, '2026-03-11', {
      screened: 1.5,
      observed: -1,
      temp: 'hot',
      supplies: '很多',
      remarks: 3,
      extra: 1,
    });
    expect(res.status).toBe(400);
    const issues = (res.body as unknown as { issues: { path: string; code: string }[] }).issues;
    expect(issues.map((i) => `${i.path}:${i.code}`).sort()).toEqual(
      [
        'body.day:future',
        'body.values.extra:unknown_field',
        'body.values.observed:range',
        'body.values.remarks:text',
        'body.values.screened:integer',
        'body.values.supplies:choice',
        'body.values.temp:number',
      ].sort(),
    );
    const missing = await submit(cadres[0]!, id, villagesA[0]!.id, '2026-02-28', {});
    expect(
      (missing.body as unknown as { issues: { path: string; code: string }[] }).issues
        .map((i) => `${i.path}:${i.code}`)
        .sort(),
    ).toEqual(
      ['body.day:before_start', 'body.values.observed:required', 'body.values.screened:required'].sort(),
    );
    // A grid is not a reporter of a village report.
    const grid = await submit(cadres[0]!, id, tree.grids[0]!.id, '2026-03-10', { screened: 1, observed: 1 });
    expect(grid.status).toBe(400);
    expect(await submissions()).toBe(before);
  });

  it('a village cadre fills only their own village', async () => {
    const res = await submit(cadres[0]!, id, villagesA[1]!.id, '2026-03-10', { screened: 1, observed: 1 });
    expect(res.status).toBe(403);
    expect(
      (await submit(cadres[0]!, id, villagesB[0]!.id, '2026-03-10', { screened: 1, observed: 1 })).status,
    ).toBe(403);
  });

  it('flags a report late after 17:00 Asia/Shanghai, keeps the first arrival on correction, and audits the change', async () => {
    at('2026-03-09T08:59:00.000Z'); // 16:59 in Shanghai
    const onTime = await submit(cadres[0]!, id, villagesA[0]!.id, '2026-03-09', {
      screened: 10,
      observed: 2,
    });
    expect(onTime.status, JSON.stringify(onTime.body)).toBe(200);
    expect(onTime.body.late).toBe(false);
    at('2026-03-09T09:01:00.000Z'); // 17:01
    const late = await submit(cadres[1]!, id, villagesA[1]!.id, '2026-03-09', { screened: 5, observed: 1 });
    expect(late.body.late).toBe(true);
    // A correction after the due time leaves an on-time report on time.
    at('2026-03-09T10:00:00.000Z');
    const fixed = await submit(cadres[0]!, id, villagesA[0]!.id, '2026-03-09', { screened: 12, observed: 2 });
    expect(fixed.body).toMatchObject({
      late: false,
      submittedAt: '2026-03-09T08:59:00.000Z',
      updatedAt: '2026-03-09T10:00:00.000Z',
      values: { screened: 12, observed: 2 },
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'before_digest', 'after_digest', 'detail'])
      .where('action', '=', 'report.resubmit')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before_digest).not.toBe(audit[0]!.after_digest);
    const liveRows = await db
      .selectFrom('live_events')
      .select(['kind', 'paths'])
      .where('kind', '=', 'report.submitted')
      .execute();
    expect(liveRows.length).toBe(3);
    expect(JSON.parse(liveRows[0]!.paths)).toEqual([villagesA[0]!.path]);
  });

  it('3 of 4 villages of a town: the town shows their sums and names the missing village; the district’s figure is the sum of its towns', async () => {
    at('2026-03-10T08:00:00.000Z'); // 16:00 in Shanghai, before the due time
    const day = '2026-03-10';
    const given = [
      { screened: 100, observed: 3, temp: 37.2, supplies: '充足' },
      { screened: 50, observed: 1, temp: 38.1, supplies: '紧张', remarks: '人手不足' },
      { screened: 25, observed: 0 },
    ];
    for (const [i, v] of given.entries()) {
      at(`2026-03-10T08:0${i}:00.000Z`);
      expect((await submit(cadres[i]!, id, villagesA[i]!.id, day, v)).status).toBe(200);
    }
    at('2026-03-10T09:30:00.000Z'); // 17:30: town B's second village is late
    expect(
      (await submit(cadresB[0]!, id, villagesB[0]!.id, day, { screened: 7, observed: 4, supplies: '短缺' }))
        .status,
    ).toBe(200);
    expect((await submit(cadresB[1]!, id, villagesB[1]!.id, day, { screened: 8, observed: 5 })).status).toBe(
      200,
    );

    const town = await towncmd.get<SummaryResponse>(`/api/report-templates/${id}/summary?day=${day}`);
    expect(town.status, JSON.stringify(town.body)).toBe(200);
    // The town commander's default node is their town.
    expect(town.body.node.id).toBe(tree.towns[0]!.id);
    expect(town.body).toMatchObject({
      expected: 4,
      submitted: 3,
      late: 0,
      values: { screened: 175, observed: 4, temp: 38.1, supplies: '紧张', remarks: '人手不足' },
    });
    expect(town.body.missing).toEqual([
      { id: villagesA[3]!.id, name: villagesA[3]!.name, parentName: '镇1' },
    ]);
    expect(town.body.children.map((c) => [c.node.id, c.status, c.values.screened])).toEqual([
      [villagesA[0]!.id, 'on_time', 100],
      [villagesA[1]!.id, 'on_time', 50],
      [villagesA[2]!.id, 'on_time', 25],
      [villagesA[3]!.id, 'missing', null],
    ]);

    const district = await commander.get<SummaryResponse>(`/api/report-templates/${id}/summary?day=${day}`);
    expect(district.body.node.id).toBe(tree.district.id);
    expect(district.body).toMatchObject({ expected: 6, submitted: 5, late: 2 });
    const townB = await commander.get<SummaryResponse>(
      `/api/report-templates/${id}/summary?day=${day}&node=${tree.towns[1]!.id}`,
    );
    expect(townB.body).toMatchObject({
      expected: 2,
      submitted: 2,
      late: 2,
      values: { screened: 15, observed: 9 },
    });
    expect(district.body.values.screened).toBe(
      Number(town.body.values.screened) + Number(townB.body.values.screened),
    );
    expect(district.body.values.observed).toBe(
      Number(town.body.values.observed) + Number(townB.body.values.observed),
    );
    // The drill-down rows are the towns' own figures.
    expect(
      district.body.children.map((c) => [c.node.id, c.values.screened, c.expected, c.submitted, c.missing]),
    ).toEqual([
      [tree.towns[0]!.id, 175, 4, 3, 1],
      [tree.towns[1]!.id, 15, 2, 2, 0],
    ]);
    // 'latest' is the value most recently submitted: town B's village at 17:30.
    expect(district.body.values.supplies).toBe('短缺');
  });

  it('a town commander sees their town only; a cadre their village', async () => {
    expect((await towncmd.get(`/api/report-templates/${id}/summary?node=${tree.district.id}`)).status).toBe(
      403,
    );
    expect((await towncmd.get(`/api/report-templates/${id}/summary?node=${tree.towns[1]!.id}`)).status).toBe(
      403,
    );
    expect(
      (
        await towncmd.get(
          `/api/report-templates/${id}/history?node=${tree.towns[1]!.id}&from=2026-03-01&to=2026-03-10`,
        )
      ).status,
    ).toBe(403);
    const mine = await cadres[3]!.get<SummaryResponse>(`/api/report-templates/${id}/summary?day=2026-03-10`);
    expect(mine.body).toMatchObject({
      node: { id: villagesA[3]!.id },
      expected: 1,
      submitted: 0,
      children: [],
    });
    expect(
      (await cadres[3]!.get(`/api/report-templates/${id}/summary?node=${villagesA[0]!.id}`)).status,
    ).toBe(403);
  });

  it('history gives each day’s roll-up, and refuses more than 92 days', async () => {
    const res = await towncmd.get<HistoryResponse>(
      `/api/report-templates/${id}/history?from=2026-02-28&to=2026-03-10`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const byDay = new Map(res.body.days.map((d) => [d.day, d]));
    expect(res.body.days).toHaveLength(11);
    expect(byDay.get('2026-02-28')).toMatchObject({ expected: 0, submitted: 0 });
    expect(byDay.get('2026-03-09')).toMatchObject({
      expected: 4,
      submitted: 2,
      late: 1,
      values: { screened: 17, observed: 3 },
    });
    expect(byDay.get('2026-03-10')).toMatchObject({
      expected: 4,
      submitted: 3,
      late: 0,
      values: { screened: 175 },
    });
    expect(
      (await towncmd.get(`/api/report-templates/${id}/history?from=2026-01-01&to=2026-04-10`)).status,
    ).toBe(400);
  });

  it('exports the caller’s submissions per node and day and the daily totals as XLSX, audited', async () => {
    const res = await towncmd.post(`/api/report-templates/${id}/export`, {
      from: '2026-03-09',
      to: '2026-03-10',
    });
    expect(res.status, String(res.body).slice(0, 200)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
    const [detail, totals] = wb.worksheets;
    const rows = (ws: ExcelJS.Worksheet) => {
      const out: string[][] = [];
      ws.eachRow((r) =>
        out.push((r.values as unknown[]).slice(1).map((v) => cellText(v as ExcelJS.CellValue))),
      );
      return out;
    };
    const d = rows(detail!);
    expect([detail!.name, totals!.name]).toEqual(['填报明细', '每日汇总']);
    expect(d[0]!.slice(0, 7)).toEqual([
      '日期',
      '上级',
      '上报单位',
      '状态',
      '提交时间（北京时间）',
      '更正时间（北京时间）',
      '排查人数',
    ]);
    // Town A's four villages on two days; nothing of town B.
    expect(d).toHaveLength(1 + 8);
    expect(d.some((r) => r[2] === villagesB[0]!.name)).toBe(false);
    expect(d.filter((r) => r[3] === '未报')).toHaveLength(3);
    expect(d.find((r) => r[0] === '2026-03-09' && r[2] === villagesA[1]!.name)![3]).toBe('迟报');
    expect(d.find((r) => r[0] === '2026-03-09' && r[2] === villagesA[0]!.name)!.slice(3, 7)).toEqual([
      '按时',
      '2026-03-09 16:59',
      '2026-03-09 18:00',
      '12',
    ]);
    const tt = rows(totals!);
    expect(tt[0]!.slice(0, 6)).toEqual(['日期', '应报', '已报', '迟报', '未报', '排查人数']);
    expect(tt.slice(1).map((r) => r.slice(0, 6))).toEqual([
      ['2026-03-09', '4', '2', '1', '2', '17'],
      ['2026-03-10', '4', '3', '0', '1', '175'],
    ]);
    const audit = await db
      .selectFrom('audit_log')
      .select(['node_path'])
      .where('action', '=', 'report.export')
      .execute();
    expect(audit.map((a) => a.node_path)).toEqual([tree.towns[0]!.path]);
    expect(
      (
        await towncmd.post(`/api/report-templates/${id}/export`, {
          node: tree.towns[1]!.id,
          from: '2026-03-09',
          to: '2026-03-10',
        })
      ).status,
    ).toBe(403);
  });

  it('exports in English when English is asked: sheets, headers, statuses and field labels', async () => {
    const res = await towncmd.request({
      method: 'POST',
      url: `/api/report-templates/${id}/export`,
      payload: { from: '2026-03-09', to: '2026-03-10' },
      headers: { 'accept-language': 'en-GB,en;q=0.8,zh;q=0.5' },
    });
    expect(res.status, String(res.body).slice(0, 200)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
    const [detail, totals] = wb.worksheets;
    expect([detail!.name, totals!.name]).toEqual(['Submissions', 'Daily totals']);
    const head = (ws: ExcelJS.Worksheet) =>
      (ws.getRow(1).values as unknown[]).slice(1).map((v) => cellText(v as ExcelJS.CellValue));
    expect(head(detail!).slice(0, 7)).toEqual([
      'Day',
      'Parent',
      'Reporter',
      'Status',
      'Submitted at (UTC+8)',
      'Corrected at (UTC+8)',
      'People screened',
    ]);
    expect(head(totals!).slice(0, 6)).toEqual([
      'Day',
      'Expected',
      'Submitted',
      'Late',
      'Missing',
      'People screened',
    ]);
    const statuses: string[] = [];
    detail!.eachRow((r, i) => {
      if (i > 1) statuses.push(cellText(r.getCell(4).value));
    });
    expect(statuses).toHaveLength(8);
    expect(new Set(statuses)).toEqual(new Set(['On time', 'Late', 'Missing']));
  });

  it('reportCompletion counts expected and submitted reporters for a node and its children', async () => {
    const r = await reportCompletion(db, {
      nodePath: tree.district.path,
      childPaths: tree.towns.map((x) => x.path),
      day: '2026-03-10',
      commandId: null,
    });
    expect(r).toEqual({
      total: { expected: 6, submitted: 5 },
      children: {
        [tree.towns[0]!.path]: { expected: 4, submitted: 3 },
        [tree.towns[1]!.path]: { expected: 2, submitted: 2 },
      },
    });
    const town = await reportCompletion(db, {
      nodePath: tree.towns[0]!.path,
      childPaths: villagesA.map((v) => v.path),
      day: '2026-03-10',
      commandId: null,
    });
    expect(town.total).toEqual({ expected: 4, submitted: 3 });
    expect(town.children[villagesA[3]!.path]).toEqual({ expected: 1, submitted: 0 });
    // Before the report starts, and for a command it does not belong to, nothing is expected.
    expect(
      (
        await reportCompletion(db, {
          nodePath: tree.district.path,
          childPaths: [],
          day: '2026-02-01',
          commandId: null,
        })
      ).total,
    ).toEqual({ expected: 0, submitted: 0 });
    expect(
      (
        await reportCompletion(db, {
          nodePath: tree.district.path,
          childPaths: [],
          day: '2026-03-10',
          commandId: 999,
        })
      ).total,
    ).toEqual({ expected: 0, submitted: 0 });
    // A retired village is no longer expected, and its report no longer counts.
    await db.updateTable('nodes').set({ retired_at: nowIso() }).where('id', '=', villagesB[1]!.id).execute();
    try {
      const after = await reportCompletion(db, {
        nodePath: tree.district.path,
        childPaths: tree.towns.map((x) => x.path),
        day: '2026-03-10',
        commandId: null,
      });
      expect(after.children[tree.towns[1]!.path]).toEqual({ expected: 1, submitted: 1 });
    } finally {
      await db.updateTable('nodes').set({ retired_at: null }).where('id', '=', villagesB[1]!.id).execute();
    }
  });
});
