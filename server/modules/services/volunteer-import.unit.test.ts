// The volunteer workbook's parser, without a database: columns found by their Chinese or English
// names, skills and certificates by code or label in either language, party membership as officials
// write it, and every bad row listed by its row in the sheet before anything is written.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { nthIdNumber, toCsv } from '../../test/routes.js';
import { parseVolunteerSheet } from './volunteer-import.js';

const csv = (rows: string[][]) => Buffer.from(toCsv(rows, true), 'utf8');

/** The parser's refusal, for a look at its code and issues. */
async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('parseVolunteerSheet', () => {
  it('reads Chinese headers, labels in both languages and 是 for a party member', async () => {
    const rows = await parseVolunteerSheet(
      '志愿者.csv',
      csv([
        ['姓名', '身份证号', '手机号', '居住地编码', '党员', '技能', '证书'],
        ['赵一', nthIdNumber(1), '13900000001', '330112001001001', '是', '送餐、代购', '急救证'],
        ['钱二', nthIdNumber(2), '', '330112001001002', '', 'Meal delivery, guard_duty', 'Driving licence'],
        ['孙三', nthIdNumber(3), '', '330112001001002', '否', '送药 陪伴', ''],
      ]),
    );
    expect(rows).toEqual([
      {
        row: 2,
        name: '赵一',
        idNumber: nthIdNumber(1),
        phone: '+8613900000001',
        homeCode: '330112001001001',
        partyMember: true,
        skills: ['meal_delivery', 'shopping'],
        certifications: ['first_aid'],
      },
      {
        row: 3,
        name: '钱二',
        idNumber: nthIdNumber(2),
        phone: null,
        homeCode: '330112001001002',
        partyMember: false,
        skills: ['meal_delivery', 'guard_duty'],
        certifications: ['driving'],
      },
      {
        row: 4,
        name: '孙三',
        idNumber: nthIdNumber(3),
        phone: null,
        homeCode: '330112001001002',
        partyMember: false,
        skills: ['medicine_delivery', 'companionship'],
        certifications: [],
      },
    ]);
  });

  it('reads English headers whatever their case and spacing', async () => {
    const rows = await parseVolunteerSheet(
      'volunteers.csv',
      csv([
        ['Name', 'ID Number', 'Home code', 'Party member', 'Skills'],
        ['Li Si', nthIdNumber(4), '330112002001001', 'yes', 'first aid'],
      ]),
    );
    expect(rows).toEqual([
      expect.objectContaining({
        row: 2,
        name: 'Li Si',
        phone: null,
        partyMember: true,
        skills: ['first_aid'],
      }),
    ]);
  });

  it('lists every bad row by its row in the sheet, blank rows counted', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow(['姓名', '身份证号', '手机号', '居住地编码', '技能']);
    ws.addRow(['赵一', nthIdNumber(5), '', '330112001001001', '送餐']);
    ws.getRow(4).values = ['钱二', '330112199001011234', '', '330112001001001', ''];
    ws.getRow(5).values = ['孙三', nthIdNumber(6), '12345', '330112001001001', ''];
    ws.getRow(6).values = ['周五', nthIdNumber(8), '', '330112001001001', '送餐，跳舞'];
    ws.getRow(7).values = ['李四', nthIdNumber(5), '', '330112001001001', ''];
    ws.getRow(8).values = ['', nthIdNumber(7), '', '330112001001001', ''];
    const e = await refusal(parseVolunteerSheet('名册.xlsx', Buffer.from(await wb.xlsx.writeBuffer())));
    expect(e.status).toBe(400);
    expect(e.code).toBe('validation_failed');
    expect(e.extra.issues!.map((i) => [i.path, i.code])).toEqual([
      ['rows.4.idNumber', expect.any(String)],
      ['rows.5.phone', expect.any(String)],
      ['rows.6.skills', 'unknown'],
      ['rows.7.idNumber', 'duplicate'],
      ['rows.8.name', expect.any(String)],
    ]);
    expect(e.extra.issues![2]!.message).toEqual({
      code: 'issue.not_a_choice',
      params: { value: '跳舞' },
    });
    expect(e.extra.issues![3]!.message).toEqual({ code: 'issue.duplicate_row', params: { row: 2 } });
  });

  it('refuses a sheet without the columns a volunteer needs, or without rows', async () => {
    const missing = await refusal(
      parseVolunteerSheet(
        '名册.csv',
        csv([
          ['姓名', '手机号'],
          ['赵一', '13900000001'],
        ]),
      ),
    );
    expect(missing.code).toBe('import.missing_columns');
    expect(missing.extra.issues!.map((i) => i.path)).toEqual(['columns.身份证号', 'columns.居住地编码']);
    const empty = await refusal(parseVolunteerSheet('名册.csv', csv([['姓名', '身份证号', '居住地编码']])));
    expect(empty.code).toBe('import.empty');
  });
});
