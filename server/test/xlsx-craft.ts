// Hand-built XLSX files for the import limits: a workbook of given parts, and bombs whose sheet
// unpacks to hundreds of megabytes from a few hundred kilobytes, built without ever holding the
// unpacked sheet (repeated deflate blocks, each flushed so that it stands alone).
import zlib from 'node:zlib';

export interface CraftedPart {
  name: string;
  /** Raw deflate data of the part. */
  deflated: Buffer;
  /** Its real unpacked size and CRC. */
  size: number;
  crc: number;
  /** What the central directory claims instead of `size` (a liar). */
  declaredSize?: number;
}

export const part = (name: string, text: string): CraftedPart => {
  const raw = Buffer.from(text, 'utf8');
  return { name, deflated: zlib.deflateRawSync(raw), size: raw.length, crc: zlib.crc32(raw) };
};

/** A zip of the parts (deflate, sizes in the local headers and the central directory). */
export function zip(parts: readonly CraftedPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const declared = p.declaredSize ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(p.crc, 16);
    cd.writeUInt32LE(p.deflated.length, 20);
    cd.writeUInt32LE(declared, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, name, p.deflated);
    central.push(cd, name);
    offset += 30 + name.length + p.deflated.length;
  }
  const cdBytes = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(parts.length, 10);
  eocd.writeUInt32LE(cdBytes.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, eocd]);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const colName = (k: number): string =>
  k < 26 ? String.fromCharCode(65 + k) : colName(Math.floor(k / 26) - 1) + colName(k % 26);

/** A sheet row of inline strings. */
export const inlineRow = (r: number, cells: readonly string[]) =>
  `<row r="${r}">${cells
    .map((c, k) => `<c r="${colName(k)}${r}" t="inlineStr"><is><t>${esc(c)}</t></is></c>`)
    .join('')}</row>`;

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}" xmlns:r="${R_NS}"><sheetData>`;
export const SHEET_TAIL = '</sheetData></worksheet>';

/** The parts every workbook has besides its sheet (and, when given, shared strings and styles). */
export function skeleton(o: { sharedStrings?: boolean; styles?: boolean } = {}): CraftedPart[] {
  const rels = [
    `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>`,
    o.sharedStrings ? `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : '',
    o.styles ? `<Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/>` : '',
  ].join('');
  return [
    part(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    ),
    part(
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    part(
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${R_NS}"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    part(
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
    ),
  ];
}

/** A workbook whose first sheet is `sheetXml` (rows only; head and tail are added). */
export function workbook(sheetRows: string, extra: { sharedStrings?: string; styles?: string } = {}): Buffer {
  return zip([
    ...skeleton({ sharedStrings: extra.sharedStrings !== undefined, styles: extra.styles !== undefined }),
    part('xl/worksheets/sheet1.xml', SHEET_HEAD + sheetRows + SHEET_TAIL),
    ...(extra.sharedStrings !== undefined ? [part('xl/sharedStrings.xml', extra.sharedStrings)] : []),
    ...(extra.styles !== undefined ? [part('xl/styles.xml', extra.styles)] : []),
  ]);
}

/**
 * A part made of `head`, then `block` repeated `times`, then `tail`, deflated block by block: each
 * block is compressed once and flushed so that it refers to nothing before it, and the copies are
 * laid end to end. The unpacked part is never built.
 */
export function repeatedPart(
  name: string,
  head: string,
  block: string,
  times: number,
  tail: string,
): CraftedPart {
  const flush = { finishFlush: zlib.constants.Z_FULL_FLUSH };
  const h = Buffer.from(head, 'utf8');
  const b = Buffer.from(block, 'utf8');
  const t = Buffer.from(tail, 'utf8');
  const bDeflated = zlib.deflateRawSync(b, { ...flush, level: 9 });
  let crc = zlib.crc32(h);
  for (let i = 0; i < times; i++) crc = zlib.crc32(b, crc);
  crc = zlib.crc32(t, crc);
  return {
    name,
    deflated: Buffer.concat([
      zlib.deflateRawSync(h, flush),
      ...Array.from({ length: times }, () => bDeflated),
      zlib.deflateRawSync(t),
    ]),
    size: h.length + b.length * times + t.length,
    crc,
  };
}

/**
 * A workbook whose sheet unpacks to about `megabytes` MB: the importer's header row, then either
 * the same data row over and over (`rows`) or blank space between two rows (`padding`), which only
 * the byte count can stop. `lie` makes the central directory claim 4 KB for the sheet.
 */
export function xlsxBomb(o: {
  header: readonly string[];
  row: readonly string[];
  megabytes: number;
  fill: 'rows' | 'padding';
  lie: boolean;
}): { data: Buffer; unpackedBytes: number } {
  let block = '';
  if (o.fill === 'rows') {
    // Rows without numbers may repeat; a reader counts them.
    const one = `<row>${o.row.map((c) => `<c t="inlineStr"><is><t>${esc(c)}</t></is></c>`).join('')}</row>`;
    while (block.length < 1_048_576) block += one;
  } else block = ' '.repeat(1_048_576);
  const sheet = repeatedPart(
    'xl/worksheets/sheet1.xml',
    SHEET_HEAD + inlineRow(1, o.header),
    block,
    Math.ceil((o.megabytes * 1_048_576) / block.length),
    SHEET_TAIL,
  );
  if (o.lie) sheet.declaredSize = 4096;
  return { data: zip([...skeleton(), sheet]), unpackedBytes: sheet.size };
}
