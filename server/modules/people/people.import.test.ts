// Importing people from CSV and XLSX: every row checked first, all-or-nothing or valid rows, the
// error workbook, no duplicates on re-import, households by 户号, batches audited with progress.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE_IMPORT_COLUMNS } from '../../../common/contracts/people.js';
import { normalizePhone, parseIdNumber } from '../../../common/validators.js';
import type { DB } from '../../db/index.js';
import { buildTestApp, type Client, type TestApp, type TestResponse } from '../../test/harness.js';
import { makeCast, makeTree, type Tree } from '../../test/factories.js';
import {
  cellText,
  importPeople,
  makeIdNumber,
  nthIdNumber,
  nthPhone,
  PEOPLE_HEAD,
  toCsv,
  type PeopleImportReport,
} from '../../test/routes.js';
import { idSurvivingAsNumber, registerWorkbook, type RegisterLine } from '../../test/register-workbook.js';

let t: TestApp;
let tree: Tree;
let db: DB;
let admin: Client;
let cadre: Client;
beforeAll(async () => {
  // Small batches, so that 1,000 rows make two of them.
  t = await buildTestApp({ importBatchRows: 500 });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  admin = await t.login('admin');
  cadre = await t.login('cadre');
});
afterAll(async () => t?.close());

const count = async (table: 'persons' | 'households' | 'person_tags') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const audits = (action: string) =>
  db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
const detailOf = (r: { detail: string | null }) => JSON.parse(r.detail!) as Record<string, unknown>;
async function readXlsx(res: TestResponse): Promise<{ header: string[]; rows: string[][] }> {
  expect(res.status, String(res.body).slice(0, 300)).toBe(200);
  expect(String(res.headers['content-type'])).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  const all: string[][] = [];
  ws.eachRow((r) =>
    all.push(Array.from({ length: ws.columnCount }, (_, k) => cellText(r.getCell(k + 1).value))),
  );
  return { header: all[0]!, rows: all.slice(1) };
}
const csvFile = (rows: string[][], name = 'people.csv') => ({
  name,
  data: toCsv([[...PEOPLE_HEAD], ...rows], true),
});

// ------------------------------------------------------------------ the 1,000-row file
const TYPES = ['户籍人口', '流动人口', '返乡人员', 'registered'];
const TAGS = ['', '独居老人', '党员、志愿者', 'disabled', ''];
const BAD = { checkDigit: 10, unknownGrid: 500, badType: 998 } as const;
/** 1,000 rows in village A1's two grids, households of five by 户号, with three bad rows. */
function thousandRows(): { rows: string[][]; goodIds: string[] } {
  const rows: string[][] = [];
  const goodIds: string[] = [];
  for (let i = 0; i < 1000; i++) {
    let id = nthIdNumber(i, '330122');
    const grid = i < 500 ? tree.grids[0]! : tree.grids[1]!;
    let gridCode = grid.fullCode;
    let type = TYPES[i % 4]!;
    let household = `H${Math.floor(i / 5)}`;
    if (i === BAD.checkDigit) id = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    else if (i === BAD.unknownGrid) gridCode = '330112009009009';
    else if (i === BAD.badType) type = '游客';
    else goodIds.push(id);
    if (Object.values(BAD).includes(i as never)) household = '';
    rows.push([
      `导入${i}`,
      id,
      nthPhone(20000000 + i),
      `锦城街道${i}号`,
      gridCode,
      type,
      TAGS[i % 5]!,
      household,
      household ? (i % 5 === 1 ? '户主' : '子女') : '',
    ]);
  }
  return { rows, goodIds };
}
const EXPECTED_ERRORS = [
  { row: BAD.checkDigit + 2, column: '身份证号', message: expect.stringMatching(/校验码|check/) as unknown },
  {
    row: BAD.unknownGrid + 2,
    column: '所属网格',
    message: expect.stringMatching(/不存在|unknown/) as unknown,
  },
  {
    row: BAD.badType + 2,
    column: '人员类型',
    message: expect.stringMatching(/人员类型|residence type/) as unknown,
  },
];

describe('3 bad rows among 1,000', () => {
  let file: { name: string; data: string };
  let goodIds: string[];
  let rejectedJob: PeopleImportReport;
  beforeAll(() => {
    const built = thousandRows();
    file = csvFile(built.rows, 'thousand.csv');
    goodIds = built.goodIds;
    expect(goodIds).toHaveLength(997);
  });

  it('all-or-nothing: writes nothing, reports exactly those 3 rows with column and reason, status rejected', async () => {
    const persons = await count('persons');
    const households = await count('households');
    const batchAudits = (await audits('person.import_batch')).length;
    const res = await importPeople(cadre, file, { mode: 'all-or-nothing', ref: 'aon-1000' });
    expect(res.status).toBe(200);
    rejectedJob = res.body;
    expect(res.body).toMatchObject({
      status: 'rejected',
      total: 1000,
      imported: 0,
      processed: 0,
      rejected: 3,
    });
    expect(res.body.errors).toEqual(EXPECTED_ERRORS);
    expect(res.body.errorWorkbook).toBe(`/api/people/imports/${res.body.jobId}/errors.xlsx`);
    expect(await count('persons')).toBe(persons);
    expect(await count('households')).toBe(households);
    expect((await audits('person.import_batch')).length).toBe(batchAudits);
    const last = (await audits('person.import')).at(-1)!;
    expect(last.actor_label).toBe('cadre');
    expect(detailOf(last)).toMatchObject({
      total: 1000,
      imported: 0,
      rejected: 3,
      mode: 'all-or-nothing',
      outcome: 'rejected',
    });
    // The default mode is all-or-nothing.
    const dflt = await importPeople(cadre, file);
    expect(dflt.body).toMatchObject({ status: 'rejected', imported: 0, rejected: 3 });
    expect(await count('persons')).toBe(persons);
  });

  it('the error workbook holds exactly the 3 bad rows as sent, with an error column; only for the importer', async () => {
    const res = await cadre.request({ method: 'GET', url: rejectedJob.errorWorkbook! });
    expect(String(res.headers['content-disposition'])).toMatch(/attachment; filename=".+\.xlsx"/);
    const { header, rows } = await readXlsx(res);
    expect(header[0]).toMatch(/行号|row/);
    expect(header.slice(1, 1 + PEOPLE_HEAD.length)).toEqual([...PEOPLE_HEAD]);
    expect(String(header.at(-1))).toMatch(/错误|error/);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => Number(r[0]))).toEqual(EXPECTED_ERRORS.map((e) => e.row));
    const sent = thousandRows().rows;
    for (const [k, r] of rows.entries()) {
      const i = EXPECTED_ERRORS[k]!.row - 2;
      expect(r.slice(1, 1 + PEOPLE_HEAD.length)).toEqual(sent[i]);
      expect(String(r.at(-1))).toContain(EXPECTED_ERRORS[k]!.column);
    }
    // Someone else, even an administrator, does not get it; without people.import it is 403.
    expect((await admin.get(rejectedJob.errorWorkbook!)).status).toBe(404);
    expect((await (await t.login('gridworker')).get(rejectedJob.errorWorkbook!)).status).toBe(403);
    expect((await cadre.get('/api/people/imports/999999/errors.xlsx')).status).toBe(404);
  });

  it('valid-rows: writes the 997 good rows in batches of 500, audited per batch, and reports the 3 bad ones', async () => {
    const persons = await count('persons');
    const res = await importPeople(cadre, file, { mode: 'valid-rows', ref: 'vr-1000' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'done',
      total: 1000,
      imported: 997,
      processed: 997,
      rejected: 3,
    });
    expect(res.body.errors).toEqual(EXPECTED_ERRORS);
    expect(await count('persons')).toBe(persons + 997);
    const jobId = res.body.jobId;

    const batches = (await audits('person.import_batch')).filter((r) => r.entity_id === String(jobId));
    expect(batches).toHaveLength(2);
    expect(batches.map((b) => detailOf(b).importedSoFar)).toEqual([500, 997]);
    expect(batches.map((b) => detailOf(b).rows)).toEqual([500, 497]);
    expect(batches.map((b) => detailOf(b).job)).toEqual([jobId, jobId]);
    // Each batch is placed where it wrote: the first spans both grids, the second only grid A1b.
    expect(batches.map((b) => b.node_path)).toEqual([tree.villages[0]!.path, tree.grids[1]!.path]);
    const finals = (await audits('person.import')).filter((r) => r.entity_id === String(jobId));
    expect(finals).toHaveLength(1);
    expect(detailOf(finals[0]!)).toMatchObject({
      file: 'thousand.csv',
      mode: 'valid-rows',
      total: 1000,
      imported: 997,
      rejected: 3,
      outcome: 'done',
    });
    expect(finals[0]!.id).toBeGreaterThan(batches[1]!.id);

    // Progress by ref, after the fact: done, and processed = imported.
    const progress = await cadre.get<PeopleImportReport>('/api/people/imports/by-ref/vr-1000');
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({ jobId, status: 'done', processed: 997, imported: 997 });
    expect((await admin.get('/api/people/imports/by-ref/vr-1000')).status).toBe(404);
    expect((await cadre.get('/api/people/imports/by-ref/no-such-ref')).status).toBe(404);
    // The rejected all-or-nothing job kept its own report.
    expect((await cadre.get<PeopleImportReport>('/api/people/imports/by-ref/aon-1000')).body).toMatchObject({
      status: 'rejected',
      imported: 0,
    });
  });

  it('the imported rows are whole: encrypted, indexed, typed, tagged, placed and grouped', async () => {
    // goodIds skips row index 10 (a bad row): goodIds[120] is row index 121.
    const id = goodIds[120]!;
    const found = await cadre.get<{
      items: {
        id: number;
        name: string;
        idNumber: string;
        residenceType: string;
        tags: string[];
        node: { id: number };
      }[];
    }>(`/api/people?q=${id}`);
    expect(found.body.items).toHaveLength(1);
    const p = found.body.items[0]!;
    expect(p.name).toBe('导入121');
    expect(p.residenceType).toBe('floating');
    expect(p.tags).toEqual(['elderly_alone']);
    expect(p.node.id).toBe(tree.grids[0]!.id);
    const revealed = await cadre.post<{ value: string }>(`/api/people/${p.id}/reveal`, {
      field: 'phone',
      reason: '导入核对',
    });
    expect(revealed.body.value).toBe(`+86${nthPhone(20000121)}`);
    // Its history starts with the import that brought it in, by whom and from which file.
    const detail = await cadre.get<{
      history: { action: string; actor: string; detail: { job: number; file: string } | null }[];
    }>(`/api/people/${p.id}`);
    const imported = detail.body.history.filter((h) => h.action === 'imported');
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatchObject({ actor: 'cadre', detail: { file: 'thousand.csv' } });
    expect(imported[0]!.detail!.job).toBeGreaterThan(0);
    const byType = await db
      .selectFrom('persons')
      .select(['residence_type'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('name', 'like', '导入%')
      .groupBy('residence_type')
      .orderBy('residence_type')
      .execute();
    expect(byType.map((r) => [r.residence_type, Number(r.n)])).toEqual([
      ['floating', 250],
      ['registered', 499],
      ['returnee', 248],
    ]);
    const multi = await db
      .selectFrom('persons')
      .select('id')
      .where('name', '=', '导入2')
      .executeTakeFirstOrThrow();
    const tags = await db
      .selectFrom('person_tags')
      .select('tag_code')
      .where('person_id', '=', multi.id)
      .orderBy('tag_code')
      .execute();
    expect(tags.map((x) => x.tag_code)).toEqual(['party_member', 'volunteer']);
    // Household H100 straddles the two batches (its members are valid rows 500 and 501–503): one household.
    const h100 = await db
      .selectFrom('persons')
      .select(['name', 'household_id', 'relation_to_head'])
      .where('name', 'in', ['导入501', '导入502', '导入503', '导入504'])
      .execute();
    expect(new Set(h100.map((x) => x.household_id)).size).toBe(1);
    const head = await db
      .selectFrom('households')
      .selectAll()
      .where('id', '=', h100[0]!.household_id!)
      .executeTakeFirstOrThrow();
    const headPerson = await db
      .selectFrom('persons')
      .select('id')
      .where('name', '=', '导入501')
      .executeTakeFirstOrThrow();
    expect(head.head_person_id).toBe(headPerson.id);
  });

  it('re-importing the same file (valid rows) writes nothing: 997 already registered + the 3 bad rows', async () => {
    const persons = await count('persons');
    const households = await count('households');
    const res = await importPeople(cadre, file, { mode: 'valid-rows' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', total: 1000, imported: 0, rejected: 1000 });
    const already = res.body.errors.filter((e) => /已登记|already registered/.test(e.message));
    expect(already).toHaveLength(997);
    for (const e of already) expect(e.column).toBe('身份证号');
    expect(res.body.errors.filter((e) => !/已登记|already registered/.test(e.message))).toEqual(
      EXPECTED_ERRORS,
    );
    expect(await count('persons')).toBe(persons);
    expect(await count('households')).toBe(households);
    // And no ID number is there twice.
    const dupes = await db
      .selectFrom('persons')
      .select('id_number_bidx')
      .where('id_number_bidx', 'is not', null)
      .groupBy('id_number_bidx')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(dupes).toEqual([]);
    // All-or-nothing says the same and writes nothing either.
    const aon = await importPeople(cadre, file);
    expect(aon.body).toMatchObject({ status: 'rejected', imported: 0, rejected: 1000 });
    expect(await count('persons')).toBe(persons);
  });
});

// ------------------------------------------------------------------ a register as officials keep it
describe('a register as officials keep it in Excel', () => {
  const serial = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000 + 25_569;
  // One of the eleven ID numbers that still pass their check once Excel has cut them to 15 digits.
  const survivor = idSurvivingAsNumber('330114', '19800202');
  const cut = makeIdNumber('330114', '19800303', 7);
  const good = [1, 2, 3, 4, 5].map((k) => makeIdNumber('330114', '19810101', k));
  let lines: RegisterLine[];
  let book: { data: Buffer; rowOf: number[] };
  beforeAll(async () => {
    const g0 = tree.grids[0]!.fullCode;
    const g1 = tree.grids[1]!.fullCode;
    lines = [
      // Mobile number kept as a number, arrival as a date cell.
      {
        name: '陈一',
        id: good[0]!,
        phone: '13900000001',
        phoneAsNumber: true,
        grid: g0,
        type: '户籍人口',
        arrival: new Date(Date.UTC(2023, 4, 6)),
      },
      { name: '陈二', id: survivor.id, idAsNumber: true, grid: g0, type: '户籍人口' },
      { name: '陈三', id: good[1]!, phone: '13900000003', grid: g1, type: '流动人口', arrival: '2023/5/7' },
      'blank',
      { name: '陈四', id: cut, idAsNumber: true, grid: g1, type: '流动人口', arrival: '2023-05-11' },
      { name: '陈五', id: good[2]!, grid: g0, type: '返乡人员', arrival: '2023年5月8日' },
      'blank',
      'blank',
      // A serial day in a General cell, and a date typed as eight digits.
      { name: '陈六', id: good[3]!, grid: g0, type: '流动人口', arrival: serial(2023, 5, 9) },
      { name: '陈七', id: good[4]!, grid: g1, type: '户籍人口', arrival: '20230510' },
      'total',
    ];
    book = await registerWorkbook(lines);
  });
  const rowOfName = (name: string) =>
    book.rowOf[lines.findIndex((l) => typeof l === 'object' && l.name === name)]!;
  const file = () => ({ name: '登记表.xlsx', data: book.data });

  it('all-or-nothing checks first: 5 rows valid, 2 with errors, each ID kept as a number refused with why and how to fix it', async () => {
    expect(survivor.asNumber).not.toBe(survivor.id);
    expect(parseIdNumber(survivor.asNumber).ok).toBe(true);
    const persons = await count('persons');
    const res = await importPeople(cadre, file(), { ref: 'register-check' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'rejected', total: 7, imported: 0, rejected: 2 });
    expect(res.body.total - res.body.rejected).toBe(5);
    expect(res.body.errors).toEqual([
      {
        row: rowOfName('陈二'),
        column: '身份证号',
        message: expect.stringMatching(/存成了数字.*文本/) as unknown,
      },
      {
        row: rowOfName('陈四'),
        column: '身份证号',
        message: expect.stringMatching(/存成了数字.*文本/) as unknown,
      },
    ]);
    expect(await count('persons')).toBe(persons);
  });

  it('notes every skipped row: the title above the header, the blank rows and the 合计 row', async () => {
    const res = await cadre.get<{ items: PeopleImportReport[] }>('/api/people/imports?ref=register-check');
    expect(res.status).toBe(200);
    const { skipped } = res.body.items[0]!;
    const at = (k: number) => book.rowOf[k]!;
    expect(skipped.total).toBe(5);
    expect(skipped.rows.map((r) => [r.row, r.reason])).toEqual([
      [1, 'above_header'],
      [at(3), 'blank'],
      [at(6), 'blank'],
      [at(7), 'blank'],
      [at(10), 'total'],
    ]);
    expect(skipped.rows.at(-1)!.message).toBe('合计行，已跳过');
    // In the language asked.
    const en = await cadre.request<{ items: PeopleImportReport[] }>({
      method: 'GET',
      url: '/api/people/imports?ref=register-check',
      headers: { 'accept-language': 'en' },
    });
    const report = en.body.items[0]!;
    expect(report.skipped.rows.map((r) => r.message)).toEqual([
      'Above the header row (a title, say): not read as data',
      'Blank row: skipped',
      'Blank row: skipped',
      'Blank row: skipped',
      'A total row: skipped',
    ]);
    expect(report.errors[0]!.message).toMatch(
      /^Excel stored this 身份证号 as a number and its last digits are lost.*Format the column as Text/,
    );
    // A ref never used is an empty list, not a 404.
    expect((await cadre.get('/api/people/imports?ref=never-used')).body).toEqual({ items: [] });
  });

  it('the bad rows’ workbook holds the 2 refused rows with their reason, in the language asked', async () => {
    const job = (await cadre.get<{ items: PeopleImportReport[] }>('/api/people/imports?ref=register-check'))
      .body.items[0]!;
    for (const [lang, rowHead, errorHead, reason] of [
      ['zh-CN', '行号', '错误', /身份证号: 身份证号被 Excel 存成了数字/],
      ['en', 'Row', 'Error', /身份证号: Excel stored this 身份证号 as a number/],
    ] as const) {
      const { header, rows } = await readXlsx(
        await cadre.request({ method: 'GET', url: job.errorWorkbook!, headers: { 'accept-language': lang } }),
      );
      expect(header[0]).toBe(rowHead);
      expect(header.at(-1)).toBe(errorHead);
      // The columns under the importer's names, 序号 left out.
      expect(header).toContain('身份证号');
      expect(header).not.toContain('序号');
      expect(rows.map((r) => Number(r[0]))).toEqual([rowOfName('陈二'), rowOfName('陈四')]);
      for (const r of rows) expect(String(r.at(-1))).toMatch(reason);
    }
  });

  it('valid rows: every good row goes in with its date read either way; no ID number goes in with lost digits', async () => {
    const persons = await count('persons');
    const res = await importPeople(cadre, file(), { mode: 'valid-rows' });
    expect(res.body).toMatchObject({ status: 'done', total: 7, imported: 5, rejected: 2 });
    expect(res.body.skipped.total).toBe(5);
    expect(await count('persons')).toBe(persons + 5);
    const stored = await db
      .selectFrom('persons')
      .select(['name', 'arrival_date', 'birth_date'])
      .where('name', 'in', ['陈一', '陈二', '陈三', '陈四', '陈五', '陈六', '陈七'])
      .orderBy('name')
      .execute();
    expect(stored.map((p) => [p.name, p.arrival_date, p.birth_date])).toEqual(
      [
        ['陈一', '2023-05-06', '1981-01-01'],
        ['陈七', '2023-05-10', '1981-01-01'],
        ['陈三', '2023-05-07', '1981-01-01'],
        ['陈五', '2023-05-08', '1981-01-01'],
        ['陈六', '2023-05-09', '1981-01-01'],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    // Neither the cut number (which passes its check) nor the real one was registered.
    for (const q of [survivor.asNumber, survivor.id, cut, String(Number(cut))])
      expect((await cadre.get<{ items: unknown[] }>(`/api/people?q=${q}`)).body.items, q).toEqual([]);
    // The mobile number kept as a number kept its 11 digits.
    const chen1 = (await cadre.get<{ items: { id: number }[] }>(`/api/people?q=${good[0]}`)).body.items[0]!;
    const phone = await cadre.post<{ value: string }>(`/api/people/${chen1.id}/reveal`, {
      field: 'phone',
      reason: '核对导入',
    });
    expect(phone.body.value).toBe('+8613900000001');
  });
});

// ------------------------------------------------------------------ households, XLSX, scope
describe('households by 户号', () => {
  it('rows sharing a 户号 form one household, headed by the 户主 row wherever it stands', async () => {
    const g0 = tree.grids[0]!;
    const rows = [
      [
        '林子',
        makeIdNumber('330112', '20120101', 1),
        '',
        '林家弄1号',
        g0.fullCode,
        '户籍人口',
        '留守儿童',
        'L1',
        '子',
      ],
      [
        '林母',
        makeIdNumber('330112', '19850101', 2),
        '',
        '林家弄1号',
        g0.fullCode,
        '户籍人口',
        '',
        'L1',
        '配偶',
      ],
      [
        '林父',
        makeIdNumber('330112', '19830101', 3),
        '13700000001',
        '林家弄1号',
        g0.fullCode,
        '户籍人口',
        '',
        'L1',
        '户主',
      ],
      ['单身', makeIdNumber('330112', '19900101', 4), '', '独户', g0.fullCode, '流动人口', '', '', ''],
      [
        '马甲',
        makeIdNumber('330112', '19600101', 5),
        '',
        '马家2号',
        tree.grids[1]!.fullCode,
        '户籍人口',
        '',
        'M2',
        '本人',
      ],
      [
        '马乙',
        makeIdNumber('330112', '19620101', 6),
        '',
        '马家2号',
        tree.grids[1]!.fullCode,
        '户籍人口',
        '',
        'M2',
        '配偶',
      ],
    ];
    const households = await count('households');
    const res = await importPeople(cadre, csvFile(rows));
    expect(res.body).toMatchObject({ status: 'done', imported: 6, rejected: 0, errors: [] });
    expect(await count('households')).toBe(households + 2);
    const byName = new Map(
      (
        await db
          .selectFrom('persons')
          .select(['id', 'name', 'household_id', 'relation_to_head', 'node_id'])
          .where(
            'name',
            'in',
            rows.map((r) => r[0]!),
          )
          .execute()
      ).map((p) => [p.name, p]),
    );
    const lin = byName.get('林父')!.household_id!;
    expect([byName.get('林子')!.household_id, byName.get('林母')!.household_id]).toEqual([lin, lin]);
    expect(byName.get('单身')!.household_id).toBeNull();
    const ma = byName.get('马甲')!.household_id!;
    expect(byName.get('马乙')!.household_id).toBe(ma);
    expect(ma).not.toBe(lin);
    const linRow = await db
      .selectFrom('households')
      .selectAll()
      .where('id', '=', lin)
      .executeTakeFirstOrThrow();
    expect(linRow).toMatchObject({
      head_person_id: byName.get('林父')!.id,
      node_id: g0.id,
      address: '林家弄1号',
    });
    expect(
      (
        await db
          .selectFrom('households')
          .select('head_person_id')
          .where('id', '=', ma)
          .executeTakeFirstOrThrow()
      ).head_person_id,
    ).toBe(byName.get('马甲')!.id);
    const view = await cadre.get<{
      headName: string;
      memberCount: number;
      members: { name: string; relation: string; isHead: boolean }[];
    }>(`/api/households/${lin}`);
    expect(view.body).toMatchObject({ headName: '林父', memberCount: 3 });
    expect(view.body.members.filter((m) => m.isHead).map((m) => m.name)).toEqual(['林父']);
  });
});

describe('other files and rules', () => {
  it('an XLSX built with exceljs imports the same way (numbers typed as numbers included)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人员');
    ws.addRow([...PEOPLE_HEAD]);
    ws.addRow([
      '许一',
      makeIdNumber('330112', '19700101', 11),
      '13811112222',
      '地址1',
      tree.grids[0]!.fullCode,
      '户籍人口',
      '党员',
      'X1',
      '户主',
    ]);
    ws.addRow([
      '许二',
      makeIdNumber('330112', '19720101', 12),
      13811113333,
      '地址1',
      tree.grids[0]!.fullCode,
      '流动人口',
      '',
      'X1',
      '配偶',
    ]);
    ws.addRow([
      '许三',
      makeIdNumber('330112', '19740101', 13),
      '',
      '地址3',
      tree.grids[1]!.fullCode,
      '返乡人员',
      '',
      '',
      '',
    ]);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await importPeople(cadre, { name: 'people.xlsx', data });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', total: 3, imported: 3, rejected: 0, errors: [] });
    const xu2 = await cadre.get<{ items: { id: number; residenceType: string }[] }>(
      `/api/people?q=${makeIdNumber('330112', '19720101', 12)}`,
    );
    expect(xu2.body.items).toHaveLength(1);
    expect(xu2.body.items[0]!.residenceType).toBe('floating');
    const phone = await cadre.post<{ value: string }>(`/api/people/${xu2.body.items[0]!.id}/reveal`, {
      field: 'phone',
      reason: '核对导入',
    });
    expect(phone.body.value).toBe('+8613811113333');
  });

  it('a grid outside the cadre’s village (town B, or village A2) is a row error, not a write', async () => {
    const persons = await count('persons');
    const res = await importPeople(
      cadre,
      csvFile([
        [
          '越界一',
          makeIdNumber('330112', '19500101', 21),
          '',
          '',
          tree.grids[4]!.fullCode,
          '户籍人口',
          '',
          '',
          '',
        ],
        [
          '越界二',
          makeIdNumber('330112', '19500101', 22),
          '',
          '',
          tree.grids[2]!.fullCode,
          '户籍人口',
          '',
          '',
          '',
        ],
        [
          '本村',
          makeIdNumber('330112', '19500101', 23),
          '',
          '',
          tree.grids[1]!.fullCode,
          '户籍人口',
          '',
          '',
          '',
        ],
      ]),
      { mode: 'valid-rows' },
    );
    expect(res.body).toMatchObject({ imported: 1, rejected: 2 });
    expect(res.body.errors).toEqual([
      { row: 2, column: '所属网格', message: expect.stringMatching(/辖区|jurisdiction/) as unknown },
      { row: 3, column: '所属网格', message: expect.stringMatching(/辖区|jurisdiction/) as unknown },
    ]);
    expect(await count('persons')).toBe(persons + 1);
    expect(
      await db.selectFrom('persons').select('id').where('name', 'in', ['越界一', '越界二']).execute(),
    ).toEqual([]);
  });

  it('the same ID twice in one file, a bad phone, an unknown tag, a missing reason for no ID: each a row error', async () => {
    const id = makeIdNumber('330112', '19510101', 31);
    const g = tree.grids[0]!.fullCode;
    const res = await importPeople(
      cadre,
      csvFile([
        ['甲', id, '', '', g, '户籍人口', '', '', ''],
        ['乙', id.toLowerCase(), '', '', g, '户籍人口', '', '', ''],
        ['丙', makeIdNumber('330112', '19510101', 32), '12345', '', g, '户籍人口', '', '', ''],
        ['丁', makeIdNumber('330112', '19510101', 33), '', '', g, '户籍人口', '外星人', '', ''],
        ['戊', '', '', '', g, '户籍人口', '', '', ''],
        ['', makeIdNumber('330112', '19510101', 34), '', '', g, '户籍人口', '', '', ''],
      ]),
    );
    expect(res.body.status).toBe('rejected');
    expect(res.body.errors.map((e) => [e.row, e.column])).toEqual([
      [3, '身份证号'],
      [4, '手机号'],
      [5, '标签'],
      [6, '身份证号'],
      [7, '姓名'],
    ]);
    for (const e of res.body.errors) expect(e.message.length).toBeGreaterThan(0);
  });

  it('a person registered outside the importer’s scope is reported as registered without naming the record', async () => {
    const id = makeIdNumber('330112', '19520202', 41);
    const other = await admin.post<{ id: number }>('/api/people', {
      name: '外镇人',
      idNumber: id,
      nodeId: tree.grids[5]!.id,
      residenceType: 'registered',
    });
    expect(other.status).toBe(201);
    const res = await importPeople(
      cadre,
      csvFile([['外镇人', id, '', '', tree.grids[0]!.fullCode, '户籍人口', '', '', '']]),
    );
    expect(res.body.errors).toEqual([
      { row: 2, column: '身份证号', message: expect.stringMatching(/已登记|registered/) as unknown },
    ]);
    // The create form hides the id of a record outside the caller's scope; the import must too.
    expect(res.body.errors[0]!.message).not.toContain(`#${other.body.id}`);
  });

  it('an ID number or phone typed into the wrong column is not kept in clear in the stored job', async () => {
    const id = makeIdNumber('330112', '19530303', 51);
    const phone = '13698765432';
    // Shifted columns, as happens in real spreadsheets: the ID number lands in 所属网格, the phone in 标签.
    const res = await importPeople(cadre, csvFile([['错列', '', '', '', id, '户籍人口', phone, '', '']]));
    expect(res.body.status).toBe('rejected');
    expect(res.body.errors.map((e) => e.column)).toEqual(expect.arrayContaining(['所属网格', '标签']));
    const job = await db
      .selectFrom('import_jobs')
      .selectAll()
      .where('id', '=', res.body.jobId)
      .executeTakeFirstOrThrow();
    const atRest = JSON.stringify(job);
    // The bad row itself is kept, encrypted, for the error workbook; nothing else may hold the numbers.
    expect(job.error_rows_enc).not.toBeNull();
    expect(atRest.includes(id), `import_jobs holds ${id}: ${job.errors}`).toBe(false);
    expect(atRest.includes(phone), `import_jobs holds ${phone}: ${job.errors}`).toBe(false);
  });

  it('missing required columns → 400 import.missing_columns; no people.import → 403; not a file → 400', async () => {
    const res = await importPeople(cadre, {
      name: 'x.csv',
      data: toCsv([
        ['姓名', '手机号'],
        ['甲', '13800138000'],
      ]),
    });
    expect(res.status).toBe(400);
    const p = res.body as unknown as { code: string; issues: { path: string }[] };
    expect(p.code).toBe('import.missing_columns');
    expect(p.issues.map((i) => i.path).sort()).toEqual(
      ['columns.人员类型', 'columns.所属网格', 'columns.身份证号'].sort(),
    );
    const gw = await t.login('gridworker');
    expect((await importPeople(gw, csvFile([]))).status).toBe(403);
    expect((await importPeople(cadre, { name: 'x.pdf', data: '%PDF' })).status).toBe(400);
    expect((await importPeople(cadre, { name: 'x.xlsx', data: 'not a zip' })).status).toBe(400);
  });
});

describe('a file wrong throughout', () => {
  it('counts every bad row, reports the first 1,000 errors and keeps the first 10,000 rows for the error workbook', async () => {
    const rows = Array.from({ length: 10_005 }, (_, i) => [
      `错${i}`,
      nthIdNumber(i, '330127'),
      '',
      '',
      '330112999999999',
      '户籍人口',
    ]);
    const res = await importPeople(cadre, csvFile(rows, 'wrong.csv'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'rejected', total: 10_005, imported: 0, rejected: 10_005 });
    expect(res.body.errors).toHaveLength(1000);
    expect(res.body.errors.at(-1)!.row).toBe(1001);
    const book = await readXlsx(await cadre.request({ method: 'GET', url: res.body.errorWorkbook! }));
    expect(book.rows).toHaveLength(10_000);
    expect(Number(book.rows.at(-1)![0])).toBe(10_001);
  }, 60_000);
});

describe('the import template', () => {
  it('is an XLSX with the import columns, and its example row is itself valid', async () => {
    const res = await cadre.request({ method: 'GET', url: '/api/people/import/template' });
    const { header, rows } = await readXlsx(res);
    expect(header).toEqual([...PEOPLE_IMPORT_COLUMNS]);
    expect(rows).toHaveLength(1);
    const example = Object.fromEntries(header.map((h, i) => [h, rows[0]![i] ?? '']));
    // An official copies the example: it must pass the same checks the import applies.
    expect(parseIdNumber(example['身份证号']!), `template ID ${example['身份证号']}`).toMatchObject({
      ok: true,
    });
    expect(normalizePhone(example['手机号']!).ok).toBe(true);
    expect((await (await t.login('gridworker')).get('/api/people/import/template')).status).toBe(403);
  });

  it('names its sheet in the language asked; the columns stay the names the importer reads', async () => {
    const sheetOf = async (lang: string) => {
      const res = await cadre.request({
        method: 'GET',
        url: '/api/people/import/template',
        headers: { 'accept-language': lang },
      });
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0]!;
      return { name: ws.name, first: cellText(ws.getRow(1).getCell(1).value) };
    };
    expect(await sheetOf('zh-CN')).toEqual({ name: '人员', first: '姓名' });
    expect(await sheetOf('en')).toEqual({ name: 'People', first: '姓名' });
  });
});
