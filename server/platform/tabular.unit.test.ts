import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import {
  HEADER_SCAN_ROWS,
  countTableRows,
  csvChunks,
  headerKey,
  openTable,
  parseCsv,
  readTable,
  requireHeaders,
  sheetDate,
  type TableOptions,
  writeWorkbook,
} from './tabular.js';

const quote = (c: string) => `"${c.replaceAll('"', '""')}"`;

describe('parseCsv', () => {
  it('strips a UTF-8 BOM', () => {
    expect(parseCsv('\uFEFFa,b\n1,2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('\uFEFF上级编码,编码')[0]![0]).toBe('上级编码');
  });

  it('reads quoted fields with doubled quotes, embedded commas and newlines', () => {
    const text = 'name,note\r\n"Zhang, San","He said ""hi""\r\nand left"\r\n"x\ny",plain\r\n';
    expect(parseCsv(text)).toEqual([
      ['name', 'note'],
      ['Zhang, San', 'He said "hi"\r\nand left'],
      ['x\ny', 'plain'],
    ]);
  });

  it('treats CRLF, LF and bare CR alike and adds no row for the final line break', () => {
    expect(parseCsv('a,b\r\n1,2\r\n')).toEqual(parseCsv('a,b\n1,2\n'));
    expect(parseCsv('a,b\r1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('a,b\r\n1,2')).toHaveLength(2);
  });

  it('keeps empty fields, including trailing ones', () => {
    expect(parseCsv('a,,c,\n,,,\n')).toEqual([
      ['a', '', 'c', ''],
      ['', '', '', ''],
    ]);
    expect(parseCsv('')).toEqual([]);
  });

  it('round-trips any grid written with RFC 4180 quoting', () => {
    const cell = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/\uFEFF/g, ''));
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (grid, crlf) => {
          const eol = crlf ? '\r\n' : '\n';
          // Quote only where needed, as spreadsheet programs do.
          const text =
            grid
              .map((r) => r.map((c) => (/[",\r\n]/.test(c) || c === '' ? quote(c) : c)).join(','))
              .join(eol) + eol;
          expect(parseCsv(text)).toEqual(grid);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('readTable', () => {
  it('reads a CSV with BOM into trimmed headers and row-numbered values, skipping blank lines', async () => {
    const csv = '\uFEFF 上级编码 ,编码,名称\r\n330112001,001, 甲村 \r\n,,\r\n330112001,"002","乙,村"\r\n';
    const t = await readTable('Nodes.CSV', Buffer.from(csv, 'utf8'));
    expect(t.headers).toEqual(['上级编码', '编码', '名称']);
    expect(t.rows).toEqual([
      { row: 2, values: { 上级编码: '330112001', 编码: '001', 名称: '甲村' } },
      { row: 4, values: { 上级编码: '330112001', 编码: '002', 名称: '乙,村' } },
    ]);
  });

  it('fills missing trailing cells with empty text', async () => {
    const t = await readTable('a.csv', Buffer.from('a,b,c\n1\n', 'utf8'));
    expect(t.rows[0]!.values).toEqual({ a: '1', b: '', c: '' });
  });

  it('reads back an XLSX written by writeWorkbook, numbers as text, saying which cells were numbers', async () => {
    const buf = await writeWorkbook(
      's',
      ['上级编码', '编码', '名称'],
      [
        ['330112001', '001', '甲村'],
        [330112001, '002', null],
      ],
    );
    const t = await readTable('x.xlsx', buf);
    expect(t.headers).toEqual(['上级编码', '编码', '名称']);
    expect(t.rows).toEqual([
      { row: 2, values: { 上级编码: '330112001', 编码: '001', 名称: '甲村' } },
      { row: 3, values: { 上级编码: '330112001', 编码: '002', 名称: '' }, numeric: ['上级编码'] },
    ]);
  });

  it('reads rich text and formula results from XLSX cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['a', 'b']);
    ws.addRow([{ richText: [{ text: '甲' }, { text: '村' }] }, { formula: '1+1', result: 2 }]);
    const t = await readTable('r.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(t.rows[0]!.values).toEqual({ a: '甲村', b: '2' });
  });

  it('reads dates written by exceljs as YYYY-MM-DD, as the whole-workbook reader did', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['到达日期', '数']);
    ws.addRow([new Date(Date.UTC(2024, 2, 5)), 12.5]);
    ws.addRow([]);
    ws.addRow(['2024-03-06', true]);
    const t = await readTable('d.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(t.rows).toEqual([
      { row: 2, values: { 到达日期: '2024-03-05', 数: '12.5' }, numeric: ['数'] },
      { row: 4, values: { 到达日期: '2024-03-06', 数: 'true' } },
    ]);
  });

  it('refuses other file types and unreadable workbooks with 400 problems', async () => {
    await expect(readTable('a.pdf', Buffer.from('x'))).rejects.toMatchObject({
      status: 400,
      code: 'import.unsupported_type',
    });
    await expect(readTable('a.xlsx', Buffer.from('not a zip'))).rejects.toMatchObject({
      status: 400,
      code: 'import.unreadable',
    });
    await expect(readTable('a.csv', Buffer.from(''))).rejects.toMatchObject({
      status: 400,
      code: 'import.empty',
    });
  });
});

describe('requireHeaders', () => {
  it('names every missing column as an issue', () => {
    const table = { headers: ['编码'] };
    let err: unknown;
    try {
      requireHeaders(table, ['上级编码', '编码', '名称']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 400, code: 'import.missing_columns' });
    expect((err as AppError).extra.issues?.map((i) => i.path)).toEqual(['columns.上级编码', 'columns.名称']);
    expect(() => requireHeaders({ headers: ['a', 'b'] }, ['b', 'a'])).not.toThrow();
  });
});

// ------------------------------------------------------------------ registers as officials keep them
const SPEC: TableOptions = {
  known: ['姓名', '身份证号', '手机号', '到达日期', '备注'],
  aliases: { 身份证号码: '身份证号', 联系电话: '手机号', 来本地日期: '到达日期' },
  required: ['姓名', '身份证号'],
  dates: ['到达日期'],
};
const ID = '330112199001011237';

/** A register as Excel users make one: a merged title, a unit line, headers with remarks and a 序号
 * column, numbers and dates of every kind, blank rows (one Excel leaves out of the file), a 合计 row
 * and trailing blank rows that Excel keeps because they are formatted. */
async function register(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('登记表');
  ws.addRow(['锦城街道某村常住人口登记表']);
  ws.mergeCells('A1:F1');
  ws.addRow(['填报单位：某村', '', '', '填报日期：2024年3月']);
  ws.addRow(['序号', ' 姓 名 ', '身份证号码（必填）', '*联系电话', '来本地日期', '备注']);
  ws.addRow([1, '张三', ID, 13811112222, new Date(Date.UTC(2024, 2, 5)), '']); // row 4
  ws.addRow([2, '李四', 330112199001011200, '13811113333', '2024/3/6', '']); // row 5: ID as a number
  ws.addRow([3, '', '', '', '', '']); // row 6: numbered but blank
  ws.addRow([]); // row 7
  ws.getRow(9).values = [4, '王五', ID.replace('1237', '1245'), '', 45_360, '']; // row 9 (row 8 absent)
  ws.getRow(9).getCell(5).numFmt = 'General';
  ws.getRow(10).values = [5, '赵六', '', '', '2024年3月8日', ''];
  ws.getRow(11).values = ['合  计', '', '', '', '', '4人'];
  ws.getRow(12).getCell(2).style = { font: { bold: true } }; // a formatted, empty row
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('headers below a title, 序号, blank and total rows', () => {
  it('finds the header row, reads columns by their aliases, leaves out 序号 and notes every skipped row', async () => {
    const t = await openTable('r.xlsx', await register(), SPEC);
    expect(t.headerRow).toBe(3);
    expect(t.headers).toEqual(['姓名', '身份证号', '手机号', '到达日期', '备注']);
    const rows = [];
    for await (const b of t.batches) rows.push(...b);
    expect(rows.map((r) => r.row)).toEqual([4, 5, 9, 10]);
    expect(rows[0]).toEqual({
      row: 4,
      values: { 姓名: '张三', 身份证号: ID, 手机号: '13811112222', 到达日期: '2024-03-05', 备注: '' },
      numeric: ['手机号'],
    });
    // The ID number Excel held as a number: flagged, and already short of its last digits.
    expect(rows[1]!.numeric).toEqual(['身份证号']);
    expect(rows[1]!.values['身份证号']).toBe(String(330112199001011200));
    expect(rows[1]!.values['到达日期']).toBe('2024-03-06');
    // A serial day number in a cell without a date format, and a date written in Chinese.
    expect(rows[2]!.values['到达日期']).toBe('2024-03-09');
    expect(rows[2]!.numeric).toBeUndefined();
    expect(rows[3]!.values['到达日期']).toBe('2024-03-08');
    expect(t.skipped).toEqual({
      total: 6,
      rows: [
        { row: 1, reason: 'above_header' },
        { row: 2, reason: 'above_header' },
        { row: 6, reason: 'blank' },
        { row: 7, reason: 'blank' },
        { row: 8, reason: 'blank' },
        { row: 11, reason: 'total' },
      ],
    });
    expect(await countTableRows('r.xlsx', await register(), SPEC)).toBe(4);
  });

  it('does the same for a CSV, where a long number saved by Excel reads 3.30112E+17 (text, not a number)', async () => {
    const csv = [
      '人员登记表,,,',
      ',,,',
      '序号,姓名,身份证号,到达日期',
      `1,张三,${ID},19900102`,
      '2,李四,3.30112E+17,1990.1.2',
      ',,,',
      '3,王五,,1990-1-2 0:00',
      '合计,3人,,',
      ',,,',
    ].join('\r\n');
    const t = await readTable('r.csv', Buffer.from(csv), SPEC);
    expect(t.headers).toEqual(['姓名', '身份证号', '到达日期']);
    expect(t.rows).toEqual([
      { row: 4, values: { 姓名: '张三', 身份证号: ID, 到达日期: '1990-01-02' } },
      { row: 5, values: { 姓名: '李四', 身份证号: '3.30112E+17', 到达日期: '1990-01-02' } },
      { row: 7, values: { 姓名: '王五', 身份证号: '', 到达日期: '1990-01-02' } },
    ]);
    expect(await countTableRows('r.csv', Buffer.from(csv), SPEC)).toBe(3);
  });

  it('looks no further than the first rows: a header below them is missing columns', async () => {
    const title = Array.from({ length: HEADER_SCAN_ROWS }, (_, k) => `说明第${k + 1}行`);
    const late = [...title, '姓名,身份证号', `张三,${ID}`].join('\n');
    await expect(readTable('l.csv', Buffer.from(late), SPEC)).rejects.toMatchObject({
      status: 400,
      code: 'import.missing_columns',
    });
    const inTime = [...title.slice(1), '姓名,身份证号', `张三,${ID}`].join('\n');
    const t = await readTable('l.csv', Buffer.from(inTime), SPEC);
    expect(t.rows).toEqual([{ row: HEADER_SCAN_ROWS + 1, values: { 姓名: '张三', 身份证号: ID } }]);
  });

  it('prefers the row naming every required column, else the one naming most, and reports what is missing', async () => {
    // A two-level header: the group row names one column, the real one all of them.
    const two = ['基本信息,,联系方式', '姓名,身份证号,手机号', `张三,${ID},13811112222`].join('\n');
    expect((await readTable('t.csv', Buffer.from(two), SPEC)).headers).toEqual([
      '姓名',
      '身份证号',
      '手机号',
    ]);
    const partial = ['标题', '姓名,手机号', '张三,13811112222'].join('\n');
    await expect(readTable('p.csv', Buffer.from(partial), SPEC)).rejects.toMatchObject({
      code: 'import.missing_columns',
      extra: { issues: [expect.objectContaining({ path: 'columns.身份证号' })] },
    });
  });

  it('without the importer’s columns, the first filled row is the header and nothing is left out', async () => {
    const t = await readTable('g.csv', Buffer.from('\n序号,a\n1,x\n合计,\n'));
    expect(t.headers).toEqual(['序号', 'a']);
    expect(t.rows).toEqual([{ row: 3, values: { 序号: '1', a: 'x' } }]);
  });

  it('compares headers without width, spaces, required marks, remarks or case', () => {
    expect(headerKey(' 身份证号（必填）')).toBe('身份证号');
    expect(headerKey('*姓\n名')).toBe('姓名');
    expect(headerKey('【选填】备注：')).toBe('备注');
    expect(headerKey('ＩＤ Number')).toBe('idnumber');
  });
});

describe('sheetDate', () => {
  it.each([
    ['1990-01-02', '1990-01-02'],
    ['1990-1-2', '1990-01-02'],
    ['1990/1/2', '1990-01-02'],
    ['1990.01.02', '1990-01-02'],
    ['1990年1月2日', '1990-01-02'],
    ['1990 年 01 月 02 日', '1990-01-02'],
    ['19900102', '1990-01-02'],
    ['1990-01-02 00:00:00', '1990-01-02'],
    ['1990/1/2 8:30', '1990-01-02'],
    ['2024-02-29', '2024-02-29'],
  ])('reads the text %s', (text, date) => {
    expect(sheetDate(text)).toBe(date);
  });

  it.each(['2023-02-29', '1990-13-01', '19901301', '1990/1', '1-2-1990', '32874', 'abc', ''])(
    'refuses %j as text',
    (text) => {
      expect(sheetDate(text)).toBeNull();
    },
  );

  it('reads a number cell as a serial day (1900 or 1904 system) or as 19900102 typed as a number', () => {
    expect(sheetDate('32875', { numeric: true })).toBe('1990-01-02');
    expect(sheetDate('32875.75', { numeric: true })).toBe('1990-01-02');
    expect(sheetDate('31413', { numeric: true, date1904: true })).toBe('1990-01-02');
    expect(sheetDate('19900102', { numeric: true })).toBe('1990-01-02');
    expect(sheetDate('0', { numeric: true })).toBeNull();
    expect(sheetDate('-5', { numeric: true })).toBeNull();
    expect(sheetDate('3000000', { numeric: true })).toBeNull();
  });
});

describe('csvChunks', () => {
  // Quoted line breaks (CRLF and LF), doubled quotes, Chinese text, a BOM and a last line without
  // a break: every piece size must give the text back whole, each piece cut after an unquoted LF.
  const text =
    '\uFEFF姓名,备注\r\n"张三","他说""好""\r\n然后走了"\r\n李四,"a\nb\nc"\n"王,五",普通\n赵六,"末行"';
  const data = Buffer.from(text, 'utf8');
  it('gives the text back whole, in pieces that end after a line break outside quotes', () => {
    for (let size = 1; size <= data.length + 1; size++) {
      const pieces = [...csvChunks(data, size)];
      expect(pieces.join('')).toBe(text);
      for (const p of pieces.slice(0, -1)) {
        expect(p.endsWith('\n')).toBe(true);
        // An even number of quotes: the piece does not end inside a quoted field.
        expect((p.match(/"/g) ?? []).length % 2).toBe(0);
      }
      expect(pieces.length).toBeGreaterThan(size <= 8 ? 3 : 0);
    }
  });

  it('reads a file of several pieces as the whole text reads', async () => {
    // About 3 MB: three pieces or more, with quoted line breaks and doubled quotes on every line.
    const lines = ['编号,姓名,备注'];
    for (let i = 0; i < 40_000; i++)
      lines.push(`${i},"张""${i}""","第一行\r\n第二行 ${'注'.repeat(i % 40)}"`);
    const big = `\uFEFF${lines.join('\r\n')}\r\n`;
    const data = Buffer.from(big, 'utf8');
    expect([...csvChunks(data)].length).toBeGreaterThanOrEqual(3);
    const t = await readTable('big.csv', data, { rows: 50_000 });
    const whole = parseCsv(big);
    expect(t.rows).toHaveLength(40_000);
    expect(t.rows.map((r) => t.headers.map((h) => r.values[h] ?? ''))).toEqual(
      whole.slice(1).map((r) => r.map((c) => c.trim())),
    );
  });

  it('reads the same rows from pieces as from the whole text', async () => {
    const whole = parseCsv(text);
    expect(whole).toHaveLength(5);
    const t = await readTable('x.csv', data);
    expect([t.headers, ...t.rows.map((r) => t.headers.map((h) => r.values[h] ?? ''))]).toEqual(
      whole.map((r) => r.map((c) => c.trim())),
    );
  });
});
