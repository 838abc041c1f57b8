import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { parseCsv, readTable, requireHeaders, writeWorkbook } from './tabular.js';

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

  it('reads back an XLSX written by writeWorkbook, numbers as text', async () => {
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
      { row: 3, values: { 上级编码: '330112001', 编码: '002', 名称: '' } },
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
      { row: 2, values: { 到达日期: '2024-03-05', 数: '12.5' } },
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
