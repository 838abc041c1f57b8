// Reads the first worksheet of an XLSX as a stream of rows, within IMPORT_LIMITS (ADR 0009).
// The zip's central directory is read first (entry count, declared sizes); each part read is inflated
// with node:zlib while its bytes are counted, and parsed as it arrives by a small XML scanner that
// holds at most one unfinished tag, so neither a lying directory nor one giant text node can make the
// server hold more than the limits allow. Only what SpreadsheetML needs is parsed; a DOCTYPE (the
// door to entity expansion) is refused.
import { createInflateRaw } from 'node:zlib';
import type { ImportLimits } from '../../common/limits.js';
import { AppError, appError, badRequest } from './errors.js';

/** The limit passed is named in the caller's language (`import.limit.<name>`); `limit` stays in the body as the code. */
export const tooLarge = (limit: keyof ImportLimits, max: number) =>
  appError(413, 'import.too_large', { limit: `import.limit.${limit}`, max }, { limit, max });
/** Too many rows keeps the code (and 400) it had before the other limits existed. */
export const rowsTooMany = (max: number) =>
  appError(400, 'import.too_many_rows', { max }, { limit: 'rows', max });
const unreadable = () => badRequest('import.unreadable');

// ------------------------------------------------------------------ zip central directory

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeader: number;
}

/** The entries of a zip from its central directory, with the count and declared sizes checked. */
export function zipEntries(data: Buffer, limits: ImportLimits): Map<string, ZipEntry> {
  // The end-of-central-directory record: in the last 22 bytes plus a comment of up to 65,535.
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw unreadable();
  const count = data.readUInt16LE(eocd + 10);
  if (count > limits.zipEntries) throw tooLarge('zipEntries', limits.zipEntries);
  const cdSize = data.readUInt32LE(eocd + 12);
  const cdOffset = data.readUInt32LE(eocd + 16);
  // ZIP64 markers: no workbook within the upload limit needs them.
  if (count === 0xffff || cdOffset === 0xffffffff || cdOffset + cdSize > eocd) throw unreadable();
  const entries = new Map<string, ZipEntry>();
  let declared = 0;
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || data.readUInt32LE(p) !== 0x02014b50) throw unreadable();
    const flags = data.readUInt16LE(p + 8);
    const nameLen = data.readUInt16LE(p + 28);
    const entry: ZipEntry = {
      method: data.readUInt16LE(p + 10),
      compressedSize: data.readUInt32LE(p + 20),
      size: data.readUInt32LE(p + 24),
      localHeader: data.readUInt32LE(p + 42),
      name: data.toString('utf8', p + 46, p + 46 + nameLen),
    };
    if (flags & 1) throw unreadable(); // encrypted
    declared += entry.size;
    if (declared > limits.zipDeclaredBytes) throw tooLarge('zipDeclaredBytes', limits.zipDeclaredBytes);
    // Part names are case-insensitive in OOXML.
    entries.set(entry.name.replace(/^\//, '').toLowerCase(), entry);
    p += 46 + nameLen + data.readUInt16LE(p + 30) + data.readUInt16LE(p + 32);
  }
  return entries;
}

/**
 * The unpacked bytes of one entry, chunk by chunk, refused the moment they pass `max` — whatever the
 * directory declared — and refused if they end short of or beyond what it declared (a corrupt file).
 */
async function* unpack(
  data: Buffer,
  entry: ZipEntry,
  limit: keyof ImportLimits,
  max: number,
): AsyncGenerator<Buffer> {
  const refuse = () => tooLarge(limit, max);
  if (entry.size > max) throw refuse();
  const p = entry.localHeader;
  if (p + 30 > data.length || data.readUInt32LE(p) !== 0x04034b50) throw unreadable();
  const start = p + 30 + data.readUInt16LE(p + 26) + data.readUInt16LE(p + 28);
  const end = start + entry.compressedSize;
  if (end > data.length) throw unreadable();
  const packed = data.subarray(start, end);
  if (entry.method === 0) {
    if (packed.length !== entry.size) throw unreadable();
    yield packed;
    return;
  }
  if (entry.method !== 8) throw unreadable();
  const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
  inflate.end(packed);
  let total = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > max) throw refuse();
      yield chunk;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw unreadable();
  } finally {
    inflate.destroy();
  }
  if (total !== entry.size) throw unreadable();
}

// ------------------------------------------------------------------ XML scanner

interface XmlHandler {
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Character data, entity-decoded, possibly in several pieces. */
  text(s: string): void;
}

const MAX_MARKUP = 64 * 1024;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function decode(s: string): string {
  const t = s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s;
  if (!t.includes('&')) return t;
  return t.replace(/&([^;&]*);?/g, (m, e: string) => {
    if (!m.endsWith(';')) throw unreadable();
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!Number.isInteger(code) || code < 0 || code > 0x10ffff) throw unreadable();
      return String.fromCodePoint(code);
    }
    const v = ENTITIES[e];
    if (v === undefined) throw unreadable();
    return v;
  });
}
/** A copy of a string cut from an unpacked chunk: V8 keeps the whole chunk alive behind a slice of
 * 13 characters or more, so a kept cell would hold its 64 KB chunk (and a sheet, all of them). */
const own = (s: string) => (s.length < 13 ? s : (' ' + s).slice(1));
const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

/** The value of attribute `name` (without prefix) in a tag's attribute text. */
const CELL_ATTR = /(?:^|\s)(?:[\w.-]+:)?(r|t|s)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const attrPatterns = new Map<string, RegExp>();
export function attr(attrs: string, name: string): string | undefined {
  if (attrs === '') return undefined;
  let re = attrPatterns.get(name);
  if (!re) {
    re = new RegExp(`(?:^|\\s)(?:[\\w.-]+:)?${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
    attrPatterns.set(name, re);
  }
  const m = re.exec(attrs);
  return m ? decode(m[1] ?? m[2] ?? '') : undefined;
}

/** A streaming scanner for the XML that spreadsheet programs write. It keeps only an unfinished tag
 * (at most MAX_MARKUP characters) or entity between chunks; text goes to the handler as it comes. */
export class XmlScanner {
  private rest = '';
  private mode: 'text' | 'comment' | 'cdata' | 'pi' = 'text';
  constructor(private readonly h: XmlHandler) {}

  write(chunk: string): void {
    const s = this.rest === '' ? chunk : this.rest + chunk;
    // Flatten the concatenation once (ToNumber does it in place): scanning a rope is many times slower.
    if (this.rest !== '') void (Number(s) | 0);
    this.rest = '';
    let i = 0;
    while (i < s.length) {
      if (this.mode !== 'text') {
        const endMark = this.mode === 'comment' ? '-->' : this.mode === 'cdata' ? ']]>' : '?>';
        const j = s.indexOf(endMark, i);
        const upTo = j < 0 ? Math.max(i, s.length - endMark.length + 1) : j;
        if (this.mode === 'cdata' && upTo > i) this.h.text(s.slice(i, upTo));
        if (j < 0) {
          this.rest = s.slice(upTo);
          return;
        }
        i = j + endMark.length;
        this.mode = 'text';
        continue;
      }
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        // Keep a trailing entity that may be cut in two.
        const amp = s.lastIndexOf('&');
        const cut = amp >= i && !s.includes(';', amp) ? amp : s.length;
        if (s.length - cut > 16) throw unreadable();
        if (cut > i) this.h.text(decode(s.slice(i, cut)));
        this.rest = s.slice(cut);
        return;
      }
      if (lt > i) this.h.text(decode(s.slice(i, lt)));
      const c1 = s.charCodeAt(lt + 1);
      if (c1 !== 33 /* ! */ && c1 !== 63 /* ? */) {
        // The tag's end: the first '>' outside quoted attribute values.
        let gt = -1;
        let quote = 0;
        for (let j = lt + 1; j < s.length; j++) {
          const c = s.charCodeAt(j);
          if (quote !== 0) {
            if (c === quote) quote = 0;
          } else if (c === 62) {
            gt = j;
            break;
          } else if (c === 34 || c === 39) quote = c;
          else if (c === 60) throw unreadable(); // '<' inside a tag
        }
        if (gt > lt + 1) {
          if (c1 === 47 /* / */) {
            this.h.close(localName(s.slice(lt + 2, gt).trim()));
          } else {
            const selfClosing = s.charCodeAt(gt - 1) === 47;
            const end = selfClosing ? gt - 1 : gt;
            let nameEnd = lt + 1;
            while (nameEnd < end) {
              const c = s.charCodeAt(nameEnd);
              if (c === 32 || c === 9 || c === 10 || c === 13) break;
              nameEnd++;
            }
            const name = localName(s.slice(lt + 1, nameEnd));
            this.h.open(name, nameEnd < end ? s.slice(nameEnd, end) : '', selfClosing);
            if (selfClosing) this.h.close(name);
          }
          i = gt + 1;
          continue;
        }
      }
      if (c1 === 33 || c1 === 63) {
        if (s.startsWith('<!--', lt)) {
          this.mode = 'comment';
          i = lt + 4;
          continue;
        }
        if (s.startsWith('<![CDATA[', lt)) {
          this.mode = 'cdata';
          i = lt + 9;
          continue;
        }
        if (c1 === 63) {
          this.mode = 'pi';
          i = lt + 2;
          continue;
        }
        // A DOCTYPE (the door to entity expansion) or a cut-off comment or CDATA opener.
        if (s.length - lt >= 9) throw unreadable();
      }
      // An unfinished tag at the end of the chunk waits for the next one; one that never finishes
      // within MAX_MARKUP characters is not XML a spreadsheet program writes.
      if (s.length - lt > MAX_MARKUP) throw unreadable();
      this.rest = s.slice(lt);
      return;
    }
  }

  end(): void {
    if (this.rest !== '' || this.mode !== 'text') throw unreadable();
  }
}

/** Feeds the unpacked chunks to the scanner, pausing after each so that a reader can take what it
 * completed before the next chunk is unpacked. */
async function* scanChunks(chunks: AsyncIterable<Buffer>, h: XmlHandler): AsyncGenerator<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const scanner = new XmlScanner(h);
  const guarded = (f: () => void) => {
    try {
      f();
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw unreadable(); // invalid UTF-8
    }
  };
  for await (const chunk of chunks) {
    guarded(() => scanner.write(decoder.decode(chunk, { stream: true })));
    yield;
  }
  guarded(() => scanner.write(decoder.decode()));
  scanner.end();
}

async function scan(chunks: AsyncIterable<Buffer>, h: XmlHandler): Promise<void> {
  for await (const _ of scanChunks(chunks, h));
}

// ------------------------------------------------------------------ the workbook

/** Number formats 14–22 and 45–47 are dates and times; a custom format is one if it has date letters
 * outside quotes, brackets and escapes. */
function isDateFormat(id: number, custom: Map<number, string>): boolean {
  const code = custom.get(id);
  if (code === undefined) return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
  return /[dmyhs]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, ''));
}

/** Column index (0-based) of a cell reference such as "AB12". */
function columnOf(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

export interface SheetRow {
  /** 1-based row number in the sheet. */
  row: number;
  cells: string[];
  /** Columns (0-based) whose cell the workbook held as a plain number (not text, not a date): an
   * 18-digit ID number there has lost its last digits, and a date there is a serial day number. */
  numeric?: number[];
}

/** What the reader learns about the workbook as a whole while it reads. */
export interface WorkbookInfo {
  /** Serial day numbers count from 1904-01-01 (old Mac workbooks) rather than 1900. */
  date1904: boolean;
}

/** The parts xlsxRows reads: the first sheet in the workbook's order (through the workbook's
 * relationships), where the shared strings and the styles are, and the date system. */
async function workbookParts(data: Buffer, limits: ImportLimits) {
  const entries = zipEntries(data, limits);
  const part = (name: string) => entries.get(name.toLowerCase());
  const small = (name: string) => {
    const e = part(name);
    return e ? unpack(data, e, 'partBytes', limits.partBytes) : undefined;
  };

  // The first sheet in the workbook's order, through the workbook's relationships.
  let firstSheetRel: string | undefined;
  let date1904 = false;
  const wb = small('xl/workbook.xml');
  if (!wb) throw unreadable();
  await scan(wb, {
    open(name, attrs) {
      if (name === 'sheet' && firstSheetRel === undefined) firstSheetRel = attr(attrs, 'id');
      if (name === 'workbookPr') date1904 = /^(1|true)$/.test(attr(attrs, 'date1904') ?? '');
    },
    close() {},
    text() {},
  });
  if (firstSheetRel === undefined) throw badRequest('import.empty');
  const targets = new Map<string, string>();
  let sharedStringsPath = 'xl/sharedStrings.xml';
  let stylesPath = 'xl/styles.xml';
  const rels = small('xl/_rels/workbook.xml.rels');
  if (!rels) throw unreadable();
  const resolve = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  await scan(rels, {
    open(name, attrs) {
      if (name !== 'Relationship') return;
      const target = attr(attrs, 'Target');
      const id = attr(attrs, 'Id');
      const type = attr(attrs, 'Type') ?? '';
      if (target === undefined || id === undefined) return;
      targets.set(id, resolve(target));
      if (type.endsWith('/sharedStrings')) sharedStringsPath = resolve(target);
      if (type.endsWith('/styles')) stylesPath = resolve(target);
    },
    close() {},
    text() {},
  });
  const sheet = part(targets.get(firstSheetRel) ?? '');
  if (!sheet) throw unreadable();
  return { part, sheet, sharedStringsPath, stylesPath, date1904 };
}

/**
 * Refuses a first sheet with more than `limits.rows + 1` rows by counting its `<row` tags in the
 * unpacked bytes, before any XML is parsed: a sheet that lies about its size to carry millions of
 * small rows is refused at the speed of inflating it (a tenth of parsing it). Rows in another
 * namespace prefix are not seen here; the parsing pass counts every row anyway.
 */
export async function xlsxRowsWithin(data: Buffer, limits: ImportLimits): Promise<void> {
  const { sheet } = await workbookParts(data, limits);
  let rows = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of unpack(data, sheet, 'sheetBytes', limits.sheetBytes)) {
    // The tag may be cut between chunks: the last four bytes are searched again with the next.
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    for (let i = buf.indexOf(ROW_TAG); i >= 0 && i + 4 < buf.length; i = buf.indexOf(ROW_TAG, i + 4))
      // <row> or <row r=…>, not <rowBreaks> or <rows…>.
      if (ROW_TAG_ENDS.has(buf[i + 4]!) && ++rows > limits.rows + 1) throw rowsTooMany(limits.rows);
    carry = Buffer.from(buf.subarray(Math.max(0, buf.length - 4)));
  }
}
const ROW_TAG = Buffer.from('<row');
/** Space, tab, LF, CR, '>' and '/': what may follow a row tag's name. */
const ROW_TAG_ENDS = new Set([0x20, 0x09, 0x0a, 0x0d, 0x3e, 0x2f]);

/**
 * The rows of the workbook's first sheet, in order and in batches (those completed by one unpacked chunk), each as text per cell the way the old
 * whole-workbook reader gave them: shared and inline strings, rich text joined, formula results,
 * numbers as JavaScript writes them, booleans as true/false, dates as YYYY-MM-DD, errors as empty.
 */
export async function* xlsxRows(
  data: Buffer,
  limits: ImportLimits,
  info: WorkbookInfo = { date1904: false },
): AsyncGenerator<SheetRow[]> {
  const { part, sheet, sharedStringsPath, stylesPath, date1904 } = await workbookParts(data, limits);
  info.date1904 = date1904;

  // Shared strings: every <t> of an <si>, rich runs joined, phonetic guides (<rPh>) left out.
  const shared: string[] = [];
  const ss = part(sharedStringsPath);
  if (ss) {
    let current: string[] | null = null;
    let inT = false;
    let inPhonetic = false;
    let length = 0;
    let chars = 0;
    await scan(unpack(data, ss, 'sharedStringsBytes', limits.sharedStringsBytes), {
      open(name) {
        if (name === 'si') {
          current = [];
          length = 0;
        } else if (name === 'rPh') inPhonetic = true;
        else if (name === 't') inT = !inPhonetic && current !== null;
      },
      close(name) {
        if (name === 'si' && current) {
          shared.push(own(current.join('')));
          current = null;
        } else if (name === 'rPh') inPhonetic = false;
        else if (name === 't') inT = false;
      },
      text(s) {
        if (!inT || !current) return;
        length += s.length;
        chars += s.length;
        if (length > limits.cellChars) throw tooLarge('cellChars', limits.cellChars);
        if (chars > limits.sharedStringChars) throw tooLarge('sharedStringChars', limits.sharedStringChars);
        current.push(s);
      },
    });
  }

  // Styles: which cell formats are dates.
  const dateStyles = new Set<number>();
  const stylesPart = part(stylesPath);
  const styles = stylesPart && unpack(data, stylesPart, 'partBytes', limits.partBytes);
  if (styles) {
    const custom = new Map<number, string>();
    const xfFormats: number[] = [];
    let inCellXfs = false;
    await scan(styles, {
      open(name, attrs) {
        if (name === 'numFmt') custom.set(Number(attr(attrs, 'numFmtId')), attr(attrs, 'formatCode') ?? '');
        else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) xfFormats.push(Number(attr(attrs, 'numFmtId') ?? 0));
      },
      close(name) {
        if (name === 'cellXfs') inCellXfs = false;
      },
      text() {},
    });
    xfFormats.forEach((id, k) => {
      if (isDateFormat(id, custom)) dateStyles.add(k);
    });
  }
  const epoch = date1904 ? 24107 : 25569; // day 0 of each system, in days before 1970

  // The sheet, row by row. Rows finished within one inflated chunk are handed out after it.
  const done: SheetRow[] = [];
  let rowsSeen = 0;
  let rowNumber = 0;
  let cells: string[] | null = null;
  let numeric: number[] | undefined;
  let isNumber = false;
  let col = -1;
  let type = 'n';
  let style = 0;
  let capture: 'v' | 'is' | null = null;
  let inIs = false;
  let inPhonetic = false;
  let text = '';
  const cellValue = (): string => {
    switch (type) {
      case 's': {
        const k = Number(text);
        return Number.isInteger(k) ? (shared[k] ?? '') : '';
      }
      case 'str':
      case 'inlineStr':
        return own(text);
      case 'b':
        return text === '' ? '' : String(text === '1' || text === 'true');
      case 'e':
        return '';
      default: {
        if (text.trim() === '') return '';
        const n = Number(text);
        if (Number.isNaN(n)) return own(text);
        if (dateStyles.has(style))
          return new Date(Math.round((n - epoch) * 86_400_000)).toISOString().slice(0, 10);
        isNumber = true;
        return String(n);
      }
    }
  };
  const sheetScan = scanChunks(unpack(data, sheet, 'sheetBytes', limits.sheetBytes), {
    open(name, attrs, selfClosing) {
      switch (name) {
        case 'row': {
          if (++rowsSeen > limits.rows + 1) throw rowsTooMany(limits.rows);
          const r = Number(attr(attrs, 'r'));
          rowNumber = Number.isInteger(r) && r > rowNumber ? r : rowNumber + 1;
          cells = [];
          numeric = undefined;
          col = -1;
          break;
        }
        case 'c': {
          let ref: string | undefined;
          type = 'n';
          style = 0;
          // One pass over the cell's attributes, the hottest tag of a sheet.
          if (attrs !== '') {
            CELL_ATTR.lastIndex = 0;
            for (let m = CELL_ATTR.exec(attrs); m; m = CELL_ATTR.exec(attrs)) {
              const v = m[2] ?? m[3] ?? '';
              if (m[1] === 'r') ref = v;
              else if (m[1] === 't') type = v;
              else if (m[1] === 's') style = Number(v);
            }
          }
          col = ref ? columnOf(ref) : col + 1;
          if (col < 0) throw unreadable();
          if (col >= limits.columns) throw tooLarge('columns', limits.columns);
          text = '';
          capture = null;
          inIs = false;
          if (selfClosing && cells) cells[col] = '';
          break;
        }
        case 'v':
          if (!inIs) capture = 'v';
          break;
        case 'is':
          inIs = true;
          break;
        case 'rPh':
          inPhonetic = true;
          break;
        case 't':
          if (inIs && !inPhonetic) capture = 'is';
          break;
        default:
      }
    },
    close(name) {
      switch (name) {
        case 'v':
        case 't':
          capture = null;
          break;
        case 'is':
          inIs = false;
          break;
        case 'rPh':
          inPhonetic = false;
          break;
        case 'c':
          if (cells && col >= 0) {
            isNumber = false;
            cells[col] = cellValue();
            if (isNumber) (numeric ??= []).push(col);
          }
          text = '';
          break;
        case 'row':
          if (cells) {
            const r: SheetRow = { row: rowNumber, cells: Array.from(cells, (c) => c ?? '') };
            if (numeric) r.numeric = numeric;
            done.push(r);
          }
          cells = null;
          break;
        default:
      }
    },
    text(s) {
      if (capture === null) return;
      text += s;
      if (text.length > limits.cellChars) throw tooLarge('cellChars', limits.cellChars);
    },
  });
  for await (const _ of sheetScan) if (done.length > 0) yield done.splice(0, done.length);
  if (done.length > 0) yield done;
}
