// The streaming workbook reader: each import limit refuses its file with the limit named, before or
// while it unpacks; and the cells read the way spreadsheet programs write them (ADR 0009).
import { describe, expect, it } from 'vitest';
import { IMPORT_LIMITS, type ImportLimits } from '../../common/limits.js';
import {
  inlineRow,
  part,
  repeatedPart,
  SHEET_HEAD,
  SHEET_TAIL,
  skeleton,
  workbook,
  zip,
} from '../test/xlsx-craft.js';
import { countTableRows, readTable } from './tabular.js';
import { XmlScanner, xlsxRowsWithin } from './xlsx-reader.js';

const read = (data: Buffer, limits: Partial<ImportLimits> = {}) => readTable('t.xlsx', data, limits);
const refusedBy = async (p: Promise<unknown>, limit: keyof ImportLimits, max: number) => {
  await expect(p).rejects.toMatchObject({
    status: limit === 'rows' ? 400 : 413,
    code: limit === 'rows' ? 'import.too_many_rows' : 'import.too_large',
    extra: { limit, max },
  });
};
const rows = (n: number, cells: readonly string[]) =>
  Array.from({ length: n }, (_, k) => inlineRow(k + 2, cells)).join('');
const HEAD = inlineRow(1, ['a', 'b']);

describe('each limit refuses the file and names itself', () => {
  it('zipEntries: more entries than allowed, before reading any', async () => {
    const data = zip([...skeleton(), part('xl/worksheets/sheet1.xml', SHEET_HEAD + HEAD + SHEET_TAIL)]);
    await expect(read(data, { zipEntries: 5 })).resolves.toMatchObject({ headers: ['a', 'b'] });
    await refusedBy(read(data, { zipEntries: 4 }), 'zipEntries', 4);
  });

  it('zipDeclaredBytes: the declared sizes of all entries together, before unpacking', async () => {
    const sheet = part('xl/worksheets/sheet1.xml', SHEET_HEAD + HEAD + SHEET_TAIL);
    // Deflate data that cannot be unpacked: refused by size first, so it is never tried.
    const data = zip([
      ...skeleton(),
      { ...sheet, deflated: Buffer.from('not deflate'), declaredSize: 5_000_000 },
    ]);
    await refusedBy(read(data, { zipDeclaredBytes: 4_000_000 }), 'zipDeclaredBytes', 4_000_000);
    await expect(read(data, { zipDeclaredBytes: 6_000_000 })).rejects.toMatchObject({
      code: 'import.unreadable',
    });
  });

  it('sheetBytes: a sheet declaring more is refused before it unpacks', async () => {
    const sheet = part('xl/worksheets/sheet1.xml', SHEET_HEAD + HEAD + SHEET_TAIL);
    const data = zip([
      ...skeleton(),
      { ...sheet, deflated: Buffer.from('not deflate'), declaredSize: 2_000_000 },
    ]);
    await refusedBy(read(data, { sheetBytes: 1_000_000 }), 'sheetBytes', 1_000_000);
  });

  it('sheetBytes: a sheet declaring 4 KB that unpacks to 3 MB is stopped by the byte count', async () => {
    const sheet = repeatedPart(
      'xl/worksheets/sheet1.xml',
      SHEET_HEAD + HEAD,
      ' '.repeat(65_536),
      48,
      SHEET_TAIL,
    );
    sheet.declaredSize = 4096;
    const data = zip([...skeleton(), sheet]);
    expect(sheet.size).toBeGreaterThan(3_000_000);
    await refusedBy(read(data, { sheetBytes: 2_000_000 }), 'sheetBytes', 2_000_000);
    // Within the limit, a size that does not match the directory is a corrupt file.
    await expect(read(data, { sheetBytes: 4_000_000 })).rejects.toMatchObject({ code: 'import.unreadable' });
  });

  it('sharedStringsBytes and partBytes: the other parts are counted too', async () => {
    const strings = `<sst xmlns="x">${'<si><t>甲</t></si>'.repeat(2000)}</sst>`;
    const data = workbook(HEAD + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', { sharedStrings: strings });
    await expect(read(data)).resolves.toMatchObject({ rows: [{ row: 2, values: { a: '甲', b: '' } }] });
    await refusedBy(read(data, { sharedStringsBytes: 20_000 }), 'sharedStringsBytes', 20_000);
    await refusedBy(read(data, { partBytes: 100 }), 'partBytes', 100);
  });

  it('sharedStringChars: all shared texts together', async () => {
    const strings = `<sst>${'<si><t>0123456789</t></si>'.repeat(100)}</sst>`;
    const data = workbook(HEAD, { sharedStrings: strings });
    await expect(read(data, { sharedStringChars: 1000 })).resolves.toBeDefined();
    await refusedBy(read(data, { sharedStringChars: 999 }), 'sharedStringChars', 999);
  });

  it('rows: data rows below the header, in a workbook and a CSV', async () => {
    const data = workbook(HEAD + rows(10, ['1', '2']));
    await expect(read(data, { rows: 10 })).resolves.toMatchObject({ rows: { length: 10 } });
    await refusedBy(read(data, { rows: 9 }), 'rows', 9);
    const csv = Buffer.from('a,b\n' + '1,2\n'.repeat(10));
    await expect(readTable('t.csv', csv, { rows: 10 })).resolves.toMatchObject({ rows: { length: 10 } });
    await refusedBy(readTable('t.csv', csv, { rows: 9 }), 'rows', 9);
  });

  it('rows, counted in the bytes before parsing: across chunk boundaries, not <rowBreaks>, the first sheet only', async () => {
    // 5,000 rows of about 60 bytes: tags cut at every 64 KB chunk's edge somewhere.
    const many = HEAD + rows(5000, ['1', '2']) + '<rowBreaks count="1"><brk id="2"/></rowBreaks>';
    const data = workbook(many);
    const lim = (n: number) => ({ ...IMPORT_LIMITS, rows: n });
    await expect(xlsxRowsWithin(data, lim(5000))).resolves.toBeUndefined();
    await refusedBy(xlsxRowsWithin(data, lim(4999)), 'rows', 4999);
    // The limit pass refuses by the byte count, and counts the data rows when within it.
    await refusedBy(countTableRows('t.xlsx', data, { rows: 4999 }), 'rows', 4999);
    await expect(countTableRows('t.xlsx', data, { rows: 5000 })).resolves.toBe(5000);
  });

  it('columns: a cell beyond the last column allowed, by reference or by count', async () => {
    const far = workbook(HEAD + '<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>');
    await refusedBy(read(far), 'columns', IMPORT_LIMITS.columns);
    const wide = workbook(inlineRow(1, ['a', 'b', 'c']));
    await expect(read(wide, { columns: 3 })).resolves.toMatchObject({ headers: ['a', 'b', 'c'] });
    await refusedBy(read(wide, { columns: 2 }), 'columns', 2);
    await refusedBy(readTable('t.csv', Buffer.from('a,b,c\n'), { columns: 2 }), 'columns', 2);
  });

  it('cellChars: an inline, shared or CSV cell longer than allowed, even one never closed', async () => {
    await expect(read(workbook(HEAD + rows(1, ['x'.repeat(50)])), { cellChars: 50 })).resolves.toBeDefined();
    await refusedBy(read(workbook(HEAD + rows(1, ['x'.repeat(51)])), { cellChars: 50 }), 'cellChars', 50);
    const shared = workbook(HEAD, {
      sharedStrings: `<sst><si><r><t>${'x'.repeat(30)}</t></r><r><t>${'y'.repeat(30)}</t></r></si></sst>`,
    });
    await refusedBy(read(shared, { cellChars: 50 }), 'cellChars', 50);
    // A text node of 3 MB that never ends: refused at the limit, not after reading it all.
    const endless = zip([
      ...skeleton(),
      repeatedPart(
        'xl/worksheets/sheet1.xml',
        SHEET_HEAD + HEAD + '<row r="2"><c t="inlineStr"><is><t>',
        'z'.repeat(65_536),
        48,
        '',
      ),
    ]);
    await refusedBy(read(endless), 'cellChars', IMPORT_LIMITS.cellChars);
    await refusedBy(
      readTable('t.csv', Buffer.from(`a\n"${'q'.repeat(51)}"\n`), { cellChars: 50 }),
      'cellChars',
      50,
    );
    await refusedBy(
      readTable('t.csv', Buffer.from(`a\n${'q'.repeat(51)}\n`), { cellChars: 50 }),
      'cellChars',
      50,
    );
  });

  it('a DOCTYPE (entity expansion) and broken XML are unreadable, not parsed', async () => {
    const doctype = zip([
      ...skeleton(),
      part(
        'xl/worksheets/sheet1.xml',
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData>' + HEAD + SHEET_TAIL,
      ),
    ]);
    await expect(read(doctype)).rejects.toMatchObject({ status: 400, code: 'import.unreadable' });
    await expect(
      read(workbook(HEAD + '<row><c t="inlineStr"><is><t>&bogus;</t></is></c></row>')),
    ).rejects.toMatchObject({
      code: 'import.unreadable',
    });
    await expect(read(workbook(HEAD + '<row><c'))).rejects.toMatchObject({ code: 'import.unreadable' });
  });
});

describe('cells as spreadsheet programs write them', () => {
  it('shared rich text without phonetic guides, inline text, entities, CDATA, comments, prefixes', async () => {
    const sst =
      '<sst><si><r><t>甲</t></r><r><rPr/><t xml:space="preserve">村 </t></r><rPh><t>jia</t></rPh></si><si><t>A&amp;B</t></si></sst>';
    const sheet =
      '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>名</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>注</x:t></x:is></x:c></x:row>' +
      '<!-- a comment with <row> in it --><row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="s"><v>1</v></c></row>' +
      '<row r="4"><c r="B4" t="inlineStr"><is><t><![CDATA[<b>&amp;</b>]]>&#x4e59;&#20013;&lt;</t></is></c></row>';
    const t = await read(workbook(sheet, { sharedStrings: sst }));
    expect(t.headers).toEqual(['名', '注']);
    expect(t.rows).toEqual([
      { row: 3, values: { 名: '甲村', 注: 'A&B' } },
      { row: 4, values: { 名: '', 注: '<b>&amp;</b>乙中<' } },
    ]);
  });

  it('numbers, booleans, errors, formula strings and dates by built-in and custom formats, 1900 and 1904', async () => {
    const styles =
      '<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="0.00&quot;d&quot;"/></numFmts>' +
      '<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>';
    const sheet =
      inlineRow(1, ['n', 'b', 'e', 'f', 'd1', 'd2', 'x']) +
      '<row r="2"><c r="A2"><v>330112001</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c>' +
      '<c r="D2" t="str"><f>A1</f><v>甲</v></c><c r="E2" s="1"><v>45658</v></c><c r="F2" s="2"><v>45659</v></c><c r="G2" s="3"><v>1.5</v></c></row>';
    const t = await read(workbook(sheet, { styles }));
    expect(t.rows[0]!.values).toEqual({
      n: '330112001',
      b: 'true',
      e: '',
      f: '甲',
      d1: '2025-01-01',
      d2: '2025-01-02',
      x: '1.5',
    });
    // Plain numbers are told apart from text, dates and booleans: an ID number there has lost digits.
    expect(t.rows[0]!.numeric).toEqual(['n', 'x']);
    const t1904 = await read(
      zip([
        ...skeleton({ styles: true }).map((p) =>
          p.name === 'xl/workbook.xml'
            ? part(
                p.name,
                '<workbook><workbookPr date1904="1"/><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
              )
            : p,
        ),
        part(
          'xl/worksheets/sheet1.xml',
          SHEET_HEAD + inlineRow(1, ['d']) + '<row r="2"><c r="A2" s="1"><v>0</v></c></row>' + SHEET_TAIL,
        ),
        part('xl/styles.xml', styles),
      ]),
    );
    expect(t1904.rows[0]!.values).toEqual({ d: '1904-01-01' });
  });

  it('reads every row across chunk boundaries, with entities cut in two', async () => {
    const cells = ['张三 &amp; 李四'.repeat(20), 'x'];
    const sheet =
      HEAD +
      Array.from(
        { length: 3000 },
        (_, k) =>
          `<row r="${k + 2}"><c r="A${k + 2}" t="inlineStr"><is><t>${cells[0]}${k}</t></is></c></row>`,
      ).join('');
    const t = await read(workbook(sheet));
    expect(t.rows).toHaveLength(3000);
    expect(t.rows[2999]).toEqual({ row: 3001, values: { a: `${'张三 & 李四'.repeat(20)}2999`, b: '' } });
  });

  it('the scanner gives the same events whatever the chunk size', () => {
    const xml =
      '<?xml version="1.0"?><a x="1>2" y=\'q\'><b/>t&amp;u<!-- c --><![CDATA[d]]><p:e z="&lt;"></p:e></a>';
    const run = (size: number) => {
      const events: string[] = [];
      const sc = new XmlScanner({
        open: (n, a, self) => events.push(`<${n}${a}${self ? '/' : ''}>`),
        close: (n) => events.push(`</${n}>`),
        text: (s) => events.push(s),
      });
      for (let i = 0; i < xml.length; i += size) sc.write(xml.slice(i, i + size));
      sc.end();
      // Text may come in pieces: join neighbouring text events.
      return events.join('|').replace(/\|(?=[^<])/g, '');
    };
    const whole = run(xml.length);
    expect(whole).toBe('<a x="1>2" y=\'q\'>|<b/>|</b>t&ud|<e z="&lt;">|</e>|</a>');
    for (const size of [1, 2, 3, 7, 13]) expect(run(size)).toBe(whole);
  });
});
